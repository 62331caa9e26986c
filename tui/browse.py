"""What the market list shows, and in which order: views, sorts, the filter, grouping
by event, column fitting and the compact formats of the cells.

No Textual or Rich import: this is plain logic over `Market`s, unit-tested on its own
(tests/unit/test_browse.py) and cheap enough to run on 20,000 markets per keystroke.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from operator import attrgetter
from typing import Literal, Protocol

from tui.models import Market

# ---------------------------------------------------------------- formats

MINUS = "\u2212"  # a real minus sign: the same width as "+", read as a sign not a hyphen
NO_VALUE = "—"


def fmt_price(price: float | None) -> str:
    """A probability price in cents: "62¢"; "0.4¢" and "99.6¢" keep a decimal near the ends."""
    if price is None:
        return NO_VALUE
    cents = price * 100
    if 0 < cents < 1 or 99 < cents < 100:
        return f"{cents:.1f}¢"
    return f"{round(cents):d}¢"


def fmt_change(change: float | None) -> tuple[str, int]:
    """A price change in points with an arrow and a sign, and its direction (-1, 0, 1).

    The sign and arrow carry the meaning without colour: "▲ +2.5", "▼ −1.0", "· 0.0".
    """
    if change is None:
        return "", 0
    points = round(change * 100, 1)
    if points > 0:
        return f"▲ +{points:.1f}", 1
    if points < 0:
        return f"▼ {MINUS}{-points:.1f}", -1
    return "· 0.0", 0


def fmt_money(value: float | None) -> str:
    """Compact dollars: "$950", "$12K", "$1.2M", "$3.4B" (never "$1000K")."""
    if value is None:
        return NO_VALUE
    amount = abs(value)
    if amount < 999.5:
        return f"${amount:.0f}"
    for limit, suffix in ((1e3, "K"), (1e6, "M"), (1e9, "B")):
        scaled = amount / limit
        text = f"{scaled:.1f}" if scaled < 9.95 else f"{scaled:.0f}"
        if float(text) < 999.5 or suffix == "B":
            return f"${text.removesuffix('.0')}{suffix}"
    return f"${amount:.0f}"  # unreachable: "B" always returns


def fmt_time_left(end: datetime | None, now: datetime) -> str:
    """Time until `end`: "2y", "3d", "5h", "42m", "<1m" or "ended"."""
    if end is None:
        return NO_VALUE
    seconds = (end - now).total_seconds()
    if seconds <= 0:
        return "ended"
    if seconds >= 365 * 86400:
        return f"{int(seconds // (365 * 86400))}y"
    if seconds >= 86400:
        return f"{int(seconds // 86400)}d"
    if seconds >= 3600:
        return f"{int(seconds // 3600)}h"
    if seconds >= 60:
        return f"{int(seconds // 60)}m"
    return "<1m"


def fmt_age(seconds: float) -> str:
    """How long ago, compactly: "0s", "12s", "3m", "2h", "4d"."""
    seconds = max(0, int(seconds))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m"
    if seconds < 86400:
        return f"{seconds // 3600}h"
    return f"{seconds // 86400}d"


def leading_price(market: Market) -> float | None:
    leading = market.leading
    return leading.price if leading else None


def leading_change(market: Market) -> float | None:
    """24h change of the leading outcome.

    Gamma's oneDayPriceChange is the change of outcome[0]; when the leading outcome is
    the other side of a two-outcome market its change is the opposite.
    """
    change = market.change_24h
    if change is None or not market.outcomes:
        return change
    leading = market.leading
    if leading is market.outcomes[0]:
        return change
    if len(market.outcomes) == 2:
        return -change
    return None


def apply_prices(market: Market, prices: Mapping[str, float]) -> Market:
    """`market` with new outcome prices; the 24h change moves with outcome[0]'s price."""
    if not any(o.token_id in prices for o in market.outcomes):
        return market
    first = market.outcomes[0]
    outcomes = tuple(
        replace(o, price=prices[o.token_id]) if o.token_id in prices else o
        for o in market.outcomes
    )
    change = market.change_24h
    new_first = outcomes[0].price
    if change is not None and first.price is not None and new_first is not None:
        change = round(change + (new_first - first.price), 6)
    return replace(market, outcomes=outcomes, change_24h=change)


# ---------------------------------------------------------------- sorts


@dataclass(frozen=True, slots=True)
class SortSpec:
    key: str
    label: str  # "24h volume": used in "Sort by 24h volume"
    column: str  # the column whose header shows the sort arrow ("" for none)
    descending: bool  # the natural direction


