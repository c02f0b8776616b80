"""The registry through the API: facilities, registering persons and finding them."""

from __future__ import annotations

from custodia.db import unit_of_work
from custodia.registry import service as registry
from custodia.registry.models import PersonCategory
from custodia.registry.schemas import NameIn, PersonIn
from tests.api.conftest import Api, assert_problem


def test_person_search_by_name_fragment_nationality_and_facility(api: Api) -> None:
    hasan = api.register("Abu Hasan al-Iraqi", nationalities=("IQ",))
    hamid = api.register("Hamid Abdullah", nationalities=("IQ", "SY"))
    harun = api.register("Harun Abdelkader", nationalities=("FR", "DZ"))
    api.register("Omar Said", nationalities=("SY",))
    api.intake(hamid, api.world.prison_a)
    api.intake(harun, api.world.prison_b)

    def names(**params: object) -> list[int]:
        response = api.get("analyst", "/persons", params=params)
        assert response.status_code == 200, response.text
        return [p["id"] for p in response.json()["items"]]

    assert names(name="ha") == [hasan, hamid, harun]
    assert names(name="abd") == [hamid, harun]
    assert names(name="abd ham") == [hamid]
    assert names(name="abd", nationality="FR") == [harun]
    assert names(nationality="SY", facility_id=api.world.prison_a) == [hamid]
    assert names(facility_id=api.world.camp) == []
    assert names(name="al-iraqi") == [hasan]
    # a code no country has is refused, not answered with nobody
    unknown = assert_problem(api.get("analyst", "/persons", params={"nationality": "ZZ"}), 422)
    assert "'ZZ' is not an ISO 3166-1 alpha-2 country code" in unknown["detail"]


def test_person_search_pages_carry_the_total(api: Api) -> None:
    ids = [api.register(f"Salim Number {n}") for n in range(7)]

    first = api.get("analyst", "/persons", params={"name": "salim", "limit": 3}).json()
    last = api.get("analyst", "/persons", params={"name": "salim", "limit": 3, "offset": 6}).json()

    assert (first["total"], first["limit"], first["offset"]) == (7, 3, 0)
    assert [p["id"] for p in first["items"]] == ids[:3]
    assert last["total"] == 7
    assert [p["id"] for p in last["items"]] == ids[6:]
    too_many = assert_problem(api.get("analyst", "/persons", params={"limit": 501}), 422)
    assert "query parameter 'limit'" in too_many["detail"]


def test_a_common_name_is_counted_up_to_a_cap_and_says_so(api: Api) -> None:
    with unit_of_work(api.world.engine) as session:
        ids = registry.register_persons(
            session,
            persons_in=[
                PersonIn(
                    category=PersonCategory.CAMP_RESIDENT, names=[NameIn(full_name=f"Umm {n}")]
                )
                for n in range(1005)
            ],
        )

    first = api.get("analyst", "/persons", params={"name": "umm", "limit": 3}).json()
    last = api.get("analyst", "/persons", params={"name": "umm", "offset": 1000}).json()
    beyond = api.get("analyst", "/persons", params={"name": "umm", "offset": 2000}).json()
    exact = api.get("analyst", "/persons", params={"name": "umm 7"}).json()

    assert (first["total"], first["total_is_lower_bound"]) == (1000, True)
    assert [p["id"] for p in first["items"]] == ids[:3]
    assert (last["total"], last["total_is_lower_bound"]) == (1005, False)
    assert [p["id"] for p in last["items"]] == ids[1000:]
    assert (beyond["total"], beyond["total_is_lower_bound"], beyond["items"]) == (1005, False, [])
    assert (exact["total"], exact["total_is_lower_bound"]) == (111, False)


def test_search_in_an_unknown_facility_is_404(api: Api) -> None:
    assert_problem(api.get("analyst", "/persons", params={"facility_id": 999}), 404)


def test_registering_a_person_keeps_a_partial_date_of_birth(api: Api) -> None:
    response = api.post(
        "custody_officer",
        "/persons",
        json={
            "category": "camp_resident",
            "sex": "F",
            "date_of_birth": "2009",
            "nationalities": ["NL"],
            "names": [{"full_name": "Amina Jansen"}, {"kind": "alias", "full_name": "Umm Yahya"}],
            "documents": [{"kind": "passport", "number": "NX12345", "issuing_country": "NL"}],
        },
    )

    assert response.status_code == 201, response.text
    person = api.get("analyst", f"/persons/{response.json()['id']}").json()["person"]
    assert person["date_of_birth"] == "2009"
    assert person["documents"][0]["number"] == "NX12345"
    assert person["nationalities"] == ["NL"]


def test_an_unknown_country_or_date_is_refused(api: Api) -> None:
    base = {"category": "detainee", "names": [{"full_name": "Test Person"}]}

    country = api.post("custody_officer", "/persons", json={**base, "nationalities": ["QQ"]})
    date = api.post("custody_officer", "/persons", json={**base, "date_of_birth": "1990-13"})

    assert "QQ" in assert_problem(country, 422)["detail"]
    assert_problem(date, 422)
    assert api.get("analyst", "/persons").json()["total"] == 0


def test_facilities_list_and_paginate(api: Api) -> None:
    everything = api.get("monitor", "/facilities").json()
    second_page = api.get("monitor", "/facilities", params={"limit": 2, "offset": 2}).json()

    assert everything["total"] == 4
    assert [f["code"] for f in everything["items"]] == ["HSK-01", "QAM-01", "HOL-C", "BGW-R"]
    assert [f["code"] for f in second_page["items"]] == ["HOL-C", "BGW-R"]
    assert second_page["total"] == 4
    receiving = api.get("monitor", f"/facilities/{api.world.receiving}").json()
    assert receiving["authority_id"] == api.world.receiving_government
    assert_problem(api.get("monitor", "/facilities/999"), 404)
