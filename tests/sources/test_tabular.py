"""read_table on real files in the agencies' layouts, written to tmp_path by each test."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import pickle
import random
import shutil
from collections.abc import Sequence
from pathlib import Path

import openpyxl
import polars as pl
import pytest
import xlsxwriter

from sources.tabular import (
    ColumnSpec,
    ExtractRefused,
    RawTable,
    _is_calamine_number,
    _renders_as_itself,
    _utf8_head,
    float_text,
    read_table,
)

SAMPLES = Path("/work/shared/extracts/samples")
if not SAMPLES.is_dir():  # the same files are kept with the tests
    SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"

ELECTRICITY = (
    ColumnSpec("account", "户号"),
    ColumnSpec("name", "户名"),
    ColumnSpec("credit_code", "统一社会信用代码", required=False),
    ColumnSpec("category", "用电类别", required=False),
    ColumnSpec("period", "电费年月"),
    ColumnSpec("kwh", "本月用电量（千瓦时）"),
    ColumnSpec("kwh_prior", "上年同月用电量（千瓦时）", required=False),
)
ELECTRICITY_HEADER = [
    "户号",
    "户名",
    "统一社会信用代码",
    "用电类别",
    "电费年月",
    "本月用电量（千瓦时）",
    "上年同月用电量（千瓦时）",
]
REGISTRY = (
    ColumnSpec("credit_code", "统一社会信用代码"),
    ColumnSpec("name", "企业名称"),
    ColumnSpec("industry_code", "行业代码"),
    ColumnSpec("town", "所在乡镇（园区）"),
    ColumnSpec("land_mu", "用地面积（亩）", required=False),
    ColumnSpec("established_on", "成立日期", required=False),
    ColumnSpec("above_scale", "规上企业"),
)
TAX = (
    ColumnSpec("taxpayer_id", "纳税人识别号"),
    ColumnSpec("name", "纳税人名称"),
    ColumnSpec("period", "所属期"),
    ColumnSpec("vat", "增值税"),
    ColumnSpec("total", "税收合计"),
    ColumnSpec("refund", "留抵退税额", required=False),
    ColumnSpec("sales", "应税销售收入", required=False),
)
STATISTICS = (
    ColumnSpec("credit_code", "统一社会信用代码"),
    ColumnSpec("name", "单位详细名称"),
    ColumnSpec("region_code", "区划代码"),
    ColumnSpec("output_ytd", "工业总产值（千元）", sub_header="本年累计"),
    ColumnSpec("output_prior", "工业总产值（千元）", sub_header="上年同期"),
    ColumnSpec("profit_ytd", "利润总额（千元）", sub_header="本年累计"),
    ColumnSpec("profit_prior", "利润总额（千元）", sub_header="上年同期"),
    ColumnSpec("employees", "从业人员平均人数（人）"),
    ColumnSpec("energy_prior", "综合能源消费量（吨标准煤）", sub_header="上年同期"),
    ColumnSpec("missing_opt", "研发费用（千元）", required=False, sub_header="本年累计"),
)
ROW_A = ["1000000001", "甲公司", "91340621MA0000001X", "大工业用电", "202203", "1,200", "1000"]
ROW_B = ["0000000002", "乙公司", "", "大工业用电", "202203", "300", ""]


# ---------------------------------------------------------------------------- helpers


def write_csv(
    path: Path,
    rows: Sequence[Sequence[object]],
    encoding: str = "gbk",
    newline: str = "\r\n",
) -> Path:
    """Rows as CSV text (Windows line ends, as Excel saves it) in ``encoding``."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=newline).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def csv_text_of(rows: Sequence[Sequence[object]]) -> str:
    """Rows as CSV text with Windows line ends."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def write_xlsx(path: Path, rows: dict[int, Sequence[object]]) -> Path:
    """A workbook whose first sheet has ``rows`` at the given 1-based Excel rows (openpyxl)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row_number, values in rows.items():
        for column, value in enumerate(values, start=1):
            if value is not None:
                sheet.cell(row=row_number, column=column, value=value)
    workbook.save(path)
    return path


