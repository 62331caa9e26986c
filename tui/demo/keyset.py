"""Keyset paging as Gamma's `/markets/keyset` and `/events/keyset` do it: `limit`
(default 20, at most 100), an opaque `after_cursor` from the previous page's
`next_cursor`, no `offset`, and no `next_cursor` on the last page.

A cursor holds the index of the next item and a fingerprint of the query it came from
(every parameter but `limit` and `after_cursor`), so a cursor used with other filters
or another order is refused, as Gamma refuses it. Pure: the demo transport and the
loopback fake API of the integration tests (tests/fakeapi.py) both page with it.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

DEFAULT_LIMIT = 20
MAX_LIMIT = 100

# A query's parameters as (name, value) pairs, repeated names allowed.
QueryItems = Iterable[tuple[str, str]]


class KeysetError(ValueError):
    """A paging request Gamma refuses with HTTP 422; the message is its `error` text."""


@dataclass(frozen=True, slots=True)
class KeysetPage:
    """Items [start:end] of the selection; `next_cursor` is None on the last page."""

    start: int
    end: int
    next_cursor: str | None


def keyset_page(params: QueryItems, total: int) -> KeysetPage:
    """The page of a `total`-item selection that a request's parameters ask for."""
    items = list(params)
    if any(name == "offset" for name, _ in items):
        raise KeysetError("offset is not allowed on keyset endpoints")
    limit = max(1, min(MAX_LIMIT, _limit(_first(items, "limit"))))
    fingerprint = query_fingerprint(items)
    start = decode_cursor(_first(items, "after_cursor") or "", fingerprint)
    end = min(total, start + limit)
    more = end < total
    return KeysetPage(start, end, encode_cursor(end, fingerprint) if more else None)


def query_fingerprint(params: QueryItems) -> str:
    """The query a keyset cursor belongs to (filters and order, not the page)."""
    items = sorted((k, v) for k, v in params if k not in ("after_cursor", "limit"))
    return hashlib.sha1(repr(items).encode(), usedforsecurity=False).hexdigest()[:16]


def encode_cursor(start: int, fingerprint: str) -> str:
    raw = json.dumps({"k": start, "q": fingerprint}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, fingerprint: str) -> int:
    """The index a cursor points at; 0 for no cursor. KeysetError when it is not one of
    ours or belongs to another query."""
    if not cursor:
        return 0
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        start, query = int(data["k"]), str(data["q"])
    except (ValueError, KeyError, TypeError):
        raise KeysetError("after_cursor is not valid") from None
    if query != fingerprint or start < 0:
        raise KeysetError("after_cursor does not belong to this query")
    return start


def _first(items: list[tuple[str, str]], name: str) -> str | None:
    return next((value for key, value in items if key == name), None)


def _limit(raw: str | None) -> int:
    if not raw:
        return DEFAULT_LIMIT
    try:
        return int(raw) or DEFAULT_LIMIT
    except ValueError:
        raise KeysetError("limit must be an integer") from None
