"""Prints how long parsing 20,000 Gamma markets takes (seconds, best of 3 runs).

Figures:
- parse: the 200 keyset pages decoded as GammaClient decodes them (msgspec, only the
  keys the builder reads: tui/services/gamma_json.py) + a Market for every market; the
  issue-10 figure, recorded in benchmarks/results.json;
- the same with json.loads of whole pages + models.market_from_gamma, for comparison;
- client: the same pages through HttpClient + GammaClient.markets() (keyset paging,
  JSON checks, parsing) over an in-process httpx transport, so no network is timed.

The markets are copies of the recorded keyset page (tests/fixtures/polymarket), full
size (about 6 KB each, as on the wire), with distinct ids, slugs and token ids.
Run: .venv/bin/python benchmarks/bench_parse.py [N]
"""

from __future__ import annotations

import asyncio
import copy
import json
import sys
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from results import record

from tui.models import market_from_gamma, parse_items
from tui.services.gamma import GammaClient
from tui.services.gamma_json import loads_market_page, market_of
from tui.services.http import DEFAULT_USER_AGENT, HttpClient

FIXTURE = (Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "polymarket"
           / "gamma_markets_keyset_2026-10-06.json")
PAGE = 100
RUNS = 3


def make_pages(count: int) -> list[bytes]:
    """`count` markets as keyset page bodies, each page naming the next by its index."""
    templates = json.loads(FIXTURE.read_text(encoding="utf-8"))["markets"]
    markets: list[dict[str, Any]] = []
    for index in range(count):
        market = copy.deepcopy(templates[index % len(templates)])
        market["id"] = str(1_000_000 + index)
        market["slug"] = f"{market['slug']}-{index}"
        tokens = [f"{index:06d}{token[6:]}" for token in json.loads(market["clobTokenIds"])]
        market["clobTokenIds"] = json.dumps(tokens)
        markets.append(market)
    pages = []
    for start in range(0, count, PAGE):
        body: dict[str, Any] = {"markets": markets[start:start + PAGE]}
        if start + PAGE < count:
            body["next_cursor"] = str(start // PAGE + 1)
        pages.append(json.dumps(body).encode())
    return pages


def parse_pages(pages: list[bytes], loads: Any = loads_market_page,
                build: Any = market_of) -> tuple[int, float]:
    """Markets built, and the seconds spent decoding JSON alone."""
    parsed, decoding = 0, 0.0
    for page in pages:
        start = time.perf_counter()
        body = loads(page)
        decoding += time.perf_counter() - start
        parsed += len(parse_items(body["markets"], build, what="market"))
    return parsed, decoding


async def client_pages(pages: list[bytes]) -> int:
    def answer(request: httpx.Request) -> httpx.Response:
        index = int(request.url.params.get("after_cursor", "0"))
        return httpx.Response(200, content=pages[index],
                              headers={"content-type": "application/json"})

    host = "gamma-api.polymarket.com"
    async with HttpClient(user_agent=DEFAULT_USER_AGENT, transport=httpx.MockTransport(answer),
                          rate_limits={host: 0}) as http:
        return len(await GammaClient(http, f"https://{host}").markets())


def best_of(runs: int, work: Any) -> tuple[float, Any]:
    """The fastest run's seconds and result."""
    best: tuple[float, Any] = (float("inf"), None)
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        best = min(best, (time.perf_counter() - start, result), key=lambda pair: pair[0])
    return best


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    pages = make_pages(count)
    megabytes = sum(len(page) for page in pages) / 1e6
    seconds, (parsed, decoding) = best_of(RUNS, lambda: parse_pages(pages))
    assert parsed == count, parsed
    print(f"parse {count:,} Gamma markets ({megabytes:.0f} MB JSON, {len(pages)} pages): "
          f"{seconds:.2f} s ({count / seconds:,.0f} markets/s, best of {RUNS}; "
          f"msgspec {decoding:.2f} s, models {seconds - decoding:.2f} s)")
    record(f"parse {count:,} Gamma markets (bench_parse)", seconds, "s",
           1.0 if count == 20_000 else None)
    seconds, (parsed, decoding) = best_of(
        RUNS, lambda: parse_pages(pages, json.loads, market_from_gamma))
    assert parsed == count, parsed
    print(f"  the same with json.loads of whole pages: {seconds:.2f} s (json.loads "
          f"{decoding:.2f} s, models {seconds - decoding:.2f} s)")
    seconds, fetched = best_of(RUNS, lambda: asyncio.run(client_pages(pages)))
    assert fetched == count, fetched
    print(f"client: {count:,} markets through HttpClient + GammaClient keyset paging "
          f"(in-process transport): {seconds:.2f} s (best of {RUNS})")


if __name__ == "__main__":
    main()
