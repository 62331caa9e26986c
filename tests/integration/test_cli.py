"""The headless commands, run as a user runs them: a subprocess, demo data, a temp DB."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.support import polydash, polydash_piped
from tui.cli import EXIT_PIPE

REQUIRED_KEYS = {
    "id", "slug", "event_slug", "question", "outcomes", "volume_24h", "volume", "liquidity",
    "end_date", "best_bid", "best_ask", "last_trade_price", "change_24h", "url", "updated_at",
}


def test_markets_json_has_the_documented_fields(db: Path, no_config: Path) -> None:
    result = polydash("markets", "--demo", "--limit", "120", "--format", "json", db=db,
                      config=no_config)
    assert result.returncode == 0, result.stderr
    items = json.loads(result.stdout)
    assert len(items) == 120  # more than one keyset page of 100
    assert REQUIRED_KEYS <= set(items[0])
    assert len({item["id"] for item in items}) == 120
    for item in items:
        assert item["url"].startswith("https://polymarket.com/event/")
        for outcome in item["outcomes"]:
            assert isinstance(outcome["token_id"], str) and outcome["token_id"].isdigit()
    volumes = [item["volume_24h"] for item in items]
    assert volumes == sorted(volumes, reverse=True)
    assert "DEMO" in result.stderr


@pytest.mark.parametrize("sort", ["liquidity", "end", "new", "change"])
def test_markets_sorts(db: Path, no_config: Path, sort: str) -> None:
    result = polydash("markets", "--demo", "--sort", sort, "--limit", "30", "--format", "json",
                      db=db, config=no_config)
    assert result.returncode == 0, result.stderr
    items = json.loads(result.stdout)
    assert len(items) == 30
    if sort == "liquidity":
        values = [i["liquidity"] for i in items]
        assert values == sorted(values, reverse=True)
    if sort == "end":
        values = [i["end_date"] for i in items]
        assert values == sorted(values)
    if sort == "change":
        values = [abs(i["change_24h"] or 0) for i in items]
        assert values == sorted(values, reverse=True)


def test_markets_csv_holds_plain_numbers_in_named_units(db: Path, no_config: Path) -> None:
    csv_out = polydash("markets", "--demo", "--limit", "5", "--format", "csv", db=db,
                       config=no_config)
    assert csv_out.returncode == 0, csv_out.stderr
    records = list(csv.DictReader(io.StringIO(csv_out.stdout)))
    assert list(records[0]) == ["question", "price_cents", "change_24h_cents", "volume_24h_usd",
                                "liquidity_usd", "end_date", "slug"]
    # The later runs read the copy the first one saved: demo prices move between processes.
    items = json.loads(polydash("markets", "--demo", "--offline", "--limit", "5", "--format",
                                "json", db=db, config=no_config).stdout)
    for record, item in zip(records, items, strict=True):
        assert float(record["price_cents"]) == pytest.approx(item["price"] * 100)
        change = item["change_24h"]  # of the first outcome; the CSV's is the leading one's
        if change is None:
            assert record["change_24h_cents"] == ""
        else:
            assert abs(float(record["change_24h_cents"])) == pytest.approx(abs(change) * 100)
        assert float(record["volume_24h_usd"]) == pytest.approx(item["volume_24h"])
    table = polydash("markets", "--demo", "--offline", "--limit", "5", db=db,
                     config=no_config)
    assert table.returncode == 0 and "Market" in table.stdout.splitlines()[0]
    assert f"{float(records[0]['price_cents']):.1f}¢" in table.stdout.splitlines()[2]


def test_a_closed_pipe_ends_quietly(db: Path, no_config: Path) -> None:
    """`polydash markets --format json | head -1`: the reader takes one line and goes;
    the output (a few hundred KB) is far more than the pipe holds, so the write fails."""
    process = polydash_piped("markets", "--demo", "--limit", "200", "--format", "json", db=db,
                             config=no_config)
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.readline() == "[\n"
    process.stdout.close()
    stderr = process.stderr.read()
    assert process.wait(timeout=120) == EXIT_PIPE != 1  # 1 means "API unreachable"
    assert stderr == "polydash: DEMO data, not real markets\n"


@pytest.mark.parametrize(("tag", "sentence"), [
    ("crypo", "unknown tag 'crypo': no market has it (did you mean crypto?)"),
    ("nosuchtag", "unknown tag 'nosuchtag': no market has it "
                  "(a tag is a slug such as politics or crypto)"),
])
def test_an_unknown_tag_exits_2_with_a_sentence(db: Path, no_config: Path, tag: str,
                                                sentence: str) -> None:
    result = polydash("markets", "--demo", "--tag", tag, db=db, config=no_config)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == f"polydash: {sentence}"


def test_markets_search_and_tag(db: Path, no_config: Path) -> None:
    tagged = polydash("markets", "--demo", "--tag", "crypto", "--limit", "10", "--format", "json",
                      db=db, config=no_config)
    assert tagged.returncode == 0, tagged.stderr
    items = json.loads(tagged.stdout)
    assert items and all("crypto" in {t["slug"] for t in i["tags"]} for i in items)
    word = items[0]["question"].split()[1]
    found = polydash("markets", "--demo", "--search", word, "--format", "json", db=db,
                     config=no_config)
    assert found.returncode == 0, found.stderr
    assert any(word.lower() in i["question"].lower() for i in json.loads(found.stdout))


def test_history_by_slug_id_and_token(db: Path, no_config: Path) -> None:
    first = json.loads(polydash("markets", "--demo", "--limit", "1", "--format", "json",
                                db=db, config=no_config).stdout)[0]
    token = first["outcomes"][0]["token_id"]
    for key in (first["slug"], first["id"], token):
        result = polydash("history", key, "--demo", "--range", "1w", "--format", "json", db=db,
                          config=no_config)
        assert result.returncode == 0, result.stderr
        points = json.loads(result.stdout)
        assert len(points) > 10
        assert {p["token_id"] for p in points} == {token}
        assert [p["t"] for p in points] == sorted(p["t"] for p in points)


def test_history_unknown_market_is_a_clear_error(db: Path, no_config: Path) -> None:
    result = polydash("history", "no-such-market-slug", "--demo", db=db, config=no_config)
    assert result.returncode == 2
    assert "no market 'no-such-market-slug'" in result.stderr
    assert "Traceback" not in result.stderr


def test_favorites_add_list_remove_and_offline(db: Path, no_config: Path) -> None:
    first = json.loads(polydash("markets", "--demo", "--limit", "1", "--format", "json",
                                db=db, config=no_config).stdout)[0]
    added = polydash("favorites", "add", first["slug"], "--demo", "--format", "json", db=db,
                     config=no_config)
    assert added.returncode == 0, added.stderr
    assert [f["market_id"] for f in json.loads(added.stdout)] == [first["id"]]
    offline = polydash("favorites", "list", "--offline", "--format", "json", db=db,
                       config=no_config)
    assert [f["market_id"] for f in json.loads(offline.stdout)] == [first["id"]]
    removed = polydash("favorites", "remove", first["id"], "--offline", "--format", "json",
                       db=db, config=no_config)
    assert removed.returncode == 0, removed.stderr
    assert json.loads(removed.stdout) == []
    again = polydash("favorites", "remove", first["id"], "--offline", db=db, config=no_config)
    assert again.returncode == 2 and "is not a favorite" in again.stderr


def test_offline_answers_from_sqlite_with_its_age(db: Path, no_config: Path) -> None:
    assert polydash("markets", "--demo", "--limit", "20", db=db, config=no_config).returncode == 0
    result = polydash("markets", "--offline", "--limit", "5", "--format", "json", db=db,
                      config=no_config)
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 5
    assert "offline" in result.stderr and "ago" in result.stderr


def test_unreachable_api_exits_1_naming_host_and_cache(db: Path, no_config: Path) -> None:
    polydash("markets", "--demo", "--limit", "20", db=db, config=no_config)
    env = {"POLYDASH_GAMMA_URL": "http://127.0.0.1:9", "POLYDASH_CLOB_URL": "http://127.0.0.1:9"}
    result = polydash("markets", "--limit", "5", db=db, env=env, config=no_config)
    assert result.returncode == 1
    message = result.stderr.strip()
    assert "127.0.0.1" in message and "Traceback" not in message
    assert "local copy holds 20 markets" in message and "--offline" in message
    assert len(message.splitlines()) == 1


def test_broken_config_exits_2_with_file_and_line(tmp_path: Path, db: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text("[api]\ntimeout_s = 5\n[refresh\nprices_s = 3\n")
    result = polydash("markets", "--demo", "--config", str(config), db=db)
    assert result.returncode == 2
    assert str(config) in result.stderr and ":3" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_file_that_is_not_a_database_exits_2_with_a_sentence(tmp_path: Path,
                                                               no_config: Path) -> None:
    bad = tmp_path / "notes.db"
    bad.write_text("these are my notes, not a database\n")
    result = polydash("favorites", "list", "--offline", db=bad, config=no_config)
    assert result.returncode == 2
    assert "is not a usable polydash database" in result.stderr
    assert "Traceback" not in result.stderr
    assert bad.read_text() == "these are my notes, not a database\n"
