"""The batch on a Dask cluster: the same fen as the in-process run, and the same stored run."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest
from distributed import LocalCluster
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.policy.engine.test_batch import _population
from tests.policy.engine.test_partitions import assert_same
from tests.policy.runs.test_push import _batch, _session
from tests.policy.support import RD, YEAR, firm
from typer.testing import CliRunner

from longcheng.cli import app
from longcheng.core.actors import Actor, Role
from longcheng.core.errors import LongchengError, ValidationFailed
from longcheng.policy.engine.batch import evaluate_columns
from longcheng.policy.engine.pack import Pack
from longcheng.policy.engine.partitions import write_partitions
from longcheng.policy.engine.periods import Period
from longcheng.policy.models import Result, Run
from longcheng.policy.runs.service import run_registry_batch
from longcheng.policy.runs.service.cluster import connect, evaluate_on_cluster, run_cluster_batch

OFFICER = Actor(id=None, username="o", role=Role.officer, display_name="市级", district=None)


def test_200k_firms_in_8_partitions_equal_the_in_process_run(pack: Pack, tmp_path: Path) -> None:
    """200,000 firms on a two-worker LocalCluster: every amount, mask and reason is identical."""
    period = Period(2025)
    columns = _population(200_000, seed=5)
    whole = evaluate_columns(pack, columns, period, skip_missing=True)
    paths = write_partitions(columns, tmp_path, 8)
    with connect("local", workers=2, processes=False) as client:
        spread = evaluate_on_cluster(client, pack, paths, period)
    assert_same(whole, spread)
    assert sum(item["qualifying"] for item in spread.summary()) > 10_000


def _stored(session: Session, run: Run) -> list[tuple[object, ...]]:
    rows = session.execute(
        select(Result.uscc, Result.clause_id, Result.amount_fen, Result.reason, Result.basis, Result.org_name)
        .where(Result.run_id == run.id)
        .order_by(Result.uscc, Result.clause_id)
    )
    return [tuple(row) for row in rows]


def test_cluster_run_stores_what_the_in_process_run_stores(session: Session, tmp_path: Path) -> None:
    """A registry run on the cluster stores the same results, bases and totals as the run before it."""
    for index in range(5):
        firm(session, growth=f"{index + 1},500,000")
    firm(session, growth=None)
    here, _ = run_registry_batch(session, actor=OFFICER, year=YEAR)
    there, _ = run_cluster_batch(
        session, actor=OFFICER, year=YEAR, cluster="local", folder=tmp_path, partitions=3, processes=False
    )
    assert _stored(session, there) == _stored(session, here)
    assert (there.qualifying, there.total_fen, there.population) == (here.qualifying, here.total_fen, 6)
    assert there.previous_id == here.id
    assert (there.new_count, there.dropped_count, there.changed_count) == (0, 0, 0)
    assert list(tmp_path.iterdir()) == []


def test_cluster_address_must_be_local_or_a_scheduler(session: Session, tmp_path: Path) -> None:
    """A mistyped address is refused in Chinese before anything is written."""
    with pytest.raises(ValidationFailed) as caught:
        run_cluster_batch(session, actor=OFFICER, year=YEAR, cluster="host:8786", folder=tmp_path)
    assert caught.value.code_text == "policy.cluster_address"
    assert session.scalars(select(Run)).all() == []


def test_cli_cluster_local_runs_on_worker_processes(cli_db: str, tmp_path: Path) -> None:
    """`policy batch --cluster local`: two worker processes, the run stored and reported as usual."""
    with _session(cli_db) as session:
        firm(session, name="常州甲科技有限公司")
        firm(session, name="常州乙科技有限公司")
    shared = tmp_path / "shared"
    output = _batch(
        tmp_path / "out.parquet",
        "--cluster",
        "local",
        "--workers",
        "2",
        "--partitions",
        "2",
        "--shared-dir",
        str(shared),
    )
    assert "已保存第 1 次测算：新符合 2 条" in output
    assert pq.read_table(tmp_path / "out.parquet").to_pydict()[f"{RD}.amount_fen"] == [18_000_000] * 2
    assert list(shared.iterdir()) == []


def test_cli_cluster_is_only_for_the_registry(tmp_path: Path) -> None:
    """With --input the cluster option is refused in Chinese."""
    csv = tmp_path / "firms.csv"
    csv.write_text("uscc,rd_growth\n91320411MA1XXXXXX5,2000000\n", encoding="utf-8")
    args = ["policy", "batch", "--year", "2025", "--input", str(csv), "--out", str(tmp_path / "o.parquet")]
    result = CliRunner().invoke(app, [*args, "--cluster", "local"])
    assert result.exit_code == 2
    assert "--cluster 只用于读取企业库的测算" in result.output


def test_cluster_by_scheduler_address(session: Session, tmp_path: Path) -> None:
    """A running scheduler reached by its tcp:// address evaluates the run like the local cluster."""
    firm(session, growth="2,000,000")
    with LocalCluster(n_workers=1, processes=False, protocol="tcp", dashboard_address=None) as scheduler:
        run, _ = run_cluster_batch(
            session, actor=OFFICER, year=YEAR, cluster=scheduler.scheduler_address, folder=tmp_path
        )
    assert (run.population, run.qualifying, run.source_label) == (1, 1, "企业库")


def test_unreachable_scheduler_is_a_chinese_error() -> None:
    """No scheduler listening: a 503 error naming the address, not a traceback."""
    with pytest.raises(LongchengError) as caught, connect("tcp://127.0.0.1:9", timeout=1):
        pass
    assert (caught.value.code_text, caught.value.status_code) == ("policy.cluster_unreachable", 503)
    assert "无法连接集群调度器 tcp://127.0.0.1:9" in caught.value.message_text
