"""The market snapshot's JSON: msgspec both ways, and rows of older polydash versions."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from tests.unit.test_store import market
from tui import sanitize
from tui.market_json import market_to_dict
from tui.store import Store
from tui.store.codec import decode_market, decode_markets, market_json, token_rows


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


def test_token_rows_come_in_token_order() -> None:
    rows = list(token_rows([market(9), market(1), market(5)]))
    assert rows == sorted(rows) and len(rows) == 6


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
