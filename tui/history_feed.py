"""Bounded price history in the background: `HistoryFeed` compacts the stored history
(config [history], tui/store/retention.py) once the first list shows, then every
`compact_every_min` minutes.

It follows the feeds' rules (tui/feeds.py): the work runs in the App's worker group
`history`, and a failure becomes a problem in the App's one failure handler. A store
that keeps nothing (read-only, in memory) answers 0 and the feed stays quiet.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from tui.feeds import Host

if TYPE_CHECKING:
    from tui.config import HistoryConfig
    from tui.services.source import DataSource

log = logging.getLogger("polydash.history")

TASK = "history"


class HistoryFeed:
    def __init__(self, host: Host, data: DataSource, policy: HistoryConfig) -> None:
        self.host, self.data, self.policy = host, data, policy
        self._started = False

    def start(self) -> None:
        """Compact now, then every `compact_every_min` minutes (once: a second call is
        ignored)."""
        if self._started:
            return
        self._started = True
        self.compact()
        self.host.every(self.policy.compact_every_min * 60, self.compact, name="history-compact")

    def compact(self) -> None:
        # Exclusive: a run still going when the next is due is replaced, keeping what
        # it finished (the store commits a few tokens at a time).
        self.host.start_worker(self._compact, TASK)

    async def _compact(self) -> None:
        deleted = await self.data.compact_history(self.host.clock(), self.policy)
        if deleted:
            log.info("price history compacted: %d points deleted", deleted)
        self.host.succeeded(TASK)
