"""Fixtures for the dashboard's Pilot tests: FakeData on markets built through the real
Gamma builder (tests/fakedata.py), a frozen clock, no real browser, and no blinking
cursor."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.message import Message

from tests.fakedata import FakeData, make_markets
from tests.support import Recorder, dashboard
from tui.app import PolydashApp


@pytest.fixture(autouse=True)
def pilot_ground(steady: None, no_real_browser: list[str]) -> None:
    """Every Pilot test here: no debounce timers, no blinking cursor, no real browser."""


@pytest.fixture
def data() -> FakeData:
    return FakeData(make_markets())


@pytest.fixture
def make_app() -> Callable[..., PolydashApp]:
    """Builds the dashboard on a data source, its clock frozen at NOW."""
    return dashboard


@pytest.fixture
def messages() -> Recorder[Message]:
    """Messages the app posts, for tests that spy on them."""
    return Recorder()
