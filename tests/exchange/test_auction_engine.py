"""The auction engine: steps, countdown restarts, sealed and Dutch rules, 优先权, closing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from longcheng.exchange.auction import engine
from longcheng.exchange.auction.engine import Bid, Mode, Phase, Refusal, Rules

T0 = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


def s(n: float) -> datetime:
    return T0 + timedelta(seconds=n)


def timed(**kw: object) -> tuple[Rules, engine.State]:
    rules = Rules(mode=Mode.timed, start_fen=100_000, step_fen=1_000, countdown_seconds=180, **kw)  # type: ignore[arg-type]
    return rules, engine.initial_state(rules, starts_at=T0, free_seconds=600)


def refused(rules: Rules, state: engine.State, bid: Bid) -> str:
    with pytest.raises(Refusal) as info:
        engine.place(rules, state, bid)
    return info.value.code


def test_first_bid_may_be_the_start_price_then_each_bid_at_least_one_step_higher() -> None:
    rules, st = timed()
    st = engine.place(rules, st, Bid("111111", 100_000, s(10)))
    assert st.price_fen == 100_000
    assert st.seq == 1
    assert refused(rules, st, Bid("222222", 100_000, s(11))) == "exchange.bid_too_low"
    assert refused(rules, st, Bid("222222", 101_500, s(11))) == "exchange.bid_off_step"
    st = engine.place(rules, st, Bid("222222", 101_000, s(11)))
    assert st.leader == "222222"


def test_a_leader_cannot_outbid_itself_and_a_bid_is_capped_at_max_steps() -> None:
    rules, st = timed(max_steps=3)
    st = engine.place(rules, st, Bid("111111", 100_000, s(1)))
    assert refused(rules, st, Bid("111111", 101_000, s(2))) == "exchange.already_leading"
    assert refused(rules, st, Bid("222222", 104_000, s(2))) == "exchange.bid_too_many_steps"
    assert engine.place(rules, st, Bid("222222", 103_000, s(2))).price_fen == 103_000


def test_bids_in_the_free_period_keep_the_deadline_and_timed_bids_restart_the_countdown() -> None:
    rules, st = timed()
    assert st.deadline == s(780)
    st = engine.place(rules, st, Bid("111111", 100_000, s(100)))
    assert st.deadline == s(780)
    assert engine.status_at(rules, st, s(700)) is Phase.timed
    st = engine.place(rules, st, Bid("222222", 101_000, s(770)))
    assert st.deadline == s(950)
    assert engine.status_at(rules, st, s(949.999)) is Phase.timed
    assert engine.status_at(rules, st, s(950)) is Phase.closed


def test_a_bid_one_millisecond_after_the_close_is_refused() -> None:
    rules, st = timed()
    assert refused(rules, st, Bid("111111", 100_000, s(780.001))) == "exchange.bid_closed"
    assert refused(rules, st, Bid("111111", 100_000, s(-1))) == "exchange.bid_not_started"


def test_preemption_matches_the_highest_price_once_under_the_once_rule() -> None:
    rules, st = timed(preemption="once")
    st = engine.place(rules, st, Bid("111111", 100_000, s(1)))
    st = engine.place(rules, st, Bid("999999", 100_000, s(2), preemptor=True))
    assert st.leader == "999999"
    assert st.price_fen == 100_000
    st = engine.place(rules, st, Bid("111111", 101_000, s(3)))
    assert refused(rules, st, Bid("999999", 101_000, s(4), preemptor=True)) == "exchange.preemption_used"
    none_rules, st2 = timed()
    st2 = engine.place(none_rules, st2, Bid("111111", 100_000, s(1)))
    assert (
        refused(none_rules, st2, Bid("999999", 100_000, s(2), preemptor=True)) == "exchange.preemption_used"
    )


def test_sealed_bids_one_per_bidder_highest_wins_ties_go_to_the_earlier() -> None:
    rules = Rules(mode=Mode.sealed, start_fen=50_000, step_fen=500)
    st = engine.initial_state(rules, starts_at=T0, free_seconds=3600)
    st = engine.place(rules, st, Bid("111111", 60_000, s(1)))
    st = engine.place(rules, st, Bid("222222", 60_000, s(2)))
    assert refused(rules, st, Bid("111111", 70_000, s(3))) == "exchange.sealed_twice"
    st = engine.place(rules, st, Bid("333333", 55_000, s(4)))
    assert st.leader == "111111"
    assert st.price_fen == 60_000
    assert engine.status_at(rules, st, s(3600)) is Phase.closed
    assert engine.sold(rules, st)


def test_dutch_clock_falls_per_interval_to_its_floor_and_the_first_taker_wins() -> None:
    rules = Rules(
        mode=Mode.dutch, start_fen=100_000, step_fen=5_000, dutch_floor_fen=80_000, dutch_interval_seconds=60
    )
    st = engine.initial_state(rules, starts_at=T0, free_seconds=0)
    assert engine.dutch_price(rules, st, s(59)) == 100_000
    assert engine.dutch_price(rules, st, s(125)) == 90_000
    assert engine.dutch_price(rules, st, s(10_000)) == 80_000
    assert refused(rules, st, Bid("111111", 95_000, s(125))) == "exchange.dutch_price_moved"
    st = engine.place(rules, st, Bid("111111", 90_000, s(125)))
    assert engine.status_at(rules, st, s(125)) is Phase.closed
    assert refused(rules, st, Bid("222222", 90_000, s(126))) == "exchange.bid_closed"


def test_below_the_reserve_the_lot_is_unsold() -> None:
    rules, st = timed(reserve_fen=105_000)
    st = engine.place(rules, st, Bid("111111", 104_000, s(1)))
    assert not engine.sold(rules, st)
    assert engine.sold(rules, engine.place(rules, st, Bid("222222", 105_000, s(2))))
