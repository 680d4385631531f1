"""Benchmark of the whole intel pipeline: store + extract + link + index (+ hand-off to projects).

    .venv/bin/python bench/intel_pipeline.py [--orgs 3000] [--articles 3000] [--database-url URL]

Two runs on a fresh database (SQLite file in a temporary folder unless ``--database-url`` names
another, e.g. a PostgreSQL database that may be emptied) with ``--orgs`` fictional registry
organisations (their names and former names feed the extractor and the linker):

1. the five files of ``../shared/corpus`` ingested end to end, as ``longcheng intel ingest`` does
   (one transaction per file, then the search index, then the hand-off to the projects module);
2. ``--articles`` fictional articles (``longcheng.intel.demo``) in bulletins of ten, the same way:
   characters per second of the whole pipeline, and of extraction alone on the same articles.

Targets: extraction ≥ 100,000 characters per second (one core).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from longcheng.core.actors import SYSTEM
from longcheng.core.db import make_engine, make_sessionmaker, transaction, write_engine
from longcheng.core.migrate import upgrade
from longcheng.intel import demo as intel_demo
from longcheng.intel.extractor import Extractor
from longcheng.intel.ingest import split_articles
from longcheng.intel.search import IndexDoc
from longcheng.intel.service.ingest import FileOutcome, IngestContext, ingest_data, prepare
from longcheng.intel.service.search import index_items
from longcheng.projects.evidence.service import pull_from_intel
from longcheng.registry import demo as registry_demo

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / ".." / "shared" / "corpus"
TARGET = 100_000


@dataclass
class Timings:
    prepare: float = 0.0
    store: float = 0.0
    index: float = 0.0
    handoff: float = 0.0
    chars: int = 0
    outcomes: list[FileOutcome] = field(default_factory=list)

    @property
    def total(self) -> float:
        return self.prepare + self.store + self.index + self.handoff


def timed(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def pipeline(factory: sessionmaker[Session], data_dir: Path, files: Iterable[tuple[str, bytes]]) -> Timings:
    """Ingest ``files`` as the CLI does and time each stage."""
    t = Timings()
    ctx: list[IngestContext] = []

    def load() -> None:
        with transaction(factory) as session:
            ctx.append(prepare(session, actor=SYSTEM, data_dir=data_dir, max_bytes=50 * 1024 * 1024))

    t.prepare = timed(load)
    docs: list[IndexDoc] = []
    start = time.perf_counter()
    for name, data in files:
        with transaction(factory) as session:
            outcome = ingest_data(session, actor=SYSTEM, ctx=ctx[0], data=data, name=name)
        t.outcomes.append(outcome)
        t.chars += len(data.decode("utf-8"))
        docs += outcome.index_docs
    t.store = time.perf_counter() - start
    t.index = timed(lambda: index_items(data_dir, docs))
    fact_ids = [i for o in t.outcomes for i in o.fact_ids]

    def hand_off() -> None:
        with transaction(factory) as session:
            pull_from_intel(session, actor=SYSTEM, fact_ids=fact_ids)

    t.handoff = timed(hand_off)
    return t


def report(title: str, t: Timings) -> None:
    stored = [o for o in t.outcomes if o.status == "stored"]
    facts = sum(o.facts for o in stored)
    print(f"\n{title}")
    articles = sum(o.articles for o in stored)
    print(f"  files {len(t.outcomes)} (stored {len(stored)}), articles {articles}, facts {facts}")
    print(
        f"  links auto {sum(o.links.auto for o in stored)}, proposed {sum(o.links.proposed for o in stored)}"
    )
    print(f"  characters {t.chars:,}")
    print(f"  load registry names + build extractor/linker: {t.prepare:.2f} s")
    print(f"  store + extract + link (per-file transactions): {t.store:.2f} s")
    print(f"  search index (add + commit): {t.index:.2f} s")
    print(f"  hand-off to projects: {t.handoff:.2f} s")
    print(f"  total {t.total:.2f} s -> {t.chars / t.total:,.0f} chars/s whole pipeline")


def extraction_rate(texts: list[str], names: list[str]) -> float:
    extractor = Extractor(known_orgs=names)
    best = float("inf")
    articles = [a for text in texts for a in split_articles(text)]
    for _ in range(3):
        start = time.perf_counter()
        for article in articles:
            extractor.extract(article.text, article.date)
        best = min(best, time.perf_counter() - start)
    return sum(len(a.text) for a in articles) / best


def fresh_database(url: str | None, folder: Path, orgs: int) -> sessionmaker[Session]:
    engine = make_engine(url or f"sqlite:///{folder / 'bench.sqlite3'}")
    upgrade(engine)
    factory = make_sessionmaker(write_engine(engine))
    start = time.perf_counter()
    with transaction(factory) as session:
        registry_demo.seed(session, actor=SYSTEM, count=orgs)
    print(f"registry: {orgs} fictional organisations seeded in {time.perf_counter() - start:.1f} s")
    return factory


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=3000)
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument(
        "--database-url", default=None, help="an empty database (default: SQLite in a temp folder)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        factory = fresh_database(args.database_url, folder, args.orgs)
        corpus = [(p.name, p.read_bytes()) for p in sorted(CORPUS.glob("*.txt"))]
        report("1. the five corpus files, end to end", pipeline(factory, folder / "data", corpus))
        with transaction(factory) as session:
            names = prepare(session, actor=SYSTEM, data_dir=folder, max_bytes=1).directory.names()
        items = list(intel_demo.articles(args.articles, 11, firms=names[: args.orgs]))
        bulletins = list(intel_demo.bulletins(items))
        report(
            f"2. {args.articles} generated articles in {len(bulletins)} bulletins",
            pipeline(factory, folder / "data", bulletins),
        )
        rate = extraction_rate([b.decode("utf-8") for _, b in bulletins], names)
        print(
            f"\nextraction alone on the same articles, {len(names)} known names: {rate:,.0f} chars/s "
            f"({rate / TARGET:.1f}x the {TARGET:,} target)"
        )


if __name__ == "__main__":
    main()
