"""The one rulebook: dated versions, review by another person, a Chinese diff, listings keep theirs."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from tests.exchange.conftest import World

from longcheng.core.clock import local_today
from longcheng.exchange.charter import terms

BASE = "/api/v1/exchange/alliance"


def _propose(world: World, version: str, changes: dict[str, object], when: date | None = None) -> dict:
    body = {
        "version": version,
        "effective_from": (when or local_today()).isoformat(),
        "changes": changes,
        "note": "延长车辆披露期",
    }
    r = world.client.post(f"{BASE}/rule-versions", json=body, headers=world.admin)
    assert r.status_code == 201, r.text
    return dict(r.json())


def test_proposal_shows_a_chinese_diff_and_needs_another_reviewer(
    world: World, second_admin: dict[str, str]
) -> None:
    v = _propose(world, "2026.2", {"classes": {"vehicle": {"disclosure_days": 10}}})
    assert v["status"] == "proposed"
    assert v["diff"] == ["车辆·信息披露期（天）：7 → 10"]
    r = world.client.post(f"{BASE}/rule-versions/2026.2/review", json={"approve": True}, headers=world.admin)
    assert r.status_code == 409
    assert r.json()["code"] == "exchange.alliance.self_review"
    r = world.client.post(f"{BASE}/rule-versions/2026.2/review", json={"approve": True}, headers=second_admin)
    assert r.status_code == 200, r.text
    assert r.json()["reviewed_by"]
    page = world.client.get("/exchange/alliance/rulebook")
    assert page.status_code == 200
    assert "现行版本 2026.2" in page.text
    assert "车辆·信息披露期（天）：7 → 10" in page.text


def test_an_operator_may_not_propose_and_bad_rules_are_refused(world: World) -> None:
    body = {"version": "2026.3", "effective_from": "2026-12-01", "changes": {"defaults": {"max_steps": 5}}}
    r = world.client.post(f"{BASE}/rule-versions", json=body, headers=world.operator)
    assert r.status_code == 403
    body["changes"] = {"defaults": {"preemption": "always", "bogus": 1}}
    r = world.client.post(f"{BASE}/rule-versions", json=body, headers=world.admin)
    assert r.status_code == 422
    assert r.json()["code"] == "exchange.alliance.rules_invalid"
    assert "默认规则·优先权" in r.json()["details"]


def test_a_listing_keeps_its_version_after_the_rulebook_changes(
    world: World, second_admin: dict[str, str]
) -> None:
    old_code = world.published()
    old = world.listing(old_code)
    assert old.rules_version == "2026.1"
    assert old.rules["disclosure_days"] == 7
    _propose(world, "2026.2", {"classes": {"vehicle": {"disclosure_days": 12}}})
    world.client.post(f"{BASE}/rule-versions/2026.2/review", json={"approve": True}, headers=second_admin)
    kept = world.listing(old_code)
    assert (kept.rules_version, kept.rules["disclosure_days"], kept.disclosure_end) == (
        "2026.1",
        7,
        old.disclosure_end,
    )
    new = world.listing(world.published())
    assert (new.rules_version, new.rules["disclosure_days"]) == ("2026.2", 12)


def test_a_future_version_is_not_in_force_yet(world: World, second_admin: dict[str, str]) -> None:
    _propose(world, "2027.1", {"defaults": {"countdown_seconds": 240}}, local_today() + timedelta(days=30))
    world.client.post(f"{BASE}/rule-versions/2027.1/review", json={"approve": True}, headers=second_admin)
    assert world.listing(world.published()).rules_version == "2026.1"


def test_an_invalid_charter_is_refused_with_file_line_and_key() -> None:
    text = (
        "overridable:\n  disclosure_days: {min: 5, max: 30}\n  max_steps: {min: 9, max: 3}\n"
        "fees: {tiers: [{up_to_wan: 0, permille: 5}], buyer_side_pct: 30}\n"
        "tendering: {security_max_pct: 2}\n"
    )
    with pytest.raises(terms.CharterError, match=r"^alliance.yaml:3: overridable.max_steps: min 与 max"):
        terms.parse(text)
    with pytest.raises(terms.CharterError, match=r"^alliance.yaml:4: fees.tiers"):
        terms.parse(
            text.replace("max_steps: {min: 9, max: 3}", "max_steps: {min: 1, max: 3}").replace(
                "up_to_wan: 0", "up_to_wan: 5"
            )
        )


def test_fees_are_tiered_and_split_with_the_buyers_institution() -> None:
    charter = terms.load()
    fee = terms.commission(charter, 200 * 1_000_000)  # 200 万元
    assert fee == 100 * 1_000_000 * 15 // 1000 + 100 * 1_000_000 * 10 // 1000
    assert terms.split_fee(charter, fee, same_institution=False) == (fee - fee * 30 // 100, fee * 30 // 100)
    assert terms.split_fee(charter, fee, same_institution=True) == (fee, 0)
