"""ISO 3166-1 alpha-2 country codes, checked against pycountry's copy of the standard."""

from __future__ import annotations

import pycountry

from custodia.errors import Invalid

# User-assigned codes in common use by governments for nationals of Kosovo.
_USER_ASSIGNED = {"XK": "Kosovo"}


def country_name(code: str) -> str:
    if code in _USER_ASSIGNED:
        return _USER_ASSIGNED[code]
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        raise Invalid(f"{code!r} is not an ISO 3166-1 alpha-2 country code")
    return str(country.name)


def check_country_codes(codes: list[str]) -> None:
    for code in codes:
        country_name(code)
