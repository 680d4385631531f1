"""The routers of the grants module, for ``web.ROUTERS``."""

from __future__ import annotations

from fastapi import APIRouter

from longcheng.grants.acceptance import api as acceptance_api
from longcheng.grants.acceptance import pages as acceptance_pages
from longcheng.grants.acceptance.progress import api as progress_api
from longcheng.grants.acceptance.progress import pages as progress_pages
from longcheng.grants.applications import api as applications_api
from longcheng.grants.applications import pages as applications_pages
from longcheng.grants.audit import api as audit_api
from longcheng.grants.audit import pages as audit_pages
from longcheng.grants.batches import api as batches_api
from longcheng.grants.batches import pages as batches_pages
from longcheng.grants.ledger import api as ledger_api
from longcheng.grants.ledger import pages as ledger_pages
from longcheng.grants.notices import pages as notices_pages
from longcheng.grants.programmes import api as programmes_api
from longcheng.grants.programmes import pages as programmes_pages
from longcheng.grants.publicity import pages as publicity_pages
from longcheng.grants.reports import pages as reports_pages
from longcheng.grants.vouchers import api as vouchers_api
from longcheng.grants.vouchers import pages as vouchers_pages

routers: list[APIRouter] = [
    programmes_api.router,
    batches_api.router,
    programmes_pages.router,
    batches_pages.router,
    applications_api.router,
    applications_pages.router,
    publicity_pages.router,
    acceptance_api.router,
    acceptance_pages.router,
    progress_api.router,
    progress_pages.router,
    ledger_api.router,
    ledger_pages.router,
    reports_pages.router,
    vouchers_api.router,
    vouchers_pages.router,
    audit_api.router,
    audit_pages.router,
    notices_pages.router,
]
