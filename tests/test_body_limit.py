"""Request bodies past the upload limit are refused while they stream, declared or not."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from longcheng.core.config import Settings
from longcheng.web import create_app

CHUNK = 64 * 1024
LIMIT = 1024 * 1024  # max_upload_bytes; the app allows this plus 1 MB of form overhead
TOTAL = 100 * 1024 * 1024
MAX_READS = (LIMIT + 1024 * 1024) // CHUNK + 2


def run(path: str, headers: list[tuple[bytes, bytes]], tmp_path: Path) -> tuple[int, dict[str, Any], int]:
    """Send a 100 MB body in 64 KB chunks straight into the ASGI app; return status, body, reads."""
    app = create_app(
        Settings(
            database_url=f"sqlite:///{tmp_path / 'x.sqlite3'}", data_dir=tmp_path, max_upload_bytes=LIMIT
        )
    )
    reads = 0
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal reads
        reads += 1
        more = reads * CHUNK < TOTAL
        return {"type": "http.request", "body": b"[" + b"1," * (CHUNK // 2 - 1), "more_body": more}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), (b"transfer-encoding", b"chunked"), *headers],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
        "state": {},
    }
    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    is_json = dict(start["headers"]).get(b"content-type", b"").startswith(b"application/json")
    return start["status"], json.loads(body) if is_json else {}, reads


@pytest.mark.parametrize("path", ["/api/v1/registry/orgs", "/api/v1/users", "/api/v1/projects"])
def test_chunked_json_past_limit_is_413_after_bounded_reads(tmp_path: Path, path: str) -> None:
    """A 100 MB JSON body without Content-Length is cut off at the limit: 413 after about 2 MB."""
    status, body, reads = run(path, [(b"content-type", b"application/json")], tmp_path)
    assert status == 413
    assert body["code"] == "payload_too_large"
    assert "超过上限" in body["message"]
    assert reads <= MAX_READS


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/api/v1/registry/import", b"multipart/form-data; boundary=xyz"),
        ("/login", b"application/x-www-form-urlencoded"),
    ],
)
def test_chunked_forms_are_refused_within_the_limit(tmp_path: Path, path: str, content_type: bytes) -> None:
    """Form bodies stop at the form parser's own limits or at ours, never read whole."""
    status, _, reads = run(path, [(b"content-type", content_type)], tmp_path)
    assert 400 <= status < 500
    assert reads <= MAX_READS
