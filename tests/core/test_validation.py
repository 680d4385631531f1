"""People see Chinese field labels and messages; programs keep the field paths and codes."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel
from sqlalchemy.orm import Session
from tests.factories import bearer, make_user

from longcheng.core.errors import ValidationFailed
from longcheng.core.validation import field_label, validate


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
