"""Helpers every kind of test shares: reading the screen, letting the app settle,
waiting for a condition, and finding the dashboard screen."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.worker import WorkerCancelled

from tui.screens.main import MainScreen

# Workers that run for the life of the app (the websocket): never waited for.
LONG_LIVED_GROUPS = frozenset({"stream"})


def main_screen(app: App[Any]) -> MainScreen:
    """The dashboard screen, wherever it sits in the screen stack."""
    for screen in app.screen_stack:
        if isinstance(screen, MainScreen):
            return screen
    raise AssertionError("the dashboard screen is not in the screen stack")


async def settle(app: App[Any], pilot: Any) -> None:
    """Let the app's short workers finish and their messages land."""
    for _ in range(3):
        await pilot.pause()
        short = [w for w in app.workers if w.group not in LONG_LIVED_GROUPS]
        if short:  # an empty list would mean "all of them" to wait_for_complete
            with contextlib.suppress(WorkerCancelled):
                await app.workers.wait_for_complete(short)
    await pilot.pause()


async def until(pilot: Any, predicate: Callable[[], object], what: str,
                within_s: float = 15.0) -> None:
    """Let the app run until `predicate()` holds (a wait, not a timing assertion)."""
    deadline = time.monotonic() + within_s
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.02)


def screen_text(app: App[Any]) -> str:
    """The whole screen as plain text, one line per row (what a person would read)."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip).rstrip() for strip in strips)
