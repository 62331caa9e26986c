"""The saved wallets with their labels: Enter opens, `e` renames, `d` removes, `w` opens
another address.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from tui.messages import (
    FreshnessChanged,
    SavedWalletsLoaded,
    WalletRemoveWanted,
    WalletSaveWanted,
)
from tui.screens.prompt import ask_for_address, label_prompt
from tui.trader_models import SavedWallet
from tui.widgets.trader_list import TraderList
from tui.widgets.wallet_rows import SavedPainter


class WalletsScreen(Screen[None]):
    """The saved wallets: Enter opens one, e renames, d removes, w opens an address."""

    DEFAULT_CSS = """
    WalletsScreen {
        layout: vertical;
        background: $background;
    }
    WalletsScreen #wallets-title {
        height: 1;
        padding: 0 1;
        text-style: bold;
    }
    WalletsScreen #wallets-list {
        height: 1fr;
    }
    """
    BINDINGS: ClassVar[list[Binding]] = [  # type: ignore[assignment]
        Binding("escape", "back", "Back", id="wallets.back"),
        Binding("e", "rename", "Rename", id="wallets.rename"),
        Binding("d,delete", "remove", "Remove", id="wallets.remove"),
        Binding("w", "open_address", "Open address…", id="wallets.open-address"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.wallets: list[SavedWallet] = []

    def compose(self) -> ComposeResult:
        yield Static(Content("Saved wallets"), id="wallets-title", markup=False)
        yield TraderList(SavedPainter(), id="wallets-list")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.saved_list.empty_message = "Loading the saved wallets…"
        self.saved_list.focus()

    @property
    def saved_list(self) -> TraderList[SavedWallet]:
        return self.query_one("#wallets-list", TraderList)

    def on_saved_wallets_loaded(self, message: SavedWalletsLoaded) -> None:
        self.show(message.wallets)

    def show(self, wallets: Sequence[SavedWallet]) -> None:
        self.wallets = list(wallets)
        self.saved_list.empty_message = ("No saved wallets yet: open one (w) and press s "
                                         "to save it with a label.")
        self.saved_list.set_items(self.wallets, keep_place=True)

    def on_freshness_changed(self, message: FreshnessChanged) -> None:
        issue = message.freshness.issue("wallets")
        if issue is not None and not self.wallets:
            self.saved_list.empty_message = issue.sentence
            self.saved_list.refresh()

    def action_back(self) -> None:
        self.dismiss(None)

    def action_open_address(self) -> None:
        ask_for_address(self.app)

    def action_rename(self) -> None:
        wallet = self.saved_list.cursor_item
        if wallet is None:
            self.notify("No saved wallet selected.", markup=False)
            return

        def answered(label: str | None) -> None:
            if label is not None:
                self.app.post_message(WalletSaveWanted(wallet.address, label))

        self.app.push_screen(label_prompt(wallet.address, wallet.label), answered)

    def action_remove(self) -> None:
        wallet = self.saved_list.cursor_item
        if wallet is None:
            self.notify("No saved wallet selected.", markup=False)
            return
        self.app.post_message(WalletRemoveWanted(wallet.address))


