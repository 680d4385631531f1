"""Routes of the policy module: JSON under /api/v1/policy (``api.py`` and each sub-domain's
``api.py``) and pages (``pages.py`` and each sub-domain's ``pages.py``), in one list for the app.
"""

from __future__ import annotations

from fastapi import APIRouter

from longcheng.policy import api, pages
from longcheng.policy.awards import api as awards_api
from longcheng.policy.awards import pages as awards_pages
from longcheng.policy.inbox import api as inbox_api
from longcheng.policy.inbox import pages as inbox_pages
from longcheng.policy.inputs import api as inputs_api
from longcheng.policy.inputs import pages as inputs_pages
from longcheng.policy.runs import api as runs_api
from longcheng.policy.runs import pages as runs_pages

routers: list[APIRouter] = [
    api.router,
    runs_api.router,
    inbox_api.router,
    awards_api.router,
    inputs_api.router,
    runs_pages.router,
    awards_pages.router,
    inputs_pages.router,
    pages.router,
    inbox_pages.router,
]
