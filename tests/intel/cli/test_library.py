"""``longcheng intel ingest`` and ``reindex``: files and folders in, a Chinese summary out, never a crash.

The articles here are invented for the tests; one test reads the shared corpus when it is there.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from reportlab.pdfgen import canvas
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.conftest import CORPUS
from tests.factories import make_org
from typer.testing import CliRunner, Result

from longcheng.cli import app
from longcheng.core import audit
from longcheng.core.actors import SYSTEM
from longcheng.core.db import make_engine, make_sessionmaker, transaction
from longcheng.intel.models import Article, Document, Fact, Link
from longcheng.intel.search import SearchQuery, open_index
from longcheng.projects.evidence import service as projects_service

SOLAR = (
    "星河光伏高效组件项目落户常州经开区\n2024-03-18\n"
    "本月，常州星河光伏科技有限公司与常州经开区管委会签约总投资18.5亿元的高效光伏组件项目，"
    "主要生产锂电池隔膜和光伏背板。\n"
)
STEEL = (
    "龙腾特钢绿色循环项目在武进开工\n2023-11-02\n"
    "近日，常州龙腾特钢有限公司绿色循环提升项目在武进国家高新区开工，项目总投资6亿元。\n"
)
runner = CliRunner()


def in_db(url: str) -> Iterator[Session]:
    engine = make_engine(url)
    try:
        with transaction(make_sessionmaker(engine)) as session:
            yield session
    finally:
        engine.dispose()


def counts(url: str) -> tuple[int, int, int]:
    for session in in_db(url):
        return tuple(session.scalar(select(func.count(m.id))) or 0 for m in (Document, Article, Fact))  # type: ignore[return-value]
    raise AssertionError


def ingest(*args: str) -> Result:
    return runner.invoke(app, ["intel", "ingest", *args])


def write(folder: Path, name: str, data: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    return path


def image_only_pdf() -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.rect(100, 100, 300, 400, fill=1)
    page.showPage()
    page.save()
    return buffer.getvalue()


def test_a_folder_is_stored_once_however_often_it_is_ingested(cli_db: str, tmp_path: Path) -> None:
    """The second run finds every file a duplicate and stores nothing more."""
    news = tmp_path / "news"
    write(news, "solar.txt", SOLAR.encode())
    write(news / "2023", "steel.txt", STEEL.encode())
    first = ingest(str(news))
    assert first.exit_code == 0, first.output
    assert "新入库 2 个" in first.output
    assert counts(cli_db) == (2, 2, 2)
    second = ingest(str(news))
    assert second.exit_code == 0
    assert "新入库 0 个" in second.output
    assert "重复 2 个" in second.output
    assert "未重复保存" in second.output
    assert counts(cli_db) == (2, 2, 2)


def test_a_gbk_copy_is_the_same_article(cli_db: str, tmp_path: Path) -> None:
    """The same article in GBK is recognised by its content hash and not stored again."""
    ingest(str(write(tmp_path, "solar.txt", SOLAR.encode())))
    result = ingest(str(write(tmp_path, "solar-gbk.txt", SOLAR.encode("gbk"))))
    assert result.exit_code == 0
    assert "intel.duplicate_articles" in result.output
    assert counts(cli_db) == (1, 1, 1)


def test_bad_files_are_reported_and_nothing_is_stored(cli_db: str, tmp_path: Path) -> None:
    """Empty, binary, scanned, oversized and unsupported files are named with their reason; exit 1."""
    bad = tmp_path / "bad"
    write(bad, "empty.txt", b"")
    write(bad, "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    write(bad, "scan.pdf", image_only_pdf())
    write(bad, "huge.txt", SOLAR.encode() * 60_000)
    write(bad, "slides.pptx", b"PK\x03\x04")
    result = ingest(str(bad), "--max-mb", "1")
    assert result.exit_code == 1
    for code, reason in [
        ("intel.empty_file", "文件为空"),
        ("intel.binary_file", "二进制"),
        ("intel.pdf_no_text", "没有文字层"),
        ("intel.file_too_large", "超过导入上限"),
        ("intel.unsupported_file", "不支持的文件类型"),
    ]:
        assert code in result.output
        assert reason in result.output
    assert "跳过 5 个" in result.output
    assert counts(cli_db) == (0, 0, 0)


def test_good_files_are_stored_beside_bad_ones(cli_db: str, tmp_path: Path) -> None:
    """One bad file does not stop the run or undo the good ones."""
    write(tmp_path, "a.txt", b"")
    write(tmp_path, "b.txt", SOLAR.encode())
    result = ingest(str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), str(tmp_path / "missing.txt"))
    assert result.exit_code == 0
    assert "新入库 1 个" in result.output
    assert "跳过 2 个" in result.output
    assert counts(cli_db) == (1, 1, 1)


def test_registry_names_are_recognised_and_linked(cli_db: str, tmp_path: Path) -> None:
    """A firm in the registry is linked to the facts that name it; the ingest is audited."""
    for session in in_db(cli_db):
        make_org(session, name="常州龙腾特钢有限公司", district="wujin")
    result = ingest(str(write(tmp_path, "steel.txt", STEEL.encode())), "--user", "nobody")
    assert result.exit_code == 2
    assert "不存在" in result.output
    result = ingest(str(tmp_path / "steel.txt"))
    assert "自动关联 1 条" in result.output
    for session in in_db(cli_db):
        fact = session.scalars(select(Fact)).one()
        link = session.scalars(select(Link).where(Link.target_type == "org")).one()
        assert (fact.org, fact.org_uscc, link.method) == ("常州龙腾特钢有限公司", link.target, "exact")
        document = session.scalars(select(Document)).one()
        [record] = audit.history(session, entity_type="intel_document", entity_id=str(document.id))
        assert record.action == "intel.document.ingest"
        assert record.diff_data["facts"] == [None, 1]


def test_reindex_rebuilds_the_search_index_from_the_database(cli_db: str, tmp_path: Path) -> None:
    """Ingested without indexing, nothing is found; after reindex the article and fact are."""
    ingest(str(write(tmp_path, "solar.txt", SOLAR.encode())), "--no-index")
    index_dir = tmp_path / "var" / "search"
    index = open_index(index_dir)
    assert index.search(SearchQuery("光伏")).total == 0
    index.close()
    result = runner.invoke(app, ["intel", "reindex"])
    assert result.exit_code == 0, result.output
    assert "共 2 条" in result.output
    index = open_index(index_dir)
    found = index.search(SearchQuery("光伏"))
    index.close()
    assert {hit.kind for hit in found.hits} == {"document", "fact"}


def test_the_shared_corpus_ingests_end_to_end(cli_db: str) -> None:
    """The five corpus files are stored, their facts extracted and indexed; nothing is skipped."""
    if not any(CORPUS.glob("*.txt")):
        pytest.skip(f"the shared corpus is not beside the repository ({CORPUS})")
    result = ingest(str(CORPUS))
    assert result.exit_code == 0, result.output
    assert "新入库 5 个" in result.output
    assert "跳过 0 个" in result.output
    documents, articles, facts = counts(cli_db)
    assert (documents, articles) == (5, 42)
    assert facts >= 100


def test_signings_are_handed_to_the_projects_module_once(cli_db: str, tmp_path: Path) -> None:
    """A signing with no matching project becomes a possible lead there; offering it again adds nothing."""
    result = ingest(str(write(tmp_path, "solar.txt", SOLAR.encode())))
    assert "可能的新招商线索 1 条" in result.output
    for session in in_db(cli_db):
        [lead] = projects_service.list_leads(session, actor=SYSTEM).items
        assert (lead.event, lead.amount_fen) == ("signed", 185_000_000_000)
        assert lead.source_ref.startswith("intel:fact:")
        assert "签约总投资18.5亿元" in lead.sentence
    again = runner.invoke(app, ["projects", "pull-evidence", "--since", "2000-01-01"])
    assert again.exit_code == 0, again.output
    assert "此前已移交 1 条" in again.output
    bad = runner.invoke(app, ["projects", "pull-evidence", "--since", "2024-13-01"])
    assert bad.exit_code == 2
    assert "YYYY-MM-DD" in bad.output
