"""A body larger than the server takes (CUSTODIA_MAX_BODY_MB) is refused in words, whether
its size is declared or only streams in, and nothing is written."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from custodia.api.app import create_app
from custodia.config import get_settings
from tests.api.conftest import Api, assert_problem

ROW = "IQW-{n},Khalid Hamza al-Jubouri {n},,,1971,IQ,\n"
HEADER = "reference,name,aliases,weak_aliases,date_of_birth,nationality,place_of_birth\n"


@pytest.fixture
def small(api: Api, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """The same database behind a server that takes bodies of at most 1 MB."""
    monkeypatch.setenv("CUSTODIA_MAX_BODY_MB", "1")
    get_settings.cache_clear()
    try:
        app = create_app(engine=api.world.engine, signing_key_file=tmp_path / "key.pem")
        with TestClient(app) as client:
            yield client
    finally:
        get_settings.cache_clear()


def _list_of(megabytes: float) -> bytes:
    rows, size = [HEADER], len(HEADER)
    while size < megabytes * 2**20:
        rows.append(ROW.format(n=len(rows)))
        size += len(rows[-1])
    return "".join(rows).encode()


def test_a_body_declared_too_large_is_refused_before_it_is_read(
    api: Api, small: TestClient
) -> None:
    response = small.post(
        "/watchlists/csv/iq-warrants", content=_list_of(1.5), headers=api.headers("analyst")
    )

    body = assert_problem(response, 413)
    assert "1 MB" in body["detail"] and "CUSTODIA_MAX_BODY_MB" in body["detail"]
    assert api.get("analyst", "/watchlists").json() == []


def test_a_body_that_only_streams_in_too_large_is_refused_too(api: Api, small: TestClient) -> None:
    data = _list_of(1.5)

    def chunks() -> Iterator[bytes]:  # no Content-Length: sent chunked
        for start in range(0, len(data), 64 * 1024):
            yield data[start : start + 64 * 1024]

    response = small.post(
        "/watchlists/csv/iq-warrants", content=chunks(), headers=api.headers("analyst")
    )

    assert_problem(response, 413)
    assert api.get("analyst", "/watchlists").json() == []


def test_a_body_within_the_limit_is_taken(api: Api, small: TestClient) -> None:
    response = small.post(
        "/watchlists/csv/iq-warrants", content=_list_of(0.1), headers=api.headers("analyst")
    )

    assert response.status_code == 201, response.text
