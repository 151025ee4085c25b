"""The cell parsers, case by case, as Polars expressions over a String column."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

import polars as pl
import pytest

from schemas.credit_code import credit_code_parser
from sources.extract import Derived, Parsed, PerValue, normalise_columns, parse_columns
from sources.parsing import (
    CellParser,
    fold_text,
    is_unparsed,
    normalise_account,
    normalise_industry_code,
    parse_date,
    parse_flag,
    parse_integer,
    parse_number,
    parse_period,
)
from sources.text import WHITESPACE, blank_to_null, halfwidth_expr, normalise_name_expr


def apply(parser: Callable[[pl.Expr], pl.Expr], *texts: str | None) -> list[object]:
    frame = pl.DataFrame({"text": list(texts)}, schema={"text": pl.String})
    return frame.select(parser(pl.col("text"))).to_series().to_list()


def one(parser: Callable[[pl.Expr], pl.Expr], text: str | None) -> object:
    return apply(parser, text)[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1234", 1234.0),
        ("1,234,567", 1234567.0),
        ("1，234", 1234.0),  # full-width comma
        ("１，２３４．５", 1234.5),  # full-width digits
        ("1 234 567", 1234567.0),
        (" 12.5 ", 12.5),
        ("-8334.55", -8334.55),
        ("−5", -5.0),  # the minus sign U+2212
        ("+5", 5.0),
        (".5", 0.5),
        ("1.23E+07", 12300000.0),
        ("1.5e-3", 0.0015),
        ("(123)", -123.0),
        ("（1,234.50）", -1234.5),
        ("12元", 12.0),
        ("3.5万元", 3.5),
        ("800千元", 800.0),
        ("1,000千瓦时", 1000.0),
        ("12.5%", 12.5),
        ("１２．５％", 12.5),
        ("¥100", 100.0),
        ("32530827.79", 32530827.79),
    ],
)
def test_parse_number_accepts(text: str, expected: float) -> None:
    assert one(parse_number, text) == expected
    assert apply(lambda e: is_unparsed(e, parse_number(e)), text) == [False]


@pytest.mark.parametrize("text", [None, "", "  ", "-", "—", "——", "--", "/", "无数据", "　"])
def test_null_markers_are_null_and_not_unparsed(text: str | None) -> None:
    assert one(parse_number, text) is None
    assert one(lambda e: is_unparsed(e, parse_number(e)), text) is False


@pytest.mark.parametrize(
    "text", ["abc", "12abc", "1,2,3", "1,234,5678", "0x10", "inf", "nan", "1e400", "1.2.3", "元"]
)
def test_parse_number_rejects_and_marks_unparsed(text: str) -> None:
    assert one(parse_number, text) is None
    assert one(lambda e: is_unparsed(e, parse_number(e)), text) is True


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3,793,352", 3793352),
        ("17,962,781", 17962781),
        ("12.0", 12),
        ("1.2E+03", 1200),
        ("-5", -5),
        ("0", 0),
        ("123456789012345678", 123456789012345678),  # exact, not through a float
        ("12.5", None),
        ("abc", None),
        ("-", None),
        (None, None),
    ],
)
def test_parse_integer(text: str | None, expected: int | None) -> None:
    assert one(parse_integer, text) == expected


def test_parse_integer_fraction_is_unparsed_but_blank_is_not() -> None:
    texts = ["12.5", "", "7"]
    frame = pl.DataFrame({"t": texts}).select(
        is_unparsed(pl.col("t"), parse_integer(pl.col("t"))).alias("u"),
        parse_integer(pl.col("t")).alias("v"),
    )
    assert frame.schema["v"] == pl.Int64
    assert frame["u"].to_list() == [True, False, False]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("202203", "2022-03"),
        ("2022-03", "2022-03"),
        ("2022-3", "2022-03"),
        ("2022/03", "2022-03"),
        ("2022年3月", "2022-03"),
        ("2022年 3 月", "2022-03"),
        ("2022.03", "2022-03"),
        ("2022-03-01", "2022-03"),
        ("2022/3/1", "2022-03"),
        ("2022-03-01 00:00:00", "2022-03"),
        ("２０２２０３", "2022-03"),
        ("202203.0", "2022-03"),
        ("202213", None),
        ("2022-00", None),
        ("22-03", None),
        ("March 2022", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_period(text: str | None, expected: str | None) -> None:
    assert one(parse_period, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2015-03-02", dt.date(2015, 3, 2)),
        ("2015/3/2", dt.date(2015, 3, 2)),
        ("2015.3.2", dt.date(2015, 3, 2)),
        ("20150302", dt.date(2015, 3, 2)),
        ("2015年3月2日", dt.date(2015, 3, 2)),
        ("2015-03-02 00:00:00", dt.date(2015, 3, 2)),
        ("42064", dt.date(2015, 3, 1)),  # Excel serial day, 1899-12-30 origin
        ("42065.5", dt.date(2015, 3, 2)),
        ("2015-02-30", None),
        ("20151301", None),
        ("2015", None),  # a year alone is not a serial day
        ("abc", None),
        ("-", None),
        (None, None),
    ],
)
def test_parse_date(text: str | None, expected: dt.date | None) -> None:
    assert one(parse_date, text) == expected


def test_parse_date_type() -> None:
    frame = pl.DataFrame({"t": ["2015-03-02", "42064"]}).select(parse_date(pl.col("t")))
    assert frame.to_series().dtype == pl.Date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("是", True),
        ("否", False),
        (" 是 ", True),
        ("Y", True),
        ("n", False),
        ("Yes", True),
        ("1", True),
        ("0", False),
        ("TRUE", True),
        ("false", False),
        ("ＴＲＵＥ", True),
        ("Ｎ", False),
        ("可能", None),
        ("2", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_flag(text: str | None, expected: bool | None) -> None:
    assert one(parse_flag, text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("610", "0610"),
        ("610.0", "0610"),
        ("0610", "0610"),
        ("3252", "3252"),
        (" 3252 ", "3252"),
        ("３２５２", "3252"),
        ("'0610", "0610"),
        ("C3252", "C3252"),
        ("61", "61"),
        ("", None),
        (None, None),
    ],
)
def test_normalise_industry_code(text: str | None, expected: str | None) -> None:
    assert one(normalise_industry_code, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1619643364", "1619643364"),
        ("0012345678", "0012345678"),
        ("12345678", "0012345678"),
        ("12345678.0", "0012345678"),
        ("1234567890.0", "1234567890"),
        ("'0012345678", "0012345678"),
        ("＇0012345678", "0012345678"),
        (" 1234 567 890 ", "1234567890"),
        ("1.23456789E+09", "1234567890"),
        ("12345678901", "12345678901"),  # too long: left for validation
        ("ABC", "ABC"),
        ("", None),
        (None, None),
    ],
)
def test_normalise_account(text: str | None, expected: str | None) -> None:
    assert one(normalise_account, text) == expected


def test_parsers_are_lazy_expressions() -> None:
    """No Python callbacks: every parser runs inside a lazy query plan."""
    lazy = pl.LazyFrame({"t": ["1", "2022-03", "是"]})
    for parser in (
        parse_number,
        parse_integer,
        parse_period,
        parse_date,
        parse_flag,
        normalise_industry_code,
        normalise_account,
    ):
        plan = lazy.select(parser(pl.col("t"))).explain()
        assert "python" not in plan.lower()


# Cells of every kind: clean ones the anchored patterns take, and messy ones left to the
# full cleaning (separators, units, full-width forms, other date and month forms, blanks).
MIXED = [
    "1234",
    "1,234,567",
    "１２３４",
    " 12.5 ",
    "(123)",
    "12元",
    "待核",
    "-",
    "",
    None,
    "202203",
    "2022-03",
    "2022年3月",
    "2022/03/15",
    "2015-03-02",
    "2015/3/2",
    "20150302",
    "42064",
    "是",
    "否",
    "y",
    "TRUE",
    "610",
    "0610",
    "610.0",
    "0012345678",
    "12345678",
    "1.23456789E+09",
    "'0012345678",
    "91340621MA3HCLE85T",
    "91340621ma3hcle85t",
    "'91340621MA3HCLE85T",
    "１２．５％",
]


@pytest.mark.parametrize(
    "parser",
    [
        parse_number,
        parse_integer,
        parse_period,
        parse_date,
        parse_flag,
        normalise_industry_code,
        normalise_account,
        credit_code_parser,
        fold_text,
    ],
)
def test_parse_columns_gives_the_parsers_values_without_changing_its_input(
    parser: CellParser,
) -> None:
    """A frame parses the clean cells by pattern and only the others by the full cleaning
    (gathered and put back): the same values as the parser's expression, in place."""
    texts = MIXED * 3
    frame = pl.DataFrame(
        {"t": texts, "n": range(len(texts))}, schema={"t": pl.String, "n": pl.Int64}
    )
    expected = frame.select(parser(pl.col("t"))).to_series().to_list()
    parsed = parse_columns(frame, {"t": parser})
    assert parsed.columns == ["t", "n", "t_text"]
    assert parsed["t"].to_list() == expected
    assert parsed["t_text"].to_list() == texts
    assert frame["t"].to_list() == texts  # the input frame is not changed


