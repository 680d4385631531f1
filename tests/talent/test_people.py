"""People over HTTP: registration checks, masking, exact search, unmasked views and the bank account."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.factories import bearer, login, make_org, make_user
from tests.talent.support import person, resident_id, with_wrong_check

from longcheng.core.actors import Role
from longcheng.core.audit import AuditRecord
from longcheng.talent.service import pii

NUMBER = resident_id(date(1996, 3, 8))


def _body(**fields: object) -> dict[str, object]:
    return {
        "name": "李青",
        "id_number": NUMBER,
        "degree": "bachelor",
        "school": "河海大学",
        "graduation_date": "2018-06-30",
        "start_date": "2024-07-01",
    } | fields


def _actions(session: Session, action: str) -> list[AuditRecord]:
    return list(session.scalars(select(AuditRecord).where(AuditRecord.action == action)))


class TestRegister:
    def test_birth_date_and_sex_come_from_the_id_and_numbers_are_masked(
        self, app_client: TestClient, session: Session
    ) -> None:
        """The record shows 1996-03-08 and 男 without typing them; the number is 3204**********xxxx."""
        org = make_org(session)
        headers = bearer(session, make_user(session, username="hr1", role=Role.officer))
        session.commit()
        resp = app_client.post("/api/v1/talent/people", json=_body(employer_uscc=org.uscc), headers=headers)
        assert resp.status_code == 201, resp.text
        data = resp.json()
        assert (data["birth_date"], data["sex"], data["employer_name"]) == ("1996-03-08", "男", org.name)
        assert data["id_masked"] == NUMBER[:4] + "*" * 10 + NUMBER[-4:]
        assert NUMBER not in resp.text
        history = " ".join(r.diff for r in _actions(session, "talent.person.create"))
        assert NUMBER not in history

    def test_bad_numbers_and_dates_are_refused_with_their_codes(
        self, app_client: TestClient, session: Session
    ) -> None:
        """Wrong check digit, under 16, graduation before birth + 15 and a duplicate each get a code."""
        headers = bearer(session, make_user(session, username="hr2", role=Role.officer))
        session.commit()
        cases = [
            (_body(id_number=with_wrong_check(NUMBER)), 422, "pii.resident_id_invalid"),
            (_body(id_number=resident_id(date(2015, 1, 1))), 422, "talent.under_16"),
            (_body(graduation_date="2005-06-30"), 422, "talent.graduation_too_early"),
        ]
        for body, status, code in cases:
            resp = app_client.post("/api/v1/talent/people", json=body, headers=headers)
            assert (resp.status_code, resp.json()["code"]) == (status, code), resp.text
        assert app_client.post("/api/v1/talent/people", json=_body(), headers=headers).status_code == 201
        twice = app_client.post("/api/v1/talent/people", json=_body(name="李青青"), headers=headers)
        assert (twice.status_code, twice.json()["code"]) == (409, "talent.duplicate_person")
        assert "已登记" in twice.json()["message"]

    def test_exact_search_by_id_number(self, app_client: TestClient, session: Session) -> None:
        """The full number finds the person (blind index); a different valid number finds nobody."""
        found = person(session, id_number=NUMBER)
        headers = bearer(session, make_user(session, username="hr3", role=Role.officer))
        session.commit()
        resp = app_client.get(
            "/api/v1/talent/people/search", params={"id_number": NUMBER.lower()}, headers=headers
        )
        assert resp.json()["id"] == found.id
        other = app_client.get(
            "/api/v1/talent/people/search",
            params={"id_number": resident_id(date(1990, 1, 1))},
            headers=headers,
        )
        assert other.status_code == 404
        listed = app_client.get("/api/v1/talent/people", params={"q": NUMBER}, headers=headers).json()
        assert [p["id"] for p in listed["items"]] == [found.id]


class TestUnmasked:
    def test_refused_without_talent_pii_and_the_attempt_is_audited(
        self, app_client: TestClient, session: Session
    ) -> None:
        """An officer without the grant gets 403; the refusal is in the audit trail."""
        found = person(session)
        headers = bearer(session, make_user(session, username="plain", role=Role.officer))
        session.commit()
        resp = app_client.get(f"/api/v1/talent/people/{found.id}/unmasked", headers=headers)
        assert (resp.status_code, resp.json()["code"]) == (403, "talent.pii_denied")
        denied = _actions(session, "pii.view_denied")
        assert [r.entity_id for r in denied] == [str(found.id)]

    def test_granted_officer_sees_the_number_and_the_view_is_audited(
        self, app_client: TestClient, session: Session
    ) -> None:
        """A talent officer holding the grant reads the clear number; each view is recorded."""
        found = person(session, id_number=NUMBER)
        admin = make_user(session, username="boss", role=Role.admin)
        officer = make_user(session, username="talent_officer", role=Role.officer)
        pii.grant(session, actor=admin.to_actor(), username="talent_officer")
        headers = bearer(session, officer)
        session.commit()
        resp = app_client.get(f"/api/v1/talent/people/{found.id}/unmasked", headers=headers)
        assert resp.json() == {"id": found.id, "id_number": NUMBER, "bank_account": None}
        assert len(_actions(session, "pii.view")) == 1

    def test_export_masks_for_an_officer_without_the_grant(
        self, app_client: TestClient, session: Session
    ) -> None:
        """The XLSX of the list carries the masked number unless the exporter holds talent:pii."""
        person(session, id_number=NUMBER)
        make_user(session, username="exporter", role=Role.officer)
        session.commit()
        login(app_client, "exporter")
        resp = app_client.get("/talent/people.xlsx")
        assert resp.status_code == 200
        from io import BytesIO

        from openpyxl import load_workbook

        rows = list(load_workbook(BytesIO(resp.content)).active.iter_rows(values_only=True))  # type: ignore[union-attr]
        assert rows[1][2] == NUMBER[:4] + "*" * 10 + NUMBER[-4:]


class TestBankAccount:
    def test_only_the_person_may_change_it(self, app_client: TestClient, session: Session) -> None:
        """An officer's change is refused (403, stable code); the person's own change is stored masked."""
        user = make_user(session, username="liqing", role=Role.talent)
        found = person(session, id_number=NUMBER)
        found.user_id = user.id
        officer = bearer(session, make_user(session, username="hr4", role=Role.admin))
        own = bearer(session, user)
        session.commit()
        url = f"/api/v1/talent/people/{found.id}/bank"
        refused = app_client.put(url, json={"bank_account": "6222020200112233445"}, headers=officer)
        assert (refused.status_code, refused.json()["code"]) == (403, "talent.not_the_person")
        done = app_client.put(url, json={"bank_account": "6222 0202 0011 2233 445"}, headers=own)
        assert done.json()["bank_masked"] == "6222 **** **** 3445"


class TestPersonalPage:
    def test_correction_request_reaches_the_officer_and_the_answer_comes_back(
        self, app_client: TestClient, session: Session
    ) -> None:
        """The person asks to correct the school; the officer closes it; the person sees 已处理."""
        user = make_user(session, username="wangwu", role=Role.talent)
        found = person(session, id_number=NUMBER)
        found.user_id = user.id
        make_user(session, username="hr5", role=Role.officer)
        session.commit()
        token = login(app_client, "wangwu")
        form = {"csrf_token": token, "field": "school", "requested": "南京大学", "note": "学历证书为南京大学"}
        assert app_client.post("/talent/me/corrections", data=form, follow_redirects=False).status_code == 303
        app_client.post("/logout", data={"csrf_token": token})
        token = login(app_client, "hr5")
        page = app_client.get(f"/talent/people/{found.id}").text
        assert "南京大学" in page
        correction = page.split('action="/talent/corrections/')[1].split('"')[0]
        answer = {"csrf_token": token, "status": "done", "answer": "已按学历证书更正"}
        app_client.post(f"/talent/corrections/{correction}", data=answer, follow_redirects=False)
        app_client.post("/logout", data={"csrf_token": token})
        login(app_client, "wangwu")
        assert "已处理：已按学历证书更正" in app_client.get("/talent/me").text

    def test_unmask_page_without_the_grant_is_403_and_audited(
        self, app_client: TestClient, session: Session
    ) -> None:
        """The record page's unmask button answers 403 to an officer without talent:pii."""
        found = person(session, id_number=NUMBER)
        make_user(session, username="hr6", role=Role.officer)
        session.commit()
        token = login(app_client, "hr6")
        resp = app_client.post(f"/talent/people/{found.id}/unmask", data={"csrf_token": token})
        assert resp.status_code == 403
        assert NUMBER not in resp.text
        assert len(_actions(session, "pii.view_denied")) == 1
