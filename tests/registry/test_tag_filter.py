"""The tag filter lists exactly today's holders, whichever way the database is asked.

A common tag is tested firm by firm and a rare one through the set of its holders (SQLite picks
the cheaper of the two by the number of holders); both must list the same firms, alone and with
a search, a district and every sort.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.factories import bearer, make_org, make_user

from longcheng.core import totals
from longcheng.core.actors import SYSTEM, Role
from longcheng.core.clock import local_today
from longcheng.registry import query
from longcheng.registry import service as registry_service
from longcheng.registry.export import tag_label
from longcheng.registry.models import Organisation
from longcheng.registry.schemas import TagCreate


def _tag(session: Session, uscc: str, start: date, end: date | None = None) -> None:
    data = TagCreate(tag="high_tech", valid_from=start, valid_to=end)
    registry_service.add_tag(session, actor=SYSTEM, uscc=uscc, data=data)


@pytest.mark.parametrize("holders_as_set", [0, 10_000], ids=["probe each firm", "set of holders"])
def test_only_current_holders_are_listed(
    app_client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch, holders_as_set: int
) -> None:
    monkeypatch.setattr(query, "HOLDERS_AS_SET", holders_as_set)
    totals.clear()
    today = local_today()
    current = make_org(session, name="龙城标签甲科技有限公司", district="wujin")
    also = make_org(session, name="龙城标签乙科技有限公司", district="xinbei")
    expired = make_org(session, name="龙城标签丙科技有限公司", district="wujin")
    future = make_org(session, name="龙城标签丁科技有限公司", district="wujin")
    make_org(session, name="龙城标签戊科技有限公司", district="wujin")
    _tag(session, current.uscc, today - timedelta(days=30))
    _tag(session, also.uscc, today - timedelta(days=900), today)
    _tag(session, expired.uscc, today - timedelta(days=1200), today - timedelta(days=1))
    _tag(session, future.uscc, today + timedelta(days=1))
    user = make_user(session, username=f"tagger{holders_as_set}", role=Role.admin)
    session.commit()
    headers = bearer(session, user)

    def names(**params: str) -> list[str]:
        resp = app_client.get("/api/v1/registry/orgs", params={"tag": "high_tech", **params}, headers=headers)
        assert resp.status_code == 200, resp.text
        return sorted(o["name"] for o in resp.json()["items"])

    both = sorted([current.name, also.name])
    for sort in ("name", "-established", "uscc"):
        assert names(q="龙城标签", sort=sort) == both
    assert names(q="龙城标签", district="wujin") == [current.name]
    assert names(q="标签乙") == [also.name]
    page = app_client.get("/registry", params={"tag": "high_tech", "q": "龙城标签"}, headers=headers)
    assert page.status_code == 200
    assert current.name in page.text
    assert also.name in page.text
    assert expired.name not in page.text


def test_the_list_page_shows_each_firms_valid_tags_only(app_client: TestClient, session: Session) -> None:
    """The 有效标签 column names today's tags with their level, oldest first; an expired or future
    one is left out."""
    today = local_today()
    holder = make_org(session, name="龙城标签列甲科技有限公司", district="wujin")
    lapsed = make_org(session, name="龙城标签列乙科技有限公司", district="wujin")
    registry_service.add_tag(
        session,
        actor=SYSTEM,
        uscc=holder.uscc,
        data=TagCreate(tag="high_tech", level="national", valid_from=today - timedelta(days=10)),
    )
    registry_service.add_tag(
        session,
        actor=SYSTEM,
        uscc=holder.uscc,
        data=TagCreate(tag="tech_sme", valid_from=today - timedelta(days=400)),
    )
    _tag(session, lapsed.uscc, today - timedelta(days=900), today - timedelta(days=1))
    _tag(session, lapsed.uscc, today + timedelta(days=5))
    user = make_user(session, username="tagcolumn", role=Role.admin)
    session.commit()
    page = app_client.get(
        "/registry", params={"q": "龙城标签列", "sort": "name"}, headers=bearer(session, user)
    )
    assert page.status_code == 200
    rows = page.text.split("<tr>")
    held = next(r for r in rows if holder.name in r)
    older = f'<span class="tag">{tag_label("tech_sme", None)}</span>'
    assert older + '<span class="tag">高新技术企业（国家级）</span>' in held
    assert 'class="tag"' not in next(r for r in rows if lapsed.name in r)


def test_the_row_text_of_tags_is_for_the_day_asked(session: Session) -> None:
    """The list page's option is built per day: a tag that lapsed yesterday is in yesterday's
    text and not in today's, whatever day the option is built on."""
    today = local_today()
    org = make_org(session, name="龙城标签日期科技有限公司")
    _tag(session, org.uscc, today - timedelta(days=100), today - timedelta(days=1))
    session.flush()

    def text_on(day: date) -> str:
        stmt = select(query.valid_tags(day)).select_from(Organisation).where(Organisation.id == org.id)
        return str(session.scalar(stmt))

    assert "|high_tech|" in text_on(today - timedelta(days=1))
    assert text_on(today) == ""
