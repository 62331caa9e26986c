"""AlertForm and AlertsScreen under Pilot, in a tiny App: creating each kind, defaults
that do not fire at once, refusing bad input and crossed levels with a sentence,
cancelling, hostile market text, listing, deleting after a confirm (the log stays) and
tables that fit 80 columns."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from textual.app import App
from textual.message import Message
from textual.widgets import DataTable, Input, Select, Static

from tests.support import NOW, screen_text
from tui.messages import AlertDeleted, AlertSaveWanted
from tui.models import Market, Outcome
from tui.screens.alert_form import AlertForm, describe_spec
from tui.screens.alerts import (
    ALERT_COLUMNS,
    EMPTY_ALERTS,
    LOG_COLUMNS,
    AlertsScreen,
    ConfirmDelete,
    fit_widths,
)
from tui.services.alert_rules import AlertSpec, spec_for
from tui.services.alerts import AlertService

HOSTILE = "[/b] [@click=app.quit]x Trump [R] vs [link=https://evil.example]y[/link]"


def market(question: str = "Will it rain?", **changes: Any) -> Market:
    base: dict[str, Any] = dict(
        id="77", slug="rain", question=question,
        outcomes=(Outcome("Yes", 0.42, "1" * 70), Outcome("No", 0.58, "2" * 70)),
        end_date=NOW + timedelta(days=3))
    base.update(changes)
    return Market(**base)


class Host(App[None]):
    """Collects what screens post to the app."""

    def __init__(self) -> None:
        super().__init__()
        self.posted: list[Message] = []
        self.results: list[AlertSpec | None] = []

    def on_alert_save_wanted(self, message: AlertSaveWanted) -> None:
        self.posted.append(message)

    def on_alert_deleted(self, message: AlertDeleted) -> None:
        self.posted.append(message)


async def open_form(app: Host, pilot: Any, form: AlertForm) -> None:
    app.push_screen(form, app.results.append)
    await pilot.pause()


async def set_value(pilot: Any, selector: str, value: str) -> None:
    widget = pilot.app.screen.query_one(selector, Input)
    widget.value = value
    await pilot.pause()


# ---------------------------------------------------------------- the form


async def test_form_creates_an_above_alert_with_enter() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(app, pilot, AlertForm(market()))
        assert pilot.app.screen.query_one("#alert-threshold", Input).value == "0.47"
        await set_value(pilot, "#alert-threshold", "60¢")
        await pilot.press("enter")
        await pilot.pause()
    [spec] = app.results
    assert spec is not None and spec.kind == "above" and spec.threshold == 0.6
    assert spec.token_id == "1" * 70 and spec.market_id == "77"
    [message] = app.posted
    assert isinstance(message, AlertSaveWanted) and message.spec == spec
    assert describe_spec(spec) == "Alert set: Will it rain? crosses above 60.0¢."


async def test_form_move_and_ends_kinds_use_the_window() -> None:
    app = Host()
    async with app.run_test(size=(80, 30)) as pilot:
        await open_form(app, pilot, AlertForm(market(), kind="move"))
        screen = pilot.app.screen
        assert screen.query_one("#alert-window", Input).value == "1h"
        await set_value(pilot, "#alert-threshold", "0.1")
        await set_value(pilot, "#alert-window", "30m")
        await pilot.click("#alert-create")
        await pilot.pause()
        await open_form(app, pilot, AlertForm(market()))
        form = pilot.app.screen
        form.query_one("#alert-kind", Select).value = "ends"
        await pilot.pause()
        assert form.query_one("#alert-threshold-row").has_class("-hidden")
        assert "Before end" in screen_text(app)
        assert form.query_one("#alert-window", Input).value == "24h"
        await pilot.click("#alert-create")
        await pilot.pause()
    move, ends = app.results
    assert move is not None and (move.kind, move.threshold, move.window_s) == ("move", 0.1, 1800)
    assert ends is not None and (ends.kind, ends.window_s) == ("ends", 86400)
    assert ends.end_date == NOW + timedelta(days=3)


async def test_switching_kinds_swaps_untouched_defaults_only() -> None:
    app = Host()
    async with app.run_test(size=(80, 30)) as pilot:
        await open_form(app, pilot, AlertForm(market()))
        form = pilot.app.screen
        threshold = form.query_one("#alert-threshold", Input)
        kind = form.query_one("#alert-kind", Select)
        kind.value = "move"
        await pilot.pause()
        assert threshold.value == "0.1"  # a 42-point move would be a silly default
        kind.value = "below"
        await pilot.pause()
        assert threshold.value == "0.37"  # 5¢ under Yes at 42¢
        form.query_one("#alert-outcome", Select).value = "2" * 70
        await pilot.pause()
        assert threshold.value == "0.53"  # 5¢ under No at 58¢
        threshold.value = "0.3"  # typed by the user: kept across kinds
        kind.value = "above"
        await pilot.pause()
        assert threshold.value == "0.3"


@pytest.mark.parametrize(("kind", "price", "level"), [
    ("above", 0.42, "0.47"), ("below", 0.42, "0.37"), ("above", 0.97, "0.99"),
    ("below", 0.03, "0.01"),
])
async def test_enter_on_the_defaults_makes_an_alert_that_waits(
        alert_service: AlertService, kind: str, price: float, level: str) -> None:
    app = Host()
    rain = market(outcomes=(Outcome("Yes", price, "1" * 70), Outcome("No", 1 - price, "2" * 70)))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(app, pilot, AlertForm(rain, kind=kind))  # type: ignore[arg-type]
        assert pilot.app.screen.query_one("#alert-threshold", Input).value == level
        await pilot.press("enter")
        await pilot.pause()
    [spec] = app.results
    assert spec is not None
    await alert_service.add(spec)
    assert alert_service.check({"1" * 70: price}, NOW) == []  # the price as it is now


@pytest.mark.parametrize(("kind", "typed", "sentence"), [
    ("above", "0.40", "The price is already 42.0¢, at or above 40.0¢, so this alert would "
                      "fire at once: pick a level above 42.0¢."),
    ("above", "42¢", "at or above 42.0¢"),
    ("below", "0.5", "The price is already 42.0¢, at or below 50.0¢"),
])
async def test_form_refuses_a_level_already_crossed(kind: str, typed: str,
                                                    sentence: str) -> None:
    app = Host()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_form(app, pilot, AlertForm(market(), kind=kind))  # type: ignore[arg-type]
        await set_value(pilot, "#alert-threshold", typed)
        await pilot.press("enter")
        await pilot.pause()
        form = pilot.app.screen
        assert isinstance(form, AlertForm)  # still open, saying why
        assert sentence in str(form.query_one("#alert-error", Static).content)
    assert app.results == [] and app.posted == []


async def test_form_picks_another_outcome() -> None:
    app = Host()
    async with app.run_test(size=(80, 30)) as pilot:
        await open_form(app, pilot, AlertForm(market(), kind="below"))
        form = pilot.app.screen
        form.query_one("#alert-outcome", Select).value = "2" * 70
        await set_value(pilot, "#alert-threshold", "0.3")
        await pilot.press("enter")
        await pilot.pause()
    [spec] = app.results
    assert spec is not None and spec.token_id == "2" * 70 and spec.outcome == "No"


@pytest.mark.parametrize(("kind", "threshold", "window", "sentence"), [
    ("above", "60", "", "not a price between 0 and 1"),
    ("above", "lots", "", "not a price"),
    ("move", "0.1", "forever", "not a duration"),
])
async def test_form_refuses_bad_input_with_a_sentence(kind: str, threshold: str, window: str,
                                                      sentence: str) -> None:
    app = Host()
    async with app.run_test(size=(80, 30)) as pilot:
        await open_form(app, pilot, AlertForm(market(), kind=kind))  # type: ignore[arg-type]
        await set_value(pilot, "#alert-threshold", threshold)
        if window:
            await set_value(pilot, "#alert-window", window)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, AlertForm)  # still open
        assert sentence in screen_text(app)
    assert app.results == [] and app.posted == []


async def test_form_without_an_end_date_refuses_ends_within() -> None:
    app = Host()
    async with app.run_test(size=(80, 30)) as pilot:
        await open_form(app, pilot, AlertForm(market(end_date=None), kind="ends"))
        await pilot.click("#alert-create")
        await pilot.pause()
        assert "This market has no end date to watch." in screen_text(app)


async def test_escape_cancels() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(app, pilot, AlertForm(market()))
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, AlertForm)
    assert app.results == [None] and app.posted == []


async def test_hostile_market_and_outcome_names_stay_text() -> None:
    app = Host()
    hostile = market(HOSTILE, outcomes=(Outcome(HOSTILE, 0.5, "1" * 70),
                                        Outcome("[b]No[/b]", 0.5, "2" * 70)))
    async with app.run_test(size=(100, 30)) as pilot:
        await open_form(app, pilot, AlertForm(hostile))
        text = screen_text(app)  # the title wraps in the narrow form: look at each part
        assert all(part in text for part in HOSTILE.split())
        await set_value(pilot, "#alert-threshold", "0.7")
        await pilot.press("enter")
        await pilot.pause()
        assert app.is_running  # [@click=app.quit] did nothing
    [spec] = app.results
    assert spec is not None and spec.question == HOSTILE and spec.outcome == HOSTILE


# ---------------------------------------------------------------- the alerts view


async def open_alerts(app: Host, pilot: Any, service: AlertService) -> AlertsScreen:
    app.push_screen(AlertsScreen(service))
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, AlertsScreen)
    await settle(pilot, screen)
    return screen


async def settle(pilot: Any, screen: AlertsScreen) -> None:
    await pilot.pause()
    await screen.workers.wait_for_complete()
    await pilot.pause()


async def test_alerts_screen_lists_logs_and_deletes_after_asking(
        alert_service: AlertService) -> None:
    first = await alert_service.add(spec_for(market(HOSTILE), "above", threshold=0.6))
    second = await alert_service.add(spec_for(market(), "move", threshold=0.1, window_s=3600))
    alert_service.check({"1" * 70: 0.65}, NOW)  # the first fires: it shows in the log
    await alert_service.drain()
    app = Host()
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_alerts(app, pilot, alert_service)
        text = screen_text(app)
        assert "[/b] [@click=app.quit]x Trump [R] vs [link=" in text  # literal, not markup
        assert "crosses above 60.0¢" in text
        assert "moves 10.0¢ within 1h" in text and "fired" in text
        assert "crossed above 60.0¢: now 65.0¢" in text  # the log
        assert screen.query_one("#alerts-log", DataTable).row_count == 1
        await pilot.press("d")  # the cursor is on the first alert: it asks first
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmDelete)
        assert f"Delete alert {first.id}?" in screen_text(app)
        await pilot.press("enter")  # focus is on Keep: a stray Enter deletes nothing
        await settle(pilot, screen)
        assert pilot.app.screen is screen and len(screen.alerts) == 2
        await pilot.press("d", "y")
        await settle(pilot, screen)
        assert [a.id for a in screen.alerts] == [second.id]
        assert [m.alert_id for m in app.posted if isinstance(m, AlertDeleted)] == [
            first.id]
        log = screen.query_one("#alerts-log", DataTable)
        assert log.row_count == 1  # the firing is history: it stays
        text = screen_text(app)
        assert f"{first.id} (deleted)" in text and "crossed above 60.0¢: now 65.0¢" in text
        assert "[/b] [@click=app.quit]x Trump" in text  # the log row still names the market
        await pilot.press("d")
        await pilot.pause()
        await pilot.click("#confirm-delete")
        await settle(pilot, screen)
        assert EMPTY_ALERTS in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, AlertsScreen)
    assert await alert_service.alerts() == []
    assert alert_service.tokens == set()
    assert [e.alert_id for e in await alert_service.log()] == [first.id]


async def test_escape_in_the_confirm_keeps_the_alert(alert_service: AlertService) -> None:
    await alert_service.add(spec_for(market(), "above", threshold=0.6))
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_alerts(app, pilot, alert_service)
        for keys in (("d", "escape"), ("d", "n")):
            await pilot.press(*keys)
            await settle(pilot, screen)
            assert pilot.app.screen is screen and len(screen.alerts) == 1
    assert len(await alert_service.alerts()) == 1 and app.posted == []


LONG = ("Will the price of Ethereum be above $4,300 on December 2 at noon Eastern Time "
        "according to the Binance ETH/USDT one-minute candle, or the next one if it is missing?")


@pytest.mark.parametrize("size", [(80, 24), (60, 20), (160, 48)])
async def test_alerts_tables_fit_the_width_and_cut_with_an_ellipsis(
        alert_service: AlertService, size: tuple[int, int]) -> None:
    await alert_service.add(spec_for(market(LONG), "above", threshold=0.6))
    await alert_service.add(spec_for(market(LONG), "move", threshold=0.1, window_s=3600))
    alert_service.check({"1" * 70: 0.65}, NOW)
    await alert_service.drain()
    app = Host()
    async with app.run_test(size=size) as pilot:
        screen = await open_alerts(app, pilot, alert_service)
        for selector in ("#alerts-table", "#alerts-log"):
            table = screen.query_one(selector, DataTable)
            # Everything fits: no sideways scrolling, so no scrollbar under the table.
            assert table.virtual_size.width <= table.scrollable_content_region.width
            assert not table.show_horizontal_scrollbar
        lines = screen_text(app).splitlines()
        alert_rows = [line for line in lines if "crosses above 60.0¢" in line]
        assert alert_rows and all(line.rstrip().endswith("…") for line in alert_rows)
        assert any("Will the price of" in line for line in alert_rows)
        assert not any(mark in line for line in lines for mark in "▉▊▌▐")
        fired = [line for line in lines if "crossed above" in line]
        assert fired and all(line.rstrip().endswith("…") for line in fired)


def test_fit_widths_shares_the_room_and_drops_the_least_useful_column() -> None:
    # Id, Alert, State, Created (UTC), Market: fixed widths kept, the market gets the rest.
    assert fit_widths(ALERT_COLUMNS, [2, 21, 5, 16, 90], 80) == [2, 21, 5, 16, 26]
    assert fit_widths(ALERT_COLUMNS, [2, 21, 5, 16, 10], 70) == [2, 21, 5, 16, 10]
    # Too narrow for a readable market: "Created" goes first.
    assert fit_widths(ALERT_COLUMNS, [2, 21, 5, 16, 90], 76) == [2, 21, 5, None, 40]
    assert fit_widths(ALERT_COLUMNS, [2, 21, 5, 16, 90], 56) == [2, 21, 5, None, 20]
    # Two flexible columns: the shorter takes what it needs, the other the rest.
    assert fit_widths(LOG_COLUMNS, [16, 5, 20, 90], 100) == [16, 5, 20, 51]
    assert fit_widths(LOG_COLUMNS, [16, 5, 40, 90], 80) == [16, 5, 25, 26]
    assert fit_widths(LOG_COLUMNS, [16, 5, 40, 90], 76) == [16, None, 27, 27]


async def test_alerts_screen_says_when_it_cannot_read() -> None:
    class Broken:
        async def alerts(self) -> list[Any]:
            raise OSError("database is locked")

        async def log(self, limit: int = 100) -> list[Any]:
            return []

        async def remove(self, alert_id: int) -> bool:
            return False

    app = Host()
    async with app.run_test(size=(100, 24)) as pilot:
        app.push_screen(AlertsScreen(Broken()))
        await pilot.pause()
        await pilot.app.screen.workers.wait_for_complete()
        await pilot.pause()
        assert "Could not read the alerts (details in the log)." in screen_text(app)
