"""``longcheng matching rank``: the held-out bench's interface, through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from longcheng.cli import app
from longcheng.matching.ranker.evaluate import ndcg, reciprocal_rank

CAPABILITIES = [
    {
        "id": "k-vapour",
        "title": "冷凝加吸附组合式油气回收装置",
        "text": "回收储罐大小呼吸和装卸过程中逸散的汽油蒸气",
    },
    {
        "id": "k-graphene",
        "title": "纳米碳材料稳定分散技术",
        "text": "分散剂配合高剪切，片层在树脂中不沉淀",
        "field": "新材料",
    },
    {"id": "k-vision", "title": "金属表面瑕疵深度学习识别", "text": "工业相机采图识别划伤压痕"},
    {"id": "k-battery", "title": "宽温域锂离子电池电解液", "text": "零下三十度放电保持率八成"},
    {"id": "k-tank", "title": "储罐液位雷达计", "text": "非接触式液位测量"},
]
CHALLENGES = [
    {"id": "c-voc", "title": "仓储VOC治理", "text": "油库储罐挥发性有机物排放超标"},
    {"id": "c-trad", "title": "石墨烯材料團聚", "text": "石墨烯加入塗料後團聚嚴重，求分散方法"},
    {"id": "c-short", "title": "冲压件外观缺陷检测"},
]


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    return path


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    return _write(tmp_path / "c.jsonl", CHALLENGES), _write(tmp_path / "k.jsonl", CAPABILITIES)


def _rank(files: tuple[Path, Path], *extra: str) -> list[dict[str, object]]:
    args = [
        "matching",
        "rank",
        "--challenges",
        str(files[0]),
        "--capabilities",
        str(files[1]),
        "--json",
        *extra,
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


def test_different_words_for_the_same_thing_match(files: tuple[Path, Path]) -> None:
    """A VOC demand finds the oil-vapour recovery patent although they share no word, and says why."""
    lines = _rank(files, "--lexical", "--top", "3")
    assert [line["challenge"] for line in lines] == ["c-voc", "c-trad", "c-short"]
    first = lines[0]["ranked"][0]  # type: ignore[index]
    assert first["id"] == "k-vapour"
    assert any("VOC治理" in reason for reason in first["why"])
    assert isinstance(first["score"], float)
    assert len(lines[0]["ranked"]) <= 3  # type: ignore[arg-type]


def test_traditional_and_short_texts_are_ranked(files: tuple[Path, Path]) -> None:
    """Traditional characters are folded to simplified; a title-only challenge still matches."""
    lines = _rank(files, "--lexical")
    assert lines[1]["ranked"][0]["id"] == "k-graphene"  # type: ignore[index]
    assert lines[2]["ranked"][0]["id"] == "k-vision"  # type: ignore[index]


def test_hybrid_reranker_explains_semantic_similarity(files: tuple[Path, Path]) -> None:
    """The default ranking adds the embedding re-ranker; each match names the vector similarity."""
    lines = _rank(files, "--top", "2")
    assert lines[0]["ranked"][0]["id"] == "k-vapour"  # type: ignore[index]
    assert any(reason.startswith("语义相近") for reason in lines[0]["ranked"][0]["why"])  # type: ignore[index]


def test_a_bad_line_is_refused_in_chinese(tmp_path: Path, files: tuple[Path, Path]) -> None:
    """A line without an id stops the run with a stable code and the line number."""
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "c1", "title": "甲"}\n{"title": "没有编号"}\n', encoding="utf-8")
    result = CliRunner().invoke(
        app, ["matching", "rank", "--challenges", str(bad), "--capabilities", str(files[1])]
    )
    assert result.exit_code == 1
    assert "matching.rank_input_invalid" in result.output
    assert "第 2 行缺少 id" in result.output


def test_measures() -> None:
    """MRR@10 and nDCG@10 as the bench reports them."""
    assert reciprocal_rank(["a", "b", "c"], {"c": 2}) == pytest.approx(1 / 3)
    assert reciprocal_rank(["a"], {"z": 1}) == 0.0
    assert ndcg(["x", "y"], {"x": 2, "y": 1}) == pytest.approx(1.0)
    assert ndcg(["y", "x"], {"x": 2, "y": 1}) < 1.0
