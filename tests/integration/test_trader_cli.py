"""`polydash trades | holders | comments | wallet | wallets`, run as a user runs them (a
subprocess) against tests/fakeapi.py and against --demo: JSON items, CSV, exit codes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.fakeapi import FakeApi, json_response
from tests.fakeapi_trader import MARKUP_NAME, NOISY_PRICE, WALLET
from tests.support import polydash
from tui.demo.trader import DEMO_WALLETS

MARKET = "fake-outcome-0"  # a generated Gamma market of the fake API


@pytest.fixture
def api_env(fake_api: FakeApi) -> dict[str, str]:
    return {"POLYDASH_GAMMA_URL": fake_api.url, "POLYDASH_CLOB_URL": fake_api.url,
            "POLYDASH_DATA_URL": fake_api.url}


def run_json(*args: str, db: Path, config: Path, env: dict[str, str] | None = None) -> object:
    result = polydash(*args, "--format", "json", db=db, config=config, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_trades_json_items_are_the_apis_numbers(db: Path, no_config: Path,
                                                api_env: dict[str, str],
                                                fake_api: FakeApi) -> None:
    items = run_json("trades", MARKET, "--limit", "30", db=db, config=no_config, env=api_env)
    assert isinstance(items, list) and len(items) == 6  # 3 hostile rows skipped
    assert fake_api.requests_to("/trades")[0].arg("limit") == "30"
    assert set(items[0]) == {"time", "side", "outcome", "price", "size", "usd", "wallet",
                             "name", "tx"}
    first, second, markup = items[:3]
    assert first["time"] == "2026-07-02T16:08:47Z" and first["name"] is None
    assert first["usd"] == pytest.approx(0.765 * 15)
    assert second["name"] == "NYC-NO.1-Jungle-FanYang"
    assert markup["name"] == MARKUP_NAME and markup["price"] == NOISY_PRICE
    assert all(item["wallet"] == item["wallet"].lower() for item in items)


def test_trades_csv_and_table(db: Path, no_config: Path, api_env: dict[str, str]) -> None:
    result = polydash("trades", MARKET, "--format", "csv", db=db, config=no_config, env=api_env)
    assert result.returncode == 0, result.stderr
    records = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(records[0]) == ["time", "side", "outcome", "price", "size", "usd", "wallet",
                                "name", "tx"]
    assert records[0]["name"] == ""  # null
    table = polydash("trades", MARKET, db=db, config=no_config, env=api_env)
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert lines[0].split()[:3] == ["Time", "(UTC)", "Side"] and "76.5¢" in lines[2]
    assert max(len(line) for line in lines) < 140  # the 3,000-character name is cut


def test_holders_items(db: Path, no_config: Path, api_env: dict[str, str]) -> None:
    items = run_json("holders", MARKET, db=db, config=no_config, env=api_env)
    assert isinstance(items, list) and len(items) == 11
    assert set(items[0]) == {"outcome", "token_id", "wallet", "name", "amount"}
    assert {i["outcome"] for i in items} == {"Yes", "No"}
    assert all(isinstance(i["token_id"], str) and i["token_id"].isdigit() for i in items)
    assert items[0]["name"] == "siick" and items[0]["amount"] == 10265.02456


def test_comments_items(db: Path, no_config: Path, api_env: dict[str, str],
                        fake_api: FakeApi) -> None:
    items = run_json("comments", MARKET, "--limit", "2", db=db, config=no_config, env=api_env)
    assert isinstance(items, list) and len(items) == 2
    assert set(items[0]) == {"time", "name", "body", "likes"}
    assert items[0]["body"].count("\n") == 3 and items[0]["likes"] == 7
    request = fake_api.requests_to("/comments")[0]
    assert request.arg("parent_entity_type") == "Event" and request.arg("limit") == "2"


def test_wallet_object(db: Path, no_config: Path, api_env: dict[str, str]) -> None:
    report = run_json("wallet", WALLET.upper().replace("0X", "0x"), db=db, config=no_config,
                      env=api_env)
    assert isinstance(report, dict)
    assert report["address"] == WALLET and report["value"] == 517349.941
    assert set(report["positions"][0]) == {"title", "slug", "outcome", "token_id", "size",
                                           "avg_price", "cur_price", "value", "pnl",
                                           "end_date"}
    assert set(report["activity"][0]) == {"time", "type", "title", "outcome", "side", "price",
                                          "size", "usd"}
    redeem = next(a for a in report["activity"] if a["type"] == "REDEEM")
    assert redeem["outcome"] is None and redeem["price"] is None and redeem["side"] is None


@pytest.mark.parametrize("address", ["0x123", "not an address", "0x" + "g" * 40])
def test_a_malformed_address_is_exit_2_with_one_line(db: Path, no_config: Path,
                                                     address: str) -> None:
    result = polydash("wallet", address, db=db, config=no_config,
                      env={"POLYDASH_DATA_URL": "http://127.0.0.1:9"})
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "is not a wallet address" in result.stderr


def test_an_address_the_api_refuses_is_exit_2(db: Path, no_config: Path,
                                              api_env: dict[str, str],
                                              fake_api: FakeApi) -> None:
    fake_api.enqueue("/positions", json_response({"error": "invalid user"}, 400))
    result = polydash("wallet", "0x" + "1" * 40, db=db, config=no_config, env=api_env)
    assert result.returncode == 2, result.stderr
    assert "does not accept 0x1111" in result.stderr and result.stderr.count("\n") == 1


def test_offline_network_commands_exit_1_but_wallets_list_works(db: Path,
                                                                no_config: Path) -> None:
    trades = polydash("trades", MARKET, "--offline", db=db, config=no_config)
    assert trades.returncode == 1
    assert trades.stderr.strip() == ("polydash: offline: trades come from the network and "
                                     "are not saved locally; run without --offline")
    listed = polydash("wallets", "list", "--offline", "--format", "json", db=db,
                      config=no_config)
    assert listed.returncode == 0 and json.loads(listed.stdout) == []


def test_saved_wallets_add_list_remove(db: Path, no_config: Path) -> None:
    address, label = DEMO_WALLETS[0]
    added = polydash("wallets", "add", address.upper().replace("0X", "0x"), "--label", label,
                     "--format", "json", db=db, config=no_config)
    assert added.returncode == 0, added.stderr
    [item] = json.loads(added.stdout)
    assert item["address"] == address and item["label"] == label
    assert item["added_at"].endswith("Z")
    bad = polydash("wallets", "add", "0xnope", db=db, config=no_config)
    assert bad.returncode == 2 and "is not a wallet address" in bad.stderr
    removed = polydash("wallets", "remove", address, "--format", "json", db=db,
                       config=no_config)
    assert removed.returncode == 0 and json.loads(removed.stdout) == []
    again = polydash("wallets", "remove", address, db=db, config=no_config)
    assert again.returncode == 2 and "is not a saved wallet" in again.stderr


def test_demo_trades_holders_comments_and_wallet(db: Path, no_config: Path) -> None:
    markets = run_json("markets", "--demo", "--limit", "1", db=db, config=no_config)
    assert isinstance(markets, list)
    slug = markets[0]["slug"]
    trades = run_json("trades", "--demo", slug, "--limit", "5", db=db, config=no_config)
    assert isinstance(trades, list) and len(trades) == 5
    assert {t["side"] for t in trades} <= {"BUY", "SELL"}
    holders = run_json("holders", "--demo", slug, db=db, config=no_config)
    assert isinstance(holders, list) and holders
    report = run_json("wallet", "--demo", DEMO_WALLETS[1][0], db=db, config=no_config)
    assert isinstance(report, dict) and report["positions"] and report["activity"]
