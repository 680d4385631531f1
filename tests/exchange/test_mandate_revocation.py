"""撤销授权: a revoked or expired mandate no longer lets a member register, pay or bid for the client."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from tests.exchange.conftest import World
from tests.exchange.members_support import (
    member_id,
    member_login,
    post_mandate,
    qualified_for_client,
    uscc_of,
)

from longcheng.core.audit import AuditRecord
from longcheng.core.clock import local_today
from longcheng.exchange.models import Mandate


def test_a_member_revokes_a_mandate_and_can_no_longer_bid_or_register_for_the_client(world: World) -> None:
    agent = member_login(world)
    client = world.bidders[0]
    mandate = post_mandate(world, agent, uscc=uscc_of(world, client.id)).json()
    code = world.published()
    world.fund(client, "50000")
    qualified_for_client(world, agent, client.id, code)
    lot_id = world.go_live(code)
    r = world.client.post(
        f"/api/v1/exchange/mandates/{mandate['id']}/revoke",
        json={"reason": "委托人书面撤回委托"},
        headers=agent,
    )
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "revoked"
    assert r.json()["revoke_reason"] == "委托人书面撤回委托"
    base = f"/api/v1/exchange/member/clients/{client.id}"
    bid = world.client.post(
        f"{base}/lots/{lot_id}/bids", json={"amount": "100000", "idempotency_key": "r1"}, headers=agent
    )
    assert bid.status_code == 403
    assert bid.json()["code"] == "exchange.mandate_revoked"
    assert "撤销" in bid.json()["message"]
    assert "委托人书面撤回委托" in bid.json()["message"]
    other = world.published(title="公务车辆一批之苏D67890号轿车")
    reg = world.client.post(
        f"{base}/listings/{other}/registrations", json={"accept_conditions": True}, headers=agent
    )
    assert reg.status_code == 403
    assert reg.json()["code"] == "exchange.mandate_revoked"
    own = world.client.post(
        f"/api/v1/exchange/lots/{lot_id}/bids",
        json={"amount": "100000", "idempotency_key": "own"},
        headers=client.headers,
    )
    assert own.status_code == 201, own.text
    again = world.client.post(
        f"/api/v1/exchange/mandates/{mandate['id']}/revoke",
        json={"reason": "重复提交"},
        headers=world.operator,
    )
    assert again.status_code == 409
    assert again.json()["code"] == "exchange.mandate_already_revoked"
    assert "无需重复撤销" in again.json()["message"]
    world.session.expire_all()
    rec = world.session.scalar(
        select(AuditRecord).where(
            AuditRecord.action == "exchange.mandate.revoke", AuditRecord.entity_id == str(mandate["id"])
        )
    )
    assert rec is not None
    assert "恒信经办人" in rec.actor
    assert "委托人书面撤回委托" in rec.diff


def test_an_operator_revokes_on_the_member_page_and_strangers_cannot(world: World) -> None:
    agent = member_login(world)
    client = world.bidders[1]
    mandate = post_mandate(world, agent, uscc=uscc_of(world, client.id)).json()
    url = f"/api/v1/exchange/mandates/{mandate['id']}/revoke"
    stranger = world.client.post(url, json={"reason": "与我无关"}, headers=world.bidders[2].headers)
    assert stranger.status_code == 404
    short = world.client.post(url, json={"reason": ""}, headers=world.operator)
    assert short.status_code == 422
    page = world.client.get(f"/exchange/members/{member_id(world)}", headers=world.operator)
    assert f'action="/exchange/mandates/{mandate["id"]}/revoke"' in page.text
    r = world.client.post(
        f"/exchange/mandates/{mandate['id']}/revoke",
        data={"reason": "委托书印章与登记不符"},
        headers=world.operator,
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert r.headers["location"] == f"/exchange/members/{member_id(world)}"
    page = world.client.get(r.headers["location"], headers=world.operator)
    assert "已撤销" in page.text
    assert "委托书印章与登记不符" in page.text
    assert f'action="/exchange/mandates/{mandate["id"]}/revoke"' not in page.text
    twice = world.client.post(
        f"/exchange/mandates/{mandate['id']}/revoke", data={"reason": "再次撤销"}, headers=agent
    )
    assert twice.status_code == 409
    assert "无需重复撤销" in twice.text


def test_an_expired_mandate_is_refused_with_its_own_code(world: World) -> None:
    agent = member_login(world)
    client = world.bidders[0]
    mandate = post_mandate(world, agent, uscc=uscc_of(world, client.id)).json()
    row = world.session.get(Mandate, mandate["id"])
    assert row is not None
    row.valid_from = local_today() - timedelta(days=30)
    row.valid_to = local_today() - timedelta(days=1)
    world.session.commit()
    code = world.published()
    r = world.client.post(
        f"/api/v1/exchange/member/clients/{client.id}/listings/{code}/registrations",
        json={"accept_conditions": True},
        headers=agent,
    )
    assert r.status_code == 403
    assert r.json()["code"] == "exchange.mandate_expired"
    assert "到期" in r.json()["message"]
