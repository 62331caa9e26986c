"""AlertsScreen: every alert (d deletes one, after asking) and the log of the ones that
fired, which keeps the firings of deleted alerts too.

It talks to the alerts service itself, in workers (a small screen with its own data);
failures become a sentence on the screen. Market text and log messages are data: table
cells are rich `Text`, never markup strings. The tables fit the screen's width: the
market and "what happened" columns take the room left and end in "…" when cut, and on
a narrow screen the least useful column goes (no sideways scrolling).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import ClassVar, Protocol

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, DataTable, Footer, Static

from tui.messages import AlertDeleted
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


# ---------------------------------------------------------------- columns


@dataclass(frozen=True, slots=True)
class TableColumn:
    header: str
    flexible: bool = False  # takes the room left; cut with "…" when it does not fit
    drop: int = 0  # drop order when the flexible columns get too little room; 0 stays


# Short columns first, the (untrusted, any length) market text last.
ALERT_COLUMNS = (TableColumn("Id"), TableColumn("Alert"), TableColumn("State"),
                 TableColumn("Created (UTC)", drop=1), TableColumn("Market", flexible=True))
LOG_COLUMNS = (TableColumn("Fired (UTC)"), TableColumn("Alert", drop=1),
               TableColumn("What happened", flexible=True),
               TableColumn("Market", flexible=True))
CELL_PADDING = 2  # DataTable's cell_padding (1) on each side of every column
MIN_FLEXIBLE = 24  # below this a question or a sentence is too cut to read


def fit_widths(columns: Sequence[TableColumn], natural: Sequence[int],
               room: int) -> list[int | None]:
    """Each column's width within `room` cells (None: dropped). Fixed columns keep their
    `natural` width; the flexible ones share what is left, the narrower served first."""
    kept = list(range(len(columns)))
    droppable = sorted((i for i, c in enumerate(columns) if c.drop),
                       key=lambda i: columns[i].drop)
    flexible = [i for i in kept if columns[i].flexible]

    def left() -> int:
        fixed = sum(natural[i] for i in kept if not columns[i].flexible)
        return room - fixed - CELL_PADDING * len(kept)

    wanted = sum(min(natural[i], MIN_FLEXIBLE) for i in flexible)
    while droppable and left() < wanted:
        kept.remove(droppable.pop(0))
    widths: list[int | None] = [natural[i] if i in kept else None
                                for i in range(len(columns))]
    space = max(left(), 0)
    waiting = sorted(flexible, key=lambda i: natural[i])
    while waiting:
        index = waiting.pop(0)
        widths[index] = max(1, min(natural[index], space // (len(waiting) + 1)))
        space -= widths[index] or 0
    return widths


def cell(text: str, style: str = "") -> Text:
    """One line of plain text that ends in "…" when its column is narrower."""
    return Text(text, style=style, no_wrap=True, overflow="ellipsis", end="")


def alert_cells(alert: Alert) -> tuple[Text, ...]:
    state = cell("armed", "green") if alert.armed else cell("fired", "yellow")
    return (cell(str(alert.id)), cell(alert.describe()), state, cell(_when(alert.created_at)),
            cell(alert.spec.market_text))


def log_cells(entry: LogEntry, *, deleted: bool = False) -> tuple[Text, ...]:
    """A firing; `deleted` when its alert is gone (the row is still worth reading)."""
    alert = f"{entry.alert_id} (deleted)" if deleted else str(entry.alert_id)
    return (cell(_when(entry.fired_at)), cell(alert, "dim" if deleted else ""),
            cell(entry.detail), cell(entry.market_text))


def fill_table(table: DataTable[Text], columns: Sequence[TableColumn],
               rows: Sequence[tuple[str, tuple[Text, ...]]], room: int) -> None:
    """Replace `table`'s columns and rows with those that fit `room` cells."""
    natural = [max([len(c.header), *(row[i].cell_len for _, row in rows)])
               for i, c in enumerate(columns)]
    widths = fit_widths(columns, natural, room)
    keep = table.cursor_row
    table.clear(columns=True)
    for column, width in zip(columns, widths, strict=True):
        if width is not None:
            table.add_column(cell(column.header), width=width)
    for key, row in rows:
        table.add_row(*(c for c, w in zip(row, widths, strict=True) if w is not None),
                      key=key)
    if rows:
        table.move_cursor(row=min(max(keep, 0), len(rows) - 1))