def raw(table: RawTable, index: int) -> dict[str, str | None]:
    """The raw JSON (header -> cell as delivered) of the frame's row ``index``."""
    row_number = table.frame["row_number"].slice(index, 1)
    return json.loads(table.cells.raw(row_number)["raw"].item())


def column(table: RawTable, name: str) -> list[str | None]:
    return table.frame[name].to_list()


def refusal(path: Path, columns: Sequence[ColumnSpec], **kwargs: object) -> str:
    with pytest.raises(ExtractRefused) as caught:
        read_table(path, columns, **kwargs)  # type: ignore[arg-type]
    message = str(caught.value)
    assert message.startswith(f"{path.name}: ")
    assert caught.value.path == path
    assert message == f"{path.name}: {caught.value.reason}"
    return message


def assert_rows_match_openpyxl(path: Path, table: RawTable, canonical: str, header: str) -> None:
    """Each frame row's cell equals what openpyxl sees at that Excel row (text cells only)."""
    sheet = openpyxl.load_workbook(path).worksheets[0]
    header_column = next(
        cell.column
        for row in sheet.iter_rows(max_row=30)
        for cell in row
        if isinstance(cell.value, str) and cell.value.strip() == header
    )
    for row_number, value in zip(
        column(table, "row_number"), column(table, canonical), strict=True
    ):
        assert sheet.cell(row=row_number, column=header_column).value == value


# ---------------------------------------------------------------------------- the samples


def test_gbk_electricity_sample_with_total_row(tmp_path: Path) -> None:
    path = tmp_path / "electricity_202203.csv"
    shutil.copy(SAMPLES / "electricity_202203.csv", path)
    table = read_table(path, ELECTRICITY, total_label_columns=("account", "name"))

    assert table.encoding == "gbk"
    assert table.frame.columns == ["row_number", *(s.canonical for s in ELECTRICITY)]
    assert table.frame.schema["row_number"] == pl.Int64
    assert column(table, "row_number") == list(range(2, 10))
    assert column(table, "account")[0] == "1619643364"
    assert column(table, "kwh")[0] == "3,793,352"
    assert column(table, "credit_code")[1] is None  # blank in the file
    assert "合计" not in column(table, "name")
    assert table.total_row is not None
    assert table.total_row["kwh"] == "17,962,781"
    assert table.total_row["name"] == "合计"
    assert table.total_row["account"] is None
    assert table.total_row["row_number"] == "10"
    assert table.headers == tuple(ELECTRICITY_HEADER)
    assert table.preamble == ()
    assert raw(table, 0)["本月用电量（千瓦时）"] == "3,793,352"
    assert raw(table, 0)["户名"] == "淮北恒润铝箔科技有限公司"


def test_utf8_bom_registry_sample(tmp_path: Path) -> None:
    path = tmp_path / "registry_2022-03.csv"
    shutil.copy(SAMPLES / "registry_2022-03.csv", path)
    table = read_table(path, REGISTRY)

    assert table.encoding == "utf-8-sig"
    assert table.headers[0] == "统一社会信用代码"  # no byte-order mark left on it
    assert column(table, "row_number")[0] == 2
    assert column(table, "credit_code")[0] == "91340621MAEH9J1G6T"
    assert column(table, "established_on")[0] == "2004/9/21"
    assert column(table, "land_mu")[1] == "23.0"  # as delivered, not re-formatted
    assert table.total_row is None
    assert "经营状态" in raw(table, 0)  # extra columns are kept in raw
    assert "operating_status" not in table.frame.columns


def test_tax_sample_header_in_row_3(tmp_path: Path) -> None:
    path = tmp_path / "tax_2022-03.xlsx"
    shutil.copy(SAMPLES / "tax_2022-03.xlsx", path)
    table = read_table(path, TAX)

    assert table.encoding is None
    assert table.preamble == ("濉溪县工业企业税收入库明细（2022年3月）", "单位：元")
    assert column(table, "row_number") == [4, 5, 6, 7, 8, 9]
    assert column(table, "sales")[1] == "32530827.79"
    assert column(table, "vat")[0] == "863414.7"
    assert column(table, "vat")[5] == "-8334.55"
    assert column(table, "refund")[0] == "0"
    assert column(table, "period")[0] == "2022-03"
    assert_rows_match_openpyxl(path, table, "taxpayer_id", "纳税人识别号")
    assert raw(table, 1)["应税销售收入"] == "32530827.79"
    assert raw(table, 1)["企业所得税"] == "270633.31"


