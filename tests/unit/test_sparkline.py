"""sparkline_text: block characters, bucketing, padding, flat and degenerate series."""

from __future__ import annotations

import pytest

from tui.widgets.sparkline import BARS, resample_last, sparkline_text


def test_rising_series_uses_every_bar_once() -> None:
    assert sparkline_text([1, 2, 3, 4, 5, 6, 7, 8], 8) == BARS


def test_falling_series_mirrors() -> None:
    assert sparkline_text([8, 7, 6, 5, 4, 3, 2, 1], 8) == BARS[::-1]


def test_lowest_and_highest_points_hit_the_ends() -> None:
    line = sparkline_text([0.30, 0.32, 0.31, 0.70, 0.50], 5)
    assert line[0] == "▁"
    assert line[3] == "█"


def test_no_data_is_empty_string() -> None:
    assert sparkline_text([], 10) == ""


@pytest.mark.parametrize("width", [0, -3])
def test_no_room_is_empty_string(width: int) -> None:
    assert sparkline_text([1.0, 2.0], width) == ""


def test_flat_series_draws_middle_bars() -> None:
    line = sparkline_text([0.42] * 5, 5)
    assert line == "▄▄▄▄▄"


def test_single_point_is_a_middle_bar_at_the_right_edge() -> None:
    assert sparkline_text([0.9], 4) == "   ▄"


def test_fewer_points_than_width_pad_left_to_width() -> None:
    line = sparkline_text([1, 2, 3], 7)
    assert len(line) == 7
    assert line.startswith("    ")
    assert line.endswith("█")


def test_more_points_than_width_are_bucketed_to_width() -> None:
    values = [float(i) for i in range(1000)]
    line = sparkline_text(values, 28)
    assert len(line) == 28
    assert line[-1] == "█"


def test_bucketing_keeps_the_last_value_of_each_bucket() -> None:
    # Two buckets of three: the last of each is 30 and 60.
    assert resample_last([10, 20, 30, 40, 50, 60], 2) == [30, 60]
    # Uneven buckets still end on the newest point.
    assert resample_last(list(range(10)), 3)[-1] == 9


def test_newest_spike_survives_bucketing() -> None:
    values = [0.5] * 99 + [0.9]
    assert sparkline_text(values, 10)[-1] == "█"


def test_nan_is_ignored_rather_than_crashing() -> None:
    line = sparkline_text([0.1, float("nan"), 0.9], 3)
    assert "█" in line and "▁" in line


def test_only_block_characters_and_spaces() -> None:
    line = sparkline_text([0.3, 0.1, 0.8, 0.5, 0.55, 0.2], 12)
    assert set(line) <= set(BARS) | {" "}
