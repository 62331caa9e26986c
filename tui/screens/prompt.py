"""The one-line prompts of the wallet views: an address (or a Polymarket profile link) and
a label. Input is checked as it is submitted; a wrong address is a sentence under the
input, and no request is made.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tui.messages import WalletWanted
from tui.trader_models import (
    NAME_MAX_LEN,
    normalize_address,
)

LABEL_MAX_LEN = NAME_MAX_LEN
# A profile link pasted whole: polymarket.com/profile/0x… (or /@name?…, not handled).
_PROFILE = re.compile(r"polymarket\.com/profile/(0x[0-9a-fA-F]{40})\b")


def address_from(text: str) -> str:
    """The lowercase address typed or pasted (an address, or a Polymarket profile link);
    AddressError with a sentence otherwise."""
    found = _PROFILE.search(text)
    return normalize_address(found.group(1) if found else text)


def check_label(text: str) -> str:
    label = " ".join(text.split())
    if len(label) > LABEL_MAX_LEN:
        raise ValueError(f"A label is at most {LABEL_MAX_LEN} characters; this one has "
                         f"{len(label)}.")
    return label



class PromptScreen(ModalScreen[str | None]):
    """One line of input; `check` turns the text into the answer or raises ValueError
    (AddressError is one) with the sentence shown under the input."""

    DEFAULT_CSS = """
    PromptScreen {
        align: center middle;
    }
    PromptScreen > Vertical {
        width: 72;
        max-width: 100%;
        height: auto;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }
    PromptScreen Static {
        width: 1fr;
        height: auto;
    }
    PromptScreen #prompt-title {
        text-style: bold;
    }
    PromptScreen #prompt-error {
        color: $text-error;
    }
    PromptScreen #prompt-keys {
        color: $text-muted;
    }
    """
    BINDINGS: ClassVar[list[Binding]] = [  # type: ignore[assignment]
        Binding("escape", "cancel", "Cancel", id="prompt.cancel"),
    ]

    def __init__(self, title: str, *, check: Callable[[str], str], placeholder: str = "",
                 value: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.check = check
        self.placeholder = placeholder
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(self.title_text), id="prompt-title", markup=False)
            yield Input(self.value, placeholder=self.placeholder, id="prompt-input")
            yield Static(Content(""), id="prompt-error", markup=False)
            yield Static(Content("Enter confirms · Esc cancels"), id="prompt-keys",
                         markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            answer = self.check(event.value)
        except ValueError as error:
            self.say(str(error))
            return
        self.dismiss(answer)

    @on(Input.Changed)
    def _changed(self) -> None:
        self.say("")

    def say(self, sentence: str) -> None:
        self.query_one("#prompt-error", Static).update(Content(sentence))

    @property
    def error(self) -> str:
        return str(self.query_one("#prompt-error", Static).content)

    def action_cancel(self) -> None:
        self.dismiss(None)


class AddressPrompt(PromptScreen):
    """`w` and the palette's "Open wallet…": an address (or profile link) to open."""

    def __init__(self) -> None:
        super().__init__("Open a wallet: paste its address (0x and 40 hex digits) or its "
                         "Polymarket profile link", check=address_from,
                         placeholder="0x…")



def ask_for_address(app: App[object]) -> None:
    """The address prompt; a valid address asks the App to open its wallet."""
    def answered(address: str | None) -> None:
        if address:
            app.post_message(WalletWanted(address))

    app.push_screen(AddressPrompt(), answered)


def label_prompt(address: str, label: str) -> PromptScreen:
    return PromptScreen(f"Label for {address} (empty: none)", check=check_label,
                        value=label, placeholder="e.g. whale, my wallet")


