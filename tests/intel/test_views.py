"""The intel module over HTTP: upload, reader, facts and export, search, link review, permissions.

The articles here are invented for the tests.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from reportlab.pdfgen import canvas
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.factories import bearer, login, make_org, make_user

from longcheng.core import audit
from longcheng.core.actors import Role
from longcheng.intel.models import Article, Document, Fact, Link
from longcheng.platform.jobs.models import JobState

SOLAR = (
    "星河光伏高效组件项目落户常州经开区\n2024-03-18\n"
    "本月，常州星河光伏科技有限公司与常州经开区管委会签约总投资18.5亿元的高效光伏组件项目，"
    "主要生产锂电池隔膜和光伏背板。\n"
    "另据介绍，星河光伏集团今年一季度完成投资2.3亿元。溧阳天目湖储能电站项目已开工，计划投资约30亿元。\n"
)
STEEL = (
    "龙腾特钢绿色循环项目在武进开工\n2023-11-02\n"
    "近日，常州龙腾特钢有限公司绿色循环提升项目在武进国家高新区开工，总投资6亿元，"
    "建成后年产值可达12亿元。\n"
)
UPLOAD = "/api/v1/intel/documents"


def upload(client: TestClient, name: str, data: bytes, headers: dict[str, str] | None = None) -> Any:
    return client.post(
        UPLOAD, files={"file": (name, data, "application/octet-stream")}, headers=headers or {}
    )


def stored(session: Session) -> tuple[int, int, int]:
    """How many documents, articles and facts the database holds."""
    return tuple(session.scalar(select(func.count(m.id))) or 0 for m in (Document, Article, Fact))  # type: ignore[return-value]


def image_only_pdf() -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.rect(100, 100, 300, 400, fill=1)
    page.showPage()
    page.save()
    return buffer.getvalue()


@pytest.fixture
def analyst(session: Session) -> dict[str, str]:
    """An officer's API headers; the registry knows 常州星河光伏科技有限公司."""
    make_org(session, name="常州星河光伏科技有限公司", district="wujin")
    user = make_user(session, username="analyst", role=Role.officer)
    headers = bearer(session, user)
    session.commit()
    return headers


class TestUpload:
    def test_same_file_twice_is_stored_once(
        self, app_client: TestClient, session: Session, analyst: dict[str, str]
    ) -> None:
        """The second upload of a file says it is a duplicate and stores nothing more."""
        first = upload(app_client, "solar.txt", SOLAR.encode(), analyst)
        assert first.status_code == 201, first.text
        assert (first.json()["status"], first.json()["articles"], first.json()["facts"]) == ("stored", 1, 3)
        before = stored(session)
        again = upload(app_client, "solar-copy.txt", SOLAR.encode(), analyst)
        assert again.status_code == 200
        assert again.json()["status"] == "duplicate"
        assert "未重复保存" in again.json()["message"]
        assert stored(session) == before

    def test_gbk_copy_has_the_same_article(
        self, app_client: TestClient, session: Session, analyst: dict[str, str]
    ) -> None:
        """A GBK copy of an article already stored is recognised as the same article."""
        upload(app_client, "solar.txt", SOLAR.encode(), analyst)
        before = stored(session)
        resp = upload(app_client, "solar-gbk.txt", SOLAR.encode("gbk"), analyst)
        assert resp.status_code == 200
        assert resp.json()["code"] == "intel.duplicate_articles"
        assert stored(session) == before

    @pytest.mark.parametrize(
        ("name", "data", "status", "code"),
        [
            ("empty.txt", b"", 422, "intel.empty_file"),
            (
                "photo.txt",
                b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8,
                422,
                "intel.binary_file",
            ),
            ("scan.pdf", image_only_pdf(), 422, "intel.pdf_no_text"),
            ("big.txt", b"a" * (5 * 1024 * 1024 + 1), 413, "intel.file_too_large"),
            ("report.docx", b"PK\x03\x04 word", 422, "intel.unsupported_file"),
        ],
    )
    def test_bad_files_are_refused_with_a_code_and_nothing_is_stored(
        self,
        app_client: TestClient,
        session: Session,
        analyst: dict[str, str],
        name: str,
        data: bytes,
        status: int,
        code: str,
    ) -> None:
        """Empty, binary, scanned, oversized and unsupported files store nothing and say why."""
        resp = upload(app_client, name, data, analyst)
        assert resp.status_code == status
        assert resp.json()["code"] == code
        assert re.search(r"[\u4e00-\u9fff]", resp.json()["message"])
        assert stored(session) == (0, 0, 0)

    def test_upload_page_reports_a_scan_in_chinese(self, app_client: TestClient, session: Session) -> None:
        """The upload page says a PDF without a text layer was not imported, and why."""
        make_user(session, username="pageuser", role=Role.officer)
        session.commit()
        token = login(app_client, "pageuser")
        resp = app_client.post(
            "/intel/upload",
            files={"file": ("scan.pdf", image_only_pdf(), "application/pdf")},
            data={"csrf_token": token},
        )
        assert resp.status_code == 422
        assert 'data-code="intel.pdf_no_text"' in resp.text
        assert "没有文字层" in resp.text
        assert stored(session) == (0, 0, 0)


