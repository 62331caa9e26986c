"""The App keeps stored price history bounded: HistoryFeed (tui/history_feed.py) asks the
data source to compact once the first list shows, then every [history]
compact_every_min; a failure is a problem under `!`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from tests.fakedata import FakeData, make_markets
from tests.support import NOW, dash_config, main_screen, problems_text, settle, until
from tui.config import Config, HistoryConfig
from tui.history_feed import HistoryFeed

POLICY = HistoryConfig(full_days=3, hourly_days=30, compact_every_min=15)


def compactions(data: FakeData) -> list[tuple[Any, ...]]:
    return [call for call in data.calls if call[0] == "compact_history"]


async def test_the_app_compacts_history_once_the_first_list_shows(make_app: Any) -> None:
    data = FakeData(make_markets())
    config = Config(ui=dash_config().ui, history=POLICY)
    app = make_app(data, config)
    async with app.run_test(size=(160, 48)) as pilot:
        await until(pilot, lambda: compactions(data), "a compaction")
        await settle(app, pilot)
        assert compactions(data) == [("compact_history", NOW, POLICY)]
        assert main_screen(app).catalog.markets  # after the list, not instead of it


async def test_a_failed_compaction_is_a_problem_that_says_what(make_app: Any) -> None:
    data = FakeData(make_markets(),
                    failures={"compact_history": [RuntimeError("a bug")]})
    app = make_app(data)
    async with app.run_test(size=(160, 48)) as pilot:
        await until(pilot, lambda: compactions(data), "a compaction")
        await settle(app, pilot)
        assert "history not compacted" in main_screen(app).status.text
        problems = await problems_text(app, pilot)
        assert ("Could not compact the stored price history because of an unexpected error"
                in problems)


class Host:
    """What HistoryFeed asks of the App, recorded."""

    def __init__(self) -> None:
        self.workers: list[tuple[Callable[[], Awaitable[None]], str]] = []
        self.timers: list[tuple[float, Callable[[], object], str]] = []
        self.cleared: list[str] = []

    def clock(self) -> Any:
        return NOW

    def start_worker(self, work: Callable[[], Awaitable[None]], group: str, *,
                     exclusive: bool = True) -> None:
        self.workers.append((work, group))

    def every(self, seconds: float, callback: Callable[[], object], name: str) -> None:
        self.timers.append((seconds, callback, name))

    def succeeded(self, task: str) -> None:
        self.cleared.append(task)


async def test_the_feed_compacts_now_then_every_compact_every_min() -> None:
    host, data = Host(), FakeData(make_markets())
    feed = HistoryFeed(host, data, POLICY)  # type: ignore[arg-type]
    feed.start()
    feed.start()  # a second start changes nothing
    assert [group for _, group in host.workers] == ["history"]
    assert [(seconds, name) for seconds, _, name in host.timers] == [(15 * 60, "history-compact")]
    await host.workers[0][0]()
    assert compactions(data) == [("compact_history", NOW, POLICY)]
    assert host.cleared == ["history"]  # a problem of an earlier run goes
    host.timers[0][1]()  # the timer fires: another run
    assert [group for _, group in host.workers] == ["history", "history"]
