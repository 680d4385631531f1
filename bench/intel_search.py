"""Benchmark of intel full-text search: indexing speed and query latency.

    .venv/bin/python bench/intel_search.py [--articles 100000] [--facts 20000] [--queries 600]

Generates fictional articles (bench/gen_articles.py), indexes them into a tantivy index in a
temporary folder on disk, then runs mixed queries (1-character, 2-character, multi-word,
exact phrases, with and without filters) and prints indexing characters per second and the
p50/p95/p99 latency of ``SearchIndex.search`` (snippets included). Targets: ≥ 1,000,000
characters/s, p95 < 20 ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import gen_articles

from longcheng.intel.search import SEGMENTER, IndexDoc, SearchQuery, TantivyIndex

FACT_KINDS = ("investment", "output", "funding")


def documents(count: int, facts: int, seed: int) -> Iterator[IndexDoc]:
    rng = random.Random(seed + 1)
    for number, item in enumerate(gen_articles.articles(count, seed)):
        yield IndexDoc(
            id=f"doc:{number:064x}",
            kind="document",
            title=item.title,
            text=item.body,
            published=item.published,
            place=item.place,
            amount_fen=item.amount_fen,
        )
        if number < facts:
            sentence = item.body.split("。")[1] + "。"
            yield IndexDoc(
                id=f"fact:{number}",
                kind="fact",
                title=sentence[:30],
                text=sentence,
                published=item.published,
                place=item.place,
                fact_kind=rng.choice(FACT_KINDS),
                amount_fen=item.amount_fen,
            )


def queries(count: int, seed: int) -> list[SearchQuery]:
    """A fixed mix: a fifth each of 1-char, 2-char, multi-word, phrase, and filtered queries."""
    rng = random.Random(seed)
    singles = ["锂", "钢", "氢", "芯", "光", "碳", "膜", "药", "储", "桩"]
    doubles = ["光伏", "溧阳", "电池", "签约", "储能", "芯片", "隔膜", "氢能", "开工", "园区"]
    common = ['"总投资"', '"完成投资"', '"产业集群高质量发展"', '"新增就业岗位"']
    specific = [f'"{a}{b}"' for a in gen_articles.INDUSTRIES[:8] for b in gen_articles.PRODUCTS[:4]]
    specific += [f'"{place}管委会"' for place in gen_articles.PLACES[:8]]
    phrases = common + specific
    words = list(gen_articles.INDUSTRIES) + list(gen_articles.EVENTS) + list(gen_articles.PRODUCTS)
    made: list[SearchQuery] = []
    for at in range(count):
        shape = at % 5
        if shape == 0:
            made.append(SearchQuery(rng.choice(singles)))
        elif shape == 1:
            made.append(SearchQuery(rng.choice(doubles)))
        elif shape == 2:
            made.append(SearchQuery(" ".join(rng.sample(words, 2))))
        elif shape == 3:
            made.append(SearchQuery(rng.choice(phrases)))
        else:
            made.append(_filtered(rng, rng.choice(doubles + singles)))
    return made


def _filtered(rng: random.Random, text: str) -> SearchQuery:
    start = date(2019, 1, 1) + timedelta(days=rng.randrange(365 * 5))
    choice = rng.randrange(4)
    if choice == 0:
        return SearchQuery(text, date_from=start, date_to=start + timedelta(days=180))
    if choice == 1:
        return SearchQuery(text, place=rng.choice(gen_articles.PLACES))
    if choice == 2:
        return SearchQuery(text, kind="fact", fact_kind=rng.choice(FACT_KINDS))
    return SearchQuery(text, amount_min_fen=10**11, amount_max_fen=10**13, offset=10)


def run_indexing(index: TantivyIndex, docs: list[IndexDoc]) -> tuple[float, int]:
    chars = sum(len(doc.title) + len(doc.text) for doc in docs)
    started = time.perf_counter()
    index.add(docs)
    index.commit()
    return time.perf_counter() - started, chars


def run_queries(index: TantivyIndex, asked: list[SearchQuery]) -> tuple[list[float], int]:
    for query in asked[:20]:  # warm caches
        index.search(query)
    timings: list[float] = []
    empty = 0
    for query in asked:
        started = time.perf_counter()
        page = index.search(query)
        timings.append((time.perf_counter() - started) * 1000)
        empty += page.total == 0
    return timings, empty


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--facts", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=600)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    started = time.perf_counter()
    docs = list(documents(args.articles, args.facts, args.seed))
    print(f"generated {len(docs):,} items in {time.perf_counter() - started:.1f} s (segmenter: {SEGMENTER})")
    with tempfile.TemporaryDirectory(prefix="intel-search-") as folder:
        index = TantivyIndex(Path(folder))
        seconds, chars = run_indexing(index, docs)
        size = sum(p.stat().st_size for p in Path(folder).iterdir()) / 1024 / 1024
        print(
            f"indexed {chars:,} chars in {seconds:.1f} s: {chars / seconds:,.0f} chars/s; index {size:.0f} MB"
        )
        timings, empty = run_queries(index, queries(args.queries, args.seed))
        index.close()
    cuts = statistics.quantiles(timings, n=100)
    print(
        f"{len(timings)} queries ({empty} with no hit): p50 {cuts[49]:.2f} ms, p95 {cuts[94]:.2f} ms, "
        f"p99 {cuts[98]:.2f} ms, max {max(timings):.2f} ms"
    )


if __name__ == "__main__":
    sys.exit(main())
