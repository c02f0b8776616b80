"""a person has at most one active merge link

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "uq_identity_merge_link_active",
        "identity_merge_link",
        ["person_id"],
        unique=True,
        sqlite_where=sa.text("split_at IS NULL"),
        postgresql_where=sa.text("split_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("uq_identity_merge_link_active", table_name="identity_merge_link")
