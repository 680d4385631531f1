"""Resident ID numbers: what an officer typing one is told when it is wrong."""

from __future__ import annotations

from datetime import date

import pytest

from longcheng.core.pii import ids, masking

VALID = ids.make_number("320402", date(1996, 5, 17), 123)


def test_a_well_formed_number_gives_birth_date_sex_and_region() -> None:
    parsed = ids.parse_resident_id(VALID)
    assert parsed.birth_date == date(1996, 5, 17)
    assert parsed.sex == "男"  # sequence 123: odd
    assert parsed.region_code == "320402"
    assert ids.parse_resident_id(ids.make_number("320402", date(1996, 5, 17), 124)).sex == "女"


def test_the_published_example_with_check_character_x_is_accepted() -> None:
    assert ids.parse_resident_id("11010519491231002x").number == "11010519491231002X"
    assert ids.is_valid("１１０１０５１９４９１２３１００２Ｘ")  # full-width input from a form


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (VALID[:17] + ("0" if VALID[17] != "0" else "1"), "校验位应为"),
        ("32040219960230123X", "不是有效日期"),
        ("320402199605171", "15 位旧号码"),
        ("3204021996051712", "应为 18 位"),
        ("32040219960517A23X", "前 17 位应为数字"),
        (ids.make_number("320402", date(2099, 1, 1), 1), "晚于今天"),
    ],
)
def test_a_wrong_number_is_refused_with_the_reason(text: str, reason: str) -> None:
    with pytest.raises(ids.InvalidResidentId) as caught:
        ids.parse_resident_id(text)
    assert reason in caught.value.message_text
    assert caught.value.code_text == "pii.resident_id_invalid"


def test_age_counts_whole_years() -> None:
    parsed = ids.parse_resident_id(VALID)
    assert parsed.age_on(date(2026, 5, 16)) == 29
    assert parsed.age_on(date(2026, 5, 17)) == 30


def test_masks_keep_only_what_identifies_a_record_to_its_owner() -> None:
    assert masking.mask_resident_id("11010519491231002X") == "1101**********002X"
    assert masking.mask_bank_account("6222 0212 3456 7890 123") == "6222 **** **** 0123"
    assert masking.mask_name("张三丰") == "张**"
    assert masking.mask_phone("13812345678") == "138****5678"
