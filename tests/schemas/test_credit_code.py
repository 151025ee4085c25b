"""Both check characters of the unified social credit code, scalar and vectorised."""

from __future__ import annotations

import random

import polars as pl
import pytest

from schemas.credit_code import (
    ALPHABET,
    complete_credit_code,
    credit_code_check,
    credit_code_is_valid,
    is_valid_credit_code,
    normalise_credit_code,
)

SAMPLE_CODES = [
    "91340621MAEH9J1G6T",
    "913406216506478859",
    "91340621MATP81WQ5G",
    "91340621546164728B",
    "91340621MA7MFD2MX6",
    "91340621MA3HCLE85T",
]


def _vector(codes: list[str | None]) -> list[bool]:
    frame = pl.DataFrame({"code": codes}, schema={"code": pl.String})
    ok = credit_code_is_valid(normalise_credit_code(pl.col("code"))).alias("ok")
    return frame.select(ok)["ok"].to_list()


def test_the_agencies_sample_codes_are_valid() -> None:
    assert all(is_valid_credit_code(c) for c in SAMPLE_CODES)
    assert all(_vector(list(SAMPLE_CODES)))


@pytest.mark.parametrize(
    "typed",
    [
        "91340621ma3hcle85t",
        " 9134 0621MA3HCLE85T ",
        "'91340621MA3HCLE85T",
        "９１３４０６２１ＭＡ３ＨＣＬＥ８５Ｔ",
    ],
)
def test_codes_as_typed_by_people_normalise_to_valid(typed: str) -> None:
    assert _vector([typed]) == [True]


def test_each_check_character_is_checked() -> None:
    good = "91340621MA3HCLE85T"
    wrong_18 = good[:17] + ("0" if good[17] != "0" else "1")
    # Change character 17 and recompute 18, so only the GB 11714 check is wrong.
    body17 = good[:16] + ("0" if good[16] != "0" else "1")
    wrong_17 = body17 + credit_code_check(body17)
    assert is_valid_credit_code(good)
    assert not is_valid_credit_code(wrong_18)
    assert not is_valid_credit_code(wrong_17)
    assert _vector([good, wrong_18, wrong_17, None, "", "ABC", "91340621MA3HCLE85I"]) == [
        True,
        False,
        False,
        False,
        False,
        False,
        False,
    ]


def test_complete_credit_code_round_trips() -> None:
    for body in ("91340621MA3HCLE8", "9234062165064788", "93340621ABCDEFGH"):
        assert is_valid_credit_code(complete_credit_code(body))


def test_the_vectorised_check_agrees_with_the_scalar_one_on_many_codes() -> None:
    """The NumPy check over a column gives what the scalar check gives, code by code:
    valid codes, codes with a random check character, malformed and missing ones."""
    rng = random.Random(20220403)
    codes: list[str | None] = []
    for _ in range(3000):
        body = "9134" + "".join(rng.choice(ALPHABET) for _ in range(12))
        codes.append(complete_credit_code(body))
        codes.append(body + "".join(rng.choice(ALPHABET) for _ in range(2)))
        codes.append(body[:8] + "".join(rng.choice("IOSVZ") for _ in range(8)) + "XX")
    codes += [None, "", "91340621MA3HCLE85", "91340621MA3HCLE85TT"]
    codes.append("９１３４０６２１ＭＡ３ＨＣＬＥ８５Ｔ")
    vector = pl.DataFrame({"c": codes}, schema={"c": pl.String}).select(
        credit_code_is_valid(pl.col("c"))
    )
    assert vector.to_series().to_list() == [
        c is not None and is_valid_credit_code(c) for c in codes
    ]
    assert 3000 <= sum(vector.to_series()) < 3100
