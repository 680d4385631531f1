"""Bulk decisions by re-importing the exported queue XLSX: all or nothing, each row checked."""

from __future__ import annotations

import io
from datetime import timedelta

from fastapi.testclient import TestClient
from openpyxl import Workbook, load_workbook
from sqlalchemy.orm import Session
from tests.factories import csrf_from, login, make_user
from tests.grants.conftest import MakeProgramme
from tests.grants.test_applications import _firm, _ready, _window

from longcheng.core.actors import SYSTEM, Role
from longcheng.core.clock import utcnow
from longcheng.grants.applications.schemas import MoveIn
from longcheng.grants.applications.service import apply, decide
from longcheng.grants.applications.service.base import get
from longcheng.grants.ledger import service as ledger


def _submitted(
    session: Session, make_programme: MakeProgramme, n: int, budget_fen: int = 100_000_00
) -> list[str]:
    window = _window(session, make_programme(budget_fen=budget_fen))
    numbers = []
    for i in range(n):
        firm, _ = _firm(session, f"gbulk{i}")
        number = _ready(session, firm, window)
        apply.submit(session, actor=firm, number=number, pledge=True)
        numbers.append(number)
    return numbers


def _officer(client: TestClient, session: Session) -> str:
    make_user(session, username="gbulkoff", role=Role.officer)
    login(client, "gbulkoff")
    return csrf_from(client.get("/grants/queue/decisions").text)


def _export(client: TestClient, stage: str) -> Workbook:
    resp = client.get("/grants/queue.xlsx", params={"stage": stage})
    assert resp.status_code == 200
    return load_workbook(io.BytesIO(resp.content))


def _fill(book: Workbook, decisions: dict[str, tuple[str, str, str | None]]) -> bytes:
    """``decisions``: number → (决定, 理由, 核定金额 or None to leave it)."""
    sheet = book.active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    col = {name: header.index(name) + 1 for name in ("申报编号", "决定", "决定理由", "核定金额（元）")}
    for row in range(2, sheet.max_row + 1):
        number = sheet.cell(row, col["申报编号"]).value
        if number in decisions:
            word, reason, amount = decisions[str(number)]
            sheet.cell(row, col["决定"]).value = word
            sheet.cell(row, col["决定理由"]).value = reason
            if amount is not None:
                sheet.cell(row, col["核定金额（元）"]).value = amount
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _upload(client: TestClient, token: str, data: bytes) -> tuple[int, str]:
    resp = client.post(
        "/grants/queue/decisions",
        data={"csrf_token": token},
        files={"file": ("queue.xlsx", data)},
    )
    return resp.status_code, resp.text


def _stages(session: Session, numbers: list[str]) -> list[str]:
    session.expire_all()
    return [get(session, actor=SYSTEM, number=n).stage for n in numbers]


def test_a_bad_row_writes_nothing_then_the_fixed_file_applies_all(
    app_client: TestClient, session: Session, make_programme: MakeProgramme
) -> None:
    """One decision without its reason refuses the whole file; the corrected file moves every row."""
    a, b, c, untouched = _submitted(session, make_programme, 4)
    token = _officer(app_client, session)
    book = _export(app_client, "submitted")
    bad = _fill(book, {a: ("通过", "", None), b: ("退回", "缺少审计报告", None), c: ("不予支持", "", None)})
    status, text = _upload(app_client, token, bad)
    assert status == 422
    assert "未执行任何决定" in text
    assert "退回或不予支持须写明理由" in text
    assert _stages(session, [a, b, c, untouched]) == ["submitted"] * 4
    good = _fill(book, {c: ("不予支持", "不符合支持条件", None)})
    status, text = _upload(app_client, token, good)
    assert status == 200, text
    assert "已执行 3 项决定" in text
    assert _stages(session, [a, b, c, untouched]) == ["first_review", "returned", "rejected", "submitted"]
    assert get(session, actor=SYSTEM, number=b).return_reason == "缺少审计报告"
    audit_page = app_client.get("/audit", params={"q": "批量决定"})
    assert audit_page.status_code in (200, 403)


def test_unknown_number_and_a_stage_changed_since_export_are_named(
    app_client: TestClient, session: Session, make_programme: MakeProgramme
) -> None:
    a, b = _submitted(session, make_programme, 2)
    token = _officer(app_client, session)
    book = _export(app_client, "submitted")
    decide.move(session, actor=SYSTEM, number=b, data=MoveIn(to_stage="first_review", reason="同意"))
    sheet = book.active
    assert sheet is not None
    sheet.append(["SB2026999999", "", "", "", "", "受理", "", "", "", "", "", "", "通过", ""])
    data = _fill(book, {a: ("通过", "", None), b: ("通过", "", None)})
    status, text = _upload(app_client, token, data)
    assert status == 422
    assert "未找到申报“SB2026999999”" in text
    assert "导出后阶段已变化" in text
    assert _stages(session, [a, b]) == ["submitted", "first_review"]


def _to_financial_review(session: Session, numbers: list[str]) -> None:
    for n in numbers:
        for stage in ("first_review", "second_review", "expert_review", "financial_review"):
            decide.move(session, actor=SYSTEM, number=n, data=MoveIn(to_stage=stage, reason="同意"))


def test_amount_over_requested_and_budget_overspend_are_refused(
    app_client: TestClient, session: Session, make_programme: MakeProgramme
) -> None:
    """Amounts above the request are refused in 财务审核; 下达 rows that together overspend the
    budget are refused, and 下达 before the 公示 period ends is refused too."""
    a, b = _submitted(session, make_programme, 2, budget_fen=60_000_00)
    _to_financial_review(session, [a, b])
    token = _officer(app_client, session)
    book = _export(app_client, "financial_review")
    status, text = _upload(app_client, token, _fill(book, {a: ("通过", "", "60000"), b: ("通过", "", None)}))
    assert status == 422
    assert "超过申请金额" in text
    assert "须填写核定金额" in text
    ok = _fill(book, {a: ("通过", "", "40000"), b: ("通过", "", "40000.00")})
    assert _upload(app_client, token, ok)[0] == 200
    for n in (a, b):
        decide.move(session, actor=SYSTEM, number=n, data=MoveIn(to_stage="publicised", reason="同意"))
    too_early = _fill(_export(app_client, "publicised"), {a: ("通过", "", None)})
    status, text = _upload(app_client, token, too_early)
    assert status == 422
    assert "公示期满后方可下达" in text
    for n in (a, b):
        get(session, actor=SYSTEM, number=n).stage_entered_at = utcnow() - timedelta(days=30)
    session.flush()
    both = _fill(_export(app_client, "publicised"), {a: ("通过", "", None), b: ("通过", "", None)})
    status, text = _upload(app_client, token, both)
    assert status == 422
    assert "超出预算" in text
    assert _stages(session, [a, b]) == ["publicised", "publicised"]
    one = _fill(_export(app_client, "publicised"), {a: ("通过", "", None)})
    assert _upload(app_client, token, one)[0] == 200
    assert _stages(session, [a, b]) == ["decided", "publicised"]
    programme_id = get(session, actor=SYSTEM, number=a).programme_id
    bal = ledger.balances(session, actor=SYSTEM, programme_id=programme_id, fiscal_year=2026)
    assert bal.available_fen == 20_000_00
