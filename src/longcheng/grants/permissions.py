"""Who may do what in grants.

* Programmes, windows, budgets: admins and officers manage; everyone logged in reads guides.
* The ledger and payables: admins, officers, finance and auditors read; finance and admins
  build payment batches, approve them (two different people), export and record bank returns.
* Direct payables (talent awards and other modules paying through the ledger): admins,
  officers and finance.
"""

from __future__ import annotations

from longcheng.core.actors import Role
from longcheng.core.auth import ALL_ROLES, define

PROGRAMME_READ = define("grants.programme.read", *ALL_ROLES)
PROGRAMME_MANAGE = define("grants.programme.manage", Role.admin, Role.officer)
LEDGER_READ = define("grants.ledger.read", Role.admin, Role.officer, Role.finance, Role.auditor)
BUDGET_SET = define("grants.budget.set", Role.admin, Role.officer, Role.finance)
PAYABLE_CREATE = define("grants.payable.create", Role.admin, Role.officer, Role.finance)
PAYABLE_READ = define("grants.payable.read", Role.admin, Role.officer, Role.finance, Role.auditor)
BATCH_MANAGE = define("grants.batch.manage", Role.admin, Role.finance)
BATCH_APPROVE = define("grants.batch.approve", Role.admin, Role.finance)
CLAWBACK = define("grants.clawback", Role.admin, Role.finance, Role.auditor)
APPLY = define("grants.apply", Role.enterprise)
APP_READ = define(
    "grants.application.read", Role.admin, Role.officer, Role.auditor, Role.finance, Role.enterprise
)
APP_REVIEW = define("grants.application.review", Role.admin, Role.officer)
APP_FINANCE = define("grants.application.finance", Role.admin, Role.officer, Role.finance)
APP_EXPORT = define("grants.application.export", Role.admin, Role.officer, Role.auditor, Role.finance)
ACCEPTANCE_INSPECT = define("grants.acceptance.inspect", Role.admin, Role.officer)
PROGRESS_REVIEW = define("grants.progress.review", Role.admin, Role.officer)
PAYEE_CORRECT = define("grants.payee.correct", Role.admin, Role.finance)
REPORT_READ = define("grants.report.read", Role.admin, Role.officer, Role.finance, Role.auditor)
VOUCHER_READ = define(
    "grants.voucher.read", Role.admin, Role.officer, Role.finance, Role.auditor, Role.enterprise
)
VOUCHER_ISSUE = define("grants.voucher.issue", Role.admin, Role.officer)
VOUCHER_REDEEM = define("grants.voucher.redeem", Role.enterprise)
PROVIDER_REGISTER = define("grants.provider.register", Role.enterprise)
PROVIDER_APPROVE = define("grants.provider.approve", Role.admin, Role.officer)
AUDIT_SAMPLE = define("grants.audit.sample", Role.admin, Role.auditor)
