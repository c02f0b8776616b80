"""tables of the transfers room

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SEQ = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "transfer_assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("assessed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_transfer_assessment_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"],
            ["app_user.id"],
            name=op.f("fk_transfer_assessment_recorded_by_app_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transfer_assessment")),
        sa.UniqueConstraint("ref", name=op.f("uq_transfer_assessment_ref")),
    )
    op.create_index(op.f("ix_transfer_assessment_person_id"), "transfer_assessment", ["person_id"])
    op.create_table(
        "transfer_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("solver_version", sa.String(length=200), nullable=False),
        sa.Column("objective", sa.Float(), nullable=False),
        sa.Column("lower_bound", sa.Float(), nullable=False),
        sa.Column("gap", sa.Float(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("checker_report", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["transfer_plan.id"],
            name=op.f("fk_transfer_plan_parent_id_transfer_plan"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["app_user.id"], name=op.f("fk_transfer_plan_created_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transfer_plan")),
    )
    op.create_table(
        "transfer_sortie",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Integer(), nullable=False),
        sa.Column("aircraft", sa.String(length=32), nullable=False),
        sa.Column("origin_facility_id", sa.Integer(), nullable=True),
        sa.Column("destination_facility_id", sa.Integer(), nullable=True),
        sa.Column("movement_id", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("departed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("arrived_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["transfer_plan.id"], name=op.f("fk_transfer_sortie_plan_id_transfer_plan")
        ),
        sa.ForeignKeyConstraint(
            ["origin_facility_id"],
            ["facility.id"],
            name=op.f("fk_transfer_sortie_origin_facility_id_facility"),
        ),
        sa.ForeignKeyConstraint(
            ["destination_facility_id"],
            ["facility.id"],
            name=op.f("fk_transfer_sortie_destination_facility_id_facility"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transfer_sortie")),
        sa.UniqueConstraint("movement_id", name=op.f("uq_transfer_sortie_movement_id")),
        sa.UniqueConstraint("plan_id", "code", name=op.f("uq_transfer_sortie_plan_id")),
    )
    op.create_index(op.f("ix_transfer_sortie_plan_id"), "transfer_sortie", ["plan_id"])
    op.create_table(
        "transfer_manifest_line",
        sa.Column("sortie_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("boarded_seq", _SEQ, nullable=True),
        sa.Column("received", sa.Boolean(), nullable=False),
        sa.Column("intake_seq", _SEQ, nullable=True),
        sa.ForeignKeyConstraint(
            ["sortie_id"],
            ["transfer_sortie.id"],
            name=op.f("fk_transfer_manifest_line_sortie_id_transfer_sortie"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_transfer_manifest_line_person_id_person")
        ),
        sa.PrimaryKeyConstraint("sortie_id", "person_id", name=op.f("pk_transfer_manifest_line")),
    )
    op.create_index(
        op.f("ix_transfer_manifest_line_person_id"), "transfer_manifest_line", ["person_id"]
    )
    op.create_table(
        "transfer_notification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sortie_id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("persons", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sortie_id"],
            ["transfer_sortie.id"],
            name=op.f("fk_transfer_notification_sortie_id_transfer_sortie"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transfer_notification")),
        sa.UniqueConstraint("sortie_id", name=op.f("uq_transfer_notification_sortie_id")),
        sa.UniqueConstraint("ref", name=op.f("uq_transfer_notification_ref")),
    )


def downgrade() -> None:
    op.drop_table("transfer_notification")
    op.drop_index(op.f("ix_transfer_manifest_line_person_id"), table_name="transfer_manifest_line")
    op.drop_table("transfer_manifest_line")
    op.drop_index(op.f("ix_transfer_sortie_plan_id"), table_name="transfer_sortie")
    op.drop_table("transfer_sortie")
    op.drop_table("transfer_plan")
    op.drop_index(op.f("ix_transfer_assessment_person_id"), table_name="transfer_assessment")
    op.drop_table("transfer_assessment")
