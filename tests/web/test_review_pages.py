"""The identity analyst's pages in a browser's place: signing in, the queue, one pair with
both records and the evidence side by side, and a decision recorded from a form."""

from __future__ import annotations

import re

import httpx

from tests.api.conftest import Api
from tests.identity.test_queue import TWICE_LISTED, XML
from tests.identity.test_watchlist_csv import WARRANTS


def _sign_in(api: Api, role: str) -> None:
    api.client.cookies.clear()
    signed = api.client.post(
        "/web/login",
        data={"token": api.tokens[role], "next": "/web/identity/queue"},
        follow_redirects=False,
    )
    assert signed.status_code == 303 and signed.headers["location"] == "/web/identity/queue"


def _pair(api: Api) -> tuple[int, int, int]:
    """Two records of one man under two spellings: intake queues the pair."""
    a = api.register("Abd al-Rahman Khalid al-Baghdadi", date_of_birth="1981-02-03")
    b = api.register("Abdulrahman Khaled Albaghdadi", date_of_birth="1981-02-03")
    items = api.get("analyst", f"/identity/queue?person_id={b}").json()["items"]
    assert len(items) == 1
    return a, b, int(items[0]["id"])


def _page(api: Api, url: str) -> httpx.Response:
    return api.client.get(url, follow_redirects=False)


def test_a_visitor_signs_in_with_a_token_before_seeing_the_queue(api: Api) -> None:
    first = _page(api, "/web/identity/queue")
    assert first.status_code == 303
    assert first.headers["location"] == "/web/login?next=/web/identity/queue"
    refused = api.client.post("/web/login", data={"token": "cst_wrong"})
    assert refused.status_code == 401 and "unknown or revoked" in refused.text
    _sign_in(api, "analyst")
    _, _, item = _pair(api)
    queue = _page(api, "/web/identity/queue")
    assert queue.status_code == 200
    assert f'href="/web/identity/queue/{item}"' in queue.text
    assert "Abd al-Rahman Khalid al-Baghdadi" in queue.text
    hits_only = _page(api, "/web/identity/queue?kind=watchlist")
    assert hits_only.status_code == 200 and f"/web/identity/queue/{item}" not in hits_only.text
    wrong = _page(api, "/web/identity/queue?status=maybe")
    assert wrong.status_code == 422 and "not status=&#39;maybe&#39;" in wrong.text
    assert _page(api, "/web/identity/queue?page=two").status_code == 422
    doubted = _page(api, "/web/identity/queue?status=doubted")
    assert doubted.status_code == 200 and "which the fingerprints now contradict" in doubted.text
    signed_out = api.client.post("/web/logout", follow_redirects=False)
    assert signed_out.status_code == 303
    assert _page(api, "/web/identity/queue").status_code == 303


def test_the_sign_in_cookie_is_http_only_and_not_sent_by_other_sites_forms(api: Api) -> None:
    response = api.client.post(
        "/web/login", data={"token": api.tokens["analyst"]}, follow_redirects=False
    )
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/web" in cookie
    assert "Secure" not in cookie  # plain HTTP on this loopback; over TLS it is Secure
    over_tls = api.client.post(
        "https://testserver/web/login",
        data={"token": api.tokens["analyst"]},
        follow_redirects=False,
    )
    assert "Secure" in over_tls.headers["set-cookie"]


def test_an_analyst_sees_both_records_and_the_evidence_then_decides(api: Api) -> None:
    a, b, item = _pair(api)
    _sign_in(api, "analyst")
    page = _page(api, f"/web/identity/queue/{item}")
    assert page.status_code == 200
    for record in (a, b):
        assert f'href="/web/identity/persons/{record}">{record}</a>' in page.text
    assert "1981-02-03" in page.text
    assert "<strong>intake</strong>" in page.text  # the evidence, with its reasons
    assert "date of birth: the same day" in page.text
    assert "No fingerprints compared yet" in page.text
    decided = api.client.post(
        f"/web/identity/queue/{item}/decision",
        data={"decision": "same", "note": "same father, same day of birth"},
        follow_redirects=False,
    )
    assert decided.status_code == 303
    after = _page(api, f"/web/identity/queue/{item}")
    assert "same father, same day of birth" in after.text
    assert "<td>analyst</td>" in after.text  # who decided, by name
    assert "Undo the merge" in after.text and "Record the decision" not in after.text
    recorded = api.get("analyst", f"/identity/queue/{item}").json()
    assert recorded["status"] == "same"
    assert recorded["decisions"][0]["decided_by"] == api.world.users["analyst"]
    audit = api.get("monitor", "/audit", params={"limit": 100}).json()["items"]
    assert any(e["action"] == "identity.same" for e in audit)
    split = api.client.post(
        f"/web/identity/queue/{item}/split", data={"note": "wrong man"}, follow_redirects=False
    )
    assert split.status_code == 303
    assert api.get("analyst", f"/identity/queue/{item}").json()["status"] == "different"


