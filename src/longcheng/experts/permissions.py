"""Who may do what with the expert pool and expert review.

* The pool (list, detail, export): admins, officers and auditors; changes and imports: admins
  and officers. Expert contact details are staff-only.
* Drawing experts, reading scores and aggregates: admins and officers (auditors read).
* Declaring and scoring: reviewers, each only as the expert linked to their own account.
"""

from __future__ import annotations

from longcheng.core.actors import Role
from longcheng.core.auth import define

READ = define("experts.read", Role.admin, Role.officer, Role.auditor)
MANAGE = define("experts.manage", Role.admin, Role.officer)
EXPORT = define("experts.export", Role.admin, Role.officer, Role.auditor)
IMPORT = define("experts.import", Role.admin, Role.officer)
ASSIGN = define("experts.assign", Role.admin, Role.officer)
SCORES_READ = define("experts.scores.read", Role.admin, Role.officer, Role.auditor)
REVIEW = define("experts.review", Role.reviewer)
