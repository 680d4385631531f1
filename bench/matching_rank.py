"""Matching quality and speed of the challenge → capability ranker.

    .venv/bin/python bench/matching_rank.py                      # quality on the dev set
    .venv/bin/python bench/matching_rank.py --scale 100000 --queries 200   # + p95 at scale

Quality: MRR@10 and nDCG@10 on ``bench/data/matching/devset.txt`` (written for this project,
64 challenges, 300+ capabilities, graded judgements) for the ranker and for the plain
character-bigram TF-IDF baseline. ``--export DIR`` also writes the set as the JSONL files
``longcheng matching rank`` reads. Speed: the dev capabilities are padded to ``--scale``
documents with synthetic recombinations, and each challenge is ranked; prints p50/p95 ms.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

from longcheng.matching.ranker import Doc, Ranker, TfidfBaseline
from longcheng.matching.ranker.dense import HybridRanker, available
from longcheng.matching.ranker.evaluate import summary

DEVSET = Path(__file__).resolve().parent / "data" / "matching" / "devset.txt"


def load(path: Path) -> tuple[list[Doc], list[Doc], dict[str, dict[str, int]]]:
    """Challenges, capabilities and graded judgements from the dev set's text format."""
    challenges: list[Doc] = []
    capabilities: list[Doc] = []
    qrels: dict[str, dict[str, int]] = {}
    current = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            cid, field, title, text = (part.strip() for part in line[3:].split("|", 3))
            challenges.append(Doc(id=cid, title=title, text=text, field=field or None))
            qrels[cid] = {}
            current = cid
        elif line.startswith(("+ ", "- ")):
            parts = [part.strip() for part in line[2:].split("|")] + [""]
            kid = f"K{len(capabilities) + 1:03d}"
            capabilities.append(Doc(id=kid, title=parts[1], text=parts[2]))
            if line.startswith("+ "):
                qrels[current][kid] = int(parts[0])
    return challenges, capabilities, qrels


def quality(
    challenges: list[Doc], capabilities: list[Doc], qrels: dict[str, dict[str, int]], *, dense: bool
) -> None:
    ranker = Ranker(capabilities)
    baseline = TfidfBaseline(capabilities)
    ours = {c.id: [m.id for m in ranker.rank(c, top=10)] for c in challenges}
    base = {c.id: [m.id for m in baseline.rank(c, top=10)] for c in challenges}
    print(f"dev set: {len(challenges)} challenges, {len(capabilities)} capabilities")
    print("ranker   (BM25 words+bigrams+concepts):", summary(ours, qrels))
    print("baseline (char-bigram TF-IDF):          ", summary(base, qrels))
    if dense and available():
        start = time.perf_counter()
        hybrid = HybridRanker(ranker)
        runs = {c.id: [m.id for m in hybrid.rank(c, top=10)] for c in challenges}
        print(
            "hybrid   (lexical + e5 re-rank, default):",
            summary(runs, qrels),
            f"{time.perf_counter() - start:.0f} s",
        )


def pad(capabilities: list[Doc], size: int, seed: int = 7) -> list[Doc]:
    """The dev capabilities plus synthetic ones made by splicing halves of real texts."""
    rng = random.Random(seed)
    docs = list(capabilities)
    while len(docs) < size:
        a, b = rng.choice(capabilities), rng.choice(capabilities)
        title = a.title[: len(a.title) // 2] + b.title[len(b.title) // 2 :]
        docs.append(Doc(id=f"S{len(docs)}", title=title, text=b.text + a.text))
    return docs


def speed(challenges: list[Doc], capabilities: list[Doc], size: int, queries: int) -> None:
    docs = pad(capabilities, size)
    start = time.perf_counter()
    ranker = Ranker(docs)
    print(f"index {len(docs)} capabilities: {time.perf_counter() - start:.1f} s")
    times = []
    for i in range(queries):
        challenge = challenges[i % len(challenges)]
        start = time.perf_counter()
        ranker.rank(challenge, top=10)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    print(f"rank one challenge over {len(docs)}: p50 {statistics.median(times):.1f} ms, p95 {p95:.1f} ms")


def export(
    challenges: list[Doc], capabilities: list[Doc], qrels: dict[str, dict[str, int]], out: Path
) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, docs in (("challenges.jsonl", challenges), ("capabilities.jsonl", capabilities)):
        with (out / name).open("w", encoding="utf-8") as handle:
            for doc in docs:
                row = {"id": doc.id, "title": doc.title, "text": doc.text} | (
                    {"field": doc.field} if doc.field else {}
                )
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    (out / "qrels.json").write_text(json.dumps(qrels, ensure_ascii=False, indent=1), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=0, help="pad to this many capabilities and time ranking")
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--export", type=Path, default=None)
    parser.add_argument(
        "--no-dense", action="store_true", help="skip the embedding re-ranker (slow on a busy machine)"
    )
    args = parser.parse_args()
    challenges, capabilities, qrels = load(DEVSET)
    quality(challenges, capabilities, qrels, dense=not args.no_dense)
    if args.export:
        export(challenges, capabilities, qrels, args.export)
    if args.scale:
        speed(challenges, capabilities, args.scale, args.queries)
    return 0


if __name__ == "__main__":
    sys.exit(main())
