"""The market snapshot's JSON: msgspec both ways, and rows of older polydash versions."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from tests.unit.test_store import market
from tui import sanitize
from tui.market_json import market_to_dict
from tui.models import Market
from tui.store import Store
from tui.store.codec import (
    decode_market,
    decode_markets,
    market_json,
    market_rows,
    snapshot_change,
)


def test_a_market_round_trips_through_its_json() -> None:
    original = market(1)
    assert decode_market(market_json(original)) == original
    assert decode_market(market_json(original).encode()) == original


def test_rows_written_by_market_to_dict_still_load() -> None:
    # What polydash wrote before msgspec: market_to_dict with "price" and "url" as well.
    original = market(2, group_order=3, event_sort="price")
    old_row = json.dumps(market_to_dict(original), separators=(",", ":"))
    assert decode_market(old_row) == original


def test_a_row_msgspec_refuses_goes_the_careful_way() -> None:
    data = market_to_dict(market(3))
    data["end_date"] = "1798761600"  # epoch seconds: not a time to msgspec
    decoded = decode_market(json.dumps(data))
    assert decoded.end_date == datetime(2027, 1, 1, tzinfo=UTC)
    assert replace_end(decoded) == replace_end(market(3))


def replace_end(value: object) -> dict[str, object]:
    data = market_to_dict(value)  # type: ignore[arg-type]
    data.pop("end_date")
    return data


def test_a_lone_surrogate_is_stored_and_loads_back_equal() -> None:
    odd = market(4, question="Half a pair \ud83d here")
    assert decode_market(market_json(odd)) == odd


async def test_the_store_saves_and_loads_odd_text(store: Store) -> None:
    markets = [market(5, question="Half a pair \ud83d"), market(6)]
    await store.save_markets(markets, markets[0].updated_at)
    loaded, _ = await store.load_markets()
    assert loaded == markets
    assert await store.get_market(markets[0].id) == markets[0]


def test_decoded_markets_share_their_tags() -> None:
    rows = [(market_json(market(n)),) for n in range(3)]
    loaded = decode_markets(rows)
    assert loaded == [market(n) for n in range(3)]
    assert loaded[0].tags[0] is loaded[2].tags[0]


def stored_rows(markets: list[Market]) -> list[tuple[object, ...]]:
    """(position, id, digest) of `markets` as a save stores them."""
    return [(row[2], row[0], row[-1]) for row in market_rows(markets, 0, "then")]


def test_a_snapshot_change_writes_only_changed_or_moved_markets() -> None:
    before = [market(n) for n in range(5)]
    same = snapshot_change(before, stored_rows(before), "now")
    assert (same.stale, same.updates, same.rows, same.everything) == ([], [], [], False)
    # 1 changes in its place, 2 and 3 swap places, 4 is gone.
    after = [market(0), market(1, volume_24h=1.0), market(3), market(2)]
    change = snapshot_change(after, stored_rows(before), "now")
    assert change.stale == [2, 3, 4] and not change.everything
    assert [(update[0], update[1], update[-1]) for update in change.updates] == [
        (market(1).slug, "now", 1)]
    assert [(row[0], row[2]) for row in change.rows] == [(market(3).id, 2), (market(2).id, 3)]
    assert snapshot_change(after, [], "now").everything
    assert snapshot_change([market(7)], stored_rows(before), "now").everything


def test_a_row_without_a_digest_is_rewritten() -> None:
    """Rows saved before schema v6 have none."""
    stored = [(position, market_id, None) for position, market_id, _ in stored_rows([market(1)])]
    change = snapshot_change([market(1)], stored, "now")
    assert len(change.updates) == 1 and not change.rows


@pytest.mark.parametrize("text", [
    "Plain question?", "Two  spaces", " leading", "trailing ", "tab\there",
    "“Curly” quotes and é", "e\u0301 not NFC", "bidi \u202e here", "nbsp\u00a0inside",
    "\u00a0nbsp first", "line\nbreak", "para\n\nbreak", "three\n\n\nbreaks", "end\n",
    "line \nspace", "\n start", "esc \x1b[31m red", "zero\u200bwidth", "",
])
@pytest.mark.parametrize("multiline", [False, True])
def test_the_fast_path_of_clean_text_changes_no_answer(
        monkeypatch: pytest.MonkeyPatch, text: str, multiline: bool) -> None:
    fast = sanitize.clean_text(text, 12, multiline=multiline)
    monkeypatch.setattr(sanitize, "_already_clean", lambda _text, _multiline: False)
    assert fast == sanitize.clean_text(text, 12, multiline=multiline)


def test_clean_text_for_the_fast_path_is_returned_as_is() -> None:
    text = "“Yes” if the named individual wins.\n\nOtherwise “No”."
    assert sanitize.clean_text(text, 500, multiline=True) is text
