"""``longcheng policy``: explain a clause, run the pack's YAML cases, batch a whole population.

No command here touches the database: ``explain`` takes inputs with ``--set``, ``batch`` reads
a CSV or Parquet file. The lead registers ``app`` as ``longcheng policy``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from longcheng.core.cliutil import fail
from longcheng.core.errors import LongchengError
from longcheng.policy.batch import BatchResult, evaluate_columns
from longcheng.policy.cases import run_cases
from longcheng.policy.explain import explain, explanation_text
from longcheng.policy.guide import guide, guide_text
from longcheng.policy.loader import load_pack
from longcheng.policy.pack import Pack
from longcheng.policy.periods import Period
from longcheng.policy.tables import read_table, table_columns, write_result

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


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
    )


def run_batch(
    pack: Pack, columns: dict[str, Any], period: Period, out: Path, *, entity: str, readings: dict[str, str]
) -> BatchResult:
    """Evaluate the columns and write the result file, with a progress bar.

    Clauses whose input columns are absent are skipped and listed, never half computed.
    """
    with _progress() as progress:
        clauses = pack.clauses_for(entity, period.kind)
        task = progress.add_task("计算条款", total=len(clauses))
        result = evaluate_columns(
            pack,
            columns,
            period,
            entity=entity,
            readings=readings,
            on_clause=lambda _: progress.advance(task),
            skip_missing=True,
        )
        writing = progress.add_task(f"写出 {out.name}", total=len(result.ids))
        write_result(result, out, progress=lambda rows: progress.advance(writing, rows))
    return result


@app.command("batch")
def batch_command(
    year: YearOption,
    input_path: Annotated[
        Path | None, typer.Option("--input", help="输入文件 .csv 或 .parquet（金额以元计）")
    ] = None,
    out: Annotated[Path, typer.Option("--out", help="输出文件 .xlsx 或 .parquet")] = Path(
        "policy-batch.xlsx"
    ),
    entity: Annotated[str, typer.Option("--entity", help="主体：enterprise 或 talent")] = "enterprise",
    reading: Annotated[list[str], typer.Option("--reading", help="条款=解读，可重复")] = [],  # noqa: B006
    month: MonthOption = 0,
    pack_dir: PackOption = None,
) -> None:
    """对输入文件中的全部主体测算全部条款，输出 XLSX 或 Parquet。"""
    if input_path is None:
        typer.echo("错误：请用 --input 指定 .csv 或 .parquet 文件（从企业库读取由平台服务提供）。", err=True)
        raise typer.Exit(2)
    try:
        pack = load_pack(pack_dir)
        period = _period(year, month)
        if entity not in pack.entities:
            typer.echo(f"错误：主体应为 {'、'.join(pack.entities)} 之一", err=True)
            raise typer.Exit(2)
        columns = table_columns(pack, read_table(input_path), period, entity)
        result = run_batch(pack, columns, period, out, entity=entity, readings=_pairs(reading, "解读"))
    except LongchengError as exc:
        _fail(exc)
    for clause_id, why in result.skipped.items():
        typer.echo(f"已跳过 {clause_id}：{why}")
    for item in result.summary():
        typer.echo(
            f"{item['title']}（{item['clause']}）：符合 {item['qualifying']} 家，合计 {item['total']} 元"
        )
    typer.echo(f"结果已写入 {out}")