class TestReader:
    def test_reader_highlights_each_fact_in_the_text(
        self, app_client: TestClient, session: Session, analyst: dict[str, str]
    ) -> None:
        """The reader marks each fact's cue and amount in the article text, linked to the fact."""
        document_id = upload(app_client, "solar.txt", SOLAR.encode(), analyst).json()["document_id"]
        login(app_client, "analyst")
        page = app_client.get(f"/intel/documents/{document_id}")
        assert page.status_code == 200
        facts = list(session.scalars(select(Fact).order_by(Fact.start)))
        for fact in facts:
            mark = re.search(
                rf'<mark class="fact kind-{fact.kind}" id="fact-{fact.id}"[^>]*>([^<]*)</mark>', page.text
            )
            assert mark is not None, fact.cue
            assert mark.group(1) == fact.cue
        assert "签约总投资18.5亿元" in [f.cue for f in facts]

    @pytest.mark.parametrize(
        ("name", "expected"),
        [
            ("solar.txt", "attachment; filename=document-{id}.txt"),
            (
                'solar.t"xt; a=b',
                'attachment; filename="document-{id}.txtab"; '
                "filename*=UTF-8''document-{id}.t%22xt%3B%20a%3Db",
            ),
            (
                "solar.txt\r\nSet-Cookie: x=1",
                'attachment; filename="document-{id}.txtSet-Cookiex1"; '
                "filename*=UTF-8''document-{id}.txt%0D%0ASet-Cookie%3A%20x%3D1",
            ),
        ],
    )
    def test_original_download_name_cannot_break_the_header(
        self, app_client: TestClient, session: Session, analyst: dict[str, str], name: str, expected: str
    ) -> None:
        """The download is named after the document's id and its own suffix; quotes, semicolons or
        line breaks in the uploaded name reach the header only percent-encoded."""
        document_id = upload(app_client, "solar.txt", SOLAR.encode(), analyst).json()["document_id"]
        document = session.get(Document, document_id)
        assert document is not None
        document.name = name
        session.commit()
        login(app_client, "analyst")
        resp = app_client.get(f"/intel/documents/{document_id}/original")
        assert resp.status_code == 200
        assert resp.content == SOLAR.encode()
        assert resp.headers["content-disposition"] == expected.format(id=document_id)

    def test_api_spans_point_at_the_article_and_the_file(
        self, app_client: TestClient, analyst: dict[str, str]
    ) -> None:
        """Each fact's span is the amount in its article; its file span is the amount in the stored text."""
        document_id = upload(app_client, "solar.txt", SOLAR.encode(), analyst).json()["document_id"]
        body = app_client.get(f"/api/v1/intel/documents/{document_id}", headers=analyst).json()
        text = app_client.get(f"/api/v1/intel/documents/{document_id}/text", headers=analyst).text
        article = body["articles"][0]
        full = article["title"] + "\n" + article["body"]
        for fact in article["facts"]:
            assert full[fact["span"][0] : fact["span"][1]] == fact["text"]
            assert text[fact["file_span"][0] : fact["file_span"][1]] == fact["text"]


