"""Live prices at rate: CPU of the real MarketStream feeding a Textual market list.

200 subscribed tokens, 50 price_change frames per second in total, from the loopback
fake websocket (tests/fakews.py, in its own process so its CPU is not counted). In the
measured process: the real MarketStream (websockets, JSON, local books), every tick
checked against 50 alerts, ticks batched into SQLite price history (Store.record_prices,
about once a second), and a Textual app hosting the market list (tui/widgets/
market_list.py) that takes the ticks coalesced to 4 repaints a second.

By default the app runs with its real terminal driver on a pseudo-terminal (160x48), so
terminal encoding and writes are counted too; `--headless` runs it headless instead.
CPU is resource.getrusage over the window (default 10 s), after a warm-up. Prints
figures only; the goal is <= 10 % of a core.

Run: .venv/bin/python benchmarks/bench_stream.py [--seconds 10] [--rate 50] [--tokens 200]
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import json
import os
import pty
import resource
import select
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from textual.app import App, ComposeResult  # noqa: E402

from tui.models import Market, Outcome  # noqa: E402
from tui.services.alert_rules import spec_for  # noqa: E402
from tui.services.alerts import AlertService  # noqa: E402
from tui.services.stream import MarketStream  # noqa: E402
from tui.services.stream_protocol import PriceTick, StreamEvent  # noqa: E402
from tui.store import Store  # noqa: E402
from tui.view.catalog import group_rows  # noqa: E402
from tui.widgets.market_list import MarketList  # noqa: E402

SIZE = (160, 48)
REPAINT_S = 0.25  # ticks are coalesced to 4 repaints a second
WARMUP_S = 2.0
ALERTS = 50
NOW = datetime.now(UTC)


def cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def make_markets(count: int) -> list[Market]:
    return [
        Market(id=str(5000 + i), slug=f"bench-{i}", question=f"Will benchmark market {i} "
               f"resolve yes before the end of the quarter?", event_id=f"ev-{i}",
               outcomes=(Outcome("Yes", 0.5, str(10**76 + 2 * i)),
                         Outcome("No", 0.5, str(10**76 + 2 * i + 1))),
               volume_24h=1000.0 * (count - i), liquidity=5000.0, change_24h=0.01,
               end_date=NOW + timedelta(days=i % 30 + 1), updated_at=NOW)
        for i in range(count)
    ]


class TickerApp(App[dict[str, Any]]):
    """A market list fed by a MarketStream, repainting at most every REPAINT_S."""

    def __init__(self, url: str, markets: list[Market], store: Store, seconds: float) -> None:
        super().__init__()
        self.url, self.seconds, self.store = url, seconds, store
        self.by_id = {m.id: m for m in markets}
        self.market_of = {m.outcomes[0].token_id: m.id for m in markets}
        self.pending: dict[str, float] = {}
        self.figures: dict[str, Any] = {"ticks": 0, "repaints": 0, "lines": 0}

    def compose(self) -> ComposeResult:
        yield MarketList(id="list")

    def on_mount(self) -> None:
        market_list = self.query_one(MarketList)
        market_list.markets = self.by_id
        market_list.set_rows(group_rows(list(self.by_id.values())))
        market_list.focus()
        self.set_interval(REPAINT_S, self.repaint)
        self.run_worker(self.measure(), exit_on_error=True)

    def on_tick(self, event: StreamEvent) -> None:
        if isinstance(event, PriceTick):
            self.pending[event.token_id] = event.price
            self.figures["ticks"] += 1

    def repaint(self) -> None:
        """What the dashboard does with a batch of ticks: new market values, and a
        repaint of the visible rows that changed."""
        if not self.pending:
            return
        prices, self.pending = self.pending, {}
        changed = []
        for token, price in prices.items():
            market_id = self.market_of.get(token)
            market = self.by_id.get(market_id) if market_id else None
            if market is None:
                continue
            first = replace(market.outcomes[0], price=price)
            self.by_id[market.id] = replace(market, outcomes=(first, *market.outcomes[1:]))
            changed.append(market.id)
        self.figures["lines"] += self.query_one(MarketList).touch(changed)
        self.figures["repaints"] += 1

    async def measure(self) -> None:
        alerts = AlertService(self.store)
        await alerts.load()
        tokens = list(self.market_of)
        for market in list(self.by_id.values())[:ALERTS]:
            await alerts.add(spec_for(market, "above", threshold=0.99))
        stream = MarketStream(self.url, recorder=self.store)
        stream.add_listener(self.on_tick)
        stream.add_listener(lambda e: alerts.check((e,)) if isinstance(e, PriceTick) else None)
        stream.set_tokens(tokens)
        stream.start()
        try:
            await self.window(stream, alerts)
        finally:
            await stream.close()
            await alerts.aclose()
        self.exit(self.figures)

    async def window(self, stream: MarketStream, alerts: AlertService) -> None:
        start = time.monotonic()
        while not (stream.is_live and len(stream.live_tokens()) == len(self.market_of)):
            if time.monotonic() - start > 15:
                raise RuntimeError(f"the stream did not go live ({stream.state})")
            await asyncio.sleep(0.05)
        await asyncio.sleep(WARMUP_S)
        written, ticks, repaints = stream.history_written, self.figures["ticks"], \
            self.figures["repaints"]
        frames = stream.stats.frames
        cpu0, wall0 = cpu_s(), time.perf_counter()
        await asyncio.sleep(self.seconds)
        cpu, wall = cpu_s() - cpu0, time.perf_counter() - wall0
        self.figures.update(
            cpu_pct=100 * cpu / wall, wall_s=wall, ticks_per_s=(self.figures["ticks"] - ticks)
            / wall, repaints_per_s=(self.figures["repaints"] - repaints) / wall,
            history_per_s=(stream.history_written - written) / wall, tokens=len(stream.tokens),
            frames_per_s=(stream.stats.frames - frames) / wall,
            connections=stream.connections, malformed=stream.stats.malformed,
            alerts=len(alerts.tokens), rss_mb=resource.getrusage(
                resource.RUSAGE_SELF).ru_maxrss / 1024)


# ---------------------------------------------------------------- processes


def start_server(rate: float) -> tuple[subprocess.Popen[str], str]:
    server = subprocess.Popen([sys.executable, "-m", "tests.fakews", "--rate", str(rate)],
                              cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True)
    assert server.stdout is not None
    url = server.stdout.readline().strip()
    if not url.startswith("ws://"):
        server.kill()
        raise SystemExit("the fake websocket server did not start")
    return server, url


async def run_app(url: str, tokens: int, seconds: float, headless: bool) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        store = await Store.open(Path(tmp) / "bench.db")
        try:
            app = TickerApp(url, make_markets(tokens), store, seconds)
            if headless:
                async with app.run_test(size=SIZE) as pilot:
                    while app.is_running:
                        await pilot.pause(0.2)
                    result = app.return_value
            else:
                result = await app.run_async()
        finally:
            await store.close()
    if not result:
        raise SystemExit("the benchmark app ended without figures")
    return result


def in_pty(args: argparse.Namespace, url: str) -> dict[str, Any]:
    """Run the app in a child on a 160x48 pseudo-terminal; drain its output here."""
    with tempfile.NamedTemporaryFile("r", suffix=".json") as out:
        pid, fd = pty.fork()
        if pid == 0:  # the child: a real terminal app
            os.environ["TERM"] = "xterm-256color"
            figures = asyncio.run(run_app(url, args.tokens, args.seconds, headless=False))
            Path(out.name).write_text(json.dumps(figures))
            os._exit(0)
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
        written = drain(fd)
        _, status = os.waitpid(pid, 0)
        if status != 0 or not Path(out.name).read_text():
            raise SystemExit("the benchmark app failed")
        figures = json.loads(Path(out.name).read_text())
    figures["terminal_kib"] = written / 1024
    return figures


def drain(fd: int) -> int:
    total = 0
    while True:
        ready, _, _ = select.select([fd], [], [], 1.0)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: the child closed the terminal
            return total
        if not chunk:
            return total
        total += len(chunk)


def report(figures: Mapping[str, Any], args: argparse.Namespace, mode: str) -> None:
    print(f"stream bench ({mode}): {figures['tokens']} tokens on {figures['connections']} "
          f"connection(s), {args.rate:g} frames/s offered, {ALERTS} alerts, "
          f"{figures['wall_s']:.1f} s window")
    print(f"  frames received:         {figures['frames_per_s']:.1f} /s (PONGs included)")
    print(f"  price ticks (top moved): {figures['ticks_per_s']:.1f} /s")
    print(f"  list repaints:           {figures['repaints_per_s']:.1f} /s (coalesced every "
          f"{REPAINT_S:g} s)")
    print(f"  history points written:  {figures['history_per_s']:.1f} /s (batched ~1/s)")
    if "terminal_kib" in figures:
        print(f"  terminal output:         {figures['terminal_kib']:.0f} KiB in all")
    print(f"  max RSS:                 {figures['rss_mb']:.0f} MB")
    print(f"  CPU:                     {figures['cpu_pct']:.1f} % of a core (goal <= 10 %)")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rate", type=float, default=50.0, help="frames per second in all")
    parser.add_argument("--tokens", type=int, default=200)
    parser.add_argument("--headless", action="store_true",
                        help="no pseudo-terminal: rendering runs, terminal writes do not")
    args = parser.parse_args(argv)
    server, url = start_server(args.rate)
    try:
        if args.headless:
            figures = asyncio.run(run_app(url, args.tokens, args.seconds, headless=True))
        else:
            figures = in_pty(args, url)
    finally:
        assert server.stdin is not None
        server.stdin.close()
        server.wait(timeout=10)
    report(figures, args, "headless" if args.headless else "pty 160x48")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
