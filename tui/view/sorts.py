"""The orders of the market list: each sort's key, label and natural direction."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from operator import attrgetter

from tui.models import Market
from tui.view.prices import leading_change, leading_price


@dataclass(frozen=True, slots=True)
class SortSpec:
    key: str
    label: str  # "24h volume": used in "Sort by 24h volume"
    column: str  # the column that shows the sorted values and the arrow; always shown
    descending: bool  # the natural direction


SORTS: dict[str, SortSpec] = {
    s.key: s
    for s in (
        SortSpec("volume_24h", "24h volume", "volume_24h", True),
        SortSpec("change", "24h change", "change", True),
        SortSpec("since", "change since last visit", "since", True),
        SortSpec("price", "price", "price", True),
        SortSpec("liquidity", "liquidity", "liquidity", True),
        SortSpec("ending", "end date", "ends", False),
        SortSpec("new", "newest", "created", True),
        SortSpec("volume", "total volume", "volume", True),
        SortSpec("title", "name", "title", False),
    )
}
SORT_CYCLE: tuple[str, ...] = tuple(SORTS)
# Sorts `s` only offers in the views where they mean something: outside "Since last
# visit" few markets have a visit, and the rest would sort as unknown.
VIEW_ONLY_SORTS: dict[str, str] = {"since": "since"}


def next_sort(current: str, view: str = "all") -> str:
    """The sort after `current` in the cycle `s` walks in `view`."""
    start = SORT_CYCLE.index(current) if current in SORT_CYCLE else -1
    for step in range(1, len(SORT_CYCLE) + 1):
        key = SORT_CYCLE[(start + step) % len(SORT_CYCLE)]
        if VIEW_ONLY_SORTS.get(key, view) == view:
            return key
    return current


def _ts(moment: datetime | None) -> float | None:
    return moment.timestamp() if moment is not None else None


def magnitude(value: float | None) -> float | None:
    """A change's size whatever its sign (changes sort by how far they moved)."""
    return abs(value) if value is not None else None


_SORT_KEYS: dict[str, Callable[[Market], object]] = {
    "volume_24h": attrgetter("volume_24h"),  # C-level getters: 20,000 markets in ~1 ms
    "change": lambda m: magnitude(leading_change(m)),
    "price": leading_price,
    "liquidity": attrgetter("liquidity"),
    "ending": lambda m: _ts(m.end_date),
    "new": lambda m: _ts(m.created_at or m.start_date),
    "volume": attrgetter("volume"),
    "title": lambda m: m.title.casefold(),
}  # "since" needs the visits: the catalog passes its key to `sort_ids`


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
