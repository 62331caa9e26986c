"""ProblemsScreen (`!`): every current problem in full, with when it arose and when it is
tried again. The status line only has room for a few words."""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

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


def problems_content(freshness: Freshness, now: datetime) -> Content:
    issues = freshness.issues_newest_first
    if not issues:
        return Content.assemble(("Nothing is wrong right now.", "$text-success"))
    return Content("\n\n").join(issue_content(issue, now) for issue in issues)


class ProblemsScreen(ModalScreen[None]):
    """A snapshot of the current problems, newest first; Esc, q or ! closes it."""

    DEFAULT_CSS = """
    ProblemsScreen { align: center middle; }
    ProblemsScreen > VerticalScroll {
        width: 90%;
        max-width: 100;
        height: auto;
        max-height: 90%;
        border: round $error;
        border-title-color: $text-error;
        background: $surface;
        padding: 0 1;
    }
    ProblemsScreen Static { width: 1fr; }
    """
    BINDINGS = [
        Binding("escape,q,exclamation_mark", "close", "Close", id="problems.close"),
    ]

    def __init__(self, freshness: Freshness, now: datetime) -> None:
        super().__init__(id="problems")
        self._freshness = freshness
        self._now = now

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="problems-body") as body:
            count = len(self._freshness.issues)
            body.border_title = f"Problems ({count})" if count else "Problems"
            yield Static(problems_content(self._freshness, self._now), id="problems-text")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#problems-body").focus()

    def action_close(self) -> None:
        self.dismiss(None)
