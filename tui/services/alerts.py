"""Alerts: a price crosses above or below X, moves N or more within a window, or the
market ends within T. Stored in SQLite (tui.store); no textual or rich import here.

Semantics (the same for the TUI and any other caller):
* `check()` takes every price the app sees, live ticks and polled midpoints alike.
* An alert fires once per crossing: it is disarmed when it fires and re-armed when the
  condition stops holding (the price crosses back by more than half a cent, the move
  leaves the window, the end date moves away). The armed state is persisted, so a
  restart neither repeats an alert nor forgets one. A new alert is armed: if its
  condition already holds, it fires on the first price seen (the alert form suggests a
  level away from the price and refuses one already crossed: `default_level` and
  `already_crossed` in tui.services.alert_rules, with the spec and its parsing).
* The log keeps every firing, also of an alert deleted since: each row carries the
  market text and the sentence, so it reads the same once the alert is gone.
* Firing returns (and tells listeners) an `AlertFired`; in the background it writes the
  alert log and, when `[alerts] command` is set, runs that argv (never a shell) with the
  alert as JSON on stdin, under a timeout. Market text travels only inside that JSON.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from tui.clock import Clock, utc_now
from tui.models import Market, iso
from tui.services.alert_rules import EPSILON, PRICE_KINDS, AlertKind, AlertSpec
from tui.view.format import fmt_price, fmt_window

if TYPE_CHECKING:
    from tui.store import AlertLogRow, AlertRow, Store

log = logging.getLogger("polydash.alerts")

# A crossing re-arms only once the price is back by more than this: a price that
# flickers on the threshold fires once, not on every tick.
REARM_MARGIN = 0.005
COMMAND_TIMEOUT_S = 10.0
MAX_RUNNING_COMMANDS = 2
STDERR_KEEP = 300


# ---------------------------------------------------------------- models


@dataclass(frozen=True, slots=True)
class Alert:
    id: int
    spec: AlertSpec
    created_at: datetime
    armed: bool = True

    @property
    def kind(self) -> AlertKind:
        return self.spec.kind

    @property
    def market_id(self) -> str:
        return self.spec.market_id

    @property
    def token_id(self) -> str:
        return self.spec.token_id

    def describe(self) -> str:
        return self.spec.describe()

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "market_id": self.market_id, "kind": self.kind,
                "condition": self.describe(), "market": self.spec.market_text,
                **self.spec.params(), "armed": self.armed, "created_at": iso(self.created_at)}

    @classmethod
    def from_row(cls, row: AlertRow) -> Alert:
        return cls(row.id, AlertSpec.from_row(row.market_id, row.kind, row.params),
                   row.created_at, row.armed)


@dataclass(frozen=True, slots=True)
class AlertFired:
    alert: Alert
    market_text: str
    price: float | None
    at: datetime
    message: str  # a sentence for the toast and the log: "<market>: <detail>"
    detail: str = ""  # what happened, without the market: "crossed above 60.0¢: now 61.0¢"

    def payload(self) -> dict[str, Any]:
        """The JSON the alert command gets on stdin and the log keeps."""
        spec = self.alert.spec
        return {"alert_id": self.alert.id, "kind": spec.kind, "condition": spec.describe(),
                "market_id": spec.market_id, "token_id": spec.token_id,
                "market": self.market_text, "question": spec.question,
                "outcome": spec.outcome, "threshold": spec.threshold,
                "window_s": spec.window_s, "price": self.price, "fired_at": iso(self.at),
                "message": self.message, "detail": self.detail, "url": spec.url}


@dataclass(frozen=True, slots=True)
class LogEntry:
    id: int
    alert_id: int
    fired_at: datetime
    payload: Mapping[str, Any]

    @property
    def message(self) -> str:
        return str(self.payload.get("message") or "")

    @property
    def detail(self) -> str:
        return str(self.payload.get("detail") or self.message)

    @property
    def market_text(self) -> str:
        return str(self.payload.get("market") or "")

    @classmethod
    def from_row(cls, row: AlertLogRow) -> LogEntry:
        return cls(row.id, row.alert_id, row.fired_at, row.payload)


@dataclass(frozen=True, slots=True)
class CommandResult:
    argv: tuple[str, ...]
    returncode: int | None
    error: str = ""  # a sentence when it could not start, timed out or failed


# ---------------------------------------------------------------- the command hook


async def run_alert_command(argv: Sequence[str], payload: Mapping[str, Any], *,
                            timeout_s: float = COMMAND_TIMEOUT_S) -> CommandResult:
    """Run `argv` as is (no shell) with `payload` as JSON on stdin; kill it on timeout."""
    args = tuple(argv)
    # ASCII JSON: whatever the market text holds, no raw control byte reaches the
    # program (or a terminal it prints to).
    data = (json.dumps(dict(payload), ensure_ascii=True) + "\n").encode("ascii")
    try:
        proc = await asyncio.create_subprocess_exec(
            *args, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE, start_new_session=True)
    except OSError as exc:
        return CommandResult(args, None, f"could not start {args[0]!r}: "
                                         f"{exc.strerror or exc.__class__.__name__}")
    try:
        _, stderr = await asyncio.wait_for(proc.communicate(data), timeout_s)
    except TimeoutError:
        await _kill(proc)
        return CommandResult(args, None, f"{args[0]!r} did not finish within {timeout_s:g} s")
    except BaseException:
        await _kill(proc)
        raise
    if proc.returncode != 0:
        detail = stderr.decode("utf-8", "replace").strip()[:STDERR_KEEP]
        return CommandResult(args, proc.returncode,
                             f"{args[0]!r} exited with status {proc.returncode}: {detail}")
    return CommandResult(args, 0)


async def _kill(proc: asyncio.subprocess.Process) -> None:
    if proc.returncode is None:
        proc.kill()
        await proc.wait()


# ---------------------------------------------------------------- sliding windows


class SlidingRange:
    """Min and max of the prices seen in the last `window_s` seconds (monotonic deques:
    O(1) per price however busy the token)."""

    def __init__(self, window_s: float) -> None:
        self.window_s = window_s
        self._low: deque[tuple[float, float]] = deque()
        self._high: deque[tuple[float, float]] = deque()

    def add(self, t: float, price: float) -> None:
        while self._low and self._low[-1][1] >= price:
            self._low.pop()
        self._low.append((t, price))
        while self._high and self._high[-1][1] <= price:
            self._high.pop()
        self._high.append((t, price))
        cutoff = t - self.window_s
        for side in (self._low, self._high):
            while side and side[0][0] < cutoff:
                side.popleft()

    def move(self, price: float) -> tuple[float, float]:
        """(the largest distance from `price` to the window's extremes, that extreme)."""
        if not self._low:
            return 0.0, price
        low, high = self._low[0][1], self._high[0][1]
        return (price - low, low) if price - low >= high - price else (high - price, high)


@dataclass(eq=False, slots=True)
class _Watch:
    alert: Alert
    window: SlidingRange | None = None
    last_t: float = field(default=float("-inf"))


# ---------------------------------------------------------------- the service

Listener = Callable[[AlertFired], None]


class AlertService:
    """Alerts of the local database, checked against every price it is shown."""

    def __init__(self, store: Store, *, command: Sequence[str] = (),
                 command_timeout_s: float = COMMAND_TIMEOUT_S,
                 clock: Clock = utc_now) -> None:
        self._store = store
        self.command = tuple(command)
        self.command_timeout_s = command_timeout_s
        self._clock = clock
        self._watches: dict[int, _Watch] = {}
        self._by_token: dict[str, list[_Watch]] = {}
        self._listeners: list[Listener] = []
        self._writes: asyncio.Queue[Callable[[], Awaitable[object]]] | None = None
        self._writer: asyncio.Task[None] | None = None
        self._commands: set[asyncio.Task[CommandResult]] = set()
        self._gate = asyncio.Semaphore(MAX_RUNNING_COMMANDS)
        self.command_errors: deque[str] = deque(maxlen=20)
        self.loaded = False

    # ------------------------------------------------------------ stored alerts

    async def load(self) -> list[Alert]:
        """Read the alerts and prime move windows from stored history."""
        alerts = [Alert.from_row(row) for row in await self._store.alerts()]
        self._watches.clear()
        for alert in alerts:
            self._watch(alert)
        await self._prime()
        self.loaded = True
        return alerts

    async def add(self, spec: AlertSpec) -> Alert:
        problem = spec.problem()
        if problem is not None:
            raise ValueError(problem)
        created = self._clock()
        alert_id = await self._store.add_alert(spec.market_id, spec.kind, spec.params(), created)
        alert = Alert(alert_id, spec, created, True)
        self._watch(alert)
        return alert

    async def remove(self, alert_id: int) -> bool:
        self._unwatch(alert_id)
        return await self._store.remove_alert(alert_id)

    async def alerts(self) -> list[Alert]:
        return [Alert.from_row(row) for row in await self._store.alerts()]

    async def log(self, limit: int = 100) -> list[LogEntry]:
        return [LogEntry.from_row(row) for row in await self._store.alert_log(limit)]

    @property
    def tokens(self) -> set[str]:
        """Tokens some price alert watches: keep them subscribed or polled."""
        return {token for token, watches in self._by_token.items() if watches}

    def add_listener(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners \
            else None

    # ------------------------------------------------------------ checking

    def check(self, prices: Mapping[str, float] | Iterable[Any],
              at: datetime | None = None) -> list[AlertFired]:
        """Every price the app sees: a {token: price} map, or ticks with token_id, price
        and (optionally) t in unix seconds. Returns the alerts that fired."""
        moment = at or self._clock()
        fired: list[AlertFired] = []
        for token, price, t in _observations(prices, moment.timestamp()):
            for watch in self._by_token.get(token, ()):
                result = self._evaluate(watch, price, t, moment)
                if result is not None:
                    fired.append(result)
        self._announce(fired)
        return fired

    def check_time(self, now: datetime | None = None) -> list[AlertFired]:
        """"ends within" alerts against the clock (call it about once a minute)."""
        moment = now or self._clock()
        fired = [f for w in list(self._watches.values()) if w.alert.kind == "ends"
                 if (f := self._evaluate_end(w, moment)) is not None]
        self._announce(fired)
        return fired

    def check_markets(self, markets: Iterable[Market], now: datetime | None = None
                      ) -> list[AlertFired]:
        """Take new end dates from refreshed markets, then check_time()."""
        ends = {w.alert.market_id: w for w in self._watches.values() if w.alert.kind == "ends"}
        for market in markets if ends else ():
            watch = ends.get(market.id)
            if watch is not None and market.end_date != watch.alert.spec.end_date:
                spec = replace(watch.alert.spec, end_date=market.end_date)
                watch.alert = replace(watch.alert, spec=spec)
                self._write(partial(self._store.update_alert_params, watch.alert.id,
                                    spec.params()))
        return self.check_time(now)

    def _evaluate(self, watch: _Watch, price: float, t: float,
                  moment: datetime) -> AlertFired | None:
        spec = watch.alert.spec
        if spec.kind == "move":
            return self._evaluate_move(watch, price, t, moment)
        threshold = spec.threshold or 0.0
        if spec.kind == "above":
            hit, clear = price >= threshold - EPSILON, price < threshold - REARM_MARGIN
        else:
            hit, clear = price <= threshold + EPSILON, price > threshold + REARM_MARGIN
        word = "above" if spec.kind == "above" else "below"
        return self._transition(watch, hit, clear, price, moment,
                                f"crossed {word} {fmt_price(threshold)}: now {fmt_price(price)}")

    def _evaluate_move(self, watch: _Watch, price: float, t: float,
                       moment: datetime) -> AlertFired | None:
        spec = watch.alert.spec
        window = watch.window
        if window is None:
            return None
        # Live ticks carry the server's time, polled prices ours: never go backwards.
        watch.last_t = max(t, watch.last_t)
        window.add(watch.last_t, price)
        distance, extreme = window.move(price)
        hit = distance >= (spec.threshold or 0.0) - EPSILON
        verb = "rose" if price > extreme else "fell"
        return self._transition(
            watch, hit, not hit, price, moment,
            f"{verb} {fmt_price(distance)} within {fmt_window(spec.window_s or 0)}: "
            f"now {fmt_price(price)} (from {fmt_price(extreme)})")

    def _evaluate_end(self, watch: _Watch, moment: datetime) -> AlertFired | None:
        spec = watch.alert.spec
        if spec.end_date is None or not spec.window_s:
            return None
        left = (spec.end_date - moment).total_seconds()
        hit = left <= spec.window_s
        what = f"ends in {fmt_window(max(60, left // 60 * 60))}" if left > 0 \
            else "has reached its end date"
        return self._transition(watch, hit, not hit, None, moment, what)

    def _transition(self, watch: _Watch, hit: bool, clear: bool, price: float | None,
                    moment: datetime, what: str) -> AlertFired | None:
        alert = watch.alert
        if alert.armed and hit:
            watch.alert = replace(alert, armed=False)
            fired = AlertFired(watch.alert, alert.spec.market_text, price, moment,
                               f"{alert.spec.market_text}: {what}", what)
            self._persist_fired(fired)
            return fired
        if not alert.armed and clear:
            watch.alert = replace(alert, armed=True)
            self._write(partial(self._store.set_alert_armed, alert.id, True))
        return None

    # ------------------------------------------------------------ side effects

    def _announce(self, fired: Sequence[AlertFired]) -> None:
        for event in fired:
            for listener in list(self._listeners):
                try:
                    listener(event)
                except Exception:
                    log.exception("an alert listener failed")

    def _persist_fired(self, fired: AlertFired) -> None:
        payload = fired.payload()
        self._write(partial(self._store.record_alert_fired, fired.alert.id, fired.at, payload))
        if self.command:
            task = asyncio.get_running_loop().create_task(self._run_command(payload))
            self._commands.add(task)
            task.add_done_callback(self._commands.discard)

    async def _run_command(self, payload: Mapping[str, Any]) -> CommandResult:
        async with self._gate:
            result = await run_alert_command(self.command, payload,
                                             timeout_s=self.command_timeout_s)
        if result.error:
            log.warning("alert command: %s", result.error)
            self.command_errors.append(result.error)
        return result

    def _write(self, job: Callable[[], Awaitable[object]]) -> None:
        """Queue a store write; one writer keeps them in order (disarm before re-arm)."""
        if self._writes is None:
            self._writes = asyncio.Queue()
        if self._writer is None or self._writer.done():
            self._writer = asyncio.get_running_loop().create_task(self._write_loop())
        self._writes.put_nowait(job)

    async def _write_loop(self) -> None:
        assert self._writes is not None
        while True:
            job = await self._writes.get()
            try:
                await job()
            except Exception as exc:
                # The alert already fired on screen; only its record is missing.
                log.warning("could not save an alert change: %s", exc)
            finally:
                self._writes.task_done()

    async def drain(self) -> list[CommandResult]:
        """Wait for pending writes and commands (tests, shutdown)."""
        if self._writes is not None:
            await self._writes.join()
        results = await asyncio.gather(*list(self._commands), return_exceptions=True)
        return [r for r in results if isinstance(r, CommandResult)]

    async def aclose(self) -> None:
        await self.drain()
        if self._writer is not None:
            self._writer.cancel()
            await asyncio.gather(self._writer, return_exceptions=True)
            self._writer = None

    # ------------------------------------------------------------ bookkeeping

    def _watch(self, alert: Alert) -> None:
        window = SlidingRange(alert.spec.window_s or 0) if alert.kind == "move" else None
        watch = _Watch(alert, window)
        self._watches[alert.id] = watch
        if alert.kind in PRICE_KINDS:
            self._by_token.setdefault(alert.token_id, []).append(watch)

    def _unwatch(self, alert_id: int) -> None:
        watch = self._watches.pop(alert_id, None)
        if watch is None:
            return
        watches = self._by_token.get(watch.alert.token_id, [])
        if watch in watches:
            watches.remove(watch)
        if not watches:
            self._by_token.pop(watch.alert.token_id, None)

    async def _prime(self) -> None:
        """Fill move windows from stored history, so a restart does not forget a move
        that began before it (and does not re-fire one that already fired)."""
        now = self._clock().timestamp()
        for watch in self._watches.values():
            if watch.window is None:
                continue
            since = int(now - watch.window.window_s)
            for point in await self._store.history(watch.alert.token_id, since):
                watch.window.add(point.t, point.p)


def _observations(prices: Mapping[str, float] | Iterable[Any],
                  default_t: float) -> Iterable[tuple[str, float, float]]:
    if isinstance(prices, Mapping):
        for token, price in prices.items():
            if isinstance(price, int | float):
                yield token, float(price), default_t
        return
    for tick in prices:
        price = getattr(tick, "price", None)
        if isinstance(price, int | float):
            yield tick.token_id, float(price), float(getattr(tick, "t", default_t))