def test_merging_a_man_held_in_two_prisons_says_custody_must_settle_it(api: Api) -> None:
    a, b, item = _pair(api)
    api.intake(a, api.world.prison_a)
    api.intake(b, api.world.prison_b)
    _sign_in(api, "analyst")
    page = _page(api, f"/web/identity/queue/{item}")
    assert "in custody at HSK-01 Hasakah prison" in page.text
    assert "in custody at QAM-01 Qamishli prison" in page.text
    decided = api.client.post(
        f"/web/identity/queue/{item}/decision", data={"decision": "same"}, follow_redirects=False
    )
    assert decided.status_code == 303
    after = _page(api, f"/web/identity/queue/{item}")
    assert re.search(r'class="warning">one person, but custody records that cannot', after.text)
    merges = _page(api, "/web/identity/queue?status=same")
    tagged = r'class="tag warn" title="one person, but custody[^"]*">1 to settle'
    assert re.search(tagged, merges.text)
    opened = api.get("custody_officer", "/discrepancies").json()["items"]
    assert sorted((d["facility_id"], d["kind"]) for d in opened) == [
        (api.world.prison_a, "held_twice"),
        (api.world.prison_b, "held_twice"),
    ]


def test_a_refused_decision_shows_why_and_changes_nothing(api: Api) -> None:
    _, _, item = _pair(api)
    _sign_in(api, "analyst")
    bad = api.client.post(f"/web/identity/queue/{item}/decision", data={"decision": "maybe"})
    assert bad.status_code == 422
    assert "not &#39;maybe&#39;: nothing was changed" in bad.text
    too_long = api.client.post(
        f"/web/identity/queue/{item}/decision", data={"decision": "same", "note": "x" * 4001}
    )
    assert too_long.status_code == 422 and "at most 4000 characters" in too_long.text
    _sign_in(api, "monitor")
    seen = _page(api, f"/web/identity/queue/{item}")
    assert seen.status_code == 200 and "Record the decision" not in seen.text
    forbidden = api.client.post(f"/web/identity/queue/{item}/decision", data={"decision": "same"})
    assert forbidden.status_code == 403 and "monitor" in forbidden.text
    item_now = api.get("analyst", f"/identity/queue/{item}").json()
    assert item_now["status"] == "open" and item_now["decisions"] == []
    missing = _page(api, "/web/identity/queue/999999")
    assert missing.status_code == 404 and "no review item with id 999999" in missing.text


def test_the_pages_load_nothing_from_elsewhere(api: Api) -> None:
    _, _, item = _pair(api)
    _sign_in(api, "analyst")
    pages = ("/web/login", "/web/identity/queue", f"/web/identity/queue/{item}")
    for url in (*pages, "/web/identity/search?name=Baghdadi", "/web/identity/persons/1"):
        html = _page(api, url).text
        assert not re.search(r'(src|href)="(https?:)?//', html), url
    sheet = _page(api, "/web/static/custodia.css")
    assert sheet.status_code == 200 and "url(" not in sheet.text