def test_statistics_sample_two_row_header(tmp_path: Path) -> None:
    path = tmp_path / "statistics_2022-03.xlsx"
    shutil.copy(SAMPLES / "statistics_2022-03.xlsx", path)
    table = read_table(path, STATISTICS, header_rows=2)

    assert table.preamble == ("濉溪县规模以上工业企业主要经济指标（2022年1-3月）",)
    # Rows 4-8 are data, row 9 is blank and row 10 is the 注： note.
    assert column(table, "row_number") == [4, 5, 6, 7, 8]
    assert column(table, "output_ytd")[0] == "368435"
    assert column(table, "output_prior")[0] == "359496"
    assert column(table, "profit_ytd")[0] == "-2749"
    assert column(table, "profit_prior")[0] == "-2691"
    assert column(table, "employees")[0] == "1201"
    assert column(table, "energy_prior")[0] == "1726.3"
    assert column(table, "region_code")[0] == "340621400000"
    assert column(table, "missing_opt") == [None] * 5
    assert "工业总产值（千元）/本年累计" in table.headers
    assert "从业人员平均人数（人）" in table.headers
    assert raw(table, 0)["综合能源消费量（吨标准煤）/本年累计"] == "4215.4"
    assert table.total_row is None
    assert_rows_match_openpyxl(path, table, "credit_code", "统一社会信用代码")


# ---------------------------------------------------------------------------- encodings


def test_gb18030_only_characters_are_detected(tmp_path: Path) -> None:
    name = "㐀𠀀新材料有限公司"
    with pytest.raises(UnicodeEncodeError):
        name.encode("gbk")
    path = write_csv(
        tmp_path / "e.csv", [ELECTRICITY_HEADER, [*ROW_A[:1], name, *ROW_A[2:]]], "gb18030"
    )
    table = read_table(path, ELECTRICITY)
    assert table.encoding == "gb18030"
    assert column(table, "name") == [name]


def test_plain_utf8_and_unix_line_ends(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [ELECTRICITY_HEADER, ROW_A, ROW_B], "utf-8", "\n")
    table = read_table(path, ELECTRICITY)
    assert table.encoding == "utf-8"
    assert column(table, "row_number") == [2, 3]
    assert column(table, "account") == ["1000000001", "0000000002"]


def test_a_file_that_is_utf8_only_in_its_first_megabytes_is_read_as_gbk(tmp_path: Path) -> None:
    """A UTF-8 file is read from its bytes after a look at its start; bytes further on
    that are not UTF-8 send it to the decoding of the whole file, as before."""
    columns = (ColumnSpec("account", "account"), ColumnSpec("name", "name"))
    rows = [["account", "name"], *([["1000000001", "a"]] * 320_000), ["0000000002", "乙公司"]]
    text = csv_text_of(rows)
    assert len(text.split("乙公司")[0].encode("utf-8")) > 4_000_004
    path = tmp_path / "e.csv"
    path.write_bytes(text.encode("gbk"))
    table = read_table(path, columns)
    assert table.encoding == "gbk"
    assert column(table, "name")[-1] == "乙公司"
    assert column(table, "row_number")[-1] == 320_002
    path.write_bytes(text.encode("utf-8"))
    again = read_table(path, columns)
    assert again.encoding == "utf-8" and column(again, "name")[-1] == "乙公司"


def test_the_utf8_look_at_a_files_start_leaves_out_a_character_cut_at_its_end() -> None:
    data = ("a" * 9 + "合计").encode("utf-8")  # 合 is bytes 9-11
    assert _utf8_head(data, 10) == "a" * 9
    assert _utf8_head(data, 12) == "a" * 9 + "合"
    assert _utf8_head(data, 100) == "a" * 9 + "合计"
    assert _utf8_head(b"a\xff" + data, 10) is None


def test_utf16_file_is_refused(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [ELECTRICITY_HEADER, ROW_A], "utf-16")
    message = refusal(path, ELECTRICITY)
    assert "encoding is not UTF-8, GBK or GB18030" in message


