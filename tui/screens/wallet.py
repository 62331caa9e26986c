"""The wallet views: one wallet's standing, the saved wallets, and the small prompts
that ask for an address or a label.

- `WalletScreen`: positions (market, outcome, shares, average and current price, value,
  P&L in $ and %), totals, and recent activity (trades, redeems, splits, merges). A
  position's price follows the live price stream whenever its token is priced there
  (`Position.repriced`). `s` saves the wallet with a label, `r` reloads, Esc goes back.
- `WalletsScreen`: the saved wallets with their labels; Enter opens, `e` renames, `d`
  removes, `w` opens another address.
- `PromptScreen`: one line of input checked as it is submitted; a wrong address is a
  sentence under the input, and no request is made.

Like the dashboard they post requests (WalletWanted, WalletSaveWanted, ...) and the App
delivers the results here (WalletLoaded, SavedWalletsLoaded, PricesUpdated,
FreshnessChanged). Wallet text (names, titles) is data: drawn by the TraderList's
painters as plain strings, never markup.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Mapping, Sequence
from datetime import UTC, datetime
from typing import ClassVar

from rich.cells import cell_len
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Input, Static

from tui.clock import Clock, utc_now
from tui.messages import (
    FreshnessChanged,
    MarketWanted,
    PricesUpdated,
    SavedWalletsLoaded,
    WalletLoaded,
    WalletReloadWanted,
    WalletRemoveWanted,
    WalletSaveWanted,
    WalletsWanted,
    WalletTokensWatched,
    WalletWanted,
)
from tui.trader_models import (
    NAME_MAX_LEN,
    Activity,
    Position,
    SavedWallet,
    WalletReport,
    normalize_address,
    short_address,
)
from tui.view.format import NO_VALUE, fmt_elapsed, fmt_money, fmt_price, fmt_shares
from tui.widgets.trader_list import Cell, Line, Painter, TraderList, fit
from tui.widgets.trader_panes import trade_time

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


def signed_money(amount: float | None) -> str:
    """ "+$20", "−$1.2K": a P&L reads without colour."""
    if amount is None:
        return NO_VALUE
    sign = "+" if amount > 0 else "\u2212" if amount < 0 else ""
    return sign + fmt_money(abs(amount))


def signed_percent(value: float | None) -> str:
    if value is None:
        return NO_VALUE
    sign = "+" if value > 0 else "\u2212" if value < 0 else ""
    return f"{sign}{abs(value):.1f}%"


def _direction(value: float | None) -> str:
    return "up" if value and value > 0 else "down" if value and value < 0 else "muted"


# ---------------------------------------------------------------- painters


class PositionsPainter(Painter[Position]):
    """Numbers first, the (untrusted, any length) outcome and market last."""

    heading = True
    noun = "open positions"
    FIXED = 7 + 1 + 6 + 1 + 6 + 1 + 8 + 1 + 8 + 1 + 7 + 1

    def key(self, item: Position) -> Hashable:
        return item.token_id or (item.condition_id, item.outcome)

    @staticmethod
    def _outcome_width(width: int) -> int:
        return max(0, min(10, (width - PositionsPainter.FIXED) // 3))

    def heading_cells(self, width: int) -> list[Cell]:
        outcome = self._outcome_width(width)
        fixed = " ".join(fit(name, size, "right") for name, size in (
            ("Shares", 7), ("Avg", 6), ("Now", 6), ("Value", 8), ("P&L", 8), ("P&L %", 7)))
        return [(fixed + " ", "heading"), (fit("Outcome", outcome) + " ", "heading"),
                (fit("Market", max(0, width - self.FIXED - outcome - 1)), "heading")]

    def cells(self, item: Position, line: Line, width: int, now: datetime) -> list[Cell]:
        outcome = self._outcome_width(width)
        trend = _direction(item.pnl)
        return [
            (fit(fmt_shares(item.size, compact=True), 7, "right") + " ", ""),
            (fit(fmt_price(item.avg_price), 6, "right") + " ", "muted"),
            (fit(fmt_price(item.cur_price), 6, "right") + " ", "bold"),
            (fit(fmt_money(item.value), 8, "right") + " ", ""),
            (fit(signed_money(item.pnl), 8, "right") + " ", trend),
            (fit(signed_percent(item.pnl_pct), 7, "right") + " ", trend),
            (fit(item.outcome or NO_VALUE, outcome) + " ", "accent"),
            (fit(item.title, max(0, width - self.FIXED - outcome - 1)), ""),
        ]

    def request(self, item: Position) -> Message | None:
        """Enter: the position's market in the dashboard."""
        return MarketWanted(item.token_id, item.condition_id, item.title)


