"""tables of the identity room

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "identity_watchlist_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("list_name", sa.String(length=32), nullable=False),
        sa.Column("reference", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identity_watchlist_entry")),
        sa.UniqueConstraint(
            "list_name", "reference", name=op.f("uq_identity_watchlist_entry_list_name")
        ),
    )
    op.create_table(
        "identity_name_key",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_identity_name_key_person_id_person")
        ),
        sa.PrimaryKeyConstraint("key", "person_id", name=op.f("pk_identity_name_key")),
    )
    op.create_index(
        op.f("ix_identity_name_key_person_id"), "identity_name_key", ["person_id"], unique=False
    )
    op.create_table(
        "identity_profile",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_identity_profile_person_id_person")
        ),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_identity_profile")),
    )
    op.create_table(
        "identity_review_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("pair_key", sa.String(length=64), nullable=False),
        sa.Column("person_a_id", sa.Integer(), nullable=False),
        sa.Column("person_b_id", sa.Integer(), nullable=True),
        sa.Column("watchlist_entry_id", sa.Integer(), nullable=True),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("sources", sa.String(length=200), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_a_id"], ["person.id"], name=op.f("fk_identity_review_item_person_a_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["person_b_id"], ["person.id"], name=op.f("fk_identity_review_item_person_b_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["watchlist_entry_id"],
            ["identity_watchlist_entry.id"],
            name=op.f("fk_identity_review_item_watchlist_entry_id_identity_watchlist_entry"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identity_review_item")),
        sa.UniqueConstraint("pair_key", name=op.f("uq_identity_review_item_pair_key")),
    )
    op.create_index(
        op.f("ix_identity_review_item_person_a_id"),
        "identity_review_item",
        ["person_a_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_identity_review_item_person_b_id"),
        "identity_review_item",
        ["person_b_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_identity_review_item_status"), "identity_review_item", ["status"], unique=False
    )
    op.create_index(
        "ix_identity_review_item_status_score",
        "identity_review_item",
        ["status", "score"],
        unique=False,
    )
    op.create_index(
        op.f("ix_identity_review_item_watchlist_entry_id"),
        "identity_review_item",
        ["watchlist_entry_id"],
        unique=False,
    )
    op.create_table(
        "identity_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["app_user.id"], name=op.f("fk_identity_decision_decided_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["identity_review_item.id"],
            name=op.f("fk_identity_decision_item_id_identity_review_item"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identity_decision")),
    )
    op.create_index(
        op.f("ix_identity_decision_item_id"), "identity_decision", ["item_id"], unique=False
    )
    op.create_table(
        "identity_merge_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("survivor_id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("split_decision_id", sa.Integer(), nullable=True),
        sa.Column("split_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["identity_decision.id"],
            name=op.f("fk_identity_merge_link_decision_id_identity_decision"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_identity_merge_link_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["split_decision_id"],
            ["identity_decision.id"],
            name=op.f("fk_identity_merge_link_split_decision_id_identity_decision"),
        ),
        sa.ForeignKeyConstraint(
            ["survivor_id"], ["person.id"], name=op.f("fk_identity_merge_link_survivor_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identity_merge_link")),
    )
    op.create_index(
        op.f("ix_identity_merge_link_person_id"), "identity_merge_link", ["person_id"], unique=False
    )
    op.create_index(
        op.f("ix_identity_merge_link_survivor_id"),
        "identity_merge_link",
        ["survivor_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_table("identity_merge_link")
    op.drop_table("identity_decision")
    op.drop_table("identity_review_item")
    op.drop_table("identity_profile")
    op.drop_table("identity_name_key")
    op.drop_table("identity_watchlist_entry")
