"""A province-sized month (and the month before it) in the agencies' real formats.

``python -m bench.generate --scale 1 --out var/bench/landing-1`` writes, for 2022-02 (the
history month) and 2022-03 (the measured month), at scale 1:

- registry: 400,000 enterprises, CSV UTF-8 with a byte-order mark and CRLF (the bureau's
  "CSV UTF-8" save), header in row 1;
- electricity: 1,000,000 metering accounts as GBK CSV split across ten supply stations,
  each file closing with a 合计 control-total row;
- tax: 300,000 taxpayers, ``.xlsx`` with a title row, ``单位：元`` and the header in row 3,
  amounts as numbers (some as text with thousands separators), a 合计 row;
- statistics: 50,000 above-scale enterprises, ``.xlsx`` with a title naming the period, a
  two-row merged header (本年累计 / 上年同期), money in 千元, a 注 row under the table.

The mess is the real kind in small proportions: invalid check characters, lower-case and
apostrophe-prefixed codes, industry codes that lost their leading zero, former town names,
thousands separators, ``-`` for nothing, non-numeric cells, rows of another month, exact
and conflicting duplicates, individual businesses (92…) among taxpayers, blank and mistyped
codes on electricity rows (resolved by account history or by name).

Reference data: the warehouse knows one county's 14 regions (``warehouse/reference``); a
province-sized register reuses those towns and parks, ~28,000 enterprises each at scale 1.
Credit codes draw their registering division (characters 3-8) from several Anhui counties.

Everything is drawn from ``numpy.random.default_rng`` seeded per source and month, so the
same seed and scale write the same bytes. Writers are the fast ones: Polars ``write_csv``
then ``str.encode``, xlsxwriter in ``constant_memory`` mode.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import numpy as np
import polars as pl
import xlsxwriter

from schemas.credit_code import ALPHABET
from warehouse.reference import industry_rows, region_name_rows, region_rows

#: The month loaded first (history: account codes, register versions, year to date) and the
#: month the benchmark measures.
HISTORY, MEASURED = "2022-02", "2022-03"
PERIODS = (HISTORY, MEASURED)
SEED = 20220

#: Rows at scale 1.
ENTERPRISES = 400_000
ACCOUNTS = 1_000_000
TAXPAYERS = 300_000
STATISTICS_ROWS = 50_000
STATIONS = 10
MANIFEST = "bench-manifest.json"

#: Registering divisions (characters 3-8 of a credit code) of some Anhui counties.
DIVISIONS = (340621, 340602, 340603, 340604, 341221, 341222, 341225, 341226, 340321, 340322)

_PLACES = list("皖淮濉徐宿蚌亳阜六合芜铜池宣滁黄安庆临泉颍界首利辛蒙城涡阳怀远固镇五河凤台寿")
_WORDS_A = list("华鑫盛泰丰源恒宏达信康德隆兴瑞祥裕博安通远航宇辰星昌荣金银新海天地龙凯")
_WORDS_B = list("科创力顺益诚明正合美利嘉佳卓越精工品优同和立行汇聚启晟亿万众成业彩翔")
_TRADES = (
    "机械", "纺织", "食品", "建材", "电子", "化工", "新材料", "服饰", "包装", "塑业",
    "木业", "家具", "药业", "五金", "铸造", "汽车部件", "电气", "光电", "印务", "农产品",
    "饲料", "酒业", "纸业", "能源",
)  # fmt: skip
_SUFFIXES = ("有限公司", "有限责任公司", "股份有限公司")
_WEIGHTS_11714 = np.array([3, 7, 9, 10, 5, 8, 4, 2])
_WEIGHTS_32100 = np.array([pow(3, i, 31) for i in range(17)])
_ALPHABET_BYTES = np.frombuffer(ALPHABET.encode(), dtype=np.uint8)


@dataclass(frozen=True)
class Sizes:
    """Rows per source at one scale."""

    enterprises: int
    accounts: int
    taxpayers: int
    statistics: int

    @classmethod
    def at(cls, scale: float) -> Sizes:
        """The province month times ``scale``."""
        return cls(
            *(
                max(50, round(n * scale))
                for n in (ENTERPRISES, ACCOUNTS, TAXPAYERS, STATISTICS_ROWS)
            )
        )


def _rng(seed: int, source: str, month: int) -> np.random.Generator:
    return np.random.default_rng([seed, sum(source.encode()), month])


# --------------------------------------------------------------------------------------------
# Credit codes, vectorised (GB 32100 over GB 11714)


def credit_codes(category: int, divisions: np.ndarray, bodies: np.ndarray) -> np.ndarray:
    """Valid 18-character codes: ``category`` (91, 92…), 6-digit division, 8-digit body."""
    n = len(bodies)
    digits = np.empty((n, 16), dtype=np.int64)
    digits[:, 0], digits[:, 1] = category // 10, category % 10
    for k in range(6):
        digits[:, 2 + k] = divisions // 10 ** (5 - k) % 10
    for k in range(8):
        digits[:, 8 + k] = bodies // 10 ** (7 - k) % 10
    org = 11 - (digits[:, 8:16] @ _WEIGHTS_11714) % 11
    org_char = np.where(org == 10, ord("X"), np.where(org == 11, ord("0"), ord("0") + org))
    org_value = np.where(org == 10, ALPHABET.index("X"), np.where(org == 11, 0, org))
    values = np.concatenate([digits, org_value[:, None]], axis=1)
    check = (31 - (values @ _WEIGHTS_32100) % 31) % 31
    chars = np.empty((n, 18), dtype=np.uint8)
    chars[:, :16] = digits + ord("0")
    chars[:, 16] = org_char
    chars[:, 17] = _ALPHABET_BYTES[check]
    return chars.view("S18").ravel().astype(str)


def mistype(codes: np.ndarray) -> np.ndarray:
    """The same codes with character 18 changed: both check characters no longer agree."""
    last = np.array([c[-1] for c in codes])
    other = np.where(last == "0", "1", "0")
    return np.array([c[:-1] + o for c, o in zip(codes, other, strict=True)])


def _grouped(values: np.ndarray, decimals: int = 0) -> list[str]:
    return [f"{v:,.{decimals}f}" for v in values]


def _scatter(series: pl.Series, mask: np.ndarray, texts: list[str] | str) -> pl.Series:
    """``series`` with the cells where ``mask`` is true replaced by ``texts``."""
    where = np.flatnonzero(mask)
    if len(where) == 0:
        return series
    values = [texts] * len(where) if isinstance(texts, str) else texts
    return series.scatter(where, pl.Series(values, dtype=pl.String))


# --------------------------------------------------------------------------------------------
# The population


def enterprises(sizes: Sizes, seed: int) -> pl.DataFrame:
    """Every enterprise of the province with its attributes as of the history month.

    ``entry`` is 0 for enterprises in both registers, 1 for the 0.5 % that enter in the
    measured month.
    """
    n = sizes.enterprises
    rng = _rng(seed, "enterprises", 0)
    bodies = (np.arange(n, dtype=np.int64) * 7_919 + 10_000_019) % 100_000_000
    codes = credit_codes(91, rng.choice(np.array(DIVISIONS), n), bodies)
    names = [
        f"{_PLACES[a]}{_PLACES[b]}{_WORDS_A[c]}{_WORDS_B[d]}{_TRADES[e]}{_SUFFIXES[f]}"
        for a, b, c, d, e, f in zip(
            rng.integers(0, len(_PLACES), n),
            rng.integers(0, len(_PLACES), n),
            rng.integers(0, len(_WORDS_A), n),
            rng.integers(0, len(_WORDS_B), n),
            rng.integers(0, len(_TRADES), n),
            rng.choice(3, n, p=[0.8, 0.12, 0.08]),
            strict=True,
        )
    ]
    classes = np.array(
        [r["industry_code"] for r in industry_rows() if "06" <= r["industry_code"][:2] <= "46"]
    )
    towns = np.array([r["name"] for r in region_rows() if r["kind"] != "county"])
    above = rng.random(n) < max(0.14, sizes.statistics / n * 1.1)
    established = np.datetime64("1995-01-01") + rng.integers(0, 9_800, n).astype("timedelta64[D]")
    return pl.DataFrame(
        {
            "credit_code": codes,
            "name": names,
            "industry_code": rng.choice(classes, n),
            "town": rng.choice(towns, n),
            "land_mu": np.round(rng.lognormal(3.0, 1.0, n), 1),
            "established_on": established,
            "above_scale": above,
            "key_enterprise": rng.random(n) < 0.02,
            "cultivation_pool": ~above & (rng.random(n) < 0.03),
            "specialised": rng.choice(
                ["无", "省级专精特新", "国家级专精特新“小巨人”"], n, p=[0.97, 0.025, 0.005]
            ),
            "green_factory": rng.choice(
                ["无", "市级", "省级", "国家级"], n, p=[0.95, 0.03, 0.015, 0.005]
            ),
            "operating_status": rng.choice(
                ["在营", "停产", "半停产", "注销"], n, p=[0.93, 0.03, 0.03, 0.01]
            ),
            "entry": (rng.random(n) < 0.005).astype(np.int8),
        }
    )


def register_month(population: pl.DataFrame, month: int, seed: int) -> pl.DataFrame:
    """The register's enterprises in ``month`` (0 history, 1 measured): 1 % changed in 1."""
    frame = population.filter(pl.col("entry") <= month)
    if month == 0:
        return frame
    rng = _rng(seed, "register-change", month)
    changed = pl.Series(rng.random(frame.height) < 0.01)
    return frame.with_columns(
        land_mu=pl.when(changed).then((pl.col("land_mu") * 1.1).round(1)).otherwise("land_mu"),
        key_enterprise=pl.when(changed).then(~pl.col("key_enterprise")).otherwise("key_enterprise"),
    )


