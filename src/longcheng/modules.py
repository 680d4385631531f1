"""The modules: whose tables Alembic owns (importing them registers their models), and how they meet.

This file stands above every module, so it may name them all: :func:`wire` connects a reader
to a producer's announcements (``core.hooks``) without the producer importing the reader.
"""

from __future__ import annotations

import importlib

from longcheng.carriers import labels as carriers_labels
from longcheng.core import changelog, hooks
from longcheng.exchange import labels as exchange_labels
from longcheng.exchange import tasks as exchange_tasks
from longcheng.exchange.alliance import labels as exchange_alliance_labels
from longcheng.exchange.alliance import tasks as alliance_tasks
from longcheng.exchange.monitoring import tasks as monitoring_tasks
from longcheng.experts import labels as experts_labels
from longcheng.grants import labels as grants_labels
from longcheng.grants.acceptance.progress import tasks as grants_progress_tasks
from longcheng.grants.applications import tasks as grants_application_tasks
from longcheng.grants.notices import tasks as grants_notice_tasks
from longcheng.intel import labels as intel_labels
from longcheng.intel import tasks as intel_tasks
from longcheng.intel.service import profile as intel_profile
from longcheng.matching import labels as matching_labels
from longcheng.platform import labels as platform_labels
from longcheng.platform.jobs import tasks as platform_tasks
from longcheng.platform.notifications import tasks as notification_tasks
from longcheng.policy import labels as policy_labels
from longcheng.policy import service as policy_service
from longcheng.policy import tasks as policy_tasks
from longcheng.policy.inbox import service as policy_inbox
from longcheng.projects import labels as projects_labels
from longcheng.projects import tasks as projects_tasks
from longcheng.projects.evidence import service as projects_evidence
from longcheng.projects.service import profile as projects_profile
from longcheng.registry import labels as registry_labels
from longcheng.registry import reference as registry_reference
from longcheng.registry import service as registry_service
from longcheng.registry import tasks as registry_tasks
from longcheng.talent import labels as talent_labels
from longcheng.talent import tasks as talent_tasks

MODEL_MODULES = (
    "longcheng.core.audit",
    "longcheng.core.users",
    "longcheng.core.logins",
    "longcheng.core.checkpoints",
    "longcheng.registry.models",
    "longcheng.registry.people.models",
    "longcheng.intel.models",
    "longcheng.policy.models",
    "longcheng.projects.models",
    "longcheng.projects.supervision.models",
    "longcheng.projects.evidence.models",
    "longcheng.platform.jobs.models",
    "longcheng.platform.schedules.models",
    "longcheng.platform.notifications.models",
    "longcheng.experts.models",
    "longcheng.grants.programmes.models",
    "longcheng.grants.ledger.models",
    "longcheng.grants.payments.models",
    "longcheng.talent.models",
    "longcheng.exchange.models",
    "longcheng.exchange.listings.models",
    "longcheng.exchange.ledger.models",
    "longcheng.exchange.bidding.models",
    "longcheng.grants.applications.models",
    "longcheng.grants.publicity.models",
    "longcheng.grants.acceptance.models",
    "longcheng.grants.acceptance.progress.models",
    "longcheng.grants.vouchers.models",
    "longcheng.grants.audit.models",
    "longcheng.grants.notices.models",
    "longcheng.matching.challenges.models",
    "longcheng.matching.review.models",
    "longcheng.matching.capabilities.models",
    "longcheng.matching.broker.models",
    "longcheng.matching.contracts.models",
    "longcheng.carriers.models",
    "longcheng.exchange.alliance.models",
    "longcheng.exchange.tendering.models",
    "longcheng.exchange.monitoring.models",
)


def load_models() -> None:
    for name in MODEL_MODULES:
        importlib.import_module(name)


def wire() -> None:
    """Subscribe each module's handlers to the events of the modules below it (``core.hooks``)."""
    register_vocabularies()
    hooks.subscribe(hooks.FACTS_STORED, "projects.evidence", projects_evidence.on_facts_stored)
    hooks.subscribe(hooks.DATA_RESTORED, "registry.search", registry_service.on_data_restored)
    hooks.subscribe(hooks.NOTIFICATION_READ, "policy.inbox", policy_inbox.on_centre_read)
    # 一企一档: the registry's organisation page shows these sections of the firm's file.
    hooks.add_profile_section("projects", projects_profile.profile_section, order=10)
    hooks.add_profile_section("policy", policy_service.profile_section, order=20)
    hooks.add_profile_section("intel", intel_profile.profile_section, order=30)
    hooks.set_districts(lambda: [(p.code, p.name) for p in registry_reference.districts()])
    register_job_kinds()


def register_vocabularies() -> None:
    """Each module's words for change logs (``core.changelog``): actions, fields, coded values."""
    for vocabulary in (
        registry_labels.VOCABULARY,
        intel_labels.VOCABULARY,
        platform_labels.VOCABULARY,
        experts_labels.VOCABULARY,
        grants_labels.VOCABULARY,
        talent_labels.VOCABULARY,
        exchange_labels.VOCABULARY,
        matching_labels.VOCABULARY,
        carriers_labels.VOCABULARY,
    ):
        changelog.register(vocabulary)
    changelog.register_lazy(projects_labels.vocabulary)  # plan templates and policy packs are read
    changelog.register_lazy(policy_labels.vocabulary)  # on the first change log shown
    changelog.register(exchange_alliance_labels.VOCABULARY)


def register_job_kinds() -> None:
    """Each module's background job kinds (its ``tasks.py``), so the worker can run them."""
    platform_tasks.register_kinds()
    notification_tasks.register_kinds()
    registry_tasks.register_kinds()
    intel_tasks.register_kinds()
    policy_tasks.register_kinds()
    projects_tasks.register_kinds()
    talent_tasks.register_kinds()
    exchange_tasks.register_kinds()
    monitoring_tasks.register_kinds()
    alliance_tasks.register_kinds()
    grants_notice_tasks.register_kinds()
    grants_progress_tasks.register_kinds()
    grants_application_tasks.register_kinds()
