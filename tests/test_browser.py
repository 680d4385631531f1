"""A person in headless Chromium logs in and uses the registry list (search, filter, paging)."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import expect, sync_playwright
from tests.factories import PASSWORD, make_org, make_user

from longcheng.core.actors import SYSTEM, Role
from longcheng.core.config import Settings
from longcheng.core.db import make_engine, make_sessionmaker, transaction
from longcheng.core.migrate import upgrade
from longcheng.registry import demo
from longcheng.web import create_app

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None, reason="未安装 Debian 的 chromium：浏览器测试跳过（apt-get install chromium）"
    ),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'site.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    with transaction(make_sessionmaker(engine)) as session:
        demo.seed(session, actor=SYSTEM, count=60, seed=11)
        make_org(session, name="常州浏览器光伏科技有限公司", district="liyang")
        make_user(session, username="browser", role=Role.officer)
    engine.dispose()
    port = _free_port()
    config = uvicorn.Config(
        create_app(Settings(database_url=url, secret_key="browser")),
        host="127.0.0.1",
        port=port,
        log_level="warning",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def test_login_search_filter_and_page(live_server: str, tmp_path: Path) -> None:
    """Log in, search a name, filter by district, page through, and see the dashboard chart drawn."""
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        page = browser.new_page(locale="zh-CN")
        # The pages run under a strict Content-Security-Policy: htmx and the charts must work
        # without inline script or eval (waits use locators, which need no eval either).
        blocked: list[str] = []
        page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
        page.goto(f"{live_server}/registry")
        assert "/login" in page.url
        page.fill("input[name=username]", "browser")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server}/registry")
        assert "共 61 条" in page.inner_text("#result-count")
        page.fill("input[name=q]", "浏览器光伏")
        page.click("#filters button[type=submit]")
        expect(page.locator("#result-count")).to_contain_text("共 1 条")
        assert "常州浏览器光伏科技有限公司" in page.inner_text("#org-table")
        page.fill("input[name=q]", "")
        page.select_option("select[name=district]", "liyang")
        expect(page.locator("#result-count")).not_to_contain_text("共 61 条")
        rows = page.locator("#org-table tbody tr")
        assert all("溧阳市" in rows.nth(i).inner_text() for i in range(rows.count()))
        page.select_option("select[name=district]", "")
        expect(page.locator("#result-count")).to_contain_text("共 61 条")
        page.click("#next-page")
        expect(page.locator("#result-count")).to_contain_text("第 2/")
        assert "page=2" in page.url
        page.goto(f"{live_server}/")
        page.wait_for_selector("#chart-district[data-rendered='1'] canvas")
        page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
        browser.close()
        assert blocked == []
