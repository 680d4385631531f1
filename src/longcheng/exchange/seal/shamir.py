"""Shamir's secret sharing byte by byte over GF(2^8) (the AES field, polynomial 0x11b).

Written by hand: no licence-clean Shamir library is in the lock, and the field arithmetic is a
few lines. A share is ``"<x>-<hex>"``; any ``threshold`` distinct shares give the secret back,
fewer give nothing about it.
"""

from __future__ import annotations

import secrets


class ShareError(ValueError):
    """A share is malformed, repeated, or there are too few of them."""


def _mul(a: int, b: int) -> int:
    out = 0
    while b:
        if b & 1:
            out ^= a
        a <<= 1
        if a & 0x100:
            a ^= 0x11B
        b >>= 1
    return out


def _inv(a: int) -> int:
    # a^254 = a^-1 in GF(256)
    result, power, exp = 1, a, 254
    while exp:
        if exp & 1:
            result = _mul(result, power)
        power = _mul(power, power)
        exp >>= 1
    return result


def _eval(coeffs: list[int], x: int) -> int:
    y = 0
    for c in reversed(coeffs):
        y = _mul(y, x) ^ c
    return y


def split(secret: bytes, *, shares: int, threshold: int) -> list[str]:
    """``shares`` shares of ``secret``, any ``threshold`` of which recover it."""
    if not 1 <= threshold <= shares <= 255:
        raise ShareError("门限须满足 1 ≤ 门限 ≤ 份数 ≤ 255")
    rows: list[bytearray] = [bytearray() for _ in range(shares)]
    for byte in secret:
        coeffs = [byte] + [secrets.randbelow(256) for _ in range(threshold - 1)]
        for i in range(shares):
            rows[i].append(_eval(coeffs, i + 1))
    return [f"{i + 1}-{bytes(row).hex()}" for i, row in enumerate(rows)]


def parse(share: str) -> tuple[int, bytes]:
    """The x and the bytes of one share; :class:`ShareError` if malformed."""
    try:
        x_text, hex_text = share.strip().split("-", 1)
        x, data = int(x_text), bytes.fromhex(hex_text)
    except ValueError as exc:
        raise ShareError("密钥分片格式不正确") from exc
    if not 1 <= x <= 255 or not data:
        raise ShareError("密钥分片格式不正确")
    return x, data


def combine(shares: list[str]) -> bytes:
    """The secret from shares (Lagrange interpolation at 0); needs at least the threshold."""
    points = [parse(s) for s in shares]
    xs = [x for x, _ in points]
    if len(set(xs)) != len(xs):
        raise ShareError("密钥分片重复")
    if len({len(d) for _, d in points}) != 1:
        raise ShareError("密钥分片长度不一致")
    out = bytearray()
    for pos in range(len(points[0][1])):
        acc = 0
        for j, (xj, dj) in enumerate(points):
            num, den = 1, 1
            for m, (xm, _) in enumerate(points):
                if m != j:
                    num = _mul(num, xm)
                    den = _mul(den, xm ^ xj)
            acc ^= _mul(dj[pos], _mul(num, _inv(den)))
        out.append(acc)
    return bytes(out)
