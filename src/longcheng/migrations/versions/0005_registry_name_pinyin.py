"""registry: names sort by pinyin (name_pinyin, backfilled)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from longcheng.registry.search import pinyin_key

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

BATCH = 5000


def upgrade() -> None:
    op.add_column(
        "registry_org", sa.Column("name_pinyin", sa.String(length=400), nullable=False, server_default="")
    )
    bind = op.get_bind()
    org = sa.table(
        "registry_org",
        sa.column("id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("name_pinyin", sa.String),
    )
    last = 0
    while True:
        rows = bind.execute(
            sa.select(org.c.id, org.c.name).where(org.c.id > last).order_by(org.c.id).limit(BATCH)
        ).all()
        if not rows:
            break
        params = [{"b_id": i, "b_key": pinyin_key(n)} for i, n in rows]
        bind.execute(
            org.update().where(org.c.id == sa.bindparam("b_id")).values(name_pinyin=sa.bindparam("b_key")),
            params,
        )
        last = rows[-1][0]
    op.create_index("ix_registry_org_pinyin", "registry_org", ["name_pinyin", "id"])
    op.create_index("ix_registry_org_district_pinyin", "registry_org", ["district", "name_pinyin", "id"])


def downgrade() -> None:
    op.drop_index("ix_registry_org_district_pinyin", table_name="registry_org")
    op.drop_index("ix_registry_org_pinyin", table_name="registry_org")
    op.drop_column("registry_org", "name_pinyin")
