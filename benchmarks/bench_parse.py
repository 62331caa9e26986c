"""Prints how long parsing 20,000 Gamma markets takes (seconds, best of 3 runs).

Two figures:
- parse: json.loads of 200 keyset pages + models.market_from_gamma for every market;
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

from tui.models import market_from_gamma, parse_items
from tui.services.gamma import GammaClient
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


def parse_pages(pages: list[bytes]) -> tuple[int, float]:
    """Markets built, and the seconds spent in json.loads alone."""
    parsed, decoding = 0, 0.0
    for page in pages:
        start = time.perf_counter()
        body = json.loads(page)
        decoding += time.perf_counter() - start
        parsed += len(parse_items(body["markets"], market_from_gamma, what="market"))
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
          f"json.loads {decoding:.2f} s, models {seconds - decoding:.2f} s)")
    seconds, fetched = best_of(RUNS, lambda: asyncio.run(client_pages(pages)))
    assert fetched == count, fetched
    print(f"client: {count:,} markets through HttpClient + GammaClient keyset paging "
          f"(in-process transport): {seconds:.2f} s (best of {RUNS})")


if __name__ == "__main__":
    main()
