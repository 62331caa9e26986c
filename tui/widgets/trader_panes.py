"""The side column's trader panes for the selected market: the trades tape, the top
holders per outcome, and the comments.

    Trades  12s ago  3 new ▲                                  T·H·C·N
     Time     Side  Price Shares    USD Outcome  Trader
     12:04:31 BUY   54.5¢  1.2K   $654 Yes      whale.eth
     12:04:02 SELL  45.0¢  80.0    $36 No       Brave-Otter

Each pane is a TraderList (tui/widgets/trader_list.py) under a header saying how fresh
it is, how many rows arrived out of sight, and whether the last refresh failed. Enter on
a trader (tape, holders, comments) opens their wallet. The App fetches and refreshes
(tui/trader_feed.py); the side column routes the results here.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from tui.messages import TraderPaneKind, WalletWanted
from tui.trader_models import Comment, Holder, HolderGroup, Trade, Trader
from tui.view.format import HEADLINE_UNITS, fmt_elapsed, fmt_money, fmt_price, fmt_shares
from tui.widgets.trader_list import Cell, Line, Painter, TraderList, fit

MAX_BODY_LINES = 8  # a longer comment ends in "…": the pane is a few lines tall
TITLES: dict[TraderPaneKind, str] = {"trades": "Trades", "holders": "Top holders",
                                     "comments": "Comments"}
# The default keys of the dashboard's pane bindings, for the header's hint.
PANE_KEYS_HINT = "⏎ wallet · T trades · H holders · C comments · N news"
SHORT_KEYS_HINT = "⏎ wallet · T H C N"  # a narrow pane: the keys alone


def wallet_request(trader: Trader) -> WalletWanted | None:
    return WalletWanted(trader.wallet, trader.name or trader.pseudonym) if trader.wallet \
        else None


def trade_time(moment: datetime, now: datetime) -> str:
    """ "12:04:31" today (UTC), "Feb 27" before: eight cells either way."""
    moment, now = moment.astimezone(UTC), now.astimezone(UTC)
    return moment.strftime("%H:%M:%S" if moment.date() == now.date() else "%b %d  ")


# ---------------------------------------------------------------- trades


class TradesPainter(Painter[Trade]):
    """Numbers first, the (untrusted, any length) outcome and trader last."""

    heading = True
    merges = True
    noun = "trades"
    FIXED = 8 + 1 + 4 + 1 + 6 + 1 + 6 + 1 + 7 + 1  # time side price shares usd

    def key(self, item: Trade) -> Hashable:
        return item.key

    def newest_first(self, item: Trade) -> object:
        return item.time

    def _outcome_width(self, width: int) -> int:
        return max(0, min(8, (width - self.FIXED) // 3))

    def heading_cells(self, width: int) -> list[Cell]:
        outcome = self._outcome_width(width)
        fixed = (fit("Time", 8) + " " + fit("Side", 4) + " " + fit("Price", 6, "right") + " "
                 + fit("Shares", 6, "right") + " " + fit("USD", 7, "right") + " ")
        return [(fixed, "heading"), (fit("Outcome", outcome), "heading"), (" ", ""),
                (fit("Trader", max(0, width - self.FIXED - outcome - 1)), "heading")]

    def cells(self, item: Trade, line: Line, width: int, now: datetime) -> list[Cell]:
        outcome = self._outcome_width(width)
        side = "up" if item.side == "BUY" else "down"
        return [
            (trade_time(item.time, now) + " ", "muted"),
            (fit(item.side, 4) + " ", side),
            (fit(fmt_price(item.price), 6, "right") + " ", "bold"),
            (fit(fmt_shares(item.size, compact=True), 6, "right") + " ", ""),
            (fit(fmt_money(item.usd), 7, "right") + " ", ""),
            (fit(item.outcome, outcome), ""), (" ", ""),
            (fit(item.trader.label, max(0, width - self.FIXED - outcome - 1)), "accent"),
        ]

    def request(self, item: Trade) -> Message | None:
        return wallet_request(item.trader)


# ---------------------------------------------------------------- holders


@dataclass(frozen=True, slots=True)
class HolderRow:
    """A line of the holders pane: an outcome's heading (holder None) or one holder."""

    group: HolderGroup
    holder: Holder | None = None
    rank: int = 0


