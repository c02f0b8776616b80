"""Engine, unit of work and migrations.

SQLite is the embedded default and PostgreSQL the production database; the same code
runs on both. On SQLite every writing unit of work opens with ``BEGIN IMMEDIATE`` so
two writers never both read the ledger head and then race to append after it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import (
    DateTime,
    Dialect,
    Engine,
    MetaData,
    create_engine,
    event,
    text,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from custodia.config import get_settings
from custodia.errors import Invalid

_NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=_NAMING)


_engines: dict[str, Engine] = {}
_WRITE_OPTION = "custodia_write"


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from pysqlite so BEGIN IMMEDIATE is possible.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get(_WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


# The widest whole number either database stores in an id, count or offset column.
LARGEST_NUMBER = {"sqlite": 2**63 - 1, "postgresql": 2**31 - 1}
# The largest id: PostgreSQL's id columns are 32-bit integers.
MAX_ID = LARGEST_NUMBER["postgresql"]


_NUL_REFUSED = (
    "a text given holds the NUL character (\\x00), which no record can store: "
    "remove it and send again"
)


def _holds_nul(parameters: Any) -> bool:
    """Does any text among a statement's parameters (one row or many) hold a NUL?"""
    rows = parameters if isinstance(parameters, list) else (parameters,)
    for row in rows:
        values = row.values() if isinstance(row, dict) else row
        if any(type(v) is str and "\x00" in v for v in values or ()):
            return True
    return False


def _refuse_nul_in_text(engine: Engine) -> None:
    """PostgreSQL refuses a NUL in any text, SQLite would store it: refuse it before SQLite
    sees it, so that a note or a look-up holding one is answered alike on both databases and
    a registry built on SQLite can always move to PostgreSQL."""

    @event.listens_for(engine, "before_cursor_execute")
    def _on_execute(
        _conn: Any, _cursor: Any, _statement: str, parameters: Any, *_rest: Any
    ) -> None:
        if parameters and _holds_nul(parameters):
            raise Invalid(_NUL_REFUSED)


def _refuse_values_no_column_holds(engine: Engine) -> None:
    """A number no column can hold (an id of 30 digits typed or sent by mistake), or a NUL
    character in a text sent to PostgreSQL, is the caller's fault, not the server's: say so
    as Invalid, whichever interface sent it, instead of the driver's OverflowError (SQLite)
    or out-of-range or NUL error (PostgreSQL)."""
    largest = LARGEST_NUMBER.get(engine.dialect.name, MAX_ID)

    @event.listens_for(engine, "handle_error")
    def _on_error(context: Any) -> None:
        error = context.original_exception
        if isinstance(error, OverflowError) or type(error).__name__ == "NumericValueOutOfRange":
            raise Invalid(
                f"a number given is out of range: ids, counts and offsets are whole numbers "
                f"from 0 to {largest:,}"
            ) from None
        if "NUL (0x00)" in str(error):  # PostgreSQL stores no NUL character in text
            raise Invalid(_NUL_REFUSED) from None


_ROOMS_WITH_TABLES = (
    "registry",
    "ledger",
    "custody",
    "scenario",
    "access",
    "identity",
    "transfers",
    "biometrics",
)


def load_all_models() -> None:
    """Import every room's tables, so foreign keys across rooms resolve in any process."""
    import importlib

    for room in _ROOMS_WITH_TABLES:
        importlib.import_module(f"custodia.{room}.models")


def get_engine(url: str | None = None) -> Engine:
    """Return the process-wide engine for ``url`` (default: the configured database)."""
    load_all_models()
    settings = get_settings()
    url = url or settings.effective_database_url
    engine = _engines.get(url)
    if engine is None:
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite":
            if parsed.database and parsed.database != ":memory:":
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, connect_args={"check_same_thread": False})
            _configure_sqlite(engine, settings.sqlite_busy_timeout_ms)
            _refuse_nul_in_text(engine)
        else:
            engine = create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)
        _refuse_values_no_column_holds(engine)
        _engines[url] = engine
    return engine


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def dispose_engines() -> None:
    for engine in _engines.values():
        engine.dispose()
    _engines.clear()
    _factories.clear()


_factories: dict[int, tuple[sessionmaker[Session], sessionmaker[Session]]] = {}


def _session_factories(engine: Engine) -> tuple[sessionmaker[Session], sessionmaker[Session]]:
    """(reader, writer) session factories of ``engine``, made once: building them per
    transaction costs more than a small write itself."""
    factories = _factories.get(id(engine))
    if factories is None or factories[0].kw["bind"] is not engine:
        writer = engine.execution_options(**{_WRITE_OPTION: True})
        factories = (sessionmaker(bind=engine), sessionmaker(bind=writer, expire_on_commit=False))
        _factories[id(engine)] = factories
    return factories


@contextmanager
def unit_of_work(engine: Engine | None = None) -> Iterator[Session]:
    """One transaction for one write: commits when the block ends, rolls back on error."""
    session = _session_factories(engine or get_engine())[1]()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


@contextmanager
def read_session(engine: Engine | None = None) -> Iterator[Session]:
    """A read-only session; whatever it did is rolled back."""
    session = _session_factories(engine or get_engine())[0]()
    try:
        yield session
    finally:
        session.rollback()
        session.close()


