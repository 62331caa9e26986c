"""The app's colour themes (the status badge and list colours come from them)."""

from __future__ import annotations

from textual.theme import Theme

THEMES = (
    Theme(
        name="polydash-dark", dark=True,
        primary="#4C8DFF", secondary="#7AA2F7", accent="#F5A524",
        foreground="#E6E9EF", background="#0E1116", surface="#131920", panel="#1C2430",
        success="#3FB950", error="#F85149", warning="#D29922",
    ),
    Theme(
        name="polydash-light", dark=False,
        primary="#1652F0", secondary="#3A5CCC", accent="#9A5B00",
        foreground="#1F2328", background="#FFFFFF", surface="#F6F8FA", panel="#E8ECF0",
        success="#1A7F37", error="#CF222E", warning="#9A6700",
    ),
)
DEFAULT_THEME = "polydash-dark"
