"""Prints the market list's figures on demo data (issue 3, Speed). Headless Textual:
layout and rendering to strips run, terminal encoding and writing do not.

- load → painted: 20,000 markets handed to the dashboard until the list has painted rows
- filter keystroke → repainted: p50/p95 over a typed query and backspaces (Input.value)
- cursor move → repainted: p50/p95 of j presses (the action, then the paint)
- CPU at 10 price updates/s on the visible rows, over a few seconds (and idle)
- RSS with 20,000 markets loaded (includes the in-process demo server's catalogue)
- warm start: SQLite holding 5,000 markets → rows on screen (in-process, and a whole
  new process including imports)

Run: .venv/bin/python benchmarks/bench_list.py [N]   (goals: 100 ms, 16 ms, 16 ms, 5 %,
150 MB, 0.5 s)
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from textual.worker import WorkerCancelled  # noqa: E402

from tui.app import PolydashApp  # noqa: E402
from tui.config import Config, RefreshConfig, UiConfig  # noqa: E402
from tui.messages import MarketsLoaded, PricesUpdated  # noqa: E402
from tui.models import Market  # noqa: E402
from tui.screens.main import MainScreen  # noqa: E402
from tui.services.demo import DemoTransport  # noqa: E402
from tui.services.market_data import MarketData  # noqa: E402
from tui.store import Store  # noqa: E402
from tui.widgets.market_list import MarketList  # noqa: E402

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
SIZE = (160, 48)
CONFIG = Config(refresh=RefreshConfig(markets_s=3600, prices_s=3600),
                ui=UiConfig(theme="polydash-dark"))


class PaintProbe:
    """Records when the market list last rendered lines while holding rows."""

    def __init__(self) -> None:
        self.painted_at = 0.0
        original = MarketList.render_lines
        probe = self

        def render_lines(widget: MarketList, crop: Any) -> Any:
            strips = original(widget, crop)
            if widget.rows:
                probe.painted_at = time.perf_counter()
            return strips

        MarketList.render_lines = render_lines  # type: ignore[method-assign]

    async def after(self, action: Callable[[], object], timeout: float = 5.0) -> float:
        """Run `action` and return ms until the list paints (the next frame included)."""
        self.painted_at = 0.0
        start = time.perf_counter()
        action()
        while self.painted_at == 0.0:
            if time.perf_counter() - start > timeout:
                raise TimeoutError("the list never painted")
            await asyncio.sleep(0.0005)
        return (self.painted_at - start) * 1000


async def settle(app: PolydashApp, pilot: Any) -> None:
    for _ in range(3):
        await pilot.pause()
        with contextlib.suppress(WorkerCancelled):
            await app.workers.wait_for_complete()


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def demo_markets(count: int, tmp: Path) -> tuple[list[Market], MarketData, Store]:
    store = await Store.open(tmp / f"bench-{count}.db")
    data = await MarketData.create(CONFIG, store, demo=True,
                                   transport=DemoTransport(n_markets=count, now=NOW))
    return await data.refresh_markets(), data, store


async def measure_list(count: int, tmp: Path) -> None:
    MainScreen.DETAIL_DELAY = 0.12
    markets, data, store = await demo_markets(count, tmp)
    loaded = list(markets)

    async def nothing_cached() -> tuple[list[Market], datetime | None]:
        return [], None

    async def same_markets(limit: int | None = None) -> list[Market]:
        return loaded

    data.cached_markets = nothing_cached  # type: ignore[method-assign]
    data.refresh_markets = same_markets  # type: ignore[method-assign]
    probe = PaintProbe()
    app = PolydashApp(CONFIG, data, clock=lambda: NOW)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        main = app.main
        main.catalog.set_markets([])
        main.apply_selection()
        await pilot.pause()

        load_ms = await probe.after(
            lambda: main.on_markets_loaded(MarketsLoaded(loaded, NOW, "demo")))
        print(f"load {len(loaded):,} markets → painted: {load_ms:.0f} ms (goal ≤ 100)")
        await settle(app, pilot)

        await main.run_action("filter")
        await pilot.pause()
        field = main.filter_input
        typed = "will the price of bitcoin"
        samples = []
        for end in [*range(1, len(typed) + 1), *range(len(typed) - 1, 0, -1)]:
            text = typed[:end]
            samples.append(await probe.after(lambda text=text: setattr(field, "value", text)))
            await pilot.pause()
        print(f"filter keystroke → repainted: p50 {statistics.median(samples):.1f} ms, "
              f"p95 {percentile(samples, 95):.1f} ms over {len(samples)} keystrokes "
              f"(goal p95 ≤ 16)")
        field.value = ""
        await main.run_action("back")
        await settle(app, pilot)

        listing = main.market_list
        listing.focus()
        moves = []
        for _ in range(60):
            moves.append(await probe.after(listing.action_cursor_down))
            await pilot.pause()
        print(f"cursor move → repainted: p50 {statistics.median(moves):.1f} ms, "
              f"p95 {percentile(moves, 95):.1f} ms (goal ≤ 16)")
        await settle(app, pilot)

        print(f"RSS with {len(loaded):,} markets: {rss_mb():.0f} MB (goal ≤ 150; includes "
              "the demo server's catalogue in this process)")
        idle = await cpu_share(lambda: None)
        rng = random.Random(3)

        def tick() -> None:
            tokens = main.price_tokens()
            prices = {t: round(rng.uniform(0.01, 0.99), 3) for t in tokens}
            main.post_message(PricesUpdated(prices, NOW))

        busy = await cpu_share(tick)
        print(f"CPU at 10 price updates/s on the visible rows ({len(main.price_tokens())} "
              f"tokens): {busy:.1f} % of a core (idle {idle:.1f} %; goal ≤ 5)")
    await data.aclose()
    await store.close()


async def cpu_share(tick: Callable[[], None], seconds: float = 4.0) -> float:
    start_cpu, start = cpu_s(), time.perf_counter()
    while time.perf_counter() - start < seconds:
        tick()
        await asyncio.sleep(0.1)
    return (cpu_s() - start_cpu) / (time.perf_counter() - start) * 100


def percentile(samples: list[float], pct: int) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


# ---------------------------------------------------------------- warm start


async def prepare_warm_db(path: Path, count: int) -> None:
    markets, data, store = await demo_markets(count, path.parent)
    await data.aclose()
    await store.close()
    store = await Store.open(path)
    await store.save_markets(markets, NOW)
    await store.close()


WARM_SCRIPT = """
import time
started = time.perf_counter()
import asyncio, sys
sys.path.insert(0, {root!r})
from benchmarks.bench_list import warm_start
print(f"{{asyncio.run(warm_start({db!r}, started)):.3f}}")
"""


async def warm_start(db: str, started: float | None = None) -> float:
    """Seconds from `started` (or now) until the list paints rows from SQLite."""
    started = time.perf_counter() if started is None else started
    store = await Store.open(db)
    data = await MarketData.create(CONFIG, store, offline=True)
    painted = asyncio.Event()
    original = MarketList.render_lines

    def render_lines(widget: MarketList, crop: Any) -> Any:
        strips = original(widget, crop)
        if widget.rows:
            painted.set()
        return strips

    MarketList.render_lines = render_lines  # type: ignore[method-assign]
    app = PolydashApp(CONFIG, data, clock=lambda: NOW)
    async with app.run_test(size=SIZE):
        await asyncio.wait_for(painted.wait(), 10)
        elapsed = time.perf_counter() - started
    await data.aclose()
    await store.close()
    return elapsed


async def measure_warm(count: int, tmp: Path) -> None:
    db = tmp / "warm.db"
    await prepare_warm_db(db, count)
    in_process = await warm_start(str(db))
    root = str(Path(__file__).resolve().parents[1])
    runs = []
    for _ in range(3):
        result = subprocess.run(
            [sys.executable, "-c", WARM_SCRIPT.format(root=root, db=str(db))],
            capture_output=True, text=True, check=True, env={**os.environ, "TZ": "UTC"})
        runs.append(float(result.stdout.strip().splitlines()[-1]))
    print(f"warm start, SQLite with {count:,} markets → rows on screen: "
          f"{in_process:.2f} s in-process; {min(runs):.2f} s for a new process from its "
          f"first line, imports included (best of 3) (goal ≤ 0.5)")


async def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    with tempfile.TemporaryDirectory() as tmp:
        await measure_list(count, Path(tmp))
        await measure_warm(5_000, Path(tmp))


if __name__ == "__main__":
    asyncio.run(main())
