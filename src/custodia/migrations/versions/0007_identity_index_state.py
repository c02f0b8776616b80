"""which name model built the identity index

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "identity_index_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name_model", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identity_index_state")),
    )
    # An index built before versions were kept is version 1: the next batch job rebuilds it.
    op.execute(
        "INSERT INTO identity_index_state (id, name_model) "
        "SELECT 1, 1 WHERE EXISTS (SELECT 1 FROM identity_profile)"
    )


def downgrade() -> None:
    op.drop_table("identity_index_state")
