"""Fixtures of the exchange tests: an institution, its operator, bidders with money, a live lot."""

from __future__ import annotations

import functools
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from tests.factories import PASSWORD, bearer, make_org, make_user

from longcheng.core import users
from longcheng.core.actors import SYSTEM, Role
from longcheng.core.auth import hash_password
from longcheng.core.clock import utcnow
from longcheng.core.ids import make_uscc
from longcheng.exchange import service as parties
from longcheng.exchange.bidding.models import Lot
from longcheng.exchange.listings import service as listings
from longcheng.exchange.listings.models import Listing
from longcheng.exchange.schemas import InstitutionIn

EQUITY_FIELDS = {
    "target_uscc": "91320400MA1XXXXXXX",
    "target_name": "常州示例新材料有限公司",
    "share_pct": "51",
    "appraisal_filing_no": "常国资评备〔2026〕12号",
}


@dataclass
class BidderUser:
    id: int
    name: str
    headers: dict[str, str]
    virtual_account: str


@dataclass
class World:
    client: TestClient
    session: Session
    inst_code: str
    operator: dict[str, str]
    admin: dict[str, str]
    bidders: list[BidderUser] = field(default_factory=list)
    _bank: int = 0

    def listing_body(self, **over: Any) -> dict[str, Any]:
        body: dict[str, Any] = {
            "asset_class": "vehicle",
            "mode": "timed",
            "title": "公务车辆一批之苏D12345号轿车",
            "region": "常州市新北区",
            "seller_name": "常州市机关事务管理局",
            "appraisal": "100000",
            "start_price": "100000",
            "step": "1000",
            "fields": {"plate": "苏D12345", "vin": "LSVAU033512345678", "mileage_km": 86000},
        }
        body.update(over)
        return body

    def published(self, **over: Any) -> str:
        r = self.client.post(
            "/api/v1/exchange/listings", json=self.listing_body(**over), headers=self.operator
        )
        assert r.status_code == 201, r.text
        code = r.json()["code"]
        assert (
            self.client.post(f"/api/v1/exchange/listings/{code}/submit", headers=self.operator).status_code
            == 200
        )
        r = self.client.post(f"/api/v1/exchange/listings/{code}/approve", json={}, headers=self.operator)
        assert r.status_code == 200, r.text
        return str(code)

    def fund(self, who: BidderUser, yuan: str, *, payer: str | None = None) -> dict[str, Any]:
        self._bank += 1
        csv = "流水号,虚拟账号,付款人户名,付款人账号,金额（元）,入账时间\n"
        ref = f"T{self._bank:06d}{who.id}"
        csv += f"{ref},{who.virtual_account},{payer or who.name},6222000011112222,{yuan},2026-12-01 10:00\n"
        files = {"file": ("statement.csv", io.BytesIO(csv.encode("utf-8")), "text/csv")}
        r = self.client.post("/api/v1/exchange/bank-statements", files=files, headers=self.operator)
        assert r.status_code == 200, r.text
        return dict(r.json())

    def qualified(self, code: str, who: BidderUser, *, preemptor: bool = False) -> int:
        r = self.client.post(
            f"/api/v1/exchange/listings/{code}/registrations",
            json={"accept_conditions": True},
            headers=who.headers,
        )
        assert r.status_code == 201, r.text
        reg_id = int(r.json()["id"])
        r = self.client.post(
            f"/api/v1/exchange/registrations/{reg_id}/review",
            json={"approve": True, "preemptor": preemptor},
            headers=self.operator,
        )
        assert r.status_code == 200, r.text
        r = self.client.post(f"/api/v1/exchange/registrations/{reg_id}/deposit", headers=who.headers)
        assert r.status_code == 200, r.text
        return reg_id

    def go_live(self, code: str, *, free_seconds: int = 600, countdown: int = 180, ago: int = 1) -> int:
        """The sandbox accelerator: start the auction now instead of after disclosure."""
        listing = listings.get(self.session, code)
        lot = self.session.query(Lot).filter(Lot.listing_id == listing.id).one()
        now = utcnow()
        listing.auction_start = lot.starts_at = now - timedelta(seconds=ago)
        lot.free_ends_at = lot.starts_at + timedelta(seconds=free_seconds)
        lot.deadline = lot.free_ends_at + timedelta(seconds=countdown)
        self.session.commit()
        return lot.id

    def end(self, lot_id: int) -> None:
        """Move the deadline into the past (the close job then settles the lot)."""
        lot = self.session.get(Lot, lot_id)
        assert lot is not None
        lot.deadline = utcnow() - timedelta(milliseconds=1)
        self.session.commit()

    def listing(self, code: str) -> Listing:
        self.session.expire_all()
        return listings.get(self.session, code)


@functools.cache
def _one_hash() -> str:
    return hash_password(PASSWORD)


@pytest.fixture
def world(app_client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch) -> World:
    # Every test user logs in by API token: hash the one password once, not per user.
    monkeypatch.setattr(users, "hash_password", lambda _password: _one_hash())
    uscc = make_uscc(__import__("random").Random(99), division="320400")
    parties.create_institution(
        session, actor=SYSTEM, data=InstitutionIn(code="CZ", name="常州产权交易所", uscc=uscc)
    )
    op = make_user(
        session, username="cz_operator", role=Role.operator, org_uscc=uscc, display_name="交易所经办"
    )
    admin = make_user(session, username="ex_admin", role=Role.admin)
    w = World(app_client, session, "CZ", bearer(session, op), bearer(session, admin))
    for i in range(3):
        org = make_org(session, name=f"常州竞买{i}号投资有限公司")
        user = make_user(session, username=f"bidder{i}", role=Role.bidder)
        b = parties.enrol_org_bidder(session, actor=SYSTEM, uscc=org.uscc, user_id=user.id)
        w.bidders.append(BidderUser(b.id, b.name, bearer(session, user), b.virtual_account))
    session.commit()
    return w


MakeWorld = Callable[[], World]
