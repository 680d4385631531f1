"""The shared list-page shape, through the registry's list: links, HTMX partials, export."""

from __future__ import annotations

import io
import re
from importlib import resources
from pathlib import Path
from typing import get_args

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy.orm import Session
from tests.factories import login, make_org, make_user

from longcheng.core.config import Settings
from longcheng.core.listing import ListQuery, content_disposition, safe_filename
from longcheng.core.paging import Page
from longcheng.core.templating import make_templates
from longcheng.projects.schemas import SortKey as ProjectSort
from longcheng.registry.schemas import SortKey as OrgSort


def hrefs(html: str) -> list[str]:
    return [h.replace("&amp;", "&") for h in re.findall(r'href="([^"]*)"', html)]


def link(html: str, element_id: str) -> str:
    match = re.search(
        rf'<a [^>]*id="{element_id}"[^>]*href="([^"]*)"|<a [^>]*href="([^"]*)"[^>]*id="{element_id}"', html
    )
    assert match, f"no link #{element_id}"
    return (match.group(1) or match.group(2)).replace("&amp;", "&")


@pytest.fixture
def three_pages(app_client: TestClient, session: Session) -> TestClient:
    make_user(session, username="lister")
    for i in range(3):
        make_org(session, name=f"常州翻页{i}科技有限公司", district="xinbei")
    make_org(session, name="常州别的机械有限公司", district="wujin")
    session.commit()
    login(app_client, "lister")
    return app_client


class TestListQuery:
    def test_a_change_replaces_the_key_and_keeps_the_rest(self) -> None:
        """Blank filters stay as they came; the changed key moves to the end."""
        q = ListQuery("/registry", (("q", "星河"), ("page", "2"), ("district", "")))
        assert q.url(page=3) == "/registry?q=%E6%98%9F%E6%B2%B3&district=&page=3"

    def test_none_removes_and_an_empty_query_leaves_no_question_mark(self) -> None:
        """Going back to the first page of an unfiltered list gives the bare address."""
        assert ListQuery("/registry", (("page", "2"),)).url(page=None) == "/registry"
        assert ListQuery("/registry", ()).url(page=2) == "/registry?page=2"

    def test_link_keeps_filters_and_drops_the_page(self) -> None:
        """The export of a list holds every filtered row, whatever page was shown."""
        q = ListQuery("/registry", (("district", "xinbei"), ("page", "4")))
        assert q.link("/registry/export.xlsx") == "/registry/export.xlsx?district=xinbei"


class TestPager:
    def test_numbers_show_ends_and_neighbours_with_gaps(self) -> None:
        """150 pages at page 40 offer 1 … 38–42 … 150; a short list offers every page."""
        assert Page([], 1500, 40, 10).numbers() == [1, None, 38, 39, 40, 41, 42, None, 150]
        assert Page([], 30, 1, 10).numbers() == [1, 2, 3]

    def test_page_numbers_and_jump_keep_the_filters(self, three_pages: TestClient) -> None:
        """Numbered links keep the filters; past seven pages a jump form carries them as hidden fields."""
        page = three_pages.get("/registry?district=xinbei&page_size=1").text
        assert "/registry?district=xinbei&page_size=1&page=3" in hrefs(page)
        many = three_pages.get("/registry?page_size=1&q=常州").text
        assert "跳至第" not in many  # four firms: numbers only
        assert '<b class="current" aria-current="page">1</b>' in many

    def test_next_page_keeps_every_filter_without_stray_ampersands(self, three_pages: TestClient) -> None:
        """Paging a filtered list keeps the filters, blank ones included, and never writes ?& or &&."""
        page = three_pages.get("/registry?q=翻页&district=xinbei&park=&page_size=1").text
        assert "共 3 条，第 1/3 页" in page
        assert (
            link(page, "next-page")
            == "/registry?q=%E7%BF%BB%E9%A1%B5&district=xinbei&park=&page_size=1&page=2"
        )
        second = three_pages.get(link(page, "next-page")).text
        assert "共 3 条，第 2/3 页" in second
        assert "上一页" in second
        for href in hrefs(second):
            assert "?&" not in href
            assert "&&" not in href

    def test_unfiltered_list_pages_without_a_leading_ampersand(self, three_pages: TestClient) -> None:
        """The first page of the bare list links to ``/registry?page=2``."""
        page = three_pages.get("/registry?page_size=2").text
        assert link(page, "next-page") == "/registry?page_size=2&page=2"
        assert 'hx-target="#results"' in page

    def test_export_link_carries_the_filters_but_not_the_page(self, three_pages: TestClient) -> None:
        """The export button exports what the filters select, not only the page shown."""
        page = three_pages.get("/registry?q=翻页&page_size=1&page=2").text
        export = link(page, "export-link")
        assert export == "/registry/export.xlsx?q=%E7%BF%BB%E9%A1%B5&page_size=1"
        book = load_workbook(io.BytesIO(three_pages.get(export).content)).active
        assert len(list(book.iter_rows(values_only=True))) == 1 + 3


