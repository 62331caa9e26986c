"""Data API (v1) and Gamma `/comments` routes for tests/fakeapi.py.

By default they serve the recorded payloads in tests/fixtures/polymarket/data_api with
made-up hostile rows mixed in (ADVERSARIAL_*: empty and default `0x…-<ms>` names,
markup, escape sequences, bidi controls, a 3,000-character name, REDEEM rows with
`outcomeIndex` 999 and an empty `asset`, float noise, NaN-ish and out-of-range prices).
A `user` that is not an address gets the 400 `{"error": ...}` a v1 route gives; faults
(429 with Retry-After, 500, ...) come from FakeApi.inject as on every route.
Tests change what is served through `FakeApi.trader` (a TraderRoutes).
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tests.support import polymarket_fixture

if TYPE_CHECKING:
    from tests.fakeapi import FakeApi, Request, Response

_ADDRESS = re.compile(r"0x[0-9a-fA-F]{40}")

# Recorded markets (see tests/fixtures/polymarket/data_api/README.md).
TRADES_MARKET = "0xc5943cca27ce657f519619520b1664829b1209f9a5ef9266be7f2954be1b0260"
HOLDERS_MARKET = "0xaf9d0e448129a9f657f851d49495ba4742055d80e0ef1166ba0ee81d4d594214"
OI_MARKET = "0x1fad72fae204143ff1c3035e99e7c0f65ea8d5cd9bd1070987bd1a3316f772be"
WALLET = "0x2005d16a84ceefa912d4e380cd32e7ff827875ea"
HOSTILE_WALLET = "0x" + "e" * 40
DEFAULT_NAME = "0xEeEeeEeEeeEEeEeeeeEeeEEeEeEeeEeEeEEEeeee-1766317541188"
LONG_NAME = "W" * 3000
MARKUP_NAME = "[bold red]pwn[/] [@click=app.quit]x[/]"
ESCAPE_NAME = "\x1b]8;;https://evil.example\x07click\x1b]8;;\x07\x1b[31m red\u202eevil"
NOISY_PRICE = 0.8100000092466668


def data_fixture(name: str) -> Any:
    return polymarket_fixture(f"data_api/{name}")


def _trade(**extra: Any) -> dict[str, Any]:
    """A made-up v1 trade row on TRADES_MARKET; `extra` overrides fields."""
    row: dict[str, Any] = {
        "proxyWallet": HOSTILE_WALLET, "side": "SELL",
        "asset": "110474601866909537724044216141585040787927916157559633438159999666255694855775",
        "conditionId": TRADES_MARKET, "size": 3, "price": NOISY_PRICE,
        "timestamp": 1783008520, "title": "Will Spain win on 2026-07-02?",
        "slug": "fifwc-esp-aut-2026-07-02-esp", "icon": "", "eventSlug": "fifwc-esp-aut-2026-07-02",
        "outcome": "Yes", "outcomeIndex": 0, "name": MARKUP_NAME, "pseudonym": "Odd-Fellow",
        "bio": ESCAPE_NAME, "profileImage": "", "profileImageOptimized": "",
        "transactionHash": "0x" + "ab" * 32,
    }
    row.update(extra)
    return row


# Made up: the tape must show these literally (or skip them, where marked).
ADVERSARIAL_TRADES: list[dict[str, Any]] = [
    _trade(),
    _trade(name=DEFAULT_NAME, pseudonym="", proxyWallet="0x" + "D" * 40,
           transactionHash="0x" + "cd" * 32, timestamp=1783008510),
    _trade(name=LONG_NAME, transactionHash="0x" + "ef" * 32, timestamp=1783008500),
    _trade(name=ESCAPE_NAME, transactionHash="0x" + "12" * 32, timestamp=1783008490),
    _trade(price=1.5, transactionHash="0x" + "34" * 32),  # skipped: price above 1
    _trade(size=-4, transactionHash="0x" + "56" * 32),  # skipped: negative size
    _trade(price="NaN", transactionHash="0x" + "78" * 32),  # skipped: not a number
]
ADVERSARIAL_ACTIVITY: list[dict[str, Any]] = [
    {**data_fixture("data_activity_redeem_2026-03-29.json")[0], "proxyWallet": WALLET,
     "timestamp": 1776748000, "name": MARKUP_NAME, "title": ESCAPE_NAME},
]
ADVERSARIAL_HOLDERS: list[dict[str, Any]] = [
    {"proxyWallet": HOSTILE_WALLET, "bio": ESCAPE_NAME,
     "asset": "101676997363687199724245607342877036148401850938023978421879460310389391082353",
     "pseudonym": "", "amount": 12.5, "displayUsernamePublic": True, "outcomeIndex": 0,
     "name": LONG_NAME, "profileImage": "", "profileImageOptimized": "", "verified": False},
    {"proxyWallet": "0x" + "f" * 40, "bio": "",
     "asset": "101676997363687199724245607342877036148401850938023978421879460310389391082353",
     "pseudonym": "Never-Shown", "amount": float("inf"), "displayUsernamePublic": True,
     "outcomeIndex": 0, "name": "infinite", "profileImage": "", "profileImageOptimized": "",
     "verified": False},  # skipped: infinite amount (sent as the JSON token Infinity)
]


def gamma_comments() -> list[dict[str, Any]]:
    """The docs' comment object (the only full one recorded) and made-up hostile ones,
    newest first as Gamma sends them."""
    recorded = data_fixture("rtds_comments_comment_created_docs_example.json")["payload"]
    hostile = {
        **recorded, "id": "1763400", "parentCommentID": None,
        "createdAt": "2025-07-26T09:00:00.5Z",
        "body": f"line one {MARKUP_NAME}\nline two {ESCAPE_NAME}\r\n\n\n\nline three",
        "reactionCount": 7,
        "profile": {**recorded["profile"], "name": LONG_NAME, "pseudonym": "Loud-Parrot"},
    }
    hidden = {
        **recorded, "id": "1763390", "parentCommentID": "", "body": "x" * 5000,
        "createdAt": "2025-07-26T08:00:00Z", "reactionCount": None,
        "profile": {**recorded["profile"], "name": "secret", "displayUsernamePublic": False},
    }
    return [hostile, hidden, recorded]


@dataclass
class TraderRoutes:
    """What the Data API routes answer; tests replace any of these lists."""

    trades: list[dict[str, Any]] = field(default_factory=lambda: [
        *data_fixture("data_trades_market_2026-07-02.json"), *copy.deepcopy(ADVERSARIAL_TRADES)])
    holders: list[dict[str, Any]] = field(default_factory=lambda: _holders_with_adversarial())
    oi: list[dict[str, Any]] = field(default_factory=lambda: data_fixture("data_oi_undated.json"))
    positions: list[dict[str, Any]] = field(default_factory=lambda: [
        *data_fixture("data_positions_2026-03-29.json"),
        *data_fixture("data_positions_first_rows_2026-04-20.json")])
    activity: list[dict[str, Any]] = field(default_factory=lambda: [
        *data_fixture("data_activity_mixed_2026-04-21.json"),
        *data_fixture("data_activity_redeem_2026-03-29.json"),
        *copy.deepcopy(ADVERSARIAL_ACTIVITY)])
    value: list[dict[str, Any]] = field(
        default_factory=lambda: data_fixture("data_value_2026-04-21.json"))
    comments: list[dict[str, Any]] = field(default_factory=gamma_comments)

    def install(self, api: FakeApi) -> None:
        api.route("GET", "/trades", self._trades)
        api.route("GET", "/holders", self._holders)
        api.route("GET", "/oi", self._oi)
        api.route("GET", "/positions", self._wallet_route("positions"))
        api.route("GET", "/activity", self._wallet_route("activity"))
        api.route("GET", "/value", self._wallet_route("value"))
        api.route("GET", "/comments", self._comments)

    def _trades(self, request: Request) -> Response:
        if not request.arg("market"):
            return _no_market()
        return _json(self.trades[:int(request.arg("limit") or 100)])

    def _holders(self, request: Request) -> Response:
        return _json(self.holders) if request.arg("market") else _no_market()

    def _oi(self, request: Request) -> Response:
        market = (request.arg("market") or "").lower()
        return _json([row for row in self.oi if str(row.get("market", "")).lower() == market])

    def _wallet_route(self, name: str) -> Any:
        def handler(request: Request) -> Response:
            user = request.arg("user") or ""
            if _ADDRESS.fullmatch(user) is None:
                return _error(400, f"invalid user address: {user[:60]}")
            return _json(getattr(self, name))
        return handler

    def _comments(self, request: Request) -> Response:
        if request.arg("parent_entity_type") != "Event" or not request.arg("parent_entity_id"):
            return _error(422, "parent_entity_type and parent_entity_id are required")
        return _json(self.comments[:int(request.arg("limit") or 100)])


def _holders_with_adversarial() -> list[dict[str, Any]]:
    groups = data_fixture("data_holders_2026-02.json")
    groups[0]["holders"].extend(copy.deepcopy(ADVERSARIAL_HOLDERS))
    return groups


def _no_market() -> Response:
    return _error(400, "required query param 'market' not provided")


def _json(payload: Any) -> Response:
    from tests.fakeapi import json_response

    return json_response(payload)


def _error(status: int, message: str) -> Response:
    from tests.fakeapi import json_response

    return json_response({"error": message}, status)
