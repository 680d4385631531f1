"""JSON API of actions on many projects at once: the light thresholds, recomputing every light,
ceremonies (集中签约/开工/竣工)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from longcheng.core.auth import require
from longcheng.core.errors import PermissionDenied
from longcheng.core.http import CurrentActor, DbSession
from longcheng.core.validation import validate
from longcheng.projects import permissions as perm
from longcheng.projects import service
from longcheng.projects.api.shapes import CeremonyRead, RecomputeRead, ThresholdsRead
from longcheng.projects.schemas import CeremonyIn, ThresholdsIn
from longcheng.projects.service import lights as service_lights

router = APIRouter(prefix="/api/v1/projects", tags=["projects 重大项目"])


@router.get("/thresholds", response_model=ThresholdsRead)
def get_thresholds(session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    require(actor, perm.THRESHOLDS_READ)
    t = service_lights.get_thresholds(session)
    return {**service_lights.threshold_view(t), "version": service_lights.thresholds_version(session)}


@router.put("/thresholds", response_model=ThresholdsRead)
def put_thresholds(body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    reason = str(body.pop("reason", ""))
    data = validate(ThresholdsIn, body, code="projects.invalid")
    t = service.update_thresholds(session, actor=actor, data=data, reason=reason)
    return {**service_lights.threshold_view(t), "version": service_lights.thresholds_version(session)}


@router.post("/lights/recompute", response_model=RecomputeRead)
def recompute(session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    if not perm.can_edit_thresholds(actor):
        raise PermissionDenied(
            "只有管理员和市级工作人员可以重算全部状态灯。", code="projects.thresholds_forbidden"
        )
    r = service.recompute_all(session, actor=actor)
    return {"projects": r.projects, "changed": r.changed, "counts": {k.value: v for k, v in r.counts.items()}}


@router.post("/ceremonies", status_code=201, response_model=CeremonyRead)
def ceremony(body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    c = service.run_ceremony(session, actor=actor, data=validate(CeremonyIn, body, code="projects.invalid"))
    return {
        "name": c.name,
        "kind": c.kind,
        "stage": c.stage,
        "held_on": c.held_on.isoformat(),
        "projects": c.project_count,
    }