def test_utf16_without_bom_is_refused(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [ELECTRICITY_HEADER, ROW_A], "utf-16-le")
    assert "encoding" in refusal(path, ELECTRICITY)


def test_binary_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_bytes(bytes(range(256)) * 4)
    assert "encoding" in refusal(path, ELECTRICITY)


# ---------------------------------------------------------------------------- layout


def test_half_width_brackets_spaces_extra_and_reordered_columns(tmp_path: Path) -> None:
    header = [
        "本月用电量(千瓦时)",
        " 户号 ",
        "备用列",
        "电费年月",
        "户名",
        "上年同月用电量 (千瓦时)",
    ]
    rows = [header, ["1,200", "1000000001", "x", "202203", "甲公司", "1000"]]
    table = read_table(write_csv(tmp_path / "e.csv", rows), ELECTRICITY)
    assert table.frame.row(0, named=True) == {
        "row_number": 2,
        "account": "1000000001",
        "name": "甲公司",
        "credit_code": None,
        "category": None,
        "period": "202203",
        "kwh": "1,200",
        "kwh_prior": "1000",
    }
    assert raw(table, 0) == {
        "本月用电量(千瓦时)": "1,200",
        "户号": "1000000001",
        "备用列": "x",
        "电费年月": "202203",
        "户名": "甲公司",
        "上年同月用电量 (千瓦时)": "1000",
    }
    assert table.headers == (
        "本月用电量(千瓦时)",
        "户号",
        "备用列",
        "电费年月",
        "户名",
        "上年同月用电量 (千瓦时)",
    )


def test_aliases_are_accepted(tmp_path: Path) -> None:
    columns = (ColumnSpec("kwh", "本月用电量（千瓦时）", aliases=("本月用电量",)),)
    table = read_table(write_csv(tmp_path / "e.csv", [["本月用电量"], ["5"]]), columns)
    assert column(table, "kwh") == ["5"]


def test_title_rows_above_csv_header_and_notes_below(tmp_path: Path) -> None:
    rows: list[list[str]] = [
        ["濉溪县工业用户月度电量（2022年3月）"],
        ["单位：千瓦时", ""],
        ELECTRICITY_HEADER,
        ROW_A,
        ["", "", "", "", "", "", ""],
        [],
        ROW_B,
        ["注：本表由供电公司提供。"],
        ["制表人：张三", "", "审核：李四"],
        ["", "合计", "", "", "", "1,500", ""],
    ]
    table = read_table(write_csv(tmp_path / "e.csv", rows), ELECTRICITY)
    assert table.preamble == ("濉溪县工业用户月度电量（2022年3月）", "单位：千瓦时")
    assert column(table, "row_number") == [4, 7]
    assert column(table, "account") == ["1000000001", "0000000002"]
    assert table.total_row is not None
    assert table.total_row["row_number"] == "10"
    assert table.total_row["kwh"] == "1,500"


@pytest.mark.parametrize("blank_in_the_middle", [False, True])
def test_rows_left_out_at_the_start_middle_and_end_keep_cells_and_raw_aligned(
    tmp_path: Path, blank_in_the_middle: bool
) -> None:
    """Blank rows right under the header and notes and the total at the end are left out
    (a slice of the rows); a blank row between data rows too (a filter): either way each
    kept row's raw is its own delivered cells."""
    row_c = ["1000000003", " 丙公司 ", "", "大工业用电", "202203", "3", ""]
    rows: list[Sequence[str]] = [
        ELECTRICITY_HEADER,
        [],
        ["", "", "", "", "", "", ""],
        ROW_A,
        *([[" "]] if blank_in_the_middle else []),
        ROW_B,
        row_c,
        ["注：本表由供电公司提供。"],
        ["", "合计", "", "", "", "1,503", ""],
    ]
    table = read_table(write_csv(tmp_path / "e.csv", rows), ELECTRICITY)
    middle = 1 if blank_in_the_middle else 0
    assert column(table, "row_number") == [4, 5 + middle, 6 + middle]
    assert column(table, "name") == ["甲公司", "乙公司", "丙公司"]
    for index, delivered in enumerate([ROW_A, ROW_B, row_c]):
        assert raw(table, index) == {
            header: cell or None for header, cell in zip(ELECTRICITY_HEADER, delivered, strict=True)
        }
    assert table.total_row is not None and table.total_row["kwh"] == "1,503"


