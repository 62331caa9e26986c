"""A large demo catalogue is planned, then built by event on demand: the first page of
the list does not wait for the rest, and what is served does not depend on the order in
which events were built."""

from __future__ import annotations

import hashlib
import json
from dataclasses import fields
from datetime import UTC, datetime
from typing import Any

import httpx

from tui.demo.catalogue import LAZY_ABOVE, DemoCatalogue
from tui.demo.hosts import DEMO_CLOB_URL, DEMO_GAMMA_URL
from tui.demo.transport import DemoTransport

NOW = datetime(2026, 11, 26, 10, 15, 30, tzinfo=UTC)
LARGE = LAZY_ABOVE + 500
DATA_URL = "https://data-api.polymarket.com"


def get(transport: DemoTransport, url: str, **params: Any) -> httpx.Response:
    with httpx.Client(transport=transport) as client:
        response = client.get(url, params=params)
    assert response.status_code == 200, response.text
    return response


def keyset(transport: DemoTransport, kind: str, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    while True:
        body = get(transport, f"{DEMO_GAMMA_URL}/{kind}/keyset", **params).json()
        items += body[kind]
        if not body.get("next_cursor"):
            return items
        params["after_cursor"] = body["next_cursor"]


def digest(catalogue: DemoCatalogue) -> str:
    """Every field of every event and market."""
    h = hashlib.sha256()
    for event in catalogue.events:
        h.update(repr([getattr(event, f.name) for f in fields(event)
                       if f.name != "markets"]).encode())
        for market in event.markets:
            h.update(repr([getattr(market, f.name) for f in fields(market)
                           if f.name != "event"]).encode())
    return h.hexdigest()


def test_small_catalogues_are_built_at_once_and_large_ones_on_demand() -> None:
    assert not DemoCatalogue(480, 7, NOW).lazy
    large = DemoTransport(n_markets=LARGE, now=NOW)
    assert large.catalogue.lazy and large.catalogue.built_events == 0
    page = get(large, f"{DEMO_GAMMA_URL}/events/keyset", limit=20, order="volume24hr",
               ascending="false").json()["events"]
    assert len(page) == 20
    assert large.catalogue.built_events == 20
    market = page[0]["markets"][0]
    token = json.loads(market["clobTokenIds"])[0]
    history = get(large, f"{DEMO_CLOB_URL}/prices-history", market=token, interval="1d")
    assert history.json()["history"]
    oi = get(large, f"{DATA_URL}/oi", market=market["conditionId"]).json()
    assert oi[0]["market"] == market["conditionId"]
    assert get(large, f"{DEMO_GAMMA_URL}/events/{page[3]['id']}").json()["slug"] == page[3][
        "slug"]
    assert large.catalogue.built_events == 20  # lookups of what was served build nothing


def test_the_order_of_building_does_not_change_the_catalogue() -> None:
    in_order = DemoCatalogue(600, 7, NOW, lazy=True)
    scattered = DemoCatalogue(600, 7, NOW, lazy=True)
    for index in (40, 3, 17, 0, len(scattered.plans) - 1):
        scattered.event(index)
    assert digest(in_order) == digest(scattered)
    assert len(in_order.markets) == 600
    assert digest(in_order) != digest(DemoCatalogue(600, 8, NOW, lazy=True))


def test_lazy_lists_sort_as_the_built_catalogue() -> None:
    transport = DemoTransport(n_markets=LARGE, now=NOW)
    events = keyset(transport, "events", limit=100, order="volume24hr", ascending="false")
    markets = keyset(transport, "markets", limit=100, order="liquidity")
    catalogue = transport.catalogue
    by_volume = sorted(catalogue.events, key=lambda e: (-e.volume_24h, -e.index))
    assert [e["id"] for e in events] == [e.id for e in by_volume]
    by_liquidity = sorted(catalogue.markets, key=lambda m: (m.liquidity, m.index))
    assert [m["id"] for m in markets] == [m.id for m in by_liquidity]
    served = events[0]
    assert served["volume24hr"] == sum(m["volume24hr"] for m in served["markets"])
    # An order the plans do not have builds everything, with the same events.
    by_id = keyset(transport, "events", limit=100, order="id")
    assert sorted(e["id"] for e in by_id) == sorted(e["id"] for e in events)


def test_lookups_of_unbuilt_items_build_the_rest() -> None:
    transport = DemoTransport(n_markets=LARGE, now=NOW)
    reference = DemoCatalogue(LARGE, 7, transport.anchor)
    last = reference.markets[-1]
    assert transport.catalogue.built_events == 0
    found = get(transport, f"{DEMO_GAMMA_URL}/markets/slug/{last.slug}").json()
    assert found["id"] == last.id and found["conditionId"] == last.condition_id
    assert transport.catalogue.built_events == len(transport.catalogue.plans)
    searched = get(transport, f"{DEMO_GAMMA_URL}/public-search", q="bitcoin").json()
    assert searched["pagination"]["totalResults"] > 0
    catalogue = transport.catalogue
    assert len({m.slug for m in catalogue.markets}) == LARGE
    assert len({e.slug for e in catalogue.events}) == len(catalogue.events)
    assert len(catalogue.by_token) == 2 * LARGE
