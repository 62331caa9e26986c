"""Full garbage collections only while the user is idle."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class IdleCollector:
    """Full garbage collections only while the user is idle.

    With 20,000 markets loaded, one of Python's automatic full collections takes 50-300
    ms, and Textual's strips (their caches refer to themselves) make plenty of cyclic
    garbage, so they came often: random stalls while typing or scrolling. Here the
    automatic full pass is switched off (the young generations still run) and a full
    pass runs after `idle_s` without input; what survives it is frozen, so the next pass
    only walks what is new. Unfreezing first lets frozen objects that died be collected.
    """

    THRESHOLDS = (700, 10, 1_000_000)  # gen0 and gen1 as Python's defaults; no auto gen2

    def __init__(self, *, idle_s: float = 1.5, every_s: float = 60.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.idle_s, self.every_s, self.clock = idle_s, every_s, clock
        self.last_input = self.last_run = clock()
        self.pending = False

    def install(self) -> None:
        gc.set_threshold(*self.THRESHOLDS)

    def touched(self) -> None:
        self.last_input = self.clock()

    def soon(self) -> None:
        """Something big was allocated (a market list): collect at the next idle moment."""
        self.pending = True

    def due(self) -> bool:
        now = self.clock()
        if now - self.last_input < self.idle_s:
            return False
        return self.pending or now - self.last_run >= self.every_s

    def run(self) -> None:
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        self.last_run = self.clock()
        self.pending = False

    def maybe_run(self) -> bool:
        if self.due():
            self.run()
            return True
        return False


@contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """Without the cyclic GC meanwhile: building or decoding 20,000 markets makes some
    100,000 tracked objects, and the collections they set off walk every object made so
    far (a tenth to a third of the time). For code that makes no cyclic garbage."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
