"""Typed settings: the only place that reads environment variables (prefix ``LONGCHENG_``)."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_SECRET = "longcheng-dev-secret-change-me"
SQLITE_THREADS = 4  # per web worker when ``web_threads`` is not set (see ``threads_per_worker``)
NETWORK_THREADS = 12


class Settings(BaseSettings):
    """Deployment settings. Every field can be set as ``LONGCHENG_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="LONGCHENG_", extra="ignore")

    database_url: str = Field(
        default="sqlite:///var/longcheng.sqlite3",
        description="SQLAlchemy URL; SQLite by default, postgresql://user@host/db for PostgreSQL.",
    )
    secret_key: str = Field(default=DEV_SECRET, description="Signs session cookies and CSRF tokens.")
    data_dir: Path = Field(default=Path("var"), description="Uploaded files and search indexes.")
    max_upload_bytes: int = Field(default=20 * 1024 * 1024, description="Largest accepted upload.")
    login_max_failures: int = Field(default=5, description="Wrong passwords before the account locks.")
    login_lockout_seconds: int = Field(default=900, description="How long a locked account stays locked.")
    session_max_age_seconds: int = Field(default=8 * 3600, description="Lifetime of a login session.")
    cookie_secure: bool = Field(default=False, description="Send cookies over HTTPS only.")
    sqlite_busy_timeout_ms: int = Field(default=10_000, description="How long SQLite waits for a lock.")
    page_size: int = Field(default=20, description="Default rows per list page.")
    export_max_rows: int = Field(default=200_000, description="Largest XLSX export.")
    export_job_rows: int = Field(
        default=20_000,
        description="XLSX exports of more rows than this run as a background job; the file is "
        "downloaded from the job (任务中心) when ready. Smaller exports are streamed at once.",
    )
    import_job_rows: int = Field(
        default=1_000,
        ge=0,
        description="Uploaded grants decision files (批量决定) with more decision rows than this are "
        "checked and applied by a background job with progress; smaller ones within the request.",
    )
    audit_key_file: Path | None = Field(
        default=None,
        description="Ed25519 key that signs audit checkpoints, kept outside the database; "
        "default <data_dir>/audit-signing.key, created on first use with 0600 permissions.",
    )
    pii_key_file: Path | None = Field(
        default=None,
        description="Key ring that encrypts personal data (ID and bank numbers), kept outside the "
        "database; default <data_dir>/pii.key, made by `longcheng keys init`. The site refuses to "
        "start when it is missing or wrong.",
    )
    demo_site: bool = Field(
        default=False,
        description="Marks the demo site (set by `longcheng demo`): the built-in secret key is then "
        "accepted without the start-up warning.",
    )
    # Background jobs (platform.jobs): SQLite queue in data_dir unless a Redis URL is given.
    redis_url: str | None = Field(
        default=None, description="Redis for the job queue (redis://host:6379/0); unset: SQLite in DATA_DIR."
    )
    queue_name: str = Field(default="longcheng", description="Job queue name (Redis key prefix).")
    worker_threads: int = Field(
        default=2, ge=1, le=32, description="Jobs one `longcheng worker` runs at once."
    )
    job_stale_seconds: int = Field(
        default=120, ge=10, description="A running job without a heartbeat this long is failed (worker died)."
    )
    # E-mail of notifications (platform.notifications): sent only when an SMTP URL is set.
    smtp_url: str | None = Field(
        default=None,
        description="SMTP server for notification e-mail: smtp://user:pass@host:587 (STARTTLS when offered), "
        "smtps://user:pass@host:465 (TLS); unset: in-app messages only.",
    )
    smtp_from: str = Field(
        default="longcheng@localhost", description="Sender address of notification e-mail (From:)."
    )
    smtp_max_attempts: int = Field(
        default=5, ge=1, le=20, description="Attempts per e-mail before it is marked failed for the admin."
    )
    smtp_retry_seconds: int = Field(
        default=60, ge=0, description="Wait before the first retry of a failed e-mail; doubles per attempt."
    )
    smtp_timeout_seconds: float = Field(default=10.0, gt=0, description="SMTP connect and command timeout.")
    web_workers: int = Field(
        default_factory=lambda: os.cpu_count() or 1,
        ge=1,
        description="Worker processes `longcheng serve` starts; one per CPU core by default.",
    )
    web_threads: int | None = Field(
        default=None,
        ge=1,
        le=200,
        description="Threads per web worker for the routes' blocking work (database, files); "
        "the worker's database pool holds as many connections and opens as many again in a burst. "
        "Default: 4 on SQLite, 12 on PostgreSQL (see `threads_per_worker`).",
    )
    db_pool_timeout_seconds: float = Field(
        default=30.0,
        gt=0,
        le=600,
        description="How long a request waits for a free database connection before a 503.",
    )

    def threads_per_worker(self) -> int:
        """``web_threads``, else by database. SQLite runs its queries in the worker's own process
        and lets go of the interpreter meanwhile: past a few threads they only contend for it
        (one worker, the registry page: 205 requests/s on 2 threads, 200 on 4, 153 on 24).
        PostgreSQL's run in its own processes and a thread waits on the network: a worker needs
        more of them to stay busy (two workers, the mixed list traffic: 237 requests/s on 4
        threads, 273–303 on 8–12, 264–278 on 24, 252–275 on 48)."""
        if self.web_threads is not None:
            return self.web_threads
        return SQLITE_THREADS if self.database_url.startswith("sqlite") else NETWORK_THREADS


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment, with explicit overrides (used by tests and the CLI)."""
    return Settings(**overrides)  # type: ignore[arg-type]
