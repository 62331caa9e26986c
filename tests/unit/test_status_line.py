"""The status line's words, from the freshness model (no Textual app needed)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tui.view.freshness import Freshness, ListLoaded, ProblemRaised, StreamChanged
from tui.widgets.status import StatusState, problem_phrase, status_content

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def failing() -> Freshness:
    return (Freshness.starting(demo=False, offline=False)
            .apply(ListLoaded("live", NOW - timedelta(seconds=30)))
            .apply(ProblemRaised("markets", "Could not refresh the market list: Polymarket "
                                 "is rate limiting us.", NOW - timedelta(seconds=5),
                                 NOW + timedelta(seconds=12)))
            .apply(StreamChanged("DOWN", NOW, "socket closed")))


def test_the_problem_is_a_few_words_with_how_many_more() -> None:
    assert problem_phrase(failing(), NOW) == "live prices down, +1 more"


def test_the_retry_countdown_of_the_latest_problem() -> None:
    state = Freshness().apply(ProblemRaised("prices", "Could not refresh prices: 503.", NOW,
                                            NOW + timedelta(seconds=12)))
    assert problem_phrase(state, NOW) == "price refresh failing, retrying in 12 s"
    assert problem_phrase(state, NOW + timedelta(seconds=13)) == \
        "price refresh failing, retrying now"


def test_mode_count_view_and_sort_come_before_the_problem() -> None:
    state = StatusState(freshness=failing(), shown=12, total=480, view="Sports",
                        sort="by 24h volume", query="bitcoin")
    text = status_content(state, NOW).plain
    assert text.startswith(" CACHED  data from 30s ago · 12 of 480 markets · Sports · "
                           "filter “bitcoin” · by 24h volume  ⚠ live prices down")
    assert text.endswith("(! details)")
    assert "rate limiting" not in text  # the sentence is for `!`


def test_no_problem_no_warning() -> None:
    state = StatusState(freshness=Freshness.starting(demo=True, offline=False))
    assert "⚠" not in status_content(state, NOW).plain


def test_the_count_says_where_the_cursor_is() -> None:
    demo = Freshness.starting(demo=True, offline=False)
    text = status_content(StatusState(freshness=demo, shown=480, total=480, position=12),
                          NOW).plain
    assert "· 12/480 markets · All" in text
    text = status_content(StatusState(freshness=demo, shown=6, total=60, position=3), NOW).plain
    assert "· 3/6 of 60 markets ·" in text
    empty = status_content(StatusState(freshness=demo, shown=0, total=60, position=0), NOW)
    assert "· 0 of 60 markets ·" in empty.plain


def test_pinned_favorites_are_said() -> None:
    demo = Freshness.starting(demo=True, offline=False)
    pinned = StatusState(freshness=demo, sort="by 24h volume", pinned=True)
    assert status_content(pinned, NOW).plain.endswith("by 24h volume · ★ first")
    assert "★" not in status_content(StatusState(freshness=demo), NOW).plain


def test_a_narrow_line_keeps_the_key_to_the_problems() -> None:
    state = StatusState(freshness=failing(), shown=480, total=480, view="All",
                        sort="by 24h volume")
    full = status_content(state, NOW).plain
    for width in (len(full), 100, 90, 80, 60):
        text = status_content(state, NOW, width).plain
        assert text.startswith(" CACHED  data from 30s ago · 480 markets · All · by 24h volume")
        assert text.rstrip().endswith(("(! details)", "(!)", "!"))
        assert len(text) <= width or text.endswith("⚠ !")
    assert status_content(state, NOW, 100).plain.endswith("⚠ live prices down (! details)")
    assert status_content(state, NOW, 90).plain.endswith("⚠ live prices down (!)")
