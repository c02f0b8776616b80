"""Properties of the scenario gazetteer (pure data, no database)."""

from __future__ import annotations

import pytest

from custodia.scenario.gazetteer import (
    ALL_SITES,
    CAMPS,
    DETENTION_SITES,
    ORGANIZATIONS,
    RECEIVING_FACILITY,
    STAGING_AIRFIELDS,
    haversine_km,
    site_by_code,
)

NES_LAT = (34.5, 37.4)
NES_LON = (38.0, 42.4)
BAGHDAD_AIRPORT = (33.2625, 44.2346)


def _in_north_east_syria(lat: float, lon: float) -> bool:
    return NES_LAT[0] <= lat <= NES_LAT[1] and NES_LON[0] <= lon <= NES_LON[1]


def test_twenty_five_prisons_and_holding_sites_in_north_east_syria() -> None:
    assert len(DETENTION_SITES) == 25
    for site in DETENTION_SITES:
        assert site.kind in ("prison", "holding_site")
        assert _in_north_east_syria(site.lat, site.lon), site.code


def test_detention_capacity_matches_the_scale_of_the_system() -> None:
    capacities = [s.capacity for s in DETENTION_SITES]
    assert 7000 <= sum(capacities) <= 8000
    assert max(capacities) >= 1500
    assert sum(1 for c in capacities if c <= 400) >= 15


def test_several_sites_share_the_main_town() -> None:
    assert sum(1 for s in DETENTION_SITES if s.town == "al-Hasakah") >= 3


def test_ras_al_ayn_is_not_used() -> None:
    assert all("ras al-ayn" not in s.town.lower() for s in ALL_SITES)


def test_site_codes_are_unique_and_resolvable() -> None:
    codes = [s.code for s in ALL_SITES]
    assert len(codes) == len(set(codes))
    assert site_by_code("HSK-01") is DETENTION_SITES[0]
    with pytest.raises(KeyError):
        site_by_code("NOPE-99")


def test_camps_and_airfields_are_in_north_east_syria() -> None:
    names = {c.name for c in CAMPS}
    assert any("Hol" in n for n in names) and any("Roj" in n for n in names)
    assert max(CAMPS, key=lambda c: c.capacity).name.startswith("al-Hol")
    assert 2 <= len(STAGING_AIRFIELDS) <= 3
    for site in (*CAMPS, *STAGING_AIRFIELDS):
        assert _in_north_east_syria(site.lat, site.lon), site.code
    assert all(a.kind == "staging_airfield" and a.capacity <= 1000 for a in STAGING_AIRFIELDS)


def test_receiving_facility_is_near_baghdad_airport() -> None:
    assert RECEIVING_FACILITY.kind == "receiving_facility"
    distance = haversine_km(RECEIVING_FACILITY.lat, RECEIVING_FACILITY.lon, *BAGHDAD_AIRPORT)
    assert distance <= 30.0
    assert RECEIVING_FACILITY.capacity >= 6000


def test_haversine_known_distances() -> None:
    assert haversine_km(36.5, 40.75, 36.5, 40.75) == 0.0
    # one degree of latitude is about 111 km
    assert haversine_km(35.0, 40.0, 36.0, 40.0) == pytest.approx(111.2, abs=0.5)
    # al-Hasakah to Baghdad is a bit over 500 km
    assert 480 < haversine_km(36.5024, 40.7477, *BAGHDAD_AIRPORT) < 560
    assert haversine_km(1.0, 2.0, 3.0, 4.0) == pytest.approx(haversine_km(3.0, 4.0, 1.0, 2.0))


def test_organizations_around_the_table() -> None:
    kinds = {o.kind for o in ORGANIZATIONS}
    for needed in (
        "guard_force",
        "intelligence",
        "diplomatic",
        "military",
        "embassy",
        "law_enforcement",
        "monitor",
        "camp_administration",
    ):
        assert needed in kinds
    countries = {o.kind: o.country for o in ORGANIZATIONS}
    assert countries["guard_force"] == "SY"
    assert countries["monitor"] == "CH"
    assert any(o.country == "IQ" for o in ORGANIZATIONS)
    assert all(len(o.country) == 2 and o.country.isupper() for o in ORGANIZATIONS)
    assert len({o.code for o in ORGANIZATIONS}) == len(ORGANIZATIONS)
