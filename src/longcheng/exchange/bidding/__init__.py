"""Live bidding: lots (one per listing attempt), accepted bids in a hash chain, SSE and WebSocket.

``placing.place_bid`` (or ``place_bids``, a batch under one lock) locks the lot, asks
:mod:`longcheng.exchange.auction.engine` and appends the bid; ``service.close_lot`` settles a lot
at its deadline (a platform deadline job, and any bid or read past the deadline); ``results``
handles the hammer: result, audit file, 成交确认书, balance payment, default and delivery.

At speed, a bid enters through ``desk.submit`` (HTTP ``POST …/bids``, or the room's WebSocket in
``live``): ``board`` — this process's copy of each live lot — refuses stale bids and answers double
clicks without a write; every other bid queues on the lot's sequencer in ``desk``, which writes the
queued bids with ``placing.place_bids`` in one transaction and acknowledges them after the commit.
``stream`` fans accepted bids out to watchers (one hub per lot per process, woken by the writer).
"""
