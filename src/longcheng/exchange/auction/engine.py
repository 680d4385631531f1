"""Judge bids and closing times: one function per question, no I/O.

Amounts are integer fen. Times are aware datetimes supplied by the caller (the server clock).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum


class Mode(StrEnum):
    timed = "timed"  # 自由报价期 + 限时报价期
    sealed = "sealed"  # 密封报价
    dutch = "dutch"  # 降价（荷兰式）


class Phase(StrEnum):
    scheduled = "scheduled"  # 未开始
    free = "free"  # 自由报价期
    timed = "timed"  # 限时报价期
    sealed = "sealed"  # 密封报价中
    clock = "clock"  # 降价中
    closed = "closed"  # 已结束


PHASE_LABELS = {
    Phase.scheduled: "未开始",
    Phase.free: "自由报价期",
    Phase.timed: "限时报价期",
    Phase.sealed: "密封报价中",
    Phase.clock: "降价报价中",
    Phase.closed: "已结束",
}


@dataclass(frozen=True)
class Rules:
    """The parameters of one lot's auction, taken from the rulebook and the listing."""

    mode: Mode
    start_fen: int
    step_fen: int
    reserve_fen: int | None = None
    max_steps: int = 10
    countdown_seconds: int = 180
    preemption: str = "none"  # none | once | repeat (优先权)
    dutch_floor_fen: int = 0
    dutch_interval_seconds: int = 60


@dataclass(frozen=True)
class State:
    """Where a lot stands: times, the current price, the leader and the sequence counter."""

    starts_at: datetime
    free_ends_at: datetime
    deadline: datetime
    price_fen: int | None = None
    leader: str | None = None
    seq: int = 0
    preempt_uses: int = 0
    sealed_bidders: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Bid:
    bidder: str  # the 竞买号
    amount_fen: int
    at: datetime
    preemptor: bool = False


class Refusal(Exception):
    """Why a bid is refused: a stable code and a Chinese message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def status_at(rules: Rules, state: State, now: datetime) -> Phase:
    """The phase at ``now``; past the deadline (or a Dutch sale) it is closed whatever is stored."""
    if now >= state.deadline or (rules.mode is Mode.dutch and state.leader is not None):
        return Phase.closed
    if now < state.starts_at:
        return Phase.scheduled
    if rules.mode is Mode.sealed:
        return Phase.sealed
    if rules.mode is Mode.dutch:
        return Phase.clock
    return Phase.free if now < state.free_ends_at else Phase.timed


def dutch_price(rules: Rules, state: State, now: datetime) -> int:
    """The Dutch clock's price at ``now``: one step down per interval, never below the floor."""
    elapsed = max(0, int((now - state.starts_at).total_seconds()))
    drops = elapsed // max(1, rules.dutch_interval_seconds)
    return max(rules.dutch_floor_fen, rules.start_fen - drops * rules.step_fen)


def minimum_next(rules: Rules, state: State) -> int:
    """The lowest acceptable next open bid: the start price first, then one step above."""
    return rules.start_fen if state.price_fen is None else state.price_fen + rules.step_fen


def _check_open(rules: Rules, state: State, bid: Bid) -> Phase:
    phase = status_at(rules, state, bid.at)
    if phase is Phase.closed:
        raise Refusal("exchange.bid_closed", "竞价已结束，报价未被接受。")
    if phase is Phase.scheduled:
        raise Refusal("exchange.bid_not_started", "竞价尚未开始。")
    return phase


def _check_step(rules: Rules, amount: int) -> None:
    if amount < rules.start_fen or (amount - rules.start_fen) % rules.step_fen:
        raise Refusal("exchange.bid_off_step", "报价须为起始价加整数倍加价幅度。")


