"""``longcheng intel extract``: JSON Lines on stdout, Chinese reports on stderr, never a crash."""

from __future__ import annotations

import codecs
import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from longcheng.intel.cli import app

SENTENCE = "去年12月，中天钢铁集团与常州经开区管委会签约总投资101亿元的绿色循环减量提升项目。"


def run(*args: str) -> tuple[int, list[dict[str, Any]], str]:
    result = CliRunner().invoke(app, ["extract", *args])
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    return result.exit_code, lines, result.stderr


def test_facts_are_printed_as_json_lines_with_the_documented_keys(tmp_path: Path) -> None:
    """One line per fact, Chinese kept as is, spans into the file's characters."""
    path = tmp_path / "news.txt"
    path.write_text(SENTENCE, encoding="utf-8")
    code, facts, _ = run(str(path), "--published", "2023-07-20")
    assert code == 0
    [fact] = facts
    assert fact["doc"] == "news.txt"
    assert (fact["kind"], fact["value"], fact["currency"], fact["qualifier"]) == (
        "investment",
        "10100000000",
        "CNY",
        "exact",
    )
    assert (fact["event"], fact["cue"], fact["date"]) == ("signed", "签约总投资101亿元", "2022-12")
    assert (fact["project"], fact["org"], fact["place"]) == (
        "绿色循环减量提升项目",
        "常州经开区管委会",
        "cz_etdz",
    )
    start, end = fact["span"]
    assert SENTENCE[start:end] == "101亿元"


def test_raw_output_keeps_chinese_characters(tmp_path: Path) -> None:
    """The JSON is written with ensure_ascii=False: analysts read it without decoding escapes."""
    path = tmp_path / "a.txt"
    path.write_text(SENTENCE, encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(path)])
    assert "签约总投资101亿元" in result.stdout


def test_utf8_with_bom_spans_count_the_decoded_text_without_the_bom(tmp_path: Path) -> None:
    """A BOM is not a character of the text: spans are the same with and without it."""
    plain, bom = tmp_path / "plain.txt", tmp_path / "bom.txt"
    plain.write_text(SENTENCE, encoding="utf-8")
    bom.write_bytes(codecs.BOM_UTF8 + SENTENCE.encode("utf-8"))
    _, [a], _ = run(str(plain))
    _, [b], _ = run(str(bom))
    assert a["span"] == b["span"]


def test_gbk_files_are_read(tmp_path: Path) -> None:
    """A GBK-encoded bulletin gives the same facts as its UTF-8 twin."""
    path = tmp_path / "gbk.txt"
    path.write_bytes("常州国家高新区1-4月份完成投资6.5亿元。".encode("gbk"))
    code, [fact], _ = run(str(path), "--published", "2021-05-10")
    assert code == 0
    assert (fact["value"], fact["event"], fact["date"], fact["place"]) == (
        "650000000",
        "invested",
        "2021-01/2021-04",
        "cz_hitech",
    )


def test_empty_and_binary_files_are_reported_and_the_rest_is_read(tmp_path: Path) -> None:
    """Unreadable files are named on stderr in Chinese; the readable file is still extracted."""
    empty, binary, good = tmp_path / "empty.txt", tmp_path / "image.png", tmp_path / "good.txt"
    empty.write_bytes(b"")
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    good.write_text(SENTENCE, encoding="utf-8")
    code, facts, err = run(str(empty), str(binary), str(good), str(tmp_path / "missing.txt"))
    assert code == 0
    assert len(facts) == 1
    assert "文件为空" in err
    assert "empty.txt" in err
    assert "二进制" in err
    assert "image.png" in err
    assert "找不到文件" in err
    assert "missing.txt" in err


def test_nothing_readable_exits_non_zero(tmp_path: Path) -> None:
    """When no file could be read the command says so and exits 1."""
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"   \n")
    code, facts, err = run(str(empty))
    assert (code, facts) == (1, [])
    assert "没有可读取的文件" in err


def test_a_file_without_money_prints_nothing_and_succeeds(tmp_path: Path) -> None:
    """A readable text without amounts is not an error."""
    path = tmp_path / "none.txt"
    path.write_text("年产4GW新型高效光伏电池，总建筑面积5000平方米。", encoding="utf-8")
    assert run(str(path))[:2] == (0, [])


def test_a_bad_publication_date_is_refused_in_chinese(tmp_path: Path) -> None:
    """--published must be YYYY-MM-DD; the message shows the expected form."""
    path = tmp_path / "a.txt"
    path.write_text(SENTENCE, encoding="utf-8")
    code, _, err = run(str(path), "--published", "2023-13-01")
    assert code == 2
    assert "YYYY-MM-DD" in err


def test_known_organisations_can_be_given_as_a_list(tmp_path: Path) -> None:
    """--orgs names organisations that have no suffix (中创新航)."""
    news, orgs = tmp_path / "a.txt", tmp_path / "orgs.txt"
    news.write_text("中创新航溧阳高新区动力电池基地项目开工，总投资约120亿元。", encoding="utf-8")
    orgs.write_text("中创新航\n理想汽车\n", encoding="utf-8")
    _, [fact], _ = run(str(news), "--orgs", str(orgs))
    assert (fact["org"], fact["place"], fact["event"]) == ("中创新航", "ly_hitech", "started")
