"""Deterministic hashing and smooth value noise: the demo's only source of "randomness"
once the catalogue is built, so every request sees the same prices at the same minute."""

from __future__ import annotations

import math

_MASK = (1 << 64) - 1
_GOLDEN = 0x9E3779B97F4A7C15
_TO_UNIT = 2.0 / (1 << 53)


def mix(x: int) -> int:
    """splitmix64 finaliser: a fast, well-spread 64-bit hash."""
    x = (x + _GOLDEN) & _MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK
    return x ^ (x >> 31)


def stable_hash(*parts: int) -> int:
    h = 0x2545F4914F6CDD1D
    for part in parts:
        h = mix(h ^ (part & _MASK))
    return h


def knot(stream: int, n: int) -> int:
    """The n-th value of a hash stream: one mix, for the hot paths (prices, books)."""
    return mix((stream + n * _GOLDEN) & _MASK)


def _knot_unit(stream: int, n: int) -> float:
    return (knot(stream, n) >> 11) * _TO_UNIT - 1.0


# (knot spacing in minutes, amplitude in logit units, stream salt): weeks-long swings
# down to a five-minute wiggle, so every chart range has some shape.
_SCALES = tuple((period, amplitude, mix(period)) for period, amplitude in (
    (10080, 0.55), (1440, 0.3), (240, 0.14), (45, 0.06), (5, 0.025)))


def noise(key: int, minute: int) -> float:
    """Smooth value noise at several time scales, about -1..1 in total."""
    total = 0.0
    for period, amplitude, salt in _SCALES:
        stream = key ^ salt
        knot_index, rest = divmod(minute, period)
        a = _knot_unit(stream, knot_index)
        b = _knot_unit(stream, knot_index + 1)
        f = rest / period
        f = f * f * (3.0 - 2.0 * f)
        total += amplitude * (a + (b - a) * f)
    return total


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, x))))


def logit(p: float) -> float:
    p = min(0.999, max(0.001, p))
    return math.log(p / (1.0 - p))
