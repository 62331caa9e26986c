"""The freshness model: every transition, table-driven (no Textual involved)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tui.view.freshness import (
    Event,
    Freshness,
    ListLoaded,
    Mode,
    PricesArrived,
    ProblemCleared,
    ProblemRaised,
    StreamChanged,
)

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


CACHE = ListLoaded("cache", at(-600))
LIVE_LIST = ListLoaded("live", at(0))
DEMO_LIST = ListLoaded("demo", at(0))
STREAM_UP = StreamChanged("LIVE", at(1))
STREAM_DOWN = StreamChanged("DOWN", at(2), "socket closed")
STREAM_STALE = StreamChanged("STALE", at(2), "no message for 25 s")
STREAM_CONNECTING = StreamChanged("CONNECTING", at(1))
MARKETS_FAIL = ProblemRaised("markets", "Could not refresh the market list: timeout.", at(3),
                             at(8))
PRICES_FAIL = ProblemRaised("prices", "Could not refresh prices: timeout.", at(4), at(9))
BOOK_FAIL = ProblemRaised("book", "Could not load the order book: 500.", at(5))
NO_NETWORK = ProblemRaised("markets", "Could not refresh the market list: no connection.",
                           at(3), at(8), unreachable=True)
EMPTY_CACHE = ListLoaded("cache", None)
MARKETS_OK = ProblemCleared("markets")
PRICES_OK = ProblemCleared("prices")

ONLINE = Freshness.starting(demo=False, offline=False)
OFFLINE = Freshness.starting(demo=False, offline=True)
DEMO = Freshness.starting(demo=True, offline=False)


def run(start: Freshness, *events: Event) -> Freshness:
    state = start
    for event in events:
        state = state.apply(event)
    return state


MODES: list[tuple[str, Freshness, tuple[Event, ...], Mode]] = [
    ("online start, nothing yet", ONLINE, (), "CACHED"),
    ("cached list only", ONLINE, (CACHE,), "CACHED"),
    ("fresh list, no stream", ONLINE, (CACHE, LIVE_LIST), "POLLING"),
    ("fresh list, stream connecting", ONLINE, (LIVE_LIST, STREAM_CONNECTING), "POLLING"),
    ("fresh list, stream live", ONLINE, (LIVE_LIST, STREAM_UP), "LIVE"),
    ("stream live before the list", ONLINE, (STREAM_UP,), "CACHED"),
    ("stream live, then list", ONLINE, (STREAM_UP, LIVE_LIST), "LIVE"),
    ("stream down", ONLINE, (LIVE_LIST, STREAM_UP, STREAM_DOWN), "POLLING"),
    ("stream stale", ONLINE, (LIVE_LIST, STREAM_UP, STREAM_STALE), "POLLING"),
    ("stream back", ONLINE, (LIVE_LIST, STREAM_DOWN, STREAM_UP), "LIVE"),
    ("markets refresh fails while polling", ONLINE, (LIVE_LIST, MARKETS_FAIL), "CACHED"),
    ("prices refresh fails while polling", ONLINE, (LIVE_LIST, PRICES_FAIL), "CACHED"),
    ("refresh fails, stream still live", ONLINE, (LIVE_LIST, STREAM_UP, MARKETS_FAIL), "LIVE"),
    ("refresh fails, then stream drops", ONLINE,
     (LIVE_LIST, STREAM_UP, MARKETS_FAIL, STREAM_DOWN), "CACHED"),
    ("markets recover", ONLINE, (LIVE_LIST, MARKETS_FAIL, MARKETS_OK), "POLLING"),
    ("one of two recovers", ONLINE,
     (LIVE_LIST, MARKETS_FAIL, PRICES_FAIL, MARKETS_OK), "CACHED"),
    ("both recover", ONLINE,
     (LIVE_LIST, MARKETS_FAIL, PRICES_FAIL, MARKETS_OK, PRICES_OK), "POLLING"),
    ("a book failure changes nothing", ONLINE, (LIVE_LIST, BOOK_FAIL), "POLLING"),
    ("first load fails", ONLINE, (CACHE, MARKETS_FAIL), "CACHED"),
    ("cache arriving after the fresh list", ONLINE, (LIVE_LIST, CACHE), "POLLING"),
    ("no saved data and no network", ONLINE, (EMPTY_CACHE, NO_NETWORK), "OFFLINE"),
    ("saved data and no network", ONLINE, (CACHE, NO_NETWORK), "CACHED"),
    ("no saved data, the API refuses", ONLINE, (EMPTY_CACHE, MARKETS_FAIL), "CACHED"),
    ("no saved data, network back", ONLINE, (EMPTY_CACHE, NO_NETWORK, MARKETS_OK), "CACHED"),
    ("no saved data, then a list", ONLINE, (EMPTY_CACHE, NO_NETWORK, LIVE_LIST, MARKETS_OK),
     "POLLING"),
    ("offline stays offline", OFFLINE, (CACHE, LIVE_LIST, STREAM_UP), "OFFLINE"),
    ("demo stays demo", DEMO, (CACHE, DEMO_LIST, MARKETS_FAIL), "DEMO"),
]


@pytest.mark.parametrize(("start", "events", "mode"), [row[1:] for row in MODES],
                         ids=[row[0] for row in MODES])
def test_mode_after_events(start: Freshness, events: tuple[Event, ...], mode: Mode) -> None:
    assert run(start, *events).mode == mode


def test_refreshing_follows_the_mode() -> None:
    assert run(ONLINE, LIVE_LIST).refreshing
    assert run(DEMO).refreshing
    assert not run(ONLINE, CACHE).refreshing
    assert not run(OFFLINE, CACHE).refreshing
    assert not run(ONLINE, LIVE_LIST, MARKETS_FAIL).refreshing


def test_ages_come_from_the_list_and_the_last_refresh() -> None:
    state = run(ONLINE, CACHE)
    assert state.data_age_s(at(0)) == 600
    assert state.refreshed_age_s(at(0)) is None
    state = state.apply(LIVE_LIST)
    assert state.data_age_s(at(30)) == 30
    assert state.refreshed_age_s(at(30)) == 30
    state = state.apply(PricesArrived(at(20)))
    assert state.refreshed_age_s(at(30)) == 10
    assert state.data_age_s(at(30)) == 30  # prices do not make the list newer


def test_an_older_cached_list_never_replaces_the_fresh_one() -> None:
    state = run(ONLINE, LIVE_LIST, CACHE)
    assert state.data_at == at(0)


def test_problems_keep_their_sentences_and_the_latest_wins() -> None:
    state = run(ONLINE, LIVE_LIST, MARKETS_FAIL, BOOK_FAIL)
    assert [i.task for i in state.issues] == ["markets", "book"]
    assert state.issue("markets").sentence == MARKETS_FAIL.sentence  # type: ignore[union-attr]
    assert state.latest_issue is not None and state.latest_issue.task == "book"


def test_a_task_failing_again_replaces_its_problem() -> None:
    again = ProblemRaised("markets", "Could not refresh the market list: 503.", at(10), at(20))
    state = run(ONLINE, MARKETS_FAIL, again)
    assert len(state.issues) == 1
    assert state.issues[0].sentence.endswith("503.")


def test_next_retry_is_the_soonest() -> None:
    assert run(ONLINE).next_retry() is None
    assert run(ONLINE, PRICES_FAIL, MARKETS_FAIL).next_retry() == at(8)
    assert run(ONLINE, BOOK_FAIL).next_retry() is None


def test_stream_down_raises_a_short_problem_and_live_clears_it() -> None:
    state = run(ONLINE, LIVE_LIST, STREAM_DOWN)
    issue = state.issue("stream")
    assert issue is not None
    assert issue.sentence == "Live prices down: socket closed; reconnecting."
    assert issue.at == at(2)
    assert run(ONLINE, LIVE_LIST, STREAM_DOWN, STREAM_UP).issue("stream") is None


def test_stream_down_without_reason_still_says_something() -> None:
    state = run(ONLINE, StreamChanged("DOWN", at(1)))
    assert state.issue("stream").sentence == (  # type: ignore[union-attr]
        "Live prices down: the connection was lost; reconnecting.")


def test_clearing_an_absent_problem_is_the_same_state() -> None:
    state = run(ONLINE, LIVE_LIST)
    assert state.apply(MARKETS_OK) is state


def test_unknown_event_is_refused() -> None:
    with pytest.raises(TypeError):
        ONLINE.apply("loaded")  # type: ignore[arg-type]


def test_each_problem_has_a_short_phrase_for_the_status_line() -> None:
    state = run(ONLINE, LIVE_LIST, MARKETS_FAIL, STREAM_DOWN)
    assert [i.short for i in state.issues_newest_first] == ["list refresh failing",
                                                            "live prices down"]
