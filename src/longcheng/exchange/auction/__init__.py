"""The auction engine (pure): the three bidding modes as plain data in, plain data out.

* ``timed`` — 自由报价期 then 限时报价期: every valid bid in the timed period restarts the
  countdown; the lot closes when the countdown runs out.
* ``sealed`` — one sealed bid per bidder, opened at a fixed time; the highest wins, a tie goes
  to the earlier bid.
* ``dutch`` — a descending clock: the price falls one step per interval down to a floor; the
  first bidder to accept the clock price wins at once.

Start with :func:`engine.place` (judge one bid against the lot's state at an instant) and
:func:`engine.status_at` (what the lot is at an instant, so a late worker never keeps a lot
open). No models, sessions or web code here (import-linter contract).
"""
