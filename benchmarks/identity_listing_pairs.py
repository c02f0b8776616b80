"""One listed individual is one man: how many records of a listed man, registered under
an alias that shares no name part with his real name, are brought to review beside the
record confirmed under his real name, by names alone and by the confirmed listing.

On a copy of a `custodia demo --no-serve` database with the UN list loaded: for every UN
individual with a Latin-script Good alias sharing no name part with his primary name, a
record under the primary name (with the listed birth year and nationality) is registered
and its watchlist hit confirmed `same`; then a record under the alias is registered, as
intake does it. Reported, over the alias records whose own hit intake raised (the listing
can join only those): the share paired with the real-name record by names and dates
(`names`, `intake`), and the share paired at all (with `listing`); and the time to register
an alias record; and every pair the listing proposed in the whole registry, with how many
join two records of one man (the rest are hits on namesakes, for the reviewer to reject).

Usage: PYTHONPATH=src:benchmarks .venv/bin/python benchmarks/identity_listing_pairs.py \
    sqlite:////tmp/copy.db > benchmarks/results/identity_listing_pairs.json
(the database is written to: use a copy)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sqlalchemy import Engine, select

from custodia.db import get_engine, read_session, unit_of_work
from custodia.identity import index
from custodia.identity import models as m
from custodia.identity import service as identity
from custodia.identity.arabic import has_arabic
from custodia.identity.watchlist import ListedIndividual, read_un_xml
from custodia.registry import service as registry
from custodia.registry.models import PersonCategory, Sex
from custodia.registry.schemas import NameIn, PersonIn
from harness import emit, log, machine_info, percentiles
from identity_un_aliases import _shares_a_part

UN_XML = (
    Path(__file__).resolve().parents[1].parent
    / "shared/data/un-sc-consolidated-2015/consolidated-2015-03-13.xml"
)
NAMES_SOURCES = frozenset({"names", "intake"})


def _person(name: str, entry: ListedIndividual) -> PersonIn:
    return PersonIn(
        category=PersonCategory.DETAINEE,
        sex=Sex.MALE,
        date_of_birth=entry.dates_of_birth[0][:4] if entry.dates_of_birth else None,
        nationalities=entry.nationalities[:1],
        names=[NameIn(full_name=name[:300])],
    )


def _alias_apart(entry: ListedIndividual) -> str | None:
    """A Latin Good alias sharing no name part with the primary name, if the list has one."""
    primary = next(n.name for n in entry.names if n.quality == "primary")
    for n in entry.names:
        if n.quality == "good" and not has_arabic(n.name) and not _shares_a_part(n.name, [primary]):
            return n.name
    return None


def _hits(engine: Engine, person_id: int) -> list[int]:
    with read_session(engine) as session:
        return [
            i.id for i in identity.list_queue(session, kind="watchlist", person_id=person_id).items
        ]


def _pair_sources(engine: Engine, a: int, b: int) -> set[str]:
    with read_session(engine) as session:
        rows = session.scalars(
            select(m.ReviewItem.sources).where(
                m.ReviewItem.person_a_id == min(a, b), m.ReviewItem.person_b_id == max(a, b)
            )
        ).all()
    return {s for row in rows for s in row.split(",")}


def main() -> None:
    engine = get_engine(sys.argv[1])
    with unit_of_work(engine) as session:
        index.ensure_indexed(session)
        identity.import_un_sc_list(session, path=UN_XML)
    chosen = [(e, a) for e in read_un_xml(UN_XML) if (a := _alias_apart(e)) is not None]
    log(f"{len(chosen)} UN individuals with an alias sharing no part with the primary name")
    asked = by_names = paired = confirmed = 0
    planted: set[tuple[int, int]] = set()
    register_ms: list[float] = []
    for entry, alias in chosen:
        primary = next(n.name for n in entry.names if n.quality == "primary")
        with unit_of_work(engine) as session:
            (real,) = registry.register_persons(session, persons_in=[_person(primary, entry)])
        real_hits = _hits(engine, real)
        if not real_hits:
            continue
        with unit_of_work(engine) as session:
            for item in real_hits:  # the real-name record is the listed man
                identity.decide(session, item_id=item, decision="same", note="", actor_id=None)
        confirmed += 1
        started = time.perf_counter()
        with unit_of_work(engine) as session:
            (other,) = registry.register_persons(session, persons_in=[_person(alias, entry)])
        register_ms.append(1000 * (time.perf_counter() - started))
        if not _hits(engine, other):
            continue  # the alias raised no hit: the listing cannot join the two
        asked += 1
        planted.add((min(real, other), max(real, other)))
        sources = _pair_sources(engine, real, other)
        by_names += bool(sources & NAMES_SOURCES)
        paired += bool(sources)
    with read_session(engine) as session:
        listing_pairs = {
            (a, b)
            for a, b, sources in session.execute(
                select(m.ReviewItem.person_a_id, m.ReviewItem.person_b_id, m.ReviewItem.sources)
            ).tuples()
            if b is not None and "listing" in sources.split(",")
        }
    emit(
        {
            "benchmark": "identity_listing_pairs",
            # every pair the listing proposed, and those joining two records of one man
            "listing_pairs": len(listing_pairs),
            "listing_pairs_of_one_man": len(listing_pairs & planted),
            "individuals_with_an_alias_apart": len(chosen),
            "real_name_hit_confirmed": confirmed,
            "alias_records_whose_hit_intake_raised": asked,
            "paired_by_names": round(by_names / asked, 4) if asked else None,
            "paired_at_all": round(paired / asked, 4) if asked else None,
            "register_alias_record_ms": percentiles(register_ms),
            "machine": machine_info(),
        }
    )


if __name__ == "__main__":
    main()
