"""The biometrics routes over HTTP, with the role policy."""

from __future__ import annotations

import base64

from tests.api.conftest import Api, assert_problem
from tests.biometrics.conftest import impression, png


def _upload(position: int, finger_id: int, k: int) -> dict[str, object]:
    data = base64.b64encode(png(impression(finger_id, k))).decode()
    return {"position": position, "data_base64": data}


def test_enrol_identify_verify_and_who_may_see_images(api: Api) -> None:
    person = api.register("Hassan al-Shami")
    enrolled = api.post(
        "custody_officer",
        f"/biometrics/persons/{person}/fingers",
        json={"fingers": [_upload(2, 0, 0), _upload(7, 1, 0)]},
    )
    assert enrolled.status_code == 201, enrolled.text
    assert [f["finger"] for f in enrolled.json()["fingers"]] == ["right index", "left index"]

    found = api.post("analyst", "/biometrics/identify", json={"fingers": [_upload(7, 1, 1)]})
    assert found.status_code == 200, found.text
    assert found.json()["candidates"][0]["person_id"] == person
    assert found.json()["candidates"][0]["match"] is True

    checked = api.post(
        "custody_officer",
        "/biometrics/verify",
        json={"person_id": person, "finger": _upload(2, 0, 1)},
    )
    assert checked.json()["match"] is True

    image = api.get("custody_officer", f"/biometrics/persons/{person}/fingers/2/image")
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    assert_problem(api.get("analyst", f"/biometrics/persons/{person}/fingers/2/image"), 403)
    record = api.get("analyst", f"/biometrics/persons/{person}/iso19794")
    assert record.status_code == 200 and record.content[:3] == b"FMR"


def test_only_capture_staff_enrol_and_bad_base64_is_a_problem(api: Api) -> None:
    person = api.register("Ibrahim Saleh")
    body = {"fingers": [_upload(1, 0, 0)]}
    assert_problem(api.post("monitor", f"/biometrics/persons/{person}/fingers", json=body), 403)
    bad = {"fingers": [{"position": 1, "data_base64": "%%%"}]}
    problem = assert_problem(
        api.post("custody_officer", f"/biometrics/persons/{person}/fingers", json=bad), 422
    )
    assert "base64" in problem["detail"]


def test_compare_two_images_without_enrolling(api: Api) -> None:
    same = api.post(
        "analyst", "/biometrics/compare", json={"a": _upload(0, 2, 0), "b": _upload(0, 2, 1)}
    )
    other = api.post(
        "analyst", "/biometrics/compare", json={"a": _upload(0, 2, 0), "b": _upload(0, 3, 1)}
    )
    assert same.json()["match"] is True and other.json()["match"] is False
    picture = api.get("analyst", "/biometrics/synthetic/4/1.png?distortion=low")
    assert picture.status_code == 200 and picture.content[:4] == b"\x89PNG"
    negative = api.get("analyst", "/biometrics/synthetic/4/1.png?seed=-3")
    assert negative.status_code == 422 and "seed" in negative.json()["detail"]


def test_analysts_weigh_the_queue_by_fingerprints_and_monitors_may_not(api: Api) -> None:
    first = api.register("Hassan Ali al-Shami")
    second = api.register("Hasan Ali Alshami")
    for person, finger_id in ((first, 50), (second, 51)):
        enrolled = api.post(
            "custody_officer",
            f"/biometrics/persons/{person}/fingers",
            json={"fingers": [_upload(2, finger_id, 0)]},
        )
        assert enrolled.status_code == 201, enrolled.text
    assert_problem(api.post("monitor", "/biometrics/weigh-queue"), 403)
    weighed = api.post("analyst", "/biometrics/weigh-queue")
    assert weighed.status_code == 200, weighed.text
    assert weighed.json() == {"weighed_pairs": 1, "doubted_merges": []}
    item = api.get("analyst", f"/identity/queue?person_id={first}").json()["items"][0]
    assert "biometrics" in item["sources"] and item["evidence"]["biometrics"]["bits"] < 0
