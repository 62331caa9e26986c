"""A modal box of text over the dashboard (help, problems): scrolls, closes on Esc."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Static


class TextModal(ModalScreen[None]):
    """Subclasses give the text, the title and their own close binding (with its id)."""

    DEFAULT_CSS = """
    TextModal { align: center middle; }
    TextModal > VerticalScroll {
        width: 90%;
        max-width: 100;
        height: 90%;
        border: round $primary;
        border-title-color: $text-primary;
        background: $surface;
        padding: 0 1;
    }
    TextModal Static { width: 1fr; }
    """
    NAME: ClassVar[str] = "text"  # the ids: #NAME, #NAME-body, #NAME-text

    def __init__(self) -> None:
        super().__init__(id=self.NAME)

    def title_text(self) -> str:
        raise NotImplementedError

    def body(self) -> Content:
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        with VerticalScroll(id=f"{self.NAME}-body") as body:
            body.border_title = self.title_text()
            yield Static(self.body(), id=f"{self.NAME}-text")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(f"#{self.NAME}-body").focus()

    def action_close(self) -> None:
        self.dismiss(None)
