"""Whole-process start-up figures (issue 10): `polydash` runs in a tmux pane, the screen
is read with `tmux capture-pane -p`, keys go in with `tmux send-keys`.

- first run against tests/fakeapi.py serving 20,000 markets, empty database: launch →
  10 rows with prices on screen; launch → the whole list usable (the status line counts
  every market and says no more "loading"); while it loads, a key (j, cursor down) is
  sent as soon as the previous one showed: the slowest key → screen is the worst input
  latency (and frame gap) a person meets during the load
- warm start: the database holds 5,000 markets, the API answers every request after a
  delay: launch → 10 rows with prices
- `POLYDASH_DEMO_MARKETS=20000 polydash --demo`: launch → 10 rows with prices
- the import budget: `python -X importtime` of the modules the first frame needs,
  the largest ones listed

The fake API runs in a process of its own, on the same machine: its CPU counts against
polydash's, so figures on a busy machine are noisy. For the first run it encodes each
item's JSON once before the clock starts (PreEncodedApi), so that a keyset page costs it
a join, not a json.dumps of 100 events. Nothing touches the internet: every URL
(Gamma, CLOB, Data API, news) points at the loopback fake, the websocket at a closed
port. Results are printed and written with benchmarks/results.py when it is there.

Run: .venv/bin/python benchmarks/bench_startup.py [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

from tests.fakeapi import FakeApi, Request, Response  # noqa: E402

POLYDASH = ROOT / ".venv" / "bin" / "polydash"
PYTHON = ROOT / ".venv" / "bin" / "python"
SIZE = (160, 48)
ROWS_WANTED = 10
POLL_S = 0.01
LIMIT_S = 60.0
# A market row with a price: a cent figure ("42.0¢", "0.5¢") in its line.
PRICE = re.compile(r"\d+(?:\.\d+)?¢")
# The status line's count: "12/20,000 markets" or "20,000 markets".
COUNT = re.compile(r"(?:(\d[\d,]*)/)?(\d[\d,]*) markets")
# What the first frame needs: the dashboard module and what it imports on the way.
FIRST_FRAME_MODULES = "tui.cli.dashboard, tui.cli.session, tui.services.market_data, tui.app"
GOALS = {"first_rows": 1.0, "all_loaded": 3.0, "key_latency": 0.05, "warm": 0.5,
         "demo": 1.5}


@dataclass
class Figure:
    name: str
    value: float
    unit: str
    goal: float | None
    note: str = ""


FIGURES: list[Figure] = []


def report(name: str, value: float, unit: str, goal: float | None, note: str = "") -> None:
    FIGURES.append(Figure(name, value, unit, goal, note))
    aim = f" (goal ≤ {goal:g} {unit})" if goal is not None else ""
    print(f"{name}: {value:.3f} {unit}{aim}{' · ' + note if note else ''}", flush=True)


def save_figures() -> None:
    """Through D1's writer (benchmarks/results.py) when it is present."""
    try:
        from results import record  # type: ignore[import-not-found]
    except ImportError:
        print("(benchmarks/results.py not found: figures printed only)")
        return
    for figure in FIGURES:
        record(figure.name, round(figure.value, 4), figure.unit, figure.goal)


# ---------------------------------------------------------------- the fake API


