"""Who may do what at the exchange.

Operators (交易机构工作人员) act only for their own institution: the one whose USCC is the
operator's ``org_uscc``; admins act for every institution. Bidders act only for the bidder
identity bound to their login; a member's login (role 竞买人, bound by ``MemberOperator``) acts
only for its member's clients. The public (no login) reads the portal, listings and the feed.
"""

from __future__ import annotations

from longcheng.core.actors import Actor, Role
from longcheng.core.auth import ALL_ROLES, define
from longcheng.core.errors import PermissionDenied

INSTITUTION_MANAGE = define("exchange.institution.manage", Role.admin)
LISTING_EDIT = define("exchange.listing.edit", Role.admin, Role.operator)
LISTING_REVIEW = define("exchange.listing.review", Role.admin, Role.operator)
REGISTRATION_REVIEW = define("exchange.registration.review", Role.admin, Role.operator)
CONSOLE = define("exchange.console", Role.admin, Role.operator, Role.auditor, Role.finance)
EXPORT = define("exchange.export", Role.admin, Role.operator, Role.auditor, Role.finance)
LEDGER_MANAGE = define("exchange.ledger.manage", Role.admin, Role.operator, Role.finance)
LEDGER_VERIFY = define("exchange.ledger.verify", Role.admin, Role.auditor, Role.finance, Role.operator)
BIDDER_ENROL = define("exchange.bidder.enrol", Role.admin, Role.operator)
REGISTER = define("exchange.register", Role.bidder)
BID = define("exchange.bid", Role.bidder)
IDENTITIES = define("exchange.identities", Role.admin, Role.operator)
SETTLE = define("exchange.settle", Role.admin, Role.operator, Role.finance)
DASHBOARD = define("exchange.dashboard", Role.admin, Role.operator, Role.auditor, Role.officer, Role.finance)
MY_BIDDING = define("exchange.mine", Role.bidder)
PORTAL = define("exchange.portal", *ALL_ROLES)
MEMBER_READ = define("exchange.member.read", Role.admin, Role.operator, Role.auditor)
MEMBER_MANAGE = define("exchange.member.manage", Role.admin, Role.operator)
MEMBER_DESK = define("exchange.member.desk", Role.bidder)
MANDATE_REVOKE = define("exchange.mandate.revoke", Role.admin, Role.operator, Role.bidder)


def require_own_institution(actor: Actor, institution_uscc: str) -> None:
    """An operator may change only the data of the institution it belongs to."""
    if actor.role is Role.operator and actor.org_uscc != institution_uscc:
        raise PermissionDenied("只能处理本交易机构的业务。", code="exchange.other_institution")
