"""Officers' pages of carriers through HTTP: create and edit with the API's checks, a new
available area kept as vacancy history, photos (images only, size limit) on the public page,
and the officers' list with its XLSX export."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy.orm import Session
from tests.factories import login, make_user, new_uscc

from longcheng.core.actors import Role

FORM = {
    "name": "西太湖工业地块 WJ-2026-09",
    "kind": "land",
    "district": "wujin",
    "land_mu": "30",
    "land_use": "industrial",
    "plot_ratio": "1.2",
    "price_wan": "1800",
    "power_kva": "3000",
    "status": "available",
}


def png() -> bytes:
    """A real 1×1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def token(app_client: TestClient, session: Session) -> str:
    make_user(session, username="sofficer", role=Role.officer, display_name="载体专员")
    make_user(session, username="sfirm", role=Role.enterprise, org_uscc=new_uscc())
    session.commit()
    return login(app_client, "sofficer")


def _create(client: TestClient, token: str, **changes: str) -> str:
    resp = client.post("/carriers/new", data={"csrf_token": token, **FORM, **changes}, follow_redirects=False)
    assert resp.status_code == 303, resp.text
    return str(resp.headers["location"]).split("?")[0].rsplit("/", 2)[-2]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"land_mu": "-5"}, "面积和价格不能为负数"),
        ({"plot_ratio": "50"}, "容积率须在 0.1–15 之间"),
        ({"land_use": ""}, "地块须填写面积（亩）和用地性质"),
        ({"lat": "31.7"}, "经纬度须同时填写"),
        (
            {"kind": "factory", "total_area_m2": "1000", "available_area_m2": "2000"},
            "可租售面积不能大于总面积",
        ),
    ],
)
def test_form_refuses_bad_figures(
    app_client: TestClient, token: str, changes: dict[str, str], message: str
) -> None:
    """The API's checks on the form: 422, the reason in Chinese, the form as typed, nothing saved."""
    resp = app_client.post("/carriers/new", data={"csrf_token": token, **FORM, **changes})
    assert resp.status_code == 422
    assert message in resp.text
    assert 'value="西太湖工业地块 WJ-2026-09"' in resp.text
    assert "共 0 处" in app_client.get("/carriers/manage").text


def test_edit_vacancy_and_history(app_client: TestClient, token: str) -> None:
    """Editing keeps the checks; a new available area appears in the vacancy history on both pages."""
    code = _create(app_client, token)
    form = app_client.get(f"/carriers/{code}/edit")
    assert form.status_code == 200
    assert 'value="1800"' in form.text
    bad = app_client.post(f"/carriers/{code}/edit", data={"csrf_token": token, **FORM, "plot_ratio": "50"})
    assert bad.status_code == 422
    ok = app_client.post(
        f"/carriers/{code}/edit",
        data={"csrf_token": token, **FORM, "price_wan": "1600"},
        follow_redirects=False,
    )
    assert ok.status_code == 303
    assert "1600.00 万元" in app_client.get(f"/carriers/{code}").text
    too_much = app_client.post(
        f"/carriers/{code}/availability", data={"csrf_token": token, "available_area_m2": "999999"}
    )
    assert too_much.status_code == 422
    assert "可租售面积不能大于总面积" in too_much.text
    moved = app_client.post(
        f"/carriers/{code}/availability",
        data={"csrf_token": token, "available_area_m2": "10000", "note": "某企业摘牌"},
        follow_redirects=False,
    )
    assert moved.status_code == 303
    public = app_client.get(f"/carriers/{code}")
    assert "某企业摘牌" in public.text
    assert "10000" in public.text


def test_photos_are_images_only_and_shown_publicly(app_client: TestClient, token: str) -> None:
    """A PNG is kept and shown on the public page; a PDF renamed .jpg and an oversized file are refused."""
    code = _create(app_client, token)
    fake = app_client.post(
        f"/carriers/{code}/photos",
        data={"csrf_token": token},
        files={"photo": ("site.jpg", b"%PDF-1.4 not an image", "image/jpeg")},
    )
    assert fake.status_code == 422
    assert "只接受 PNG 或 JPG" in fake.text
    big = app_client.post(
        f"/carriers/{code}/photos",
        data={"csrf_token": token},
        files={"photo": ("big.jpg", b"\xff\xd8\xff" + b"0" * (5 * 1024 * 1024), "image/jpeg")},
    )
    assert big.status_code == 413
    assert "超过 5 MB 上限" in big.text
    ok = app_client.post(
        f"/carriers/{code}/photos",
        data={"csrf_token": token, "caption": "地块航拍"},
        files={"photo": ("aerial.png", png(), "image/png")},
        follow_redirects=False,
    )
    assert ok.status_code == 303, ok.text
    app_client.cookies.clear()
    public = app_client.get(f"/carriers/{code}")
    assert "地块航拍" in public.text
    assert "编辑载体" not in public.text
    src = public.text.split('<img src="')[1].split('"')[0]
    image = app_client.get(src)
    assert image.status_code == 200
    assert image.headers["content-type"] == "image/png"
    assert image.content == png()


def test_officer_list_shows_every_status_and_exports(app_client: TestClient, token: str) -> None:
    """The officers' list holds occupied carriers too, filters by status, and exports what it shows."""
    code = _create(app_client, token)
    _create(app_client, token, name="天宁研发地块", district="tianning", land_use="rnd")
    app_client.post(f"/carriers/{code}/availability", data={"csrf_token": token, "available_area_m2": "0"})
    listing = app_client.get("/carriers/manage", params={"status": "occupied"})
    assert "西太湖工业地块" in listing.text
    assert "天宁研发地块" not in listing.text
    assert "西太湖工业地块" not in app_client.get("/carriers").text  # the portal shows only vacant ones
    resp = app_client.get("/carriers/manage/export.xlsx", params={"district": "tianning"})
    ws = load_workbook(io.BytesIO(resp.content)).active
    assert ws is not None
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:3] == ("编号", "名称", "类型")
    assert [r[1] for r in rows[1:]] == ["天宁研发地块"]
    login(app_client, "sfirm")
    assert app_client.get("/carriers/manage").status_code == 403
    assert app_client.get("/carriers/new").status_code == 403
