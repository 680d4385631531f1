"""``longcheng serve``: run the web application under uvicorn."""

from __future__ import annotations

import typer
import uvicorn

app = typer.Typer()


@app.command("serve")
def serve(host: str = "127.0.0.1", port: int = 8000) -> None:
    """启动网站。"""
    uvicorn.run(
        "longcheng.web:create_app", factory=True, host=host, port=port, log_level="info", server_header=False
    )
