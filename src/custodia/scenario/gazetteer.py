"""Gazetteer of the synthetic scenario: sites, camps, airfields and organizations.

Places are real towns of north-east Syria (and one site near Baghdad International
Airport) at town-level coordinates; the facility names, capacities and organizations
are invented for the scenario and describe no real installation or agency.

Everything here is immutable data plus pure functions; nothing is read or written.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

__all__ = [
    "ALL_SITES",
    "CAMPS",
    "DETENTION_SITES",
    "EARTH_RADIUS_KM",
    "ORGANIZATIONS",
    "ORGANIZATION_KINDS",
    "RECEIVING_FACILITY",
    "SITE_KINDS",
    "STAGING_AIRFIELDS",
    "Organization",
    "Site",
    "haversine_km",
    "organization_by_code",
    "site_by_code",
]

SITE_KINDS: Final[tuple[str, ...]] = (
    "prison",
    "holding_site",
    "camp",
    "staging_airfield",
    "receiving_facility",
)

ORGANIZATION_KINDS: Final[tuple[str, ...]] = (
    "guard_force",
    "intelligence",
    "diplomatic",
    "military",
    "embassy",
    "law_enforcement",
    "justice",
    "corrections",
    "monitor",
    "camp_administration",
)

EARTH_RADIUS_KM: Final[float] = 6371.0088


@dataclass(frozen=True, slots=True)
class Site:
    """A place where people are held: prison, holding site, camp, airfield, facility."""

    code: str
    name: str
    kind: str
    town: str
    lat: float
    lon: float
    capacity: int

    def __post_init__(self) -> None:
        if self.kind not in SITE_KINDS:
            raise ValueError(f"unknown site kind {self.kind!r}")
        if not (-90.0 <= self.lat <= 90.0 and -180.0 <= self.lon <= 180.0):
            raise ValueError(f"coordinates out of range for {self.code}")
        if self.capacity <= 0:
            raise ValueError(f"capacity must be positive for {self.code}")


@dataclass(frozen=True, slots=True)
class Organization:
    """An agency around the coordination table; ``country`` is ISO 3166-1 alpha-2."""

    code: str
    name: str
    kind: str
    country: str

    def __post_init__(self) -> None:
        if self.kind not in ORGANIZATION_KINDS:
            raise ValueError(f"unknown organization kind {self.kind!r}")
        if len(self.country) != 2 or not self.country.isupper():
            raise ValueError(f"country must be ISO 3166-1 alpha-2, got {self.country!r}")


def _p(code: str, name: str, town: str, lat: float, lon: float, cap: int) -> Site:
    return Site(code, name, "prison", town, lat, lon, cap)


def _a(code: str, name: str, town: str, lat: float, lon: float, cap: int) -> Site:
    return Site(code, name, "staging_airfield", town, lat, lon, cap)


def _h(code: str, name: str, town: str, lat: float, lon: float, cap: int) -> Site:
    return Site(code, name, "holding_site", town, lat, lon, cap)


# 25 prisons and holding sites. Several share a town; coordinates are town-level
# (sites in the same town are offset by a few hundred metres so they stay distinct).
DETENTION_SITES: Final[tuple[Site, ...]] = (
    # al-Hasakah: the main prison (Ghwayran / al-Sina'a quarter) and three smaller sites.
    _p("HSK-01", "Ghwayran Central Prison", "al-Hasakah", 36.4712, 40.7431, 2800),
    _h("HSK-02", "Hasakah North Holding Site", "al-Hasakah", 36.5130, 40.7480, 300),
    _h("HSK-03", "Hasakah Juvenile Rehabilitation Centre", "al-Hasakah", 36.4950, 40.7610, 150),
    _h("HSK-04", "Hasakah Security Annex", "al-Hasakah", 36.5040, 40.7330, 200),
    # Qamishli
    _p("QAM-01", "Qamishli Prison", "Qamishli", 37.0522, 41.2256, 650),
    _h("QAM-02", "Qamishli East Holding Site", "Qamishli", 37.0460, 41.2420, 120),
    # Raqqa and Tabqa
    _p("RAQ-01", "Raqqa Central Prison", "Raqqa", 35.9528, 39.0079, 700),
    _h("RAQ-02", "Raqqa Holding Site", "Raqqa", 35.9440, 39.0260, 150),
    _p("TAB-01", "Tabqa Prison", "al-Tabqa", 35.8356, 38.5481, 350),
    # Southern Hasakah
    _p("SHD-01", "Shaddadi Prison", "al-Shaddadi", 36.0561, 40.7303, 400),
    _h("MRK-01", "Markada Holding Site", "Markada", 35.7530, 40.7800, 70),
    # Far north-east
    _p("DRK-01", "Derik Prison", "al-Malikiyah", 37.1667, 42.1333, 350),
    _h("RML-01", "Rmelan Holding Site", "Rmelan", 37.0061, 41.9156, 120),
    _h("JWD-01", "Jawadiyah Holding Site", "al-Jawadiyah", 37.0200, 41.7400, 60),
    _h("YRB-01", "Ya'rubiyah Border Holding Site", "al-Ya'rubiyah", 36.8110, 42.0660, 80),
    _h("QHT-01", "Qahtaniyah Holding Site", "al-Qahtaniyah", 37.0354, 41.6239, 60),
    # Central Jazira
    _h("AMD-01", "Amuda Holding Site", "Amuda", 37.1042, 40.9300, 100),
    _h("THM-01", "Tal Hamis Holding Site", "Tal Hamis", 36.7500, 41.4000, 90),
    _h("TBR-01", "Tal Brak Holding Site", "Tal Brak", 36.6700, 41.0600, 70),
    _h("TTM-01", "Tal Tamr Holding Site", "Tal Tamr", 36.6500, 40.3700, 120),
    _h("HOL-01", "al-Hol Town Holding Site", "al-Hol", 36.3914, 41.1514, 100),
    # Euphrates region
    _h("KOB-01", "Kobani Holding Site", "Kobani", 36.8906, 38.3536, 180),
    _h("AIS-01", "Ain Issa Holding Site", "Ain Issa", 36.3856, 38.8594, 150),
    # Deir ez-Zor countryside (east bank)
    _h("BSR-01", "Busayrah Holding Site", "al-Busayrah", 35.1556, 40.4294, 90),
    _h("HJN-01", "Hajin Holding Site", "Hajin", 34.6917, 40.8306, 60),
)

CAMPS: Final[tuple[Site, ...]] = (
    Site("CMP-HOL", "al-Hol Camp", "camp", "al-Hol", 36.3780, 41.1450, 45000),
    Site("CMP-ROJ", "Roj Camp", "camp", "al-Malikiyah", 36.9600, 42.1000, 3000),
)

STAGING_AIRFIELDS: Final[tuple[Site, ...]] = (
    _a("AF-QAM", "Qamishli Airport Staging Area", "Qamishli", 37.0209, 41.1914, 400),
    _a("AF-RML", "Kharab al-Jir Airstrip Staging Area", "Rmelan", 36.9870, 41.9330, 300),
    _a("AF-SHD", "Shaddadi Airstrip Staging Area", "al-Shaddadi", 36.0850, 40.6950, 300),
)

RECEIVING_FACILITY: Final[Site] = Site(
    "RCV-BGW",
    "Baghdad Airport Receiving Facility",
    "receiving_facility",
    "Baghdad",
    33.2800,
    44.2200,
    7000,
)

ALL_SITES: Final[tuple[Site, ...]] = (
    *DETENTION_SITES,
    *CAMPS,
    *STAGING_AIRFIELDS,
    RECEIVING_FACILITY,
)

ORGANIZATIONS: Final[tuple[Organization, ...]] = (
    Organization("NESGF", "North-East Syria Guard Force", "guard_force", "SY"),
    Organization("CDWG", "Coalition Detention Working Group", "intelligence", "US"),
    Organization("DTF", "Department of State Detainee Task Force", "diplomatic", "US"),
    Organization("CJAC", "Combined Joint Air Mobility Command", "military", "US"),
    Organization("EMB-BGD", "Coalition Embassy Baghdad", "embassy", "US"),
    Organization("FPBT", "Federal Police Biometric Enrolment Team", "law_enforcement", "US"),
    Organization("RG-MOJ", "Receiving Government Ministry of Justice", "justice", "IQ"),
    Organization("RG-CS", "Receiving Government Correctional Service", "corrections", "IQ"),
    Organization("IHM", "Independent Humanitarian Monitor", "monitor", "CH"),
    Organization("NESCA", "North-East Syria Camps Administration", "camp_administration", "SY"),
)

_SITES_BY_CODE: Final[dict[str, Site]] = {s.code: s for s in ALL_SITES}
_ORGS_BY_CODE: Final[dict[str, Organization]] = {o.code: o for o in ORGANIZATIONS}

if len(_SITES_BY_CODE) != len(ALL_SITES):  # pragma: no cover - guards the table above
    raise RuntimeError("duplicate site code in gazetteer")


def site_by_code(code: str) -> Site:
    """Return the site with this code; raise ``KeyError`` if there is none."""
    return _SITES_BY_CODE[code]


def organization_by_code(code: str) -> Organization:
    """Return the organization with this code; raise ``KeyError`` if there is none."""
    return _ORGS_BY_CODE[code]


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres between two WGS84 points (spherical Earth)."""
    phi1 = math.radians(lat1)
    phi2 = math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2.0) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2.0) ** 2
    return 2.0 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))
