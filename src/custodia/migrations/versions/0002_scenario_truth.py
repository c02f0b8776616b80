"""scenario ground truth: duplicate person records

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "scenario_duplicate",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("true_person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_scenario_duplicate_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["true_person_id"],
            ["person.id"],
            name=op.f("fk_scenario_duplicate_true_person_id_person"),
        ),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_scenario_duplicate")),
    )
    op.create_index(
        op.f("ix_scenario_duplicate_true_person_id"),
        "scenario_duplicate",
        ["true_person_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_scenario_duplicate_true_person_id"), table_name="scenario_duplicate")
    op.drop_table("scenario_duplicate")