def alembic_config(url: str) -> Any:
    from alembic.config import Config

    migrations = Path(__file__).parent / "migrations"
    config = Config()
    config.set_main_option("script_location", str(migrations))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade_database(url: str | None = None) -> str:
    """Apply every Alembic migration; return the revision the database is now at."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    engine = get_engine(url)
    command.upgrade(alembic_config(engine.url.render_as_string(hide_password=False)), "head")
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision() or "base"


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Timezone-aware UTC on every backend (SQLite keeps no offset of its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where UTC is required")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


def refresh_planner_statistics(session: Session) -> None:
    """After a bulk load on PostgreSQL: ANALYZE, so that the planner knows the tables' new
    sizes (autovacuum would, minutes later; until then a range on the index of a table just
    filled is planned as a scan of the whole table: 35 ms instead of 0.03 ms for the keys
    of the persons indexed since the last search). SQLite plans without statistics."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("ANALYZE"))


def vacuum_after_commit(session: Session, tables: Sequence[str] = ()) -> None:
    """Once ``session``'s transaction has committed a bulk load, on PostgreSQL: VACUUM
    (ANALYZE) ``tables`` (none: the whole database). ANALYZE alone gives the planner the
    new sizes; the vacuum marks the pages all-visible, so that a search reads the name
    index alone (an index-only scan) instead of visiting a table page per key: 6.8 ms
    instead of 16.4 ms for a common name's postings on the 46,000-person scenario.
    Autovacuum would, later, where it is on. After the commit, on a connection of its own,
    as VACUUM must run outside any transaction; nothing if the transaction rolls back.
    SQLite needs neither."""
    engine = session.get_bind()
    if not isinstance(engine, Engine) or engine.dialect.name != "postgresql":
        return
    preparer = engine.dialect.identifier_preparer
    statement = f"VACUUM (ANALYZE) {', '.join(preparer.quote(t) for t in tables)}".rstrip()

    def vacuum(_: Session) -> None:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(statement))

    event.listen(session, "after_commit", vacuum, once=True)


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def iso_utc(value: dt.datetime) -> str:
    """The one textual form of an instant: ``2026-11-25T13:00:00.000000Z``."""
    # isoformat is several times faster than strftime, and timespec keeps the microseconds
    # even when they are zero.
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")[:-6] + "Z"


def insert_if_absent(session: Session, model: Any, key: str, **values: Any) -> bool:
    """INSERT a row unless one with the same unique ``key`` exists, in one statement
    (ON CONFLICT DO NOTHING): two transactions making the same row at once do not fail, the
    second waits for the first's row and leaves it. Returns whether this call inserted it."""
    dialect = session.get_bind().dialect.name
    insert_row = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = (
        insert_row(model)
        .values(**values)
        .on_conflict_do_nothing(index_elements=[key])
        .returning(getattr(model, key))
    )
    return session.execute(statement).first() is not None


def insert_rows(
    session: Session,
    table: Any,
    columns: tuple[str, ...],
    rows: list[tuple[Any, ...]],
    *,
    replace_on: tuple[str, ...] = (),
) -> None:
    """Insert many rows straight through the driver's executemany, replacing those whose
    ``replace_on`` key exists. For the hot append paths (ledger, custody projection), where
    SQLAlchemy's per-row parameter processing costs more than the work itself: values must
    be what the driver takes, except timezone-aware datetimes, which are stored as
    SQLAlchemy stores them."""
    if not rows:
        return
    connection = session.connection()
    sqlite = connection.dialect.name == "sqlite"
    sql, instants = _insert_sql(table, columns, replace_on, sqlite)
    if sqlite and instants:
        memo: dict[Any, Any] = {}  # a batch shares its recorded_at and often its occurred_at
        rows = [_with_sqlite_instants(row, instants, memo) for row in rows]
    for start in range(0, len(rows), 5000):
        connection.exec_driver_sql(sql, rows[start : start + 5000])


def _with_sqlite_instants(
    row: tuple[Any, ...], instants: tuple[int, ...], memo: dict[Any, Any]
) -> tuple[Any, ...]:
    values = list(row)
    for i in instants:
        value = values[i]
        text = memo.get(value)
        if text is None:
            text = memo[value] = _sqlite_instant(value)
        values[i] = text
    return tuple(values)


def _sqlite_instant(value: Any) -> Any:
    if isinstance(value, dt.datetime):  # SQLAlchemy's SQLite storage format
        return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
    return value


@lru_cache(maxsize=64)
def _insert_sql(
    table: Any, columns: tuple[str, ...], replace_on: tuple[str, ...], sqlite: bool
) -> tuple[str, tuple[int, ...]]:
    """The statement in the driver's own parameter style, and which positions hold instants.
    "ON CONFLICT ... DO UPDATE" reads the same on SQLite and PostgreSQL."""
    unknown = set(columns) - set(table.c.keys())
    if unknown:
        raise ValueError(f"{table.name} has no columns {sorted(unknown)}")
    marks = ", ".join(["?" if sqlite else "%s"] * len(columns))
    # Names checked against the table's own columns above; values are bound parameters.
    sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608
    if replace_on:
        updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in replace_on)
        sql += f" ON CONFLICT ({', '.join(replace_on)}) DO UPDATE SET {updates}"
    instants = tuple(i for i, c in enumerate(columns) if isinstance(table.c[c].type, UTCDateTime))
    return sql, instants


def driver_rows(session: Session, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Rows of a small hot-path query (written with ``?`` placeholders) run straight by the
    driver, skipping SQLAlchemy's statement cache: on a one-event transaction that overhead
    is most of the cost. Values come back as the driver returns them (see ``driver_instant``)."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        sql = sql.replace("?", "%s")
    return list(connection.exec_driver_sql(sql, params).tuples())


def in_list(count: int) -> str:
    """``(?, ?, ...)`` for an IN clause over ``count`` values."""
    return "(" + ", ".join("?" * count) + ")"


def driver_instant(value: Any) -> dt.datetime:
    """An instant as the driver returned it (SQLite: stored text) made timezone-aware UTC."""
    if isinstance(value, str):
        return dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)  # type: ignore[no-any-return]
