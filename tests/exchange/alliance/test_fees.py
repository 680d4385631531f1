"""佣金 on a 成交 lot: the charter's tier, split with the member institution that brought the buyer,
posted to the ledger as one balanced entry (the ledger still verifies), charged once, and shown on
each institution's own fee statement (page and XLSX)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select, update
from tests.exchange.conftest import World
from tests.exchange.monitoring.test_monitoring import _close

from longcheng.core.actors import SYSTEM
from longcheng.core.errors import Conflict
from longcheng.exchange import service as parties
from longcheng.exchange.alliance import fees
from longcheng.exchange.alliance import tasks as alliance_tasks
from longcheng.exchange.alliance.models import FeeCharge
from longcheng.exchange.ledger import service as ledger
from longcheng.exchange.listings.models import Listing, Registration
from longcheng.platform.jobs import service as job_service
from longcheng.platform.jobs.models import JobState

BASE = "/api/v1/exchange/alliance"
Jobs = Callable[[], dict[int, JobState]]


def _sold_through_a_member(world: World) -> str:
    """Bidder 0 wins at 103,000 元; its registration came through a member of 苏州 (SZ)."""
    sz = parties.institution_by_code(world.session, "SZ")
    member = parties.add_member(world.session, actor=SYSTEM, institution=sz, name="苏州某经纪公司", uscc="")
    world.session.commit()
    a, b, _ = world.bidders
    world.fund(a, "150000")
    world.fund(b, "150000")
    code = world.published()
    reg_a = world.qualified(code, a)
    world.qualified(code, b)
    world.session.execute(update(Registration).where(Registration.id == reg_a).values(member_id=member.id))
    world.session.commit()
    _close(world, code, [(0, "100000"), (1, "101000"), (0, "103000")])
    return code


def test_the_commission_is_split_posted_and_the_ledger_still_verifies(
    world: World, other_operator: dict[str, str]
) -> None:
    code = _sold_through_a_member(world)
    assert world.client.post(f"{BASE}/fees/charge", headers=other_operator).json()["charged"] == []
    run = world.client.post(f"{BASE}/fees/charge", headers=world.operator)
    assert run.status_code == 200, run.text
    assert run.json() == {"charged": [code], "refused": []}
    fee = 10300000 * 15 // 1000
    buyer_part = fee * 30 // 100
    assert ledger.balance(world.session, "fee:CZ") == fee - buyer_part
    assert ledger.balance(world.session, "fee:SZ") == buyer_part
    verify = world.client.get("/api/v1/exchange/ledger/verify", headers=world.admin).json()
    assert verify["ok"], verify["problems"]
    assert world.client.post(f"{BASE}/fees/charge", headers=world.operator).json()["charged"] == []
    own = world.client.get(f"{BASE}/institutions/SZ/fees", headers=other_operator).json()
    assert own["total_share_fen"] == buyer_part
    assert own["items"][0]["role"] == "引入买方机构"
    assert own["items"][0]["counterpart"] == "常州产权交易所"
    other = world.client.get(f"{BASE}/institutions/CZ/fees", headers=other_operator)
    assert other.status_code == 403
    page = world.client.get("/exchange/alliance/fees", headers=world.operator)
    assert page.status_code == 200
    assert code in page.text
    assert "挂牌机构" in page.text
    xlsx = world.client.get("/exchange/alliance/fees.xlsx", headers=world.operator)
    assert (xlsx.status_code, xlsx.content[:2]) == (200, b"PK")
    listing_id = world.session.scalar(select(Listing.id).where(Listing.code == code))
    assert listing_id is not None


def test_a_lot_not_sold_is_refused_and_a_bidder_cannot_charge(world: World) -> None:
    code = world.published()
    r = world.client.post(f"{BASE}/fees/charge", headers=world.bidders[0].headers)
    assert r.status_code == 403
    with pytest.raises(Conflict) as err:
        fees.charge(world.session, actor=SYSTEM, listing_code=code)
    assert err.value.code_text == "exchange.alliance.fee_not_sold"
    assert "尚未成交" in err.value.message_text


def test_the_scheduled_job_charges_the_commission_of_new_deals_once(
    world: World, other_operator: dict[str, str], run_jobs: Jobs
) -> None:
    """Nobody has to press a button: the ten-minute job charges each new 成交 lot once."""
    code = _sold_through_a_member(world)
    for key in ("first", "second"):
        job_service.submit(world.session, actor=SYSTEM, kind=alliance_tasks.FEE_KIND, key=key)
        world.session.commit()
        assert set(run_jobs().values()) == {JobState.done}
    charged = world.session.scalars(select(FeeCharge.listing_id)).all()
    listing = world.session.scalar(select(Listing).where(Listing.code == code))
    assert listing is not None
    assert charged == [listing.id]
    verify = world.client.get("/api/v1/exchange/ledger/verify", headers=world.admin).json()
    assert verify["ok"], verify["problems"]
