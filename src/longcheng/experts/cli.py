"""``longcheng experts ...``: import the pool from a spreadsheet, check a conflict of interest."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from longcheng.core.actors import SYSTEM
from longcheng.core.cliutil import settings, unit_of_work
from longcheng.experts import importer
from longcheng.experts import service as experts_service

app = typer.Typer(help="专家库：导入与利益冲突核查。", no_args_is_help=True)


@app.command("import")
def import_file(path: Annotated[Path, typer.Argument(help="XLSX 或 CSV 文件")]) -> None:
    """从表格导入专家（全部成功才写入，否则列出错误行）。"""
    with unit_of_work() as session:
        created, report = importer.import_file(
            session, actor=SYSTEM, path=path, max_bytes=settings().max_upload_bytes
        )
        if not report.ok:
            for e in report.errors:
                typer.echo(f"第 {e.line} 行 {e.column}：{e.message}", err=True)
            typer.echo(f"未导入任何数据：发现 {report.error_count} 处错误。", err=True)
            raise typer.Exit(1)
    typer.echo(f"已导入 {created} 位专家。")


@app.command("conflicts")
def conflicts(
    code: Annotated[str, typer.Argument(help="专家编号，如 E00001")],
    uscc: Annotated[str, typer.Argument(help="申报单位统一社会信用代码")],
) -> None:
    """列出某专家与某申报单位之间的利益冲突（无冲突时退出码为 0 且说明无冲突）。"""
    with unit_of_work() as session:
        expert = experts_service.get_by_code(session, actor=SYSTEM, code=code)
        reasons = experts_service.conflicts(session, actor=SYSTEM, expert_id=expert.id, applicant_uscc=uscc)
    if not reasons:
        typer.echo("未发现利益冲突。")
        return
    for r in reasons:
        typer.echo(f"须回避：{r.label_zh}")
