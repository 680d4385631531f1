"""People see Chinese field labels and messages; programs keep the field paths and codes."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel
from sqlalchemy.orm import Session
from tests.factories import bearer, make_user, new_uscc

from longcheng.core.errors import ValidationFailed
from longcheng.core.validation import clean_text, field_label, validate


def visible_text(html: str) -> str:
    """What a person reads: no comments, no tags, no attributes."""
    html = re.sub(r"<!--.*?-->", "", html, flags=re.S)
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.fixture
def headers(session: Session) -> dict[str, str]:
    return bearer(session, make_user(session, username="labels-admin"))


class TestErrorPage:
    def test_page_shows_label_not_path_or_code(self, app_client: TestClient, headers: dict[str, str]) -> None:
        """A bad page number reads 页码：应为整数, with neither ``query.page`` nor the error code."""
        resp = app_client.get("/registry", params={"page": "abc"}, headers=headers)
        assert resp.status_code == 422
        text = visible_text(resp.text)
        assert "页码" in text
        assert "应为整数" in text
        assert "query" not in text
        assert "错误代码" not in text
        assert "validation" not in text
        assert 'data-code="validation"' in resp.text

    def test_api_keeps_path_and_code(self, app_client: TestClient, headers: dict[str, str]) -> None:
        """The JSON API still names the field by its path and the error by its code."""
        resp = app_client.get("/api/v1/registry/orgs", params={"page": "abc"}, headers=headers)
        assert resp.status_code == 422
        assert resp.json()["code"] == "validation"
        assert resp.json()["details"] == {"query.page": "应为整数"}


class TestLabels:
    @pytest.mark.parametrize(
        ("path", "label"),
        [
            ("query.page", "页码"),
            ("body.items.0.year", "年份"),
            ("path.attachment_id", "编号"),
            ("营业收入（万元）", "营业收入（万元）"),
            ("body.some_new_field", "输入项"),
            ("_", ""),
        ],
    )
    def test_field_label(self, path: str, label: str) -> None:
        """Known names read in Chinese; unknown English names never show as they are."""
        assert field_label(path) == label

    def test_validate_summary_speaks_labels(self) -> None:
        """The message of a form that failed names fields as people know them."""

        class Form(BaseModel):
            page: int
            year: int

        with pytest.raises(ValidationFailed) as info:
            validate(Form, {"page": "x", "year": 10000})
        assert info.value.message_text == "输入有误：页码：应为整数"
        assert info.value.details == {"page": "应为整数"}
        with pytest.raises(ValidationFailed) as info:
            validate(Form, {"page": 1, "year": 10000})
        assert info.value.message_text == "输入有误：年份：年份应在 1900 至 2100 之间"


class TestCleanText:
    @pytest.mark.parametrize(
        ("raw", "reason"),
        [
            ("常州\x00科技有限公司", "控制字符"),
            ("常州科技\n有限公司", "换行"),
            ("常州\u202e司公限有技科", "文字方向控制字符"),
            ("常州\u200b科技有限公司", "不可见字符"),
            ("常州\ufeff科技有限公司", "不可见字符"),
        ],
    )
    def test_hidden_and_control_characters_are_refused(self, raw: str, reason: str) -> None:
        """NUL, line breaks, U+202E and zero-width characters are refused with their position."""
        with pytest.raises(ValueError, match=reason) as info:
            clean_text(raw)
        assert "第 3 个字符" in str(info.value) or "第 5 个字符" in str(info.value)

    def test_safe_normalisation(self) -> None:
        """Full-width letters and digits fold; Chinese full-width punctuation stays; spaces collapse."""
        assert clean_text("  常州ＡＢＣ１２３\u3000（中国）有限公司  ") == "常州ABC123 （中国）有限公司"
        assert clean_text("\uf900") == "\u8c48"
        assert clean_text("第一行\r\n\t第二行", multiline=True) == "第一行\n\t第二行"


class TestRegistryNames:
    def test_api_refuses_bidi_override_in_a_name(
        self, app_client: TestClient, headers: dict[str, str]
    ) -> None:
        """An organisation named with U+202E is a 422 that names the field and the character."""
        resp = app_client.post(
            "/api/v1/registry/orgs",
            json={"uscc": new_uscc(), "name": "常州\u202e司公限有技科"},
            headers=headers,
        )
        assert resp.status_code == 422
        assert "U+202E" in resp.json()["details"]["name"]

    def test_nul_in_any_text_parameter_is_422(self, app_client: TestClient, headers: dict[str, str]) -> None:
        """A NUL in a search box is refused on every route before PostgreSQL sees it."""
        resp = app_client.get("/api/v1/registry/orgs", params={"q": "常州\x00"}, headers=headers)
        assert resp.status_code == 422
        assert resp.json()["details"]["query.q"] == "不能包含空字符（NUL）"

    def test_full_width_letters_are_stored_folded(
        self, app_client: TestClient, headers: dict[str, str]
    ) -> None:
        """A name typed with full-width letters is stored as people search for it."""
        resp = app_client.post(
            "/api/v1/registry/orgs",
            json={"uscc": new_uscc(), "name": "常州ＡＢＣ（中国）有限公司"},
            headers=headers,
        )
        assert resp.status_code == 201, resp.text
        assert resp.json()["name"] == "常州ABC（中国）有限公司"
