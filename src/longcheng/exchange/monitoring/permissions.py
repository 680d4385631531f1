"""The dashboard and risk queue are the secretariat's (admin) and the supervisor's (auditor);
an operator sees its own institution's figures and signals only."""

from __future__ import annotations

from longcheng.core.actors import Role
from longcheng.core.auth import define

DASHBOARD = define("exchange.monitoring.dashboard", Role.admin, Role.auditor, Role.operator)
RISK = define("exchange.monitoring.risk", Role.admin, Role.auditor, Role.operator)
RISK_SCAN = define("exchange.monitoring.scan", Role.admin, Role.auditor)
RISK_REVIEW = define("exchange.monitoring.review", Role.admin, Role.auditor)
REPORT = define("exchange.monitoring.report", Role.admin, Role.auditor)