def test_a_row_with_a_note_prefix_but_data_is_kept(tmp_path: Path) -> None:
    row = ["1000000003", "注塑科技有限公司", "", "大工业用电", "202203", "10", ""]
    table = read_table(write_csv(tmp_path / "e.csv", [ELECTRICITY_HEADER, row]), ELECTRICITY)
    assert column(table, "name") == ["注塑科技有限公司"]


def test_quoted_newline_keeps_later_row_numbers_on_their_lines(tmp_path: Path) -> None:
    rows = [ELECTRICITY_HEADER, ["1000000001", "甲公司\n一分厂", "", "", "202203", "1", ""], ROW_B]
    table = read_table(write_csv(tmp_path / "e.csv", rows), ELECTRICITY)
    assert column(table, "row_number") == [2, 4]
    assert column(table, "name")[0] == "甲公司\n一分厂"


def test_ragged_and_malformed_rows_fall_back_and_keep_line_numbers(tmp_path: Path) -> None:
    body = "\r\n".join(
        [
            ",".join(ELECTRICITY_HEADER),
            *[",".join(ROW_B) for _ in range(250)],
            '1000000005,5"寸钢管厂,,,202203,7,,extra',
            "",
        ]
    )
    path = tmp_path / "e.csv"
    path.write_bytes(body.encode("gbk"))
    table = read_table(path, ELECTRICITY)
    assert table.frame.height == 251
    assert column(table, "row_number")[-1] == 252
    assert column(table, "name")[-1] == '5"寸钢管厂'
    assert column(table, "kwh")[-1] == "7"


def test_total_row_only_looked_for_in_label_columns(tmp_path: Path) -> None:
    row = ["1000000003", "甲公司", "", "合计", "202203", "10", ""]
    path = write_csv(tmp_path / "e.csv", [ELECTRICITY_HEADER, row])
    assert read_table(path, ELECTRICITY).total_row is not None
    table = read_table(path, ELECTRICITY, total_label_columns=("account", "name"))
    assert table.total_row is None
    assert column(table, "category") == ["合计"]


def test_total_label_with_spaces(tmp_path: Path) -> None:
    rows = [ELECTRICITY_HEADER, ROW_A, ["", "合　计", "", "", "", "1,200", ""]]
    table = read_table(write_csv(tmp_path / "e.csv", rows), ELECTRICITY)
    assert table.frame.height == 1
    assert table.total_row is not None and table.total_row["kwh"] == "1,200"


def test_two_total_rows_are_refused(tmp_path: Path) -> None:
    total = ["", "合计", "", "", "", "1", ""]
    path = write_csv(
        tmp_path / "e.csv", [ELECTRICITY_HEADER, ROW_A, total, ["", "总计"] + [""] * 5]
    )
    message = refusal(path, ELECTRICITY)
    assert "total" in message and "rows 3, 4" in message


def test_csv_two_row_header_with_repeated_group(tmp_path: Path) -> None:
    rows = [
        ["统一社会信用代码", "工业总产值（千元）", "工业总产值（千元）", "营业收入（千元）", ""],
        ["统一社会信用代码", "本年累计", "上年同期", "本年累计", "上年同期"],
        ["91340621MA0000001X", "10", "9", "8", "7"],
    ]
    columns = (
        ColumnSpec("code", "统一社会信用代码"),
        ColumnSpec("output_ytd", "工业总产值(千元)", sub_header="本年累计"),
        ColumnSpec("output_prior", "工业总产值（千元）", sub_header="上年同期"),
        ColumnSpec("revenue_prior", "营业收入（千元）", sub_header="上年同期"),
    )
    table = read_table(write_csv(tmp_path / "s.csv", rows, "utf-8"), columns, header_rows=2)
    assert table.frame.row(0) == (3, "91340621MA0000001X", "10", "9", "7")
    assert table.headers[-1] == "营业收入（千元）/上年同期"