class ActivityPainter(Painter[Activity]):
    """A trade, redeem, split or merge; the outcome of a row without one is "—"."""

    heading = True
    noun = "recent activity"
    FIXED = 8 + 1 + 7 + 1 + 4 + 1 + 6 + 1 + 6 + 1 + 8 + 1

    def key(self, item: Activity) -> Hashable:
        return item.tx, item.type, item.token_id, item.size, item.time

    @staticmethod
    def _outcome_width(width: int) -> int:
        return max(0, min(8, (width - ActivityPainter.FIXED) // 3))

    def heading_cells(self, width: int) -> list[Cell]:
        outcome = self._outcome_width(width)
        fixed = (fit("Time", 8) + " " + fit("Type", 7) + " " + fit("Side", 4) + " "
                 + fit("Price", 6, "right") + " " + fit("Shares", 6, "right") + " "
                 + fit("USD", 8, "right") + " ")
        return [(fixed, "heading"), (fit("Outcome", outcome) + " ", "heading"),
                (fit("Market", max(0, width - self.FIXED - outcome - 1)), "heading")]

    def cells(self, item: Activity, line: Line, width: int, now: datetime) -> list[Cell]:
        outcome = self._outcome_width(width)
        side_role = "up" if item.side == "BUY" else "down" if item.side == "SELL" else ""
        return [
            (trade_time(item.time, now) + " ", "muted"),
            (fit(item.type.title(), 7) + " ", "bold"),
            (fit(item.side or "", 4) + " ", side_role),
            (fit(fmt_price(item.price), 6, "right") + " ", ""),
            (fit(fmt_shares(item.size, compact=True), 6, "right") + " ", ""),
            (fit(fmt_money(item.usd), 8, "right") + " ", ""),
            (fit(item.outcome or NO_VALUE, outcome) + " ", "accent"),
            (fit(item.title, max(0, width - self.FIXED - outcome - 1)), ""),
        ]


class SavedPainter(Painter[SavedWallet]):
    heading = True
    noun = "saved wallets"

    def key(self, item: SavedWallet) -> Hashable:
        return item.address

    def heading_cells(self, width: int) -> list[Cell]:
        return [(fit("Label", 24) + " ", "heading"), (fit("Address", 43) + " ", "heading"),
                (fit("Saved", max(0, width - 69)), "heading")]

    def cells(self, item: SavedWallet, line: Line, width: int, now: datetime) -> list[Cell]:
        address = item.address if width >= 69 else short_address(item.address)
        return [(fit(item.label or "(no label)", 24) + " ", "accent" if item.label else "muted"),
                (fit(address, 43 if width >= 69 else 13) + " ", ""),
                (fit(item.added_at.astimezone(UTC).strftime("%Y-%m-%d"),
                     max(0, width - (69 if width >= 69 else 39))), "muted")]

    def request(self, item: SavedWallet) -> Message | None:
        return WalletWanted(item.address, item.label)


# ---------------------------------------------------------------- the prompt


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


# ---------------------------------------------------------------- one wallet


class WalletScreen(Screen[None]):
    """A wallet's positions, totals and recent activity."""

    DEFAULT_CSS = """
    WalletScreen {
        layout: vertical;
        background: $background;
    }
    WalletScreen .wallet--line {
        height: 1;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    WalletScreen .wallet--heading {
        height: 2;
        padding: 0 1;
        text-style: bold;
        border-top: hkey $panel;
    }
    WalletScreen TraderList {
        height: 1fr;
    }
    """
    BINDINGS: ClassVar[list[Binding]] = [  # type: ignore[assignment]
        Binding("escape", "back", "Back", id="wallet.back"),
        Binding("s", "save", "Save with label", id="wallet.save"),
        Binding("r", "reload", "Reload", id="wallet.reload"),
        Binding("W", "wallets", "Wallets", id="wallet.wallets"),
    ]
    AGE_S = 1.0

    def __init__(self, address: str, *, label: str = "", clock: Clock = utc_now) -> None:
        super().__init__()  # no id: wallets opened from wallets stack up
        self.address = address
        self.label = label
        self.saved = False
        self.clock = clock
        self.report: WalletReport | None = None
        self.prices: dict[str, float] = {}  # live prices of the positions' tokens
        self.failure: str | None = None

    def compose(self) -> ComposeResult:
        yield Static(Content(""), id="wallet-head", classes="wallet--line", markup=False)
        yield Static(Content(""), id="wallet-totals", classes="wallet--line", markup=False)
        yield Static(Content.assemble("Positions", ("   ⏎ its market", "$text-muted not bold")),
                     classes="wallet--heading", markup=False)
        yield TraderList(PositionsPainter(), id="wallet-positions")
        yield Static(Content("Recent activity"), classes="wallet--heading", markup=False)
        yield TraderList(ActivityPainter(), id="wallet-activity")
        yield Footer(compact=True)

    def on_resize(self) -> None:
        self._render_head()

    def on_mount(self) -> None:
        self.positions_list.empty_message = "Loading positions…"
        self.activity_list.empty_message = "Loading activity…"
        self._render_head()
        self.set_interval(self.AGE_S, self._tick)
        self.positions_list.focus()

    @property
    def positions_list(self) -> TraderList[Position]:
        return self.query_one("#wallet-positions", TraderList)

    @property
    def activity_list(self) -> TraderList[Activity]:
        return self.query_one("#wallet-activity", TraderList)

    def positions(self) -> list[Position]:
        """The report's positions, marked at the live prices that arrived since."""
        if self.report is None:
            return []
        return [p.repriced(self.prices[p.token_id]) if p.token_id in self.prices else p
                for p in self.report.positions]

    # ------------------------------------------------------------ results

    def on_wallet_loaded(self, message: WalletLoaded) -> None:
        if message.report.address != self.address:
            return
        self.report, self.prices, self.failure = message.report, {}, None
        now = self.clock()
        self.positions_list.now = self.activity_list.now = now
        self.positions_list.empty_message = "No open positions."
        self.activity_list.empty_message = "No recent activity."
        self.positions_list.set_items(message.report.positions, keep_place=True)
        self.activity_list.set_items(message.report.activity, keep_place=True)
        self._render_head()
        self._watch()

    def _watch(self) -> None:
        """Price the positions live while this view shows."""
        tokens = tuple(p.token_id for p in self.report.positions if p.token_id) \
            if self.report is not None else ()
        self.app.post_message(WalletTokensWatched(tokens))

    def on_screen_resume(self) -> None:
        self._watch()

    def on_screen_suspend(self) -> None:
        self.app.post_message(WalletTokensWatched(()))

    def on_unmount(self) -> None:
        self.app.post_message(WalletTokensWatched(()))

    def on_prices_updated(self, message: PricesUpdated) -> None:
        self.reprice(message.prices)

    def reprice(self, prices: Mapping[str, float]) -> None:
        """Live prices: positions of those tokens are marked at them."""
        if self.report is None:
            return
        mine = {t: p for t, p in prices.items()
                if any(pos.token_id == t for pos in self.report.positions)}
        if mine:
            self.prices.update(mine)
            self.positions_list.set_items(self.positions(), keep_place=True)
            self._render_head()

    def on_saved_wallets_loaded(self, message: SavedWalletsLoaded) -> None:
        saved = next((w for w in message.wallets if w.address == self.address), None)
        self.saved = saved is not None
        if saved is not None:
            self.label = saved.label
        self._render_head()

    def on_freshness_changed(self, message: FreshnessChanged) -> None:
        issue = message.freshness.issue("wallet")
        self.failure = issue.sentence if issue is not None else None
        if self.failure is not None and self.report is None:
            self.positions_list.empty_message = self.failure
            self.activity_list.empty_message = "Press r to try again."
            self.positions_list.refresh()
            self.activity_list.refresh()
        self._render_head()

    # ------------------------------------------------------------ drawing

    def _tick(self) -> None:
        self._render_head()
        self.activity_list.tick(self.clock())

    def head_content(self, width: int = 0) -> Content:
        """ "Wallet whale  0x1234…abcd · unsaved" in `width` cells (0: any): the whole
        address when it fits, and the label (any length) cut before the address is."""
        state = " · saved" if self.saved else " · unsaved"
        label = self.label[:LABEL_MAX_LEN]
        address = self.address
        fixed = len("Wallet ") + (2 if label else 0) + len(state)
        if width and fixed + cell_len(label) + len(address) > width:
            address = short_address(address)
            label = fit(label, max(1, width - fixed - len(address))).rstrip()
        parts: list[str | tuple[str, str]] = [("Wallet ", "bold")]
        if label:
            parts += [(label, "bold $text-accent"), "  "]
        parts += [(address, "$text-muted"), (state, "$text-muted")]
        return Content.assemble(*parts)

    def totals_content(self) -> Content:
        report = self.report
        if report is None:
            return Content.assemble((self.failure or "Loading…", "$text-warning"
                                     if self.failure else "$text-muted"))
        positions = self.positions()
        value = sum(p.value for p in positions)
        cost = sum(p.initial_value for p in positions)
        pnl = value - cost
        percent = pnl / cost * 100 if cost else None
        style = {"up": "bold $text-success", "down": "bold $text-error",
                 "muted": "bold"}[_direction(pnl)]
        age = fmt_elapsed(report.fetched_at, self.clock(), below="0s")
        live = f" · {len(self.prices)} live" if self.prices else ""
        parts: list[str | tuple[str, str]] = [
            ("Value ", "$text-muted"), (fmt_money(value), "bold"),
            ("   P&L ", "$text-muted"), (f"{signed_money(pnl)} ({signed_percent(percent)})",
                                          style),
            # The age first: a narrow screen cuts the counts, not how fresh they are.
            (f"   as of {age} ago · {len(positions)} positions{live}", "$text-muted"),
        ]
        if self.failure is not None:
            parts.append(("   reload failed (! for why)", "bold $text-warning"))
        return Content.assemble(*parts)

    def _render_head(self) -> None:
        head = self.query_one("#wallet-head", Static)
        head.update(self.head_content(max(0, self.size.width - head.styles.gutter.width)))
        self.query_one("#wallet-totals", Static).update(self.totals_content())

    # ------------------------------------------------------------ actions

    def action_back(self) -> None:
        self.dismiss(None)

    def action_reload(self) -> None:
        self.app.post_message(WalletReloadWanted(self.address))

    def action_wallets(self) -> None:
        self.app.post_message(WalletsWanted())

    def action_save(self) -> None:
        address = self.address

        def answered(label: str | None) -> None:
            if label is not None:
                self.label = label
                self.app.post_message(WalletSaveWanted(address, label))

        self.app.push_screen(label_prompt(address, self.label), answered)


# ---------------------------------------------------------------- the saved wallets


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

