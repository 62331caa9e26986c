"""The app's clocks and sleep, as types to inject: tests pass their own and never wait.

`utc_now` is the one wall clock (aware UTC datetimes)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]
"""A source of the current time; `utc_now` in the app, a fixed or stepping one in tests."""

SecondsClock = Callable[[], float]
"""Seconds as a float: `time.monotonic` for intervals, `time.time` for wall-clock stamps."""

Sleep = Callable[[float], Awaitable[None]]
"""`asyncio.sleep`, or a test's recorder of the delays asked for."""


def utc_now() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)
