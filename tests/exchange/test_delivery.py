"""交割 documents kept in the file store and given back to the staff and the buyer only."""

from __future__ import annotations

import hashlib

from tests.exchange.conftest import World
from tests.exchange.test_results import sold_lot

PDF = b"%PDF-1.4\n% transfer receipt\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _paid(world: World) -> int:
    _code, lot_id = sold_lot(world)
    r = world.client.post(f"/api/v1/exchange/lots/{lot_id}/pay", headers=world.operator)
    assert r.json()["status"] == "paid"
    return lot_id


def test_delivery_documents_are_stored_and_downloadable_by_staff_and_buyer(world: World) -> None:
    lot_id = _paid(world)
    files = [("files", ("交割单.pdf", PDF, "application/pdf")), ("files", ("钥匙照片.png", PNG, "image/png"))]
    r = world.client.post(
        f"/api/v1/exchange/lots/{lot_id}/delivery",
        data={"note": "车辆及钥匙已移交"},
        files=files,
        headers=world.operator,
    )
    assert r.status_code == 200, r.text
    sha = hashlib.sha256(PDF).hexdigest()
    url = f"/api/v1/exchange/lots/{lot_id}/delivery/{sha}"
    winner, loser = world.bidders[0], world.bidders[1]
    for who in (world.operator, winner.headers, world.admin):
        got = world.client.get(url, headers=who)
        assert got.status_code == 200, got.text
        assert got.content == PDF
        assert got.headers["content-type"] == "application/pdf"
    png = world.client.get(
        f"/api/v1/exchange/lots/{lot_id}/delivery/{hashlib.sha256(PNG).hexdigest()}", headers=winner.headers
    )
    assert png.headers["content-type"] == "image/png"
    refused = world.client.get(url, headers=loser.headers)
    assert refused.status_code == 404
    assert refused.json()["code"] == "exchange.delivery_document_not_found"


def test_a_bad_delivery_file_is_refused_and_nothing_is_recorded(world: World) -> None:
    lot_id = _paid(world)
    files = [
        ("files", ("交割单.pdf", PDF, "application/pdf")),
        ("files", ("病毒.exe", b"MZ\x90\x00", "application/pdf")),
    ]
    r = world.client.post(
        f"/api/v1/exchange/lots/{lot_id}/delivery", data={"note": "移交"}, files=files, headers=world.operator
    )
    assert r.status_code == 422
    assert r.json()["code"] == "exchange.file_type"
    again = world.client.post(
        f"/api/v1/exchange/lots/{lot_id}/delivery",
        data={"note": "移交"},
        files=[("files", ("交割单.pdf", PDF, "application/pdf"))],
        headers=world.operator,
    )
    assert again.json()["status"] == "delivered"  # the refused attempt left the lot as it was
