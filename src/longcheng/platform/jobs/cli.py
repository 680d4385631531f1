"""``longcheng worker`` and ``longcheng jobs``: run the queue, list, steer and follow jobs."""

from __future__ import annotations

import logging
import time
from typing import Annotated

import typer

from longcheng.core.cliutil import fail, settings, unit_of_work
from longcheng.core.clock import format_local
from longcheng.core.progress import cli_progress
from longcheng.platform.jobs import queue, worker
from longcheng.platform.jobs import service as job_service
from longcheng.platform.jobs.models import JobState
from longcheng.platform.jobs.service import WORKER
from longcheng.platform.jobs.tasks import DEMO

app = typer.Typer(help="后台任务（任务中心）。", no_args_is_help=True)
worker_app = typer.Typer()


def run_worker(threads: int | None = None) -> None:
    """Run the consumer until Ctrl-C / SIGTERM; a Redis that does not answer is a clear error."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    try:
        worker.run(settings(), threads=threads)
    except queue.QueueUnavailable as exc:
        fail(exc)


@worker_app.command("worker")
def worker_command(
    threads: Annotated[int | None, typer.Option(help="同时执行的任务数（默认取 WORKER_THREADS）")] = None,
) -> None:
    """启动后台任务进程。

    执行任务中心的任务和定时任务；Ctrl-C 停止。
    """
    run_worker(threads)


@app.command("list")
def list_jobs(
    state: Annotated[JobState | None, typer.Option(help="按状态筛选")] = None,
    limit: Annotated[int, typer.Option(help="最多显示条数")] = 20,
) -> None:
    """列出最近的后台任务。"""
    with unit_of_work() as session:
        page = job_service.list(session, actor=WORKER, state=state, page=1, page_size=limit)
        for j in page.items:
            typer.echo(
                f"{j.id:6d} {j.job_state.label:4s} {j.progress:3d}% {format_local(j.created_at)} "
                f"{j.label} {j.status_line} {j.error}"
            )


def follow(job_id: int, *, poll: float = 0.5) -> JobState:
    """Show a job's progress until it ends (bar on a terminal, lines when piped)."""
    with cli_progress(f"任务 {job_id}") as report:
        while True:
            with unit_of_work() as session:
                job = job_service.get(session, job_id, actor=WORKER)
                state, pct, status, error = job.job_state, job.progress, job.status_line, job.error
            report(pct, status)
            if state.finished:
                break
            time.sleep(poll)
    if error:
        typer.echo(f"任务 {job_id} {state.label}：{error}", err=True)
    return state


@app.command("demo")
def demo(
    steps: Annotated[int, typer.Option(help="步数")] = 10,
    seconds: Annotated[float, typer.Option(help="每步秒数")] = 0.5,
    wait: Annotated[bool, typer.Option("--wait/--no-wait", help="等待并显示进度")] = True,
) -> None:
    """提交一个演示任务（需要后台任务进程 longcheng worker 在运行）。"""
    with unit_of_work() as session:
        job_id = job_service.submit(
            session, actor=WORKER, kind=DEMO, params={"steps": steps, "seconds": seconds}
        ).id
    if not queue.dispatch(settings(), [job_id]):
        typer.echo("任务已保存，但任务队列暂不可用；后台任务进程恢复后会补发。", err=True)
    typer.echo(f"已提交任务 {job_id}。")
    if wait and follow(job_id) is not JobState.done:
        raise typer.Exit(1)


@app.command("cancel")
def cancel(job_id: int) -> None:
    """取消任务（运行中的任务在下一次报告进度时停止）。"""
    with unit_of_work() as session:
        job = job_service.cancel(session, job_id, actor=WORKER)
        typer.echo(f"任务 {job.id}：{job.status_line}")


@app.command("retry")
def retry(job_id: int) -> None:
    """重试失败或已取消的任务。"""
    with unit_of_work() as session:
        job_service.retry(session, job_id, actor=WORKER)
    queue.dispatch(settings(), [job_id])
    typer.echo(f"任务 {job_id} 已重新排队。")
