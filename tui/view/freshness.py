"""How fresh the numbers on screen are: one pure model, fed by what happened.

The product's central promise is honest freshness, so the badge (LIVE, POLLING,
CACHED, OFFLINE, DEMO), the ages and the problems are decided here and nowhere else.
`Freshness` is immutable: `apply(event)` returns the next state, so every transition
is a plain function that a table-driven test can check.

- DEMO and OFFLINE are how the app was started; they never change.
- CACHED: the list on screen came from SQLite, or its refreshes are failing while no
  live stream prices it.
- LIVE: a fresh list arrived and the websocket prices what is watched.
- POLLING: a fresh list arrived and REST polling keeps it fresh (stream down, stale
  or not needed).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Literal

Mode = Literal["LIVE", "POLLING", "CACHED", "OFFLINE", "DEMO"]
Start = Literal["online", "offline", "demo"]
ListSource = Literal["cache", "live", "demo"]
StreamStatus = Literal["IDLE", "CONNECTING", "LIVE", "STALE", "DOWN"]

# Failing tasks that mean the list's numbers are no longer being refreshed.
REFRESH_TASKS = frozenset({"markets", "prices"})
STREAM_TASK = "stream"


# What the status line says of a failing task: a few words; `!` shows the sentence.
SHORT: dict[str, str] = {
    "cache": "saved markets unreadable",
    "markets": "list refresh failing",
    "prices": "price refresh failing",
    "sparklines": "sparklines failed",
    "chart": "chart failed",
    "book": "order book failed",
    "search": "search failed",
    "favorite": "favorite not saved",
    "detail": "previous visit unreadable",
    "visit": "visit not recorded",
    "link": "link failed",
    "news": "news failing",
    "news-cache": "saved news unreadable",
    "news-read": "read mark not saved",
    "stream": "live prices down",
    "alert": "alert not saved",
    "ui-state": "view not saved",
    "database": "cache off: database damaged",
    "database-read-only": "database read-only",
    "trades": "trades failing",
    "holders": "holders failing",
    "comments": "comments failing",
    "open-interest": "open interest failed",
    "wallet": "wallet failed",
    "wallets": "saved wallets unreadable",
    "wallet-save": "wallet not saved",
    "wallet-remove": "wallet not removed",
    "history": "history not compacted",
}


@dataclass(frozen=True, slots=True)
class Issue:
    """A current problem: a whole sentence for people, when it arose, when it is retried.
    `unreachable`: the network itself is down (not a refusal or an error of the API)."""

    task: str
    sentence: str
    at: datetime
    retry_at: datetime | None = None
    unreachable: bool = False

    @property
    def short(self) -> str:
        return SHORT.get(self.task, "something failed")


# ------------------------------------------------------------------ events


@dataclass(frozen=True, slots=True)
class ListLoaded:
    source: ListSource
    fetched_at: datetime | None


@dataclass(frozen=True, slots=True)
class ListProgress:
    """Part of a list arrived (a page of the API's, SQLite's first screenful); `loaded`
    markets of this load so far. ListLoaded ends the load; so does its failure."""

    source: ListSource
    fetched_at: datetime | None
    loaded: int


@dataclass(frozen=True, slots=True)
class PricesArrived:
    at: datetime


@dataclass(frozen=True, slots=True)
class StreamChanged:
    status: StreamStatus
    at: datetime
    reason: str = ""


@dataclass(frozen=True, slots=True)
class ProblemRaised:
    task: str
    sentence: str
    at: datetime
    retry_at: datetime | None = None
    unreachable: bool = False


@dataclass(frozen=True, slots=True)
class ProblemCleared:
    task: str


Event = (ListLoaded | ListProgress | PricesArrived | StreamChanged | ProblemRaised
         | ProblemCleared)
# Failures that end a load in progress (the status line stops counting).
LOAD_TASKS = frozenset({"markets", "cache"})


# ------------------------------------------------------------------ the model


@dataclass(frozen=True, slots=True)
class Freshness:
    start: Start = "online"
    fresh_list: bool = False  # a list from the API (or demo) has arrived this session
    stream: StreamStatus = "IDLE"
    data_at: datetime | None = None  # when the list on screen was fetched
    refreshed_at: datetime | None = None  # the last successful refresh of anything
    issues: tuple[Issue, ...] = field(default=())
    loading: int | None = None  # markets of a list still loading that have arrived

    @classmethod
    def starting(cls, *, demo: bool, offline: bool) -> Freshness:
        return cls(start="demo" if demo else "offline" if offline else "online")

    # -------------------------------------------------------------- answers

    @property
    def mode(self) -> Mode:
        if self.start == "demo":
            return "DEMO"
        if self.start == "offline":
            return "OFFLINE"
        if not self.fresh_list:
            # Nothing saved and the network is down: there is no copy to be CACHED.
            markets = self.issue("markets")
            if self.data_at is None and markets is not None and markets.unreachable:
                return "OFFLINE"
            return "CACHED"
        if self.stream == "LIVE":
            return "LIVE"
        if self.failing(REFRESH_TASKS):
            return "CACHED"  # the numbers on screen are no longer being refreshed
        return "POLLING"

    @property
    def refreshing(self) -> bool:
        """True while the numbers on screen are being kept up to date."""
        return self.mode in ("LIVE", "POLLING", "DEMO")

    def failing(self, tasks: frozenset[str] | set[str]) -> bool:
        return any(issue.task in tasks for issue in self.issues)

    def issue(self, task: str) -> Issue | None:
        return next((issue for issue in self.issues if issue.task == task), None)

    @property
    def latest_issue(self) -> Issue | None:
        return max(self.issues, key=lambda issue: issue.at, default=None)

    @property
    def issues_newest_first(self) -> list[Issue]:
        return sorted(self.issues, key=lambda issue: issue.at, reverse=True)

    def next_retry(self) -> datetime | None:
        """The soonest moment a failed task is tried again (None: nothing scheduled)."""
        moments = [issue.retry_at for issue in self.issues if issue.retry_at is not None]
        return min(moments, default=None)

    def data_age_s(self, now: datetime) -> float | None:
        return None if self.data_at is None else (now - self.data_at).total_seconds()

    def refreshed_age_s(self, now: datetime) -> float | None:
        if self.refreshed_at is None:
            return None
        return (now - self.refreshed_at).total_seconds()

    # -------------------------------------------------------------- transitions

    def apply(self, event: Event) -> Freshness:
        match event:
            case ListLoaded():
                return self._list_loaded(event)
            case ListProgress():
                return self._list_progress(event)
            case PricesArrived(at=at):
                return replace(self, refreshed_at=at)
            case StreamChanged():
                return self._stream_changed(event)
            case ProblemRaised(task=task, sentence=sentence, at=at, retry_at=retry_at,
                               unreachable=unreachable):
                state = self._raise(Issue(task, sentence, at, retry_at, unreachable))
                return replace(state, loading=None) if task in LOAD_TASKS else state
            case ProblemCleared(task=task):
                return self._clear(task)
        raise TypeError(f"not a freshness event: {event!r}")

    def _list_loaded(self, event: ListLoaded) -> Freshness:
        if event.source == "cache":
            if self.fresh_list:
                return self  # a fresh list already arrived; the snapshot is older
            return replace(self, data_at=event.fetched_at, loading=None)
        return replace(self, fresh_list=True, data_at=event.fetched_at,
                       refreshed_at=event.fetched_at, loading=None)

    def _list_progress(self, event: ListProgress) -> Freshness:
        if event.source == "cache":
            if self.fresh_list:
                return self
            return replace(self, data_at=event.fetched_at, loading=event.loaded)
        # A page from the API is fresh data on screen, though more of it is on the way.
        return replace(self, fresh_list=True, data_at=event.fetched_at,
                       refreshed_at=event.fetched_at, loading=event.loaded)

    def _stream_changed(self, event: StreamChanged) -> Freshness:
        state = replace(self, stream=event.status)
        if event.status == "LIVE":
            return state._clear(STREAM_TASK)
        if event.status in ("DOWN", "STALE"):
            reason = event.reason.strip().rstrip(".") or "the connection was lost"
            # Short: the mode (POLLING) already says where prices come from meanwhile.
            return state._raise(Issue(STREAM_TASK, f"Live prices down: {reason}; reconnecting.",
                                      event.at))
        return state

    def _raise(self, issue: Issue) -> Freshness:
        others = tuple(i for i in self.issues if i.task != issue.task)
        return replace(self, issues=(*others, issue))

    def _clear(self, task: str) -> Freshness:
        if self.issue(task) is None:
            return self
        return replace(self, issues=tuple(i for i in self.issues if i.task != task))
