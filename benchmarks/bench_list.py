"""Prints the market list's figures on demo data (issue 3, Speed). Headless Textual:
layout and rendering to strips run, terminal encoding and writing do not.

- load → painted: 20,000 markets handed to the dashboard until the list has painted rows
- filter keystroke → repainted: p50/p95 over a typed query and backspaces (Input.value)
- cursor move → repainted: p50/p95 of j presses (the action, then the paint)
- CPU at 10 price updates/s on the visible rows, over a few seconds (and idle)
- RSS with 20,000 markets loaded
- warm start: SQLite holding 5,000 markets → rows on screen (in-process, and a whole
  new process including imports)

The demo server generates the markets once into SQLite; the list is then measured in a
fresh process that loads them from there, as a real start does, so neither the demo
server's memory nor its CPU is counted. The dashboard talks to an instant stand-in for
MarketData there (no network, no demo server), so the figures are the UI's own cost.

Run: .venv/bin/python benchmarks/bench_list.py [N]   (goals: 100 ms, 16 ms, 16 ms, 5 %,
150 MB, 0.5 s)
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from results import record
from textual.screen import Screen
from textual.worker import WorkerCancelled

from tui.app import PolydashApp
from tui.config import Config, RefreshConfig, UiConfig
from tui.demo.transport import DemoTransport
from tui.messages import MarketsLoaded, PricesUpdated
from tui.models import Market, OrderBook, PricePoint
from tui.screens.main import MainScreen
from tui.services.market_data import MarketData
from tui.store import Store
from tui.widgets.market_list import MarketList

HERE = Path(__file__).resolve().parent
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
SIZE = (160, 48)
CONFIG = Config(refresh=RefreshConfig(markets_s=3600, prices_s=3600),
                ui=UiConfig(theme="polydash-dark"))


class PaintProbe:
    """Records when a frame that repainted market-list lines was complete (composited
    and handed to the driver), which is what a person sees."""

    def __init__(self) -> None:
        self.painted_at = 0.0
        self.work: list[float] = []
        self.app: PolydashApp | None = None
        self._list_rendered = False
        original_lines = MarketList.render_lines
        original_refresh = Screen._compositor_refresh
        probe = self

        def render_lines(widget: MarketList, crop: Any) -> Any:
            strips = original_lines(widget, crop)
            if widget.rows.keys:
                probe._list_rendered = True
            return strips

        def compositor_refresh(screen: Screen[Any]) -> None:
            original_refresh(screen)
            if probe._list_rendered:
                probe._list_rendered = False
                probe.painted_at = time.perf_counter()

        MarketList.render_lines = render_lines  # type: ignore[method-assign]
        Screen._compositor_refresh = compositor_refresh  # type: ignore[method-assign]

    async def after(self, action: Callable[[], object], limit_s: float = 5.0) -> float:
        """Run `action` and return ms until the list paints (the next frame included).

        `self.work` collects the CPU ms spent meanwhile: latency minus the wait for
        Textual's next frame (it paints at most 60 times a second).
        """
        self.painted_at = 0.0
        if self.app is not None:
            self.app.collector.touched()  # as a key press would: no idle-time collection
        start, cpu = time.perf_counter(), time.process_time()
        action()
        while self.painted_at == 0.0:
            if time.perf_counter() - start > limit_s:
                raise TimeoutError("the list never painted")
            await asyncio.sleep(0.0005)
        self.work.append((time.process_time() - cpu) * 1000)
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


async def demo_markets(count: int, tmp: Path) -> list[Market]:
    """`count` markets from the demo server through the real client (not timed)."""
    store = await Store.open(tmp / f"bench-{count}.db")
    data = await MarketData.create(CONFIG, store, demo=True,
                                   transport=DemoTransport(n_markets=count, now=NOW))
    try:
        return await data.refresh_markets()
    finally:
        await data.aclose()
        await store.close()


class QuietData:
    """MarketData's surface with instant answers, so the figures are the dashboard's own
    cost: in --demo the in-process demo server would also spend CPU here, and live the
    network would not."""

    demo = True
    offline = False
    alerts = None

    def make_stream(self) -> None:
        return None

    def chart_labels(self, market: Market, top: int = 4) -> dict[str, str]:
        return {}

    def __init__(self, markets: list[Market]) -> None:
        self.markets = markets

    async def cached_markets(self, limit: int | None = None
                             ) -> tuple[list[Market], datetime | None]:
        return [], None

    async def refresh_markets(self, limit: int | None = None) -> list[Market]:
        return self.markets

    async def market_pages(self) -> AsyncIterator[list[Market]]:
        yield self.markets

    async def save_snapshot(self) -> None:
        return None

    async def refresh_prices(self, token_ids: Sequence[str]) -> dict[str, float]:
        return {}

    async def sparklines(self, token_ids: Sequence[str], points: int = 28
                         ) -> dict[str, list[float]]:
        return {t: [0.5 + ((i * 7 + len(t)) % 9) / 40 for i in range(points)]
                for t in token_ids}

    async def chart(self, market: Market, range_: str, top: int = 4
                    ) -> dict[str, list[PricePoint]]:
        return {}

    async def book(self, token_id: str) -> OrderBook:
        return OrderBook(token_id, "", (), ())

    async def compact_history(self, now: datetime, policy: Any) -> int:
        return 0

    async def search(self, query: str) -> list[Market]:
        return []

    async def favorite_ids(self) -> set[str]:
        return set()

    async def toggle_favorite(self, market: Market) -> bool:
        return True

    async def record_view(self, market: Market) -> None:
        return None

    async def last_view(self, market_id: str) -> None:
        return None

    async def stored_news(self, market_id: str | None = None, limit: int = 200) -> list[Any]:
        return []

    async def news_for(self, market: Market | None, favorites: Sequence[Market] = ()
                       ) -> list[Any]:
        return []

    def news_status(self) -> str:
        return ""

    async def mark_news_read(self, url: str) -> bool:
        return True

    async def recent_views(self) -> list[Any]:
        return []

    async def ui_state(self) -> dict[str, str]:
        return {}

    async def save_ui_state(self, state: Any) -> None:
        return None

    async def trades(self, market: Market, limit: int = 50) -> list[Any]:
        return []

    async def holders(self, market: Market) -> list[Any]:
        return []

    async def open_interest(self, market: Market) -> float | None:
        return None

    async def comments(self, market: Market, limit: int = 40) -> list[Any]:
        return []

    async def wallet(self, address: str) -> Any:
        raise LookupError("the list benchmark has no wallets")

    async def saved_wallets(self) -> list[Any]:
        return []

    async def save_wallet(self, address: str, label: str) -> Any:
        raise LookupError("the list benchmark saves no wallets")

    async def remove_wallet(self, address: str) -> bool:
        return False

    async def aclose(self) -> None:
        return None


async def measure_list(db: str) -> None:
    rss_start = rss_mb()
    store = await Store.open(db)
    loaded, _ = await store.load_markets()
    await store.close()
    gc.collect()
    rss_markets = rss_mb()
    data = QuietData(loaded)
    probe = PaintProbe()
    app = PolydashApp(CONFIG, data, clock=lambda: NOW)  # type: ignore[arg-type]
    probe.app = app
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        main = app.screen
        assert isinstance(main, MainScreen)
        main.catalog.set_markets([])
        main.browser.apply_selection()
        await pilot.pause()
        gc.collect()

        load_ms = await probe.after(
            lambda: main.on_markets_loaded(MarketsLoaded(loaded, NOW, "demo")))
        print(f"load {len(loaded):,} markets → painted: {load_ms:.0f} ms "
              f"(CPU {probe.work[-1]:.0f} ms) (goal ≤ 100)")
        await settle(app, pilot)
        await pilot.pause(1.0)  # the filter texts are built in idle slices after a load

        await main.run_action("filter")
        await pilot.pause()
        field = main.browser.filter_input
        typed = "will the price of bitcoin"
        samples = []
        probe.work.clear()
        for _ in range(3):  # the same typing three times: a noisy machine shows less
            for end in [*range(1, len(typed) + 1), *range(len(typed) - 1, -1, -1)]:
                text = typed[:end]
                samples.append(await probe.after(
                    lambda text=text: setattr(field, "value", text)))
                await pilot.pause()
        print(f"filter keystroke → repainted: p50 {statistics.median(samples):.1f} ms, "
              f"p95 {percentile(samples, 95):.1f} ms over {len(samples)} keystrokes; CPU "
              f"p50 {statistics.median(probe.work):.1f} ms, p95 "
              f"{percentile(probe.work, 95):.1f} ms (goal p95 ≤ 16)")
        record(f"filter keystroke at {len(loaded):,} markets, p95", percentile(samples, 95),
               "ms", 16.0, note="keystroke → repainted, headless Textual (bench_list)")
        field.value = ""
        await main.run_action("back")
        await settle(app, pilot)

        listing = main.market_list
        listing.focus()
        moves = []
        probe.work.clear()
        for _ in range(150):
            moves.append(await probe.after(listing.action_cursor_down))
            await pilot.pause()
        print(f"cursor move → repainted: p50 {statistics.median(moves):.1f} ms, "
              f"p95 {percentile(moves, 95):.1f} ms; CPU p50 {statistics.median(probe.work):.1f}"
              f" ms, p95 {percentile(probe.work, 95):.1f} ms (goal ≤ 16)")
        await settle(app, pilot)

        app.collector.run()  # what the first idle second does
        print(f"RSS with {len(loaded):,} markets loaded: {rss_mb():.0f} MB (goal ≤ 150; "
              f"Python + imports {rss_start:.0f} MB, + markets from SQLite "
              f"{rss_markets:.0f} MB)")
        app.collector.run()  # the full collection an idle user gets after a load
        idle = await cpu_share(lambda: None)
        rng = random.Random(3)

        def one_row() -> None:  # a new price for one visible market
            market = main.catalog.markets[rng.choice(listing.visible_market_ids())]
            prices = {t: round(rng.uniform(0.01, 0.99), 3) for t in market.token_ids}
            main.post_message(PricesUpdated(prices, NOW))

        def every_row() -> None:  # new prices for every visible market at once
            tokens = [t for market_id in listing.visible_market_ids()
                      for t in main.catalog.markets[market_id].token_ids]
            prices = {t: round(rng.uniform(0.01, 0.99), 3) for t in tokens}
            main.post_message(PricesUpdated(prices, NOW))

        single = await cpu_share(one_row)
        everything = await cpu_share(every_row)
        print(f"CPU at 10 price updates/s on visible rows: {single:.1f} % of a core with one "
              f"market per update, {everything:.1f} % when every update moves all "
              f"{len(listing.visible_market_ids())} visible markets (idle {idle:.1f} %; "
              "goal ≤ 5)")


async def cpu_share(tick: Callable[[], None], seconds: float = 4.0) -> float:
    """Process CPU over `seconds` of wall time while `tick` runs 10 times a second (idle
    collections included: nobody types during a price stream)."""
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
    markets = await demo_markets(count, path.parent)
    gc.collect()
    store = await Store.open(path)
    await store.save_markets(markets, NOW)
    await store.close()


WARM_SCRIPT = """
import time
started = time.perf_counter()
import asyncio, sys
sys.path.insert(0, {here!r})
from bench_list import warm_start
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
    script = WARM_SCRIPT.format(here=str(HERE), db=str(db))
    runs = []
    for _ in range(3):
        result = await asyncio.to_thread(
            subprocess.run, [sys.executable, "-c", script], capture_output=True, text=True,
            check=True, env={**os.environ, "TZ": "UTC"})
        runs.append(float(result.stdout.strip().splitlines()[-1]))
    print(f"warm start, SQLite with {count:,} markets → rows on screen: "
          f"{in_process:.2f} s in-process; {min(runs):.2f} s for a new process from its "
          f"first line, imports included (best of 3) (goal ≤ 0.5)")


async def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--measure":
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        print(f"({os.cpu_count()} CPUs, load average {load}; headless Textual)")
        await measure_list(sys.argv[2])
        return
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "list.db"
        await prepare_warm_db(db, count)
        result = await asyncio.to_thread(
            subprocess.run, [sys.executable, __file__, "--measure", str(db)], text=True,
            check=False, env={**os.environ, "TZ": "UTC"})
        if result.returncode:
            print("the list measurement failed", file=sys.stderr)
        await measure_warm(5_000, Path(tmp))


if __name__ == "__main__":
    asyncio.run(main())
