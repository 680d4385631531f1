"""Who may do what in the alliance: the secretariat (admin) proposes rulebook versions, a
different admin or the supervisor (auditor) reviews them; an operator sets its own institution's
overrides and profile only.
"""

from __future__ import annotations

from longcheng.core.actors import Role
from longcheng.core.auth import ALL_ROLES, define

RULES_PROPOSE = define("exchange.alliance.rules.propose", Role.admin)
RULES_REVIEW = define("exchange.alliance.rules.review", Role.admin, Role.auditor)
OVERRIDE = define("exchange.alliance.override", Role.admin, Role.operator)
PROFILE = define("exchange.alliance.profile", Role.admin, Role.operator)
READ = define("exchange.alliance.read", *ALL_ROLES)
FEES_CHARGE = define("exchange.alliance.fees.charge", Role.admin, Role.operator)
FEES_READ = define("exchange.alliance.fees.read", Role.admin, Role.operator, Role.auditor)
