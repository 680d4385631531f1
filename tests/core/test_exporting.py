"""XLSX export never turns text into a formula (OWASP formula-injection rule)."""

from __future__ import annotations

import io
import zipfile

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook, load_workbook
from sqlalchemy.orm import Session
from tests.factories import login, make_org, make_user

from longcheng.core.exporting import append_row, write_xlsx

ATTACKS = ['=HYPERLINK("http://evil.example/","点我")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def _sheet_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        name = next(n for n in z.namelist() if n.startswith("xl/worksheets/sheet"))
        return z.read(name).decode("utf-8")


@pytest.mark.parametrize("text", ATTACKS)
def test_formula_like_text_is_written_as_text(text: str) -> None:
    """Each dangerous leading character gives a quote-prefixed text cell holding the exact text."""
    data = write_xlsx("表", ["名称", "数量"], [[text, 3]])
    assert "<f>" not in _sheet_xml(data)
    cell = load_workbook(io.BytesIO(data)).active["A2"]
    # XML reads a carriage return back as a line feed; the text is otherwise unchanged.
    assert (cell.value, cell.data_type, cell.quotePrefix) == (text.replace("\r", "\n"), "s", True)


def test_plain_values_keep_their_types() -> None:
    """Numbers (negative too), plain text and blanks are written as they are."""
    data = write_xlsx("表", ["名称", "数量", "空"], [["常州星河", -5, None]])
    row = next(load_workbook(io.BytesIO(data)).active.iter_rows(min_row=2, values_only=True))
    assert row == ("常州星河", -5, None)


def test_append_row_protects_normal_worksheets_too() -> None:
    """The helper for other writers works on an ordinary (not write-only) workbook as well."""
    wb = Workbook()
    append_row(wb.active, ["=1+1", "ok"])
    buf = io.BytesIO()
    wb.save(buf)
    assert "<f>" not in _sheet_xml(buf.getvalue())


def test_registry_export_of_a_hostile_name(app_client: TestClient, session: Session) -> None:
    """A firm named like a formula comes out of the registry export as plain text."""
    make_user(session, username="xlsxadmin")
    make_org(session, name='=HYPERLINK("http://evil.example/","常州注入有限公司")')
    session.commit()
    login(app_client, "xlsxadmin")
    resp = app_client.get("/registry/export.xlsx")
    assert resp.status_code == 200
    assert "<f>" not in _sheet_xml(resp.content)
