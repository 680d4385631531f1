"""The registry batch on a Dask cluster (``longcheng policy batch --cluster …``).

Why here: the rule engine stays pure and light (it never imports Dask); the partition format and
the joining of partial results are pure too (``policy.engine.partitions``). What is left is glue
that belongs to a stored run: read the population, export it as Parquet partitions to a folder the
workers can read, send one :func:`~longcheng.policy.engine.partitions.evaluate_partition` task per
partition, gather the parts in order, and store the joined result with :func:`store.store_run`
exactly as the in-process run does. The database stays on this (the client) machine: workers
read files and return arrays; the run, its results (written in batches) and the notifications are
written here, in the caller's transaction.

``cluster`` is ``local`` (a ``LocalCluster`` with ``workers`` processes on this machine, started
and stopped by the run) or a scheduler address such as ``tcp://10.0.0.5:8786``; remote workers
need this package installed and the folder mounted at the same path.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from distributed import Client, LocalCluster, as_completed
from sqlalchemy.orm import Session

from longcheng.core.actors import Actor
from longcheng.core.errors import LongchengError, ValidationFailed
from longcheng.policy import permissions as perm
from longcheng.policy.engine.batch import BatchResult
from longcheng.policy.engine.pack import Pack
from longcheng.policy.engine.partitions import (
    ColumnKey,
    Part,
    evaluate_partition,
    join_parts,
    write_partitions,
)
from longcheng.policy.engine.periods import Period
from longcheng.policy.inputs.service.sources import load_population
from longcheng.policy.models import Run
from longcheng.policy.runs.service.store import require_city_wide, store_run
from longcheng.policy.service import clause_inputs, get_pack, year_period

Progress = Callable[[str, int, int], None]
LOCAL = "local"


@contextmanager
def connect(
    cluster: str, *, workers: int = 2, processes: bool = True, timeout: float = 30
) -> Iterator[Client]:
    """A client of the named cluster; ``local`` starts a ``LocalCluster`` for the block.

    A scheduler that does not answer within ``timeout`` seconds is a ``policy.cluster_unreachable``
    error (503), not a traceback.
    """
    if cluster == LOCAL:
        local = LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=workers,
            threads_per_worker=1,
            processes=processes,
            dashboard_address=None,
            silence_logs=50,
        )
        with local, Client(local) as client:  # type: ignore[no-untyped-call]
            yield client
        return
    check_address(cluster)
    try:
        client = Client(cluster, timeout=timeout)  # type: ignore[no-untyped-call]
    except OSError as exc:
        raise LongchengError(
            f"无法连接集群调度器 {cluster}：请确认调度器已启动且地址、端口正确。",
            code="policy.cluster_unreachable",
            status=503,
        ) from exc
    with client:
        yield client


def check_address(cluster: str) -> None:
    """``local`` or a scheduler address (``tcp://`` or ``tls://``); anything else is refused."""
    if cluster != LOCAL and not cluster.startswith(("tcp://", "tls://")):
        raise ValidationFailed(
            f"集群地址“{cluster}”无效：请写 local 或调度器地址，如 tcp://host:8786",
            code="policy.cluster_address",
        )


def basis_keys(pack: Pack, period: Period, entity: str = "enterprise") -> list[ColumnKey]:
    """The variable columns a stored run shows as each qualifying firm's basis."""
    keys: dict[ColumnKey, None] = {}
    for clause in pack.clauses_for(entity, period.kind):
        for spec in clause_inputs(pack, clause):
            keys[(spec.name, period.as_kind(spec.period))] = None
    return list(keys)


def evaluate_on_cluster(
    client: Client,
    pack: Pack,
    paths: list[Path],
    period: Period,
    *,
    readings: Mapping[str, str] | None = None,
    keep: list[ColumnKey] | None = None,
) -> BatchResult:
    """One task per partition file, gathered as each finishes and joined in partition order.

    The pack is sent to every worker once; each task reads its own file and returns a ``Part``.
    A part is fetched as soon as its task ends, so a worker holds one partition's result at a
    time rather than all of its results until the end.
    """
    shared_pack = client.scatter(pack, broadcast=True, hash=False)  # type: ignore[no-untyped-call]
    futures = {
        client.submit(
            evaluate_partition,
            shared_pack,
            str(path),
            period,
            readings=dict(readings or {}),
            keep=keep or [],
            key=f"policy-partition-{index}-{path.parent.name}",
            pure=False,
        ): index
        for index, path in enumerate(paths)
    }
    parts: dict[int, Part] = {}
    for future in as_completed(list(futures)):  # type: ignore[no-untyped-call]
        parts[futures.pop(future)] = future.result()
    return join_parts(pack, [parts[index] for index in range(len(paths))], period, readings=readings)


def run_cluster_batch(
    session: Session,
    *,
    actor: Actor,
    year: int | str | None,
    cluster: str,
    folder: Path,
    partitions: int = 8,
    workers: int = 2,
    processes: bool = True,
    readings: Mapping[str, str] | None = None,
    notify: bool = True,
    progress: Progress | None = None,
) -> tuple[Run, BatchResult]:
    """``run_registry_batch`` with the evaluation spread over a Dask cluster; same stored run.

    ``processes=False`` runs a local cluster's workers as threads of this process (tests).
    """
    require_city_wide(actor, perm.RUN_CREATE)
    check_address(cluster)
    if partitions < 1 or workers < 1:
        raise ValidationFailed("分区数和工作进程数都至少为 1。", code="policy.cluster_size")
    pack = get_pack(None)
    period = year_period(pack, year)
    step = progress or (lambda _label, _done, _total: None)
    step("读取企业库", 0, 1)
    population = load_population(session, actor=actor, pack=pack, year=period.year)
    step("读取企业库", 1, 1)
    folder.mkdir(parents=True, exist_ok=True)
    shared = Path(tempfile.mkdtemp(prefix="policy-batch-", dir=folder))
    try:
        paths = write_partitions(population.columns, shared, partitions)
        step("集群计算", 0, len(paths))
        with connect(cluster, workers=workers, processes=processes) as client:
            result = evaluate_on_cluster(
                client, pack, paths, period, readings=readings, keep=basis_keys(pack, period)
            )
        step("集群计算", len(paths), len(paths))
    finally:
        shutil.rmtree(shared, ignore_errors=True)
    step("保存符合名单并比较上次测算", 0, 1)
    labels = (population.names, population.districts)
    run = store_run(
        session,
        actor=actor,
        result=result,
        labels=labels,
        source="registry",
        source_label="企业库",
        notify=notify,
    )
    step("保存符合名单并比较上次测算", 1, 1)
    return run, result
