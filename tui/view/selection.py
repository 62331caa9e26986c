"""What the list says when it is empty, and the selection kept between sessions:
plain functions over the catalog, the selection and the freshness model."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from tui.view.catalog import Catalog, Selection
from tui.view.freshness import Freshness
from tui.view.sorts import SORTS
from tui.view.views import ViewSpec


def empty_message(catalog: Catalog, selection: Selection, view: ViewSpec,
                  freshness: Freshness) -> str:
    """Why the list is empty, and what to do about it."""
    if not catalog.markets:
        if freshness.mode == "OFFLINE":
            return "No saved markets: run polydash once with a network connection."
        if freshness.issue("markets") is not None:
            return "No markets yet: loading them failed (the status line says why)."
        return "Loading markets…"
    if selection.query:
        return "No loaded market matches the filter. Press Enter in the filter to " \
               "search Polymarket."
    if view.key == "favorites":
        return "No favorites yet: press f on a market to add it."
    if view.key == "since":
        return "No market opened before: press Enter on a market to open it."
    return f"No market in {view.label} right now."


def saved_state(selection: Selection) -> dict[str, str]:
    """The choices worth keeping for the next start (not the filter: it is a moment's)."""
    return {"view": selection.view, "sort": selection.sort,
            "reverse": str(selection.reverse).lower(),
            "group": str(selection.group).lower(),
            "pin_favorites": str(selection.pin_favorites).lower()}


def restored(selection: Selection, state: Mapping[str, str]) -> Selection:
    """`selection` with the previous session's choices; anything unknown keeps its value."""
    sort = state.get("sort", "")
    return replace(
        selection,
        view=state.get("view") or selection.view,
        sort=sort if sort in SORTS else selection.sort,
        reverse=state.get("reverse") == "true",
        group=state.get("group") == "true",
        pin_favorites=state.get("pin_favorites") != "false",
    )
