"""DetailFeed's book follows the chosen outcome: the websocket's book of that token when
it has one (and its later changes, not the other outcome's), else a /book snapshot."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, cast

from tests.fakedata import FakeData, make_markets
from tests.support import NOW
from tui.feeds import DetailFeed, PriceFeed
from tui.messages import BookLoaded
from tui.models import BookLevel, OrderBook
from tui.services.stream_protocol import BookUpdate


class StubHost:
    """Runs nothing by itself: the test awaits each worker the feed starts."""

    def __init__(self) -> None:
        self.delivered: list[Any] = []
        self.workers: list[Callable[[], Awaitable[None]]] = []

    def clock(self) -> Any:
        return NOW

    def deliver(self, message: Any) -> None:
        self.delivered.append(message)

    def start_worker(self, work: Callable[[], Awaitable[None]], group: str, *,
                     exclusive: bool = True) -> None:
        self.workers.append(work)

    def succeeded(self, task: str) -> None:
        pass


class StubStream:
    """The websocket's local books, by token."""

    def __init__(self, books: dict[str, OrderBook]) -> None:
        self.books = books

    def book(self, token_id: str, depth: int | None = None) -> OrderBook | None:
        return self.books.get(token_id)


def book_of(token: str, bid: float) -> OrderBook:
    return OrderBook(token, "0xcond", (BookLevel(bid, 10.0),), (BookLevel(bid + 0.01, 10.0),))


def books(host: StubHost) -> list[tuple[str | None, bool]]:
    return [(m.book.token_id if m.book else None, m.live) for m in host.delivered
            if isinstance(m, BookLoaded)]


async def test_the_detail_book_and_its_live_updates_follow_the_chosen_token() -> None:
    market = make_markets(8)[7]
    yes, no = (outcome.token_id for outcome in market.outcomes)
    host, data = StubHost(), FakeData([market])
    stream = StubStream({yes: book_of(yes, 0.40), no: book_of(no, 0.58)})
    live = PriceFeed(cast(Any, host), cast(Any, stream))
    feed = DetailFeed(cast(Any, host), data, live)

    feed.book(market)  # the default outcome: Yes
    await host.workers.pop()()
    feed.book(market, no)  # O: the No outcome, live from the websocket
    await host.workers.pop()()
    assert books(host) == [(yes, True), (no, True)]
    assert not [call for call in data.calls if call[0] == "book"]

    # From now on the No book's changes reach the detail, the Yes book's do not.
    host.delivered.clear()
    live._on_event(BookUpdate(yes, 1.0))
    live.flush()
    assert books(host) == []
    stream.books[no] = book_of(no, 0.57)
    live._on_event(BookUpdate(no, 2.0))
    live.flush()
    assert books(host) == [(no, True)]


async def test_without_a_live_book_the_snapshot_is_the_chosen_tokens() -> None:
    market = make_markets(8)[7]
    no = market.outcomes[1].token_id
    host, data = StubHost(), FakeData([market])
    feed = DetailFeed(cast(Any, host), data, PriceFeed(cast(Any, host), None))
    feed.book(market, no)
    await host.workers.pop()()
    assert data.calls == [("book", no)]
    assert books(host) == [(no, False)]
