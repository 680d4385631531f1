"""Importing organisations: every row validated, all or nothing, any encoding people send."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.factories import bearer, make_org, make_user, new_uscc

from longcheng.core.actors import SYSTEM
from longcheng.core.audit import AuditRecord
from longcheng.core.errors import LongchengError
from longcheng.registry import importer
from longcheng.registry.models import Organisation, OrgFact, OrgTag

HEADERS = importer.HEADERS


def row(**cells: object) -> list[object]:
    base: dict[str, object] = {
        "统一社会信用代码": new_uscc(),
        "机构名称": f"常州导入{new_uscc()[-6:]}有限公司",
        "所属区": "新北区",
    }
    base.update(cells)
    return [base.get(h, "") for h in HEADERS]


def write_csv(path: Path, rows: list[list[object]], encoding: str) -> Path:
    buf = io.StringIO()
    csv.writer(buf).writerows([HEADERS, *rows])
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Organisation)) or 0


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_in_every_encoding(session: Session, tmp_path: Path, encoding: str) -> None:
    """UTF-8, UTF-8 with BOM and GBK files import the same Chinese names."""
    path = write_csv(
        tmp_path / "orgs.csv", [row(机构名称="常州溧阳编码测试有限公司", 所属区="溧阳")], encoding
    )
    report = importer.run_import(session, actor=SYSTEM, path=path, max_bytes=10**7)
    assert report.ok, report.errors
    assert (
        session.scalar(select(Organisation.name).where(Organisation.district == "liyang"))
        == "常州溧阳编码测试有限公司"
    )


def test_numbers_dates_tags_and_facts(session: Session, tmp_path: Path) -> None:
    """``1,234.5万`` in a 万元 column, ``2023年3月15日`` and tags with dates are understood."""
    path = write_xlsx(
        tmp_path / "orgs.xlsx",
        [
            row(
                **{
                    "成立日期": "2023年3月15日",
                    "企业标签": "高新技术企业:2023/11/1；专精特新中小企业(省级):2024-01-01",
                    "数据年度": 2024,
                    "营业收入（万元）": "1,234.5万",
                    "研发投入（万元）": "56.78",
                    "从业人数": "1,200",
                }
            )
        ],
    )
    report = importer.run_import(session, actor=SYSTEM, path=path, max_bytes=10**7)
    assert report.ok, report.errors
    org = session.scalars(select(Organisation).order_by(Organisation.id.desc())).first()
    assert org is not None
    assert str(org.established) == "2023-03-15"
    facts = {f.kind: f.value for f in session.scalars(select(OrgFact).where(OrgFact.org_id == org.id))}
    assert facts == {"revenue": 1_234_500_000, "rd_spending": 56_780_000, "employees": 1200}
    tags = {
        (t.tag, t.level, str(t.valid_to))
        for t in session.scalars(select(OrgTag).where(OrgTag.org_id == org.id))
    }
    assert ("high_tech", None, "2026-10-31") in tags
    assert ("srdi", "province", "2026-12-31") in tags


def test_any_bad_row_writes_nothing_and_every_bad_row_is_listed(session: Session, tmp_path: Path) -> None:
    """A file with bad rows writes nothing; each bad row is reported with its line and reason."""
    existing = make_org(session)
    good = new_uscc()
    rows = [
        row(),
        row(统一社会信用代码=good[:17] + ("0" if good[17] != "0" else "1")),
        row(所属区="火星区"),
        row(机构名称=""),
        row(统一社会信用代码=existing.uscc),
        row(统一社会信用代码=good),
        row(统一社会信用代码=good),
        row(成立日期="去年春天"),
        row(数据年度=2024, 营业收入="abc"),
    ]
    before = count(session)
    audit_before = session.scalar(select(func.count()).select_from(AuditRecord))
    report = importer.run_import(
        session, actor=SYSTEM, path=write_csv(tmp_path / "bad.csv", rows, "utf-8"), max_bytes=10**7
    )
    assert not report.ok
    by_line = {e.line: e.message for e in report.errors}
    assert "校验位错误" in by_line[3]
    assert "未知的所属区" in by_line[4]
    assert "必填项为空" in by_line[5]
    assert "已在系统中登记" in by_line[6]
    assert "与第 7 行重复" in by_line[8]
    assert "无法识别" in by_line[9]
    assert count(session) == before
    assert session.scalar(select(func.count()).select_from(AuditRecord)) == audit_before


def test_renamed_pdf_is_refused(session: Session, tmp_path: Path) -> None:
    """A non-spreadsheet renamed .xlsx gets a clear message, not a crash."""
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"%PDF-1.4 not a spreadsheet")
    with pytest.raises(LongchengError) as info:
        importer.run_import(session, actor=SYSTEM, path=path, max_bytes=10**7)
    assert info.value.code_text == "import.not_spreadsheet"


def test_merged_header_is_refused(session: Session, tmp_path: Path) -> None:
    """A header with an empty (merged) cell is refused before any row is read."""
    wb = Workbook()
    ws = wb.active
    ws.append(["统一社会信用代码", None, "所属区"])
    ws.merge_cells("A1:B1")
    ws.append([new_uscc(), "常州某有限公司", "新北区"])
    wb.save(tmp_path / "merged.xlsx")
    with pytest.raises(LongchengError) as info:
        importer.run_import(session, actor=SYSTEM, path=tmp_path / "merged.xlsx", max_bytes=10**7)
    assert info.value.code_text == "import.bad_header"


def test_each_imported_org_has_an_audit_record(session: Session, tmp_path: Path) -> None:
    """Imported organisations carry their own 痕迹 from the start."""
    code = new_uscc()
    importer.run_import(
        session,
        actor=SYSTEM,
        path=write_csv(tmp_path / "a.csv", [row(统一社会信用代码=code)], "utf-8"),
        max_bytes=10**7,
    )
    actions = session.scalars(select(AuditRecord.action).where(AuditRecord.entity_id == code)).all()
    assert actions == ["registry.org.import"]


class TestUpload:
    def test_upload_report_lists_bad_rows(
        self, app_client: TestClient, session: Session, tmp_path: Path
    ) -> None:
        """The API answers 422 with every bad row when one row is wrong, in the error body's shape."""
        user = make_user(session, username="imp1")
        headers = bearer(session, user)
        session.commit()
        path = write_csv(tmp_path / "x.csv", [row(), row(所属区="火星区")], "gbk")
        resp = app_client.post(
            "/api/v1/registry/import",
            headers=headers,
            files={"file": ("x.csv", path.read_bytes(), "text/csv")},
        )
        assert resp.status_code == 422
        assert resp.json()["errors"][0]["line"] == 3
        assert resp.json()["code"] == "registry.import_rows"
        assert "未写入任何数据" in resp.json()["message"]

    def test_oversized_upload_is_refused(self, app_client: TestClient, session: Session) -> None:
        """A file over the limit is refused with 413 and a Chinese message; nothing is written."""
        user = make_user(session, username="imp2")
        headers = bearer(session, user)
        session.commit()
        before = count(session)
        big = b"a" * (7 * 1024 * 1024)
        resp = app_client.post(
            "/api/v1/registry/import", headers=headers, files={"file": ("big.csv", big, "text/csv")}
        )
        assert resp.status_code == 413
        assert "超过上限" in resp.json()["message"]
        assert count(session) == before

    def test_template_download_has_chinese_headers(self, app_client: TestClient, session: Session) -> None:
        """The template's first row is the Chinese header the importer reads."""
        user = make_user(session, username="imp3")
        headers = bearer(session, user)
        session.commit()
        resp = app_client.get("/registry/template.xlsx", headers=headers)
        ws = load_workbook(io.BytesIO(resp.content)).active
        assert [c.value for c in ws[1]] == HEADERS


def test_amounts_past_64_bits_are_row_errors(session: Session, tmp_path: Path) -> None:
    """A revenue of 10³⁰ 万元 or a head count of 10²⁰ is a row error, not a database overflow."""
    rows = [
        row(数据年度=2024, **{"营业收入（万元）": "1" + "0" * 30}),
        row(数据年度=2024, 从业人数="1" + "0" * 20),
    ]
    report = importer.run_import(
        session, actor=SYSTEM, path=write_csv(tmp_path / "big.csv", rows, "utf-8"), max_bytes=10**7
    )
    messages = {e.line: e.message for e in report.errors}
    assert messages[2].startswith("数字过大")
    assert messages[3] == "人数超出允许范围"
