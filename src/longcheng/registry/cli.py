"""``longcheng registry ...``: import organisations and write the import template."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from longcheng.core.actors import SYSTEM
from longcheng.core.cliutil import settings, unit_of_work
from longcheng.core.progress import cli_progress
from longcheng.registry import importer
from longcheng.registry import template as import_template
from longcheng.registry.people import importer as people_importer

app = typer.Typer(help="一企一档：机构名录的导入与模板。", no_args_is_help=True)


@app.command("import")
def import_file(
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="XLSX 或 CSV 文件")],
) -> None:
    """导入机构：任何一行有误时不写入任何数据，并列出所有错误行。"""
    cfg = settings()
    with unit_of_work(cfg) as session:
        with cli_progress("导入机构", stream=sys.stderr) as progress:
            progress(0, f"校验并写入 {path.name}")
            report = importer.run_import(
                session, actor=SYSTEM, path=path, max_bytes=max(cfg.max_upload_bytes, 1 << 30)
            )
            progress(100, f"已处理 {report.rows} 行")
        if not report.ok:
            session.rollback()
            typer.echo(f"未导入任何数据：{report.rows} 行中发现 {report.error_count} 处错误。", err=True)
            for e in report.errors:
                typer.echo(f"第 {e.line} 行 [{e.column}]：{e.message}", err=True)
            raise typer.Exit(1)
    typer.echo(f"导入成功：共 {report.rows} 行，新建 {report.created} 个机构。")


@app.command("import-people")
def import_people(
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="XLSX 或 CSV 文件")],
) -> None:
    """导入主要人员与股东（法定代表人、股东、董事、监事）：任何一行有误时不写入，并列出所有错误行。"""
    cfg = settings()
    with unit_of_work(cfg) as session:
        report = people_importer.run_import(session, actor=SYSTEM, path=path, max_bytes=cfg.max_upload_bytes)
        if not report.ok:
            session.rollback()
            typer.echo(f"未导入任何数据：{report.rows} 行中发现 {report.error_count} 处错误。", err=True)
            for e in report.errors:
                typer.echo(f"第 {e.line} 行 [{e.column}]：{e.message}", err=True)
            raise typer.Exit(1)
    typer.echo(f"导入成功：共 {report.rows} 行。")


@app.command("template")
def template(out: Annotated[Path, typer.Option("--out", help="模板保存路径（.xlsx）")]) -> None:
    """生成带中文表头的导入模板。"""
    out.write_bytes(import_template.template_xlsx())
    typer.echo(f"已生成导入模板：{out}")
