"""评标 by a panel drawn from the expert pool: conflicts excluded, declaration first, combined score."""

from __future__ import annotations

from sqlalchemy import select, text
from tests.exchange.tendering.conftest import BASE, TenderWorld
from tests.factories import bearer, make_user

from longcheng.core.actors import SYSTEM, Role
from longcheng.exchange.models import Bidder
from longcheng.experts import service as experts_service
from longcheng.experts.schemas import ExpertIn


def _expert(tw: TenderWorld, username: str, employer: str | None = None) -> dict[str, str]:
    s = tw.w.session
    user = make_user(s, username=username, role=Role.reviewer, display_name=username)
    data = {"name": f"评委{username}", "fields": ["software"], "username": username}
    if employer:
        data["employer_uscc"] = employer
    experts_service.create(s, actor=SYSTEM, data=ExpertIn.model_validate(data))
    headers = bearer(s, user)
    s.commit()
    return headers


def _opened(tw: TenderWorld) -> None:
    tw.create()
    tw.collect_shares()
    for i, price in enumerate(("950000", "930000", "990000")):
        tw.enter(i)
        assert tw.bid(i, price).status_code == 201
    tw.reach_opening()
    for k in (0, 1):
        tw.w.client.post(f"{BASE}/{tw.code}/shares", json={"share": tw.shares[k]}, headers=tw.officers[k])
    assert tw.w.client.post(f"{BASE}/{tw.code}/open", headers=tw.w.operator).status_code == 200


def test_a_panel_without_conflicts_scores_and_ranks_by_combined_score(tw: TenderWorld) -> None:
    _opened(tw)
    c = tw.w.client
    usccs = [tw.w.session.scalar(select(Bidder.uscc).where(Bidder.id == b.id)) for b in tw.w.bidders[:3]]
    panel = [_expert(tw, f"pw{k}") for k in range(5)]
    insider = _expert(tw, "pw_insider", employer=usccs[2])
    drawn = c.post(f"{BASE}/{tw.code}/panel", json={"seed": 7}, headers=tw.w.admin)
    assert drawn.status_code == 201, drawn.text
    assert sorted(p["expert_name"] for p in drawn.json()) == [f"评委pw{k}" for k in range(5)]
    refused = c.post(f"{BASE}/{tw.code}/declaration", json={"has_conflict": False}, headers=insider)
    assert (refused.status_code, refused.json()["code"]) == (403, "tendering.expert_conflict")
    assert "利益冲突" in refused.json()["message"]
    early = c.get(f"{BASE}/{tw.code}/evaluation/bids", headers=panel[0])
    assert early.json()["code"] == "tendering.declaration_required"
    too_soon = c.post(f"{BASE}/{tw.code}/publicity", headers=tw.w.operator)
    assert too_soon.json()["code"] == "tendering.evaluation_incomplete"
    technical = {tw.w.bidders[0].name: 90, tw.w.bidders[1].name: 60, tw.w.bidders[2].name: 80}
    for h in panel:
        assert (
            c.post(f"{BASE}/{tw.code}/declaration", json={"has_conflict": False}, headers=h).status_code
            == 200
        )
        for b in c.get(f"{BASE}/{tw.code}/evaluation/bids", headers=h).json():
            r = c.post(
                f"{BASE}/{tw.code}/evaluations",
                json={"bid_id": b["id"], "technical": technical[b["bidder"]]},
                headers=h,
            )
            assert r.status_code == 200, r.text
    bad = c.post(
        f"{BASE}/{tw.code}/evaluations", json={"bid_id": b["id"], "technical": 101}, headers=panel[0]
    )
    assert bad.json()["code"] == "tendering.score_out_of_range"
    pub = c.post(f"{BASE}/{tw.code}/publicity", headers=tw.w.operator)
    assert pub.status_code == 200, pub.text
    cands = pub.json()["candidates"]
    names = [tw.w.bidders[i].name for i in (0, 2, 1)]
    assert [x["bidder"] for x in cands] == names
    assert [x["score"] for x in cands] == ["92.37", "84.18", "72.00"]


def test_a_recused_or_absent_expert_is_replaced_by_a_fresh_clean_draw(tw: TenderWorld) -> None:
    _opened(tw)
    c = tw.w.client
    usccs = [tw.w.session.scalar(select(Bidder.uscc).where(Bidder.id == b.id)) for b in tw.w.bidders[:3]]
    heads = {f"评委pr{k}": _expert(tw, f"pr{k}") for k in range(8)}
    _expert(tw, "pr_insider", employer=usccs[0])
    drawn = c.post(f"{BASE}/{tw.code}/panel", json={"seed": 11}, headers=tw.w.admin).json()
    first, second = drawn[0], drawn[1]
    r = c.post(
        f"{BASE}/{tw.code}/declaration",
        json={"has_conflict": True, "statement": "本人近三年曾为投标人提供咨询"},
        headers=heads[first["expert_name"]],
    )
    assert (r.status_code, r.json()["declared"]) == (200, False)
    gone = c.get(f"{BASE}/{tw.code}/evaluation/bids", headers=heads[first["expert_name"]])
    assert gone.json()["code"] == "tendering.not_on_panel"
    other = c.post(
        f"{BASE}/{tw.code}/panel/absent",
        json={"expert_code": second["expert_code"], "reason": "未到场"},
        headers=tw.w.operator,
    )
    assert other.status_code == 200, other.text
    rows = tw.w.session.execute(
        text("select expert_name, state, replaces_id from exchange_tender_panel order by id")
    ).all()
    panel = [r for r in rows if r[1] == "panel"]
    assert len(panel) == 5
    assert {r[0] for r in panel}.isdisjoint({first["expert_name"], second["expert_name"], "评委pr_insider"})
    assert sum(1 for r in panel if r[2] is not None) == 2
    states = {r[0]: r[1] for r in rows}
    assert (states[first["expert_name"]], states[second["expert_name"]]) == ("recused", "absent")
    log = tw.w.session.execute(
        text("select count(*) from audit_record where action = 'exchange.tender.panel_replace'")
    ).scalar()
    assert log == 2
    newcomer = next(r[0] for r in panel if r[2] is not None)
    ok = c.post(f"{BASE}/{tw.code}/declaration", json={"has_conflict": False}, headers=heads[newcomer])
    assert ok.json()["declared"] is True