class TestFacts:
    def test_filters_and_export_match(
        self, app_client: TestClient, session: Session, analyst: dict[str, str]
    ) -> None:
        """The XLSX export holds exactly the facts the filtered table shows."""
        upload(app_client, "solar.txt", SOLAR.encode(), analyst)
        upload(app_client, "steel.txt", STEEL.encode(), analyst)
        params = {"kind": "investment", "min_wan": "50000"}
        listing = app_client.get("/api/v1/intel/facts", params=params, headers=analyst).json()
        assert {f["cue"] for f in listing["items"]} == {
            "签约总投资18.5亿元",
            "计划投资约30亿元",
            "总投资6亿元",
        }
        resp = app_client.get("/api/v1/intel/facts/export.xlsx", params=params, headers=analyst)
        rows = list(load_workbook(io.BytesIO(resp.content)).active.iter_rows(values_only=True))
        assert rows[0][:3] == ("事实编号", "发布日期", "文章标题")
        assert sorted(r[0] for r in rows[1:]) == sorted(f["id"] for f in listing["items"])

    def test_page_filters_by_place_and_event(
        self, app_client: TestClient, session: Session, analyst: dict[str, str]
    ) -> None:
        """The fact table narrows to a district and a stage event."""
        upload(app_client, "solar.txt", SOLAR.encode(), analyst)
        upload(app_client, "steel.txt", STEEL.encode(), analyst)
        login(app_client, "analyst")
        page = app_client.get("/intel/facts", params={"place": "wujin", "event": "started"})
        assert "共 1 条" in page.text
        assert "总投资6亿元" in page.text
        bad = app_client.get("/api/v1/intel/facts", params={"min_wan": "9", "max_wan": "1"}, headers=analyst)
        assert bad.status_code == 422
        assert "金额下限不能大于上限" in bad.text

    def test_dashboard_sums_investment_by_month_district_and_event(
        self, app_client: TestClient, analyst: dict[str, str]
    ) -> None:
        """The dashboard counts each investment amount once and breaks it down three ways."""
        upload(app_client, "solar.txt", SOLAR.encode(), analyst)
        upload(app_client, "steel.txt", STEEL.encode(), analyst)
        body = app_client.get("/api/v1/intel/dashboard", headers=analyst).json()
        assert body["investment_fen"] == (18_5000_0000 + 2_3000_0000 + 30_0000_0000 + 6_0000_0000) * 100
        assert {b["key"]: b["amount_fen"] for b in body["by_month"]}["2023-11"] == 6_0000_0000 * 100
        assert {b["key"] for b in body["by_event"]} >= {"signed", "invested", "started"}
        login(app_client, "analyst")
        page = app_client.get("/intel")
        assert 'data-chart="spec-month"' in page.text
        assert 'id="stat-investment">56.80<' in page.text


class TestSearch:
    @pytest.mark.parametrize("query", ["光伏", "锂"])
    def test_one_and_two_character_queries(
        self, app_client: TestClient, analyst: dict[str, str], query: str
    ) -> None:
        """Short Chinese queries find the article and its facts, with the match highlighted."""
        upload(app_client, "solar.txt", SOLAR.encode(), analyst)
        upload(app_client, "steel.txt", STEEL.encode(), analyst)
        body = app_client.get("/api/v1/intel/search", params={"q": query}, headers=analyst).json()
        assert body["total"] >= 1
        assert all(
            "星河" in item["title"] or "光伏" in item["title"] or query in item["snippet_html"]
            for item in body["items"]
        )
        assert any(f"<mark>{query}" in item["snippet_html"] for item in body["items"])
        assert all("龙腾" not in item["title"] for item in body["items"])

    def test_filters_and_paging(self, app_client: TestClient, analyst: dict[str, str]) -> None:
        """Facts are filtered by kind and amount; pages do not repeat hits."""
        upload(app_client, "solar.txt", SOLAR.encode(), analyst)
        upload(app_client, "steel.txt", STEEL.encode(), analyst)
        params = {"q": "项目", "kind": "fact", "fact_kind": "investment", "min_wan": "100000"}
        body = app_client.get("/api/v1/intel/search", params=params, headers=analyst).json()
        assert {item["amount_fen"] for item in body["items"]} == {18_5000_0000 * 100, 30_0000_0000 * 100}
        first = app_client.get(
            "/api/v1/intel/search", params={"q": "项目", "page_size": 2}, headers=analyst
        ).json()
        second = app_client.get(
            "/api/v1/intel/search", params={"q": "项目", "page_size": 2, "page": 2}, headers=analyst
        ).json()
        assert first["total"] == second["total"] > 2
        assert not {i["id"] for i in first["items"]} & {i["id"] for i in second["items"]}

    def test_search_page_shows_highlighted_snippets(
        self, app_client: TestClient, analyst: dict[str, str]
    ) -> None:
        """The search page lists hits with the query marked and links to the reader."""
        document_id = upload(app_client, "solar.txt", SOLAR.encode(), analyst).json()["document_id"]
        login(app_client, "analyst")
        page = app_client.get("/intel/search", params={"q": "锂"})
        assert "<mark>锂</mark>" in page.text
        assert f"/intel/documents/{document_id}#article-" in page.text


