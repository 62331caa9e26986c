"""tui.view.catalog and what it composes: the leading price (prices), sorts, views,
the filter over the cached order, and grouping by event."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tui.models import Market, Outcome, Tag, Visit
from tui.view.catalog import Catalog, Heading, Selection, group_rows
from tui.view.matching import matches, query_words, refines
from tui.view.prices import apply_prices, leading_change
from tui.view.sorts import next_sort, sort_ids
from tui.view.views import BASE_VIEWS, tag_views

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def market(mid: str, question: str = "", **changes: object) -> Market:
    base: dict[str, object] = dict(
        id=mid, slug=f"m-{mid}", question=question or f"Question {mid}?",
        outcomes=(Outcome("Yes", 0.5, f"{mid}-y"), Outcome("No", 0.5, f"{mid}-n")),
    )
    base.update(changes)
    return Market(**base)  # type: ignore[arg-type]


# ---------------------------------------------------------------- prices


def test_leading_change_follows_the_leading_side() -> None:
    yes = market("1", change_24h=0.03)
    assert leading_change(yes) == 0.03
    team = market("2", change_24h=0.03,
                  outcomes=(Outcome("Lakers", 0.3, "a"), Outcome("Celtics", 0.7, "b")))
    assert leading_change(team) == -0.03
    three = market("3", change_24h=0.03, outcomes=(
        Outcome("A", 0.2, "a"), Outcome("B", 0.5, "b"), Outcome("C", 0.3, "c")))
    assert leading_change(three) is None


def test_apply_prices_moves_the_24h_change_with_the_price() -> None:
    before = market("1", change_24h=0.02)
    after = apply_prices(before, {"1-y": 0.55, "1-n": 0.45})
    assert after.outcomes[0].price == 0.55
    assert after.change_24h == pytest.approx(0.07)
    assert apply_prices(before, {"other": 0.9}) is before


# ---------------------------------------------------------------- sorts and views


def test_sort_unknown_values_last_both_ways() -> None:
    items = [market("a", volume_24h=5.0), market("b"), market("c", volume_24h=9.0)]
    assert sort_ids(items, "volume_24h") == ["c", "a", "b"]
    assert sort_ids(items, "volume_24h", reverse=True) == ["a", "c", "b"]


def test_sort_by_change_uses_magnitude_and_ending_ascends() -> None:
    items = [market("a", change_24h=0.01, end_date=NOW + timedelta(days=3)),
             market("b", change_24h=-0.05, end_date=NOW + timedelta(days=1)),
             market("c", change_24h=0.02)]
    assert sort_ids(items, "change") == ["b", "c", "a"]
    assert sort_ids(items, "ending") == ["b", "a", "c"]


def test_sort_cycle_wraps() -> None:
    seen = ["volume_24h"]
    for _ in range(20):
        seen.append(next_sort(seen[-1]))
        if seen[-1] == "volume_24h":
            break
    assert seen[-1] == "volume_24h" and len(seen) > 5


def test_views_pick_their_markets() -> None:
    catalog = Catalog()
    catalog.set_markets([
        # Trending: a day's trading is a large share of all its trading (and matters).
        market("hot", volume_24h=5_000.0, volume=20_000.0, change_24h=0.04),
        market("soon", end_date=NOW + timedelta(days=2), volume_24h=1.0),
        market("big", volume_24h=5_000.0, volume=900_000.0),
        market("later", end_date=NOW + timedelta(days=20)),
        market("fresh", created_at=NOW - timedelta(days=1)),
        market("tagged", tags=(Tag("2", "politics", "Politics"),)),
    ])
    catalog.set_favorites({"later"})
    catalog.set_visits([Visit("fresh", NOW - timedelta(days=2), 0.4)])

    def ids(view: str) -> list[str]:
        spec = catalog.view(view)
        return catalog.select(Selection(view=view, sort=spec.sort), NOW).keys

    assert ids("favorites") == ["later"]
    assert ids("trending") == ["hot"]  # not "big" (a small share), not "soon" (too little)
    assert ids("movers") == ["hot"]
    assert ids("ending") == ["soon"]
    assert ids("new") == ["fresh"]
    assert ids("since") == ["fresh"]
    assert ids("tag:politics") == ["tagged"]
    assert ids("all")[0] == "later"  # favorites first in All
    assert set(ids("all")) == set(catalog.markets)


def test_tag_views_prefer_known_categories() -> None:
    markets = [market(str(i), tags=(Tag("9", "nba", "NBA"),)) for i in range(5)]
    markets.append(market("x", tags=(Tag("1", "crypto", "Crypto"),)))
    views = tag_views(markets)
    assert [v.label for v in views] == ["Crypto", "NBA"]
    assert [v.key for v in views] == ["tag:crypto", "tag:nba"]
    assert {v.key for v in BASE_VIEWS} >= {"all", "favorites", "trending", "movers", "ending",
                                           "new", "since"}


# ---------------------------------------------------------------- filter


def test_filter_words_in_any_order_case_insensitive() -> None:
    catalog = Catalog()
    catalog.set_markets([
        market("1", "Will Bitcoin reach $100k by June?"),
        market("2", "Will Ethereum reach $10k?"),
        market("3", "Fed decision", event_title="FOMC March", group_title="50 bps",
               tags=(Tag("1", "economy", "Economy"),)),
    ])

    def found(query: str) -> list[str]:
        return catalog.select(Selection(query=query, sort="title"), NOW).keys

    assert found("june BITCOIN") == ["1"]
    assert found("reach") == ["2", "1"] or found("reach") == ["1", "2"]
    assert found("fomc 50") == ["3"]
    assert found("economy") == ["3"]
    assert found("bitcoin ethereum") == []
    assert found("   ") == [m for m in found("")]
    assert matches("abc def", query_words("DEF ab"))


def test_filter_is_one_pass_over_the_cached_order() -> None:
    catalog = Catalog()
    catalog.set_markets([market(str(i), volume_24h=float(i),
                                question=f"Question {i} {'even' if i % 2 == 0 else 'odd'}?")
                         for i in range(100)])
    first = catalog.select(Selection(), NOW)
    ordered = catalog.ordered(Selection(), NOW)
    assert catalog.ordered(Selection(query="x"), NOW) is ordered
    assert first.keys[:3] == ["99", "98", "97"]
    # Narrowing the filter only looks at what the previous keystroke matched.
    assert len(catalog.filtered(Selection(query="ev"), NOW)) == 50
    assert catalog.filtered(Selection(query="even 9"), NOW)[:3] == ["98", "96", "94"]
    assert refines(("even", "9"), ("ev",)) and not refines(("e",), ("ev",))
    assert len(catalog.filtered(Selection(query="e"), NOW)) == 100


def test_prices_update_in_place_without_reordering() -> None:
    catalog = Catalog()
    catalog.set_markets([market("a", volume_24h=2.0), market("b", volume_24h=1.0)])
    assert catalog.select(Selection(), NOW).keys == ["a", "b"]
    ids = catalog.ids_for_tokens(["b-y", "zzz"])
    assert ids == ["b"]
    changed = catalog.apply_prices({"b-y": 0.9}, ids)
    assert changed == ["b"]
    assert catalog.markets["b"].outcomes[0].price == 0.9
    assert catalog.select(Selection(), NOW).keys == ["a", "b"]


def test_merge_adds_search_results() -> None:
    catalog = Catalog()
    catalog.set_markets([market("a")])
    assert catalog.merge([market("a"), market("b")]) == 1
    assert set(catalog.markets) == {"a", "b"}


def test_search_hits_show_under_their_query() -> None:
    catalog = Catalog()
    catalog.set_markets([market("a", "Will Bitcoin hit $100k?"), market("c", "Other?")])
    assert catalog.filtered(Selection(query="btc"), NOW) == []
    catalog.merge([market("a", "Will Bitcoin hit $100k?"), market("b", "Bitcoin ETF?")],
                  "btc")
    assert sorted(catalog.filtered(Selection(query="BTC", sort="title"), NOW)) == ["a", "b"]
    assert catalog.filtered(Selection(query="other"), NOW) == ["c"]


# ---------------------------------------------------------------- grouping


def test_group_rows_orders_events_by_their_best_market() -> None:
    items = [
        market("1", event_id="e1", event_title="Fed", group_title="25 bps"),
        market("2", event_id="e2", event_title="Solo"),
        market("3", event_id="e1", event_title="Fed", group_title="50 bps"),
    ]
    rows = group_rows(items)
    assert rows.keys == ["event:e1", "1", "3", "2"]
    assert rows.headings["event:e1"] == Heading("Fed", 2)
    assert rows.is_heading(0) and not rows.is_heading(1)
    assert rows.labels == {"1": "25 bps", "3": "50 bps"}
    assert rows.market_count == 3 and rows.market_ids() == ["1", "3", "2"]


def test_an_event_keeps_its_own_order_under_its_heading() -> None:
    """A ladder by Gamma's group order, a "who wins" event by price, else as listed;
    the events themselves by their best-placed market in the sort."""
    ladder = [market(str(n), event_id="fed", event_title="Fed", group_title=f"{n * 25} bps",
                     group_order=n, volume_24h=float(n * 7 % 4)) for n in range(4)]
    race = [market(f"r{n}", event_id="race", event_title="Who wins?", event_sort="price",
                   group_order=n, volume_24h=100.0 + n,
                   outcomes=(Outcome("Yes", price, f"r{n}-y"), Outcome("No", 1 - price, "n")))
            for n, price in enumerate((0.1, 0.6, 0.3))]
    plain = [market(f"p{n}", event_id="plain", event_title="Plain", volume_24h=50.0 + n)
             for n in range(3)]
    catalog = Catalog()
    catalog.set_markets([*ladder, *race, *plain])
    rows = catalog.select(Selection(group=True), NOW)
    assert rows.keys == ["event:race", "r1", "r2", "r0",
                         "event:plain", "p0", "p1", "p2",
                         "event:fed", "0", "1", "2", "3"]


def test_folded_events_keep_their_heading_and_count() -> None:
    items = [market("1", event_id="e1", event_title="Fed"),
             market("2", event_id="e2", event_title="Solo"),
             market("3", event_id="e1", event_title="Fed"),
             market("4", event_id="e3", event_title="Cup"),
             market("5", event_id="e3", event_title="Cup")]
    rows = group_rows(items, folded={"event:e1"})
    assert rows.keys == ["event:e1", "2", "event:e3", "4", "5"]
    assert rows.headings["event:e1"] == Heading("Fed", 2, folded=True)
    assert rows.market_count == 5  # the folded ones still count
    # Places count folded markets: a heading stands where its first market does.
    assert [rows.place(i) for i in range(len(rows.keys))] == [1, 3, 4, 4, 5]
    assert rows.place(99) == 0
    assert [rows.heading_of(i) for i in range(len(rows.keys))] == [0, None, 2, 2, 2]
    catalog = Catalog()
    catalog.set_markets(items)
    shown = catalog.select(Selection(group=True, folded=frozenset({"event:e3"})), NOW)
    assert shown.keys == ["event:e1", "1", "3", "2", "event:e3"]


def test_favorites_pin_first_only_when_asked() -> None:
    catalog = Catalog()
    catalog.set_markets([market("a", volume_24h=9.0), market("b", volume_24h=1.0)])
    catalog.set_favorites({"b"})
    assert catalog.select(Selection(), NOW).keys == ["b", "a"]
    assert catalog.select(Selection(pin_favorites=False), NOW).keys == ["a", "b"]
    assert not Selection(view="movers").pinned and Selection().pinned


def test_since_sort_orders_by_the_move_since_the_visit_in_any_view() -> None:
    catalog = Catalog()
    catalog.set_markets([market("a"), market("b"), market("c")])
    catalog.set_visits([Visit("a", NOW, 0.49), Visit("b", NOW, 0.30)])
    for view in ("all", "since"):
        assert catalog.select(Selection(view=view, sort="since"), NOW).keys[:2] == ["b", "a"]


def test_the_since_sort_is_offered_in_its_view_only() -> None:
    assert next_sort("change", "all") == "price"
    assert next_sort("change", "since") == "since"
    assert next_sort("since", "all") == "price"  # from the palette's choice, on


def test_tokens_to_watch_favorites_first_then_what_shows() -> None:
    catalog = Catalog()
    catalog.set_markets([market("a"), market("b"), market("c")])
    catalog.set_favorites({"c"})
    tokens = catalog.tokens_to_watch(["a", None, "a", "zzz"])
    assert tokens == (*catalog.markets["c"].token_ids, *catalog.markets["a"].token_ids)


def test_spark_tokens_skip_loaded_and_unknown() -> None:
    catalog = Catalog()
    catalog.set_markets([market("a"), market("b")])
    first_a = catalog.markets["a"].outcomes[0].token_id
    first_b = catalog.markets["b"].outcomes[0].token_id
    assert catalog.spark_tokens(["a", "b", "nope"], have={first_a}) == (first_b,)
