"""Memory with 20,000 markets loaded: peak RSS of a process that does what the app does.

The parent writes a database (20,000 full-size Gamma markets, parsed as the client parses
them, then 1,000,000 history points when asked); a fresh child process imports the app
(Textual and every screen, as a start does), opens the Store, loads the snapshot into a
Catalog, builds the sorted list and its filter texts, reads a screenful of sparklines, and
prints its peak RSS and its RSS at the end. Figures only. The peak is VmHWM of
/proc/self/status (Linux): ru_maxrss would do on its own, but Linux keeps it across
fork and exec, so a child started by this (large) parent would report the parent's.

Run: .venv/bin/python benchmarks/bench_memory.py [--markets 20000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_history import NOW, NOW_S, record_ticks, token_ids
from bench_parse import make_pages
from results import record

from tui.models import parse_items
from tui.services.gamma_json import loads_market_page, market_of
from tui.store import Store

CHILD = """
import asyncio, json, resource, sys
from datetime import UTC, datetime

import tui.app  # noqa: F401  (the app's imports: Textual, screens, widgets)
from tui.store import Store
from tui.view.catalog import Catalog, Selection
from tui.view.columns import SPARK_CELLS
from tui.view.sparkline import SparkSlices


def status_mb(field: str) -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024  # kB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def main(path: str, now_s: int) -> None:
    async with await Store.open(path) as store:
        markets, _ = await store.load_markets()
        catalog = Catalog()
        catalog.set_markets(markets)
        now = datetime.fromtimestamp(now_s, UTC)
        shown = catalog.filtered(Selection(), now)
        catalog.filtered(Selection(query="will"), now)  # the filter texts of every market
        tokens = [catalog.markets[i].outcomes[0].token_id for i in shown[:50]]
        slices = SparkSlices.ending_at(now_s, SPARK_CELLS)
        await store.last_in_slices(tokens, slices.starts, slices.width_s)
    print(json.dumps({"markets": len(markets), "peak_mb": status_mb("VmHWM"),
                      "rss_mb": status_mb("VmRSS")}))


asyncio.run(main(sys.argv[1], int(sys.argv[2])))
"""


async def write_database(path: Path, count: int, points: int) -> None:
    markets = []
    for page in make_pages(count):
        markets.extend(parse_items(loads_market_page(page)["markets"], market_of,
                                   what="market"))
    async with await Store.open(path) as store:
        await store.save_markets(markets, NOW)
        if points:
            # The tokens of the first markets, as the recorder would have them.
            tokens = [m.outcomes[0].token_id for m in markets[:500]] or token_ids(500, 1)
            per_token = points // len(tokens)
            await record_ticks(store, tokens, NOW_S - per_token * 300, NOW_S, 300)


def child(path: Path) -> dict[str, float]:
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-c", CHILD, str(path), str(NOW_S)], cwd=root,
                          check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--markets", type=int, default=20_000)
    args = parser.parse_args()
    goal = 150.0 if args.markets == 20_000 else None
    with tempfile.TemporaryDirectory() as folder:
        for points in (0, 1_000_000):
            path = Path(folder) / f"memory-{points}.db"
            await write_database(path, args.markets, points)
            found = child(path)
            with_history = f", {points:,} history points stored" if points else ""
            record(f"RSS with {args.markets:,} markets after load{with_history}",
                   found["peak_mb"], "MB", goal,
                   note=f"peak (VmHWM); {found['rss_mb']:.0f} MB at the end")


if __name__ == "__main__":
    asyncio.run(main())
