"""Shared pytest wiring. Keep it small: fixtures live in their own modules, listed here."""

from __future__ import annotations

# tests/fakeapi.py: the loopback Gamma/CLOB server (`fake_api` fixture).
# tests/fakews.py: the loopback CLOB market-channel websocket (`fake_ws` fixture).
pytest_plugins = ["tests.fakeapi", "tests.fakews"]
