"""The market list's rows: the loaded markets, favorites and visits, and the lines a
`Selection` (view, sort, filter, grouping) picks from them, cached so that a filter
keystroke over 20,000 markets stays a single pass over plain strings."""

from __future__ import annotations

from array import array
from collections.abc import Callable, Collection, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tui.models import EventIndex, Market, Visit
from tui.view.matching import haystack, query_words, refines
from tui.view.prices import apply_prices, leading_price
from tui.view.sorts import magnitude, sort_ids
from tui.view.views import BASE_VIEWS, ViewSpec, in_view, since_change, tag_views, view_by_key


@dataclass(frozen=True, slots=True)
class Heading:
    """An event's heading in group mode: its title, how many markets sit under it, and
    whether they are folded away (the heading alone stands for them)."""

    label: str
    count: int
    folded: bool = False


@dataclass(slots=True)
class RowSet:
    """The list's lines: market ids, and "event:<id>" keys for headings in group mode.

    Plain strings rather than a row object per line: building 20,000 objects per
    keystroke would cost more than the filter itself. Markets are looked up by id when a
    line is drawn, so a price tick never has to touch the rows.
    """

    keys: list[str]
    headings: dict[str, Heading] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)  # market id -> name under a heading
    folded_markets: int = 0  # markets under folded headings (not in `keys`)
    _places: list[int] | None = field(default=None, repr=False)

    @property
    def market_count(self) -> int:
        """Markets the rows hold, folded ones included."""
        return len(self.keys) - len(self.headings) + self.folded_markets

    def is_heading(self, index: int) -> bool:
        return self.keys[index] in self.headings

    def place(self, index: int) -> int:
        """Where row `index` stands among the markets, from 1, counting folded ones: a
        heading stands where its first market does. 0 for no row."""
        if not 0 <= index < len(self.keys):
            return 0
        if not self.headings:
            return index + 1
        if self._places is None:
            self._places = places = []
            before = 0
            for key in self.keys:
                places.append(before + 1)
                heading = self.headings.get(key)
                if heading is None:
                    before += 1
                elif heading.folded:
                    before += heading.count
        return self._places[index]

    def heading_of(self, index: int) -> int | None:
        """The row of the heading row `index` sits under (itself for a heading)."""
        keys, labels = self.keys, self.labels
        if not 0 <= index < len(keys) or (keys[index] not in labels
                                          and keys[index] not in self.headings):
            return None
        while index >= 0 and keys[index] not in self.headings:
            index -= 1
        return index if index >= 0 else None

    def market_ids(self) -> list[str]:
        headings = self.headings
        return [k for k in self.keys if k not in headings] if headings else list(self.keys)


def event_order(list_order: Mapping[str, int]) -> Callable[[Market], tuple[float, ...]]:
    """The order of an event's own page: by price for an event Gamma sorts by price
    (who wins), else by Gamma's group order (a ladder's strikes), else as Gamma listed
    them (`list_order`: market id -> index)."""
    def key(market: Market) -> tuple[float, ...]:
        listed = float(list_order.get(market.id, len(list_order)))
        group = market.group_order
        placed = (0.0, float(group)) if group is not None else (1.0, 0.0)
        if market.event_sort == "price":
            price = leading_price(market)
            return (0.0 if price is not None else 1.0, -(price or 0.0), *placed, listed)
        return (*placed, listed)

    return key


def group_rows(markets: Sequence[Market], *, folded: Collection[str] = (),
               order: Callable[[Market], Any] | None = None) -> RowSet:
    """Markets under their events, events ordered by their best-placed market, each
    event's markets in `order` (by default as they come). Headings whose key ("event:"
    and the event id) is in `folded` stand alone, their markets left out.

    An event with one visible market gets no heading; it stays a plain row.
    """
    groups: dict[str, list[Market]] = {}  # in the order of their first market
    for market in markets:
        group = market.event_id or f"market:{market.id}"
        members = groups.get(group)
        if members is None:
            groups[group] = members = []
        members.append(market)
    rows = RowSet([])
    for group, members in groups.items():
        if len(members) == 1:
            rows.keys.append(members[0].id)
            continue
        first = members[0]
        key = f"event:{group}"
        shut = key in folded
        rows.keys.append(key)
        rows.headings[key] = Heading(first.event_title or first.question, len(members), shut)
        if shut:
            rows.folded_markets += len(members)
            continue
        if order is not None:
            members.sort(key=order)
        for member in members:
            rows.keys.append(member.id)
            rows.labels[member.id] = member.group_title or member.question
    return rows


def favorites_first(ids: Sequence[str], favorites: set[str]) -> list[str]:
    if not favorites:
        return list(ids)
    return [i for i in ids if i in favorites] + [i for i in ids if i not in favorites]


@dataclass(frozen=True, slots=True)
class Selection:
    """What to show: the view, the sort and its direction, the filter, grouping (and
    the folded events' headings), favorites pinned first in All."""

    view: str = "all"
    sort: str = "volume_24h"
    reverse: bool = False
    query: str = ""
    group: bool = False
    pin_favorites: bool = True
    folded: frozenset[str] = frozenset()

    @property
    def pinned(self) -> bool:
        """Favorites go first: in All (the other views hold them in the sort order)."""
        return self.pin_favorites and self.view == "all"