SORTS: dict[str, SortSpec] = {
    s.key: s
    for s in (
        SortSpec("volume_24h", "24h volume", "volume_24h", True),
        SortSpec("change", "24h change", "change", True),
        SortSpec("price", "price", "price", True),
        SortSpec("liquidity", "liquidity", "liquidity", True),
        SortSpec("ending", "end date", "ends", False),
        SortSpec("new", "newest", "", True),
        SortSpec("volume", "total volume", "", True),
        SortSpec("title", "name", "title", False),
    )
}
SORT_CYCLE: tuple[str, ...] = tuple(SORTS)


def next_sort(current: str) -> str:
    index = SORT_CYCLE.index(current) if current in SORT_CYCLE else -1
    return SORT_CYCLE[(index + 1) % len(SORT_CYCLE)]


def _ts(moment: datetime | None) -> float | None:
    return moment.timestamp() if moment is not None else None


def _abs_or_none(value: float | None) -> float | None:
    return abs(value) if value is not None else None


_SORT_KEYS: dict[str, Callable[[Market], object]] = {
    "volume_24h": attrgetter("volume_24h"),  # C-level getters: 20,000 markets in ~1 ms
    "change": lambda m: _abs_or_none(leading_change(m)),
    "price": leading_price,
    "liquidity": attrgetter("liquidity"),
    "ending": lambda m: _ts(m.end_date),
    "new": lambda m: _ts(m.created_at or m.start_date),
    "volume": attrgetter("volume"),
    "title": lambda m: m.title.casefold(),
}


_ID = attrgetter("id")


def sort_ids(
    markets: Iterable[Market],
    sort: str,
    *,
    reverse: bool = False,
    key: Callable[[Market], object] | None = None,
) -> list[str]:
    """Market ids by `sort` in its natural direction (flipped by `reverse`); unknown
    values last. The sort is stable: ties keep the order the markets came in, so the
    same data always sorts the same way.

    Sorts positions with C-level key lookups and allocates no tuple per market (20,000
    tuples would also wake the garbage collector dozens of times mid-sort).
    """
    spec = SORTS[sort]
    markets = list(markets)
    values = list(map(key or _SORT_KEYS[sort], markets))
    ids = list(map(_ID, markets))
    positions = range(len(ids))
    known = [i for i in positions if values[i] is not None]
    known.sort(key=values.__getitem__, reverse=spec.descending != reverse)
    return [ids[i] for i in known] + [ids[i] for i in positions if values[i] is None]


def sort_markets(markets: Iterable[Market], sort: str, *, reverse: bool = False,
                 key: Callable[[Market], object] | None = None) -> list[Market]:
    """Like sort_ids, returning the markets."""
    by_id = {m.id: m for m in markets}
    return [by_id[i] for i in sort_ids(by_id.values(), sort, reverse=reverse, key=key)]


# ---------------------------------------------------------------- views


class VisitLike(Protocol):
    """What the list needs from a store View: the price seen when last opened."""

    @property
    def market_id(self) -> str: ...
    @property
    def price(self) -> float | None: ...
    @property
    def viewed_at(self) -> datetime: ...


@dataclass(frozen=True, slots=True)
class ViewSpec:
    key: str  # "all", "favorites", ..., "tag:politics"
    label: str
    sort: str  # the sort the view starts with
    change_column: Literal["24h", "since"] = "24h"


ENDING_SOON = timedelta(days=7)
NEW_WINDOW = timedelta(days=7)

BASE_VIEWS: tuple[ViewSpec, ...] = (
    ViewSpec("all", "All", "volume_24h"),
    ViewSpec("favorites", "Favorites", "volume_24h"),
    ViewSpec("trending", "Trending", "volume_24h"),
    ViewSpec("movers", "Movers", "change"),
    ViewSpec("ending", "Ending soon", "ending"),
    ViewSpec("new", "New", "new"),
    ViewSpec("since", "Since last visit", "change", "since"),
)
# The usual Polymarket categories first; any other tag follows by how many markets carry it.
PREFERRED_TAGS = ("politics", "crypto", "sports", "economy", "culture", "tech", "geopolitics",
                  "world", "business", "science")
MAX_TAG_VIEWS = 12


def tag_views(markets: Iterable[Market], limit: int = MAX_TAG_VIEWS) -> list[ViewSpec]:
    """Views for the tags the loaded markets carry: preferred categories, then the most used."""
    markets = list(markets)
    counts = Counter(tag.slug for market in markets for tag in market.tags if tag.slug)
    folded: Counter[str] = Counter()
    for slug, count in counts.items():
        folded[slug.casefold()] += count

    def rank(slug: str) -> tuple[int, int, str]:
        preferred = PREFERRED_TAGS.index(slug) if slug in PREFERRED_TAGS else len(PREFERRED_TAGS)
        return preferred, -folded[slug], slug

    chosen = sorted(folded, key=rank)[:limit]
    labels: dict[str, str] = {}
    wanted = set(chosen)
    for market in markets:  # the first label seen for each chosen tag; stops early
        for tag in market.tags:
            slug = tag.slug.casefold()
            if slug in wanted and slug not in labels:
                labels[slug] = tag.label or tag.slug
        if len(labels) == len(wanted):
            break
    return [ViewSpec(f"tag:{slug}", labels.get(slug, slug), "volume_24h") for slug in chosen]