# --------------------------------------------------------------------------------------------
# registry: CSV UTF-8 with BOM


def _per_enterprise(codes: np.ndarray, seed: int, purpose: str) -> np.ndarray:
    """A uniform draw in [0, 1) per credit code, the same every month for the same code."""
    digest = pl.Series(codes).hash(seed=int(_rng(seed, purpose, 0).integers(2**32))).to_numpy()
    return (digest % 1_000_000) / 1_000_000


def registry_file(register: pl.DataFrame, month: int, seed: int) -> bytes:
    """The register snapshot as the bureau saves it: CSV UTF-8, BOM, CRLF, header in row 1."""
    rng = _rng(seed, "registry", month)
    n = register.height
    draw = rng.random((8, n))
    former = {r["region_code"]: r["name_key"] for r in region_name_rows() if not r["is_current"]}
    current = {r["region_code"]: r["name"] for r in region_rows()}
    to_former = {current[code]: name for code, name in former.items()}
    codes = register["credit_code"].to_numpy()
    code_text = pl.Series(codes)
    code_text = _scatter(code_text, draw[0] < 0.0005, list(mistype(codes[draw[0] < 0.0005])))
    lower = (draw[0] >= 0.0005) & (draw[0] < 0.005)
    code_text = _scatter(code_text, lower, [c.lower() for c in codes[lower]])
    industry = register["industry_code"]
    lost_zero = (draw[1] < 0.3) & industry.str.starts_with("0").to_numpy()
    industry = _scatter(industry, lost_zero, [c[1:] for c in industry.to_numpy()[lost_zero]])
    town = register["town"]
    renamed = (draw[2] < 0.02) & town.is_in(list(to_former)).to_numpy()
    town = _scatter(town, renamed, [to_former[t] for t in town.to_numpy()[renamed]])
    # What a register lacks (a town it cannot name, a land area never entered) is lacking
    # every month for the same enterprises: drawn per enterprise, not per month, or each
    # snapshot would change a fifth of the register instead of the 1 % register_month does.
    lacking = _per_enterprise(codes, seed, "registry-lacking")
    town = _scatter(town, lacking > 0.9998, "未知镇")
    land = register["land_mu"].to_numpy()
    land_text = pl.Series(land).cast(pl.String)
    big = (draw[3] > 0.99) & (land >= 1000)
    land_text = _scatter(land_text, big, _grouped(land[big], 1))
    land_text = _scatter(land_text, lacking < 0.1, "")
    day = register["established_on"]
    formats = np.where(draw[4] < 0.6, 0, np.where(draw[4] < 0.9, 1, 2))
    established = pl.select(
        pl.when(pl.Series(formats) == 0)
        .then(day.dt.strftime("%Y-%m-%d"))
        .when(pl.Series(formats) == 1)
        .then(day.dt.strftime("%Y/%-m/%-d"))
        .otherwise(day.dt.strftime("%Y%m%d"))
    ).to_series()

    def flag(column: str) -> pl.Series:
        return pl.select(
            pl.when(register[column]).then(pl.lit("是")).otherwise(pl.lit("否"))
        ).to_series()

    out = pl.DataFrame(
        {
            "统一社会信用代码": code_text,
            "企业名称": register["name"],
            "行业代码": industry,
            "所在乡镇（园区）": town,
            "用地面积（亩）": land_text,
            "成立日期": established,
            "规上企业": flag("above_scale"),
            "重点企业": flag("key_enterprise"),
            "入规培育库": flag("cultivation_pool"),
            "专精特新": register["specialised"],
            "绿色工厂": register["green_factory"],
            "经营状态": register["operating_status"],
        }
    )
    text = out.write_csv(line_terminator="\r\n", null_value="")
    return b"\xef\xbb\xbf" + text.encode("utf-8")


