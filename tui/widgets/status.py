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
    position: int = 0  # the list cursor's place among the shown markets, from 1 (0: none)
    view: str = "All"
    sort: str = ""
    query: str = ""
    pinned: bool = False  # favorites listed first whatever the sort


def age_phrase(freshness: Freshness, now: datetime) -> str:
    """"updated 12s ago" while refreshing works; "data from 3m ago" for cached data."""
    refreshed = freshness.refreshed_age_s(now)
    if freshness.refreshing and refreshed is not None:
        return f"updated {fmt_age(refreshed)} ago"
    data_age = freshness.data_age_s(now)
    if data_age is not None:
        return f"data from {fmt_age(data_age)} ago"
    return "no data yet"


def retry_phrase(retry_at: datetime | None, now: datetime) -> str:
    if retry_at is None:
        return ""
    wait = max(0, round((retry_at - now).total_seconds()))
    return f"retrying in {wait} s" if wait else "retrying now"


def problem_phrase(freshness: Freshness, now: datetime) -> str:
    """A few words for the latest problem and how many more; `!` shows them all."""
    issue = freshness.latest_issue
    if issue is None:
        return ""
    words = [issue.short]
    retry = retry_phrase(issue.retry_at, now)
    if retry:
        words.append(retry)
    more = len(freshness.issues) - 1
    if more:
        words.append(f"+{more} more")
    return ", ".join(words)


def status_content(state: StatusState, now: datetime, width: int | None = None) -> Content:
    """Mode, age, count, view, filter and sort always; a problem last, in as many words
    as `width` leaves, with the key that shows every problem in full."""
    mode = state.freshness.mode
    parts: list[str | tuple[str, str]] = [(f" {mode} ", f"reverse {_MODE_STYLE[mode]}"),
                                          " ", (age_phrase(state.freshness, now), "$text-muted")]
    count = (f"{state.total:,} markets" if state.shown == state.total
             else f"{state.shown:,} of {state.total:,} markets")
    if 0 < state.position <= state.shown:  # "12/480 markets", "3/6 of 60 markets"
        count = f"{state.position:,}/{count}"
    parts += [" · ", count]
    loading = state.freshness.loading
    if loading is not None:
        # The count above is what the list holds: pages merge a few times a second, so
        # it trails what has arrived; both numbers grow until the load is done.
        parts += [" · ", (f"{loading:,} fetched, loading…", "$text-warning")]
    parts += [" · ", (state.view, "bold")]
    if state.query:
        parts += [" · filter “", (state.query, "italic"), "”"]
    if state.sort:
        parts += [" · ", (state.sort, "$text-muted")]
    if state.pinned:
        parts += [" · ", ("★ first", "$text-warning")]
    line = Content.assemble(*parts)
    issue = state.freshness.latest_issue
    if issue is None:
        return line
    # The longest wording of the problem that fits, so that "!" is never cut off.
    variants = [(f"⚠ {problem_phrase(state.freshness, now)}", " (! details)"),
                (f"⚠ {issue.short}", " (! details)"), (f"⚠ {issue.short}", " (!)"),
                ("⚠", " !")]
    for warning, key in variants:
        problem = Content.assemble("  ", (warning, "bold $text-error"), (key, "$text-muted"))
        if width is None or line.cell_length + problem.cell_length <= width:
            break
    return line + problem


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

    def tick(self) -> None:
        """The clock moved: repaint if an age or countdown changed."""
        self._maybe_refresh()

    def on_resize(self) -> None:
        self._maybe_refresh()  # another width may fit another wording of the problem

    def _maybe_refresh(self) -> None:
        plain = status_content(self.state, self.clock(), self.size.width or None).plain
        if plain != self._plain:
            self._plain = plain
            self.refresh()

    @property
    def text(self) -> str:
        return status_content(self.state, self.clock()).plain

    def render(self) -> Content:
        return status_content(self.state, self.clock(), self.size.width or None)
