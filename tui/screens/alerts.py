"""AlertsScreen: every alert (delete with d) and the log of the ones that fired.

It talks to the alerts service itself, in workers (a small screen with its own data);
failures become a sentence on the screen. Market text and log messages are data: table
cells are rich `Text`, never markup strings.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import ClassVar, Protocol

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from tui.services.alerts import Alert, LogEntry

log = logging.getLogger("polydash.alerts")

EMPTY_ALERTS = "No alerts yet. Select a market and press a to add one."
EMPTY_LOG = "No alert has fired yet."
LOG_LIMIT = 200


class AlertSource(Protocol):
    """What the screen needs of tui.services.alerts.AlertService."""

    async def alerts(self) -> list[Alert]: ...
    async def log(self, limit: int = 100) -> list[LogEntry]: ...
    async def remove(self, alert_id: int) -> bool: ...


def _when(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M")


# Short columns first, the (untrusted, any length) market text last.
ALERT_COLUMNS = ("Id", "Alert", "State", "Created (UTC)", "Market")
LOG_COLUMNS = ("Fired (UTC)", "Alert", "What happened", "Market")


def alert_cells(alert: Alert) -> tuple[Text, ...]:
    state = Text("armed", style="green") if alert.armed else Text("fired", style="yellow")
    return (Text(str(alert.id)), Text(alert.describe()), state, Text(_when(alert.created_at)),
            Text(alert.spec.market_text))


def log_cells(entry: LogEntry) -> tuple[Text, ...]:
    return (Text(_when(entry.fired_at)), Text(str(entry.alert_id)), Text(entry.detail),
            Text(entry.market_text))


class AlertsScreen(Screen[None]):
    """Alerts and their log; d deletes the alert under the cursor, escape goes back."""

    DEFAULT_CSS = """
    AlertsScreen {
        background: $background;
    }
    AlertsScreen #alerts-body {
        padding: 0 1;
    }
    AlertsScreen .alerts-heading {
        text-style: bold underline;
        margin-top: 1;
    }
    AlertsScreen #alerts-table {
        height: auto;
        max-height: 50%;
    }
    AlertsScreen #alerts-log {
        height: 1fr;
    }
    AlertsScreen #alerts-status {
        color: $text-muted;
        height: auto;
    }
    """
    BINDINGS: ClassVar[list[Binding]] = [  # type: ignore[assignment]
        Binding("escape", "back", "Back", id="alerts-back"),
        Binding("d,delete", "delete", "Delete alert", id="alerts-delete"),
        Binding("r", "reload", "Reload", show=False, id="alerts-reload"),
    ]

    class Deleted(Message):
        """An alert was deleted here (the service has already forgotten it)."""

        def __init__(self, alert_id: int) -> None:
            self.alert_id = alert_id
            super().__init__()

    def __init__(self, source: AlertSource, *, name: str | None = None,
                 id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self.source = source
        self.alerts: list[Alert] = []
        self.entries: list[LogEntry] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="alerts-body"):
            yield Static("Alerts", classes="alerts-heading", markup=False)
            yield DataTable(id="alerts-table", cursor_type="row", zebra_stripes=True)
            yield Static("", id="alerts-status", markup=False)
            yield Static("Fired", classes="alerts-heading", markup=False)
            yield DataTable(id="alerts-log", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#alerts-table", DataTable)
        table.add_columns(*ALERT_COLUMNS)
        self.query_one("#alerts-log", DataTable).add_columns(*LOG_COLUMNS)
        self.action_reload()
        table.focus()

    # ------------------------------------------------------------ data

    def action_reload(self) -> None:
        self.load()

    @work(group="alerts-screen", exclusive=True, exit_on_error=False)
    async def load(self) -> None:
        try:
            alerts = await self.source.alerts()
            entries = await self.source.log(LOG_LIMIT)
        except Exception:
            # Shown here, where the user is looking; the details go to the log.
            log.warning("could not read the alerts", exc_info=True)
            self.say("Could not read the alerts (details in the log).")
            return
        self.show(alerts, entries)

    def show(self, alerts: Sequence[Alert], entries: Sequence[LogEntry]) -> None:
        self.alerts, self.entries = list(alerts), list(entries)
        table = self.query_one("#alerts-table", DataTable)
        keep = table.cursor_row
        table.clear()
        for alert in self.alerts:
            table.add_row(*alert_cells(alert), key=str(alert.id))
        if self.alerts:
            table.move_cursor(row=min(keep, len(self.alerts) - 1))
        fired = self.query_one("#alerts-log", DataTable)
        fired.clear()
        for entry in self.entries:
            fired.add_row(*log_cells(entry), key=str(entry.id))
        self.say("" if self.alerts else EMPTY_ALERTS)

    def say(self, sentence: str) -> None:
        self.query_one("#alerts-status", Static).update(Content(sentence))

    @property
    def selected(self) -> Alert | None:
        table = self.query_one("#alerts-table", DataTable)
        if not self.alerts or not 0 <= table.cursor_row < len(self.alerts):
            return None
        return self.alerts[table.cursor_row]

    # ------------------------------------------------------------ actions

    def action_delete(self) -> None:
        alert = self.selected
        if alert is None:
            self.say(EMPTY_ALERTS)
            return
        self.delete(alert)

    @work(group="alerts-delete", exit_on_error=False)
    async def delete(self, alert: Alert) -> None:
        try:
            removed = await self.source.remove(alert.id)
        except Exception:
            log.warning("could not delete alert %d", alert.id, exc_info=True)
            self.say(f"Could not delete alert {alert.id} (details in the log).")
            return
        self.app.post_message(self.Deleted(alert.id))
        self.load()
        if removed:
            self.notify(f"Deleted alert {alert.id}: {alert.spec.market_text} "
                        f"{alert.describe()}", markup=False)

    def action_back(self) -> None:
        self.dismiss(None)

    @on(DataTable.RowSelected, "#alerts-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
