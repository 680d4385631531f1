"""Who may do what in e-tendering: operators run their own institution's tenders, the officers
named on a tender hold its key shares, bidders register, bid and object; nobody reads a price
before 开标."""

from __future__ import annotations

from longcheng.core.actors import Role
from longcheng.core.auth import ALL_ROLES, define

MANAGE = define("exchange.tender.manage", Role.admin, Role.operator)
OFFICER = define("exchange.tender.officer", Role.admin, Role.operator)
BID = define("exchange.tender.bid", Role.bidder)
READ = define("exchange.tender.read", *ALL_ROLES)
EVALUATE = define("exchange.tender.evaluate", Role.reviewer)
