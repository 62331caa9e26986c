"""tui.services.backoff.Backoff: doubling delays, the ceiling, Retry-After and reset."""

from __future__ import annotations

import pytest

from tui.services.backoff import Backoff


def test_delays_double_up_to_the_ceiling() -> None:
    backoff = Backoff(0.5, 10.0)
    assert [backoff.next() for _ in range(7)] == [0.5, 1, 2, 4, 8, 10, 10]


def test_reset_starts_over_from_the_first_delay() -> None:
    backoff = Backoff(5.0, 300.0)
    assert [backoff.next() for _ in range(8)] == [5, 10, 20, 40, 80, 160, 300, 300]
    backoff.reset()
    assert backoff.next() == 5


def test_a_longer_retry_after_wins_and_still_advances_the_step() -> None:
    backoff = Backoff(5.0, 300.0)
    assert backoff.next(at_least=30) == 30
    assert backoff.next() == 10  # the step moved on as for any failure
    assert backoff.next(at_least=1) == 20  # a shorter request does not shorten the wait


def test_a_retry_after_beyond_the_ceiling_is_honored() -> None:
    backoff = Backoff(60.0, 1800.0)
    assert backoff.next(at_least=3600) == 3600
    assert backoff.next() == 120


@pytest.mark.parametrize(("first", "ceiling"), [(0.0, 10.0), (-1.0, 10.0), (20.0, 10.0)])
def test_a_nonsense_policy_is_refused(first: float, ceiling: float) -> None:
    with pytest.raises(ValueError, match="first <= ceiling"):
        Backoff(first, ceiling)
