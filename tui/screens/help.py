"""The help screen (`?`): every binding, generated from the live bindings.

It reads the bindings of the nodes that are really mounted (app, dashboard, list,
detail, chart, news) with the user's keymap applied, so a remapped key shows as remapped,
and it prints each binding's id: the name to use in config.toml's [keys] table.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from textual.app import App
from textual.binding import Binding
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import Screen

from tui.keys import own_bindings
from tui.screens.text_modal import TextModal

KEY_WIDTH = 18


@dataclass(frozen=True, slots=True)
class KeyHelp:
    keys: tuple[str, ...]
    description: str
    binding_id: str


@dataclass(frozen=True, slots=True)
class Section:
    title: str
    entries: tuple[KeyHelp, ...]


def node_help(node: DOMNode, keymap: Mapping[str, str]) -> tuple[KeyHelp, ...]:
    """The node's own bindings (its class's BINDINGS, not the ones Textual's base
    widgets add for scrolling) with the user's keymap applied, one entry per id."""
    return class_help(type(node), node.app, keymap)


def class_help(cls: type[DOMNode], app: App[object],
               keymap: Mapping[str, str]) -> tuple[KeyHelp, ...]:
    """node_help of a class, mounted or not."""
    grouped: dict[str, tuple[list[str], Binding]] = {}
    for binding in own_bindings(cls):
        if binding.system:
            continue
        if binding.id and binding.id in keymap:
            binding = binding.with_key(keymap[binding.id])
        group = binding.id or binding.action
        keys, _first = grouped.setdefault(group, ([], binding))
        for key in binding.key.split(","):
            display = app.get_key_display(binding.with_key(key.strip()))
            if display not in keys:
                keys.append(display)
    return tuple(
        KeyHelp(tuple(keys), binding.description or binding.action, binding.id or "")
        for keys, binding in grouped.values()
    )


def help_sections(main: Screen[object], keymap: Mapping[str, str]) -> list[Section]:
    """Sections for the screen help was opened on: on the dashboard its list, itself,
    the detail (with its chart) and news; then the keys that work anywhere."""
    sections = []
    listing = main.query("#markets")
    if listing:
        sections.append(Section("Market list", node_help(listing.first(), keymap)))
    sections.append(Section("Dashboard" if listing else "This screen", node_help(main, keymap)))
    detail_nodes: list[DOMNode] = []
    for detail in main.query("#detail"):
        detail_nodes.append(detail)
        detail_nodes.extend(detail.query("*"))
    detail_entries = tuple(entry for node in detail_nodes for entry in node_help(node, keymap))
    if detail_entries:
        sections.append(Section("Detail and chart", detail_entries))
    news_nodes: list[DOMNode] = []
    for news in main.query("#news"):
        news_nodes.append(news)
        news_nodes.extend(news.query("*"))
    news_entries = tuple(entry for node in news_nodes for entry in node_help(node, keymap))
    if news_entries:
        sections.append(Section("News (Tab to reach it)", news_entries))
    # The trader panes' lists and the wallet views' share one class: its keys once. The
    # dashboard mounts its trader panes when one first shows: their keys count before.
    trader_entries: tuple[KeyHelp, ...] = ()
    if listing or main.query("TraderList"):
        from tui.widgets.trader_list import TraderList

        trader_entries = class_help(TraderList, main.app, keymap)
    if trader_entries:
        sections.append(Section("Trades, holders, comments, wallets (lists)", trader_entries))
    sections.append(Section("Anywhere", node_help(main.app, keymap)))
    return sections


def help_content(sections: Iterable[Section]) -> Content:
    parts: list[str | tuple[str, str]] = []
    for section in sections:
        if not section.entries:
            continue
        parts += [(section.title, "bold $text-accent"), "\n"]
        for entry in section.entries:
            keys = ", ".join(entry.keys)
            parts += [(keys.ljust(KEY_WIDTH), "bold"), " ", entry.description]
            if entry.binding_id:
                parts += ["  ", (f"[keys] {entry.binding_id}", "$text-muted")]
            parts.append("\n")
        parts.append("\n")
    parts += [("Remap any key in config.toml, e.g. ", "$text-muted"),
              ('[keys] favorite = "x"', "$text-muted")]
    return Content.assemble(*parts)


class HelpScreen(TextModal):
    """A scrollable list of every key; Esc, q or ? closes it."""

    NAME = "help"
    BINDINGS = [
        Binding("escape,q,question_mark", "close", "Close", id="help.close"),
    ]

    def __init__(self, main: Screen[object], keymap: Mapping[str, str]) -> None:
        self._main = main
        self._keymap = dict(keymap)
        super().__init__()

    def title_text(self) -> str:
        return "Keys"

    def body(self) -> Content:
        return help_content(help_sections(self._main, self._keymap))
