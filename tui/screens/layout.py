"""Which panes the dashboard shows at its size, and the full-screen detail over the list.

Classes on the screen, rules in app.tcss:
  -wide       >= WIDE columns: list left, detail right
  -narrow     the list alone; Enter shows the detail in its place (-detail-open), Esc back
  -tiny       a split pane: the footer drops its palette hint
  -too-small  below MIN_SIZE: one sentence and nothing else
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.screen import Screen
from textual.widget import Widget

WIDE = 120
TINY = 70  # below this the footer has no room for the palette hint (^p still works)
MIN_SIZE = (50, 12)
TOO_SMALL = f"Terminal too small (need {MIN_SIZE[0]}×{MIN_SIZE[1]})"


class PaneLayout:
    """The layout state of one screen: its size classes and whether the user opened the
    detail (which survives a resize: narrowing the terminal keeps it on screen)."""

    def __init__(self, screen: Screen[None]) -> None:
        self.screen = screen
        self.detail_open = False

    @property
    def wide(self) -> bool:
        return self.screen.has_class("-wide")

    @property
    def detail_visible(self) -> bool:
        return self.wide or self.detail_open

    @property
    def detail_covers_list(self) -> bool:
        return self.detail_open and not self.wide

    def apply_size(self, width: int, height: int) -> None:
        screen, wide = self.screen, width >= WIDE
        before = set(screen.classes)
        # One restyle of the whole screen for all of them, not one per class (each costs
        # tens of milliseconds on the path to the first frame).
        screen.set_class(width < MIN_SIZE[0] or height < MIN_SIZE[1], "-too-small",
                         update=False)
        screen.set_class(wide, "-wide", update=False)
        screen.set_class(width < TINY, "-tiny", update=False)
        screen.set_class(not wide, "-narrow", update=False)
        screen.set_class(self.detail_open and not wide, "-detail-open", update=False)
        if set(screen.classes) != before:
            screen.update_node_styles()

    def open_detail(self) -> None:
        self.detail_open = True
        self.screen.set_class(not self.wide, "-detail-open")

    def close_detail(self) -> None:
        self.detail_open = False
        self.screen.remove_class("-detail-open")


def next_pane(panes: Sequence[Widget], focused: Widget | None, step: int) -> Widget:
    """The pane after (or before, step -1) the focused one, round the ring."""
    index = panes.index(focused) if focused in panes else -1
    return panes[(index + step) % len(panes)]