# --------------------------------------------------------------------------------------------
# electricity: GBK CSV per supply station


def accounts(population: pl.DataFrame, sizes: Sizes, seed: int) -> pl.DataFrame:
    """Every metering account: owner (or none), number, station, base kWh."""
    m, n = sizes.accounts, population.height
    rng = _rng(seed, "accounts", 0)
    owner = np.concatenate([np.arange(min(n, m)), rng.integers(0, n, max(0, m - n))])
    owner = rng.permutation(owner)
    outsider = rng.random(m) < 0.03  # workshops in no register, half with a valid code
    numbers = (np.arange(m, dtype=np.int64) * 7_919 + 123_456) % 10_000_000_000
    outsider_codes = credit_codes(
        91, np.full(m, 341200), (np.arange(m, dtype=np.int64) * 7_919 + 55_555_555) % 10**8
    )
    codes = population["credit_code"].to_numpy()[owner]
    names = population["name"].to_numpy()[owner]
    branch = rng.random(m) < 0.05
    return pl.DataFrame(
        {
            "account_no": pl.Series(numbers).cast(pl.String).str.zfill(10),
            "owner": owner,
            "entry": population["entry"].to_numpy()[owner],
            "code": np.where(outsider, np.where(rng.random(m) < 0.5, outsider_codes, ""), codes),
            "name": np.where(
                outsider,
                np.char.add("加工点", numbers.astype(str)),
                np.where(branch, np.char.add(names, "（二车间）"), names),
            ),
            "station": rng.integers(0, STATIONS, m),
            "category": rng.choice(["大工业用电", "一般工商业用电"], m, p=[0.3, 0.7]),
            "base_kwh": np.round(rng.lognormal(9.0, 1.5, m)).astype(np.int64),
        }
    )


