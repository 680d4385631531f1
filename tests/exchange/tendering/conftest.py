"""A tender of 常州产权交易所 with three opening officers (any two open it) and funded bidders."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import update
from tests.exchange.alliance.conftest import other_operator  # noqa: F401
from tests.exchange.conftest import World
from tests.factories import bearer, make_user

from longcheng.core.actors import Role
from longcheng.core.clock import utcnow
from longcheng.exchange import service as parties
from longcheng.exchange.tendering.models import Tender

BASE = "/api/v1/exchange/tenders"


@dataclass
class TenderWorld:
    w: World
    officers: list[dict[str, str]]
    code: str = ""
    shares: list[str] = field(default_factory=list)

    def body(self, **over: Any) -> dict[str, Any]:
        now = utcnow()
        body: dict[str, Any] = {
            "procedure": "open",
            "title": "常州市新北区智慧园区设备采购",
            "purchaser_name": "常州市新北区机关事务管理局",
            "budget": "1000000",
            "security": "20000",
            "officers": ["cz_operator", "cz_officer2", "cz_officer3"],
            "threshold": 2,
            "deadline": (now + timedelta(days=10)).isoformat(),
            "opening_at": (now + timedelta(days=10, hours=1)).isoformat(),
            "notice": "招标公告：本项目采购园区监控设备一批，详见招标文件第一章。",
        }
        body.update(over)
        return body

    def create(self, **over: Any) -> str:
        r = self.w.client.post(BASE, json=self.body(**over), headers=self.w.operator)
        assert r.status_code == 201, r.text
        self.code = str(r.json()["code"])
        return self.code

    def collect_shares(self) -> None:
        for h in self.officers:
            r = self.w.client.post(f"{BASE}/{self.code}/my-share", headers=h)
            assert r.status_code == 200, r.text
            self.shares.append(str(r.json()["share"]))

    def enter(self, i: int) -> None:
        b = self.w.bidders[i]
        self.w.fund(b, "50000")
        r = self.w.client.post(f"{BASE}/{self.code}/entrants", headers=b.headers)
        assert r.status_code == 201, r.text

    def bid(self, i: int, price: str) -> Any:
        return self.w.client.post(
            f"{BASE}/{self.code}/bids", json={"price": price}, headers=self.w.bidders[i].headers
        )

    def move(self, **fields: Any) -> None:
        self.w.session.execute(update(Tender).where(Tender.code == self.code).values(**fields))
        self.w.session.commit()

    def reach_opening(self) -> None:
        now = utcnow()
        self.move(deadline=now - timedelta(minutes=2), opening_at=now - timedelta(minutes=1))


@pytest.fixture
def tw(world: World) -> TenderWorld:
    uscc = parties.institution_by_code(world.session, "CZ").uscc
    officers = [world.operator]
    for name in ("cz_officer2", "cz_officer3"):
        user = make_user(world.session, username=name, role=Role.operator, org_uscc=uscc)
        officers.append(bearer(world.session, user))
    world.session.commit()
    return TenderWorld(world, officers)
