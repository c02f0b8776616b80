"""Fixtures of the identity tests."""

from tests.api.conftest import api  # noqa: F401 -- the API client fixture, for test_api
