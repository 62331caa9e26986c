"""Command palette (Ctrl+P): the app's real commands, built from the current state.

Sorts, views and tags, grouping, favorite, links, alerts, refresh, filter, themes, help,
and "Jump to" any loaded market by a fuzzy match on its question.

Data text (tag labels, questions) is shown as `Content(text)` with our own highlight:
Textual's `Matcher.highlight` parses its input as markup, and its fuzzy search
enumerates every combination of offsets (far too slow on long questions).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Protocol, runtime_checkable

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from tui.view.catalog import Catalog, Selection
from tui.view.matching import fuzzy_match
from tui.view.sorts import SORTS
from tui.view.views import BASE_VIEWS


@runtime_checkable
class Dashboard(Protocol):
    """What the palette needs of the screen it runs on (the main screen satisfies it)."""

    @property
    def catalog(self) -> Catalog: ...
    @property
    def selection(self) -> Selection: ...
    def set_sort(self, key: str, reverse: bool = False) -> None: ...
    def set_view(self, key: str) -> None: ...
    def jump_to(self, market_id: str) -> None: ...
    def action_reverse_sort(self) -> None: ...
    def action_toggle_group(self) -> None: ...
    def action_pin_favorites(self) -> None: ...
    def action_toggle_favorite(self) -> None: ...
    def action_open_link(self, kind: str) -> None: ...
    def action_add_alert(self) -> None: ...
    def action_alerts(self) -> None: ...
    def action_refresh(self) -> None: ...
    def action_filter(self) -> None: ...
    def action_lower_pane(self, pane: str) -> None: ...
    def action_open_wallet(self) -> None: ...
    def action_wallets(self) -> None: ...

MAX_JUMPS = 20
JUMP_PREFIX = "Jump to: "
# Hand the loop back every so many questions, so typing in the palette stays smooth.
YIELD_EVERY = 4000


@dataclass(frozen=True, slots=True)
class Command:
    text: str  # may contain data (a tag label): always shown through Content(text)
    run: Callable[[], object]
    help: str  # ours only, plain text: palette_help makes it show literally


def palette_help(text: str) -> str:
    """Our own help text for a palette entry, which the palette parses as markup: a
    backslash before every "[" keeps "[keys]" from vanishing as an unknown tag
    (`textual.markup.escape` leaves "[R]"-like uppercase tags alone)."""
    return text.replace("[", "\\[")


def highlighted(text: str, offsets: tuple[int, ...], style: object) -> Content:
    content = Content(text)
    for offset in offsets:
        if offset < len(text) and not text[offset].isspace():
            content = content.stylize(style, offset, offset + 1)  # type: ignore[arg-type]
    return content


class MarketCommands(Provider):
    """Commands of the dashboard; only offered on the main screen."""

    _titles: list[tuple[str, str, str, str, str]] | None = None

    def _jump_candidates(self, main: Dashboard) -> list[tuple[str, str, str, str, str]]:
        """(id, title, title lowered, question, question lowered), once per palette."""
        if self._titles is None:
            self._titles = [(m.id, m.title, m.title.lower(), m.question, m.question.lower())
                            for m in main.catalog.markets.values()]
        return self._titles

    def _main(self) -> Dashboard | None:
        screen = self.screen
        return screen if isinstance(screen, Dashboard) else None

    def commands(self, main: Dashboard) -> list[Command]:
        app = self.app
        selection = main.selection
        items = [
            Command(f"Sort by {spec.label}", partial(main.set_sort, key),
                    "Order the market list")
            for key, spec in SORTS.items()
        ]
        items.append(Command("Reverse the sort order", main.action_reverse_sort,
                             "Flip the current sort"))
        base = {view.key for view in BASE_VIEWS}
        for number, view in enumerate(main.catalog.views(), 1):
            # "View 9: Sports": found by typing "view", its name or its number.
            kind = "" if view.key in base else "tag "
            items.append(Command(f"View {number}: {kind}{view.label}",
                                 partial(main.set_view, view.key),
                                 "Switch the market list to this view (v and V cycle)"))
        items += [
            Command("Stop grouping by event" if selection.group else "Group markets by event",
                    main.action_toggle_group, "Markets under their event's heading"),
            Command("Sort favorites with the rest" if selection.pin_favorites
                    else "Pin favorites first", main.action_pin_favorites,
                    "In All, favorites above every other market (p)"),
            Command("Favorite or unfavorite the selected market", main.action_toggle_favorite,
                    "Favorites are saved (and listed first in All: p)"),
            Command("Open the market on Polymarket",
                    partial(main.action_open_link, "polymarket"),
                    "The polymarket.com event page"),
            Command("Open the related TradingView chart",
                    partial(main.action_open_link, "tradingview"),
                    "Chosen by your [tradingview] rules in config.toml"),
            Command("Copy the market link", partial(main.action_open_link, "copy"),
                    "Copies with OSC 52 where the terminal allows"),
            Command("Add alert for this market", main.action_add_alert,
                    "Price crosses a level, moves, or the market ends soon"),
            Command("Alerts: list and delete", main.action_alerts,
                    "Every alert and the ones that fired"),
            Command("Refresh now", main.action_refresh, "Fetch markets and prices again"),
            Command("Filter markets", main.action_filter, "Words in any order"),
            Command("Trades of this market", partial(main.action_lower_pane, "trades"),
                    "The live trades tape under the detail (T)"),
            Command("Top holders of this market", partial(main.action_lower_pane, "holders"),
                    "Who holds each outcome, with their share (H)"),
            Command("Comments on this market", partial(main.action_lower_pane, "comments"),
                    "Newest first, with author, age and likes (C)"),
            Command("News of this market", partial(main.action_lower_pane, "news"),
                    "Headlines under the detail again (N)"),
            Command("Open wallet…", main.action_open_wallet,
                    "Paste an address or a profile link: positions, P&L, activity (w)"),
            Command("Wallets: saved wallets", main.action_wallets,
                    "Open, rename or remove the wallets you saved (W)"),
        ]  # "Keys: help screen" is the App's system command: it works on every screen
        for name in ("polydash-dark", "polydash-light"):
            items.append(Command(f"Theme: {name}", partial(setattr, app, "theme", name),
                                 "Switch colours"))
        return items

    async def discover(self) -> Hits:
        main = self._main()
        if main is None:
            return
        for command in self.commands(main):
            yield DiscoveryHit(Content(command.text), command.run, text=command.text,
                               help=palette_help(command.help))

    async def search(self, query: str) -> Hits:
        main = self._main()
        if main is None:
            return
        style = self.match_style or "reverse"
        for command in self.commands(main):
            match = fuzzy_match(query, command.text)
            if match is not None:
                score, offsets = match
                yield Hit(score + 1.0, highlighted(command.text, offsets, style), command.run,
                          text=command.text, help=palette_help(command.help))
        async for hit in self._jumps(main, query):
            yield hit

    async def _jumps(self, main: Dashboard, query: str) -> Hits:
        """The best-matching loaded markets; jumping puts the list cursor on one."""
        if len(query.strip()) < 2:
            return
        scored: list[tuple[float, str, str, tuple[int, ...]]] = []
        candidates = self._jump_candidates(main)
        for count, (market_id, title, title_low, question, question_low) in enumerate(
                candidates, 1):
            match = fuzzy_match(query, title, title_low)
            if title != question and (match is None or match[0] < 2.0):
                # A grouped market shows "Event: outcome"; its own question counts too.
                by_question = fuzzy_match(query, question, question_low)
                if by_question is not None and (match is None or by_question[0] > match[0]):
                    match = (by_question[0], ())
            if match is not None:
                scored.append((match[0], market_id, title, match[1]))
            if count % YIELD_EVERY == 0:
                await asyncio.sleep(0)
        scored.sort(key=lambda item: item[0], reverse=True)
        style = self.match_style or "reverse"
        for score, market_id, title, offsets in scored[:MAX_JUMPS]:
            shown = title if len(title) <= 160 else title[:159] + "…"
            prompt = Content(JUMP_PREFIX) + highlighted(
                shown, tuple(o for o in offsets if o < len(shown)), style)
            yield Hit(score, prompt, partial(main.jump_to, market_id),
                      text=JUMP_PREFIX + shown, help="Put the list cursor on this market")
