"""XLSX export with stable columns, streamed with openpyxl's write-only mode.

Every XLSX writer goes through :func:`text_safe_cell` (or :func:`append_row`): a text cell that
begins with ``= + - @``, a tab or a carriage return is stored as text with Excel's quote prefix,
never as a formula (the OWASP rule against formula injection). A firm named
``=HYPERLINK("http://…")`` is exported as those characters, not as a live link.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell as XlsxCell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Cell = str | int | float | date | datetime | None
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: object) -> bool:
    """True for text a spreadsheet could read as a formula (OWASP's list of leading characters)."""
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def text_safe_cell(
    ws: Worksheet | WriteOnlyWorksheet, value: object, *, font: Font | None = None
) -> XlsxCell:
    """A cell for ``ws`` holding ``value``; formula-like text is kept as quote-prefixed text."""
    cell: XlsxCell = WriteOnlyCell(ws, value=value)
    if is_formula_like(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    if font is not None:
        cell.font = font
    return cell


def append_row(
    ws: Worksheet | WriteOnlyWorksheet, values: Iterable[object], *, font: Font | None = None
) -> None:
    """Append one row (normal or write-only sheet); formula-like text goes in as text.

    Plain values are passed through untouched (a cell object per value would slow a
    100,000-row export); only styled or formula-like values become :func:`text_safe_cell`.
    """
    ws.append(
        [v if font is None and not is_formula_like(v) else text_safe_cell(ws, v, font=font) for v in values]
    )


def write_xlsx(sheet_title: str, headers: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """One sheet: a bold header row, then ``rows`` in order; the header is frozen and filterable."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet_title[:31])
    ws.freeze_panes = "A2"
    append_row(ws, headers, font=Font(bold=True))
    count = 0
    for row in rows:
        append_row(ws, row)
        count += 1
    ws.auto_filter.ref = f"A1:{_col(len(headers))}{count + 1}"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _col(n: int) -> str:
    name = ""
    while n:
        n, rem = divmod(n - 1, 26)
        name = chr(65 + rem) + name
    return name or "A"
