"""Every route of the real app, walked with out-of-range numbers and dates: 422, never a 500."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker
from tests.core.route_params import Probe, probes
from tests.factories import bearer, make_user

from longcheng.core.config import Settings
from longcheng.web import create_app

PROBES = probes(create_app(Settings(database_url="sqlite://")))
BAD = {
    "int": ["10000000000000000000", "-10000000000000000000"],
    "number": ["1e17", "-1e17"],
    "year": ["-1", "10000"],
    "date": ["1800-01-01"],
}
Walk = tuple[TestClient, dict[str, str]]
REASONS = ("数值超出允许范围", "数值过大", "数值过小", "年份应在", "日期应在", "应为有限的数字")


def _url(probe: Probe, value: str) -> tuple[str, dict[str, str], dict[str, str]]:
    filled = {"decision": "confirm", "code": "X"}

    def sub(m: re.Match[str]) -> str:
        return value if m[1] == probe.name else filled.get(m[1], "1")

    path = re.sub(r"\{(\w+)(?::\w+)?\}", sub, probe.path)
    query = {probe.name: value} if probe.where == "query" else {}
    form = {probe.name: value} if probe.where == "form" else {}
    return path, query, form


@pytest.fixture(scope="module")
def walk(
    engine: Engine, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[TestClient, dict[str, str]]]:
    """One app, one admin and one rolled-back transaction for the whole walk (probes write nothing)."""
    conn = engine.connect()
    outer = conn.begin()
    factory = sessionmaker(bind=conn, expire_on_commit=False, join_transaction_mode="create_savepoint")
    with factory() as session:
        headers = bearer(session, make_user(session, username="bounds-admin"))
        session.commit()
    settings = Settings(
        database_url=engine.url.render_as_string(hide_password=False),
        secret_key="t",
        data_dir=tmp_path_factory.mktemp("b"),
    )
    app = create_app(settings)
    app.state.longcheng.sessions = app.state.longcheng.write_sessions = factory
    with TestClient(app, base_url="http://testserver") as client:
        yield client, headers
    app.state.longcheng.engine.dispose()
    outer.rollback()
    conn.close()


def test_every_route_has_numeric_parameters_to_probe() -> None:
    """The walk finds the app's id, page, amount, year and date parameters (about a hundred)."""
    assert len(PROBES) > 80
    kinds = {p.kind for p in PROBES}
    assert kinds == {"int", "number", "year", "date"}


@pytest.mark.parametrize("probe", PROBES, ids=str)
def test_out_of_range_value_is_422(walk: Walk, probe: Probe) -> None:
    """Each numeric or date parameter of each route answers 422 with the reason for a wild value."""
    client, admin_headers = walk
    for value in BAD[probe.kind]:
        path, query, form = _url(probe, value)
        resp = client.request(
            probe.method, path, params=query, data=form or None, headers=admin_headers, follow_redirects=False
        )
        assert resp.status_code == 422, (value, resp.status_code, resp.text[:300])
        if path.startswith("/api/"):
            body = resp.json()
            assert body["code"] == "validation"
            loc = "body" if probe.where == "form" else probe.where
            message = body["details"][f"{loc}.{probe.name}"]
        else:
            message = resp.text
        assert any(r in message for r in REASONS), message[:300]
