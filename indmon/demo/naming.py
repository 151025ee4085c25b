"""Industry profiles, enterprise names, credit codes and account numbers for the demo county."""

from __future__ import annotations

import random
from dataclasses import dataclass

from schemas.credit_code import ALPHABET, complete_credit_code


@dataclass(frozen=True)
class IndustryProfile:
    """How a division shows up in a coal-and-manufacturing county."""

    division: str
    weight: int
    #: Yuan of revenue per kWh: low for power-hungry industries.
    intensity: float
    words: tuple[str, ...]
    #: Classes to draw from; empty means every class of the division in the reference.
    classes: tuple[str, ...] = ()


PROFILES: tuple[IndustryProfile, ...] = (
    IndustryProfile("06", 0, 8.0, ("煤业", "矿业"), ("0610",)),
    IndustryProfile("13", 60, 30.0, ("粮油", "面粉", "农产品", "饲料", "食品")),
    IndustryProfile("14", 25, 35.0, ("食品", "食品科技")),
    IndustryProfile("15", 12, 60.0, ("酒业", "饮品"), ("1512", "1519", "1522", "1524")),
    IndustryProfile("17", 15, 15.0, ("纺织", "织造")),
    IndustryProfile("18", 12, 60.0, ("服饰", "服装")),
    IndustryProfile("20", 12, 25.0, ("木业",)),
    IndustryProfile("21", 10, 40.0, ("家具",)),
    IndustryProfile("22", 12, 12.0, ("纸业", "包装")),
    IndustryProfile(
        "26",
        50,
        8.0,
        ("化工", "新材料", "化学"),
        (
            "2611",
            "2613",
            "2614",
            "2619",
            "2621",
            "2624",
            "2625",
            "2641",
            "2651",
            "2659",
            "2661",
            "2662",
            "2669",
            "2681",
        ),
    ),
    IndustryProfile("27", 22, 30.0, ("药业", "医药", "医用材料")),
    IndustryProfile("29", 25, 20.0, ("塑业", "橡塑", "塑胶制品")),
    IndustryProfile(
        "30",
        80,
        6.0,
        ("建材", "新型建材", "水泥制品", "玻璃"),
        ("3011", "3021", "3022", "3024", "3031", "3039", "3041", "3049", "3061", "3099"),
    ),
    IndustryProfile(
        "32",
        28,
        4.0,
        ("铝业", "有色金属", "铜业", "铝材"),
        ("3211", "3216", "3240", "3251", "3252", "3259"),
    ),
    IndustryProfile("33", 70, 15.0, ("金属制品", "钢结构", "铸造")),
    IndustryProfile(
        "34",
        60,
        35.0,
        ("机械", "机械制造", "装备"),
        (
            "3411",
            "3421",
            "3425",
            "3429",
            "3441",
            "3443",
            "3453",
            "3462",
            "3463",
            "3482",
            "3484",
            "3489",
            "3499",
        ),
    ),
    IndustryProfile("35", 20, 35.0, ("矿山机械", "专用设备", "智能装备")),
    IndustryProfile("36", 12, 30.0, ("汽车零部件", "车辆配件")),
    IndustryProfile(
        "38",
        40,
        30.0,
        ("电气", "电缆", "电器", "新能源"),
        ("3812", "3821", "3823", "3825", "3831", "3834", "3841", "3843", "3849", "3872", "3899"),
    ),
    IndustryProfile("39", 12, 40.0, ("电子", "电子科技")),
    IndustryProfile("42", 8, 20.0, ("再生资源",)),
    IndustryProfile(
        "44", 10, 3.0, ("电力", "热电", "能源"), ("4411", "4412", "4416", "4417", "4430")
    ),
)

PREFIXES = ("淮北", "濉溪县", "安徽", "淮北市", "安徽省")
_PREFIX_WEIGHTS = (30, 30, 25, 8, 7)
TRADE_WORDS = (
    "恒润",
    "金穗",
    "鑫源",
    "昊天",
    "宏达",
    "华泰",
    "瑞丰",
    "永兴",
    "中联",
    "天元",
    "德胜",
    "盛华",
    "隆基",
    "国泰",
    "海川",
    "金鼎",
    "荣盛",
    "新宇",
    "汇通",
    "东升",
    "嘉禾",
    "同创",
    "信达",
    "长青",
    "锦程",
    "富源",
    "万通",
    "泰和",
    "聚力",
    "博远",
    "华鑫",
    "正大",
    "创新",
    "润泽",
    "远航",
    "丰泽",
    "兴业",
    "恒信",
    "佳美",
    "春晖",
    "宏图",
    "明光",
    "卓越",
    "联发",
    "金盛",
    "绿源",
    "天成",
    "伟业",
    "大地",
    "旭日",
    "中兴",
    "协力",
    "安泰",
    "皖北",
    "濉河",
    "相山",
    "口子",
    "临涣",
    "百善",
    "淮海",
    "龙华",
    "鸿运",
    "金桥",
    "华宇",
    "诚信",
    "众鑫",
    "光明",
    "新天地",
    "宝丰",
    "晨光",
    "利民",
    "美亚",
    "佳和",
    "润华",
    "弘毅",
    "铭泰",
    "凯达",
    "亚泰",
    "振兴",
    "瑞祥",
    "天瑞",
    "福润",
    "恒达",
)
ORG_FORMS = ("有限公司", "有限公司", "有限公司", "有限责任公司", "股份有限公司", "科技有限公司")
BRANCH_SUFFIXES = ("（二分厂）", "（三分厂）")
#: Names of small workshops the utility bills but the register never holds.
UNREGISTERED_NAMES = ("濉溪县临涣镇宏发砖瓦厂", "淮北市兴旺预制构件加工部")


def enterprise_name(rng: random.Random, profile: IndustryProfile, taken: set[str]) -> str:
    """A unique name: place + trade word + industry word + organisation form."""
    while True:
        prefix = rng.choices(PREFIXES, _PREFIX_WEIGHTS)[0]
        name = prefix + rng.choice(TRADE_WORDS) + rng.choice(profile.words) + rng.choice(ORG_FORMS)
        if name not in taken:
            taken.add(name)
            return name


def credit_code(rng: random.Random, established_year: int, taken: set[str]) -> str:
    """A unique valid 濉溪县 enterprise code: old organisation code before 2016, ``MA…`` after."""
    while True:
        if established_year < 2016:
            body = str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(7))
        else:
            body = "MA" + "".join(rng.choice(ALPHABET) for _ in range(6))
        code = complete_credit_code("91340621" + body)
        if code not in taken:
            taken.add(code)
            return code


def mistype(rng: random.Random, code: str) -> str:
    """The code with one character of the organisation body replaced: both checks then fail."""
    position = rng.randint(8, 15)
    replacement = rng.choice([ch for ch in ALPHABET if ch != code[position]])
    return code[:position] + replacement + code[position + 1 :]


def account_number(rng: random.Random, taken: set[str]) -> str:
    """A unique 10-digit account number; about one in ten starts with a zero."""
    while True:
        first = "0" if rng.random() < 0.1 else str(rng.randint(1, 9))
        number = first + "".join(str(rng.randint(0, 9)) for _ in range(9))
        if number not in taken:
            taken.add(number)
            return number
