"""Reading spreadsheets people upload: XLSX and CSV (UTF-8, UTF-8 with BOM, GBK/GB18030).

Rows are streamed, never loaded whole, so a 100,000-row file keeps memory flat. The file type
is decided by its bytes, not its name: a PDF renamed ``.xlsx`` is refused with a clear message.
"""

from __future__ import annotations

import codecs
import csv
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from longcheng.core.errors import LongchengError, PayloadTooLarge

SNIFF_BYTES = 64 * 1024


class ImportFileError(LongchengError):
    code = "import.bad_file"
    status = 422
    message = "无法读取上传的文件。"


def check_size(path: Path, max_bytes: int) -> None:
    size = path.stat().st_size
    if size > max_bytes:
        raise PayloadTooLarge(
            f"文件大小 {size / 1048576:.1f} MB，超过上限 {max_bytes / 1048576:.0f} MB。",
            code="import.too_large",
        )
    if size == 0:
        raise ImportFileError("文件是空的。", code="import.empty")


def sniff_kind(path: Path) -> str:
    """``"xlsx"`` or ``"csv"`` judged from the content; anything else is refused."""
    with path.open("rb") as fh:
        head = fh.read(SNIFF_BYTES)
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as zf:
                if "xl/workbook.xml" in zf.namelist():
                    return "xlsx"
        except zipfile.BadZipFile:
            pass
        raise ImportFileError("文件不是有效的 Excel 表格（.xlsx）。", code="import.not_spreadsheet")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError("不支持旧版 .xls 格式，请在 Excel 中另存为 .xlsx 后上传。", code="import.xls")
    if head.startswith(b"%PDF") or b"\x00" in head:
        raise ImportFileError("文件不是表格（应为 .xlsx 或 .csv）。", code="import.not_spreadsheet")
    return "csv"


def detect_encoding(sample: bytes) -> str:
    """UTF-8 with BOM, UTF-8, or GB18030 (a superset of GBK)."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        codecs.getincrementaldecoder("gb18030")().decode(sample, final=False)
        return "gb18030"
    except UnicodeDecodeError:
        raise ImportFileError(
            "无法识别文件编码，请使用 UTF-8 或 GBK 编码的 CSV。", code="import.encoding"
        ) from None


Row = tuple[int, dict[str, object]]


def _header(cells: list[object]) -> list[str]:
    names = [str(c).strip() if c is not None else "" for c in cells]
    while names and not names[-1]:
        names.pop()
    if "" in names:
        col = names.index("") + 1
        raise ImportFileError(
            f"表头第 {col} 列为空：表头不能有合并单元格或空列名，请使用下载的模板。", code="import.bad_header"
        )
    dupes = {n for n in names if names.count(n) > 1}
    if dupes:
        raise ImportFileError(f"表头列名重复：{'、'.join(sorted(dupes))}。", code="import.bad_header")
    return names


def _rows(cells_iter: Iterator[tuple[int, list[object]]]) -> Iterator[Row]:
    header: list[str] | None = None
    for line, cells in cells_iter:
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        if header is None:
            header = _header(cells)
            continue
        yield line, {name: (cells[i] if i < len(cells) else None) for i, name in enumerate(header)}
    if header is None:
        raise ImportFileError("文件中没有表头和数据。", code="import.empty")


# What openpyxl raises on a damaged workbook: broken XML (ParseError is a SyntaxError), a
# missing part (KeyError), a bad zip, or values it cannot convert.
_BROKEN_XLSX = (
    SyntaxError,
    KeyError,
    ValueError,
    TypeError,
    IndexError,
    zipfile.BadZipFile,
    InvalidFileException,
)


def _broken_xlsx(exc: Exception) -> ImportFileError:
    return ImportFileError(
        f"Excel 文件已损坏，无法读取（{type(exc).__name__}）。请在 Excel 中打开后另存为 .xlsx 再上传。",
        code="import.broken_xlsx",
    )


def _xlsx_cells(path: Path) -> Iterator[tuple[int, list[object]]]:
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except _BROKEN_XLSX as exc:
        raise _broken_xlsx(exc) from None
    try:
        ws = wb.worksheets[0]
        rows = enumerate(ws.iter_rows(values_only=True), start=1)
        while True:
            try:
                i, row = next(rows)
            except StopIteration:
                return
            except _BROKEN_XLSX as exc:
                raise _broken_xlsx(exc) from None
            yield i, list(row)
    finally:
        wb.close()


def _csv_cells(path: Path) -> Iterator[tuple[int, list[object]]]:
    with path.open("rb") as raw:
        encoding = detect_encoding(raw.read(SNIFF_BYTES))
    with path.open("r", encoding=encoding, newline="") as fh:
        reader = csv.reader(fh)
        try:
            for row in reader:
                yield reader.line_num, list(row)
        except UnicodeDecodeError:
            raise ImportFileError(
                f"第 {reader.line_num + 1} 行附近的文字编码与文件开头不一致（混合编码），"
                "请统一保存为 UTF-8。",
                code="import.encoding",
            ) from None
        except csv.Error as exc:
            raise _csv_error(reader.line_num + 1, exc) from None


_CSV_REASONS = {
    "new-line character seen in unquoted field": "未加引号的单元格里有换行",
    "expected after": "引号后面多了字符，引号可能不成对",
}


def _csv_error(line: int, exc: csv.Error) -> ImportFileError:
    text = str(exc).lower()
    if "field larger than field limit" in text:
        return ImportFileError(
            f"第 {line} 行附近有单元格超过 {csv.field_size_limit():,} 个字符，超出上限；请检查引号是否成对。",
            code="import.cell_too_long",
        )
    reason = next((r for k, r in _CSV_REASONS.items() if k in text), "格式无法解析")
    return ImportFileError(f"第 {line} 行附近的 CSV {reason}，未导入任何数据。", code="import.bad_csv")


def iter_rows(path: Path, *, max_bytes: int) -> Iterator[Row]:
    """Yield ``(line number, {header: cell})`` for every non-empty data row."""
    check_size(path, max_bytes)
    kind = sniff_kind(path)
    yield from _rows(_xlsx_cells(path) if kind == "xlsx" else _csv_cells(path))


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def parse_date_cell(value: object) -> date | None:
    """Dates as people type them: 2023-03-15, 2023/3/15, 2023.3.15, 2023年3月15日, or an Excel date."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    m = _DATE_RE.match(cell_text(value).replace("\u3000", ""))
    if not m:
        raise ValueError(f"日期“{cell_text(value)}”无法识别，请写成 2023-03-15 或 2023年3月15日")
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise ValueError(f"日期“{cell_text(value)}”不存在") from None


def stream_to_temp(data: IO[bytes], dest: Path, *, max_bytes: int, chunk: int = 1 << 20) -> int:
    """Copy an upload to ``dest`` without holding it in memory; refuse it past ``max_bytes``."""
    written = 0
    with dest.open("wb") as out:
        while block := data.read(chunk):
            written += len(block)
            if written > max_bytes:
                raise PayloadTooLarge(
                    f"文件超过上限 {max_bytes / 1048576:.0f} MB，未作任何处理。", code="import.too_large"
                )
            out.write(block)
    return written


MAX_REPORTED = 1000


@dataclass(frozen=True)
class RowError:
    """One problem in an uploaded file: the line a person sees in Excel, the column, the reason."""

    line: int
    column: str
    message: str


@dataclass
class RowReport:
    """What an all-or-nothing import found: every bad row (the first 1,000 listed) and a count."""

    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def add(self, line: int, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED:
            self.errors.append(RowError(line, column, message))
