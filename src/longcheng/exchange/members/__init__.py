"""Members (会员/经纪机构) of an institution acting for their clients (委托人).

Terms: 会员 (member), 经办人 (a member's login), 委托人 (client), 委托书 (mandate document),
授权期限 (validity dates), 撤销授权 (revocation). Member states: active 正常 | suspended 暂停.
Mandate states on a day: pending 未生效 → valid 有效 → expired 已过期, or revoked 已撤销 at any time.

* :mod:`.service` — logins of a member, mandates (record, check, revoke), acting for a client,
  the member's edits (start here);
* :mod:`.query` — the reads of the pages: members per institution, a member's clients, mandates
  and the listings and bids it acts in;
* :mod:`.api` — JSON under ``/api/v1/exchange``; :mod:`.pages` — the operators' member pages and
  the member's own desk (``/exchange/member``).
"""