def test_an_analyst_searches_by_name_and_opens_who_a_record_is(api: Api) -> None:
    a, b, item = _pair(api)
    _sign_in(api, "analyst")
    found = _page(api, "/web/identity/search?name=Abdelrahman+Baghdadi&dob=1981")
    assert found.status_code == 200
    assert f'href="/web/identity/persons/{a}"' in found.text
    assert "date of birth" in found.text  # each candidate's evidence, in words
    # a nom de guerre and a birth year: the men it may stand for, under their own names
    khaled = api.register(
        "Khaled bin Hussein Alkhateeb", nationalities=("AU",), date_of_birth="1971"
    )
    behind = _page(api, "/web/identity/search?name=Abu+Hamza+al-Ustrali&dob=1971&nationality=AU")
    assert behind.status_code == 200 and "may stand for" in behind.text
    assert f'href="/web/identity/persons/{khaled}"' in behind.text
    bad = _page(api, "/web/identity/search?name=Baghdadi&dob=around+1980")
    assert bad.status_code == 422 and 'class="error"' in bad.text
    api.client.post(f"/web/identity/queue/{item}/decision", data={"decision": "same"})
    who = _page(api, f"/web/identity/persons/{b}")
    assert who.status_code == 200
    assert f"Record {b}: identity {a}" in who.text  # the earlier record survives
    # each record offers a search with its own details (a nom de guerre's men behind it)
    assert "/web/identity/search?name=Abdulrahman+Khaled+Albaghdadi&amp;dob=1981-02-03" in who.text
    assert f'href="/web/identity/queue/{item}"' in who.text
    assert _page(api, "/web/identity/persons/999999").status_code == 404


def test_a_watchlist_hit_shows_the_listed_entry_and_its_other_listing(api: Api) -> None:
    _sign_in(api, "analyst")
    person = api.register("Hassan Dahir Aweys", date_of_birth="1935", nationalities=("SO",))
    imported = api.post(
        "analyst",
        "/watchlists/un-sc",
        content=TWICE_LISTED.encode(),
        headers={"Content-Type": "application/xml"},
    )
    assert imported.status_code == 201 and imported.json()["listed_twice"] == 2
    assert api.post("analyst", "/watchlists/screen").json()["hits"] == 1
    (item,) = api.get("analyst", f"/identity/queue?person_id={person}").json()["items"]
    listed = item["watchlist_entry"]["reference"]
    other = ({"QDi.042", "SOi.002"} - {listed}).pop()
    page = _page(api, f"/web/identity/queue/{item['id']}")
    assert page.status_code == 200
    assert f'Listed: <a href="/web/watchlists/un-sc/{listed}">un-sc {listed}</a>' in page.text
    assert re.search(rf"also listed as</dt><dd>{re.escape(other)}</dd>", page.text)
    assert f"names the same individual again as {other}" in page.text


def test_an_analyst_imports_an_agency_list_and_screens_everyone_from_the_page(api: Api) -> None:
    badri = api.register("Ibrahim Awad Ibrahim al-Badri", date_of_birth="1971")
    _sign_in(api, "analyst")
    empty = _page(api, "/web/watchlists")
    assert empty.status_code == 200 and "No watchlist is loaded." in empty.text
    faulty = api.client.post(
        "/web/watchlists",
        data={"list_name": "iq-warrants"},
        files={"file": ("w.csv", b"reference,name,date_of_birth\nIQW-17,Ibrahim al-Badri,2090\n")},
    )
    assert faulty.status_code == 422
    assert "line 2: date of birth &#39;2090&#39; is in the future" in faulty.text
    assert "No watchlist is loaded." in faulty.text  # nothing was imported
    imported = api.client.post(
        "/web/watchlists",
        data={"list_name": "iq-warrants"},
        files={"file": ("w.csv", WARRANTS.encode())},
    )
    assert imported.status_code == 201
    assert "iq-warrants: 2 individuals with 4 names imported (0 refreshed)" in imported.text
    screened = api.client.post("/web/watchlists/screen")
    assert screened.status_code == 200 and "1 hits, 1 new in the" in screened.text
    hits = _page(api, "/web/identity/queue?kind=watchlist")
    assert "iq-warrants IQW-17" in hits.text
    assert 'href="?status=open&kind=watchlist&list_name=iq-warrants"' in hits.text
    one_list = _page(api, "/web/identity/queue?kind=watchlist&list_name=iq-warrants")
    assert "iq-warrants IQW-17" in one_list.text and "1 item(s) open" in one_list.text
    other = _page(api, "/web/identity/queue?kind=watchlist&list_name=un-sc")
    assert "IQW-17" not in other.text and "Nothing open in the queue." in other.text
    (item,) = api.get("analyst", "/identity/queue", params={"person_id": badri}).json()["items"]
    assert item["watchlist_entry"]["list_name"] == "iq-warrants"
    assert "Withdrawn from the list" not in _page(api, f"/web/identity/queue/{item['id']}").text
    assert api.post("analyst", "/watchlists/iq-warrants/withdraw").status_code == 200
    shown_after = _page(api, f"/web/identity/queue/{item['id']}").text
    assert "Withdrawn from the list on" in shown_after and "no longer screened" in shown_after
    api.post("analyst", "/watchlists/csv/iq-warrants", content=WARRANTS.encode())
    _sign_in(api, "monitor")
    shown = _page(api, "/web/watchlists")
    assert "iq-warrants" in shown.text and "Import an agency" not in shown.text
    refused = api.client.post(
        "/web/watchlists", data={"list_name": "x"}, files={"file": ("w.csv", WARRANTS.encode())}
    )
    assert refused.status_code == 403


