"""``longcheng serve``: run the web application under uvicorn, with several worker processes."""

from __future__ import annotations

from typing import Annotated

import typer
import uvicorn

from longcheng.core.cliutil import settings

app = typer.Typer()


@app.command("serve")
def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: Annotated[
        int | None, typer.Option(help="工作进程数（默认取 LONGCHENG_WEB_WORKERS，即 CPU 核数）", min=1)
    ] = None,
    log_level: Annotated[str, typer.Option(help="日志级别")] = "info",
) -> None:
    """启动网站。

    多个工作进程，每个进程按环境变量中的设置各自建立应用。
    """
    uvicorn.run(
        "longcheng.web:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers or settings().web_workers,
        log_level=log_level,
        server_header=False,
        # A worker imports the whole app before it answers the supervisor's ping; on a busy
        # machine that takes longer than uvicorn's 5 s default, which then kills it in a loop.
        timeout_worker_healthcheck=60,
        # The bidding room's frames are small JSON: compressing each costs more CPU than it saves.
        ws_per_message_deflate=False,
    )
