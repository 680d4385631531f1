"""Permission checks happen when a service is called, never later while its rows are read.

A generator body runs only when the caller first iterates it, so a ``require`` inside one is
skipped until the export is already streaming: a refused export then fails half-way through
writing the workbook (``I/O operation on closed file``) instead of answering 403 up front.
"""

from __future__ import annotations

import ast
import logging
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from tests.factories import bearer, login, make_org, make_user, new_uscc

import longcheng
from longcheng.core.actors import Role
from longcheng.core.errors import PermissionDenied
from longcheng.registry import service as registry_service
from longcheng.registry.schemas import OrgFilter

SRC = Path(longcheng.__file__).parent
CHECKS = {"require", "can"}


def _is_generator(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    inner = [n for n in ast.walk(fn) if isinstance(n, (ast.Yield, ast.YieldFrom))]
    nested = {
        id(n)
        for d in ast.walk(fn)
        if d is not fn and isinstance(d, (ast.FunctionDef, ast.Lambda))
        for n in ast.walk(d)
    }
    return any(id(n) not in nested for n in inner)


def _checks_up_front(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """A ``require``/``can`` among the body's own statements: a precondition of the whole call
    (a check per row inside a loop is a different thing and may well run lazily)."""
    for stmt in fn.body:
        if isinstance(stmt, (ast.For, ast.AsyncFor, ast.While, ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for node in ast.walk(stmt):
            if isinstance(node, ast.Call):
                name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
                if name in CHECKS:
                    return True
    return False


def test_no_generator_checks_permission_lazily() -> None:
    """No function in the package both yields and asks ``require``/``can``: the check would run late."""
    offenders = []
    for path in SRC.rglob("*.py"):
        for fn in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef))
                and _is_generator(fn)
                and _checks_up_front(fn)
            ):
                offenders.append(f"{path.relative_to(SRC)}:{fn.lineno} {fn.name}")
    assert offenders == []


def test_export_iterator_refuses_when_called(session: Session) -> None:
    """Calling an export iterator without the right (a reviewer) raises at once, before any row is read."""
    firm = make_user(session, username="rev-y", role=Role.reviewer)
    with pytest.raises(PermissionDenied):
        registry_service.iter_export(session, actor=firm.to_actor(), filters=OrgFilter(), limit=10)


def test_refused_export_answers_403_and_logs_nothing(
    app_client: TestClient, session: Session, caplog: pytest.LogCaptureFixture
) -> None:
    """A reviewer asking for the registry export gets the 403 page; no error is logged."""
    make_user(session, username="rev-x", role=Role.reviewer)
    login(app_client, "rev-x")
    with caplog.at_level(logging.WARNING):
        resp = app_client.get("/registry/export.xlsx")
    assert resp.status_code == 403
    assert "closed file" not in caplog.text


@pytest.mark.parametrize("prefix", ["/api/v1/registry/orgs/", "/api/v1/policy/orgs/", "/registry/"])
def test_foreign_and_unknown_firm_answer_alike(app_client: TestClient, session: Session, prefix: str) -> None:
    """To an enterprise user another firm's code and a code nobody registered get the same 404."""
    own, foreign = make_org(session), make_org(session)
    firm = make_user(session, username="firm-y", role=Role.enterprise, org_uscc=own.uscc)
    headers = bearer(session, firm)
    registered = app_client.get(prefix + foreign.uscc, headers=headers)
    unknown = app_client.get(prefix + new_uscc(), headers=headers)
    assert registered.status_code == unknown.status_code == 404
    if prefix.startswith("/api/"):
        assert registered.json() == unknown.json()
    assert app_client.get(prefix + own.uscc, headers=headers).status_code == 200


def test_light_thresholds_are_staff_only(app_client: TestClient, session: Session) -> None:
    """The light thresholds, API and page, are refused to enterprise users and shown to auditors."""
    own = make_org(session)
    firm = make_user(session, username="firm-z", role=Role.enterprise, org_uscc=own.uscc)
    auditor = make_user(session, username="aud-z", role=Role.auditor)
    assert app_client.get("/api/v1/projects/thresholds", headers=bearer(session, firm)).status_code == 403
    assert app_client.get("/api/v1/projects/thresholds", headers=bearer(session, auditor)).status_code == 200
    login(app_client, "firm-z")
    assert app_client.get("/projects/thresholds").status_code == 403
