"""Alembic environment: the database URL comes from the config set by custodia.db."""

from __future__ import annotations

from alembic import context
from sqlalchemy import engine_from_config, pool

from custodia.db import Base, load_all_models

load_all_models()

target_metadata = Base.metadata


def run_migrations() -> None:
    config = context.config
    connectable = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with connectable.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()


run_migrations()
