"""Text sparklines for the market list: one string of block characters per row.

It runs once per visible row on every repaint, so it is a pure function with no
Textual import and no per-call allocation beyond the result.
"""

from __future__ import annotations

from collections.abc import Sequence

BARS = "▁▂▃▄▅▆▇█"
_TOP = len(BARS) - 1
_MIDDLE = BARS[len(BARS) // 2 - 1]


def resample_last(values: Sequence[float], width: int) -> list[float]:
    """Shrink `values` to at most `width` points, keeping the last value of each bucket.

    The last value of a bucket is what the price was at the end of that slice of
    time, so the newest point always survives and the line ends where the price is.
    """
    count = len(values)
    if count <= width:
        return list(values)
    # Bucket i covers values[floor(i*count/width) : floor((i+1)*count/width)].
    return [values[((i + 1) * count) // width - 1] for i in range(width)]


def sparkline_text(values: Sequence[float], width: int) -> str:
    """Block-character sparkline of `values`, exactly `width` cells (empty for no data).

    More points than cells are bucketed (last value per bucket); fewer are padded on
    the left with spaces so the newest point sits at the right edge. A flat series
    draws a row of middle bars rather than an empty baseline.
    """
    if width <= 0 or not values:
        return ""
    # NaN never reaches here from the parsers, but a crash in a row render would be worse.
    points = [value for value in resample_last(values, width) if value == value]
    if not points:
        return ""
    low = min(points)
    high = max(points)
    span = high - low
    if span <= 0:
        bars = _MIDDLE * len(points)
    else:
        scale = _TOP / span
        bars = "".join(BARS[round((value - low) * scale)] for value in points)
    return bars.rjust(width)