def electricity_files(
    account_frame: pl.DataFrame, period: str, month: int, seed: int
) -> dict[str, bytes]:
    """The utility's files for ``period``: one GBK CSV per station, each with a 合计 row."""
    frame = account_frame.filter(pl.col("entry") <= month)
    rng = _rng(seed, "electricity", month)
    n = frame.height
    draw = rng.random((6, n))
    kwh = np.round(frame["base_kwh"].to_numpy() * rng.uniform(0.9, 1.1, n)).astype(np.int64)
    prior = np.round(frame["base_kwh"].to_numpy() * rng.uniform(0.85, 1.1, n)).astype(np.int64)
    codes = frame["code"].to_numpy()
    code_text = pl.Series(codes)
    blank = draw[0] < 0.10
    code_text = _scatter(code_text, blank, "")
    typo = (draw[0] >= 0.10) & (draw[0] < 0.12) & (codes != "")
    code_text = _scatter(code_text, typo, list(mistype(codes[typo])))
    styled = (draw[0] >= 0.12) & (draw[0] < 0.14) & (codes != "")
    code_text = _scatter(code_text, styled, [f"'{c.lower()}" for c in codes[styled]])
    kwh_text = pl.Series(kwh).cast(pl.String)
    grouped = draw[1] < 0.01
    kwh_text = _scatter(kwh_text, grouped, _grouped(kwh[grouped]))
    pending = draw[1] > 0.99995
    kwh_text = _scatter(kwh_text, pending, "待核")
    prior_text = pl.Series(prior).cast(pl.String)
    no_prior = draw[2] < 0.05
    prior_text = _scatter(prior_text, no_prior, "")
    prior_text = _scatter(prior_text, (draw[2] > 0.05) & (draw[2] < 0.051), "-")
    billing = pl.Series(np.full(n, period.replace("-", "")))
    billing = _scatter(billing, draw[3] < 0.00002, "202201")
    rows = pl.DataFrame(
        {
            "户号": frame["account_no"],
            "户名": frame["name"],
            "统一社会信用代码": code_text,
            "用电类别": frame["category"],
            "电费年月": billing,
            "本月用电量（千瓦时）": kwh_text,
            "上年同月用电量（千瓦时）": prior_text,
            "station": frame["station"],
            "_kwh": np.where(pending, 0, kwh),
            "_prior": np.where(no_prior | ((draw[2] > 0.05) & (draw[2] < 0.051)), 0, prior),
        }
    )
    # Exact copies of a few rows, and a few accounts twice with different kWh.
    copies = rows.filter(pl.Series(draw[4] < 0.00003))
    conflicts = rows.filter(pl.Series(draw[5] < 0.00001)).with_columns(
        pl.lit("1").alias("本月用电量（千瓦时）"), pl.lit(1, dtype=pl.Int64).alias("_kwh")
    )
    rows = pl.concat([rows, copies, conflicts])
    files: dict[str, bytes] = {}
    for station, part in rows.sort("station", maintain_order=True).group_by(
        "station", maintain_order=True
    ):
        total = pl.DataFrame(
            {
                "户号": [""],
                "户名": ["合计"],
                "本月用电量（千瓦时）": [str(part["_kwh"].sum())],
                "上年同月用电量（千瓦时）": [str(part["_prior"].sum())],
            }
        )
        body = pl.concat([part.drop("station", "_kwh", "_prior"), total], how="diagonal")
        text = body.write_csv(line_terminator="\r\n", null_value="")
        files[f"工业用户月度电量_{period.replace('-', '')}_供电所{station[0] + 1:02d}.csv"] = (
            text.encode("gbk")
        )
    return files


