"""The alliance portal reached through a member carries that member's branding (name, colour,
contact, intro) over every member's listings; only the member's own staff may change it."""

from __future__ import annotations

from tests.exchange.conftest import World


def test_the_portal_through_a_member_shows_its_branding_and_every_listing(
    world: World, other_operator: dict[str, str]
) -> None:
    code = world.published()
    branding = {
        "portal_title": "苏州产权交易服务平台",
        "brand_color": "#aa3300",
        "contact": "0512-12345678",
        "intro": "苏州市属产权交易机构，服务国有资产进场交易。",
    }
    r = world.client.put(
        "/api/v1/exchange/alliance/institutions/SZ/profile", json=branding, headers=other_operator
    )
    assert r.status_code == 200, r.text
    for url in ("/exchange/portal/SZ", "/exchange/portal?inst=SZ"):
        page = world.client.get(url)
        assert page.status_code == 200
        for text in ("苏州产权交易服务平台", "#aa3300", "0512-12345678", "服务国有资产进场交易"):
            assert text in page.text
        assert code in page.text  # a 常州 listing shows on 苏州's portal too
        assert "本机构门户设置" not in page.text
    plain = world.client.get("/exchange/portal/CZ")
    assert "常州产权交易所" in plain.text
    assert "#1f4e79" in plain.text
    mine = world.client.get("/exchange/portal/SZ", headers=other_operator)
    assert "本机构门户设置" in mine.text
    assert "本机构门户设置" not in world.client.get("/exchange/portal/CZ", headers=other_operator).text
    cross = world.client.post(
        "/exchange/portal/CZ/profile",
        data={"portal_title": "被篡改", "brand_color": "#000000"},
        headers=other_operator,
    )
    assert cross.status_code == 403
    bad = world.client.put(
        "/api/v1/exchange/alliance/institutions/SZ/profile",
        json={"brand_color": "red"},
        headers=other_operator,
    )
    assert bad.status_code == 422
    saved = world.client.post(
        "/exchange/portal/SZ/profile",
        data={"portal_title": "苏州产权e交易", "brand_color": "#116633", "contact": "", "intro": ""},
        headers=other_operator,
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert "苏州产权e交易" in world.client.get("/exchange/portal/SZ").text
    unknown = world.client.get("/exchange/portal/XX")
    assert unknown.status_code == 404
