"""The list's total (共 N 条) is kept between requests, and every change shows in the next one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from tests.factories import bearer, login, make_org, make_user, new_uscc
from tests.registry.test_import import row, write_csv

from longcheng.core.actors import SYSTEM, Role
from longcheng.platform.jobs.models import JobState
from longcheng.registry import search as name_search
from longcheng.registry import service as registry_service
from longcheng.registry.models import Organisation
from longcheng.registry.schemas import OrgFilter

ORGS = "/api/v1/registry/orgs"


def _total(client: TestClient, headers: dict[str, str], **params: str) -> int:
    resp = client.get(ORGS, params=params, headers=headers)
    assert resp.status_code == 200, resp.text
    total: int = resp.json()["total"]
    return total


def test_created_and_edited_orgs_show_in_the_next_total(app_client: TestClient, session: Session) -> None:
    """A new firm raises the total at once; moving a firm to another district moves it between
    the districts' totals, though the same questions were answered a moment before."""
    user = make_user(session, username="totals1")
    for i in range(3):
        make_org(session, name=f"常州计数{i}科技有限公司", district="xinbei")
    headers = bearer(session, user)
    session.commit()
    assert _total(app_client, headers, q="计数") == 3
    assert _total(app_client, headers, q="计数", district="wujin") == 0
    uscc = new_uscc()
    created = app_client.post(
        ORGS, json={"uscc": uscc, "name": "常州计数新科技有限公司", "district": "xinbei"}, headers=headers
    )
    assert created.status_code == 201
    assert _total(app_client, headers, q="计数") == 4
    body = {"name": "常州计数新科技有限公司", "district": "wujin", "version": created.json()["version"]}
    assert app_client.put(f"{ORGS}/{uscc}", json=body, headers=headers).status_code == 200
    assert _total(app_client, headers, q="计数", district="wujin") == 1
    assert _total(app_client, headers, q="计数", district="xinbei") == 3


def test_the_list_page_shows_an_imported_batch(
    app_client: TestClient, session: Session, tmp_path: Path, run_jobs: Callable[[], dict[int, JobState]]
) -> None:
    """The officer sees 共 N 条 on the list, imports two firms, and the same list then says N + 2."""
    make_user(session, username="totals2")
    session.commit()
    token = login(app_client, "totals2")
    before = app_client.get("/registry", params={"district": "xinbei"})
    count = int(before.text.split('id="result-count">共 ', 1)[1].split(" ", 1)[0])
    csv = write_csv(tmp_path / "two.csv", [row(), row()], "utf-8-sig")
    resp = app_client.post(
        "/registry/import",
        data={"csrf_token": token},
        files={"file": (csv.name, csv.read_bytes(), "text/csv")},
        follow_redirects=False,
    )
    assert resp.status_code == 303
    assert set(run_jobs().values()) == {JobState.done}
    after = app_client.get("/registry", params={"district": "xinbei"})
    assert f'id="result-count">共 {count + 2} 条' in after.text


def test_rows_written_outside_the_services_still_count(app_client: TestClient, session: Session) -> None:
    """A firm added straight into the database (no audit record, as a repair script might) is
    still counted on the next request."""
    user = make_user(session, username="totals3")
    make_org(session, name="常州直写甲科技有限公司")
    headers = bearer(session, user)
    session.commit()
    assert _total(app_client, headers, q="直写") == 1
    org = Organisation(
        uscc=new_uscc(),
        name="常州直写乙科技有限公司",
        former_names="",
        search_text="常州直写乙科技有限公司",
        name_pinyin="chang zhou zhi xie yi",
        district="xinbei",
    )
    session.add(org)
    session.flush()
    name_search.reindex(session, [(org.id, org.search_text)])
    session.commit()
    assert _total(app_client, headers, q="直写") == 2


def test_each_scope_keeps_its_own_total(app_client: TestClient, session: Session) -> None:
    """The same filters give a district officer their district's total and an admin everyone's."""
    admin = make_user(session, username="totals4")
    officer = make_user(session, username="totals5", role=Role.officer, district="wujin")
    make_org(session, name="常州范围甲科技有限公司", district="wujin")
    make_org(session, name="常州范围乙科技有限公司", district="xinbei")
    admin_headers, officer_headers = bearer(session, admin), bearer(session, officer)
    session.commit()
    assert _total(app_client, admin_headers, q="范围") == 2
    assert _total(app_client, officer_headers, q="范围") == 1
    assert _total(app_client, admin_headers, q="范围") == 2


def test_reading_in_sort_order_gives_the_same_rows(session: Session) -> None:
    """The plan a dense list uses (the sort index read in order, SQLite) returns exactly the rows,
    in the same order, that fetching and sorting every match returns."""
    for i in range(12):
        make_org(
            session,
            name=f"常州顺序{i % 4}号光伏科技有限公司",
            district=("xinbei", "wujin")[i % 2],
            industry="3811",
        )
    session.flush()
    for filters in (
        OrgFilter(q="光伏"),
        OrgFilter(q="顺序", district="wujin", sort="-name"),
        OrgFilter(industry="38", sort="uscc"),
        OrgFilter(industry="C", district="xinbei", sort="-established"),
    ):
        plain = session.scalars(registry_service.filtered(session, SYSTEM, filters)).all()
        walked = session.scalars(registry_service.filtered(session, SYSTEM, filters, walk=True)).all()
        assert [o.id for o in walked] == [o.id for o in plain]
        assert plain


def test_a_write_in_the_same_transaction_shows_in_its_next_total(session: Session) -> None:
    """An import job counts, adds a firm and counts again in one transaction: the head it read
    first is forgotten when the new firm is flushed, so the second total is one more."""
    for i in range(2):
        make_org(session, name=f"常州同事务{i}科技有限公司", district="liyang")
    session.commit()
    filters = OrgFilter(q="同事务", district="liyang")
    before = registry_service.list_orgs(session, actor=SYSTEM, filters=filters).total
    make_org(session, name="常州同事务新科技有限公司", district="liyang")
    assert registry_service.list_orgs(session, actor=SYSTEM, filters=filters).total == before + 1 == 3
    session.rollback()
    assert registry_service.list_orgs(session, actor=SYSTEM, filters=filters).total == 2
