"""The demo's data generator at scale: what `POLYDASH_DEMO_MARKETS=20000 polydash --demo`
spends before its first page of markets can be parsed (the whole-process time to the
first rows on screen is measured with the app's start-up figures).

Figures (best of 3, each in a fresh transport): building the catalogue, and answering
the first keyset page of markets as the app asks for it (catalogue included).
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
FIRST_PAGE = {"closed": "false", "limit": "100", "order": "volume24hr", "ascending": "false",
              "include_tag": "true"}


def first_page(count: int) -> tuple[float, float, int]:
    """Seconds to build the catalogue, seconds to the first page's bytes, its size."""
    transport = DemoTransport(count, now=NOW)
    started = time.perf_counter()
    transport.catalogue  # noqa: B018  (built on first use)
    built = time.perf_counter() - started
    with httpx.Client(transport=transport) as client:
        reply = client.get("https://gamma-api.polymarket.com/markets/keyset", params=FIRST_PAGE)
    reply.raise_for_status()
    return built, time.perf_counter() - started, len(reply.content)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    runs = [first_page(count) for _ in range(RUNS)]
    built = min(run[0] for run in runs)
    page = min(run[1] for run in runs)
    print(f"demo catalogue of {count:,} markets: built in {built:.2f} s; first keyset page "
          f"({runs[0][2] / 1e3:.0f} KB) answered {page:.2f} s after the start (best of {RUNS})")
    record(f"demo generator, {count:,} markets: first page answered", page, "s",
           0.5 if count == 20_000 else None,
           note="catalogue + first keyset page; the first-rows goal is 1.5 s for all of it")


if __name__ == "__main__":
    main()
