"""竞买人自助注册: organisations by registry USCC, persons by checked ID; duplicates refused."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from fastapi.testclient import TestClient
from tests.exchange.conftest import World
from tests.factories import PASSWORD, csrf_from, login, make_org

from longcheng.core.ids import make_uscc
from longcheng.core.pii import ids


def _wrong_check_digit() -> str:
    number = ids.make_number("320402", date(1988, 5, 6), 99)
    return number[:-1] + ("0" if number[-1] != "0" else "1")


def _signup(client: TestClient, body: dict[str, Any]) -> Any:
    token = csrf_from(client.get("/exchange/signup").text)
    return client.post("/api/v1/exchange/signup", json=body, headers={"X-CSRF-Token": token})


def test_an_organisation_signs_up_logs_in_and_sees_its_own_bidder_page(world: World) -> None:
    org = make_org(world.session, name="常州自助注册科技有限公司")
    world.session.commit()
    client = world.client
    client.cookies.clear()
    page = client.get("/exchange")
    assert "注册竞买人账户" in page.text
    token = csrf_from(client.get("/exchange/signup").text)
    form = {"kind": "org", "name": org.name, "uscc": org.uscc, "username": "zizhu_org"}
    r = client.post(
        "/exchange/signup", data={**form, "password": PASSWORD, "csrf_token": token}, follow_redirects=False
    )
    assert r.status_code == 303, r.text
    assert "注册成功" in client.get(r.headers["location"]).text
    login(client, "zizhu_org")
    me = client.get("/exchange/mine")
    assert me.status_code == 200
    assert org.name in me.text
    again = _signup(client, {**form, "username": "zizhu_org2", "password": PASSWORD})
    assert again.status_code == 409
    assert again.json()["code"] == "exchange.bidder_exists"


def test_a_person_signs_up_with_a_checked_id_stored_masked(world: World) -> None:
    number = ids.make_number("320402", date(1988, 5, 6), 321)
    body = {
        "kind": "person",
        "name": "张自助",
        "id_number": number,
        "username": "zhang_zz",
        "password": PASSWORD,
    }
    r = _signup(world.client, body)
    assert r.status_code == 201, r.text
    assert r.json()["role"] == "bidder"
    assert r.json()["bidder"]["id_masked"] == number[:4] + "*" * 10 + number[-4:]
    assert number not in r.text
    same_person = _signup(world.client, {**body, "username": "zhang_zz2"})
    assert same_person.status_code == 409
    assert same_person.json()["code"] == "exchange.bidder_exists"
    other = ids.make_number("320402", date(1990, 1, 1), 555)
    same_name = _signup(world.client, {**body, "id_number": other})
    assert same_name.status_code == 409
    assert same_name.json()["code"] == "users.duplicate"


def _wrong_last(uscc: str) -> str:
    """The code with another check character (never its own: a code ending in 0 stayed valid)."""
    return uscc[:-1] + ("1" if uscc.endswith("0") else "0")


def test_bad_signups_are_refused_with_their_codes_and_write_nothing(world: World) -> None:
    org = make_org(world.session, name="常州名录核对有限公司")
    world.session.commit()
    cases = [
        ({"kind": "org", "name": org.name, "uscc": _wrong_last(org.uscc)}, "exchange.uscc_invalid"),
        ({"kind": "org", "name": "常州冒名顶替有限公司", "uscc": org.uscc}, "exchange.org_name_mismatch"),
        ({"kind": "person", "name": "李错号", "id_number": _wrong_check_digit()}, "pii.resident_id_invalid"),
        ({"kind": "alien", "name": "某某"}, "exchange.invalid"),
    ]
    for extra, code in cases:
        r = _signup(world.client, {**extra, "username": "bad_signup", "password": PASSWORD})
        assert r.status_code in (409, 422), r.text
        assert r.json()["code"] == code, (code, r.text)
    unregistered = make_uscc(random.Random(4242))
    token = csrf_from(world.client.get("/exchange/signup").text)
    page = world.client.post(
        "/exchange/signup",
        data={
            "kind": "org",
            "name": "常州未登记有限公司",
            "uscc": unregistered,
            "username": "bad_signup",
            "password": PASSWORD,
            "csrf_token": token,
        },
    )
    assert page.status_code == 422
    assert "未在机构名录中登记" in page.text
    r = _signup(
        world.client,
        {"kind": "org", "name": org.name, "uscc": org.uscc, "username": "bad_signup", "password": PASSWORD},
    )
    assert r.status_code == 201, r.text  # nothing of the refused attempts was left behind


def test_signup_attempts_are_limited_per_identity_and_per_address(world: World) -> None:
    """Five tries for one USCC in an hour, refused or not, then 429 with a Chinese message; another
    identity from the same address still gets through until the address reaches its own limit."""
    client = world.client
    org = make_org(world.session, name="常州限流测试科技有限公司")
    world.session.commit()
    body = {"kind": "org", "uscc": org.uscc, "name": "名称不符公司", "password": PASSWORD}
    for i in range(5):
        r = _signup(client, {**body, "username": f"probe{i}"})
        assert r.status_code == 422, r.text
    limited = _signup(client, {**body, "username": "probe5"})
    assert limited.status_code == 429
    assert limited.json()["code"] == "exchange.signup_rate_limited"
    assert "注册尝试过于频繁" in limited.json()["message"]
    token = csrf_from(client.get("/exchange/signup").text)
    page = client.post("/exchange/signup", data={**body, "username": "probe6", "csrf_token": token})
    assert page.status_code == 429
    assert "注册尝试过于频繁" in page.text
    other = make_org(world.session, name="常州另一家科技有限公司")
    world.session.commit()
    ok = _signup(
        client,
        {"kind": "org", "uscc": other.uscc, "name": other.name, "username": "other_ok", "password": PASSWORD},
    )
    assert ok.status_code == 201, ok.text
    rng = random.Random(5)
    codes = set()
    for i in range(20):
        r = _signup(client, {**body, "uscc": make_uscc(rng, division="320411"), "username": f"spray{i}"})
        codes.add(r.status_code)
    assert 429 in codes
    final = _signup(client, {**body, "uscc": make_uscc(rng, division="320411"), "username": "spray_last"})
    assert final.status_code == 429
    assert final.json()["code"] == "exchange.signup_rate_limited"
