"""The pages: the public portal without login, the listing page, the room, the bidder's page, the console."""

from __future__ import annotations

from tests.exchange.conftest import World
from tests.factories import login

from longcheng.core.actors import SYSTEM
from longcheng.exchange.bidding import service as bidding


def test_the_portal_lists_published_listings_without_login_and_filters_them(world: World) -> None:
    code = world.published()
    world.client.post(
        "/api/v1/exchange/listings",
        json=world.listing_body(title="尚未发布的草稿车辆项目"),
        headers=world.operator,
    )
    page = world.client.get("/exchange")
    assert page.status_code == 200
    assert code in page.text
    assert "尚未发布的草稿车辆项目" not in page.text
    assert code not in world.client.get("/exchange?asset_class=equity").text
    assert code in world.client.get("/exchange?min_price=90000&max_price=110000").text
    detail = world.client.get(f"/exchange/listings/{code}")
    assert "信息披露期为 7 个自然日" in detail.text
    assert "车牌号" in detail.text


def test_the_room_shows_server_time_and_the_bidder_sees_bid_buttons(world: World) -> None:
    code = world.published()
    a = world.bidders[0]
    world.fund(a, "50000")
    world.qualified(code, a)
    lot_id = world.go_live(code)
    watcher = world.client.get(f"/exchange/lots/{lot_id}/room")
    assert watcher.status_code == 200
    assert "服务器时间" in watcher.text
    assert 'id="bid-panel"' not in watcher.text
    login(world.client, "bidder0")
    room = world.client.get(f"/exchange/lots/{lot_id}/room")
    assert 'id="bid-panel"' in room.text
    assert "+1 个幅度" in room.text
    mine = world.client.get("/exchange/mine")
    assert a.virtual_account in mine.text
    assert "已冻结" in mine.text


def test_the_console_shows_work_and_exports_xlsx_and_the_dashboard_counts_deals(world: World) -> None:
    code = world.published()
    a, b, _ = world.bidders
    world.fund(a, "50000", payer="代付人李四")
    login(world.client, "cz_operator")
    console = world.client.get("/exchange/console")
    assert console.status_code == 200
    assert "代付人李四" in console.text
    assert code in console.text
    xlsx = world.client.get("/exchange/console/listings.xlsx")
    assert xlsx.status_code == 200
    assert xlsx.content[:2] == b"PK"
    world.fund(b, "50000")
    lot_id = world.go_live(code)
    world.end(lot_id)
    bidding.close_due(world.session, actor=SYSTEM, lot_id=lot_id)
    world.session.commit()
    dash = world.client.get("/exchange/dashboard")
    assert dash.status_code == 200
    assert 'id="stat-unsold">1<' in dash.text
    assert world.client.get("/exchange/rulebook").status_code == 200
