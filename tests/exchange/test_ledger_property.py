"""The deposit ledger balances at every instant: random operation sequences through the service."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from longcheng.core.actors import SYSTEM
from longcheng.exchange.book import postings as pb
from longcheng.exchange.ledger import service as ledger

OPS = st.lists(
    st.tuples(
        st.sampled_from(
            ["receive", "hold", "unhold", "freeze", "release", "convert", "forfeit", "refund", "paid"]
        ),
        st.integers(min_value=0, max_value=2),
        st.integers(min_value=1, max_value=5_000_00),
    ),
    max_size=25,
)

MOVES = {
    "receive": lambda b: (pb.BANK, pb.available(b)),
    "hold": lambda b: (pb.BANK, pb.SUSPENSE),
    "unhold": lambda b: (pb.SUSPENSE, pb.available(b)),
    "freeze": lambda b: (pb.available(b), pb.frozen(100 + b)),
    "release": lambda b: (pb.frozen(100 + b), pb.available(b)),
    "convert": lambda b: (pb.frozen(100 + b), pb.price(7)),
    "forfeit": lambda b: (pb.frozen(100 + b), pb.FORFEITED),
    "refund": lambda b: (pb.available(b), pb.refunding(b)),
    "paid": lambda b: (pb.refunding(b), pb.BANK),
}


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS)
def test_any_sequence_of_operations_leaves_a_balanced_ledger(
    session: Session, ops: list[tuple[str, int, int]]
) -> None:
    """Overdrawing operations are refused whole; after each sequence verify finds nothing wrong."""
    nested = session.begin_nested()
    try:
        for kind, bidder, amount in ops:
            debit, credit = MOVES[kind](bidder + 900)
            try:
                with session.begin_nested():
                    ledger.post(
                        session, actor=SYSTEM, kind=kind, ref="prop", entries=pb.move(debit, credit, amount)
                    )
            except ledger.InsufficientFunds:
                pass
        report = ledger.verify(session)
        assert report.ok, report.problems
    finally:
        nested.rollback()
