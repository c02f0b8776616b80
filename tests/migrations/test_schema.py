"""The migrations build exactly the schema the models declare, on both backends: a column
a model gained without a migration (or a migration without its model) fails here, not in
production."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine

from custodia.db import Base


def test_the_migrations_build_the_schema_the_models_declare(engine: Engine) -> None:
    with engine.connect() as connection:
        diffs = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diffs == []
