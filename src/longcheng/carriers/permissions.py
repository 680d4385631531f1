"""Who may do what with carriers and leads (the portal itself needs no login)."""

from __future__ import annotations

from longcheng.core.actors import Role
from longcheng.core.auth import define

CARRIER_EDIT = define("carriers.edit", Role.admin, Role.officer)
CARRIER_LIST = define("carriers.list", Role.admin, Role.officer, Role.auditor)
LEAD_READ = define("carriers.lead.read", Role.admin, Role.officer, Role.auditor)
LEAD_EDIT = define("carriers.lead.edit", Role.admin, Role.officer)
LEAD_EXPORT = define("carriers.lead.export", Role.admin, Role.officer, Role.auditor)
# The portal is public; this only puts it in every signed-in role's navigation.
PORTAL = define("carriers.portal", *Role)
