"""``longcheng policy``: explain a clause, run the pack's YAML cases, batch a whole population.

``explain``, ``guide``, ``test`` and ``batch --input FILE`` need no database. ``batch`` without
``--input`` reads every enterprise from the registry (and the policy-owned inputs), stores the
run and its qualifying set, compares it with the previous run of the year and pushes the
notifications (``policy.runs.service``); ``batch --input FILE --store`` stores a file run the
same way; with ``--cluster local|tcp://host:8786`` the registry batch is evaluated on a Dask
cluster (``policy.runs.service.cluster``) and stored the same way. ``runs`` lists stored runs;
``import-inputs`` loads policy-owned inputs.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from longcheng.core.actors import SYSTEM
from longcheng.core.cliutil import fail, settings, unit_of_work
from longcheng.core.errors import LongchengError
from longcheng.core.progress import Report, cli_progress
from longcheng.policy.engine.amounts import fen_to_yuan
from longcheng.policy.engine.batch import BatchResult, evaluate_columns
from longcheng.policy.engine.cases import run_cases
from longcheng.policy.engine.explain import explain, explanation_text
from longcheng.policy.engine.guide import guide, guide_text
from longcheng.policy.engine.loader import DEFAULT_PACK, load_pack
from longcheng.policy.engine.pack import Pack
from longcheng.policy.engine.periods import Period
from longcheng.policy.engine.tables import read_table, table_columns, write_result
from longcheng.policy.inputs.service.records import run_import
from longcheng.policy.runs.service import list_runs, run_registry_batch, store_run

app = typer.Typer(
    help="政策规则引擎：一键查的计算解释、官员可读的测试用例、全市批量测算。", no_args_is_help=True
)

PackOption = Annotated[Path | None, typer.Option("--pack", help="政策包目录（默认：示例包）")]
YearOption = Annotated[int, typer.Option("--year", help="年度，如 2025")]
MonthOption = Annotated[int, typer.Option("--month", help="月份（按月计算的条款用），1–12")]


def _fail(exc: LongchengError) -> NoReturn:
    fail(exc)
    raise typer.Exit(1)


def _period(year: int, month: int) -> Period:
    return Period(year, month) if month else Period(year)


def _pairs(values: list[str], what: str) -> dict[str, str]:
    pairs = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            typer.echo(f"错误：{what}“{item}”应写成 名称=值", err=True)
            raise typer.Exit(2)
        pairs[name.strip()] = value.strip()
    return pairs


def _dump(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


@app.command("explain")
def explain_command(
    clause: Annotated[str, typer.Argument(help="条款编号，如 innovation.rd_growth_reward")],
    year: YearOption,
    set_: Annotated[list[str], typer.Option("--set", help="输入 名称=值（金额以元计），可重复")] = [],  # noqa: B006
    reading: Annotated[
        str | None, typer.Option("--reading", help="条文解读（默认使用条款的默认解读）")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
    month: MonthOption = 0,
    pack_dir: PackOption = None,
) -> None:
    """计算一个条款并逐条解释：条件、例外、分档、参数及依据、解读与合计。"""
    try:
        pack = load_pack(pack_dir)
        data = explain(pack, clause, _pairs(set_, "输入"), _period(year, month), reading=reading)
    except LongchengError as exc:
        _fail(exc)
    if as_json:
        _dump(data)
    else:
        typer.echo(explanation_text(data))


@app.command("guide")
def guide_command(
    clause: Annotated[str, typer.Argument(help="条款编号")],
    year: YearOption,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
    month: MonthOption = 0,
    pack_dir: PackOption = None,
) -> None:
    """生成条款的申兑指南。"""
    try:
        data = guide(load_pack(pack_dir), clause, _period(year, month))
    except LongchengError as exc:
        _fail(exc)
    if as_json:
        _dump(data)
    else:
        typer.echo(guide_text(data))


@app.command("test")
def run_cases_command(
    pack_dir: Annotated[Path | None, typer.Argument(help="政策包目录（默认：示例包）")] = None,
) -> None:
    """运行政策包 tests/ 下的 YAML 用例：逐条显示通过/失败，有失败时退出码为 1。"""
    try:
        results = run_cases(load_pack(pack_dir))
    except LongchengError as exc:
        _fail(exc)
    failed = 0
    for result in results:
        mark = "通过" if result.passed else "失败"
        typer.echo(f"[{mark}] {result.case.clause} · {result.case.name}")
        for problem in result.problems:
            typer.echo(f"    {problem}（{result.case.loc.describe()}）")
        failed += not result.passed
    typer.echo(f"共 {len(results)} 条用例：{len(results) - failed} 条通过，{failed} 条失败。")
    if failed:
        raise typer.Exit(1)


def _progress(label: str) -> AbstractContextManager[Report]:
    """A bar on a terminal, plain lines when piped; on stderr, so stdout keeps the results."""
    return cli_progress(label, stream=sys.stderr)


def _writer(report: Report, total: int, out: Path) -> Callable[[int], None]:
    """Rows written so far → 80–100 % of the command's progress."""
    written = [0]

    def advance(rows: int) -> None:
        written[0] += rows
        report(80 + 20 * written[0] // max(total, 1), f"写出 {out.name}：{written[0]}/{total} 行")

    return advance


def run_batch(
    pack: Pack, columns: dict[str, Any], period: Period, out: Path, *, entity: str, readings: dict[str, str]
) -> BatchResult:
    """Evaluate the columns and write the result file, with a progress bar.

    Clauses whose input columns are absent are skipped and listed, never half computed.
    """
    with _progress("批量测算") as report:
        clauses = pack.clauses_for(entity, period.kind)
        done = iter(range(1, len(clauses) + 1))

        def clause_done(_: object) -> None:
            n = next(done)
            report(80 * n // max(len(clauses), 1), f"计算条款 {n}/{len(clauses)}")

        result = evaluate_columns(
            pack,
            columns,
            period,
            entity=entity,
            readings=readings,
            on_clause=clause_done,
            skip_missing=True,
        )
        write_result(result, out, progress=_writer(report, len(result.ids), out))
    return result


@app.command("batch")
def batch_command(
    year: YearOption,
    input_path: Annotated[
        Path | None, typer.Option("--input", help="输入文件 .csv 或 .parquet（金额以元计）；不填则读取企业库")
    ] = None,
    out: Annotated[Path, typer.Option("--out", help="输出文件 .xlsx 或 .parquet")] = Path(
        "policy-batch.xlsx"
    ),
    entity: Annotated[str, typer.Option("--entity", help="主体：enterprise 或 talent")] = "enterprise",
    reading: Annotated[list[str], typer.Option("--reading", help="条款=解读，可重复")] = [],  # noqa: B006
    month: MonthOption = 0,
    pack_dir: PackOption = None,
    store: Annotated[
        bool, typer.Option("--store/--no-store", help="保存本次测算并与上次比较（读取企业库时总是保存）")
    ] = False,
    notify: Annotated[bool, typer.Option("--notify/--no-notify", help="向企业消息箱推送变化")] = True,
    cluster: Annotated[
        str | None,
        typer.Option("--cluster", help="在 Dask 集群上计算：local（本机多进程）或调度器地址 tcp://host:8786"),
    ] = None,
    partitions: Annotated[int, typer.Option("--partitions", help="集群计算的分区数")] = 8,
    workers: Annotated[int, typer.Option("--workers", help="--cluster local 时的工作进程数")] = 2,
    shared_dir: Annotated[
        Path | None,
        typer.Option(
            "--shared-dir", help="分区文件目录，各工作节点须能以同一路径读取（默认：数据目录/cluster）"
        ),
    ] = None,
) -> None:
    """测算全部条款：读取企业库（保存测算、比较上次、推送消息）或输入文件，输出 XLSX 或 Parquet。"""
    _check_output(out)
    readings = _pairs(reading, "解读")
    if input_path is None:
        if pack_dir is not None or entity != "enterprise" or month:
            typer.echo("错误：读取企业库时只能测算示例政策包的企业年度条款；其他情形请用 --input。", err=True)
            raise typer.Exit(2)
        spread = None
        if cluster is not None:
            spread = ClusterRun(cluster, partitions, workers, shared_dir or settings().data_dir / "cluster")
        result = _registry_batch(year, out, readings, notify, spread)
    elif cluster is not None:
        typer.echo("错误：--cluster 只用于读取企业库的测算。", err=True)
        raise typer.Exit(2)
    else:
        result = _file_batch(
            year, month, input_path, out, entity, readings, pack_dir, store=store, notify=notify
        )
    _report(result, out)


def _check_output(out: Path) -> None:
    if out.suffix.lower() not in (".xlsx", ".parquet"):
        typer.echo(f"错误：不支持的输出文件“{out.name}”：请使用 .xlsx 或 .parquet", err=True)
        raise typer.Exit(2)


def _file_batch(
    year: int,
    month: int,
    input_path: Path,
    out: Path,
    entity: str,
    readings: dict[str, str],
    pack_dir: Path | None,
    *,
    store: bool,
    notify: bool,
) -> BatchResult:
    try:
        pack = load_pack(pack_dir)
        period = _period(year, month)
        if entity not in pack.entities:
            typer.echo(f"错误：主体应为 {'、'.join(pack.entities)} 之一", err=True)
            raise typer.Exit(2)
        columns = table_columns(pack, read_table(input_path), period, entity)
        result = run_batch(pack, columns, period, out, entity=entity, readings=readings)
    except LongchengError as exc:
        _fail(exc)
    if store:
        _store_file_run(result, input_path, notify=notify)
    return result


def _store_file_run(result: BatchResult, input_path: Path, *, notify: bool) -> None:

    if result.entity != "enterprise" or result.pack.id != DEFAULT_PACK:
        typer.echo("错误：只能保存示例政策包的企业测算（消息按企业推送）。", err=True)
        raise typer.Exit(2)
    with unit_of_work() as session:
        run = store_run(
            session, actor=SYSTEM, result=result, source="file", source_label=input_path.name, notify=notify
        )
        typer.echo(_run_line(run.id, run.new_count, run.dropped_count, run.changed_count, run.notified))


@dataclass(frozen=True)
class ClusterRun:
    """Where and how widely ``--cluster`` spreads the evaluation."""

    address: str
    partitions: int
    workers: int
    folder: Path


def _registry_batch(
    year: int, out: Path, readings: dict[str, str], notify: bool, spread: ClusterRun | None = None
) -> BatchResult:
    spans = {"读取企业库": (0, 10), "计算条款": (10, 70), "保存符合名单并比较上次测算": (70, 80)}
    with _progress("全市批量测算") as report, unit_of_work() as session:

        def step(label: str, done: int, total: int) -> None:
            low, high = spans.get(label, (0, 80))
            report(low + (high - low) * done // max(total, 1), f"{label} {done}/{total}")

        if spread is None:
            run, result = run_registry_batch(
                session, actor=SYSTEM, year=year, readings=readings, notify=notify, progress=step
            )
        else:
            # Imported here: Dask's distributed takes ~1 s to import, and only --cluster needs it.
            from longcheng.policy.runs.service.cluster import run_cluster_batch  # noqa: PLC0415

            run, result = run_cluster_batch(
                session,
                actor=SYSTEM,
                year=year,
                cluster=spread.address,
                folder=spread.folder,
                partitions=spread.partitions,
                workers=spread.workers,
                readings=readings,
                notify=notify,
                progress=step,
            )
        write_result(result, out, progress=_writer(report, len(result.ids), out))
        line = _run_line(run.id, run.new_count, run.dropped_count, run.changed_count, run.notified)
    typer.echo(line)
    return result


def _run_line(run_id: int, new: int, dropped: int, changed: int, notified: int) -> str:
    return (
        f"已保存第 {run_id} 次测算：新符合 {new} 条，不再符合 {dropped} 条，金额变化 {changed} 条；"
        f"已推送 {notified} 条消息。"
    )


def _report(result: BatchResult, out: Path) -> None:
    for clause_id, why in result.skipped.items():
        typer.echo(f"已跳过 {clause_id}：{why}")
    for item in result.summary():
        typer.echo(
            f"{item['title']}（{item['clause']}）：符合 {item['qualifying']} 家，合计 {item['total']} 元"
        )
    typer.echo(f"结果已写入 {out}")


@app.command("runs")
def runs_command(limit: Annotated[int, typer.Option("--limit", help="显示条数")] = 20) -> None:
    """列出最近的批量测算及其精准推送统计。"""

    with unit_of_work() as session:
        page = list_runs(session, actor=SYSTEM, page_size=limit)
        for run in page.items:
            typer.echo(
                f"第 {run.id} 次  {run.period} 年度  {run.source_label}  企业 {run.population}  "
                f"符合 {run.qualifying}  合计 {fen_to_yuan(run.total_fen)} 元  "
                f"新 {run.new_count} / 退 {run.dropped_count} / 变 {run.changed_count}"
            )
        if not page.items:
            typer.echo("还没有批量测算记录。")


@app.command("import-inputs")
def import_inputs_command(
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="XLSX 或 CSV 文件")],
) -> None:
    """导入企业库之外的政策数据（资助、已获奖励等）：任何一处有误时不写入任何数据。"""

    cfg = settings()
    with unit_of_work(cfg) as session:
        with _progress("导入政策数据") as progress:
            progress(0, f"校验并写入 {path.name}")
            report = run_import(
                session, actor=SYSTEM, path=path, max_bytes=max(cfg.max_upload_bytes, 1 << 30)
            )
            progress(100, f"已处理 {report.rows} 行")
        if not report.ok:
            typer.echo(f"未导入任何数据：{report.rows} 行中发现 {report.error_count} 处错误。", err=True)
            for error in report.errors:
                typer.echo(f"第 {error.line} 行 [{error.column}]：{error.message}", err=True)
            raise typer.Exit(1)
    typer.echo(f"导入成功：共 {report.rows} 行，已写入 {report.written} 家企业的年度数据。")