class TestLinkReview:
    def test_exact_name_links_automatically(
        self, app_client: TestClient, session: Session, analyst: dict[str, str]
    ) -> None:
        """A registry name found in the sentence links the fact to that firm without review."""
        upload(app_client, "solar.txt", SOLAR.encode(), analyst)
        fact = session.scalar(select(Fact).where(Fact.cue == "签约总投资18.5亿元"))
        assert fact is not None
        link = session.scalar(select(Link).where(Link.fact_id == fact.id, Link.target_type == "org"))
        assert link is not None
        assert (link.status, link.method, link.target_name) == ("auto", "exact", "常州星河光伏科技有限公司")
        assert fact.org_uscc == link.target

    def test_confirm_is_audited_and_updates_the_fact(
        self, app_client: TestClient, session: Session, analyst: dict[str, str]
    ) -> None:
        """Confirming a proposed link records who did it and gives the fact its organisation."""
        upload(app_client, "solar.txt", SOLAR.encode(), analyst)
        proposed = session.scalar(select(Link).where(Link.status == "proposed"))
        assert proposed is not None
        assert proposed.mention == "星河光伏集团"
        token = login(app_client, "analyst")
        queue = app_client.get("/intel/links")
        assert f'id="link-{proposed.id}"' in queue.text
        resp = app_client.post(
            f"/intel/links/{proposed.id}/confirm",
            data={"csrf_token": token, "reason": "同一企业简称"},
            headers={"HX-Request": "true"},
        )
        assert resp.status_code == 200
        assert "已确认" in resp.text
        session.expire_all()
        fact = session.get(Fact, proposed.fact_id)
        assert fact is not None
        assert fact.org_uscc == proposed.target
        [record] = audit.history(session, entity_type="intel_link", entity_id=str(proposed.id))
        assert (record.action, record.reason) == ("intel.link.confirm", "同一企业简称")
        assert record.diff_data["status"] == ["proposed", "confirmed"]
        assert (
            audit.history(session, entity_type="intel_fact", entity_id=str(fact.id))[0].action
            == "intel.fact.update"
        )

    def test_reject_is_audited(
        self, app_client: TestClient, session: Session, analyst: dict[str, str]
    ) -> None:
        """Rejecting a link takes it out of the queue and leaves a trace with the reason."""
        upload(app_client, "solar.txt", SOLAR.encode(), analyst)
        proposed = session.scalar(select(Link).where(Link.status == "proposed"))
        assert proposed is not None
        resp = app_client.post(
            f"/api/v1/intel/links/{proposed.id}/reject", json={"reason": "不是同一家"}, headers=analyst
        )
        assert resp.json()["status"] == "rejected"
        queue = app_client.get("/api/v1/intel/links", headers=analyst).json()
        assert proposed.id not in [item["id"] for item in queue["items"]]
        [record] = audit.history(session, entity_type="intel_link", entity_id=str(proposed.id))
        assert (record.action, record.reason) == ("intel.link.reject", "不是同一家")
        again = app_client.post(f"/api/v1/intel/links/{proposed.id}/reject", json={}, headers=analyst)
        assert again.status_code == 409

    def test_auditor_reads_but_cannot_decide(
        self, app_client: TestClient, session: Session, analyst: dict[str, str]
    ) -> None:
        """An auditor sees the queue but gets 403 on confirm and on upload."""
        upload(app_client, "solar.txt", SOLAR.encode(), analyst)
        auditor = bearer(session, make_user(session, username="auditor1", role=Role.auditor))
        session.commit()
        proposed = session.scalar(select(Link).where(Link.status == "proposed"))
        assert proposed is not None
        assert app_client.get("/api/v1/intel/links", headers=auditor).status_code == 200
        assert (
            app_client.post(
                f"/api/v1/intel/links/{proposed.id}/confirm", json={}, headers=auditor
            ).status_code
            == 403
        )
        assert upload(app_client, "steel.txt", STEEL.encode(), auditor).status_code == 403
        assert audit.history(session, entity_type="intel_link", entity_id=str(proposed.id)) == []