class SlowApi(FakeApi):
    """The fake API answering every request after `delay_s` (a slow network)."""

    def __init__(self, *, delay_s: float, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.delay_s = delay_s

    def handle(self, request: Request) -> Response | None:
        time.sleep(self.delay_s)
        return super().handle(request)


class PreEncodedApi(FakeApi):
    """The fake API with each item's JSON encoded once, before the clock starts.

    The fake builds every keyset page with json.dumps (about 20 ms for a page of 100
    events, 67 pages for 20,000 markets): CPU on the same 2 cores as polydash that a
    real server spends elsewhere. Here a page's body is its items' ready bytes joined,
    so the first-run figures measure polydash, not the fake."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._encoded: dict[int, bytes] = {}  # by id() of the fake's own item dicts

    def encode_events(self) -> None:
        for event in self.events:
            self._item_json(event)

    def _item_json(self, item: dict[str, object]) -> bytes:
        encoded = self._encoded.get(id(item))
        if encoded is None:
            encoded = self._encoded[id(item)] = json.dumps(item, separators=(",", ":")).encode()
        return encoded

    def _keyset_page(self, request: Request, key: str,
                     items: list[dict[str, object]]) -> Response:
        response = super()._keyset_page(request, key, items)
        payload = response.payload
        if response.status != 200 or not isinstance(payload, dict):
            return response
        rest = json.dumps({k: v for k, v in payload.items() if k != key},
                          separators=(",", ":")).encode()
        listed = b",".join(self._item_json(item) for item in payload[key])
        response.body = b"".join([rest[:-1], b"," if len(rest) > 2 else b"",
                                  f'"{key}":['.encode(), listed, b"]}"])
        return response


@dataclass(frozen=True)
class Served:
    """A fake API running in its own process (its threads must not share our GIL)."""

    url: str
    closed_url: str


@contextmanager
def serving(markets: int, delay_s: float = 0.0) -> Iterator[Served]:
    process = subprocess.Popen(
        [str(PYTHON), __file__, "--serve", str(markets), str(delay_s)],
        stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert process.stdout is not None
        url, closed = process.stdout.readline().split()
        yield Served(url, closed)
    finally:
        process.terminate()
        process.wait(timeout=10)


def serve(markets: int, delay_s: float) -> None:
    """The fake API until terminated: prints its URL and a closed one, when ready."""
    api = SlowApi(market_count=markets, delay_s=delay_s) if delay_s else PreEncodedApi(
        market_count=markets)
    with api:
        _ = api.events, api.tokens  # generated before the clock starts, not during the run
        if isinstance(api, PreEncodedApi):
            api.encode_events()
        print(api.url, api.closed_url, flush=True)
        threading.Event().wait()


def config_file(folder: Path, api: Served) -> Path:
    """Every URL on the loopback fake; the websocket on a closed port; one news source."""
    path = folder / "config.toml"
    ws = api.closed_url.replace("http://", "ws://")
    path.write_text(
        "[api]\n"
        f'gamma_url = "{api.url}"\nclob_url = "{api.url}"\ndata_url = "{api.url}"\n'
        f'ws_url = "{ws}"\n'
        "[refresh]\nmarkets_s = 3600\n"
        "[news]\n"
        f'providers = ["gdelt"]\ngdelt_url = "{api.url}/api/v2/doc/doc"\nrss_feeds = []\n')
    return path


# ---------------------------------------------------------------- the tmux pane


class Pane:
    """polydash in a detached tmux session of SIZE; the screen read as plain text."""

    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        self.name = f"polydash-bench-{os.getpid()}-{time.monotonic_ns()}"
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        shell = f"env -i {exports} {shlex.join(command)}"  # not the tmux server's env
        self.started = time.perf_counter()
        subprocess.run(["tmux", "new-session", "-d", "-s", self.name, "-x", str(SIZE[0]),
                        "-y", str(SIZE[1]), shell], check=True)

    def screen(self) -> str:
        result = subprocess.run(["tmux", "capture-pane", "-p", "-t", self.name],
                                capture_output=True, text=True, check=False)
        if result.returncode:
            raise RuntimeError(f"polydash is gone: {result.stderr.strip()}")
        return result.stdout

    def send(self, key: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, key], check=True)

    def wait_for(self, ready: Callable[[str], bool], limit_s: float = LIMIT_S) -> float:
        """Seconds from launch until `ready(screen)`."""
        while True:
            now = time.perf_counter()
            if ready(self.screen()):
                return now - self.started
            if now - self.started > limit_s:
                raise TimeoutError(f"not ready after {limit_s} s:\n{self.screen()}")
            time.sleep(POLL_S)

    def close(self) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, "C-q"], check=False)
        time.sleep(0.3)
        subprocess.run(["tmux", "kill-session", "-t", self.name], check=False,
                       capture_output=True)


def priced_rows(screen: str) -> int:
    return sum(1 for line in screen.splitlines()[1:] if PRICE.search(line))


def has_rows(screen: str) -> bool:
    return priced_rows(screen) >= ROWS_WANTED


def status(screen: str) -> str:
    lines = screen.splitlines()
    return lines[0] if lines else ""


def count_of(screen: str) -> tuple[int, int] | None:
    """(cursor place, markets) from the status line; None before it shows a count."""
    found = COUNT.search(status(screen))
    if found is None:
        return None
    place = int(found.group(1).replace(",", "")) if found.group(1) else 0
    return place, int(found.group(2).replace(",", ""))


def all_loaded(total: int) -> Callable[[str], bool]:
    def ready(screen: str) -> bool:
        count = count_of(screen)
        return count is not None and count[1] == total and "loading" not in status(screen)
    return ready


def user_env(folder: Path, config: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("POLYDASH_")}
    env.update({"POLYDASH_CONFIG": str(config), "POLYDASH_DB": str(folder / "polydash.db"),
                "TERM": "xterm-256color", "COLORTERM": "truecolor",
                # Logs and state in the run's folder, not the user's.
                "XDG_STATE_HOME": str(folder / "state"), "XDG_DATA_HOME": str(folder / "data"),
                **extra})
    return {k: v for k, v in env.items()
            if k in KEEP_ENV or k.startswith(("POLYDASH_", "XDG_"))}


# A user's environment: bytecode is written and used (a start compiles nothing).
KEEP_ENV = {"PATH", "HOME", "LANG", "LC_ALL", "TERM", "COLORTERM", "TZ", "TMPDIR"}


# ---------------------------------------------------------------- the runs


def first_run(markets: int) -> None:
    with tempfile.TemporaryDirectory() as tmp, serving(markets) as api:
        folder = Path(tmp)
        pane = Pane([str(POLYDASH)], user_env(folder, config_file(folder, api)))
        try:
            first = pane.wait_for(has_rows)
            latencies = keys_while_loading(pane, markets)
            done = pane.wait_for(all_loaded(markets))
            time.sleep(2.0)  # the save and the first sparklines
            idle = [key_latency(pane) for _ in range(20)]  # the same, with nothing loading
        finally:
            pane.close()
    report("startup.first_run.first_rows", first, "s", GOALS["first_rows"],
           f"{markets:,} markets from the fake API, empty database")
    report("startup.first_run.all_loaded", done, "s", GOALS["all_loaded"],
           "the status line counts every market, no longer loading")
    if latencies:
        worst = max(latencies)
        report("startup.first_run.key_latency_max", worst, "s", GOALS["key_latency"],
               f"{len(latencies)} keys while loading, median {median(latencies) * 1000:.0f} "
               f"ms; once loaded: median {median(idle) * 1000:.0f} ms, slowest "
               f"{max(idle) * 1000:.0f} ms (tmux send-keys and capture-pane included)")


def keys_while_loading(pane: Pane, total: int) -> list[float]:
    """Send j (cursor down) each time the last one showed, until the list is complete;
    the seconds each took to reach the screen."""
    loaded = all_loaded(total)
    latencies: list[float] = []
    while True:
        screen = pane.screen()
        count = count_of(screen)
        if loaded(screen) or count is None:
            return latencies
        if time.perf_counter() - pane.started > LIMIT_S:
            raise TimeoutError(f"still loading after {LIMIT_S} s:\n{screen}")
        place = count[0]
        sent = time.perf_counter()
        pane.send("j")
        while True:
            screen = pane.screen()
            now = time.perf_counter()
            count = count_of(screen)
            if count is not None and count[0] > place:
                latencies.append(now - sent)
                break
            if now - sent > 5.0:
                return latencies  # the key was lost (the cursor at the end, say)
            time.sleep(POLL_S / 2)
        time.sleep(max(0.0, 0.02 - (time.perf_counter() - now)))


def key_latency(pane: Pane) -> float:
    """Seconds from sending j until the cursor's place in the status line moves (up
    with k when the cursor is at the end)."""
    count = count_of(pane.screen())
    assert count is not None
    key, step = ("j", 1) if count[0] < count[1] else ("k", -1)
    sent = time.perf_counter()
    pane.send(key)
    while True:
        now = count_of(pane.screen())
        if now is not None and now[0] == count[0] + step:
            return time.perf_counter() - sent
        if time.perf_counter() - sent > 5.0:
            raise TimeoutError("the key never showed")
        time.sleep(POLL_S / 2)


def median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def warm_start(markets: int, delay_s: float) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with serving(markets) as fast:
            fill_database(folder, config_file(folder, fast), markets)
        with serving(markets, delay_s) as slow:
            pane = Pane([str(POLYDASH)], user_env(folder, config_file(folder, slow)))
            try:
                rows = pane.wait_for(has_rows)
            finally:
                pane.close()
    report("startup.warm.rows", rows, "s", GOALS["warm"],
           f"{markets:,} markets in SQLite, every API request {delay_s:g} s late")


def fill_database(folder: Path, config: Path, markets: int) -> None:
    """A first run until the whole list is saved (then quit)."""
    env = user_env(folder, config)
    pane = Pane([str(POLYDASH)], env)
    try:
        pane.wait_for(all_loaded(markets))
        deadline = time.perf_counter() + LIMIT_S
        while (saved := saved_markets(folder / "polydash.db")) != markets:
            if time.perf_counter() > deadline:
                raise RuntimeError(f"the first run saved {saved} markets, not {markets}")
            time.sleep(0.2)  # SQLite saves the list after the screen has it
    finally:
        pane.close()


def saved_markets(db: Path) -> int:
    try:
        with closing(sqlite3.connect(db, timeout=0.1)) as connection:
            return int(connection.execute("SELECT COUNT(*) FROM markets").fetchone()[0])
    except sqlite3.Error:
        return 0  # not created or busy yet


def demo(markets: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        empty = folder / "config.toml"
        empty.write_text("")  # the defaults
        env = user_env(folder, empty, POLYDASH_DEMO_MARKETS=str(markets))
        pane = Pane([str(POLYDASH), "--demo", "--db", str(folder / "demo.db")], env)
        try:
            rows = pane.wait_for(has_rows)
        finally:
            pane.close()
    report("startup.demo.first_rows", rows, "s", GOALS["demo"],
           f"POLYDASH_DEMO_MARKETS={markets} polydash --demo")


# ---------------------------------------------------------------- imports


def import_budget(top: int = 10) -> None:
    """`-X importtime` of what a start imports before the first frame: the total, the
    packages and our own modules that cost the most (their own time, not counting what
    they import), and which of the heavy stacks are among them."""
    code = f"import {FIRST_FRAME_MODULES}"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([str(PYTHON), "-c", code], check=True, cwd=ROOT, env=env)  # bytecode
    result = subprocess.run([str(PYTHON), "-X", "importtime", "-c", code],
                            capture_output=True, text=True, check=True, cwd=ROOT, env=env)
    packages: dict[str, int] = {}
    ours: dict[str, int] = {}
    for line in result.stderr.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if len(parts) != 3 or not parts[0].strip().isdigit():
            continue  # the header line
        own, name = int(parts[0]), parts[2].strip()
        root = name.split(".")[0]
        packages[root] = packages.get(root, 0) + own
        if root == "tui":
            ours[name] = own
    report("startup.imports.first_frame", sum(packages.values()) / 1e6, "s", None,
           f"python -X importtime -c 'import {FIRST_FRAME_MODULES}'")
    print("  packages: " + listing(packages, top))
    print("  tui modules: " + listing(ours, top))
    heavy = [m for m in HEAVY if loaded_by(code, m)]
    print(f"  heavy stacks loaded before the first frame: {', '.join(heavy) or 'none'} "
          f"(of {', '.join(HEAVY)})")


def listing(times: dict[str, int], top: int) -> str:
    largest = sorted(times.items(), key=lambda item: -item[1])[:top]
    return ", ".join(f"{name} {us / 1000:.0f} ms" for name, us in largest)


# What the first frame should do without (tests/unit/test_import_hygiene.py checks these
# and more: MarketData makes its HTTP clients when the network is first needed).
HEAVY = ("websockets", "tui.services.stream", "tui.services.news", "plotext", "feedparser",
         "httpx")


def loaded_by(code: str, module: str) -> bool:
    probe = f"import sys\n{code}\nprint({module!r} in sys.modules)"
    result = subprocess.run([str(PYTHON), "-c", probe], capture_output=True, text=True,
                            check=True, cwd=ROOT)
    return result.stdout.strip() == "True"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2,000 markets instead of 20,000")
    parser.add_argument("--only", choices=("first", "warm", "demo", "imports"), default=None)
    parser.add_argument("--serve", nargs=2, metavar=("MARKETS", "DELAY_S"),
                        help="internal: run the fake API")
    args = parser.parse_args()
    if args.serve:
        serve(int(args.serve[0]), float(args.serve[1]))
        return
    if shutil.which("tmux") is None:
        sys.exit("bench_startup needs tmux")
    big, warm = (2_000, 500) if args.quick else (20_000, 5_000)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"({os.cpu_count()} CPUs, load average {load}; tmux {SIZE[0]}x{SIZE[1]})")
    runs: dict[str, Callable[[], None]] = {
        "imports": import_budget,
        "first": lambda: first_run(big),
        "warm": lambda: warm_start(warm, delay_s=1.0),
        "demo": lambda: demo(big),
    }
    for name, run in runs.items():
        if args.only in (None, name):
            run()
    save_figures()


if __name__ == "__main__":
    main()
