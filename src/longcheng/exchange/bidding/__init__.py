"""Live bidding: lots (one per listing attempt), accepted bids in a hash chain, the SSE stream.

``service.place_bid`` locks the lot, asks :mod:`longcheng.exchange.auction.engine` and appends
the bid; ``service.close_lot`` settles a lot at its deadline (a platform deadline job, and any
bid or read past the deadline); ``results`` handles the hammer: result, audit file, 成交确认书,
balance payment, default and delivery.
"""