def holder_rows(groups: Sequence[HolderGroup]) -> list[HolderRow]:
    rows: list[HolderRow] = []
    for group in groups:
        rows.append(HolderRow(group))
        rows += [HolderRow(group, holder, rank)
                 for rank, holder in enumerate(group.holders, 1)]
    return rows


class HoldersPainter(Painter[HolderRow]):
    noun = "holders"

    def key(self, item: HolderRow) -> Hashable:
        wallet = item.holder.trader.wallet if item.holder else ""
        return item.group.token_id, wallet, item.rank

    def selectable(self, item: HolderRow) -> bool:
        return item.holder is not None

    def cells(self, item: HolderRow, line: Line, width: int, now: datetime) -> list[Cell]:
        group, holder = item.group, item.holder
        if holder is None:
            summary = (f"  {len(group.holders)} shown hold "
                       f"{fmt_shares(group.total, compact=True)} shares")
            name = fit(group.outcome or "?", max(1, width - len(summary)))
            return [(name, "heading"), (fit(summary, width - len(name)), "muted")]
        share = holder.amount / group.total * 100 if group.total else 0.0
        label_width = max(0, width - 4 - 1 - 7 - 1 - 6)
        return [
            (fit(f"{item.rank}.", 3, "right") + " ", "muted"),
            (fit(holder.trader.label, label_width) + " ", "accent"),
            (fit(fmt_shares(holder.amount, compact=True), 7, "right") + " ", "bold"),
            (fit(f"{share:.1f}%", 6, "right"), ""),
        ]

    def request(self, item: HolderRow) -> Message | None:
        return wallet_request(item.holder.trader) if item.holder is not None else None


# ---------------------------------------------------------------- comments


class CommentsPainter(Painter[Comment]):
    """The author's line (cursor stop), then the body wrapped under it."""

    merges = True
    noun = "comments"
    INDENT = 3

    def key(self, item: Comment) -> Hashable:
        return item.id

    def newest_first(self, item: Comment) -> object:
        return item.time or datetime.min.replace(tzinfo=UTC), item.id

    def wrapped(self, item: Comment, width: int) -> list[str]:
        body = item.body.strip() or "(no text)"
        lines = [part.plain for part in Content(body).wrap(max(8, width - 1 - self.INDENT))]
        if len(lines) > MAX_BODY_LINES:
            lines = [*lines[: MAX_BODY_LINES - 1], lines[MAX_BODY_LINES - 1] + " …"]
        return lines

    def cells(self, item: Comment, line: Line, width: int, now: datetime) -> list[Cell]:
        if line.part:
            return [(" " * self.INDENT, ""), (fit(line.text, width - self.INDENT), "")]
        age = fmt_elapsed(item.time, now, HEADLINE_UNITS, below="now", unknown="?")
        reply = "↳ " if item.parent_id else ""
        facts = f"  {age} · ♥ {item.likes}"
        label = reply + item.author.label
        name = fit(label, max(1, min(cell_len(label), 40, width - len(facts))))
        return [(name, "accent"), (fit(facts, width - cell_len(name)), "muted")]

    def request(self, item: Comment) -> Message | None:
        return wallet_request(item.author)


PAINTERS: dict[TraderPaneKind, type[Painter[object]]] = {
    "trades": TradesPainter, "holders": HoldersPainter,  # type: ignore[dict-item]
    "comments": CommentsPainter,  # type: ignore[dict-item]
}


# ---------------------------------------------------------------- the pane


