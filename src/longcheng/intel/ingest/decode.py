"""Bytes to text: encoding detection for Chinese documents.

Order of evidence: a byte-order mark; for HTML a declared ``<meta charset>``; then strict
UTF-8; then GB18030 (a superset of GBK and GB2312). A file that is neither as a whole is
decoded line by line, each line as UTF-8 or GB18030, and reported as mixed. NUL bytes or a
high share of control characters mean the file is binary and is refused.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from longcheng.intel.ingest.model import BinaryFile, EmptyFile, IngestWarning

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "utf8": "utf-8"}
_MAX_CONTROL_SHARE = 0.02
_MAX_REPLACED_SHARE = 0.10

MIXED_ENCODING = "intel.mixed_encoding"
UNDECODABLE = "intel.undecodable_bytes"
CHARSET_MISMATCH = "intel.charset_mismatch"


def decode_bytes(data: bytes, *, html: bool = False) -> tuple[str, str, list[IngestWarning]]:
    """Decode ``data``; return the text (line ends normalised), the encoding and warnings."""
    warnings: list[IngestWarning] = []
    text, encoding = _decode_with_bom(data)
    if text is None:
        _refuse_nul_bytes(data)
        text, encoding = _decode_declared(data, warnings) if html else (None, "")
    if text is None:
        text, encoding = _decode_guess(data, warnings)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    _refuse_binary_text(text)
    if not text.strip():
        raise EmptyFile()
    return text, encoding, warnings


def _decode_with_bom(data: bytes) -> tuple[str | None, str]:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            if not body.strip():
                raise EmptyFile()
            try:
                return body.decode(codec.removesuffix("-sig")), codec
            except UnicodeDecodeError as exc:
                message = f"文件以 {codec} 字节序标记开头，但内容无法按该编码解码，无法导入。"
                raise BinaryFile(message) from exc
    return None, ""


def _refuse_nul_bytes(data: bytes) -> None:
    if not data.strip():
        raise EmptyFile()
    if b"\x00" in data[:65536] or b"\x00" in data[-65536:]:
        raise BinaryFile()


def _decode_declared(data: bytes, warnings: list[IngestWarning]) -> tuple[str | None, str]:
    found = _META_CHARSET.search(data[:8192])
    if found is None:
        return None, ""
    declared = found.group(1).decode("ascii").lower()
    codec = _CHARSET_ALIASES.get(declared, declared)
    try:
        return data.decode(codec), codec
    except LookupError:
        message = f"网页声明的字符集 {declared} 无法识别，已自动检测编码。"
    except UnicodeDecodeError:
        message = f"网页声明的字符集 {declared} 与实际内容不符，已自动检测编码。"
    warnings.append(IngestWarning(CHARSET_MISMATCH, message))
    return None, ""


def _decode_guess(data: bytes, warnings: list[IngestWarning]) -> tuple[str, str]:
    """UTF-8 if the whole file is valid UTF-8, else line by line.

    Whole-file GB18030 is not tried first: UTF-8 Chinese usually decodes as (wrong) GB18030
    too, so a file mixing both would silently turn into mojibake.
    """
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return _decode_lines(data, warnings)


def _decode_lines(data: bytes, warnings: list[IngestWarning]) -> tuple[str, str]:
    """Decode each line on its own: files glued together from differently encoded parts."""
    parts: list[str] = []
    used: set[str] = set()
    bad_lines = 0
    for line in data.splitlines(keepends=True):
        text, codec = _decode_line(line)
        parts.append(text)
        if codec == "invalid":
            bad_lines += 1
        elif codec != "ascii":
            used.add(codec)
    if len(used) > 1:
        message = "文件混用了 UTF-8 和 GBK 两种编码，已逐行识别解码，请核对文字是否正确。"
        warnings.append(IngestWarning(MIXED_ENCODING, message))
    if bad_lines:
        warnings.append(
            IngestWarning(UNDECODABLE, f"有 {bad_lines} 行含无法识别的字节，已用 � 替代，请核对原文件。")
        )
    if len(used) > 1:
        return "".join(parts), "mixed"
    return "".join(parts), "utf-8" if used == {"utf-8"} else _gb_name(data)


def _gb_name(data: bytes) -> str:
    """Report "gbk" when the bytes stay inside GBK, else the superset "gb18030"."""
    try:
        data.decode("gbk")
    except UnicodeDecodeError:
        return "gb18030"
    return "gbk"


def _decode_line(line: bytes) -> tuple[str, str]:
    if line.isascii():
        return line.decode("ascii"), "ascii"
    for codec in ("utf-8", "gb18030"):
        try:
            return line.decode(codec), codec
        except UnicodeDecodeError:
            continue
    return line.decode("gb18030", errors="replace"), "invalid"


def _refuse_binary_text(text: str) -> None:
    sample = text[:200_000]
    if not sample:
        return
    controls = sum(1 for ch in sample if ch not in "\t\n\f\v" and unicodedata.category(ch) == "Cc")
    replaced = sample.count("\ufffd")
    if controls / len(sample) > _MAX_CONTROL_SHARE or replaced / len(sample) > _MAX_REPLACED_SHARE:
        raise BinaryFile()
