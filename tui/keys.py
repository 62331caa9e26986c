"""User key remapping: config.toml's [keys] checked and turned into Textual's keymap.

Binding ids are kebab-case, with a dotted scope for the keys of one widget or modal:
`favorite`, `sort-cycle`, `chart.cursor-left`, `news.open`, `help.close`. An id spelled
the old way (`open_polymarket`, `chart.cursor_left`, `help-close`) still works, with a
warning that names the new spelling, so existing configs keep working.

A remap is refused, and the binding keeps its own keys, when one of its new keys is
already taken by another binding active at the same time. Which bindings are active
together is a *scope*: the App's, one screen's and its focused widget's (the App lists
them in `key_scopes`); over a modal screen, only the App's priority bindings. Without
the check `favorite = "q"` would silently stop `q` from quitting on the dashboard,
since a screen's binding wins over the App's.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from textual.app import App
from textual.binding import Binding, BindingType, InvalidBinding
from textual.screen import ModalScreen

RENAMED: Mapping[str, str] = MappingProxyType({
    "help-close": "help.close",
    **{old: new for old, new in (
        ("alert-form-cancel", "alert-form.cancel"),
        ("alerts-confirm-delete", "alerts.confirm-delete"),
        ("alerts-confirm-keep", "alerts.confirm-keep"),
        ("alerts-back", "alerts.back"),
        ("alerts-delete", "alerts.delete"),
        ("alerts-reload", "alerts.reload"),
    )},
})
"""Ids renamed by more than "_" -> "-": old id -> new id."""

type Scope = tuple[type, ...]
"""DOM classes whose bindings are active at the same time."""


@dataclass(frozen=True, slots=True)
class KeymapPlan:
    keymap: dict[str, str]  # binding id -> keys, what App.set_keymap gets
    warnings: tuple[str, ...]  # one sentence each, for the user


@dataclass(frozen=True, slots=True)
class _Remap:
    name: str  # as written in [keys]
    spec: str  # the keys as written
    keys: tuple[str, ...]  # Textual key names


def own_bindings(cls: type) -> list[Binding]:
    """The bindings polydash's own classes declare (base first), not the ones Textual's
    base widgets add for scrolling; one Binding per key."""
    found: list[BindingType] = []
    for klass in reversed(cls.__mro__):
        if klass.__module__.startswith("tui.") and "BINDINGS" in klass.__dict__:
            found += klass.__dict__["BINDINGS"]
    return list(Binding.make_bindings(found))


def _keys_by_id(classes: Iterable[type], *, system: bool,
                priority_only: type | None = None) -> dict[str, tuple[str, ...]]:
    keys: dict[str, list[str]] = {}
    for cls in dict.fromkeys(classes):
        for binding in own_bindings(cls):
            if cls is priority_only and not binding.priority:
                continue
            if system or (binding.id and not binding.system):
                keys.setdefault(binding.id or binding.action, []).append(binding.key)
    return {binding_id: tuple(found) for binding_id, found in keys.items()}


def scope_keys(scope: Scope) -> dict[str, tuple[str, ...]]:
    """Binding id -> its default keys, for every binding active in the scope. Over a
    modal screen only the App's priority bindings still work (Textual cuts the binding
    chain at the modal), so only those count there."""
    modal = any(issubclass(cls, ModalScreen) for cls in scope)
    app = next((cls for cls in scope if issubclass(cls, App)), None)
    return _keys_by_id(scope, system=True, priority_only=app if modal else None)


def remappable_ids(scopes: Iterable[Scope]) -> dict[str, tuple[str, ...]]:
    """Every id a user may remap in [keys] -> its default keys. System bindings (Ctrl+C's
    "how to quit" hint) are left out, as the help screen leaves them out."""
    return _keys_by_id((cls for scope in scopes for cls in scope), system=False)


def key_names(spec: str) -> tuple[str, ...] | None:
    """ "f, space" or "?" as Textual key names ("f", "space"; "question_mark"), read the
    way Textual reads BINDINGS; None when the list holds an empty key."""
    try:
        made = Binding.make_bindings([Binding(spec, "")])
        return tuple(dict.fromkeys(binding.key for binding in made))
    except InvalidBinding:
        return None


def plan_keymap(wanted: Mapping[str, str], scopes: Sequence[Scope]) -> KeymapPlan:
    """The keymap to apply for config [keys] `wanted`, and a warning for each entry not
    applied as written: an unknown id, an old spelling, a bad key list, a conflict."""
    scope_maps = [scope_keys(scope) for scope in scopes]
    known = remappable_ids(scopes)
    warnings: list[str] = []
    asked: dict[str, _Remap] = {}
    for name, spec in wanted.items():
        binding_id = _binding_id(name, known, warnings)
        if binding_id is None:
            continue
        keys = key_names(spec)
        if keys is None:
            warnings.append(f'[keys] {name} = "{spec}" holds an empty key; keeping '
                            f"{_shown(known[binding_id])}")
        else:
            asked[binding_id] = _Remap(name, spec, keys)
    refused = _refuse_conflicts(asked, scope_maps)
    warnings += refused.values()
    keymap = {binding_id: ",".join(remap.keys) for binding_id, remap in asked.items()
              if binding_id not in refused}
    return KeymapPlan(keymap, tuple(warnings))


def _binding_id(name: str, known: Mapping[str, object], warnings: list[str]) -> str | None:
    """The id `name` stands for: itself, or the new spelling of an old one (with a
    warning); None (with a warning) when it names no binding."""
    if name in known:
        return name
    new = RENAMED.get(name, name.replace("_", "-"))
    if new in known:
        warnings.append(f"[keys] {name} is now spelled {new}; the old spelling still works "
                        "for now")
        return new
    close = difflib.get_close_matches(new, known, n=1)
    hint = f" (did you mean {close[0]}?)" if close else ""
    warnings.append(f"[keys] {name} is not a binding id{hint}; the help screen (?) lists "
                    "them")
    return None


def _refuse_conflicts(asked: dict[str, _Remap],
                      scope_maps: list[dict[str, tuple[str, ...]]]) -> dict[str, str]:
    """Binding id -> warning, for each remap refused. One at a time, the last conflicting
    remap first (an earlier line claimed the key), until none conflicts: a refused
    binding takes its own keys back, which may refuse another remap in turn."""
    refused: dict[str, str] = {}
    defaults = {binding_id: keys for scope in scope_maps for binding_id, keys in scope.items()}
    while True:
        current = defaults | {binding_id: remap.keys for binding_id, remap in asked.items()
                              if binding_id not in refused}
        for binding_id, remap in reversed(asked.items()):
            if binding_id in refused:
                continue
            other = _taken_by(binding_id, remap.keys, defaults, current, scope_maps)
            if other is not None:
                refused[binding_id] = (
                    f'[keys] {remap.name} = "{remap.spec}" conflicts with {other} '
                    f"({_shown(current[other])}); keeping {_shown(defaults[binding_id])}")
                break
        else:
            return refused


def _taken_by(binding_id: str, keys: tuple[str, ...], defaults: Mapping[str, tuple[str, ...]],
              current: Mapping[str, tuple[str, ...]],
              scope_maps: list[dict[str, tuple[str, ...]]]) -> str | None:
    """Another binding that holds one of `keys` in a scope shared with `binding_id`.
    A key the binding has by default is no conflict: where it overlaps another one (y
    copies the article's link when the news has the focus, the market's elsewhere), the
    overlap is by design."""
    new_keys = set(keys) - set(defaults[binding_id])
    for scope in scope_maps:
        if binding_id not in scope:
            continue
        for other in scope:
            if other != binding_id and new_keys & set(current[other]):
                return other
    return None


def _shown(keys: tuple[str, ...]) -> str:
    return ", ".join(keys)