def _open_bid(rules: Rules, state: State, bid: Bid, phase: Phase) -> State:
    _check_step(rules, bid.amount_fen)
    matching = bid.preemptor and state.price_fen is not None and bid.amount_fen == state.price_fen
    if matching:
        if rules.preemption == "none" or (rules.preemption == "once" and state.preempt_uses >= 1):
            raise Refusal("exchange.preemption_used", "优先权已行使或本项目不设优先权，须高于当前价报价。")
        if state.leader == bid.bidder:
            raise Refusal("exchange.already_leading", "您已是当前最高报价人。")
    else:
        if bid.amount_fen < minimum_next(rules, state):
            raise Refusal("exchange.bid_too_low", "报价须高于当前最高价至少一个加价幅度。")
        if state.leader == bid.bidder:
            raise Refusal("exchange.already_leading", "您已是当前最高报价人。")
        base = rules.start_fen if state.price_fen is None else state.price_fen
        if (bid.amount_fen - base) // rules.step_fen > rules.max_steps:
            raise Refusal("exchange.bid_too_many_steps", f"单次加价不得超过 {rules.max_steps} 个加价幅度。")
    deadline = state.deadline
    if phase is Phase.timed:
        deadline = max(deadline, bid.at + timedelta(seconds=rules.countdown_seconds))
    return replace(
        state,
        price_fen=bid.amount_fen,
        leader=bid.bidder,
        seq=state.seq + 1,
        deadline=deadline,
        preempt_uses=state.preempt_uses + (1 if matching else 0),
    )


def _sealed_bid(rules: Rules, state: State, bid: Bid) -> State:
    _check_step(rules, bid.amount_fen)
    if bid.bidder in state.sealed_bidders:
        raise Refusal("exchange.sealed_twice", "密封报价每人只能提交一次。")
    better = state.price_fen is None or bid.amount_fen > state.price_fen
    return replace(
        state,
        price_fen=bid.amount_fen if better else state.price_fen,
        leader=bid.bidder if better else state.leader,
        seq=state.seq + 1,
        sealed_bidders=state.sealed_bidders | {bid.bidder},
    )


def _dutch_bid(rules: Rules, state: State, bid: Bid) -> State:
    price = dutch_price(rules, state, bid.at)
    if bid.amount_fen != price:
        raise Refusal("exchange.dutch_price_moved", "降价时钟已变化，请按当前价格应价。")
    return replace(state, price_fen=price, leader=bid.bidder, seq=state.seq + 1, deadline=bid.at)


def place(rules: Rules, state: State, bid: Bid) -> State:
    """The lot's state after ``bid``, or :class:`Refusal` saying why it is not accepted."""
    phase = _check_open(rules, state, bid)
    if rules.mode is Mode.sealed:
        return _sealed_bid(rules, state, bid)
    if rules.mode is Mode.dutch:
        return _dutch_bid(rules, state, bid)
    return _open_bid(rules, state, bid, phase)


def sold(rules: Rules, state: State) -> bool:
    """True when the closed lot has a winner at or above the reserve (成交), else 流拍."""
    if state.leader is None or state.price_fen is None:
        return False
    return rules.reserve_fen is None or state.price_fen >= rules.reserve_fen


def initial_state(rules: Rules, *, starts_at: datetime, free_seconds: int, sealed_seconds: int = 0) -> State:
    """A lot's state before any bid: timed lots close one countdown after the free period."""
    free_end = starts_at + timedelta(seconds=free_seconds)
    if rules.mode is Mode.timed:
        deadline = free_end + timedelta(seconds=rules.countdown_seconds)
    elif rules.mode is Mode.sealed:
        deadline = starts_at + timedelta(seconds=sealed_seconds or free_seconds)
    else:
        steps = max(0, (rules.start_fen - rules.dutch_floor_fen) // max(1, rules.step_fen))
        deadline = starts_at + timedelta(seconds=(steps + 1) * rules.dutch_interval_seconds)
    return State(starts_at=starts_at, free_ends_at=free_end, deadline=deadline)
