"""An API client over the ``world`` fixture (both backends), with a token per role."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from custodia.api.app import create_app
from custodia.db import unit_of_work
from custodia.registry import service as registry
from tests.conftest import World


@dataclass
class Api:
    client: TestClient
    world: World
    tokens: dict[str, str]

    def headers(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}

    def get(self, role: str, url: str, **kwargs: Any) -> httpx.Response:
        response: httpx.Response = self.client.get(url, headers=self.headers(role), **kwargs)
        return response

    def post(
        self, role: str, url: str, *, headers: dict[str, str] | None = None, **kwargs: Any
    ) -> httpx.Response:
        response: httpx.Response = self.client.post(
            url, headers={**self.headers(role), **(headers or {})}, **kwargs
        )
        return response

    def ledger_size(self) -> int:
        return int(self.client.get("/health").json()["ledger_size"])

    def register(
        self,
        name: str,
        *,
        nationalities: tuple[str, ...] = ("IQ",),
        category: str = "detainee",
        **fields: Any,
    ) -> int:
        response = self.post(
            "custody_officer",
            "/persons",
            json={
                "category": category,
                "sex": "M",
                "nationalities": list(nationalities),
                "names": [{"full_name": name}],
                **fields,
            },
        )
        assert response.status_code == 201, response.text
        return int(response.json()["id"])

    def event(self, body: dict[str, Any], role: str = "custody_officer") -> httpx.Response:
        return self.post(role, "/custody/events", json=body)

    def intake(self, person_id: int, facility_id: int) -> dict[str, Any]:
        response = self.event(
            {"type": "INTAKE", "person_id": person_id, "facility_id": facility_id}
        )
        assert response.status_code == 201, response.text
        return dict(response.json())


@pytest.fixture
def api(world: World, tmp_path: Path) -> Iterator[Api]:
    with unit_of_work(world.engine) as session:
        tokens = {
            role: registry.issue_token(session, user_id=user_id, label="tests")
            for role, user_id in world.users.items()
        }
    app = create_app(engine=world.engine, signing_key_file=tmp_path / "ledger-key.pem")
    with TestClient(app) as client:
        yield Api(client=client, world=world, tokens=tokens)


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    """The response is an RFC 9457 problem with ``status``; returns its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = dict(response.json())
    assert body["status"] == status
    assert body["title"]
    assert body["type"]
    assert body["instance"] == response.request.url.path
    return body
