"""Who may read the cooperation programmes' pages."""

from __future__ import annotations

from longcheng.core.actors import Role
from longcheng.core.auth import define

PROGRAMME_READ = define("cooperation.read", Role.admin, Role.officer, Role.auditor)
