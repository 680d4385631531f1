"""Every demo role walks the site: what a role is shown, it may open, and every page speaks Chinese.

The demo is built the way ``longcheng demo --no-serve`` builds it (small), then each demo user
logs in and follows every link reachable from the navigation and from the pages it leads to,
breadth first and bounded: a few addresses per shape of address (digits and codes folded), so a
list of a thousand firms costs a handful of requests. Each answer must not be a server error, a
link shown to the role must not answer 403 or 422 for that role, and every HTML page carries the
navigation and Chinese text. New modules inherit the check by putting their pages in the
navigation. SQLite only: the walk checks pages, not the backend, and PostgreSQL doubles its time.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from collections.abc import Iterator
from urllib.parse import urldefrag, urlsplit

import pytest
from fastapi.testclient import TestClient
from tests.factories import login
from typer.testing import CliRunner

from longcheng.cli import app as cli_app
from longcheng.core.config import Settings
from longcheng.demo import DEMO_PASSWORD, DEMO_USERS
from longcheng.web import create_app

ORGS = 60
MAX_PAGES = 160  # per role
PER_SHAPE = 2
SKIP_PREFIXES = ("/static/", "/logout", "/api/", "/docs", "/redoc", "/openapi")
HREF = re.compile(r'href="(/[^"]*)"')
CHINESE = re.compile(r"[\u4e00-\u9fff]")
ROLES = [u[0] for u in DEMO_USERS] + ["firm"]


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    folder = tmp_path_factory.mktemp("crawl")
    url = f"sqlite:///{folder / 'demo.sqlite3'}"
    env = {"LONGCHENG_DATABASE_URL": url, "LONGCHENG_DATA_DIR": str(folder / "var")}
    result = CliRunner().invoke(cli_app, ["demo", "--no-serve", "--orgs", str(ORGS)], env=env)
    assert result.exit_code == 0, result.output
    return Settings(database_url=url, secret_key="crawl-secret", data_dir=folder / "var")


def shape(path: str) -> str:
    """The address with its ids folded: ``/registry/91320…`` and ``/registry/91321…`` are one shape."""
    parts = urlsplit(path)
    folded = re.sub(r"[0-9A-Z]{6,}|\d+", "#", parts.path)
    keys = sorted(k.split("=")[0] for k in parts.query.split("&") if k)
    return folded + "?" + "&".join(keys)


def links(html: str) -> list[str]:
    found = (urldefrag(h.replace("&amp;", "&")).url for h in HREF.findall(html))
    return [h for h in found if not h.startswith(SKIP_PREFIXES)]


def crawl(client: TestClient) -> list[str]:
    """Walk from ``/``; return every problem as ``status address (found on page)``."""
    seen: set[str] = {"/"}
    shapes: Counter[str] = Counter()
    queue: deque[tuple[str, str]] = deque([("/", "")])
    problems: list[str] = []
    visited = 0
    while queue and visited < MAX_PAGES:
        path, source = queue.popleft()
        visited += 1
        resp = client.get(path, follow_redirects=True)
        if resp.status_code >= 500 or resp.status_code in (403, 422):
            problems.append(f"{resp.status_code} {path} (from {source})")
            continue
        if "text/html" not in resp.headers.get("content-type", ""):
            continue
        if "<nav>" not in resp.text or not CHINESE.search(resp.text):
            problems.append(f"no navigation or Chinese: {path} (from {source})")
        for href in links(resp.text):
            if href not in seen and shapes[shape(href)] < PER_SHAPE:
                seen.add(href)
                shapes[shape(href)] += 1
                queue.append((href, path))
    return problems


@pytest.mark.parametrize("username", ROLES)
def test_every_link_a_role_is_shown_opens(demo_site: Settings, username: str) -> None:
    """Logged in as a demo user, every page reachable by links answers without 5xx, 403 or 422,
    in Chinese and with the navigation."""
    with TestClient(create_app(demo_site), base_url="http://testserver") as client:
        login(client, username, DEMO_PASSWORD)
        problems = crawl(client)
    assert problems == [], "\n".join(problems)


def test_the_crawl_sees_the_site(demo_site: Settings) -> None:
    """The walk is no walk in the dark: the admin reaches every module's list."""
    with TestClient(create_app(demo_site), base_url="http://testserver") as client:
        login(client, "admin", DEMO_PASSWORD)
        html = client.get("/").text
    for path in ("/registry", "/projects", "/intel", "/policy"):
        assert f'href="{path}"' in html


def test_shape_folds_ids() -> None:
    """Addresses differing only in ids or codes are one shape; different parameters are not."""
    assert shape("/registry/91320411MA1X2Y3Z4A") == shape("/registry/91320411MA1X2Y3Z4B")
    assert shape("/projects?page=2") == shape("/projects?page=3")
    assert shape("/projects?page=2") != shape("/projects?sort=name")


FORMS = [
    "/registry/{uscc}/edit",
    "/registry/import",
    "/registry/template.xlsx",
    "/projects/ceremony",
    "/projects/import",
    "/projects/template.xlsx",
    "/projects/new",
    "/projects/thresholds",
]
REFUSED = {
    "reviewer": FORMS,
    "auditor": FORMS[:7],
    "firm": FORMS,
}


@pytest.mark.parametrize("username", sorted(REFUSED))
def test_a_form_page_opens_only_for_roles_that_may_submit_it(demo_site: Settings, username: str) -> None:
    """Typing the address of a form the role may not use (edit, import, ceremony) answers 403 or
    404, never the form with data the detail page hides; the firm's own file still opens."""
    with TestClient(create_app(demo_site), base_url="http://testserver") as client:
        login(client, username, DEMO_PASSWORD)
        uscc = re.search(r'href="/registry/([0-9A-Z]{18})"', client.get("/registry").text)
        code = uscc.group(1) if uscc else "91320411MA00000000"
        answers = {path: client.get(path.format(uscc=code)).status_code for path in REFUSED[username]}
        assert all(status in (403, 404) for status in answers.values()), answers
        if uscc:
            assert client.get(f"/registry/{code}").status_code == 200
