"""who opened a discrepancy, who recorded a sortie's departure and arrival

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = (
    ("discrepancy", "opened_by"),
    ("transfer_sortie", "departed_by"),
    ("transfer_sortie", "arrived_by"),
)


def upgrade() -> None:
    # batch mode: SQLite adds a column with a foreign key only by copying the table
    for table, column in _COLUMNS:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column(column, sa.Integer(), nullable=True))
            batch.create_foreign_key(f"fk_{table}_{column}", "app_user", [column], ["id"])
    # a roll call's discrepancies were opened by whoever recorded the roll call
    op.execute(
        "UPDATE discrepancy SET opened_by = "
        "(SELECT recorded_by FROM roll_call WHERE roll_call.id = discrepancy.roll_call_id) "
        "WHERE roll_call_id IS NOT NULL"
    )


def downgrade() -> None:
    for table, column in reversed(_COLUMNS):
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(f"fk_{table}_{column}", type_="foreignkey")
            batch.drop_column(column)
