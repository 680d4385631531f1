"""The shared form shape, through the registry's forms: refused input comes back as typed."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from tests.factories import login, make_org, make_user, new_uscc

from longcheng.core.forms import form_values
from longcheng.registry.models import Organisation


class TestFormValues:
    def test_blank_fields_are_not_given(self) -> None:
        """Only filled-in fields among the expected ones reach validation."""
        form = {"name": "常州甲有限公司", "district": "", "csrf_token": "t", "park": None}
        assert form_values(form, ("name", "district", "park", "address")) == {"name": "常州甲有限公司"}


class TestRefusedForm:
    def test_new_form_starts_without_errors(self, app_client: TestClient, session: Session) -> None:
        """A blank form shows no message and no field error."""
        make_user(session, username="former1")
        session.commit()
        login(app_client, "former1")
        page = app_client.get("/registry/new").text
        assert 'role="alert"' not in page
        assert "data-field=" not in page

    def test_refused_create_keeps_what_was_typed(self, app_client: TestClient, session: Session) -> None:
        """A wrong code comes back at 422 with the typed values, a Chinese reason, and nothing written."""
        make_user(session, username="former2")
        session.commit()
        token = login(app_client, "former2")
        good = new_uscc()
        bad = good[:17] + ("0" if good[17] != "0" else "1")
        resp = app_client.post(
            "/registry/new",
            data={"uscc": bad, "name": "常州留值有限公司", "address": "龙城大道1号", "csrf_token": token},
        )
        assert resp.status_code == 422
        assert 'id="form-error"' in resp.text
        assert 'data-field="uscc"' in resp.text
        assert "校验位错误" in resp.text
        assert 'value="常州留值有限公司"' in resp.text
        assert 'value="龙城大道1号"' in resp.text
        assert session.query(Organisation).filter_by(name="常州留值有限公司").count() == 0

    def test_refused_edit_changes_nothing(self, app_client: TestClient, session: Session) -> None:
        """An edit with an unknown district is shown again and the file keeps its old values."""
        make_user(session, username="former3")
        org = make_org(session, name="常州原样有限公司", district="xinbei")
        session.commit()
        token = login(app_client, "former3")
        resp = app_client.post(
            f"/registry/{org.uscc}/edit",
            data={"name": "常州改名有限公司", "district": "火星区", "version": "1", "csrf_token": token},
        )
        assert resp.status_code == 422
        assert 'data-field="district"' in resp.text
        assert 'value="常州改名有限公司"' in resp.text
        session.expire_all()
        assert session.get(Organisation, org.id).name == "常州原样有限公司"
