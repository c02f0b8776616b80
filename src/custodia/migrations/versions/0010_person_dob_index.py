"""an index on a person's earliest date of birth

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # intake counts the records born on a day or in a month (how rare an agreement is)
    op.create_index("ix_person_dob_earliest", "person", ["dob_earliest"])


def downgrade() -> None:
    op.drop_index("ix_person_dob_earliest", table_name="person")