# --------------------------------------------------------------------------------------------
# tax and statistics: xlsx


def _workbook(path: Path) -> xlsxwriter.Workbook:
    workbook = xlsxwriter.Workbook(
        str(path),
        {
            "constant_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    workbook.set_properties({"created": datetime(2020, 1, 1), "author": "", "title": ""})
    return workbook


def _write_rows(sheet: object, first_row: int, rows: list[tuple[object, ...]]) -> None:
    write_number = sheet.write_number  # type: ignore[attr-defined]
    write_string = sheet.write_string  # type: ignore[attr-defined]
    for r, row in enumerate(rows, start=first_row):
        for c, cell in enumerate(row):
            if cell is None:
                continue
            if isinstance(cell, str):
                if cell:
                    write_string(r, c, cell)
            else:
                write_number(r, c, cell)


TAX_HEADER = (
    "纳税人识别号", "纳税人名称", "所属期", "增值税", "企业所得税", "其他税收", "税收合计",
    "留抵退税额", "应税销售收入",
)  # fmt: skip


def tax_file(
    path: Path, population: pl.DataFrame, sizes: Sizes, period: str, month: int, seed: int
) -> None:
    """The tax bureau's workbook: title, 单位：元, header in row 3, amounts in yuan, 合计."""
    rng = _rng(seed, "tax", month)
    registered = population.filter(pl.col("entry") <= month)
    t = min(sizes.taxpayers, registered.height)
    individuals = t * 3 // 100
    above = registered.filter("above_scale")
    others = registered.filter(~pl.col("above_scale"))
    chosen = pl.concat(
        [above, others.sample(max(0, t - individuals - above.height), seed=seed + month)]
    ).head(t - individuals)
    individual_codes = credit_codes(
        92, np.full(individuals, 340621), (np.arange(individuals) * 7_919 + 77_777) % 10**8
    )
    codes = np.concatenate([chosen["credit_code"].to_numpy(), individual_codes])
    names = np.concatenate(
        [chosen["name"].to_numpy(), np.char.add("个体户", np.arange(individuals).astype(str))]
    )
    n = len(codes)
    vat = np.round(rng.lognormal(10.5, 1.6, n), 2) * np.where(rng.random(n) < 0.01, -0.2, 1)
    cit = np.round(rng.lognormal(9.0, 1.8, n) * (rng.random(n) < 0.6), 2)
    other = np.round(rng.lognormal(8.0, 1.2, n), 2)
    total = np.round(vat + cit + other, 2)
    mismatch = rng.random(n) < 0.0001
    total = np.where(mismatch, total + 100, total)
    refund = np.where(rng.random(n) < 0.02, np.round(rng.lognormal(10, 1, n), 2), 0.0)
    sales = np.round(np.abs(vat) * rng.uniform(6, 12, n), 2)
    as_text = rng.random(n) < 0.02
    tax_period = period if month % 2 else period.replace("-", "")
    rows: list[tuple[object, ...]] = []
    for i in range(n):
        amounts: list[object] = [vat[i], cit[i], other[i], total[i], refund[i], sales[i]]
        if as_text[i]:
            amounts = [f"{a:,.2f}" for a in amounts]
        rows.append((codes[i], names[i], tax_period, *amounts))
    rows.append(
        (
            "合计",
            None,
            None,
            *(round(float(col.sum()), 2) for col in (vat, cit, other, total, refund, sales)),
        )
    )
    workbook = _workbook(path)
    sheet = workbook.add_worksheet("Sheet1")
    year, mon = period.split("-")
    sheet.merge_range(0, 0, 0, len(TAX_HEADER) - 1, f"工业企业税收入库明细（{year}年{int(mon)}月）")
    sheet.write_string(1, 0, "单位：元")
    for c, label in enumerate(TAX_HEADER):
        sheet.write_string(2, c, label)
    _write_rows(sheet, 3, rows)
    workbook.close()


STATISTICS_SINGLE = ("统一社会信用代码", "单位详细名称", "行业代码", "区划代码")
STATISTICS_PAIRS = ("工业总产值（千元）", "营业收入（千元）", "利润总额（千元）")
EMPLOYEES = "从业人员平均人数（人）"
ENERGY = "综合能源消费量（吨标准煤）"


def statistics_file(
    path: Path, population: pl.DataFrame, sizes: Sizes, period: str, month: int, seed: int
) -> None:
    """The statistics bureau's cumulative workbook: title, two-row merged header, 千元."""
    rng = _rng(seed, "statistics", 0)  # the same roster and levels both months
    registered = population.filter(pl.col("entry") == 0)
    roster = registered.filter("above_scale").head(sizes.statistics)
    n = roster.height
    region_by_name = {r["name"]: r["region_code"] for r in region_rows()}
    months = int(period[5:])
    level = rng.lognormal(10.0, 1.2, n) / 12 * months  # 千元 year to date
    noise = _rng(seed, "statistics", month).random((4, n))
    output = np.round(level * (0.95 + 0.1 * noise[0]), 1)
    prior = np.where(noise[1] < 0.03, np.nan, np.round(output * (0.8 + 0.3 * noise[1]), 1))
    revenue = np.round(output * 0.97, 1)
    profit = np.round(output * (noise[2] * 0.15 - 0.03), 1)
    employees = rng.integers(20, 2_000, n)
    energy = np.round(output / 400, 2)
    codes = roster["credit_code"].to_numpy().astype(object)
    bad = noise[3] < 0.0005
    codes[bad] = mistype(codes[bad].astype(str))
    regions = [region_by_name[t] for t in roster["town"].to_list()]
    rows: list[tuple[object, ...]] = []
    for i in range(n):
        p = None if np.isnan(prior[i]) else prior[i]
        rows.append(
            (
                codes[i],
                roster["name"][i],
                roster["industry_code"][i],
                regions[i],
                output[i], p,
                revenue[i], None if p is None else round(p * 0.97, 1),
                profit[i], None if p is None else round(p * 0.05, 1),
                int(employees[i]),
                energy[i], None if p is None else round(p / 400, 2),
            )
        )  # fmt: skip
    workbook = _workbook(path)
    sheet = workbook.add_worksheet("Sheet1")
    year = period[:4]
    sheet.merge_range(0, 0, 0, 13, f"规模以上工业企业主要经济指标（{year}年1-{months}月）")
    col = 0
    for label in STATISTICS_SINGLE:
        sheet.merge_range(1, col, 2, col, label)
        col += 1
    subs: list[tuple[int, str]] = []
    for label in STATISTICS_PAIRS:
        sheet.merge_range(1, col, 1, col + 1, label)
        subs += [(col, "本年累计"), (col + 1, "上年同期")]
        col += 2
    sheet.merge_range(1, col, 2, col, EMPLOYEES)
    col += 1
    sheet.merge_range(1, col, 1, col + 1, ENERGY)
    subs += [(col, "本年累计"), (col + 1, "上年同期")]
    for c, label in subs:
        sheet.write_string(2, c, label)
    _write_rows(sheet, 3, rows)
    sheet.write_string(3 + n + 1, 0, "注：本表数据来源于联网直报平台，金额单位为千元。")
    workbook.close()


# --------------------------------------------------------------------------------------------
# The landing tree


def generate(out: Path, scale: float = 1.0, seed: int = SEED) -> dict[str, object]:
    """Write both months under ``out/<source>/<period>/``; return the manifest written."""
    clock = time.perf_counter()
    sizes = Sizes.at(scale)
    population = enterprises(sizes, seed)
    account_frame = accounts(population, sizes, seed)
    files: dict[str, int] = {}

    def put(relative: str, data: bytes | None = None) -> Path:
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if data is not None:
            path.write_bytes(data)
        return path

    for month, period in enumerate(PERIODS):
        register = register_month(population, month, seed)
        compact = period.replace("-", "")
        put(f"registry/{period}/企业名录_{compact}.csv", registry_file(register, month, seed))
        for name, data in electricity_files(account_frame, period, month, seed).items():
            put(f"electricity/{period}/{name}", data)
        tax_file(
            put(f"tax/{period}/工业企业税收入库明细_{compact}.xlsx"),
            population, sizes, period, month, seed,
        )  # fmt: skip
        statistics_file(
            put(f"statistics/{period}/规上工业主要指标_{compact}.xlsx"),
            population, sizes, period, month, seed,
        )  # fmt: skip
    for path in sorted(out.rglob("*")):
        if path.is_file() and path.name != MANIFEST:
            files[str(path.relative_to(out))] = path.stat().st_size
    manifest: dict[str, object] = {
        "scale": scale,
        "seed": seed,
        "periods": list(PERIODS),
        "sizes": sizes.__dict__,
        "files": files,
        "generated_at": date.today().isoformat(),
        "generate_seconds": round(time.perf_counter() - clock, 1),
    }
    (out / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2))
    return manifest


def ensure_landing(out: Path, scale: float, seed: int = SEED) -> Path:
    """The landing tree for ``scale`` and ``seed`` under ``out``, generated when missing."""
    manifest = out / MANIFEST
    if manifest.exists():
        known = json.loads(manifest.read_text())
        if known.get("scale") == scale and known.get("seed") == seed:
            return out
    generate(out, scale, seed)
    return out


def main(argv: list[str] | None = None) -> None:
    """``python -m bench.generate [--scale 1] [--seed 20220] [--out DIR]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    out = args.out or Path("var/bench") / f"landing-{args.scale:g}"
    manifest = generate(out, args.scale, args.seed)
    print(json.dumps({k: v for k, v in manifest.items() if k != "files"}, ensure_ascii=False))


if __name__ == "__main__":
    main()