class TestPartial:
    def test_htmx_gets_only_the_results(self, three_pages: TestClient) -> None:
        """A filter change through HTMX swaps the table alone."""
        resp = three_pages.get("/registry?q=翻页", headers={"HX-Request": "true"})
        assert 'id="org-table"' in resp.text
        assert "<html" not in resp.text
        assert 'id="filters"' not in resp.text

    def test_history_restore_gets_the_whole_page(self, three_pages: TestClient) -> None:
        """Going back after HTMX pushed the address rebuilds the whole page, not a bare table."""
        headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
        resp = three_pages.get("/registry?q=翻页", headers=headers)
        assert "<html" in resp.text
        assert 'id="filters"' in resp.text

    def test_filter_bar_keeps_the_chosen_values(self, three_pages: TestClient) -> None:
        """The filter bar shows what was chosen, so a search can be refined."""
        page = three_pages.get("/registry?q=翻页&district=xinbei&sort=-name").text
        assert 'name="q" value="翻页"' in page
        assert '<option value="xinbei" selected>' in page
        assert '<option value="-name" selected>' in page
        assert 'hx-get="/registry"' in page


class TestExport:
    def test_export_is_a_named_download(self, three_pages: TestClient) -> None:
        """The workbook comes as an attachment with its stable name and media type."""
        resp = three_pages.get("/registry/export.xlsx", params={"q": "翻页"})
        assert resp.headers["content-disposition"] == "attachment; filename=registry.xlsx"
        assert resp.headers["content-type"].startswith("application/vnd.openxmlformats")

    def test_export_stops_at_the_row_limit(self, three_pages: TestClient, settings: Settings) -> None:
        """No export holds more rows than ``export_max_rows``."""
        settings.export_max_rows = 2
        for path in ("/registry/export.xlsx", "/api/v1/registry/export.xlsx"):
            book = load_workbook(io.BytesIO(three_pages.get(path, params={"q": "翻页"}).content)).active
            assert len(list(book.iter_rows(values_only=True))) == 1 + 2


class TestFilename:
    def test_plain_names_pass_unchanged(self) -> None:
        """Existing download names keep their exact header."""
        assert content_disposition("policy-innovation.rd_growth-qualifying.xlsx") == (
            "attachment; filename=policy-innovation.rd_growth-qualifying.xlsx"
        )

    def test_chinese_names_get_an_ascii_fallback(self) -> None:
        """A Chinese name travels in ``filename*`` beside a safe ASCII name."""
        assert content_disposition("一企一档.xlsx") == (
            "attachment; filename=\"export.xlsx\"; filename*=UTF-8''%E4%B8%80%E4%BC%81%E4%B8%80%E6%A1%A3.xlsx"
        )

    def test_quotes_newlines_and_folders_cannot_break_the_header(self) -> None:
        """Nothing in a name can end the header or point outside the download folder."""
        header = content_disposition('../x"\r\nSet-Cookie: a=b.xlsx')
        assert "\r" not in header
        assert "\n" not in header
        assert header.startswith('attachment; filename="x_Set-Cookie_a_b.xlsx"; filename*=')
        assert safe_filename("..\\..\\etc\\passwd") == "passwd"


class TestSortLink:
    def test_header_link_toggles_the_sort_and_goes_back_to_page_one(self) -> None:
        """Sorted ascending, the header offers descending; filters stay and the page resets."""
        env = make_templates([Path(str(resources.files("longcheng").joinpath("templates")))]).env
        template = env.from_string(
            '{% from "_filters.html" import sort_link %}{{ sort_link(listing, current, "name", "名称") }}'
        )
        listing = ListQuery("/things", (("q", "x"), ("sort", "name"), ("page", "3")))
        html = template.render(listing=listing, current="name")
        assert 'href="/things?q=x&amp;sort=-name"' in html
        assert "名称 ↑" in html
        assert 'href="/things?q=x&amp;sort=name"' in template.render(listing=listing, current="-name")


class TestSelect:
    def test_options_may_be_strings_pairs_or_objects(self) -> None:
        """One macro serves plain names, (value, label) pairs and reference objects."""
        env = make_templates([Path(str(resources.files("longcheng").joinpath("templates")))]).env
        template = env.from_string(
            '{% from "_filters.html" import select %}{{ select("x", "X", options, current, **kw) }}'
        )
        html = template.render(options=["张三", "李四"], current="李四", kw={})
        assert '<option value="李四" selected>李四</option>' in html
        html = template.render(options=[("a", "甲")], current="", kw={"all_label": None})
        assert '<option value="">' not in html
        assert '<option value="a" >甲</option>' in html


@pytest.mark.parametrize("sort_key", [ProjectSort, OrgSort])
def test_every_sort_key_sorts_both_ways(sort_key: object) -> None:
    """A column header offers both directions, so a list that accepts ``x`` accepts ``-x`` too."""
    keys = set(get_args(sort_key))
    assert {k.lstrip("-") for k in keys} | {"-" + k.lstrip("-") for k in keys} == keys


def test_project_code_sort_link_answers(app_client: TestClient, session: Session) -> None:
    """The 编号 header's descending link (``sort=-code``) shows the list, not a 422."""
    make_user(session, username="coder")
    login(app_client, "coder")
    assert app_client.get("/projects?sort=-code").status_code == 200


def test_error_page_keeps_the_navigation(app_client: TestClient, session: Session) -> None:
    """An error page for a logged-in user still carries the top navigation and who is logged in."""
    make_user(session, username="lost", display_name="迷路的管理员")
    login(app_client, "lost")
    resp = app_client.get("/projects?sort=nonsense")
    assert resp.status_code == 422
    assert "<nav>" in resp.text
    assert 'href="/registry"' in resp.text
    assert "迷路的管理员" in resp.text
