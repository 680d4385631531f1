"""The OpenAPI document holds: schemathesis drives every JSON operation and checks the answers.

The app runs in-process (ASGI transport, no network) on a fresh SQLite file with a little
demo-like data. Each operation gets a few generated requests (fixed seed, no shrinking) as an
admin and as an enterprise user, and every answer must be no 5xx, a documented status, the
documented content type and a body that matches the documented schema.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, given, seed, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy.orm import Session
from tests.factories import PASSWORD, make_org

from longcheng.core import checkpoints, users
from longcheng.core.actors import SYSTEM, Role
from longcheng.core.config import Settings
from longcheng.core.db import make_engine, make_sessionmaker
from longcheng.core.migrate import upgrade
from longcheng.core.openapi import ErrorBody
from longcheng.web import create_app

# Failure classes another branch fixes at the root (issue 16 item 1, branch ``hard-limits``: every
# integer and amount parameter bounded in core). Delete the entry once that branch is merged.
KNOWN_ELSEWHERE: tuple[str, ...] = ()
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
MAX_EXAMPLES = 10


def _seed(session: Session) -> dict[str, str]:
    """An admin and an enterprise user (of a registered firm), each with an API token."""
    org = make_org(session)
    admin = users.create(session, actor=SYSTEM, username="fuzz-admin", password=PASSWORD, role=Role.admin)
    firm = users.create(
        session,
        actor=SYSTEM,
        username="fuzz-firm",
        password=PASSWORD,
        role=Role.enterprise,
        org_uscc=org.uscc,
    )
    return {
        "admin": users.create_token(session, actor=SYSTEM, user_id=admin.id, name="fuzz"),
        "enterprise": users.create_token(session, actor=SYSTEM, user_id=firm.id, name="fuzz"),
    }


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FastAPI, dict[str, str]]]:
    """The real app on its own committed SQLite database (requests commit as in production)."""
    folder: Path = tmp_path_factory.mktemp("openapi")
    url = f"sqlite:///{folder / 'fuzz.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    with make_sessionmaker(engine)() as session:
        tokens = _seed(session)
        session.commit()
    engine.dispose()
    config = Settings(database_url=url, secret_key="fuzz-secret", data_dir=folder / "var")
    checkpoints.load_or_create_key(checkpoints.key_path(config))  # as `longcheng serve` does on first run
    app = create_app(config)
    yield app, tokens
    app.state.longcheng.engine.dispose()


def test_every_error_is_documented_as_the_error_body(fuzz_app: tuple[FastAPI, dict[str, str]]) -> None:
    """Every operation documents its errors as ``ErrorBody``; FastAPI's 422 shape is gone."""
    document = fuzz_app[0].openapi()
    assert "HTTPValidationError" not in document["components"]["schemas"]
    assert set(document["components"]["schemas"]["ErrorBody"]["required"]) == {"code", "message"}
    assert set(ErrorBody.model_fields) == {"code", "message", "details"}
    for path, ops in document["paths"].items():
        assert path.startswith("/api/"), f"HTML page {path} leaked into the API document"
        for method, op in ops.items():
            for status in ("401", "403", "404"):
                ref = op["responses"][status]["content"]["application/json"]["schema"]["$ref"]
                assert ref.endswith("/ErrorBody"), (method, path, status)


def test_every_operation_answers_a_typed_success(fuzz_app: tuple[FastAPI, dict[str, str]]) -> None:
    """No JSON success is a free-form object: each names a schema (files and text excepted)."""
    loose = []
    for path, ops in fuzz_app[0].openapi()["paths"].items():
        for method, op in ops.items():
            for status, resp in op["responses"].items():
                schema = resp.get("content", {}).get("application/json", {}).get("schema")
                if status.startswith("2") and schema is not None and "$ref" not in schema:
                    if schema.get("type") != "array" or "$ref" not in schema.get("items", {}):
                        loose.append(f"{method.upper()} {path}")
    assert loose == []


def _fuzz(schema: Any, operation: Any, token: str) -> None:
    @seed(20261206)
    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def run(case: Any) -> None:
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)

    run()


@pytest.mark.parametrize("role", ["admin", "enterprise"])
def test_schemathesis_finds_no_server_error_and_no_schema_violation(
    fuzz_app: tuple[FastAPI, dict[str, str]], role: str
) -> None:
    """Every operation, a few generated requests each: zero 5xx, zero departures from the document."""
    app, tokens = fuzz_app
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        try:
            _fuzz(schema, operation, tokens[role])
        except (Exception, BaseExceptionGroup) as exc:  # collect every operation's failure, report all
            if not any(known in str(exc) for known in KNOWN_ELSEWHERE):
                failures.append(f"{operation.label}: {exc}")
    assert not failures, "\n\n".join(failures)
