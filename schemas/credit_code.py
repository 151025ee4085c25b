"""The unified social credit code (GB 32100-2015) and its two check characters.

Character 18 checks characters 1-17 (GB 32100); character 17 is itself the check
digit of the embedded organisation code (GB 11714) over characters 9-16. Both are
verified, vectorised in Polars, after the text has been normalised by
:func:`normalise_credit_code`.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from sources.parsing import CellParser
from sources.text import halfwidth_expr

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
_WEIGHTS_32100 = [pow(3, i, 31) for i in range(17)]
_ORG_VALUE = {ch: i for i, ch in enumerate("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")}
_WEIGHTS_11714 = [3, 7, 9, 10, 5, 8, 4, 2]

#: Category prefix (characters 1-2) of an enterprise; 92 and 93 are not enterprises.
ENTERPRISE_PREFIX = "91"


def organisation_check(body8: str) -> str:
    """The GB 11714 check character for the 8 characters of an organisation code."""
    total = sum(_ORG_VALUE[ch] * w for ch, w in zip(body8, _WEIGHTS_11714, strict=True))
    check = 11 - total % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


def credit_code_check(body17: str) -> str:
    """The GB 32100 check character (character 18) for the first 17 characters."""
    total = sum(_VALUE[ch] * w for ch, w in zip(body17, _WEIGHTS_32100, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def complete_credit_code(body16: str) -> str:
    """Append both check characters to 16 characters (used by generators and tests)."""
    body17 = body16 + organisation_check(body16[8:16])
    return body17 + credit_code_check(body17)


def is_valid_credit_code(code: str) -> bool:
    """Whether one already-normalised code passes both check characters."""
    if len(code) != 18 or any(ch not in _VALUE for ch in code):
        return False
    if any(ch not in _ORG_VALUE for ch in code[8:16]):
        return False
    return code[16] == organisation_check(code[8:16]) and code[17] == credit_code_check(code[:17])


def _folded(expr: pl.Expr) -> pl.Expr:
    """A code in upper-case half-width, without spaces, hyphens or a leading apostrophe."""
    folded = halfwidth_expr(expr).str.to_uppercase().str.replace_all(r"[\s\-]", "")
    return folded.str.strip_chars_start("'‘’`")


def _none_when_empty(folded: pl.Expr) -> pl.Expr:
    return pl.when(folded == "").then(None).otherwise(folded)


def normalise_credit_code(expr: pl.Expr) -> pl.Expr:
    """Normalise a code as typed by people: width, case, spaces, a leading apostrophe."""
    return _none_when_empty(_folded(expr))


def _lookup(table: dict[str, int]) -> np.ndarray:
    values = np.zeros(256, dtype=np.int32)
    for ch, value in table.items():
        values[ord(ch)] = value
    return values


_VALUE_OF_BYTE = _lookup(_VALUE)
_ORG_VALUE_OF_BYTE = _lookup(_ORG_VALUE)
_ALPHABET_BYTES = np.frombuffer(ALPHABET.encode("ascii"), dtype=np.uint8)
_ORG_CHECK_BYTES = np.frombuffer(b"0123456789X0", dtype=np.uint8)  # by 11 - total % 11


def _weighted_sum(chars: np.ndarray, values: np.ndarray, weights: list[int]) -> np.ndarray:
    """Per code (row of ``chars``), the sum of each character's value times its weight."""
    total = np.zeros(chars.shape[0], dtype=np.int32)
    for position, weight in enumerate(weights):
        total += values[chars[:, position]] * weight
    return total


def _codes_valid(codes: pl.Series) -> pl.Series:
    """Both check characters of every code, computed with NumPy over the codes' bytes."""
    well_formed = codes.str.contains(f"^[{ALPHABET}]{{18}}$").fill_null(False)
    valid = np.zeros(codes.len(), dtype=bool)
    positions = well_formed.arg_true().to_numpy()
    if positions.size:
        text = codes.gather(positions).str.join("").item()
        chars = np.frombuffer(text.encode("ascii"), dtype=np.uint8).reshape(-1, 18)
        total_32100 = _weighted_sum(chars[:, :17], _VALUE_OF_BYTE, _WEIGHTS_32100)
        total_11714 = _weighted_sum(chars[:, 8:16], _ORG_VALUE_OF_BYTE, _WEIGHTS_11714)
        valid[positions] = (chars[:, 17] == _ALPHABET_BYTES[(31 - total_32100 % 31) % 31]) & (
            chars[:, 16] == _ORG_CHECK_BYTES[11 - total_11714 % 11]
        )
    return pl.Series(codes.name, valid, dtype=pl.Boolean)


def credit_code_is_valid(code: pl.Expr) -> pl.Expr:
    """Vectorised check of both check characters; null or malformed codes are False."""
    return code.map_batches(_codes_valid, return_dtype=pl.Boolean)


#: :func:`normalise_credit_code` as a two-part parser: a code already in upper-case
#: letters and digits only is as normalised (see :class:`sources.parsing.CellParser`).
credit_code_parser = CellParser(
    lambda expr: pl.when(expr.str.contains(r"^[0-9A-Z]+$")).then(expr), _folded, _none_when_empty
)