# ---------------------------------------------------------------------------- refusals


def test_missing_required_column_names_file_column_and_headers(tmp_path: Path) -> None:
    header = [h for h in ELECTRICITY_HEADER if h != "本月用电量（千瓦时）"]
    path = write_csv(tmp_path / "electricity_202203.csv", [["标题"], header, ROW_A[:6]])
    message = refusal(path, ELECTRICITY)
    assert "electricity_202203.csv" in message
    assert "本月用电量（千瓦时）" in message
    assert "row 2" in message
    assert "户号, 户名, 统一社会信用代码, 用电类别, 电费年月, 上年同月用电量（千瓦时）" in message


def test_header_below_the_scanned_rows_is_refused(tmp_path: Path) -> None:
    rows = [[f"说明第{i}行"] for i in range(31)] + [ELECTRICITY_HEADER, ROW_A]
    assert "not found" in refusal(write_csv(tmp_path / "e.csv", rows), ELECTRICITY)


def test_duplicate_required_header_is_refused(tmp_path: Path) -> None:
    rows = [[*ELECTRICITY_HEADER, "户号"], [*ROW_A, "1000000009"]]
    message = refusal(write_csv(tmp_path / "e.csv", rows), ELECTRICITY)
    assert "户号" in message and "columns 1, 8" in message


@pytest.mark.parametrize("content", [b"", b"\r\n\r\n", b"  \n,,,\n", b"\xef\xbb\xbf"])
def test_empty_csv_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "e.csv"
    path.write_bytes(content)
    assert refusal(path, ELECTRICITY).endswith("file is empty")


def test_empty_xlsx_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    workbook.add_worksheet()
    workbook.close()
    assert refusal(path, TAX).endswith("file is empty")


def test_statistics_spec_on_a_one_row_header_names_the_sub_column(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "s.xlsx",
        {
            1: [
                "统一社会信用代码",
                "单位详细名称",
                "区划代码",
                "工业总产值（千元）",
                "利润总额（千元）",
                "从业人员平均人数（人）",
                "综合能源消费量（吨标准煤）",
            ],
            2: ["91340621MA0000001X", "甲", "340621400000", 1, 2, 3, 4],
        },
    )
    message = refusal(path, STATISTICS, header_rows=2)
    assert "工业总产值（千元）" in message and "本年累计" in message


def test_xlsx_that_is_not_the_extract_is_refused(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "tax.xlsx", {1: ["姓名", "电话"], 2: ["张三", 13800000000]})
    message = refusal(path, TAX)
    assert "纳税人识别号" in message and "姓名, 电话" in message


def test_file_that_is_not_a_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "tax.xlsx"
    path.write_text("纳税人识别号,纳税人名称\n", encoding="utf-8")
    assert "not a readable Excel workbook" in refusal(path, TAX)


def test_unknown_file_type_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "tax.pdf"
    path.write_bytes(b"%PDF-1.4")
    assert ".pdf" in refusal(path, TAX)


def test_refusal_survives_pickling(tmp_path: Path) -> None:
    refused = ExtractRefused(tmp_path / "a.csv", "file is empty")
    copy = pickle.loads(pickle.dumps(refused))
    assert (str(copy), copy.path, copy.reason) == (
        "a.csv: file is empty",
        refused.path,
        "file is empty",
    )


# ---------------------------------------------------------------------------- xlsx cells


def test_xlsx_blank_rows_keep_excel_row_numbers(tmp_path: Path) -> None:
    header = ["纳税人识别号", "纳税人名称", "所属期", "增值税", "税收合计"]
    path = write_xlsx(
        tmp_path / "tax.xlsx",
        {
            3: ["单位：元"],  # rows 1-2 are entirely empty
            5: header,
            6: ["91340621MA0000001X", "甲", "2022-03", 1.5, 2],
            8: ["91340621MA0000002X", "乙", "2022-03", 3, 4],
            9: [None, "   "],
            11: ["91340621MA0000003X", "丙", "2022-03", "1,234.50", "-"],
            13: ["制表人：张三"],
        },
    )
    table = read_table(path, TAX)
    assert table.preamble == ("单位：元",)
    assert column(table, "row_number") == [6, 8, 11]
    assert column(table, "vat") == ["1.5", "3", "1,234.50"]
    assert column(table, "total") == ["2", "4", "-"]
    assert_rows_match_openpyxl(path, table, "taxpayer_id", "纳税人识别号")


