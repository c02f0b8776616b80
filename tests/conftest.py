"""Database fixtures: every test that needs a database runs on SQLite and, when
``CUSTODIA_TEST_POSTGRES_URL`` is set, on PostgreSQL too, each time on a fresh copy of a
migrated template (a file copy on SQLite, CREATE DATABASE ... TEMPLATE on PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text, update
from sqlalchemy.engine import make_url

from custodia.db import dispose_engines, get_engine, unit_of_work, upgrade_database
from custodia.registry import service as registry
from custodia.registry.models import ApiToken, FacilityKind, Role
from custodia.registry.schemas import FacilityIn, OrganizationIn, UserIn

POSTGRES_URL = os.environ.get("CUSTODIA_TEST_POSTGRES_URL")
BACKENDS = ["sqlite", "postgres"]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade_database(f"sqlite:///{path}")
    dispose_engines()
    return path


def _admin_url(url: str, database: str) -> str:
    return make_url(url).set(database=database).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    if not POSTGRES_URL:
        pytest.skip("CUSTODIA_TEST_POSTGRES_URL is not set")
    name = f"custodia_tpl_{uuid.uuid4().hex[:8]}"
    admin = create_engine(_admin_url(POSTGRES_URL, "postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    upgrade_database(_admin_url(POSTGRES_URL, name))
    dispose_engines()
    yield name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A freshly migrated, empty database on each backend."""
    if request.param == "sqlite":
        path = tmp_path / "custodia.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield get_engine(f"sqlite:///{path}")
        dispose_engines()
        return
    template = request.getfixturevalue("postgres_template")
    assert POSTGRES_URL is not None
    name = f"custodia_t_{uuid.uuid4().hex[:10]}"
    admin = create_engine(_admin_url(POSTGRES_URL, "postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    yield get_engine(_admin_url(POSTGRES_URL, name))
    dispose_engines()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@dataclass
class World:
    """A small detention system: two guard-force prisons, a camp, a receiving facility
    under another authority, and one user per role."""

    engine: Engine
    guard_force: int
    receiving_government: int
    prison_a: int
    prison_b: int
    camp: int
    receiving: int
    users: dict[str, int]

    def revoke_token(self, token: str) -> None:
        """Revoke ``token`` in the table, as another process (or a database operator) would:
        the tests of a server that must notice without being told."""
        table = ApiToken.__table__
        with self.engine.begin() as conn:
            conn.execute(
                update(table)
                .where(table.c.token_hash == hashlib.sha256(token.encode()).hexdigest())
                .values(revoked_at=dt.datetime.now(dt.UTC))
            )


@pytest.fixture
def world(engine: Engine) -> World:
    with unit_of_work(engine) as session:
        guard = registry.create_organization(
            session,
            org_in=OrganizationIn(
                code="NESGF", name="North-East Syria Guard Force", kind="guard_force", country="SY"
            ),
        )
        iraq = registry.create_organization(
            session,
            org_in=OrganizationIn(
                code="IQ-MOJ",
                name="Iraqi Ministry of Justice",
                kind="receiving_government",
                country="IQ",
            ),
        )
        users = {
            role.value: registry.create_user(
                session,
                user_in=UserIn(
                    username=role.value.replace("_", "-"),
                    display_name=role.value,
                    organization_id=guard.id,
                    role=role,
                ),
            ).id
            for role in Role
        }

        def facility(
            code: str, kind: FacilityKind, town: str, lat: float, lon: float, authority: int
        ) -> int:
            return registry.create_facility(
                session,
                facility_in=FacilityIn(
                    code=code,
                    name=f"{town} {kind.value}",
                    kind=kind,
                    town=town,
                    latitude=lat,
                    longitude=lon,
                    capacity=500,
                    authority_id=authority,
                ),
            ).id

        return World(
            engine=engine,
            guard_force=guard.id,
            receiving_government=iraq.id,
            prison_a=facility("HSK-01", FacilityKind.PRISON, "Hasakah", 36.50, 40.75, guard.id),
            prison_b=facility("QAM-01", FacilityKind.PRISON, "Qamishli", 37.05, 41.22, guard.id),
            camp=facility("HOL-C", FacilityKind.CAMP, "al-Hol", 36.38, 41.15, guard.id),
            receiving=facility(
                "BGW-R", FacilityKind.RECEIVING_FACILITY, "Baghdad", 33.26, 44.23, iraq.id
            ),
            users=users,
        )
