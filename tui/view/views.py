"""The views of the market list (All, Favorites, Movers, ..., one per tag) and which
markets each one holds."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from tui.models import Market, Visit
from tui.view.prices import leading_change, leading_price


@dataclass(frozen=True, slots=True)
class ViewSpec:
    key: str  # "all", "favorites", ..., "tag:politics"
    label: str
    sort: str  # the sort the view starts with
    columns: tuple[str, ...] = ()  # optional columns it shows (tui.view.columns)


ENDING_SOON = timedelta(days=7)
# Trending: a day's trading is a large share of all the market's trading so far (it is
# hot now, not merely big), with enough of it to matter.
TRENDING_DAY_SHARE = 0.05
TRENDING_MIN_24H = 1_000.0
NEW_WINDOW = timedelta(days=7)

BASE_VIEWS: tuple[ViewSpec, ...] = (
    ViewSpec("all", "All", "volume_24h"),
    ViewSpec("favorites", "Favorites", "volume_24h"),
    ViewSpec("trending", "Trending", "volume_24h"),
    ViewSpec("movers", "Movers", "change"),
    ViewSpec("ending", "Ending soon", "ending"),
    ViewSpec("new", "New", "new", ("created",)),
    ViewSpec("since", "Since last visit", "since", ("since",)),
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


def since_change(market: Market, visits: Mapping[str, Visit]) -> float | None:
    """Leading price now minus the price seen at the last visit."""
    visit = visits.get(market.id)
    now_price = leading_price(market)
    if visit is None or visit.price is None or now_price is None:
        return None
    return round(now_price - visit.price, 6)


def is_trending(market: Market) -> bool:
    day, total = market.volume_24h or 0.0, market.volume or 0.0
    if day < TRENDING_MIN_24H:
        return False
    return total <= 0 or day / total >= TRENDING_DAY_SHARE


def in_view(
    view: str,
    market: Market,
    *,
    favorites: set[str],
    visits: Mapping[str, Visit],
    now: datetime,
) -> bool:
    if view == "all":
        return True
    if view == "favorites":
        return market.id in favorites
    if view == "trending":
        return is_trending(market)
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
