"""The 18-digit resident identity number (居民身份证号码, GB 11643-1999).

Layout: 6-digit region code, 8-digit birth date, 3-digit sequence (odd for men, even for women)
and a check character computed from the first 17 digits (ISO 7064 MOD 11-2; 10 is written X).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

from longcheng.core.errors import ValidationFailed

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
EARLIEST_BIRTH = date(1900, 1, 1)


class InvalidResidentId(ValidationFailed):
    code = "pii.resident_id_invalid"
    message = "身份证号码无效。"


@dataclass(frozen=True)
class ResidentId:
    number: str
    region_code: str
    birth_date: date
    sex: str  # 男 / 女

    def age_on(self, day: date) -> int:
        years = day.year - self.birth_date.year
        return years - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))


def normalise(text: str) -> str:
    """Full-width digits and letters to ASCII, spaces removed, ``x`` upper-cased."""
    return "".join(unicodedata.normalize("NFKC", text).split()).upper()


def check_char(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def _fail(reason: str) -> InvalidResidentId:
    return InvalidResidentId(f"身份证号码无效：{reason}。", details={"id_number": reason})


def _birth_date(number: str, today: date) -> date:
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise _fail(f"出生日期 {number[6:14]} 不是有效日期") from None
    if born > today:
        raise _fail(f"出生日期 {born.isoformat()} 晚于今天")
    if born < EARLIEST_BIRTH:
        raise _fail(f"出生日期 {born.isoformat()} 早于 1900 年")
    return born


def parse_resident_id(text: str, *, today: date | None = None) -> ResidentId:
    """Check ``text`` and return its parts; :class:`InvalidResidentId` says what is wrong."""
    number = normalise(text)
    if len(number) == 15 and number.isdigit():
        raise _fail("这是 15 位旧号码，请填写 18 位号码")
    if len(number) != 18:
        raise _fail(f"应为 18 位，实际 {len(number)} 位")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise _fail("前 17 位应为数字，最后一位为数字或 X")
    born = _birth_date(number, today or date.today())
    expected = check_char(number[:17])
    if number[17] != expected:
        raise _fail(f"校验位应为 {expected}，实际为 {number[17]}")
    sex = "男" if int(number[16]) % 2 == 1 else "女"
    return ResidentId(number=number, region_code=number[:6], birth_date=born, sex=sex)


def is_valid(text: str) -> bool:
    try:
        parse_resident_id(text)
    except InvalidResidentId:
        return False
    return True


def make_number(region_code: str, birth: date, sequence: int) -> str:
    """A well-formed number for fictional people (demo data, tests): region, birth, sequence + check."""
    first17 = f"{region_code}{birth:%Y%m%d}{sequence:03d}"
    return first17 + check_char(first17)
