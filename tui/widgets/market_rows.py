"""What a line of the market list shows: the header, an event heading, a market.

Drawn from the list's data (markets, favorites, visits, sparklines, the clock, the sort
and the optional columns) in the columns that fit the width, with a palette built from
the list's styles; the widget (tui.widgets.market_list) decides which rows show and in
what state.
Data text (questions, event titles) goes into Rich Segments as plain strings: it is
never parsed as markup.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from tui.models import Market, Visit
from tui.view.catalog import Heading, RowSet
from tui.view.columns import ColumnLayout, fit_columns
from tui.view.format import (
    NO_VALUE,
    TIME_LEFT_UNITS,
    fmt_change,
    fmt_elapsed,
    fmt_money,
    fmt_price,
    fmt_time_left,
)
from tui.view.prices import leading_change, leading_price
from tui.view.sorts import SORTS
from tui.view.sparkline import with_latest
from tui.view.views import since_change
from tui.widgets.line_list import RowState, fit_text
from tui.widgets.sparkline import sparkline_text

STAR = "★"
TITLE_CACHE = 4096
ROLES = ("plain", "up", "down", "muted", "fav", "event", "spark")


def title_text(title: str, group_title: str, width: int) -> str:
    """The title cut to `width`, keeping the outcome's group title ("$206", "50 bps") in
    sight: sibling markets of an event often differ only at the end of the question."""
    if cell_len(title) <= width or not group_title:
        return fit_text(title, width, ellipsis=True)
    suffix = f"… {group_title}"
    room = width - cell_len(suffix)
    at = title.find(group_title)
    if room < max(12, width // 2) or at < 0 or at < room:
        # Too little room, or the group title starts in sight already: a plain cut.
        return fit_text(title, width, ellipsis=True)
    return fit_text(set_cell_size(title, room).rstrip() + suffix, width)


def _right(text: str, width: int) -> str:
    """Right-align a cell made of single-width characters (numbers, arrows, ¢)."""
    return text.rjust(width) if len(text) <= width else text[:width]


@dataclass(frozen=True, slots=True)
class Palette:
    """Full Rich styles per row state and cell role, built once per style change so a
    row render never adds styles together."""

    header: Style
    rows: dict[str, dict[str, Style]]  # state -> role -> style


def build_palette(bases: Mapping[RowState, Style],
                  role_style: Callable[[str], Style]) -> Palette:
    """The palette from a row's style in each state (`bases`) and each role's own style
    (`role_style("up")`, `role_style("header")`...)."""
    roles = {role: role_style(role) for role in ROLES if role != "plain"}
    rows: dict[str, dict[str, Style]] = {
        state: {"plain": base, **{role: base + style for role, style in roles.items()}}
        for state, base in bases.items()
    }
    # On the focused cursor's solid bar, red and green text is hard to read: the
    # bar's own colour throughout (the arrows and signs still say up or down).
    rows["cursor"] = dict.fromkeys(rows["cursor"], bases["cursor"])
    return Palette(header=bases["normal"] + role_style("header"), rows=rows)


class RowData(Protocol):
    """What market rows are drawn from (the market list)."""

    @property
    def markets(self) -> Mapping[str, Market]: ...
    @property
    def favorites(self) -> Collection[str]: ...
    @property
    def visits(self) -> Mapping[str, Visit]: ...
    @property
    def sparks(self) -> Mapping[str, Sequence[float]]: ...
    @property
    def now(self) -> datetime: ...
    @property
    def sort_key(self) -> str: ...
    @property
    def extra_columns(self) -> Collection[str]: ...


class MarketRows:
    """Draws the market list's lines from `data`; caches the column layout, cut titles
    and sparklines."""

    def __init__(self, data: RowData) -> None:
        self.data = data
        self._layout: ColumnLayout | None = None
        self._titles: dict[tuple[object, ...], str] = {}
        # (token, width) -> (the live price drawn in the last cell, the text).
        self._spark_texts: dict[tuple[str, int], tuple[float | None, str]] = {}

    def sparks_changed(self, tokens: Collection[str], shown: Iterable[str]) -> list[str]:
        """These tokens' sparklines changed: forget their drawn texts. Returns the markets
        among `shown` whose line draws one of them."""
        self._spark_texts = {k: v for k, v in self._spark_texts.items() if k[0] not in tokens}
        markets = self.data.markets
        return [key for key in shown
                if (market := markets.get(key)) and market.outcomes
                and market.outcomes[0].token_id in tokens]

    def columns(self, width: int) -> ColumnLayout:
        """The columns that fit `width`, the sort's among them; kept until the width
        changes or `forget_layout`."""
        if self._layout is None or self._layout.width != width:
            spec = SORTS.get(self.data.sort_key)
            self._layout = fit_columns(width, keep=spec.column if spec else "",
                                       show=self.data.extra_columns)
        return self._layout

    def forget_layout(self) -> None:
        """The sort, the optional columns or the size changed: fit the columns again."""
        self._layout = None

    def shows(self, column: str) -> bool:
        """Whether the columns fitted last include `column`."""
        return self._layout is not None and self._layout.has(column)

    def row(self, rows: RowSet, index: int, width: int, styles: Mapping[str, Style]) -> Strip:
        """Line `index` of `rows`, `width` cells: an event's heading or a market."""
        layout = self.columns(width)
        row_key = rows.keys[index]
        heading = rows.headings.get(row_key)
        if heading is not None:
            return self.heading(heading, layout, styles)
        market = self.data.markets.get(row_key)
        if market is None:
            return Strip.blank(width, styles["plain"])
        return self.market(market, rows.labels.get(row_key), layout, styles, width)

    def header(self, layout: ColumnLayout, palette: Palette, width: int, sort_key: str,
               reverse: bool) -> Strip:
        """Column names, with ▼ or ▲ on the sort column."""
        spec = SORTS.get(sort_key)
        arrow_column = spec.column if spec else ""
        descending = spec.descending != reverse if spec else True
        segments = []
        for index, column in enumerate(layout.columns):
            header = column.header
            if column.key == arrow_column:
                header += "▼" if descending else "▲"
            text = fit_text(header, layout.width_of(column), column.align)
            segments.append(Segment((" " if index else "") + text, palette.header))
        return Strip(segments).adjust_cell_length(width, palette.header)

    def heading(self, heading: Heading, layout: ColumnLayout,
                styles: Mapping[str, Style]) -> Strip:
        """An event's heading: "▾ Fed decision in March?  6 markets" (▸ when folded)."""
        count = f"  {heading.count} markets"
        room = max(layout.width - 2 - cell_len(count), 1)
        mark = "▸" if heading.folded else "▾"
        segments = [Segment("  ", styles["plain"]),
                    Segment(fit_text(f"{mark} {heading.label}", room, ellipsis=True),
                            styles["event"]),
                    Segment(count, styles["muted"])]
        return Strip(segments).adjust_cell_length(layout.width, styles["plain"])

    def market(self, market: Market, label: str | None, layout: ColumnLayout,
               styles: Mapping[str, Style], width: int) -> Strip:
        """One market, `width` cells: the columns, then padding."""
        # Few segments per line: Textual cuts every line at every widget edge on screen,
        # so each extra segment costs at every frame. A gap takes the next cell's role
        # (a space shows only the background), and same-role neighbours are merged.
        parts: list[str] = []
        segments: list[Segment] = []
        current = ""
        for index, column in enumerate(layout.columns):
            text, role = self._cell(column.key, label, market, layout.width_of(column))
            if role != current and parts:
                segments.append(Segment("".join(parts), styles[current]))
                parts = []
            current = role
            if index:
                parts.append(" ")
            parts.append(text)
        parts.append(" " * (width - layout.width))
        segments.append(Segment("".join(parts), styles[current]))
        return Strip(segments, width)

    def _cell(self, key: str, label: str | None, market: Market,
              width: int) -> tuple[str, str]:
        """(text exactly `width` cells wide, style role) for one cell."""
        data = self.data
        if key == "title":
            return self._title(market, label, width), "plain"
        if key == "price":
            return _right(fmt_price(leading_price(market), "whole"), width), "plain"
        if key in ("change", "since"):
            change = (since_change(market, data.visits) if key == "since"
                      else leading_change(market))
            text, direction = fmt_change(change)
            return _right(text, width), ("up" if direction > 0 else "down" if direction < 0
                                         else "muted")
        if key == "fav":
            return (STAR, "fav") if market.id in data.favorites else (" ", "plain")
        if key == "spark":
            return self._spark(market, width), "spark"
        if key == "volume_24h":
            return _right(fmt_money(market.volume_24h, narrow=True), width), "muted"
        if key == "liquidity":
            return _right(fmt_money(market.liquidity, narrow=True), width), "muted"
        if key == "volume":
            return _right(fmt_money(market.volume, narrow=True), width), "muted"
        if key == "created":  # what the "newest" sort orders by
            created = market.created_at or market.start_date
            text = NO_VALUE if created is None else \
                fmt_elapsed(created, data.now, TIME_LEFT_UNITS, below="<1m") + " ago"
            return _right(text, width), "muted"
        if key == "ends":
            text = fmt_time_left(market.end_date, data.now)
            return _right(text, width), ("down" if text == "ended" else "muted")
        return " " * width, "plain"

    def _title(self, market: Market, label: str | None, width: int) -> str:
        # Titles do not change on a price tick: cache the cut text (str hashes are cached).
        key = (label, width) if label is not None else (market.title, market.group_title, width)
        text = self._titles.get(key)
        if text is None:
            if len(self._titles) > TITLE_CACHE:
                self._titles.clear()
            if label is not None:
                text = fit_text(f"  {label}", width, ellipsis=True)
            else:
                text = title_text(market.title, market.group_title, width)
            self._titles[key] = text
        return text

    def _spark(self, market: Market, width: int) -> str:
        """The sparkline of outcome[0], its last cell at that outcome's live price."""
        first = market.outcomes[0] if market.outcomes else None
        token, latest = (first.token_id, first.price) if first else ("", None)
        key = (token, width)
        cached = self._spark_texts.get(key)
        if cached is not None and cached[0] == latest:
            return cached[1]
        values = with_latest(self.data.sparks.get(token, ()), latest)
        text = fit_text(sparkline_text(values, width), width)
        self._spark_texts[key] = (latest, text)
        return text