# ---------------------------------------------------------------- asking before deleting


class ConfirmDelete(ModalScreen[bool]):
    """ "Delete alert 3?" y (or the Delete button) deletes; n, Esc or Cancel keeps it."""

    DEFAULT_CSS = """
    ConfirmDelete {
        align: center middle;
    }
    ConfirmDelete > Vertical {
        width: 60;
        max-width: 100%;
        height: auto;
        border: round $error;
        background: $panel;
        padding: 0 1;
    }
    ConfirmDelete #confirm-buttons {
        height: auto;
        align-horizontal: right;
    }
    ConfirmDelete #confirm-buttons Button {
        margin-left: 1;
    }
    """
    BINDINGS: ClassVar[list[Binding]] = [  # type: ignore[assignment]
        Binding("y", "answer(True)", "Delete", id="alerts.confirm-delete"),
        Binding("n,escape", "answer(False)", "Keep", id="alerts.confirm-keep"),
    ]

    def __init__(self, alert: Alert) -> None:
        super().__init__(id="alerts-confirm")
        self.alert = alert

    def compose(self) -> ComposeResult:
        alert = self.alert
        with Vertical():
            yield Static(Content.assemble(
                (f"Delete alert {alert.id}?", "bold"), "\n",
                alert.spec.market_text, " ", alert.describe(), "\n\n",
                ("Its firings stay in the log. y deletes, n or Esc keeps it.",
                 "$text-muted")), id="confirm-text")
            with Horizontal(id="confirm-buttons"):
                yield Button("Delete", variant="error", id="confirm-delete")
                yield Button("Keep", id="confirm-keep")

    def on_mount(self) -> None:
        # A stray Enter keeps the alert: deleting takes y or a click on Delete.
        self.query_one("#confirm-keep", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.action_answer(event.button.id == "confirm-delete")

    def action_answer(self, delete: bool) -> None:
        self.dismiss(delete)


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
    AlertsScreen DataTable {
        width: 1fr;
        overflow-x: hidden;
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
        Binding("escape", "back", "Back", id="alerts.back"),
        Binding("d,delete", "delete", "Delete alert", id="alerts.delete"),
        Binding("r", "reload", "Reload", show=False, id="alerts.reload"),
    ]

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
        self.action_reload()
        self.query_one("#alerts-table", DataTable).focus()

    def on_resize(self) -> None:
        # The tables have their new width only once the layout has run.
        self.call_after_refresh(self.fill)

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
        self.fill()
        self.say("" if self.alerts else EMPTY_ALERTS)

    def fill(self) -> None:
        """Both tables, fitted to their width now."""
        alive = {alert.id for alert in self.alerts}
        for selector, columns, rows in (
                ("#alerts-table", ALERT_COLUMNS,
                 [(str(a.id), alert_cells(a)) for a in self.alerts]),
                ("#alerts-log", LOG_COLUMNS,
                 [(str(e.id), log_cells(e, deleted=e.alert_id not in alive))
                  for e in self.entries])):
            table: DataTable[Text] = self.query_one(selector, DataTable)
            # Room for a vertical scrollbar, shown or not, so a row never overflows.
            room = table.size.width - table.styles.scrollbar_size_vertical
            fill_table(table, columns, rows, room)

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

        def answered(delete: bool | None) -> None:
            if delete:
                self.delete(alert)

        self.app.push_screen(ConfirmDelete(alert), answered)

    @work(group="alerts.delete", exit_on_error=False)
    async def delete(self, alert: Alert) -> None:
        try:
            removed = await self.source.remove(alert.id)
        except Exception:
            log.warning("could not delete alert %d", alert.id, exc_info=True)
            self.say(f"Could not delete alert {alert.id} (details in the log).")
            return
        self.app.post_message(AlertDeleted(alert.id))
        self.load()
        if removed:
            self.notify(f"Deleted alert {alert.id}: {alert.spec.market_text} "
                        f"{alert.describe()}. Its firings stay in the log.", markup=False)

    def action_back(self) -> None:
        self.dismiss(None)

    @on(DataTable.RowSelected, "#alerts-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
