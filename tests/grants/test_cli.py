"""``longcheng grants``: windows (list/open/close), bulk decisions from a file, payment batches
(create, export, mark paid from the bank's return file) and the audit sample."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from openpyxl import Workbook, load_workbook
from sqlalchemy.orm import Session
from tests.factories import make_user
from tests.grants.test_applications import CLOSES, _firm, _ready
from typer.testing import CliRunner

from longcheng.cli import app
from longcheng.core import users
from longcheng.core.actors import SYSTEM, Role
from longcheng.core.clock import utcnow
from longcheng.core.db import make_engine, make_sessionmaker, transaction
from longcheng.grants.applications.schemas import MoveIn
from longcheng.grants.applications.service import apply, decide
from longcheng.grants.applications.service.base import get
from longcheng.grants.batches import service as batches
from longcheng.grants.ledger import service as ledger
from longcheng.grants.programmes import service as programmes
from longcheng.grants.programmes.schemas import ProgrammeIn, WindowIn

runner = CliRunner()


def _seed(session: Session) -> tuple[int, list[str]]:
    """A programme with a budget, an open window and three submitted applications."""
    data = {"code": "CLI01", "name": "命令行测试专项", "department": "市科技局"}
    programmes.create(session, actor=SYSTEM, data=ProgrammeIn.model_validate(data))
    ledger.set_budget(session, actor=SYSTEM, programme_code="CLI01", fiscal_year=2026, amount_fen=100_000_00)
    now = utcnow()
    window = programmes.add_window(
        session,
        actor=SYSTEM,
        programme_code="CLI01",
        data=WindowIn.model_validate(
            {
                "code": "W1",
                "name": "命令行第一批",
                "fiscal_year": 2026,
                "opens_at": now - timedelta(days=1),
                "closes_at": CLOSES,
                "form_fields": [{"code": "project", "label": "项目名称"}, {"code": "jobs", "label": "就业"}],
            }
        ),
    )
    numbers = []
    for i in range(3):
        firm, _ = _firm(session, f"gcli{i}")
        number = _ready(session, firm, window)
        apply.submit(session, actor=firm, number=number, pledge=True)
        numbers.append(number)
    for name in ("gclifin1", "gclifin2"):
        make_user(session, username=name, role=Role.finance)
    return window.id, numbers


@contextmanager
def _unit(url: str) -> Iterator[Session]:
    engine = make_engine(url)
    try:
        with transaction(make_sessionmaker(engine)) as session:
            yield session
    finally:
        engine.dispose()


def _sheet(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(header)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def _decide_and_pay_ready(url: str, number: str) -> None:
    with _unit(url) as session:
        for stage in ("second_review", "expert_review", "financial_review"):
            decide.move(session, actor=SYSTEM, number=number, data=MoveIn(to_stage=stage, reason="同意"))
        decide.set_amount(session, actor=SYSTEM, number=number, approved_fen=30_000_00)
        for stage in ("proposed", "publicised"):
            decide.move(session, actor=SYSTEM, number=number, data=MoveIn(to_stage=stage, reason="同意"))
        get(session, actor=SYSTEM, number=number).stage_entered_at = utcnow() - timedelta(days=30)
        decide.move(session, actor=SYSTEM, number=number, data=MoveIn(to_stage="decided", reason="同意"))


def test_windows_decisions_batches_and_audit_from_the_command_line(cli_db: str, tmp_path: Path) -> None:
    with _unit(cli_db) as session:
        window_id, (a, b, c) = _seed(session)
    listed = runner.invoke(app, ["grants", "windows", "list", "--state", "open"])
    assert listed.exit_code == 0, listed.output
    assert "命令行第一批" in listed.output
    assert "申报中" in listed.output

    header = ["申报编号", "阶段", "决定", "决定理由"]
    bad = _sheet(tmp_path / "bad.xlsx", header, [[a, "受理", "通过", ""], [b, "受理", "不予支持", ""]])
    refused = runner.invoke(app, ["grants", "applications", "import", str(bad)])
    assert refused.exit_code == 1
    assert "未执行任何决定" in refused.output
    assert "第 3 行" in refused.output
    good = _sheet(
        tmp_path / "good.xlsx", header, [[a, "受理", "通过", ""], [b, "受理", "不予支持", "不符合条件"]]
    )
    done = runner.invoke(app, ["grants", "applications", "import", str(good), "--user", "gclifin1"])
    assert done.exit_code == 1  # finance may not make review decisions
    done = runner.invoke(app, ["grants", "applications", "import", str(good)])
    assert done.exit_code == 0, done.output
    assert "已执行 2 项决定" in done.output

    _decide_and_pay_ready(cli_db, a)
    created = runner.invoke(app, ["grants", "batches", "create"])
    assert created.exit_code == 0, created.output
    match = re.search(r"ID (\d+)", created.output)
    assert match
    batch_id = int(match.group(1))
    with _unit(cli_db) as session:
        for name in ("gclifin1", "gclifin2"):
            user = users.get_by_username(session, name)
            assert user is not None
            batches.approve(session, actor=user.to_actor(), batch_id=batch_id)
    out = tmp_path / "bank.xlsx"
    exported = runner.invoke(app, ["grants", "batches", "export", str(batch_id), str(out)])
    assert exported.exit_code == 0, exported.output
    sheet = load_workbook(out).active
    assert sheet is not None
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    head = [str(v) for v in rows[0]]
    line = next(r for r in rows[1:] if r[head.index("付款参考号")])
    assert "叁万元整" in str(line[head.index("金额大写")])
    reference = str(line[head.index("付款参考号")])
    back = _sheet(
        tmp_path / "return.xlsx",
        ["付款参考号", "金额（元）", "结果"],
        [[reference, "30000.00", "成功"], ["NOPE123", "1.00", "成功"]],
    )
    paid = runner.invoke(app, ["grants", "batches", "paid", str(batch_id), str(back)])
    assert paid.exit_code == 1
    assert "已支付 1 笔" in paid.output
    assert "NOPE123" in paid.output

    sample = runner.invoke(app, ["grants", "audit", "sample", "CLI01", "2026", "--size", "1", "--seed", "7"])
    assert sample.exit_code == 0, sample.output
    assert "抽中 1 笔" in sample.output
    assert "随机种子 7" in sample.output

    closed = runner.invoke(app, ["grants", "windows", "close", str(window_id)])
    assert closed.exit_code == 0, closed.output
    assert "命令行第一批" in runner.invoke(app, ["grants", "windows", "list", "--state", "closed"]).output
    reopen = runner.invoke(app, ["grants", "windows", "open", str(window_id)])
    assert reopen.exit_code == 1
    assert "截止时间须晚于开始时间" in reopen.output
    _ = c
