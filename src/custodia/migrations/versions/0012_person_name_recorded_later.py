"""a name recorded for a person after registration (an alias learnt at interview, a kunya
from a report) says when it was recorded, by whom and from what source; names captured at
registration leave the three empty; such a name found wrong is withdrawn (when, by whom,
why), never deleted; a watchlist entry says when it was last screened against every
person (and by which name model), so a run screens only new or changed entries; and the
identity index counts its rewrites
(``generation``), so every server process knows when its name-key counts are out of date

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # batch mode: SQLite adds a column with a foreign key only by copying the table
    with op.batch_alter_table("person_name") as batch:
        batch.add_column(sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("recorded_by", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("source", sa.String(300), nullable=True))
        batch.create_foreign_key("fk_person_name_recorded_by", "app_user", ["recorded_by"], ["id"])
        batch.add_column(sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("withdrawn_by", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("withdrawal_reason", sa.String(300), nullable=True))
        batch.create_foreign_key(
            "fk_person_name_withdrawn_by", "app_user", ["withdrawn_by"], ["id"]
        )
    with op.batch_alter_table("identity_index_state") as batch:
        batch.add_column(
            sa.Column("generation", sa.Integer(), nullable=False, server_default=sa.text("0"))
        )
    with op.batch_alter_table("identity_watchlist_entry") as batch:
        batch.add_column(sa.Column("screened_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("screened_model", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("identity_watchlist_entry") as batch:
        batch.drop_column("screened_model")
        batch.drop_column("screened_at")
    with op.batch_alter_table("identity_index_state") as batch:
        batch.drop_column("generation")
    with op.batch_alter_table("person_name") as batch:
        batch.drop_constraint("fk_person_name_withdrawn_by", type_="foreignkey")
        batch.drop_column("withdrawal_reason")
        batch.drop_column("withdrawn_by")
        batch.drop_column("withdrawn_at")
        batch.drop_constraint("fk_person_name_recorded_by", type_="foreignkey")
        batch.drop_column("source")
        batch.drop_column("recorded_by")
        batch.drop_column("recorded_at")
