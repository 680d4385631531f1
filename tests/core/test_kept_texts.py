"""Large kept values (a list page's drawn rows) stay within their memory bound."""

from __future__ import annotations

import sys

import pytest
from sqlalchemy.orm import Session

from longcheng.core import totals


@pytest.fixture(autouse=True)
def _fresh() -> None:
    totals.clear()


def test_large_texts_stay_within_their_bound(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    """Forty texts of 10 kB under a 200 kB bound: the oldest go, the newest are still kept, and
    the bytes kept never pass the bound."""
    monkeypatch.setattr(totals, "MAX_TEXT_BYTES", 200_000)
    drawn: list[int] = []

    def draw(i: int) -> str:
        drawn.append(i)
        return "行" * 5000  # 10 kB as Python keeps it

    for i in range(40):
        totals.kept(session, ("test.rows", i), lambda i=i: draw(i), size=sys.getsizeof)
        assert totals.kept_text_bytes() <= 200_000
    totals.kept(session, ("test.rows", 39), lambda: draw(-1), size=sys.getsizeof)
    totals.kept(session, ("test.rows", 0), lambda: draw(0), size=sys.getsizeof)
    assert -1 not in drawn  # the newest is still kept
    assert drawn.count(0) == 2  # the oldest was dropped and drawn again


def test_a_text_over_its_share_is_drawn_each_time(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(totals, "MAX_TEXT_BYTES", 200_000)
    drawn: list[str] = []

    def draw() -> str:
        drawn.append("x")
        return "x" * 50_000

    for _ in range(3):
        totals.kept(session, ("test.big",), draw, size=sys.getsizeof)
    assert len(drawn) == 3
    assert totals.kept_text_bytes() == 0
