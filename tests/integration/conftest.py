"""The HTTP client the loopback integration tests share."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.support import SleepLog
from tui.services.http import DEFAULT_USER_AGENT, HttpClient


@pytest.fixture
async def http(sleeps: SleepLog) -> AsyncIterator[HttpClient]:
    """The real client with sleeps recorded, not waited (retries and Retry-After)."""
    async with HttpClient(user_agent=DEFAULT_USER_AGENT, timeout_s=2.0, max_attempts=3,
                          sleep=sleeps) as client:
        yield client
