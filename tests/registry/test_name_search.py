"""Name search finds exactly the firms whose name or former names contain the text, on both
databases (SQLite answers from its FTS5 table, PostgreSQL from its index of character pairs)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session
from tests.factories import bearer, make_org, make_user

from longcheng.core.actors import SYSTEM
from longcheng.registry import service
from longcheng.registry.schemas import OrgUpdate

NAMES = [
    ("常州龙城光伏科技有限公司", []),
    ("常州光明伏特电气有限公司", []),  # 光 and 伏 apart: not 光伏
    ("江苏ABC储能科技有限公司", []),
    ("常州abc智造有限公司", ["常州旧城机械厂"]),
    ("常州100%纯净水有限公司", []),
    ("常州a_b材料有限公司", []),
    ("武进（常州）芙蓉机电有限公司", []),
]
QUERIES = [
    "光伏",
    "光",
    "伏特",
    "abc",
    "ABC",
    "储能科技",
    "旧城",
    "100%",
    "a_b",
    "（常州）",
    "芙蓉机电",
    "光伏电气",
    "z",
]


def _found(client: TestClient, headers: dict[str, str], q: str, mine: set[str]) -> set[str]:
    body = client.get("/api/v1/registry/orgs", params={"q": q, "page_size": 100}, headers=headers).json()
    return {o["uscc"] for o in body["items"]} & mine


def test_every_query_finds_exactly_the_names_that_contain_it(
    app_client: TestClient, session: Session
) -> None:
    """One and two characters, longer texts, letters in either case, former names, and the
    characters LIKE treats specially (% and _) all find what a plain substring test finds."""
    user = make_user(session, username="namesearch")
    orgs = {make_org(session, name=n, former_names=f).uscc: " ".join([n, *f]) for n, f in NAMES}
    headers = bearer(session, user)
    session.commit()
    for q in QUERIES:
        expected = {u for u, names in orgs.items() if q.lower() in names.lower()}
        assert _found(app_client, headers, q, set(orgs)) == expected, q


def test_a_renamed_firm_is_found_by_its_new_and_its_former_name(
    app_client: TestClient, session: Session
) -> None:
    """The index follows an edit: the new name finds the firm, and so does the old one (a former name)."""
    user = make_user(session, username="renamesearch")
    org = make_org(session, name="常州甲乙丙机械有限公司")
    data = OrgUpdate.model_validate(
        {"name": "常州丁戊己智能装备有限公司", "district": org.district, "version": org.version}
    )
    service.update(session, actor=SYSTEM, uscc=org.uscc, data=data)
    headers = bearer(session, user)
    session.commit()
    assert _found(app_client, headers, "戊己智能", {org.uscc}) == {org.uscc}
    assert _found(app_client, headers, "甲乙丙", {org.uscc}) == {org.uscc}


def test_a_code_finds_its_firm_in_any_case(app_client: TestClient, session: Session) -> None:
    """The 18-character code, pasted in lower case, finds its firm; a name never matches a code."""
    user = make_user(session, username="codesearch")
    org = make_org(session, name="常州代码检索有限公司")
    headers = bearer(session, user)
    session.commit()
    assert _found(app_client, headers, org.uscc.lower(), {org.uscc}) == {org.uscc}
    assert _found(app_client, headers, f" {org.uscc} ", {org.uscc}) == {org.uscc}


def test_postgresql_answers_a_two_character_search_from_the_pair_index(session: Session) -> None:
    """The plan of a two-character search reads the index of pairs, not every name (a trigram
    index cannot answer a query shorter than three characters)."""
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("配对索引只在 PostgreSQL 上（SQLite 用 FTS5 表）")
    session.execute(text("SET LOCAL enable_seqscan = off"))
    plan = "\n".join(
        row[0]
        for row in session.execute(
            text("EXPLAIN SELECT count(*) FROM registry_org WHERE search_grams @> ARRAY['光伏']::text[]")
        )
    )
    assert "ix_registry_org_search_grams" in plan
