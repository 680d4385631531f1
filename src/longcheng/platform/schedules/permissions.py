"""Only admins see and steer the schedules."""

from __future__ import annotations

from longcheng.core.actors import Role
from longcheng.core.auth import define

SCHEDULES_MANAGE = define("schedules.manage", Role.admin)
