"""Filters of the grants reports."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class ReportFilter(BaseModel):
    """The programme report: one fiscal year of awards (all years when blank)."""

    model_config = ConfigDict(extra="ignore")

    year: int | None = None


class DashboardFilter(BaseModel):
    model_config = ConfigDict(extra="ignore")

    year: int | None = None
    programme: str | None = None
    district: str | None = None