def view_by_key(key: str, tags: Sequence[ViewSpec]) -> ViewSpec | None:
    for view in (*BASE_VIEWS, *tags):
        if view.key == key:
            return view
    return None


def since_change(market: Market, visits: Mapping[str, VisitLike]) -> float | None:
    """Leading price now minus the price seen at the last visit."""
    visit = visits.get(market.id)
    now_price = leading_price(market)
    if visit is None or visit.price is None or now_price is None:
        return None
    return round(now_price - visit.price, 6)


def in_view(
    view: str,
    market: Market,
    *,
    favorites: set[str],
    visits: Mapping[str, VisitLike],
    now: datetime,
) -> bool:
    if view == "all":
        return True
    if view == "favorites":
        return market.id in favorites
    if view == "trending":
        return (market.volume_24h or 0) > 0
    if view == "movers":
        return bool(leading_change(market))
    if view == "ending":
        return market.end_date is not None and now < market.end_date <= now + ENDING_SOON
    if view == "new":
        created = market.created_at or market.start_date
        return created is not None and created >= now - NEW_WINDOW
    if view == "since":
        return market.id in visits
    if view.startswith("tag:"):
        slug = view[4:]
        return any(tag.slug.casefold() == slug for tag in market.tags)
    return False


# ---------------------------------------------------------------- filter


def haystack(market: Market) -> str:
    """Everything the filter looks in, case-folded once per market."""
    parts = [market.question, market.event_title, market.group_title, market.slug]
    parts.extend(o.name for o in market.outcomes)
    parts.extend(t.label for t in market.tags)
    return " ".join(parts).casefold()


def query_words(query: str) -> tuple[str, ...]:
    return tuple(query.casefold().split())


def matches(text: str, words: Sequence[str]) -> bool:
    """Every word appears somewhere, in any order (case-folded inputs)."""
    return all(word in text for word in words)


# ---------------------------------------------------------------- rows


@dataclass(frozen=True, slots=True)
class Heading:
    """An event's heading in group mode: its title and how many markets sit under it."""

    label: str
    count: int


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

    @property
    def market_count(self) -> int:
        return len(self.keys) - len(self.headings)

    def is_heading(self, index: int) -> bool:
        return self.keys[index] in self.headings

    def market_ids(self) -> list[str]:
        headings = self.headings
        return [k for k in self.keys if k not in headings] if headings else list(self.keys)


def group_rows(markets: Sequence[Market]) -> RowSet:
    """Markets under their events, events ordered by their best-placed market.

    An event with one visible market gets no heading; it stays a plain row.
    """
    order: list[str] = []
    groups: dict[str, list[Market]] = {}
    for market in markets:
        group = market.event_id or f"market:{market.id}"
        members = groups.get(group)
        if members is None:
            groups[group] = members = []
            order.append(group)
        members.append(market)
    rows = RowSet([])
    for group in order:
        members = groups[group]
        if len(members) == 1:
            rows.keys.append(members[0].id)
            continue
        first = members[0]
        key = f"event:{group}"
        rows.keys.append(key)
        rows.headings[key] = Heading(first.event_title or first.question, len(members))
        for member in members:
            rows.keys.append(member.id)
            rows.labels[member.id] = member.group_title or member.question
    return rows


def favorites_first(ids: Sequence[str], favorites: set[str]) -> list[str]:
    if not favorites:
        return list(ids)
    return [i for i in ids if i in favorites] + [i for i in ids if i not in favorites]


def refines(new: Sequence[str], old: Sequence[str]) -> bool:
    """Every market matching `new` also matches `old` (each old word is inside a new one)."""
    return bool(old) and all(any(o in n for n in new) for o in old)


@dataclass(frozen=True, slots=True)
class Selection:
    """What to show: the view, the sort and its direction, the filter, grouping."""

    view: str = "all"
    sort: str = "volume_24h"
    reverse: bool = False
    query: str = ""
    group: bool = False


RECENT_FILTERS = 32  # filter results kept per ordering: backspacing is a lookup


