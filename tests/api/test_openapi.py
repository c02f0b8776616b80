"""The API describes itself: every route in OpenAPI, each behind a bearer token."""

from __future__ import annotations

from tests.api.conftest import Api

EXPECTED = {
    ("get", "/health"),
    ("get", "/organizations"),
    ("post", "/organizations"),
    ("get", "/users"),
    ("post", "/users"),
    ("post", "/users/{user_id}/tokens"),
    ("get", "/users/{user_id}/tokens"),
    ("post", "/users/{user_id}/tokens/{token_id}/revoke"),
    ("get", "/facilities"),
    ("post", "/facilities"),
    ("get", "/facilities/{facility_id}"),
    ("get", "/facilities/{facility_id}/threat-levels"),
    ("post", "/facilities/{facility_id}/threat-levels"),
    ("get", "/persons"),
    ("post", "/persons"),
    ("get", "/persons/{person_id}"),
    ("get", "/persons/{person_id}/custody"),
    ("get", "/persons/{person_id}/history"),
    ("post", "/persons/{person_id}/names"),
    ("post", "/persons/{person_id}/names/{name_id}/withdraw"),
    ("post", "/custody/events"),
    ("get", "/population"),
    ("get", "/custody/status-counts"),
    ("post", "/roll-calls"),
    ("post", "/facilities/{facility_id}/roll-calls/csv"),
    ("get", "/roll-calls/{roll_call_id}"),
    ("get", "/discrepancies"),
    ("post", "/discrepancies/{discrepancy_id}/resolve"),
    ("get", "/ledger/events"),
    ("get", "/ledger/events/{seq}"),
    ("get", "/ledger/checkpoints"),
    ("post", "/ledger/checkpoints"),
    ("get", "/ledger/public-key"),
    ("get", "/ledger/proofs/inclusion"),
    ("get", "/ledger/proofs/consistency"),
    ("get", "/ledger/verify"),
    ("get", "/audit"),
    ("get", "/reports/population"),
    ("get", "/reports/population.png"),
    ("get", "/identity/search"),
    ("get", "/identity/compare"),
    ("get", "/identity/persons/{person_id}"),
    ("get", "/identity/queue"),
    ("get", "/identity/queue/{item_id}"),
    ("post", "/identity/queue/{item_id}/decisions"),
    ("post", "/identity/queue/{item_id}/split"),
    ("post", "/identity/dedupe"),
    ("post", "/identity/check"),
    ("post", "/watchlists/un-sc"),
    ("post", "/watchlists/csv/{list_name}"),
    ("get", "/watchlists"),
    ("get", "/watchlists/search"),
    ("get", "/watchlists/held"),
    ("get", "/watchlists/{list_name}/entries/{reference}"),
    ("post", "/watchlists/{list_name}/withdraw"),
    ("post", "/watchlists/screen"),
    ("get", "/transfers/operation-schema"),
    ("post", "/transfers/plans"),
    ("get", "/transfers/plans"),
    ("get", "/transfers/plans/{plan_id}"),
    ("post", "/transfers/plans/{plan_id}/replan"),
    ("get", "/transfers/plans/{plan_id}/sorties/{sortie}/manifest.pdf"),
    ("get", "/transfers/plans/{plan_id}/chart.png"),
    ("get", "/transfers/plans/{plan_id}/notifications"),
    ("post", "/transfers/assessments"),
    ("get", "/transfers/plans/{plan_id}/sorties/{sortie}"),
    ("post", "/transfers/plans/{plan_id}/sorties/{sortie}/board"),
    ("post", "/transfers/plans/{plan_id}/sorties/{sortie}/depart"),
    ("post", "/transfers/plans/{plan_id}/sorties/{sortie}/arrive"),
    ("post", "/transfers/plans/{plan_id}/sorties/{sortie}/intake"),
    ("post", "/biometrics/persons/{person_id}/fingers"),
    ("get", "/biometrics/persons/{person_id}"),
    ("get", "/biometrics/persons/{person_id}/iso19794"),
    ("get", "/biometrics/persons/{person_id}/fingers/{position}/image"),
    ("post", "/biometrics/identify"),
    ("post", "/biometrics/verify"),
    ("post", "/biometrics/compare"),
    ("get", "/biometrics/synthetic/{finger}/{impression}.png"),
    ("get", "/biometrics/worker"),
    ("post", "/biometrics/weigh-queue"),
}


def test_openapi_lists_every_route_each_behind_a_bearer_token(api: Api) -> None:
    document = api.client.get("/openapi.json").json()

    assert document["info"]["title"] == "Custodia"
    operations = {
        (method, path): operation
        for path, item in document["paths"].items()
        for method, operation in item.items()
    }
    assert set(operations) == EXPECTED
    operation_ids = [operation["operationId"] for operation in operations.values()]
    assert len(operation_ids) == len(set(operation_ids)), "operation ids must be unique"
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    for (method, path), operation in operations.items():
        if path == "/health":
            assert "security" not in operation
        else:
            assert operation["security"] == [{"bearer": []}], (method, path)
            assert "401" in operation["responses"], (method, path)


def test_errors_are_documented_as_problem_details(api: Api) -> None:
    document = api.client.get("/openapi.json").json()
    conflict = document["paths"]["/custody/events"]["post"]["responses"]["409"]

    assert list(conflict["content"]) == ["application/problem+json"]
    body = document["paths"]["/custody/events"]["post"]["requestBody"]["content"]
    assert body["application/json"]["schema"]["discriminator"]["propertyName"] == "type"
    csv = document["paths"]["/facilities/{facility_id}/roll-calls/csv"]["post"]["requestBody"]
    assert set(csv["content"]) == {"text/csv", "multipart/form-data"}


def test_docs_and_health_need_no_token(api: Api) -> None:
    assert api.client.get("/docs").status_code == 200
    health = api.client.get("/health")
    assert health.json() == {"status": "ok", "ledger_size": 0}


def test_docs_page_loads_its_assets_from_this_server_not_a_cdn(api: Api) -> None:
    page = api.client.get("/docs")
    assert page.status_code == 200
    assert "cdn" not in page.text.lower()
    assert "/static/swagger-ui/swagger-ui-bundle.js" in page.text
    script = api.client.get("/static/swagger-ui/swagger-ui-bundle.js")
    assert script.status_code == 200
    assert len(script.content) > 100_000


def test_every_operation_documents_the_problems_it_can_answer(api: Api) -> None:
    document = api.client.get("/openapi.json").json()

    for path, item in document["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            if any(p["in"] == "path" for p in operation.get("parameters", ())):
                assert "404" in responses, (method, path)
            if "requestBody" in operation:
                assert {"400", "413"} <= set(responses), (method, path)
            for code, response in responses.items():
                if code[0] in "45":
                    assert list(response["content"]) == ["application/problem+json"], (
                        method,
                        path,
                        code,
                    )
    # a rule broken by values that fit the route is a 422 without field errors
    assert "errors" not in document["components"]["schemas"]["ValidationProblem"]["required"]