class TestEnterpriseScope:
    def test_enterprise_sees_only_facts_linked_to_its_firm(
        self, app_client: TestClient, session: Session, analyst: dict[str, str]
    ) -> None:
        """A firm's user sees its own linked facts and nothing else of intel."""
        upload(app_client, "solar.txt", SOLAR.encode(), analyst)
        upload(app_client, "steel.txt", STEEL.encode(), analyst)
        own = session.scalar(select(Fact.org_uscc).where(Fact.org_uscc.is_not(None)))
        assert own is not None
        firm = make_user(session, username="firmuser", role=Role.enterprise, org_uscc=own)
        headers = bearer(session, firm)
        session.commit()
        listing = app_client.get("/api/v1/intel/facts", headers=headers).json()
        assert [f["cue"] for f in listing["items"]] == ["签约总投资18.5亿元"]
        other = session.scalar(select(Fact.id).where(Fact.cue == "总投资6亿元"))
        assert app_client.get(f"/api/v1/intel/facts/{other}", headers=headers).status_code == 404
        for path in (
            "/api/v1/intel/documents",
            "/api/v1/intel/search?q=光伏",
            "/api/v1/intel/links",
            "/api/v1/intel/dashboard",
        ):
            assert app_client.get(path, headers=headers).status_code == 403, path
        login(app_client, "firmuser")
        assert app_client.get("/intel", follow_redirects=False).headers["location"] == "/intel/facts"
        page = app_client.get("/intel/facts")
        assert "签约总投资18.5亿元" in page.text
        assert "龙腾" not in page.text

    def test_reviewer_has_no_intel(self, app_client: TestClient, session: Session) -> None:
        """A grant reviewer gets no intel menu and 403 on its pages."""
        make_user(session, username="expert", role=Role.reviewer)
        session.commit()
        login(app_client, "expert")
        assert "招商情报" not in app_client.get("/").text
        assert app_client.get("/intel/facts").status_code == 403


class TestManyFiles:
    def test_several_files_become_one_ingest_job(
        self,
        app_client: TestClient,
        session: Session,
        analyst: dict[str, str],
        run_jobs: Callable[[], dict[int, JobState]],
    ) -> None:
        """Several files in one upload: 303 at once with nothing stored; the job stores the good
        file, skips the scan with its reason, and its result lists every file."""
        token = login(app_client, "analyst")
        files = [
            ("file", ("solar.txt", SOLAR.encode(), "text/plain")),
            ("file", ("scan.pdf", image_only_pdf(), "application/pdf")),
        ]
        resp = app_client.post(
            "/intel/upload", files=files, data={"csrf_token": token}, follow_redirects=False
        )
        assert resp.status_code == 303
        assert stored(session) == (0, 0, 0)
        assert "情报文件批量导入" in app_client.get(resp.headers["location"]).text
        assert list(run_jobs().values()) == [JobState.done]
        assert stored(session)[0] == 1
        job_id = resp.headers["location"].rsplit("=", 1)[1]
        result = app_client.get(f"/jobs/{job_id}/result").text
        assert "solar.txt：已入库" in result
        assert "scan.pdf：跳过" in result
        assert "共 2 个文件：新入库 1 个" in result
