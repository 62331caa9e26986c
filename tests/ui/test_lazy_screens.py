"""The screens the App imports when they open (issue 10: the first frame does without
them): what they post still reaches the App's handlers, which live on message classes
in tui/messages.py; and the "later" worker (the websocket and the news, started after
the first list) fails with a sentence of its own."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fakedata import FakeData, make_markets
from tests.support import settle, until
from tui.screens.alert_form import AlertForm
from tui.screens.alerts import AlertsScreen, ConfirmDelete
from tui.services.alerts import AlertService


async def test_an_alert_made_in_the_form_is_saved_and_deleted_through_the_app(
        make_app: Any, alert_service: AlertService, monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(FakeData(make_markets(), alerts=alert_service))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        synced: list[bool] = []
        monkeypatch.setattr(app.market_feed, "sync_stream", lambda: synced.append(True))
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, AlertForm), "the alert form")
        await pilot.press("enter")  # the defaults: an alert that waits
        await until(pilot, lambda: alert_service.tokens, "the alert saved by the App")
        assert synced  # the new alert's token is priced live
        synced.clear()
        await pilot.press("A")
        await until(pilot, lambda: isinstance(app.screen, AlertsScreen), "the alerts screen")
        await settle(app, pilot)
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDelete), "the confirmation")
        await pilot.press("y")
        await until(pilot, lambda: synced, "the App told of the deletion")
    assert not alert_service.tokens


async def test_a_failed_later_start_reads_as_a_sentence(
        make_app: Any, data: FakeData, monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(data)

    def broken() -> None:
        raise RuntimeError("the news could not start")

    monkeypatch.setattr(app.news_feed, "start", broken)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: app.freshness.issue("later"), "the later worker's failure")
        issue = app.freshness.issue("later")
    assert issue is not None
    assert issue.sentence == ("Could not start live prices and the news because of an "
                              "unexpected error (details in the log).")
