"""The second tenant of the alliance tests, for the monitoring tests."""

from tests.exchange.alliance.conftest import other_operator  # noqa: F401