RECENT_FILTERS = 32  # filter results kept per ordering: backspacing is a lookup


@dataclass(slots=True)
class _Ordering:
    key: tuple[str, str, bool, bool, int]
    ids: list[str]
    hays: list[str] | None = None  # the filter's text per id, aligned with ids (lazy)
    words: tuple[str, ...] = ()  # the last filter and the indices it matched
    # Index arrays rather than lists: the garbage collector does not walk them, and it
    # would walk 64 lists of 20,000 ints at every collection of their generation.
    matched: array[int] = field(default_factory=lambda: array("i"))
    recent: dict[tuple[str, ...], array[int]] = field(default_factory=dict)  # backspace hits


class Catalog:
    """The loaded markets, favorites and visits, and the rows a `Selection` picks.

    The sorted view (ids and their filter text) is cached per (view, sort, direction),
    so a filter keystroke is one pass of `in` over plain strings, and a keystroke that
    narrows the previous filter only looks at what that one matched.
    """

    def __init__(self) -> None:
        self.markets: dict[str, Market] = {}
        self.favorites: set[str] = set()
        self.visits: dict[str, Visit] = {}
        self._tags: list[ViewSpec] | None = None
        self._hay: dict[str, str] = {}
        self._tokens: dict[str, str] | None = None  # token id -> market id, built on demand
        self._events: EventIndex | None = None
        self._list_order: dict[str, int] | None = None  # market id -> its place as loaded
        self._ordering: _Ordering | None = None
        self._generation = 0
        # Polymarket's search matches more loosely than the filter ("btc" finds
        # "Bitcoin"): what it found for a query shows under that query too.
        self._search_hits: dict[tuple[str, ...], set[str]] = {}

    # -- changes

    def set_markets(self, markets: Iterable[Market]) -> None:
        """Replace the loaded markets (a fresh snapshot). The filter texts of markets
        that are the very same objects are kept: a list that ends a load of merged
        pages need not build them again."""
        before = self.markets
        self.markets = {m.id: m for m in markets}
        now = self.markets
        self._hay = {i: text for i, text in self._hay.items() if now.get(i) is before.get(i)}
        self._changed(markets=True)

    def merge(self, markets: Iterable[Market], query: str = "") -> int:
        """Add or update markets (search results for `query`); returns how many were new."""
        markets = list(markets)
        if query_words(query):
            self._search_hits.setdefault(query_words(query), set()).update(
                m.id for m in markets)
        added = 0
        for market in markets:
            if market.id not in self.markets:
                added += 1
            self.markets[market.id] = market
            self._hay.pop(market.id, None)
        self._changed(markets=True)
        return added

    def apply_prices(self, prices: Mapping[str, float], ids: Iterable[str]) -> list[str]:
        """New prices for the markets `ids`; returns the ids whose numbers changed.

        The cached order stays as it is (rows do not jump under the cursor on a tick);
        the next sort or refresh re-orders.
        """
        changed = []
        for market_id in ids:
            market = self.markets.get(market_id)
            if market is None:
                continue
            updated = apply_prices(market, prices)
            if updated != market:
                self.markets[market_id] = updated
                changed.append(market_id)
        return changed

    def set_favorites(self, ids: Iterable[str]) -> None:
        self.favorites = set(ids)
        self._changed()

    def set_favorite(self, market_id: str, favorite: bool) -> None:
        if favorite:
            self.favorites.add(market_id)
        else:
            self.favorites.discard(market_id)
        self._changed()

    def set_visits(self, visits: Iterable[Visit]) -> None:
        latest: dict[str, Visit] = {}
        for visit in visits:
            known = latest.get(visit.market_id)
            if known is None or visit.viewed_at > known.viewed_at:
                latest[visit.market_id] = visit
        self.visits = latest
        self._changed()

    def _changed(self, *, markets: bool = False) -> None:
        if markets:
            self._tokens = None
            self._events = None
            self._list_order = None
            self._tags = None
        self._generation += 1
        self._ordering = None

    # -- reading

    def ids_for_tokens(self, tokens: Iterable[str]) -> list[str]:
        """Markets that own any of `tokens` (each once)."""
        if self._tokens is None:
            self._tokens = {t: m.id for m in self.markets.values() for t in m.token_ids}
        index = self._tokens
        return list(dict.fromkeys(index[t] for t in tokens if t in index))

    def find_market(self, token_id: str, condition_id: str) -> str | None:
        """The id of the market that owns `token_id`, else has `condition_id`."""
        found = self.ids_for_tokens([token_id]) if token_id else []
        if found:
            return found[0]
        return next((m.id for m in self.markets.values()
                     if condition_id and m.condition_id == condition_id), None)

    def tokens_to_watch(self, shown: Iterable[str | None]) -> tuple[str, ...]:
        """The tokens to keep priced: the favorites' first, then those of `shown` ids."""
        tokens: dict[str, None] = {}
        for market_id in [*sorted(self.favorites), *shown]:
            found = self.markets.get(market_id) if market_id is not None else None
            if found is not None:
                tokens.update(dict.fromkeys(found.token_ids))
        return tuple(tokens)

    def spark_tokens(self, ids: Iterable[str], *, have: Container[str]) -> tuple[str, ...]:
        """The first-outcome tokens of `ids` whose sparkline is not loaded yet."""
        wanted = []
        for market_id in ids:
            market = self.markets.get(market_id)
            token = market.outcomes[0].token_id if market and market.outcomes else ""
            if token and token not in have:
                wanted.append(token)
        return tuple(wanted)

    def event_markets(self, market: Market) -> list[Market]:
        if not market.event_id:
            return [market]
        if self._events is None:
            self._events = EventIndex(self.markets.values())
        return self._events.siblings(market, self.markets)

    def haystack(self, market: Market) -> str:
        text = self._hay.get(market.id)
        if text is None:
            text = self._hay[market.id] = haystack(market)
        return text

    @property
    def tags(self) -> list[ViewSpec]:
        """Tag views of the loaded markets (computed when first asked for)."""
        if self._tags is None:
            self._tags = tag_views(self.markets.values())
        return self._tags

    def warm(self, budget: int = 2000) -> bool:
        """Precompute up to `budget` filter texts (and the indexes) in idle time, so the
        first filter keystroke after a load is as quick as the rest. True when done."""
        missing = 0
        hay = self._hay
        for market_id, market in self.markets.items():
            if market_id not in hay:
                hay[market_id] = haystack(market)
                missing += 1
                if missing >= budget:
                    return False
        if self._events is None and self.markets:
            self.event_markets(next(iter(self.markets.values())))
        if self._tokens is None:
            self.ids_for_tokens(())
        return True

    def views(self) -> list[ViewSpec]:
        return [*BASE_VIEWS, *self.tags]

    def view(self, key: str) -> ViewSpec:
        if not key.startswith("tag:"):  # base views need no tag scan
            return view_by_key(key, ()) or BASE_VIEWS[0]
        return view_by_key(key, self.tags) or BASE_VIEWS[0]

    def ordered(self, selection: Selection, now: datetime) -> list[str]:
        """The view's market ids in sort order (cached), before the filter."""
        return self._ordered(selection, now).ids

    def _ordered(self, selection: Selection, now: datetime) -> _Ordering:
        key = (selection.view, selection.sort, selection.reverse, selection.pinned,
               self._generation)
        ordering = self._ordering
        if ordering is not None and ordering.key == key:
            return ordering
        view = selection.view
        if view == "all":
            members: Iterable[Market] = self.markets.values()
        else:
            members = [m for m in self.markets.values()
                       if in_view(view, m, favorites=self.favorites, visits=self.visits,
                                  now=now)]
        sort_key = None
        if selection.sort == "since":
            visits = self.visits

            def sort_key(m: Market) -> object:
                return magnitude(since_change(m, visits))
        ids = sort_ids(members, selection.sort, reverse=selection.reverse, key=sort_key)
        if selection.pinned:
            ids = favorites_first(ids, self.favorites)
        self._ordering = ordering = _Ordering(key, ids)
        return ordering

    def filtered(self, selection: Selection, now: datetime) -> list[str]:
        """The ids the selection shows, in order (the filter applied)."""
        ordering = self._ordered(selection, now)
        words = query_words(selection.query)
        if not words:
            return list(ordering.ids)
        matched = ordering.recent.get(words)
        if matched is None:
            matched = self._match(ordering, words)
            if len(ordering.recent) >= RECENT_FILTERS:
                ordering.recent.pop(next(iter(ordering.recent)))
            ordering.recent[words] = matched
        ordering.words, ordering.matched = words, matched
        ids = ordering.ids
        hits = self._search_hits.get(words)
        if hits:
            found = {ids[i] for i in matched} | hits
            return [i for i in ids if i in found]
        return [ids[i] for i in matched]

    def _match(self, ordering: _Ordering, words: tuple[str, ...]) -> array[int]:
        """Indices whose text holds every word. Narrowing the previous filter only
        re-checks its matches for the new words; the longest (rarest) word goes first."""
        hays = ordering.hays
        if hays is None:
            hay, markets = self.haystack, self.markets
            hays = ordering.hays = [hay(markets[i]) for i in ordering.ids]
        todo = sorted(set(words), key=len, reverse=True)
        if refines(words, ordering.words):
            matched: Iterable[int] = ordering.matched
            todo = [w for w in todo if w not in ordering.words]
        else:
            first = todo.pop(0)
            matched = [i for i, text in enumerate(hays) if first in text]
        for word in todo:
            matched = [i for i in matched if word in hays[i]]
        return array("i", matched)

    def select(self, selection: Selection, now: datetime) -> RowSet:
        ids = self.filtered(selection, now)
        if selection.group:
            markets = self.markets
            if self._list_order is None:
                self._list_order = {market_id: i for i, market_id in enumerate(markets)}
            return group_rows([markets[i] for i in ids], folded=selection.folded,
                              order=event_order(self._list_order))
        return RowSet(ids)
