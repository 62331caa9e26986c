"""AlertForm: a small modal to create an alert on one market.

Kind (crosses above / below, moves by, ends within), the threshold and the window. An
above/below level starts 5¢ past the chosen outcome's price (`default_level`): Enter on
the defaults makes an alert that waits, not one that fires at once. On Create it
validates with the same parsers as `polydash alerts add`, refuses a level the price has
already crossed (`already_crossed`), posts `AlertSaveWanted(spec)` to the app and
dismisses with the spec (None on cancel).
The app stores it (AlertService.add) in a worker. Market and outcome names are data:
they reach the screen as `Content` / rich `Text`, never as markup.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from tui.messages import AlertSaveWanted
from tui.models import Market, Outcome
from tui.services.alert_rules import (
    KIND_LABELS,
    KINDS,
    AlertKind,
    AlertSpec,
    already_crossed,
    default_level,
    parse_duration,
    parse_price,
    spec_for,
)

THRESHOLD_LABELS: dict[AlertKind, str] = {
    "above": "Price (0.6 or 60¢)",
    "below": "Price (0.6 or 60¢)",
    "move": "Move (0.1 = 10 pts)",
    "ends": "",
}
WINDOW_LABELS: dict[AlertKind, str] = {
    "above": "",
    "below": "",
    "move": "Within (30m, 1h)",
    "ends": "Before end (24h, 2d)",
}
DEFAULT_WINDOWS: dict[AlertKind, str] = {"above": "", "below": "", "move": "1h", "ends": "24h"}
DEFAULT_MOVE = "0.1"


class AlertForm(ModalScreen[AlertSpec | None]):
    """New alert on `market` (its leading outcome unless another is picked)."""

    DEFAULT_CSS = """
    AlertForm {
        align: center middle;
    }
    AlertForm > #alert-form {
        width: 68;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: round $primary;
        background: $panel;
        padding: 0 1;
    }
    AlertForm #alert-title {
        margin-bottom: 1;
    }
    AlertForm .alert-row {
        height: auto;
    }
    AlertForm .alert-row > Label {
        width: 22;
        padding-top: 1;
        color: $text-muted;
    }
    AlertForm .alert-row > Select, AlertForm .alert-row > Input {
        width: 1fr;
    }
    AlertForm .-hidden {
        display: none;
    }
    AlertForm #alert-error {
        color: $text-error;
        height: auto;
    }
    AlertForm #alert-buttons {
        height: auto;
        align-horizontal: right;
    }
    AlertForm #alert-buttons Button {
        margin-left: 1;
    }
    """
    BINDINGS: ClassVar[list[Binding]] = [  # type: ignore[assignment]
        Binding("escape", "cancel", "Cancel", id="alert-form.cancel"),
    ]

    def __init__(self, market: Market, *, kind: AlertKind = "above",
                 name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self.market = market
        self.initial_kind = kind
        self.tradable = [o for o in market.outcomes if o.token_id]
        leading = market.leading
        self.first = leading if leading in self.tradable else next(iter(self.tradable), None)
        # What the form itself last put in each field: only that is replaced when the
        # kind or the outcome changes; anything the user typed stays.
        self._filled: dict[str, str] = {"threshold": "", "window": ""}

    def compose(self) -> ComposeResult:
        market = self.market
        tradable, first = self.tradable, self.first
        with VerticalScroll(id="alert-form"):
            yield Static(Content.assemble(("New alert", "bold"), "\n", market.title),
                         id="alert-title", markup=False)
            with Horizontal(classes="alert-row"):
                yield Label("When", markup=False)
                yield Select([(KIND_LABELS[k], k) for k in KINDS], value=self.initial_kind,
                             allow_blank=False, id="alert-kind")
            with Horizontal(id="alert-outcome-row",
                            classes="alert-row" + ("" if len(tradable) > 1 else " -hidden")):
                yield Label("Outcome", markup=False)
                yield Select([(Text(o.name or "?"), o.token_id) for o in tradable],
                             value=first.token_id if first else Select.NULL,
                             allow_blank=first is None, id="alert-outcome")
            with Horizontal(id="alert-threshold-row", classes="alert-row"):
                yield Label("", id="alert-threshold-label", markup=False)
                yield Input(id="alert-threshold")
            with Horizontal(id="alert-window-row", classes="alert-row"):
                yield Label("", id="alert-window-label", markup=False)
                yield Input(id="alert-window")
            yield Static("", id="alert-error", markup=False)
            with Horizontal(id="alert-buttons"):
                yield Button("Create", variant="primary", id="alert-create")
                yield Button("Cancel", id="alert-cancel")

    def on_mount(self) -> None:
        self._show_kind(self.initial_kind)
        focus = "#alert-threshold" if THRESHOLD_LABELS[self.initial_kind] else "#alert-window"
        self.query_one(focus, Input).focus()

    @property
    def outcome(self) -> Outcome | None:
        """The outcome picked in the form (the leading one at first)."""
        token = self.query_one("#alert-outcome", Select).value
        return next((o for o in self.tradable if o.token_id == token), None)

    def _default_threshold(self, kind: AlertKind) -> str:
        if kind == "move":
            return DEFAULT_MOVE
        outcome = self.outcome
        level = default_level(kind, outcome.price if outcome else None)
        return "" if level is None else f"{level:.2f}"

    @property
    def kind(self) -> AlertKind:
        value = self.query_one("#alert-kind", Select).value
        return value if value in KINDS else "above"  # type: ignore[return-value]

    @on(Select.Changed, "#alert-kind")
    @on(Select.Changed, "#alert-outcome")
    def _choice_changed(self, event: Select.Changed) -> None:
        self._show_kind(self.kind)

    def _show_kind(self, kind: AlertKind) -> None:
        for part, labels, default in (
                ("threshold", THRESHOLD_LABELS, self._default_threshold(kind)),
                ("window", WINDOW_LABELS, DEFAULT_WINDOWS[kind])):
            self.query_one(f"#alert-{part}-label", Label).update(labels[kind])
            self.query_one(f"#alert-{part}-row").set_class(not labels[kind], "-hidden")
            field = self.query_one(f"#alert-{part}", Input)
            if field.value in (self._filled[part], "") and labels[kind]:
                field.value = self._filled[part] = default
        self.query_one("#alert-error", Static).update("")

    # ------------------------------------------------------------ submitting

    @on(Button.Pressed, "#alert-create")
    @on(Input.Submitted)
    def action_create(self) -> None:
        try:
            spec = self.build_spec()
        except ValueError as error:
            self.query_one("#alert-error", Static).update(str(error))
            return
        self.app.post_message(AlertSaveWanted(spec))
        self.dismiss(spec)

    @on(Button.Pressed, "#alert-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    def build_spec(self) -> AlertSpec:
        """The spec the form describes; ValueError with a sentence when it is not valid."""
        kind = self.kind
        threshold = window = None
        if THRESHOLD_LABELS[kind]:
            threshold = parse_price(self.query_one("#alert-threshold", Input).value)
        if WINDOW_LABELS[kind]:
            window = parse_duration(self.query_one("#alert-window", Input).value)
        outcome = self.outcome
        spec = spec_for(self.market, kind, threshold=threshold, window_s=window,
                        outcome=outcome)
        problem = spec.problem() or already_crossed(kind, threshold,
                                                    outcome.price if outcome else None)
        if problem is not None:
            raise ValueError(problem[:1].upper() + problem[1:] + ".")
        return spec


def describe_spec(spec: AlertSpec) -> str:
    """ "Alert set: <market> crosses above 60.0¢." for a notice (plain text: markup=False)."""
    return f"Alert set: {spec.market_text} {spec.describe()}."
