"""Who may do what in the notification centre: everyone their own messages, admins failed e-mail."""

from __future__ import annotations

from longcheng.core.actors import Role
from longcheng.core.auth import ALL_ROLES, define

READ = define("notifications.read", *ALL_ROLES)
FAILED = define("notifications.failed", Role.admin)
