"""People and holders of a firm: entered over the API and by import, shown masked, and the
relations between firms that conflict-of-interest and related-party checks ask about."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from fastapi.testclient import TestClient
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.factories import bearer, make_org, make_user
from typer.testing import CliRunner

from longcheng.cli import app as cli_app
from longcheng.core.actors import SYSTEM, Role
from longcheng.core.cliutil import unit_of_work
from longcheng.core.pii import ids
from longcheng.registry import service as registry_service
from longcheng.registry.people.importer import HEADERS
from longcheng.registry.people.models import OrgPerson
from longcheng.registry.people.schemas import OrgPersonIn

REP_ID = ids.make_number("320411", date(1980, 3, 4), 17)
OTHER_ID = ids.make_number("320402", date(1975, 8, 9), 22)


def _people(rep_id: str = REP_ID, rep: str = "王建国") -> list[dict[str, object]]:
    return [
        {"role": "legal_rep", "name": rep, "id_number": rep_id},
        {"role": "shareholder", "name": rep, "id_number": rep_id, "share_ratio": "60"},
        {"role": "shareholder", "name": "李芳", "share_ratio": "40"},
    ]


def test_an_officer_records_people_and_everyone_sees_the_id_masked(
    app_client: TestClient, session: Session
) -> None:
    """The resident ID is checked, stored encrypted, and shown as 3204**********xxxx."""
    org = make_org(session)
    officer = make_user(session, username="officer-p", role=Role.officer)
    firm = make_user(session, username="firm-p", role=Role.enterprise, org_uscc=org.uscc)
    session.commit()
    resp = app_client.put(
        f"/api/v1/registry/orgs/{org.uscc}/people", json=_people(), headers=bearer(session, officer)
    )
    assert resp.status_code == 200, resp.text
    rep = resp.json()[0]
    assert rep["role_label"] == "法定代表人"
    assert rep["id_masked"] == REP_ID[:4] + "*" * 10 + REP_ID[-4:]
    stored = session.scalars(select(OrgPerson.id_token).where(OrgPerson.uscc == org.uscc)).all()
    assert all(REP_ID not in (t or "") for t in stored)
    seen = app_client.get(f"/api/v1/registry/orgs/{org.uscc}/people", headers=bearer(session, firm)).json()
    assert [p["name"] for p in seen] == ["王建国", "王建国", "李芳"]


def test_a_wrong_id_or_two_legal_representatives_write_nothing(
    app_client: TestClient, session: Session
) -> None:
    """Each mistake gets a Chinese reason and a stable code; the firm's list stays as it was."""
    org = make_org(session)
    officer = make_user(session, username="officer-q", role=Role.officer)
    session.commit()
    headers = bearer(session, officer)
    bad_id = REP_ID[:17] + ("1" if REP_ID[17] != "1" else "2")
    resp = app_client.put(f"/api/v1/registry/orgs/{org.uscc}/people", json=_people(bad_id), headers=headers)
    assert resp.status_code == 422
    assert resp.json()["code"] == "registry.people_invalid"
    assert "校验位" in resp.text
    two = [*_people(), {"role": "legal_rep", "name": "赵六"}]
    resp = app_client.put(f"/api/v1/registry/orgs/{org.uscc}/people", json=two, headers=headers)
    assert resp.status_code == 422
    assert "法定代表人只能有一位" in resp.json()["message"]
    assert session.scalar(select(func.count()).select_from(OrgPerson).where(OrgPerson.uscc == org.uscc)) == 0


def test_an_enterprise_may_not_change_its_own_people(app_client: TestClient, session: Session) -> None:
    org = make_org(session)
    firm = make_user(session, username="firm-q", role=Role.enterprise, org_uscc=org.uscc)
    session.commit()
    resp = app_client.put(
        f"/api/v1/registry/orgs/{org.uscc}/people", json=_people(), headers=bearer(session, firm)
    )
    assert resp.status_code == 403


def test_relations_name_a_shared_legal_representative_and_a_holding(session: Session) -> None:
    """Two firms with the same legal representative (by ID) and one holding the other are related."""
    a, b, c = make_org(session), make_org(session), make_org(session)
    registry_service.set_people(
        session, actor=SYSTEM, uscc=a.uscc, people=[OrgPersonIn.model_validate(p) for p in _people()]
    )
    people_b = [
        *_people(),
        {"role": "shareholder", "name": "甲公司", "holder_uscc": a.uscc, "share_ratio": "0"},
    ]
    registry_service.set_people(
        session, actor=SYSTEM, uscc=b.uscc, people=[OrgPersonIn.model_validate(p) for p in people_b]
    )
    registry_service.set_people(
        session,
        actor=SYSTEM,
        uscc=c.uscc,
        people=[OrgPersonIn.model_validate(p) for p in _people(OTHER_ID, "王建国")],
    )
    kinds = {r.kind for r in registry_service.related_parties(session, actor=SYSTEM, a=a.uscc, b=b.uscc)}
    assert {"shared_legal_rep", "shared_shareholder", "holds"} <= kinds
    # Same name but a different ID number: not the same person.
    assert all(
        r.kind != "shared_legal_rep"
        for r in registry_service.related_parties(session, actor=SYSTEM, a=a.uscc, b=c.uscc)
    )
    assert (
        registry_service.related_parties(session, actor=SYSTEM, a=a.uscc, b=a.uscc)[0].label_zh == "同一机构"
    )
    index = registry_service.person_index_of(REP_ID)
    assert {
        (u, r) for u, r in registry_service.roles_of_person(session, actor=SYSTEM, person_index=index)
    } >= {
        (a.uscc, "legal_rep"),
        (b.uscc, "legal_rep"),
    }


def test_import_people_is_all_or_nothing(cli_db: str, tmp_path: Path) -> None:
    """A file with one bad row writes nothing and names the row; the fixed file imports."""
    with unit_of_work() as session:
        org = make_org(session)
        uscc = org.uscc
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    ws.append([uscc, "法定代表人", "王建国", REP_ID, "", "", "2020-01-01"])
    ws.append([uscc, "股东", "李芳", "", "", "140", ""])
    wb.save(tmp_path / "bad.xlsx")
    runner = CliRunner()
    bad = runner.invoke(cli_app, ["registry", "import-people", str(tmp_path / "bad.xlsx")])
    assert bad.exit_code == 1
    assert "第 3 行 [持股比例]" in bad.output
    ws.cell(row=3, column=6, value="40")
    wb.save(tmp_path / "good.xlsx")
    good = runner.invoke(cli_app, ["registry", "import-people", str(tmp_path / "good.xlsx")])
    assert good.exit_code == 0, good.output
    with unit_of_work() as session:
        assert [p.name for p in registry_service.people_of(session, actor=SYSTEM, uscc=uscc)] == [
            "王建国",
            "李芳",
        ]
