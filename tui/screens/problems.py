"""ProblemsScreen (`!`): every current problem in full, with when it arose and when it is
tried again, then the last lines of the log file and where it is. The status line only
has room for a few words."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from textual.binding import Binding
from textual.content import Content

from tui.logs import active_log_path, tail
from tui.screens.text_modal import TextModal
from tui.view.format import fmt_duration, fmt_utc
from tui.view.freshness import Freshness, Issue


def issue_content(issue: Issue, now: datetime) -> Content:
    age = fmt_duration(max(0.0, (now - issue.at).total_seconds()))
    when = f"{fmt_utc(issue.at)} ({age} ago)"
    lines: list[str | tuple[str, str]] = [
        ("⚠ ", "bold $text-error"), (issue.short, "bold"), "\n",
        "  ", issue.sentence, "\n",  # ours, but may quote an API's words: plain text
        ("  since " + when, "$text-muted"),
    ]
    if issue.retry_at is not None:
        wait = max(0, round((issue.retry_at - now).total_seconds()))
        lines += [("  · next try in " + f"{wait} s" if wait else "  · retrying now",
                   "$text-muted")]
    return Content.assemble(*lines)


LOG_LINES = 12


def log_content(path: Path | None, lines: int = LOG_LINES) -> Content:
    """Where the log is and its last lines (read now, cleaned by tail: plain text)."""
    if path is None:
        return Content.assemble(("No log file this session.", "$text-muted"))
    last = tail(path, lines)
    heading = f"Log: {path}" + (f" (last {len(last)} lines)" if last else " (empty so far)")
    parts: list[str | tuple[str, str]] = [(heading, "bold")]
    for line in last:
        parts += ["\n", (line, "$text-muted")]
    return Content.assemble(*parts)


def problems_content(freshness: Freshness, now: datetime) -> Content:
    issues = freshness.issues_newest_first
    if not issues:
        return Content.assemble(("Nothing is wrong right now.", "$text-success"))
    return Content("\n\n").join(issue_content(issue, now) for issue in issues)


class ProblemsScreen(TextModal):
    """A snapshot of the current problems, newest first; Esc, q or ! closes it."""

    NAME = "problems"
    DEFAULT_CSS = """
    ProblemsScreen > VerticalScroll {
        height: auto;
        max-height: 90%;
        border: round $error;
        border-title-color: $text-error;
    }
    """
    BINDINGS = [
        Binding("escape,q,exclamation_mark", "close", "Close", id="problems.close"),
    ]

    def __init__(self, freshness: Freshness, now: datetime,
                 log_path: Path | None = None) -> None:
        self._freshness = freshness
        self._now = now
        self._log_path = log_path or active_log_path()
        super().__init__()

    def title_text(self) -> str:
        count = len(self._freshness.issues)
        return f"Problems ({count})" if count else "Problems"

    def body(self) -> Content:
        return Content("\n\n").join((problems_content(self._freshness, self._now),
                                      log_content(self._log_path)))
