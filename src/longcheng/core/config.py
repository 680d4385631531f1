"""Typed settings: the only place that reads environment variables (prefix ``LONGCHENG_``)."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_SECRET = "longcheng-dev-secret-change-me"


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
    web_workers: int = Field(
        default_factory=lambda: os.cpu_count() or 1,
        ge=1,
        description="Worker processes `longcheng serve` starts; one per CPU core by default.",
    )


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment, with explicit overrides (used by tests and the CLI)."""
    return Settings(**overrides)  # type: ignore[arg-type]
