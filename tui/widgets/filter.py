"""The filter box under the market list: shown while filtering, hidden under a
full-screen detail, one row whose typing re-lays out nothing but itself."""

from __future__ import annotations

from tui.widgets.line_list import FixedWidthInput


class FilterInput(FixedWidthInput):
    """Sized by CSS (app.tcss), so typing does not re-lay out the screen."""

    def __init__(self, *, id: str | None = None, placeholder: str = "") -> None:
        super().__init__(id=id, compact=True, placeholder=placeholder)
        self.shown = False  # the user is filtering (the box may still be covered)
        self.covered = False  # a full-screen detail is over the list

    def on_mount(self) -> None:
        self.display = False

    def show(self, shown: bool, *, covered: bool | None = None) -> None:
        # `display` directly, not through a CSS class: a class applies at the next style
        # update, and focus() on a widget that is not displayed yet does nothing, so keys
        # typed right after "/" would reach the list (and run its bindings).
        self.shown = shown
        if covered is not None:
            self.covered = covered
        self.display = shown and not self.covered
        self.screen.refresh_bindings()  # the footer's Esc follows the filter

    def open(self) -> None:
        self.show(True)
        # Now, not focus()'s call_later: keys typed right after "/" are already queued.
        self.screen.set_focus(self)