class TraderPane(Widget):
    """A header saying how fresh the rows are, over a TraderList."""

    DEFAULT_CSS = """
    TraderPane {
        layout: vertical;
        height: 1fr;
        border-top: hkey $panel;
    }
    TraderPane > .trader-pane--header {
        height: 1;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    TraderPane > TraderList {
        height: 1fr;
    }
    TraderPane.-hidden {
        display: none;
    }
    """

    def __init__(self, kind: TraderPaneKind, *, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.kind = kind
        self.market_id: str | None = None
        self.loaded_at: datetime | None = None
        self.failure: str | None = None
        self.now = datetime.now(UTC)

    def compose(self) -> ComposeResult:
        yield Static(Content(""), classes="trader-pane--header", markup=False)
        yield TraderList(PAINTERS[self.kind](), id=f"{self.kind}-list")

    def on_mount(self) -> None:
        self.list.empty_message = f"Select a market to see its {self.noun}."
        self._update_header()

    @property
    def list(self) -> TraderList[object]:
        return self.query_one(TraderList)

    @property
    def noun(self) -> str:
        return self.list.painter.noun

    # ------------------------------------------------------------ what it shows

    def start(self, market_id: str, now: datetime, *, offline: bool = False) -> None:
        """Another market: no rows until its own arrive."""
        self.market_id, self.loaded_at, self.failure, self.now = market_id, None, None, now
        rows = self.list
        rows.now = now
        rows.empty_message = (f"Offline (--offline): no {self.noun} without the network."
                              if offline else f"Loading {self.noun}…")
        rows.set_items([])
        self._update_header()

    def loaded(self, market_id: str, items: Sequence[object], at: datetime) -> int:
        """Rows of `market_id` fetched at `at`; returns how many are new."""
        if market_id != self.market_id:
            return 0  # a late answer for a market no longer shown
        self.loaded_at, self.failure = at, None
        rows = self.list
        rows.now = max(rows.now, at)
        rows.empty_message = f"No {self.noun} for this market yet."
        if self.kind == "holders":
            rows.set_items(holder_rows(items), keep_place=True)  # type: ignore[arg-type]
            added = 0
        else:
            added = rows.merge(items)
        self._update_header()
        return added

    def failed(self, sentence: str) -> None:
        """The last fetch failed: the rows shown stay, the header says so."""
        self.failure = sentence
        if not self.list.items:
            self.list.empty_message = sentence
            self.list.refresh()
        self._update_header()

    def tick(self, now: datetime) -> None:
        self.now = now
        self.list.tick(now)
        self._update_header()

    @property
    def new_count(self) -> int:
        return len(self.list.fresh)

    def on_trader_list_changed(self, message: TraderList.Changed) -> None:
        message.stop()
        self._update_header()

    # ------------------------------------------------------------ header

    def header_content(self, width: int = 0) -> Content:
        """ "Trades  12s ago  3 new ▲ · refresh failed (!)", then the keys: named when
        they fit in `width` cells (0: any), else the letters alone, which a narrow
        pane cuts first."""
        parts: list[str | tuple[str, str]] = [(TITLES[self.kind], "bold")]
        if self.loaded_at is not None:
            age = fmt_elapsed(self.loaded_at, self.now, below="0s")
            parts.append((f"  {age} ago", "$text-muted"))
        elif self.failure is None and self.market_id is not None:
            parts.append(("  loading…", "$text-muted"))
        count = self.new_count
        if count:
            arrow = " ▲" if self.list.fresh_above else ""
            parts.append((f"  {count} new{arrow}", "bold $text-success"))
        if self.failure is not None:
            parts.append(("  refresh failed (! for why)", "bold $text-warning"))
        facts = Content.assemble(*parts)
        hint = PANE_KEYS_HINT
        if width and facts.cell_length + 3 + cell_len(hint) > width:
            hint = SHORT_KEYS_HINT
        return Content.assemble(facts, (f"   {hint}", "$text-muted"))

    def on_resize(self) -> None:
        self._update_header()

    def _update_header(self) -> None:
        if self.is_mounted:
            header = self.query_one(".trader-pane--header", Static)
            header.update(self.header_content(
                max(0, self.size.width - header.styles.gutter.width)))
