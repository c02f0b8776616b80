"""Pictures of the system: population over time, replayed from the ledger."""

from __future__ import annotations

from tests.api.conftest import Api


def test_population_over_time_counts_the_people_held_and_draws_them(api: Api) -> None:
    for name in ("Ahmad Khalil al-Jubouri", "Umar Salih al-Dulaimi"):
        api.intake(api.register(name), api.world.prison_a)

    series = api.get("monitor", "/reports/population").json()
    assert series[-1]["counts"]["prisons and holding sites"] == 2
    picture = api.get("monitor", "/reports/population.png")
    assert picture.headers["content-type"] == "image/png"
    assert picture.content.startswith(b"\x89PNG")
