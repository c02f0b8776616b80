"""The API client fixture, for the pages (they are served by the same app)."""

from tests.api.conftest import api  # noqa: F401