def test_an_analyst_loads_the_un_list_from_the_page(api: Api) -> None:
    api.register("Ibrahim Awad Ibrahim al-Badri", date_of_birth="1971")
    _sign_in(api, "analyst")
    loaded = api.client.post(
        "/web/watchlists", data={"source": "un-sc"}, files={"file": ("un.xml", XML.encode())}
    )
    assert loaded.status_code == 201, loaded.text
    assert "un-sc: 1 individual with" in loaded.text
    not_xml = api.client.post(
        "/web/watchlists", data={"source": "un-sc"}, files={"file": ("w.csv", WARRANTS.encode())}
    )
    assert not_xml.status_code == 422 and "not well-formed XML" in not_xml.text
    assert "<td>un-sc</td>" in not_xml.text  # the list loaded stays
    screened = api.client.post("/web/watchlists/screen")
    assert "1 hits, 1 new in the" in screened.text


def test_an_analyst_runs_the_batch_de_duplication_from_the_queue_page(api: Api) -> None:
    one = api.register("Khalid Hamza al-Jubouri", date_of_birth="1971-03-02")
    _sign_in(api, "monitor")
    assert "Find the registry" not in _page(api, "/web/identity/queue").text
    assert api.client.post("/web/identity/dedupe").status_code == 403
    two = api.register("Khaled Hamza al-Jbouri", date_of_birth="1971-03-02")
    (item,) = api.get("analyst", "/identity/queue", params={"person_id": two}).json()["items"]
    assert item["sources"] == ["intake"]
    _sign_in(api, "analyst")
    assert "Find the registry" in _page(api, "/web/identity/queue").text
    ran = api.client.post("/web/identity/dedupe", follow_redirects=False)
    assert ran.status_code == 303 and ran.headers["location"].endswith("?kind=duplicate")
    (item,) = api.get("analyst", "/identity/queue", params={"person_id": two}).json()["items"]
    assert (item["person_a"]["person_id"], item["person_b"]["person_id"]) == (one, two)
    assert item["sources"] == ["intake", "names"]  # the batch job weighed the pair too


def test_a_nom_de_guerre_pair_shows_its_probability_against_its_own_cut(api: Api) -> None:
    # "Abu Hamza al-Iraqi" shares no name with Khalid, the only man of Mosul born in 1971:
    # intake proposes the pair on the birth year and town, as a probability, which the page
    # reads on its own scale
    towns = ("Basra", "Hit", "Baiji", "Tikrit")
    for i, given in enumerate(("Omar", "Yasin", "Bilal", "Talal", "Firas", "Nawaf", "Rafi")):
        api.register(
            f"{given} Hassan al-Ubaidi", date_of_birth=f"198{i}", place_of_birth=towns[i % 4]
        )
    khalid = api.register(
        "Khalid Hamza al-Jubouri", date_of_birth="1971-03-02", place_of_birth="Mosul"
    )
    abu_hamza = api.register(
        "Abu Hamza al-Iraqi",
        names=[{"full_name": "Abu Hamza al-Iraqi", "kind": "nom_de_guerre"}],
        date_of_birth="1971",
        place_of_birth="Mosul",
    )
    (item,) = api.get("analyst", "/identity/queue", params={"person_id": abu_hamza}).json()["items"]
    assert {item["person_a"]["person_id"], item["person_b"]["person_id"]} == {khalid, abu_hamza}
    _sign_in(api, "analyst")
    page = _page(api, f"/web/identity/queue/{item['id']}").text
    assert "known only by a nom de guerre is this man, proposed from 0.5" in page
    assert '<span class="score mid">' in page  # between the two cuts
    assert "review threshold 0.85" not in page
    assert re.search(r'class="card for">\s*<strong>intake</strong>', page)
