"""The status line: how fresh the numbers are, how many markets show, and what is wrong.

It only shows the freshness model (tui/view/freshness.py), held in a reactive: the
mode badge, the age, and the latest problem with its retry countdown. Data text (the
filter) is inserted literally.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from tui.clock import Clock, utc_now
from tui.view.format import fmt_duration as fmt_age
from tui.view.freshness import Freshness

NOTICE_S = 15.0

_MODE_STYLE: dict[str, str] = {
    "LIVE": "bold $text-success",
    "POLLING": "bold $text-success",
    "CACHED": "bold $text-warning",
    "OFFLINE": "bold $text-warning",
    "DEMO": "bold $text-accent",
}


@dataclass(frozen=True, slots=True)
class StatusState:
    freshness: Freshness = Freshness()
    shown: int = 0
    total: int = 0
    view: str = "All"
    sort: str = ""
    query: str = ""
    notice: str = ""  # a passing sentence ("Added to favorites."), shown for NOTICE_S
    notice_at: datetime | None = None


def age_phrase(freshness: Freshness, now: datetime) -> str:
    """"updated 12s ago" while refreshing works; "data from 3m ago" for cached data."""
    refreshed = freshness.refreshed_age_s(now)
    if freshness.refreshing and refreshed is not None:
        return f"updated {fmt_age(refreshed)} ago"
    data_age = freshness.data_age_s(now)
    if data_age is not None:
        return f"data from {fmt_age(data_age)} ago"
    return "no data yet"


def problem_phrase(freshness: Freshness, now: datetime) -> str:
    issue = freshness.latest_issue
    if issue is None:
        return ""
    if issue.retry_at is None:
        return issue.sentence
    wait = max(0, round((issue.retry_at - now).total_seconds()))
    return f"{issue.sentence} Retrying in {wait} s." if wait else f"{issue.sentence} Retrying now."


def _fresh(moment: datetime | None, now: datetime) -> bool:
    return moment is None or (now - moment).total_seconds() < NOTICE_S


def status_content(state: StatusState, now: datetime) -> Content:
    mode = state.freshness.mode
    parts: list[str | tuple[str, str]] = [(f" {mode} ", f"reverse {_MODE_STYLE[mode]}"),
                                          " ", (age_phrase(state.freshness, now), "$text-muted")]
    problem = problem_phrase(state.freshness, now)
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

    freshness: reactive[Freshness] = reactive(Freshness, layout=False, repaint=False)

    def __init__(self, *, clock: Clock = utc_now, freshness: Freshness | None = None,
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.state = StatusState()
        self.clock = clock
        self._plain = ""
        if freshness is not None:
            self.set_reactive(StatusLine.freshness, freshness)
            self.state = replace(self.state, freshness=freshness)

    def watch_freshness(self, freshness: Freshness) -> None:
        self.update(freshness=freshness)

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
