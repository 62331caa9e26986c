"""Shared pytest wiring. Keep it small: fixtures live in their own modules, listed here."""

from __future__ import annotations

# tests/fakeapi.py: the loopback Gamma/CLOB server (`fake_api` fixture).
pytest_plugins = ["tests.fakeapi"]
