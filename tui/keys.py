"""User key remapping: config `[keys]` turned into Textual's keymap by binding id."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping

from textual.binding import Binding

log = logging.getLogger("polydash.keys")


def binding_ids(classes: Iterable[type]) -> set[str]:
    """Every binding id the given DOM classes declare."""
    return {b.id for cls in classes for b in getattr(cls, "BINDINGS", ())
            if isinstance(b, Binding) and b.id}


def normalize_keymap(keys: Mapping[str, str], known: set[str]) -> dict[str, str]:
    """config [keys] -> Textual keymap; "open_polymarket" is read as "open-polymarket".

    Ids this app does not know are kept (the detail pane has its own) and logged.
    """
    keymap = {}
    for binding_id, key in keys.items():
        spelled = binding_id.replace("_", "-")
        if binding_id not in known and spelled in known:
            binding_id = spelled
        elif binding_id not in known:
            log.info("[keys] %s is not a dashboard binding id", binding_id)
        keymap[binding_id] = key
    return keymap
