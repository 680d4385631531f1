"""Exchange (e交易): listings, bidders, the deposit ledger, live bidding and settlement.

Terms: 交易机构 (institution, a tenant), 会员 (member), 竞买人 / 竞买号 (bidder / its anonymous
number per listing), 挂牌项目 (listing), 信息披露 (disclosure), 报名 (registration), 保证金
(deposit), 自由报价期 / 限时报价期 (free / timed period), 成交 / 流拍 (sold / unsold), 交割 (delivery).

Listing states: draft 草稿 → review 待审核 → disclosure 信息披露中 → bidding 竞价中 → sold 已成交 |
unsold 流拍; suspended 中止 and terminated 终结 on the way; a 流拍 listing is relisted as a new
draft that points at the one before.

Map (start with ``listings.service`` and ``bidding.service``):

* pure engines — ``auction`` (the three bidding modes), ``book`` (posting rules and the ledger
  check), ``auditfile`` (the hash chain of bids), ``rulebook`` (rules and class field schemas
  from ``data/rulebook.yaml``, disclosure periods), ``papers`` (the 成交确认书 PDF);
* ``models``/``service``/``api`` — institutions, members, bidders (organisations and persons);
* ``listings`` — the lifecycle, registrations, searches, the public change feed;
* ``ledger`` — balanced postings under row locks, bank statements, refunds;
* ``bidding`` — lots, bids in sequence, the SSE fan-out (``stream``), results after the hammer,
  dashboard figures;
* ``closing`` — the set-based closer: every due lot in one transaction a round, run as a
  sub-second loop in the worker (``tasks``) and by ``longcheng exchange closer``;
* ``signup`` (bidder self-registration, rate-limited), ``members`` (会员 acting for clients under a
  mandate that can be revoked; the operators' member pages and the member's desk),
  ``files`` (documents by SHA-256), ``delivery`` (交割 documents);
* ``tasks`` (deadline jobs), ``cli`` (ledger verify, verify-auction, statements, the closer),
  ``demo``.
"""
