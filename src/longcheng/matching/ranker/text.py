"""Text normalisation and the three kinds of terms the ranker indexes.

Every text is first folded: traditional characters become simplified (OpenCC's ``t2s``
table, offline), full-width letters and digits become ASCII, letters are lower-cased. Then:

* words: jieba's search-mode cut (rjieba when installed), minus stop words and punctuation;
* character bigrams of each run of Chinese characters (robust to segmentation errors and to
  truncated texts), plus single characters for one-character runs;
* concepts (see :mod:`.concepts`).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

_cut_for_search: Callable[[str], list[str]]
_add_word: Callable[[str], None]

try:
    import rjieba

    _SEGMENTER = rjieba.Jieba()  # a private dictionary: the taxonomy's words stay out of intel's
    _cut_for_search = _SEGMENTER.cut_for_search

    def _add_word(word: str) -> None:
        _SEGMENTER.add_word(word, 2000, None)

except ImportError:  # pragma: no cover - depends on the installation
    import jieba

    jieba.setLogLevel(logging.WARNING)
    _JIEBA = jieba.Tokenizer()
    _cut_for_search = _JIEBA.lcut_for_search

    def _add_word(word: str) -> None:
        _JIEBA.add_word(word, freq=2000)


_HAN_RUN = re.compile(r"[\u3400-\u9fff]+")
_ASCII_WORD = re.compile(r"[a-z0-9][a-z0-9.+\-]*")
STOP_WORDS = frozenset(
    """的 了 和 与 及 或 在 是 为 对 将 把 被 等 中 其 并 从 以 于 由 可 能 有 无 该 本 我 我们 公司 企业
    问题 需求 需要 希望 寻求 征集 解决 解决方案 方案 技术 研究 研发 开发 实现 提供 具有 一种 方法 装置 系统
    相关 进行 通过 目前 现有 存在 主要 采用 基于 用于 应用 领域 能力 成果 团队 合作 项目 产品 提高 提升 降低
    要求 以上 以下 不 低 高 大 小 多 少 好 新 一 二 个 种 项 年 月 日 等等 以及 如何 达到 具备 平台""".split()
)
_CONVERTER: Callable[[str], str] | None = None


def _t2s() -> Callable[[str], str]:
    global _CONVERTER  # noqa: PLW0603 - one converter per process, built on first use
    if _CONVERTER is None:
        try:
            import opencc

            _CONVERTER = opencc.OpenCC("t2s").convert
        except ImportError:  # pragma: no cover - opencc is a declared dependency
            _CONVERTER = str
    return _CONVERTER


def fold(text: str) -> str:
    """Simplified, half-width, lower-case form of ``text``."""
    text = unicodedata.normalize("NFKC", text or "")
    return _t2s()(text).lower()


def add_words(words: list[str]) -> None:
    """Teach the segmenter the taxonomy's terms so they are kept whole."""
    for word in words:
        if len(word) > 1 and _HAN_RUN.fullmatch(word):
            _add_word(word)


def words(folded: str) -> list[str]:
    """Search-mode words of a folded text, without stop words and punctuation."""
    out = []
    for token in _cut_for_search(folded):
        token = token.strip()
        if not token or token in STOP_WORDS or not any(ch.isalnum() for ch in token):
            continue
        if len(token) == 1 and not token.isascii():
            continue
        out.append(token)
    return out


def ascii_words(folded: str) -> set[str]:
    """Latin words and codes in a folded text (voc, rto, 5g, li-ion)."""
    return set(_ASCII_WORD.findall(folded))


@lru_cache(maxsize=1)
def _stop_bigrams() -> frozenset[str]:
    return frozenset(word for word in STOP_WORDS if len(word) == 2)


def bigrams(folded: str) -> list[str]:
    """Overlapping character bigrams of each run of Chinese characters."""
    out: list[str] = []
    stop = _stop_bigrams()
    for run in _HAN_RUN.findall(folded):
        if len(run) == 1:
            out.append(run)
            continue
        out += [run[i : i + 2] for i in range(len(run) - 1) if run[i : i + 2] not in stop]
    return out
