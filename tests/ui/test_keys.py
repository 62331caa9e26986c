"""Keys: [keys] remaps checked against the bindings active on the same screen, old id
spellings, unknown ids, the ids documented in config.toml, and what the help screen and
the palette show of them."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.command import CommandList
from textual.content import Content
from textual.widgets import Static

import tui
from tests.fakedata import FakeData
from tests.support import dash_config, settle, toasts
from tui.app import key_scopes
from tui.commands import palette_help
from tui.keys import own_bindings, plan_keymap, remappable_ids
from tui.screens.alerts import AlertsScreen
from tui.screens.help import HelpScreen
from tui.services.alerts import Alert, LogEntry

REPO_CONFIG = Path(__file__).resolve().parents[2] / "config.toml"
ID_STYLE = re.compile(r"(?:[a-z0-9]+(?:-[a-z0-9]+)*\.)?[a-z0-9]+(?:-[a-z0-9]+)*")


def plan(keys: dict[str, str]) -> tuple[dict[str, str], tuple[str, ...]]:
    made = plan_keymap(keys, key_scopes())
    return made.keymap, made.warnings


# ---------------------------------------------------------------- the plan


def test_a_key_taken_on_the_same_screen_is_refused_naming_both() -> None:
    keymap, warnings = plan({"favorite": "q"})
    assert keymap == {}
    assert warnings == ('[keys] favorite = "q" conflicts with quit (q); keeping f, space',)


def test_a_free_key_and_a_swap_are_applied() -> None:
    assert plan({"favorite": "x"}) == ({"favorite": "x"}, ())
    assert plan({"favorite": "q", "quit": "f"}) == ({"favorite": "q", "quit": "f"}, ())


def test_a_key_a_focused_pane_would_take_is_refused() -> None:
    # With the news list focused, f would open the article instead of favoriting.
    keymap, warnings = plan({"news.open": "f"})
    assert keymap == {}
    assert warnings == ('[keys] news.open = "f" conflicts with favorite (f, space); '
                        "keeping enter, o",)
    # j moves the market list's cursor, but the list and the chart never have the
    # focus at once: no conflict.
    assert plan({"chart.toggle-zone": "j"}) == ({"chart.toggle-zone": "j"}, ())


def test_the_later_of_two_remaps_to_one_key_is_refused() -> None:
    keymap, warnings = plan({"favorite": "x", "filter": "x"})
    assert keymap == {"favorite": "x"}
    assert warnings == ('[keys] filter = "x" conflicts with favorite (x); keeping slash',)


def test_a_refused_remap_takes_its_keys_back_from_a_later_one() -> None:
    # help = "f" is only free if favorite moves to q, which quit refuses.
    keymap, warnings = plan({"favorite": "q", "help": "f"})
    assert keymap == {}
    assert warnings == (
        '[keys] favorite = "q" conflicts with quit (q); keeping f, space',
        '[keys] help = "f" conflicts with favorite (f, space); keeping question_mark',
    )


def test_a_key_the_binding_already_has_is_no_conflict() -> None:
    # With the news focused y copies the article's link, not the market's, by design;
    # keeping y is no new claim on it.
    assert plan({"news.copy": "y,c"}) == ({"news.copy": "y,c"}, ())


def test_over_a_modal_only_the_apps_priority_keys_count() -> None:
    # Textual cuts the binding chain at a modal: q does not quit over the link box,
    # but ctrl+q (a priority binding) does.
    assert plan({"link.copy": "q,c"}) == ({}, (
        '[keys] link.copy = "q,c" conflicts with link.close (escape, enter, q); keeping y',))
    assert plan({"help.close": "f"}) == ({"help.close": "f"}, ())
    assert plan({"help.close": "ctrl+q"}) == ({}, (
        '[keys] help.close = "ctrl+q" conflicts with quit-now (ctrl+q); keeping escape, q, '
        "question_mark",))


def test_keys_are_read_as_textual_reads_bindings() -> None:
    assert plan({"favorite": "x, ctrl+x"}) == ({"favorite": "x,ctrl+x"}, ())
    assert plan({"filter": "?"}) == ({}, (
        '[keys] filter = "?" conflicts with help (question_mark); keeping slash',))
    keymap, warnings = plan({"favorite": "x,,y"})
    assert keymap == {}
    assert warnings == ('[keys] favorite = "x,,y" holds an empty key; keeping f, space',)


def test_old_spellings_still_work_with_a_warning() -> None:
    keymap, warnings = plan({"open_polymarket": "P", "chart.cursor_left": "h",
                             "help-close": "x"})
    assert keymap == {"open-polymarket": "P", "chart.cursor-left": "h", "help.close": "x"}
    assert warnings == (
        "[keys] open_polymarket is now spelled open-polymarket; the old spelling still "
        "works for now",
        "[keys] chart.cursor_left is now spelled chart.cursor-left; the old spelling still "
        "works for now",
        "[keys] help-close is now spelled help.close; the old spelling still works for now",
    )


def test_an_unknown_id_is_warned_about_and_dropped() -> None:
    keymap, warnings = plan({"favourite": "x", "launch_rockets": "x"})
    assert keymap == {}
    assert warnings == (
        "[keys] favourite is not a binding id (did you mean favorite?); the help screen (?) "
        "lists them",
        "[keys] launch_rockets is not a binding id; the help screen (?) lists them",
    )


# ---------------------------------------------------------------- the ids


def tui_classes_with_bindings() -> set[type]:
    """Every class of tui that declares BINDINGS of its own."""
    found: set[type] = set()
    for module in pkgutil.walk_packages(tui.__path__, "tui."):
        if module.name.startswith(("tui.screens.", "tui.widgets.", "tui.app")):
            loaded = importlib.import_module(module.name)
            for _name, cls in inspect.getmembers(loaded, inspect.isclass):
                if cls.__module__ == module.name and "BINDINGS" in cls.__dict__:
                    found.add(cls)
    return found


def test_every_class_with_bindings_is_in_a_key_scope() -> None:
    scoped = {cls for scope in key_scopes() for cls in scope}
    missing = sorted(cls.__qualname__ for cls in tui_classes_with_bindings() - scoped)
    assert not missing, f"add to tui.app.key_scopes, with the classes active beside: {missing}"


def test_every_binding_has_one_id_style() -> None:
    for cls in tui_classes_with_bindings():
        for binding in own_bindings(cls):
            assert binding.id and ID_STYLE.fullmatch(binding.id), (cls.__name__, binding.id)


def test_config_toml_documents_every_id_with_its_default_keys() -> None:
    text = REPO_CONFIG.read_text(encoding="utf-8")
    section = text[text.index("\n[keys]\n"):]
    section = section[: section.index("\n[", 1)]
    documented = dict(re.findall(r'^#   ([a-z0-9.\-]+) = "([^"]*)"$', section, re.MULTILINE))
    assert documented == {binding_id: ",".join(keys)
                          for binding_id, keys in remappable_ids(key_scopes()).items()}


# ---------------------------------------------------------------- in the app


async def test_a_refused_remap_keeps_the_key_and_says_why(make_app: Any, data: FakeData) -> None:
    app = make_app(data, replace(dash_config(), keys={"favorite": "q", "favourite": "x"}))
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(app, pilot)
        assert toasts(app) == [
            "[keys] favourite is not a binding id (did you mean favorite?); the help screen "
            '(?) lists them\n[keys] favorite = "q" conflicts with quit (q); keeping f, space']
        await pilot.press("f")
        await settle(app, pilot)
        assert len(data.favorites) == 1
        await pilot.press("x")
        await settle(app, pilot)
        assert len(data.favorites) == 1  # the unknown id changed nothing
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running  # q still quits


async def test_no_warning_without_remaps(make_app: Any, data: FakeData) -> None:
    app = make_app(data)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(app, pilot)
        assert toasts(app) == []


async def help_text(app: App[Any], pilot: Any) -> str:
    await pilot.press("question_mark")
    await pilot.pause()
    assert isinstance(app.screen, HelpScreen)
    return str(app.screen.query_one("#help-text", Static).content)


async def test_help_lists_polydash_keys_only_with_the_tab_labels(make_app: Any,
                                                                  data: FakeData) -> None:
    app = make_app(data)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")  # the detail and its chart are mounted
        await settle(app, pilot)
        text = await help_text(app, pilot)
    entries = [line for line in text.splitlines()
               if line and not line.startswith(("Market list", "Dashboard", "Detail", "News",
                                                "Trades", "Anywhere", "Remap"))]
    # Each line is one of ours, with its id: none of Textual's scroll bindings.
    assert entries and all("  [keys] " in line for line in entries), entries
    assert "Chart ALL  [keys] range-max" in text and "MAX" not in text
    assert "[keys] chart.cursor-left" in text


class NoAlerts:
    async def alerts(self) -> list[Alert]:
        return []

    async def log(self, limit: int = 100) -> list[LogEntry]:
        return []

    async def remove(self, alert_id: int) -> bool:
        return False


async def test_help_on_another_screen_names_it_as_this_screen(make_app: Any,
                                                               data: FakeData) -> None:
    app = make_app(data)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(app, pilot)
        app.push_screen(AlertsScreen(NoAlerts()))
        await pilot.pause()
        text = await help_text(app, pilot)
    assert "Dashboard" not in text
    assert "This screen\nesc " in text and "[keys] alerts.back" in text


# ---------------------------------------------------------------- the palette


@pytest.mark.parametrize("text", ["Every key and its [keys] id", "Trump [R] vs Harris [D]",
                                  "[b]not bold[/b] [@click=app.quit]x[/]"])
def test_palette_help_shows_brackets_literally(text: str) -> None:
    assert Content.from_markup(palette_help(text)).plain == text


async def palette_entries(app: App[Any], pilot: Any, query: str) -> list[str]:
    """The palette's entries (title and help, plain) for a query typed into it."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*query)
    await pilot.pause(0.3)
    commands = app.screen.query_one(CommandList)
    entries = [commands.get_option_at_index(index).prompt
               for index in range(commands.option_count)]
    await pilot.press("escape")
    await pilot.pause()
    return [entry.plain if isinstance(entry, Content) else str(entry) for entry in entries]


async def test_palette_help_texts_keep_their_brackets(make_app: Any, data: FakeData) -> None:
    app = make_app(data)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(app, pilot)
        keys = [entry for entry in await palette_entries(app, pilot, "keys help")
                if entry.startswith("Keys: help screen")]
        assert keys == ["Keys: help screen\nEvery key and its [keys] id"]  # and only once
        chart = await palette_entries(app, pilot, "related tradingview")
        assert "Open the related TradingView chart\nChosen by your [tradingview] rules in " \
               "config.toml" in chart
