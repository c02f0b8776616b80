"""tables of the biometrics room

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "biometric_image",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.SmallInteger(), nullable=False),
        sa.Column("media_type", sa.String(length=40), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("captured_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_biometric_image_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_biometric_image")),
    )
    op.create_index(
        op.f("ix_biometric_image_person_id"), "biometric_image", ["person_id"], unique=False
    )
    op.create_table(
        "biometric_template",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.SmallInteger(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("quality", sa.SmallInteger(), nullable=False),
        sa.Column("minutiae_count", sa.Integer(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("minutiae", sa.LargeBinary(), nullable=False),
        sa.Column("lsh_keys", sa.LargeBinary(), nullable=False),
        sa.Column("image_id", sa.Integer(), nullable=True),
        sa.Column("enrolled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("enrolled_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["enrolled_by"],
            ["app_user.id"],
            name=op.f("fk_biometric_template_enrolled_by_app_user"),
        ),
        sa.ForeignKeyConstraint(
            ["image_id"],
            ["biometric_image.id"],
            name=op.f("fk_biometric_template_image_id_biometric_image"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_biometric_template_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_biometric_template")),
    )
    op.create_index(
        "ix_biometric_template_person_position",
        "biometric_template",
        ["person_id", "position"],
        unique=False,
    )
    op.create_index(
        "ix_biometric_template_active_id", "biometric_template", ["active", "id"], unique=False
    )
    op.create_table(
        "biometric_job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.SmallInteger(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("image_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("template_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["image_id"],
            ["biometric_image.id"],
            name=op.f("fk_biometric_job_image_id_biometric_image"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_biometric_job_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["biometric_template.id"],
            name=op.f("fk_biometric_job_template_id_biometric_template"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_biometric_job")),
    )
    op.create_index("ix_biometric_job_status_id", "biometric_job", ["status", "id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_biometric_job_status_id", table_name="biometric_job")
    op.drop_table("biometric_job")
    op.drop_index("ix_biometric_template_active_id", table_name="biometric_template")
    op.drop_index("ix_biometric_template_person_position", table_name="biometric_template")
    op.drop_table("biometric_template")
    op.drop_index(op.f("ix_biometric_image_person_id"), table_name="biometric_image")
    op.drop_table("biometric_image")
