"""The demo's data generator at scale: what `POLYDASH_DEMO_MARKETS=20000 polydash --demo`
spends before its first page can be parsed (the whole-process time to the first rows on
screen is measured with the app's start-up figures).

Figures (best of 3, each in a fresh transport): the catalogue ready to serve (a large
one is only planned), the first keyset page of events as the app asks for it and the
first page of markets (each in a transport of its own, catalogue included), and building
every event after the first page of events.
Run: .venv/bin/python benchmarks/bench_demo.py [N]
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from results import record

from tui.demo.transport import DemoTransport

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
RUNS = 3
FIRST_EVENTS = {"closed": "false", "limit": "100", "order": "volume24hr", "ascending": "false"}
FIRST_MARKETS = {**FIRST_EVENTS, "include_tag": "true"}


def first_page(count: int, kind: str) -> tuple[float, float, float, int]:
    """Seconds to a catalogue ready to serve, to the first page's bytes, then to every
    event built; the page's size."""
    transport = DemoTransport(count, now=NOW)
    started = time.perf_counter()
    transport.catalogue  # noqa: B018  (made on first use)
    ready = time.perf_counter() - started
    params = FIRST_EVENTS if kind == "events" else FIRST_MARKETS
    with httpx.Client(transport=transport) as client:
        reply = client.get(f"https://gamma-api.polymarket.com/{kind}/keyset", params=params)
    reply.raise_for_status()
    answered = time.perf_counter() - started
    transport.catalogue.complete()
    return ready, answered, time.perf_counter() - started - answered, len(reply.content)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    events = [first_page(count, "events") for _ in range(RUNS)]
    markets = [first_page(count, "markets") for _ in range(RUNS)]
    ready = min(run[0] for run in events)
    page = min(run[1] for run in events)
    market_page = min(run[1] for run in markets)
    rest = min(run[2] for run in events)
    print(f"demo catalogue of {count:,} markets: ready in {ready:.2f} s; first keyset page of "
          f"events ({events[0][3] / 1e3:.0f} KB) answered {page:.2f} s after the start, of "
          f"markets ({markets[0][3] / 1e3:.0f} KB) {market_page:.2f} s; the rest built in "
          f"{rest:.2f} s more (best of {RUNS})")
    goal = 0.5 if count == 20_000 else None
    record(f"demo generator, {count:,} markets: first page of events answered", page, "s",
           goal, note="catalogue + the first keyset page the app asks for (events by 24h "
           "volume); the first-rows goal is 1.5 s for all of it")
    record(f"demo generator, {count:,} markets: first page answered", market_page, "s", goal,
           note="catalogue + first keyset page of markets by 24h volume")


if __name__ == "__main__":
    main()
