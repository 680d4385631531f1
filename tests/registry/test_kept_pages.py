"""The list's pages are read from kept windows of row ids: every page still holds exactly the rows
the whole sorted list holds there, and every change shows on the next request."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import delete
from sqlalchemy.orm import Session
from tests.factories import bearer, login, make_org, make_user

from longcheng.core.actors import SYSTEM, Actor, Role
from longcheng.core.clock import local_today
from longcheng.registry import service as registry_service
from longcheng.registry.models import Organisation
from longcheng.registry.schemas import OrgFilter, OrgUpdate, TagCreate

ORGS = "/api/v1/registry/orgs"


def _names(
    session: Session, filters: OrgFilter, page: int, page_size: int, actor: Actor = SYSTEM
) -> list[str]:
    found = registry_service.list_orgs(session, actor=actor, filters=filters, page=page, page_size=page_size)
    return [o.name for o in found.items]


def _all_pages(session: Session, filters: OrgFilter, page_size: int) -> list[str]:
    out: list[str] = []
    page = 1
    while names := _names(session, filters, page, page_size):
        out += names
        page += 1
    return out


def test_pages_across_windows_hold_the_sorted_list(session: Session) -> None:
    """47 matches paged by 20 and by 7 (windows of 100 and 35 ids), in three sorts: the pages
    laid end to end are the sorted list, with no row twice and none missing."""
    for i in range(47):
        make_org(session, name=f"常州窗口{i:02d}号科技有限公司", district=("wujin", "xinbei")[i % 2])
    make_org(session, name="常州别的科技有限公司")
    session.commit()
    for sort in ("name", "-name", "uscc"):
        filters = OrgFilter(q="窗口", sort=sort)
        whole = [o.name for o in session.scalars(registry_service.filtered(session, SYSTEM, filters))]
        assert len(whole) == 47
        for size in (20, 7, 1):
            assert _all_pages(session, filters, size) == whole, (sort, size)
        assert _names(session, filters, 6, 7) == whole[35:42]  # the first page of a second window
        assert _names(session, filters, 99, 20) == []


def test_a_renamed_firm_moves_on_the_next_request(app_client: TestClient, session: Session) -> None:
    """The first page is read (its window kept); a firm on it is renamed to sort last: the next
    request shows it on the last page, not the first."""
    user = make_user(session, username="kept1")
    for i in range(25):
        make_org(session, name=f"常州改名{i:02d}科技有限公司", district="liyang")
    headers = bearer(session, user)
    session.commit()
    params = {"q": "改名", "sort": "name", "page_size": "20"}
    first = app_client.get(ORGS, params=params, headers=headers).json()["items"]
    moved = first[0]
    body = {"name": "常州座改名科技有限公司", "district": "liyang", "version": moved["version"]}
    assert app_client.put(f"{ORGS}/{moved['uscc']}", json=body, headers=headers).status_code == 200
    again = app_client.get(ORGS, params=params, headers=headers).json()["items"]
    assert moved["uscc"] not in [o["uscc"] for o in again]
    last = app_client.get(ORGS, params={**params, "page": "2"}, headers=headers).json()["items"]
    assert last[-1]["uscc"] == moved["uscc"]
    assert last[-1]["name"] == "常州座改名科技有限公司"


def test_a_row_deleted_outside_the_application_is_left_out(session: Session) -> None:
    """A firm deleted straight in the database (no audit record, no stamp moved) while its window
    is kept: its page shows the others, and nothing fails."""
    orgs = [make_org(session, name=f"常州直删{i}科技有限公司") for i in range(5)]
    session.commit()
    filters = OrgFilter(q="直删", sort="-established")
    before = _names(session, filters, 1, 20)
    assert len(before) == 5
    session.commit()
    gone = orgs[2]
    session.execute(delete(Organisation).where(Organisation.id == gone.id))
    session.commit()
    after = _names(session, filters, 1, 20)
    assert after == [n for n in before if n != gone.name]


def test_each_scope_keeps_its_own_pages(app_client: TestClient, session: Session) -> None:
    """The same filters and page: a district officer gets only their district's firms, an admin
    everyone's, and an enterprise only its own, whoever asked first."""
    admin = make_user(session, username="kept2")
    officer = make_user(session, username="kept3", role=Role.officer, district="wujin")
    mine = make_org(session, name="常州范页甲科技有限公司", district="xinbei")
    make_org(session, name="常州范页乙科技有限公司", district="wujin")
    firm = make_user(session, username="kept4", role=Role.enterprise, org_uscc=mine.uscc)
    headers = {
        who: bearer(session, user) for who, user in (("admin", admin), ("officer", officer), ("firm", firm))
    }
    session.commit()

    def names(who: str) -> list[str]:
        resp = app_client.get(ORGS, params={"q": "范页"}, headers=headers[who])
        assert resp.status_code == 200, resp.text
        return [o["name"] for o in resp.json()["items"]]

    assert names("admin") == ["常州范页甲科技有限公司", "常州范页乙科技有限公司"]
    assert names("officer") == ["常州范页乙科技有限公司"]
    assert names("firm") == ["常州范页甲科技有限公司"]
    assert len(names("admin")) == 2


