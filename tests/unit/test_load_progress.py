"""A list loading in parts (issue 10): the freshness model counts what has arrived, the
end of the load or its failure stops the count, and the status line says it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tui.view.freshness import (
    Event,
    Freshness,
    ListLoaded,
    ListProgress,
    ProblemRaised,
)
from tui.widgets.status import StatusState, status_content

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
EARLIER = NOW - timedelta(minutes=10)
ONLINE = Freshness.starting(demo=False, offline=False)


def after(*events: Event, start: Freshness = ONLINE) -> Freshness:
    state = start
    for event in events:
        state = state.apply(event)
    return state


@pytest.mark.parametrize(("events", "loading"), [
    ((ListProgress("live", NOW, 300),), 300),
    ((ListProgress("live", NOW, 300), ListProgress("live", NOW, 4_300)), 4_300),
    ((ListProgress("live", NOW, 300), ListLoaded("live", NOW)), None),
    ((ListProgress("cache", EARLIER, 100),), 100),
    ((ListProgress("cache", EARLIER, 100), ListLoaded("cache", EARLIER)), None),
    # A failed load stops counting; another task's failure does not.
    ((ListProgress("live", NOW, 300), ProblemRaised("markets", "Gamma timed out.", NOW)),
     None),
    ((ListProgress("live", NOW, 300), ProblemRaised("chart", "No chart.", NOW)), 300),
    # SQLite's screenful after a fresh page is older news: ignored.
    ((ListProgress("live", NOW, 300), ListProgress("cache", EARLIER, 100)), 300),
    ((ListProgress("live", NOW, 300), ListLoaded("cache", EARLIER)), 300),
])
def test_the_count_of_a_load_in_progress(events: tuple[Event, ...], loading: int | None
                                         ) -> None:
    assert after(*events).loading == loading


def test_a_page_from_the_api_is_fresh_data() -> None:
    state = after(ListLoaded("cache", EARLIER), ListProgress("live", NOW, 300))
    assert state.fresh_list and state.data_at == NOW and state.mode == "POLLING"
    cached = after(ListProgress("cache", EARLIER, 100))
    assert not cached.fresh_list and cached.data_at == EARLIER and cached.mode == "CACHED"


def test_the_status_line_counts_while_loading_and_stops_when_done() -> None:
    loading = after(ListProgress("live", NOW, 4_300))
    text = status_content(StatusState(freshness=loading, shown=4_300, total=4_300), NOW).plain
    assert "4,300 markets · 4,300 fetched, loading… · All" in text
    done = loading.apply(ListLoaded("live", NOW))
    text = status_content(StatusState(freshness=done, shown=20_000, total=20_000), NOW).plain
    assert "20,000 markets · All" in text and "loading" not in text


@pytest.mark.parametrize(("shown", "delay"), [
    (0, 0.0),  # the first rows show at once
    (300, 0.25), (4_999, 0.25), (5_000, 0.5), (12_000, 0.75), (15_000, 1.0), (60_000, 1.0),
])
def test_a_long_list_merges_its_pages_less_often(shown: int, delay: float) -> None:
    from tui.widgets.browser import page_flush_delay

    assert page_flush_delay(shown, 0.25) == pytest.approx(delay)
