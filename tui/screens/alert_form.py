"""AlertForm: a small modal to create an alert on one market.

Kind (crosses above / below, moves by, ends within), the threshold and the window. On
Create it validates with the same parsers as `polydash alerts add`, posts
`AlertForm.Submitted(spec)` to the app and dismisses with the spec (None on cancel).
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
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from tui.models import Market
from tui.services.alerts import (
    KIND_LABELS,
    KINDS,
    AlertKind,
    AlertSpec,
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
        Binding("escape", "cancel", "Cancel", id="alert-form-cancel"),
    ]

    class Submitted(Message):
        """The user asked for this alert; store it with AlertService.add."""

        def __init__(self, spec: AlertSpec) -> None:
            self.spec = spec
            super().__init__()

    def __init__(self, market: Market, *, kind: AlertKind = "above",
                 name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self.market = market
        self.initial_kind = kind
        self._shown_kind: AlertKind = kind
        hint = self._price_hint()
        self._thresholds: dict[AlertKind, str] = {"above": hint, "below": hint,
                                                  "move": "0.1", "ends": ""}

    def compose(self) -> ComposeResult:
        market = self.market
        leading = market.leading
        tradable = [o for o in market.outcomes if o.token_id]
        first = leading if leading in tradable else (tradable[0] if tradable else None)
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

    def _price_hint(self) -> str:
        """The current price, a starting point for above/below."""
        leading = self.market.leading
        return f"{leading.price:.2f}" if leading and leading.price is not None else ""

    @property
    def kind(self) -> AlertKind:
        value = self.query_one("#alert-kind", Select).value
        return value if value in KINDS else "above"  # type: ignore[return-value]

    @on(Select.Changed, "#alert-kind")
    def _kind_changed(self, event: Select.Changed) -> None:
        self._show_kind(self.kind)

    def _show_kind(self, kind: AlertKind) -> None:
        for part, labels, defaults in (("threshold", THRESHOLD_LABELS, self._thresholds),
                                       ("window", WINDOW_LABELS, DEFAULT_WINDOWS)):
            self.query_one(f"#alert-{part}-label", Label).update(labels[kind])
            self.query_one(f"#alert-{part}-row").set_class(not labels[kind], "-hidden")
            field = self.query_one(f"#alert-{part}", Input)
            # Replace the value only while it is still the previous kind's default.
            if field.value in (defaults[self._shown_kind], "") and labels[kind]:
                field.value = defaults[kind]
        self._shown_kind = kind
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
        self.app.post_message(self.Submitted(spec))
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
        token = self.query_one("#alert-outcome", Select).value
        outcome = next((o for o in self.market.outcomes if o.token_id == token), None)
        spec = spec_for(self.market, kind, threshold=threshold, window_s=window,
                        outcome=outcome)
        problem = spec.problem()
        if problem is not None:
            raise ValueError(problem[:1].upper() + problem[1:] + ".")
        return spec


def describe_spec(spec: AlertSpec) -> str:
    """ "Alert set: <market> crosses above 60.0¢." for a notice (plain text: markup=False)."""
    return f"Alert set: {spec.market_text} {spec.describe()}."
