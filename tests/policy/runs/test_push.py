"""精准推送 through the command line on a fresh database: `longcheng policy batch` reads the
registry, stores each run, and the second run reports and pushes what changed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyarrow.parquet as pq
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.policy.support import RD, YEAR, firm, rd
from typer.testing import CliRunner

from longcheng.cli import app
from longcheng.core import audit
from longcheng.core.actors import Actor, Role
from longcheng.core.db import make_engine, make_sessionmaker, transaction
from longcheng.policy.inbox import service as inbox_service
from longcheng.policy.models import InputRecord, Notification, Run

runner = CliRunner()


@contextmanager
def _session(url: str) -> Iterator[Session]:
    engine = make_engine(url)
    try:
        with transaction(make_sessionmaker(engine)) as session:
            yield session
    finally:
        engine.dispose()


def _batch(out: Path, *extra: str) -> str:
    result = runner.invoke(app, ["policy", "batch", "--year", str(YEAR), "--out", str(out), *extra])
    assert result.exit_code == 0, result.output
    return result.output


def test_second_run_reports_the_changed_firm_and_pushes_it(cli_db: str, tmp_path: Path) -> None:
    """R&D corrected between two runs: the run says 金额变化 1 条, the firm's inbox has the reason."""
    with _session(cli_db) as session:
        steady, moving = (
            firm(session, name="常州平稳科技有限公司"),
            firm(session, name="常州变动科技有限公司"),
        )
        steady_uscc, moving_uscc = steady.uscc, moving.uscc
    first = _batch(tmp_path / "first.parquet")
    assert "新符合 2 条" in first
    assert "企业研发投入增长奖励（innovation.rd_growth_reward）：符合 2 家" in first
    table = pq.read_table(tmp_path / "first.parquet").to_pydict()
    assert table[f"{RD}.amount_fen"] == [18_000_000, 18_000_000]
    with _session(cli_db) as session:
        rd(session, moving, {YEAR: "15,000,000"}, source="更正申报")
    second = _batch(tmp_path / "second.xlsx")
    assert "新符合 0 条，不再符合 0 条，金额变化 1 条；已推送 1 条消息" in second
    with _session(cli_db) as session:
        runs = session.scalars(select(Run).order_by(Run.id)).all()
        assert [r.previous_id for r in runs] == [None, runs[0].id]
        change = session.scalars(select(Notification).where(Notification.run_id == runs[1].id)).one()
        assert (change.uscc, change.kind, change.amount_fen) == (moving_uscc, "changed", 82_000_000)
        assert "年度研发投入增长额：2,000,000.00 元 → 10,000,000.00 元" in change.reason
        firm_actor = Actor(id=None, username="f", role=Role.enterprise, org_uscc=moving_uscc)
        inbox = inbox_service.inbox(session, actor=firm_actor)
        assert [n.kind for n in inbox.items] == ["changed", "new"]
        steady_actor = Actor(id=None, username="s", role=Role.enterprise, org_uscc=steady_uscc)
        assert inbox_service.unread_count(session, actor=steady_actor) == 1
        assert [
            r.action for r in audit.history(session, entity_type="policy_run", entity_id=str(runs[1].id))
        ] == ["policy.run"]
    listing = runner.invoke(app, ["policy", "runs"])
    assert "第 2 次  2025 年度  企业库" in listing.output


def test_file_run_is_stored_only_when_asked(cli_db: str, tmp_path: Path) -> None:
    """A file batch touches no table unless --store is given; then it is compared like any run."""
    csv = tmp_path / "firms.csv"
    csv.write_text("uscc,enterprise_type,rd_growth\n91320411MA1XXXXXX5,high_tech,2000000\n", encoding="utf-8")
    _batch(tmp_path / "a.parquet", "--input", str(csv))
    with _session(cli_db) as session:
        assert session.scalars(select(Run)).all() == []
    stored = _batch(tmp_path / "b.parquet", "--input", str(csv), "--store", "--no-notify")
    assert "已保存第 1 次测算：新符合 1 条" in stored
    assert "已推送 0 条消息" in stored


def test_import_inputs_is_all_or_nothing(cli_db: str, tmp_path: Path) -> None:
    """A file with a bad amount exits 1 naming the line; the corrected file is written."""
    with _session(cli_db) as session:
        uscc = firm(session, growth=None).uscc
    path = tmp_path / "grants.csv"
    path.write_text(
        f"统一社会信用代码,年度,当年获得国家级科技项目资助（元）\n{uscc},2025,1.25e5\n", encoding="utf-8"
    )
    bad = runner.invoke(app, ["policy", "import-inputs", str(path)])
    assert bad.exit_code == 1
    assert "第 2 行" in bad.output
    path.write_text(
        f"统一社会信用代码,年度,当年获得国家级科技项目资助（元）\n{uscc},2025,12.5万\n", encoding="utf-8"
    )
    good = runner.invoke(app, ["policy", "import-inputs", str(path)])
    assert good.exit_code == 0, good.output
    with _session(cli_db) as session:
        assert session.scalars(select(InputRecord.value)).all() == [12_500_000]


def test_output_suffix_is_checked_before_any_work(cli_db: str, tmp_path: Path) -> None:
    """A .csv output is refused at once with exit code 2, before the registry is read."""
    result = runner.invoke(app, ["policy", "batch", "--year", str(YEAR), "--out", str(tmp_path / "x.csv")])
    assert result.exit_code == 2
    assert ".xlsx 或 .parquet" in result.output
