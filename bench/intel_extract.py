"""Throughput of the intel extractor (characters per second, one core).

Usage: .venv/bin/python bench/intel_extract.py [--megabytes 2]

The five texts of ../shared/corpus are cycled into documents until the total reaches the given
size (default 2 MB of UTF-8). Three figures, best of three runs each:

* money only — ``longcheng.core.money.find_amounts`` (reference: a money-only extractor
  elsewhere runs at about 180,000 characters per second);
* whole pipeline — decode the bytes, ``Extractor.extract`` (sentences, kind, event, project,
  organisations, places, dates), ``fact_to_json`` and ``json.dumps`` of every fact, as
  ``longcheng intel extract`` does (target: 100,000 characters per second);
* the same with 100,000 known organisation names (a registry-sized name list).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

from longcheng.core.money import find_amounts
from longcheng.intel.extractor import Extractor, fact_to_json

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / ".." / "shared" / "corpus"
TARGET = 100_000
MONEY_ONLY_REFERENCE = 180_000


def documents(megabytes: float) -> list[bytes]:
    files = [p.read_bytes() for p in sorted(CORPUS.glob("*.txt"))]
    if not files:  # a clone without ../shared beside it: say so instead of looping forever
        print(f"跳过：语料目录 {CORPUS.resolve()} 不存在或没有 .txt 文件。", file=sys.stderr)
        raise SystemExit(0)
    docs: list[bytes] = []
    size = 0
    while size < megabytes * 1_000_000:
        for data in files:
            docs.append(data)
            size += len(data)
    return docs


def fake_org_names(count: int) -> list[str]:
    rng = random.Random(20240601)
    heads = "中天华新东方江苏常州金坛溧阳武进天宁钟楼龙城恒立亿晶卓越瑞声星宇凯博时代"
    tails = ("科技有限公司", "集团", "股份有限公司", "新能源有限公司", "智能装备有限公司", "研究院")
    return [
        "".join(rng.choice(heads) for _ in range(rng.randint(2, 6))) + rng.choice(tails) for _ in range(count)
    ]


def best_rate(run: Callable[[], int], chars: int) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return chars / best


def pipeline(extractor: Extractor, docs: list[bytes]) -> Callable[[], int]:
    def run() -> int:
        lines = 0
        for i, data in enumerate(docs):
            for fact in extractor.extract(data.decode("utf-8")):
                json.dumps(fact_to_json(fact, f"doc{i}.txt"), ensure_ascii=False)
                lines += 1
        return lines

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=2.0)
    parser.add_argument("--names", type=int, default=100_000, help="known organisation names")
    args = parser.parse_args()
    docs = documents(args.megabytes)
    texts = [d.decode("utf-8") for d in docs]
    chars = sum(map(len, texts))
    print(f"{len(docs)} documents, {sum(map(len, docs)):,} bytes, {chars:,} characters")

    money = best_rate(lambda: sum(len(find_amounts(t)) for t in texts), chars)
    plain = Extractor()
    facts = pipeline(plain, docs)()
    whole = best_rate(pipeline(plain, docs), chars)
    names = fake_org_names(args.names)
    started = time.perf_counter()
    registry = Extractor(known_orgs=names)
    build = time.perf_counter() - started
    with_names = best_rate(pipeline(registry, docs), chars)

    print(f"facts per run: {facts}")
    ratio = money / MONEY_ONLY_REFERENCE
    print(f"money only (find_amounts): {money:12,.0f} chars/s  = {ratio:.1f}x the 180,000 reference")
    for label, rate in (("whole pipeline", whole), (f"with {args.names:,} known orgs", with_names)):
        print(
            f"{label:26} {rate:12,.0f} chars/s  = {rate / TARGET:.1f}x the 100,000 target, "
            f"{rate / MONEY_ONLY_REFERENCE:.1f}x the 180,000 money-only reference"
        )
    print(f"building the {args.names:,}-name index: {build:.2f} s")


if __name__ == "__main__":
    main()