def test_xlsx_cell_types_become_delivered_text(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    time_format = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    sheet.write_row(0, 0, ["户号", "行业代码", "金额", "成立日期", "标志", "备注"])
    sheet.write_string(1, 0, "0012345678")
    sheet.write_number(1, 1, 610)
    sheet.write_number(1, 2, 32530827.79)
    sheet.write_datetime(1, 3, dt.datetime(2015, 3, 2), date_format)
    sheet.write_boolean(1, 4, True)
    sheet.write_string(1, 5, "12.50")
    sheet.write_number(2, 0, 12345678)
    sheet.write_string(2, 1, "0610")
    sheet.write_number(2, 2, 1 / 3)
    sheet.write_datetime(2, 3, dt.datetime(2015, 3, 2, 13, 4, 5), time_format)
    sheet.write_boolean(2, 4, False)
    sheet.write_string(2, 5, "true")
    sheet.write_number(3, 2, -0.5)
    sheet.write_string(3, 3, "2015/3/2")
    sheet.write_number(3, 5, 7)
    workbook.close()
    columns = (
        ColumnSpec("account", "户号", required=False),
        ColumnSpec("industry", "行业代码"),
        ColumnSpec("amount", "金额"),
        ColumnSpec("founded", "成立日期"),
        ColumnSpec("flag", "标志"),
        ColumnSpec("remark", "备注"),
    )
    table = read_table(path, columns)
    assert table.frame.rows() == [
        (2, "0012345678", "610", "32530827.79", "2015-03-02", "TRUE", "12.50"),
        (3, "12345678", "0610", repr(1 / 3), "2015-03-02 13:04:05", "FALSE", "true"),
        (4, None, None, "-0.5", "2015/3/2", None, "7"),
    ]


def test_a_short_calamine_number_is_its_own_shortest_text() -> None:
    """A number column's calamine text is kept as it is when short (at most 15
    characters, not below 1e-4, not -0): float_text of its value would give it back."""
    rng = random.Random(20220401)
    texts = ["0", "7", "-12.5", "0.0001", "0.1", "0.3", "123456789012345", "99999.99999999"]
    for _ in range(20000):
        whole = str(rng.randint(0, 10 ** rng.randint(0, 14)))
        fraction = "".join(rng.choice("0123456789") for _ in range(rng.randint(0, 9)))
        fraction = fraction.rstrip("0")
        sign = "-" if rng.random() < 0.3 else ""
        texts.append(sign + whole + ("." + fraction if fraction else ""))
    series = pl.Series("s", texts)
    kept = series.filter(_is_calamine_number(series) & _renders_as_itself(series))
    assert kept.len() > 10000
    rendered = kept.to_frame().select(float_text(pl.col("s").cast(pl.Float64))).to_series()
    assert rendered.to_list() == kept.to_list()
    assert not _renders_as_itself(pl.Series(["-0", "0.00001", "1234567890123456"])).any()


def test_float_text_is_python_repr() -> None:
    rng = random.Random(20220331)
    values = [0.1, 1 / 3, 32530827.79, -8334.55, 1e-7, 1.5e-5, 2.5e-5, 0.0001, 1e16, 1.5e17, 5e-324]
    values += [rng.uniform(-1e9, 1e9) for _ in range(500)]
    values += [rng.random() * 10 ** rng.randint(-12, 22) for _ in range(500)]
    values += [round(rng.uniform(-1e8, 1e8), 2) for _ in range(500)]
    texts = pl.DataFrame({"x": values}).select(float_text(pl.col("x"))).to_series().to_list()
    for value, text in zip(values, texts, strict=True):
        expected = str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
        assert text == expected
        assert math.isclose(float(text), value, rel_tol=0, abs_tol=0)
    whole = pl.DataFrame({"x": [610.0, -0.0, 1e15]}).select(float_text(pl.col("x"))).to_series()
    assert whole.to_list() == ["610", "0", "1000000000000000"]