@dataclass(slots=True)
class _Ordering:
    key: tuple[str, str, bool, int]
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
        self.visits: dict[str, VisitLike] = {}
        self._tags: list[ViewSpec] | None = None
        self._hay: dict[str, str] = {}
        self._tokens: dict[str, str] | None = None  # token id -> market id, built on demand
        self._events: dict[str, list[str]] | None = None  # event id -> market ids
        self._ordering: _Ordering | None = None
        self._generation = 0
        # Polymarket's search matches more loosely than the filter ("btc" finds
        # "Bitcoin"): what it found for a query shows under that query too.
        self._search_hits: dict[tuple[str, ...], set[str]] = {}

    # -- changes

    def set_markets(self, markets: Iterable[Market]) -> None:
        """Replace the loaded markets (a fresh snapshot)."""
        self.markets = {m.id: m for m in markets}
        self._hay = {}
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

    def set_visits(self, visits: Iterable[VisitLike]) -> None:
        latest: dict[str, VisitLike] = {}
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

    def event_markets(self, market: Market) -> list[Market]:
        if not market.event_id:
            return [market]
        if self._events is None:
            events: dict[str, list[str]] = {}
            for m in self.markets.values():
                if m.event_id:
                    events.setdefault(m.event_id, []).append(m.id)
            self._events = events
        ids = self._events.get(market.event_id) or [market.id]
        return [self.markets[i] for i in ids if i in self.markets]

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
        key = (selection.view, selection.sort, selection.reverse, self._generation)
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
        if view == "since" and selection.sort == "change":
            visits = self.visits

            def sort_key(m: Market) -> object:
                return _abs_or_none(since_change(m, visits))
        ids = sort_ids(members, selection.sort, reverse=selection.reverse, key=sort_key)
        if view == "all":
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
            return group_rows([markets[i] for i in ids])
        return RowSet(ids)


# ---------------------------------------------------------------- columns


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    header: str
    width: int  # cells, without the one-cell gap before it
    align: Literal["left", "right"] = "right"
    drop: int = 0  # drop order on narrow screens: 1 goes first; 0 never goes


COLUMNS: tuple[Column, ...] = (
    Column("fav", "", 1, "left"),
    Column("title", "Market", 0, "left"),
    Column("price", "Price", 6),
    Column("change", "24h", 7, drop=5),
    Column("spark", "7 days", 12, "left", drop=3),
    Column("volume_24h", "Vol 24h", 8, drop=2),
    Column("liquidity", "Liq", 6, drop=1),
    Column("ends", "Ends", 5, drop=4),
)
MIN_TITLE = 34
SMALLEST_TITLE = 12


@dataclass(frozen=True, slots=True)
class ColumnLayout:
    columns: tuple[Column, ...]
    title_width: int
    width: int

    def width_of(self, column: Column) -> int:
        return self.title_width if column.key == "title" else column.width

    def has(self, key: str) -> bool:
        return any(c.key == key for c in self.columns)


def fit_columns(width: int, min_title: int = MIN_TITLE) -> ColumnLayout:
    """The columns that fit `width`, dropping the least useful first (liquidity, volume,
    sparkline, time left, change) until the question gets `min_title` cells."""
    columns = list(COLUMNS)
    droppable = sorted((c for c in columns if c.drop), key=lambda c: c.drop)

    def title_room() -> int:
        fixed = sum(c.width for c in columns if c.key != "title")
        return width - fixed - (len(columns) - 1)  # one-cell gaps between columns

    while title_room() < min_title and droppable:
        columns.remove(droppable.pop(0))
    title = max(title_room(), min(SMALLEST_TITLE, max(width, 0)))
    return ColumnLayout(tuple(columns), max(title, 0), width)


# ---------------------------------------------------------------- fuzzy jump


def fuzzy_match(query: str, text: str, lowered: str | None = None
                ) -> tuple[float, tuple[int, ...]] | None:
    """Score `text` against a typed `query`, with the offsets to highlight; None: no match.

    Linear time (the palette runs it over every loaded question per keystroke): the
    whole query as a substring scores highest, then every word in any order, then the
    letters in order (fewer separate runs score higher). Shorter texts win ties.
    """
    needle = query.lower().strip()
    if not needle:
        return None
    hay = text.lower() if lowered is None else lowered  # callers may lower once, ahead
    if len(hay) != len(text):
        hay = text  # a few characters change length when lowered; stay exact instead
    brevity = 1.0 / (1.0 + len(text) / 80)
    at = hay.find(needle)
    if at >= 0:
        boundary = 0.5 if at == 0 or not hay[at - 1].isalnum() else 0.0
        return 3.0 + boundary + brevity, tuple(range(at, at + len(needle)))
    words = needle.split()
    if len(words) > 1 and all(word in hay for word in words):
        offsets: set[int] = set()
        for word in words:
            start = hay.find(word)
            offsets.update(range(start, start + len(word)))
        return 2.0 + brevity, tuple(sorted(offsets))
    found: list[int] = []
    index = 0
    for char in needle.replace(" ", ""):
        index = hay.find(char, index)
        if index < 0:
            return None
        found.append(index)
        index += 1
    runs = 1 + sum(1 for a, b in zip(found, found[1:], strict=False) if b != a + 1)
    return 1.0 / runs + brevity / 2, tuple(found)
