"""tui/demo/keyset.py: Gamma-style keyset paging, shared by the demo and tests/fakeapi.py."""

from __future__ import annotations

import pytest

from tui.demo.keyset import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    KeysetError,
    encode_cursor,
    keyset_page,
    query_fingerprint,
)

QUERY = [("order", "volume24hr"), ("ascending", "false"), ("closed", "false")]


def walk(total: int, limit: str) -> list[tuple[int, int]]:
    """Every (start, end) page of `total` items, following next_cursor."""
    pages: list[tuple[int, int]] = []
    params = [*QUERY, ("limit", limit)]
    while True:
        page = keyset_page(params, total)
        pages.append((page.start, page.end))
        if page.next_cursor is None:
            return pages
        params = [*QUERY, ("limit", limit), ("after_cursor", page.next_cursor)]


def test_pages_cover_every_item_once_and_the_last_has_no_cursor() -> None:
    assert walk(250, "100") == [(0, 100), (100, 200), (200, 250)]
    assert walk(37, "37") == [(0, 37)]
    assert walk(0, "20") == [(0, 0)]


@pytest.mark.parametrize(("limit", "size"), [
    ("", DEFAULT_LIMIT), ("0", DEFAULT_LIMIT), ("-5", 1), ("7", 7), ("1000", MAX_LIMIT),
])
def test_limit_defaults_and_clamps(limit: str, size: int) -> None:
    page = keyset_page([("limit", limit)], 500)
    assert (page.start, page.end) == (0, size)


def test_no_limit_means_the_default() -> None:
    assert keyset_page([], 500).end == DEFAULT_LIMIT


def test_a_cursor_belongs_to_its_query() -> None:
    cursor = keyset_page([*QUERY, ("limit", "10")], 100).next_cursor
    assert cursor is not None
    # The page size may change between pages; the filters and order may not.
    assert keyset_page([*QUERY, ("limit", "5"), ("after_cursor", cursor)], 100).start == 10
    other = [("order", "endDate"), ("after_cursor", cursor)]
    with pytest.raises(KeysetError, match="does not belong to this query"):
        keyset_page(other, 100)


def test_the_fingerprint_ignores_order_of_parameters_and_the_page() -> None:
    reordered = [*reversed(QUERY), ("limit", "3"), ("after_cursor", "x")]
    assert query_fingerprint(reordered) == query_fingerprint(QUERY)
    assert query_fingerprint([*QUERY, ("tag_id", "21")]) != query_fingerprint(QUERY)


@pytest.mark.parametrize(("params", "message"), [
    ([("offset", "100")], "offset is not allowed"),
    ([("limit", "ten")], "limit must be an integer"),
    ([("after_cursor", "garbage!")], "after_cursor is not valid"),
    ([("after_cursor", encode_cursor(-1, query_fingerprint([])))], "does not belong"),
])
def test_refusals(params: list[tuple[str, str]], message: str) -> None:
    with pytest.raises(KeysetError, match=message):
        keyset_page(params, 100)
