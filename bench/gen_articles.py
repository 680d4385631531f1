"""Fictional Chinese investment-news articles for benchmarks (deterministic for a seed).

The generator lives in ``longcheng.intel.demo`` (``longcheng demo`` seeds the intel module with
it); this module re-exports it for the benches. Run directly to print a few:
``python bench/gen_articles.py 3``.
"""

from __future__ import annotations

import sys

from longcheng.intel.demo import (
    EVENTS,
    INDUSTRIES,
    PLACES,
    PRODUCTS,
    FakeArticle,
    article,
    articles,
    bulletins,
)

__all__ = ["EVENTS", "INDUSTRIES", "PLACES", "PRODUCTS", "FakeArticle", "article", "articles", "bulletins"]

if __name__ == "__main__":
    for item in articles(int(sys.argv[1]) if len(sys.argv) > 1 else 3):
        print(item.published, item.place, item.amount_fen, item.title)
        print(item.body, end="\n\n")
