"""Damaged spreadsheets are a 422 with the reason, for every importer, and nothing breaks after."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook
from sqlalchemy.orm import Session
from tests.factories import bearer, make_user

from longcheng.core.tabular import ImportFileError, iter_rows


def broken_workbook() -> bytes:
    """A real .xlsx whose xl/workbook.xml is cut short."""
    wb = Workbook()
    wb.active.append(["统一社会信用代码", "机构名称"])
    good = io.BytesIO()
    wb.save(good)
    out = io.BytesIO()
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            dst.writestr(item, data[: len(data) // 2] if item.filename == "xl/workbook.xml" else data)
    return out.getvalue()


def long_field_csv() -> bytes:
    return ("统一社会信用代码,机构名称\n91320411MA1XXXXXX5," + "长" * 200_000 + "\n").encode()


@pytest.mark.parametrize(
    ("name", "content", "code", "reason"),
    [
        ("bad.xlsx", broken_workbook(), "import.broken_xlsx", "Excel 文件已损坏"),
        ("long.csv", long_field_csv(), "import.cell_too_long", "超过 131,072 个字符"),
    ],
)
def test_damaged_file_is_refused_with_reason(
    tmp_path: Path, name: str, content: bytes, code: str, reason: str
) -> None:
    """The shared reader turns parser crashes into an ImportFileError that says why."""
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ImportFileError) as info:
        list(iter_rows(path, max_bytes=10**7))
    assert info.value.code_text == code
    assert reason in info.value.message_text
    assert info.value.status_code == 422


@pytest.mark.parametrize(
    ("name", "content"), [("bad.xlsx", broken_workbook()), ("long.csv", long_field_csv())]
)
def test_import_upload_answers_422_and_the_client_carries_on(
    app_client: TestClient, session: Session, name: str, content: bytes
) -> None:
    """Uploading either file to the registry import is a 422 with the reason; the next request works."""
    headers = bearer(session, make_user(session, username="tab-admin"))
    resp = app_client.post("/api/v1/registry/import", headers=headers, files={"file": (name, content)})
    assert resp.status_code == 422, resp.text
    assert resp.json()["code"] in {"import.broken_xlsx", "import.cell_too_long"}
    assert app_client.get("/api/v1/registry/orgs", headers=headers).status_code == 200