def test_the_list_page_shows_an_edit_in_its_rows_at_once(app_client: TestClient, session: Session) -> None:
    """The page's rows are drawn once and kept: a firm renamed and given a tag shows with its new
    name, its old one as a former name, and the tag on the next view, as the HTMX partial and as
    the page."""
    make_user(session, username="kept5")
    org = make_org(session, name="常州行缓存甲科技有限公司", district="wujin")
    make_org(session, name="常州行缓存乙科技有限公司", district="wujin")
    session.commit()
    login(app_client, "kept5")
    params = {"q": "行缓存", "sort": "name"}
    first = app_client.get("/registry", params=params)
    assert first.status_code == 200
    assert "常州行缓存甲科技有限公司" in first.text
    assert app_client.get("/registry", params=params).text.count("<tr>") == first.text.count("<tr>")
    registry_service.update(
        session,
        actor=SYSTEM,
        uscc=org.uscc,
        data=OrgUpdate(name="常州行缓存丙科技有限公司", district="wujin", version=org.version),
    )
    registry_service.add_tag(
        session,
        actor=SYSTEM,
        uscc=org.uscc,
        data=TagCreate(tag="srdi", valid_from=local_today() - timedelta(days=10)),
    )
    session.commit()
    for headers in ({}, {"HX-Request": "true"}):
        again = app_client.get("/registry", params=params, headers=headers)
        assert "常州行缓存丙科技有限公司" in again.text
        assert "曾用名：常州行缓存甲科技有限公司" in again.text  # the old name, now a former one
        assert "专精特新" in again.text


def test_rows_drawn_for_one_scope_never_show_another(app_client: TestClient, session: Session) -> None:
    """An admin's page of a search is drawn and kept; an enterprise user asking the same page
    sees only its own firm's row, and a district officer only its district's."""
    make_user(session, username="kept6")
    mine = make_org(session, name="常州行范围甲科技有限公司", district="xinbei")
    make_org(session, name="常州行范围乙科技有限公司", district="wujin")
    make_user(session, username="kept7", role=Role.enterprise, org_uscc=mine.uscc)
    make_user(session, username="kept8", role=Role.officer, district="wujin")
    session.commit()
    params = {"q": "行范围"}
    seen: dict[str, set[str]] = {}
    for who in ("kept6", "kept7", "kept8"):
        login(app_client, who)
        page = app_client.get("/registry", params=params)
        assert page.status_code == 200
        seen[who] = {n for n in ("甲", "乙") if f"常州行范围{n}科技有限公司" in page.text}
        app_client.cookies.clear()
    assert seen == {"kept6": {"甲", "乙"}, "kept7": {"甲"}, "kept8": {"乙"}}
