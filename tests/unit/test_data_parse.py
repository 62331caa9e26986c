"""Data API v1 and Gamma comment payloads -> trader models (tui/services/data_parse.py)."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from tests.fakeapi_trader import data_fixture
from tui.models import Outcome
from tui.services.data_parse import (
    COMMENT_MAX_LEN,
    RowError,
    activity_list_from_api,
    comments_from_gamma,
    holder_groups_from_api,
    open_interest_from_api,
    positions_from_api,
    trader_from,
    trades_from_api,
    value_from_api,
)
from tui.trader_models import NAME_MAX_LEN

WALLET = "0x" + "ab" * 20


def trade_row(**extra: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "proxyWallet": WALLET.upper().replace("0X", "0x"), "side": "BUY", "asset": "123",
        "conditionId": "0x" + "1" * 64, "size": 10, "price": 0.5, "timestamp": 1783008527,
        "title": "T", "slug": "t", "outcome": "Yes", "outcomeIndex": 0, "name": "",
        "pseudonym": "", "transactionHash": "0x" + "2" * 64,
    }
    row.update(extra)
    return row


# ---------------------------------------------------------------- names


@pytest.mark.parametrize(("fields", "label"), [
    ({"name": "alice", "pseudonym": "Brave-Otter"}, "alice"),
    ({"name": "", "pseudonym": "Brave-Otter"}, "Brave-Otter"),
    ({"name": "alice", "pseudonym": "Brave-Otter", "displayUsernamePublic": False},
     "Brave-Otter"),
    ({"name": "0xAbAbabABabAbabaBABabABABABAbabABabABABab-1766317541188",
      "pseudonym": "Brave-Otter"}, "Brave-Otter"),
    ({"name": " ", "pseudonym": ""}, "0xabab…abab"),
    ({"name": None, "pseudonym": None}, "0xabab…abab"),
])
def test_the_shown_name_rule(fields: dict[str, Any], label: str) -> None:
    assert trader_from({"proxyWallet": WALLET, **fields}).label == label


def test_names_are_cleaned_capped_and_kept_literal() -> None:
    trader = trader_from({"proxyWallet": WALLET, "name": "[b]x[/b]\x1b[2J\u202eevil" + "y" * 99,
                          "pseudonym": "P\x07Q"})
    assert trader.name.startswith("[b]x[/b]evil") and len(trader.name) == NAME_MAX_LEN
    assert trader.pseudonym == "P Q"


def test_addresses_are_lowercased_and_junk_wallets_dropped() -> None:
    assert trader_from({"proxyWallet": "0xABCDEF" + "0" * 34}).wallet == "0xabcdef" + "0" * 34
    assert trader_from({"proxyWallet": "not-a-wallet"}).wallet == ""


# ---------------------------------------------------------------- trades


def test_a_recorded_trade() -> None:
    first, second = trades_from_api(data_fixture("data_trades_market_2026-07-02.json"))
    assert first.usd == pytest.approx(0.765 * 15)
    assert second.trader.pseudonym == "Enchanting-Populist"
    assert first.tx == "0x57e94d52987f4f169c0d2eab2f491a45b4a2747132d124d1173b672c9aeed505"


@pytest.mark.parametrize("bad", [
    {"price": 1.01}, {"price": -0.1}, {"price": float("nan")}, {"price": float("inf")},
    {"price": "abc"}, {"size": -1}, {"size": float("inf")}, {"timestamp": None},
    {"side": ""}, {"price": None},
])
def test_a_bad_trade_row_is_skipped_and_logged(bad: dict[str, Any],
                                               caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="polydash.data"):
        trades = trades_from_api([trade_row(**bad), trade_row(), "junk"])
    assert len(trades) == 1
    assert [r.name for r in caplog.records] == ["polydash.data", "polydash.data"]


def test_trade_fields_normalised() -> None:
    [trade] = trades_from_api([trade_row(asset=12345678901234567890, side="sell",
                                         price=0.8100000092466668)])
    assert trade.token_id == "12345678901234567890" and trade.side == "SELL"
    assert trade.price == 0.8100000092466668 and trade.trader.wallet == WALLET


def test_a_reply_that_is_not_a_list_is_an_error() -> None:
    with pytest.raises(RowError):
        trades_from_api({"error": "nope"})


# ---------------------------------------------------------------- holders, OI, value


def test_holder_groups_follow_the_market_outcomes() -> None:
    body = data_fixture("data_holders_2026-02.json")
    tokens = [group["token"] for group in body]
    outcomes = (Outcome("Up", None, tokens[1]), Outcome("Down", None, tokens[0]))
    groups = holder_groups_from_api(body, outcomes)
    assert [g.outcome for g in groups] == ["Up", "Down"]
    assert all(h.outcome == g.outcome for g in groups for h in g.holders)
    assert groups[1].total == pytest.approx(sum(h["amount"] for h in body[0]["holders"]))
    hidden = [h for g in groups for h in g.holders if h.trader.wallet.startswith("0x4200")]
    assert hidden and hidden[0].trader.name == ""


def test_holders_without_market_outcomes_use_the_index() -> None:
    body = [{"token": "7", "holders": [{"proxyWallet": WALLET, "amount": 3, "outcomeIndex": 999},
                                       {"proxyWallet": WALLET, "amount": -3}]}]
    [group] = holder_groups_from_api(body)
    assert group.outcome == "" and len(group.holders) == 1


def test_open_interest_and_value() -> None:
    assert open_interest_from_api([{"market": "0xAB", "value": 5}], "0xab") == 5.0
    assert open_interest_from_api([{"market": "0xab", "value": "NaN"}], "0xab") is None
    assert value_from_api(data_fixture("data_value_2026-04-21.json")) == 517349.941
    assert value_from_api([]) is None and value_from_api({"value": 3}) == 3.0


# ---------------------------------------------------------------- positions and activity


def test_positions_recorded_and_derived_fields() -> None:
    positions = positions_from_api(data_fixture("data_positions_first_rows_2026-04-20.json"))
    assert [p.pnl_pct for p in positions] == [85.4232, -1.371]
    row = {**data_fixture("data_positions_2026-03-29.json")[0], "currentValue": None,
           "initialValue": None, "cashPnl": None, "endDate": "1970-01-01"}
    [position] = positions_from_api([row])
    assert position.value == pytest.approx(461505.67 * 1)
    assert position.pnl == pytest.approx(461505.67 - 461505.67 * 0.518665)
    assert position.end_date is None


def test_activity_999_is_no_outcome_never_an_index() -> None:
    rows = activity_list_from_api(data_fixture("data_activity_redeem_2026-03-29.json"))
    assert {(a.type, a.outcome, a.side, a.price, a.token_id) for a in rows} == {
        ("REDEEM", None, None, None, "")}
    assert all(a.usd == a.size for a in rows)
    trade = {**data_fixture("data_activity_mixed_2026-04-21.json")[0], "outcomeIndex": 999}
    assert activity_list_from_api([trade])[0].outcome is None


# ---------------------------------------------------------------- comments


def test_comments_newest_first_multiline_capped() -> None:
    payload = data_fixture("rtds_comments_comment_created_docs_example.json")["payload"]
    newer = {**payload, "id": "9", "createdAt": "2025-07-26T00:00:00Z",
             "body": "a\r\nb\x1b[31m\n\n\n\nc" + "z" * 3000, "profile": None,
             "userAddress": WALLET, "reactionCount": 3}
    comments = comments_from_gamma([payload, newer, {"body": "no id"}])
    assert [c.id for c in comments] == ["9", "1763355"]
    assert comments[0].body.startswith("a\nb\n\nc") and len(comments[0].body) == COMMENT_MAX_LEN
    assert comments[0].author.label == "0xabab…abab" and comments[0].likes == 3
    assert comments[1].parent_id == "1763325"