def test_fold_text_is_blank_to_null() -> None:
    texts = [*MIXED, " 甲 ", "甲\u3000", "\t", "－", "／", "（一厂）", "无数据", "a  b"]
    frame = pl.DataFrame({"t": texts}, schema={"t": pl.String})
    assert parse_columns(frame, {"t": fold_text})["t"].to_list() == (
        frame.select(blank_to_null(pl.col("t"))).to_series().to_list()
    )


def test_a_derived_column_is_computed_from_the_normalised_ones() -> None:
    frame = pl.DataFrame({"name": [" 甲（一厂） ", "-", None, "乙 公司"]})
    result = normalise_columns(
        frame,
        {
            "name_key": Derived(normalise_name_expr(pl.col("name"))),
            "name": Parsed(fold_text, "name"),
        },
    )
    assert result.columns == ["name", "name_key"]
    assert result["name"].to_list() == ["甲(一厂)", None, None, "乙 公司"]
    assert result["name_key"].to_list() == ["甲(一厂)", None, None, "乙公司"]


def test_name_key_folds_width_brackets_and_every_space_in_one_pass() -> None:
    """The one pass of replacements equals folding, then brackets, then removing \\s+."""
    rng = random.Random(20220402)
    alphabet = [chr(c) for c in range(0xFF00, 0xFF62)] + list(WHITESPACE)
    alphabet += [*"【】〔〕[]()甲乙公司ab1 ", "\x1c", "\u200b", "\u3000"]
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 10))) for _ in range(5000)]
    frame = pl.DataFrame({"t": texts})
    stepwise = (
        halfwidth_expr(pl.col("t"))
        .str.replace_many(["【", "】", "〔", "〕"], ["[", "]", "(", ")"])
        .str.replace_all(r"\s+", "")
    )
    assert frame.select(normalise_name_expr(pl.col("t"))).to_series().to_list() == (
        frame.select(stepwise).to_series().to_list()
    )
    spaces = pl.DataFrame({"c": [chr(c) for c in range(0x3001)]}).filter(
        pl.col("c").str.contains(r"^\s$")
    )
    assert sorted(spaces["c"].to_list()) == sorted(WHITESPACE)


def test_a_per_value_column_remembers_values_from_file_to_file() -> None:
    """A column of a few distinct texts is computed once per text and remembered: later
    frames with known, new and missing texts get what the expression gives row by row."""
    period = Parsed(parse_period, "t", few_values=True)
    category = PerValue(blank_to_null(pl.col("t")), "t")
    frames = [
        ["202203", "202203", None, "2022年3月"],
        ["2022-03", "202203", "202204", "待核", None],
        ["202204", "  ", "—", "２０２２０３"],
    ]
    for texts in frames:
        frame = pl.DataFrame({"t": texts}, schema={"t": pl.String})
        result = normalise_columns(frame, {"period": period, "category": category})
        assert (
            result["period"].to_list()
            == frame.select(parse_period(pl.col("t"))).to_series().to_list()
        )
        assert result["category"].to_list() == (
            frame.select(blank_to_null(pl.col("t"))).to_series().to_list()
        )
    assert "202203" in period.memo.values and "待核" in category.memo.values
