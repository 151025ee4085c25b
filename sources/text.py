"""Text normalisation shared by every reader: full-width forms, spaces, brackets, nulls."""

from __future__ import annotations

import polars as pl

# Full-width ASCII (U+FF01..U+FF5E) maps to ASCII by subtracting 0xFEE0; U+3000 is a space.
_FULLWIDTH = [chr(c) for c in range(0xFF01, 0xFF5F)] + ["\u3000"]
_HALFWIDTH = [chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)] + [" "]
_HALFWIDTH_TABLE = str.maketrans(dict(zip(_FULLWIDTH, _HALFWIDTH, strict=True)))

#: Cell texts that mean "nothing here" in the agencies' files.
NULL_MARKERS = ("", "-", "—", "——", "--", "/", "无数据")


def halfwidth(text: str) -> str:
    """Fold full-width ASCII forms and the ideographic space to their ASCII equivalents."""
    return text.translate(_HALFWIDTH_TABLE)


def halfwidth_expr(expr: pl.Expr) -> pl.Expr:
    """The Polars form of :func:`halfwidth`, vectorised over a string column."""
    return expr.str.replace_many(_FULLWIDTH, _HALFWIDTH)


def normalise_label(text: str) -> str:
    """Fold a header or place name for matching: half-width, no spaces, ASCII brackets."""
    folded = halfwidth(text)
    folded = folded.replace("【", "[").replace("】", "]").replace("〔", "(").replace("〕", ")")
    return "".join(folded.split())


#: Unicode White_Space: what ``\s`` matches and ``strip_chars()`` strips in Polars.
WHITESPACE = (
    *"\t\n\x0b\x0c\r \x85\xa0\u1680",
    *(chr(c) for c in range(0x2000, 0x200B)),
    *"\u2028\u2029\u202f\u205f\u3000",
)
# Full-width forms to ASCII, brackets to ASCII, whitespace removed: one character each, so
# one pass of replacements is the same as folding, then brackets, then removing spaces.
_NAME_FROM = [*_FULLWIDTH[:-1], "【", "】", "〔", "〕", *WHITESPACE]
_NAME_TO = [*_HALFWIDTH[:-1], "[", "]", "(", ")", *([""] * len(WHITESPACE))]


def normalise_name_expr(expr: pl.Expr) -> pl.Expr:
    """The Polars form of :func:`normalise_label`, for names matched across extracts:
    half-width, ASCII brackets, no whitespace (in one pass over the text)."""
    return expr.str.replace_many(_NAME_FROM, _NAME_TO)


def blank_to_null(expr: pl.Expr) -> pl.Expr:
    """Trim a text cell and turn the null markers (blank, `-`, `—`) into null."""
    # One chain, no branch: an expression used twice would be evaluated twice.
    return halfwidth_expr(expr).str.strip_chars().replace(list(NULL_MARKERS), None)
