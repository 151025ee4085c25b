"""The unified social credit code (GB 32100-2015) and its two check characters.

Character 18 checks characters 1-17 (GB 32100); character 17 is itself the check
digit of the embedded organisation code (GB 11714) over characters 9-16. Both are
verified, vectorised in Polars, after the text has been normalised by
:func:`normalise_credit_code`.
"""

from __future__ import annotations

import polars as pl

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


def normalise_credit_code(expr: pl.Expr) -> pl.Expr:
    """Normalise a code as typed by people: width, case, spaces, a leading apostrophe."""
    folded = halfwidth_expr(expr).str.to_uppercase().str.replace_all(r"[\s\-]", "")
    folded = folded.str.strip_chars_start("'‘’`")
    return pl.when(folded == "").then(None).otherwise(folded)


def _char_values(code: pl.Expr, position: int, table: dict[str, int]) -> pl.Expr:
    return code.str.slice(position, 1).replace_strict(table, default=None, return_dtype=pl.Int64)


def credit_code_is_valid(code: pl.Expr) -> pl.Expr:
    """Vectorised check of both check characters; null or malformed codes are False."""
    well_formed = code.str.contains(f"^[{ALPHABET}]{{18}}$")
    gb32100 = pl.sum_horizontal(
        [_char_values(code, i, _VALUE) * w for i, w in enumerate(_WEIGHTS_32100)]
    )
    expected_18 = ((31 - gb32100 % 31) % 31).replace_strict(
        dict(enumerate(ALPHABET)), default=None, return_dtype=pl.String
    )
    gb11714 = pl.sum_horizontal(
        [_char_values(code, 8 + i, _ORG_VALUE) * w for i, w in enumerate(_WEIGHTS_11714)]
    )
    org = 11 - gb11714 % 11
    expected_17 = (
        pl.when(org == 10)
        .then(pl.lit("X"))
        .when(org == 11)
        .then(pl.lit("0"))
        .otherwise(org.cast(pl.String))
    )
    return (
        well_formed.fill_null(False)
        & (code.str.slice(17, 1) == expected_18).fill_null(False)
        & (code.str.slice(16, 1) == expected_17).fill_null(False)
    )
