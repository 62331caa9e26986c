"""The status line: how fresh the numbers are, how many markets show, and what is wrong.

Modes: LIVE (websocket), POLLING (REST refreshes working), CACHED (from SQLite, or the
last refresh failed: the age says how old), OFFLINE (--offline), DEMO (--demo). A
problem is a sentence for people; data text (the filter) is inserted literally.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Literal

from textual.content import Content
from textual.widget import Widget

from tui.browse import fmt_age

Mode = Literal["LIVE", "POLLING", "CACHED", "OFFLINE", "DEMO"]
NOTICE_S = 15.0

_MODE_STYLE: dict[str, str] = {
    "LIVE": "bold $text-success",
    "POLLING": "bold $text-success",
    "CACHED": "bold $text-warning",
    "OFFLINE": "bold $text-warning",
    "DEMO": "bold $text-accent",
}


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class StatusState:
    mode: Mode = "CACHED"
    data_at: datetime | None = None  # when the shown market list was fetched
    refreshed_at: datetime | None = None  # the last successful refresh of anything
    shown: int = 0
    total: int = 0
    view: str = "All"
    sort: str = ""
    query: str = ""
    problem: str = ""
    retry_at: datetime | None = None
    notice: str = ""  # a passing sentence ("Added to favorites."), shown for NOTICE_S
    notice_at: datetime | None = None


def age_phrase(state: StatusState, now: datetime) -> str:
    """"updated 12s ago" while refreshing works; "data from 3m ago" for cached data."""
    if state.mode in ("LIVE", "POLLING", "DEMO") and state.refreshed_at is not None:
        return f"updated {fmt_age((now - state.refreshed_at).total_seconds())} ago"
    if state.data_at is not None:
        return f"data from {fmt_age((now - state.data_at).total_seconds())} ago"
    return "no data yet"


def problem_phrase(state: StatusState, now: datetime) -> str:
    if not state.problem:
        return ""
    if state.retry_at is None:
        return state.problem
    wait = max(0, round((state.retry_at - now).total_seconds()))
    return f"{state.problem} Retrying in {wait} s." if wait else f"{state.problem} Retrying now."


def _fresh(moment: datetime | None, now: datetime) -> bool:
    return moment is None or (now - moment).total_seconds() < NOTICE_S


def status_content(state: StatusState, now: datetime) -> Content:
    parts: list[str | tuple[str, str]] = [(f" {state.mode} ", f"reverse {_MODE_STYLE[state.mode]}"),
                                          " ", (age_phrase(state, now), "$text-muted")]
    problem = problem_phrase(state, now)
    if problem:
        parts += ["  ", ("⚠ " + problem, "bold $text-error")]
    count = (f"{state.total:,} markets" if state.shown == state.total
             else f"{state.shown:,} of {state.total:,} markets")
    parts += [" · ", count, " · ", (state.view, "bold")]
    if state.query:
        parts += [" · filter “", (state.query, "italic"), "”"]
    if state.sort:  # last: the list header's arrow shows the sort too
        parts += [" · ", (state.sort, "$text-muted")]
    if state.notice and not problem and _fresh(state.notice_at, now):
        parts += ["  ", (state.notice, "$text-primary")]
    return Content.assemble(*parts)


class StatusLine(Widget):
    """One line at the top; re-rendered only when its text would change."""

    DEFAULT_CSS = """
    StatusLine {
        height: 1;
        width: 1fr;
        background: $panel;
        color: $foreground;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def __init__(self, *, clock: Callable[[], datetime] = _utc_now,
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.state = StatusState()
        self.clock = clock
        self._plain = ""

    def update(self, **changes: object) -> None:
        self.state = replace(self.state, **changes)  # type: ignore[arg-type]
        self._maybe_refresh()

    def notify_sentence(self, sentence: str) -> None:
        """A passing notice (results of a search, a link opened); fades after NOTICE_S."""
        self.update(notice=sentence, notice_at=self.clock())

    def tick(self) -> None:
        """The clock moved: repaint if an age or countdown changed."""
        self._maybe_refresh()

    def _maybe_refresh(self) -> None:
        plain = status_content(self.state, self.clock()).plain
        if plain != self._plain:
            self._plain = plain
            self.refresh()

    @property
    def text(self) -> str:
        return status_content(self.state, self.clock()).plain

    def render(self) -> Content:
        return status_content(self.state, self.clock())
