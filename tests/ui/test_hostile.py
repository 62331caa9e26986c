"""Hostile text from the network through every part of the dashboard that shows it:
the list, the status line, the detail, the palette and help. It must show literally,
never run an action, never crash, and never reach the terminal as an escape."""

from __future__ import annotations

from typing import Any

from textual.widgets import Static

from tests.fakedata import FakeData, make_markets
from tests.support import (
    NOW,
    Recorder,
    assert_inert,
    main_screen,
    problems_text,
    screen_text,
    settle,
)
from tui.messages import FreshnessChanged, MarketsLoaded
from tui.models import Market, market_from_gamma
from tui.screens.help import HelpScreen
from tui.view.freshness import ProblemRaised
from tui.widgets.market_list import MarketList

MARKUP = [
    "[/b]",
    "[@click=app.quit]x",
    "[link=https://evil.example]x[/link]",
    "Trump [R] vs Harris [D]",
]
ESCAPES = "\x1b]2;pwned\x07\x1b[2J\x9b31m\x9d8;;https://evil.example\x07"
BIDI = "\u202eevil\u202c\u2066x\u2069"
LONG = "A" * 10_000


def hostile_markets() -> list[Market]:
    event = {"id": "ev-evil", "slug": "evil",
             "title": f"Event {MARKUP[0]} {MARKUP[1]} {ESCAPES}",
             "tags": [{"id": "1", "slug": "politics", "label": "Politics [/b]"}]}
    rows = [
        {"question": f"{MARKUP[3]} {ESCAPES}?", "groupItemTitle": MARKUP[1]},
        {"question": f"{MARKUP[0]} closes {BIDI} soon?", "groupItemTitle": MARKUP[2]},
        {"question": f"{MARKUP[1]} claim now", "groupItemTitle": "plain"},
        {"question": f"Long {LONG}", "groupItemTitle": ""},
    ]
    markets = []
    for index, extra in enumerate(rows):
        data = {
            "id": str(500 + index), "slug": f"evil-{index}",
            "outcomes": f'["{MARKUP[2]}", "Trump [R]"]',
            "outcomePrices": '["0.6", "0.4"]',
            "clobTokenIds": f'["{700 + index * 2}", "{701 + index * 2}"]',
            "volume24hr": 9e9 - index, "oneDayPriceChange": 0.01,
            "description": f"Rules {MARKUP} {ESCAPES} {BIDI}\nline two [/]",
            "tags": [{"id": "7", "slug": "evil", "label": f"{MARKUP[1]} tag"}],
            **extra,
        }
        markets.append(market_from_gamma(data, event, fetched_at=NOW))
    return markets


async def test_hostile_text_shows_literally_everywhere(make_app: Any,
                                                       messages: Recorder) -> None:
    markets = hostile_markets() + make_markets(20)
    data = FakeData(markets)
    app = make_app(data)
    async with app.run_test(size=(160, 48), message_hook=messages.append) as pilot:
        await settle(app, pilot)
        loaded = messages.of(MarketsLoaded)[-1]
        assert {m.id for m in loaded.markets} >= {"500", "501", "502", "503"}
        # The list (and, at 160 columns, the detail of the first row).
        text = screen_text(app)
        assert_inert(text, newlines=True)
        assert "Event [/b] [@click=app.quit]x" in text  # list rows (event: group titles)
        assert "[link=https://evil.example]x[/link]" in text  # the detail: outcome names
        assert "Trump [R] vs Harris [D]" in text  # the detail: the question
        assert "Outcome: [@click=app.quit]x" in text
        assert not [m for m in messages.of(FreshnessChanged) if m.freshness.issues]
        # Each hostile market in the detail, then a click on its row and on the detail.
        for index in range(4):
            main_screen(app).market_list.move_to_key(str(500 + index))
            await settle(app, pilot)
            detail_text = screen_text(app)
            assert_inert(detail_text, newlines=True)
            if index == 1:
                assert "[/b] closes evilx soon?" in detail_text  # bidi controls removed
            listing = main_screen(app).market_list
            row_y = listing.cursor + 1 - int(listing.scroll_offset.y)
            await pilot.click(MarketList, offset=(10, row_y))
            await pilot.click("#detail-head", offset=(3, 0))
            await pilot.click("#detail-outcomes", offset=(12, 1))
            await settle(app, pilot)
            assert app.is_running and app.return_code is None
        long_market = main_screen(app).catalog.markets["503"]
        assert len(long_market.question) == 500 and long_market.question.endswith("…")
        # The status line: the filter and a problem sentence, literally.
        main_screen(app).browser.filter_input.value = "[/b] [@click=app.quit]x"
        main_screen(app).post_message(FreshnessChanged(app.freshness.apply(ProblemRaised(
            "search", "Search failed: [/b] Trump [R].", NOW))))
        await settle(app, pilot)
        status = main_screen(app).status.text
        assert "filter “[/b] [@click=app.quit]x”" in status
        assert "⚠ search failed" in status
        assert "Search failed: [/b] Trump [R]." in await problems_text(app, pilot)
        await pilot.click("#status", offset=(60, 0))
        assert app.is_running
        main_screen(app).browser.filter_input.value = ""
        await pilot.press("escape")
        await settle(app, pilot)
        # The palette: jump hits show questions literally.
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"trump")
        await pilot.pause(0.3)
        palette_text = screen_text(app)
        assert_inert(palette_text, newlines=True)
        assert "Jump to: Event [/b] [@click=app.quit]x" in palette_text
        await pilot.press("escape")
        await pilot.pause()
        # Tags from data become palette commands: shown literally too.
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"view tag")
        await pilot.pause(0.3)
        assert ": tag [@click=app.quit]x tag" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        # Help, with all of that loaded.
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        help_text = str(app.screen.query_one("#help-text", Static).content)
        assert "[keys] favorite" in help_text
        await pilot.press("escape")
        # The narrow layout: the list truncates long and hostile titles safely.
        await pilot.resize_terminal(80, 24)
        await settle(app, pilot)
        assert_inert(screen_text(app), newlines=True)
        assert app.is_running and app.return_code is None
