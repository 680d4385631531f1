"""What the jobs API returns and accepts."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from longcheng.platform.jobs.models import Job, JobState


class JobRead(BaseModel):
    """One job as the API shows it; times are UTC (ISO 8601)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    label: str
    state: JobState
    state_label: str
    progress: int
    status_line: str
    started_by: int | None
    attempts: int
    created_at: datetime
    started_at: datetime | None
    ended_at: datetime | None
    error: str
    result_name: str | None
    result_url: str | None

    @classmethod
    def of(cls, job: Job) -> JobRead:
        state = job.job_state
        return cls(
            id=job.id,
            kind=job.kind,
            label=job.label,
            state=state,
            state_label=state.label,
            progress=job.progress,
            status_line=job.status_line,
            started_by=job.started_by,
            attempts=job.attempts,
            created_at=job.created_at,
            started_at=job.started_at,
            ended_at=job.ended_at,
            error=job.error,
            result_name=job.result_name,
            result_url=f"/api/v1/jobs/{job.id}/result" if job.result_sha256 else None,
        )


class JobPage(BaseModel):
    items: list[JobRead]
    total: int
    page: int
    page_size: int


class DemoJobCreate(BaseModel):
    """Start the demonstration job (admins): ``steps`` steps of ``seconds`` each."""

    model_config = ConfigDict(extra="forbid")

    steps: int = Field(default=10, ge=1, le=1000)
    seconds: float = Field(default=0.5, ge=0, le=10)
