"""One wallet's standing: positions (market, outcome, shares, average and current price,
value, P&L in $ and %), totals, and recent activity (trades, redeems, splits, merges).

A position's price follows the live price stream whenever its token is priced there
(`Position.repriced`). `s` saves the wallet with a label, `r` reloads, Esc goes back.
Like the dashboard it posts requests (WalletWanted, WalletSaveWanted, ...) and the App
delivers the results here (WalletLoaded, SavedWalletsLoaded, PricesUpdated,
FreshnessChanged).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from tui.clock import Clock, utc_now
from tui.messages import (
    FreshnessChanged,
    PricesUpdated,
    SavedWalletsLoaded,
    WalletLoaded,
    WalletReloadWanted,
    WalletSaveWanted,
    WalletsWanted,
    WalletTokensWatched,
)
from tui.screens.prompt import LABEL_MAX_LEN, label_prompt
from tui.trader_models import (
    Activity,
    Position,
    WalletReport,
    short_address,
)
from tui.view.format import fmt_elapsed, fmt_money
from tui.widgets.trader_list import TraderList, fit
from tui.widgets.wallet_rows import (
    ActivityPainter,
    PositionsPainter,
    direction,
    signed_money,
    signed_percent,
)


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

    def positions(self) -> tuple[Position, ...]:
        """The report's positions, marked at the live prices that arrived since."""
        return self.report.repriced(self.prices).positions if self.report is not None else ()

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
        marked = report.repriced(self.prices)
        positions = marked.positions
        value, cost = marked.positions_value, marked.cost
        pnl = value - cost
        percent = pnl / cost * 100 if cost else None
        style = {"up": "bold $text-success", "down": "bold $text-error",
                 "muted": "bold"}[direction(pnl)]
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


