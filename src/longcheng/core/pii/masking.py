"""What pages, lists and exports show of personal data when the viewer may not see it whole."""

from __future__ import annotations


def _mask(value: str, keep_start: int, keep_end: int) -> str:
    text = value.strip()
    if len(text) <= keep_start + keep_end:
        return "*" * len(text)
    hidden = len(text) - keep_start - keep_end
    return text[:keep_start] + "*" * hidden + (text[-keep_end:] if keep_end else "")


def mask_resident_id(number: str) -> str:
    """``320402199001011234`` → ``3204**********1234``."""
    return _mask(number, 4, 4)


def mask_bank_account(account: str) -> str:
    """``6222021234567890123`` → ``6222 **** **** 0123``."""
    digits = "".join(account.split())
    if len(digits) <= 8:
        return "*" * len(digits)
    return f"{digits[:4]} **** **** {digits[-4:]}"


def mask_name(name: str) -> str:
    """``张三丰`` → ``张**``; one character stays as it is only when the name has one."""
    text = name.strip()
    return text[:1] + "*" * (len(text) - 1)


def mask_phone(phone: str) -> str:
    """``13812345678`` → ``138****5678``."""
    digits = "".join(phone.split())
    return _mask(digits, 3, 4)
