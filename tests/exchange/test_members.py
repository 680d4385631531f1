"""Members (会员) acting for clients: the mandate, registration, deposit and bids for a client."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from tests.exchange.conftest import World
from tests.exchange.members_support import PDF
from tests.exchange.members_support import member_login as _member
from tests.exchange.members_support import post_mandate as _mandate
from tests.exchange.members_support import uscc_of as _uscc

from longcheng.core.audit import AuditRecord
from longcheng.core.clock import local_today


def test_a_member_registers_pays_and_bids_for_a_client_under_its_mandate(world: World) -> None:
    agent = _member(world)
    client = world.bidders[0]
    r = _mandate(world, agent, uscc=_uscc(world, client.id))
    assert r.status_code == 201, r.text
    mandate = r.json()
    assert mandate["client_name"] == client.name
    code = world.published()
    world.fund(client, "50000")
    base = f"/api/v1/exchange/member/clients/{client.id}"
    r = world.client.post(
        f"{base}/listings/{code}/registrations", json={"accept_conditions": True}, headers=agent
    )
    assert r.status_code == 201, r.text
    reg_id = r.json()["id"]
    r = world.client.post(
        f"/api/v1/exchange/registrations/{reg_id}/review", json={"approve": True}, headers=world.operator
    )
    assert r.status_code == 200, r.text
    assert world.client.post(f"{base}/registrations/{reg_id}/deposit", headers=agent).status_code == 200
    lot_id = world.go_live(code)
    bid = {"amount": "100000", "idempotency_key": "m1"}
    r = world.client.post(f"{base}/lots/{lot_id}/bids", json=bid, headers=agent)
    assert r.status_code == 201, r.text
    assert world.client.post(f"{base}/lots/{lot_id}/bids", json=bid, headers=agent).status_code == 200
    lot = world.client.get(f"/api/v1/exchange/lots/{lot_id}").json()
    assert lot["price_fen"] == 10_000_000
    me = world.client.get("/api/v1/exchange/me", headers=client.headers).json()
    assert me["registrations"][0]["member"] == "常州恒信产权经纪有限公司"
    assert "常州恒信产权经纪有限公司" in world.client.get("/exchange/mine", headers=client.headers).text
    world.session.expire_all()
    rec = world.session.scalar(
        select(AuditRecord).where(
            AuditRecord.action == "exchange.registration.create", AuditRecord.entity_id == str(reg_id)
        )
    )
    assert rec is not None
    assert "恒信经办人" in rec.actor
    assert client.name in rec.diff
    assert "常州恒信产权经纪有限公司" in rec.diff
    for who in (agent, client.headers, world.operator):
        doc = world.client.get(f"/api/v1/exchange/mandates/{mandate['id']}/document", headers=who)
        assert doc.status_code == 200
        assert doc.content == PDF
    stranger = world.client.get(
        f"/api/v1/exchange/mandates/{mandate['id']}/document", headers=world.bidders[1].headers
    )
    assert stranger.status_code == 404


def test_a_member_without_a_valid_mandate_or_with_bad_papers_is_refused(world: World) -> None:
    agent = _member(world)
    code = world.published()
    other = world.bidders[1]
    r = world.client.post(
        f"/api/v1/exchange/member/clients/{other.id}/listings/{code}/registrations",
        json={"accept_conditions": True},
        headers=agent,
    )
    assert r.status_code == 403
    assert r.json()["code"] == "exchange.no_mandate"
    past = local_today() - timedelta(days=10)
    expired = _mandate(
        world,
        agent,
        uscc=_uscc(world, other.id),
        valid_from=past.isoformat(),
        valid_to=(past + timedelta(days=1)).isoformat(),
    )
    assert expired.json()["code"] == "exchange.mandate_expired"
    exe = _mandate(world, agent, uscc=_uscc(world, other.id), _file=b"MZ\x90\x00not a pdf")
    assert exe.status_code == 422
    assert exe.json()["code"] == "exchange.file_type"
    not_member = _mandate(world, other.headers, uscc=_uscc(world, other.id))
    assert not_member.status_code == 403
    assert not_member.json()["code"] == "exchange.not_member"
    world.session.expire_all()
    assert world.client.get("/api/v1/exchange/member/mandates", headers=agent).json() == []
