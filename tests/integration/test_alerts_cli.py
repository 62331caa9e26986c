"""`polydash alerts list|add|remove|log`, run as a user runs it: a subprocess on demo data
with a temp --db and an empty config file (POLYDASH_CONFIG)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.support import polydash


def first_market(db: Path, config: Path) -> dict[str, object]:
    result = polydash("markets", "--demo", "--limit", "1", "--format", "json", db=db,
                      config=config)
    assert result.returncode == 0, result.stderr
    return dict(json.loads(result.stdout)[0])


@pytest.fixture
def slug(db: Path, no_config: Path) -> str:
    return str(first_market(db, no_config)["slug"])


def alerts_json(db: Path, config: Path) -> list[dict[str, object]]:
    result = polydash("alerts", "list", "--format", "json", db=db, config=config)
    assert result.returncode == 0, result.stderr
    return list(json.loads(result.stdout))


def test_add_list_remove(db: Path, no_config: Path, slug: str) -> None:
    price = float(first_market(db, no_config)["price"])  # type: ignore[arg-type]
    above, below = round(min(price + 0.3, 0.99), 2), round(max(price - 0.2, 0.01), 2)
    for flags in (["--above", str(above)], ["--below", f"{below * 100:.0f}c"],
                  ["--move", "0.1", "--window", "1h"], ["--ends-within", "24h"]):
        result = polydash("alerts", "add", slug, *flags, "--demo", db=db, config=no_config)
        assert result.returncode == 0, result.stderr
        assert "added alert" in result.stderr
    items = alerts_json(db, no_config)
    assert [(i["kind"], i["threshold"], i["window_s"]) for i in items] == [
        ("above", above, None), ("below", pytest.approx(below), None), ("move", 0.1, 3600),
        ("ends", None, 86400)]
    assert all(i["armed"] is True and isinstance(i["token_id"], str) for i in items)
    assert items[0]["condition"] == f"crosses above {above * 100:.1f}¢"
    table = polydash("alerts", db=db, config=no_config)  # list is the default action
    assert table.returncode == 0 and "moves 10.0¢ within 1h" in table.stdout
    removed = polydash("alerts", "remove", str(items[1]["id"]), db=db, config=no_config)
    assert removed.returncode == 0, removed.stderr
    assert [i["id"] for i in alerts_json(db, no_config)] == [items[0]["id"], items[2]["id"],
                                                          items[3]["id"]]
    again = polydash("alerts", "remove", str(items[1]["id"]), db=db, config=no_config)
    assert again.returncode == 2 and "there is no alert" in again.stderr


@pytest.mark.parametrize(("args", "sentence"), [
    (["--above", "60"], "not a price between 0 and 1"),
    (["--move", "0.1", "--window", "forever"], "not a duration"),
    ([], "needs one of --above"),
])
def test_add_refuses_with_a_sentence(db: Path, no_config: Path, slug: str, args: list[str],
                                     sentence: str) -> None:
    result = polydash("alerts", "add", slug, *args, "--demo", db=db, config=no_config)
    assert result.returncode == 2 and sentence in result.stderr
    assert "Traceback" not in result.stderr


def test_add_refuses_a_level_already_crossed(db: Path, no_config: Path) -> None:
    market = first_market(db, no_config)
    price = float(market["price"])  # type: ignore[arg-type]
    level = round(max(price - 0.1, 0.01), 2)
    result = polydash("alerts", "add", str(market["slug"]), "--above", str(level), "--demo",
                      db=db, config=no_config)
    assert result.returncode == 2, result.stderr
    assert "so this alert would fire at once" in result.stderr
    assert alerts_json(db, no_config) == []


def test_usage_errors(db: Path, no_config: Path) -> None:
    unknown = polydash("alerts", "add", "no-such-market", "--above", "0.5", "--demo", db=db,
                       config=no_config)
    assert unknown.returncode == 2 and "no market 'no-such-market'" in unknown.stderr
    both = polydash("alerts", "add", "x", "--above", "0.5", "--below", "0.4", db=db,
                    config=no_config)
    assert both.returncode == 2 and "not allowed with" in both.stderr
    bad_id = polydash("alerts", "remove", "abc", db=db, config=no_config)
    assert bad_id.returncode == 2 and "alert id" in bad_id.stderr
    empty = polydash("alerts", "list", db=db, config=no_config)
    assert empty.returncode == 0 and "No alerts yet" in empty.stdout
    log = polydash("alerts", "log", "--format", "json", db=db, config=no_config)
    assert log.returncode == 0 and json.loads(log.stdout) == []


def test_the_log_keeps_the_firings_of_a_removed_alert(db: Path, no_config: Path,
                                                       slug: str) -> None:
    added = polydash("alerts", "add", slug, "--above", "0.99", "--demo", db=db, config=no_config)
    assert added.returncode == 0, added.stderr
    [alert] = alerts_json(db, no_config)
    payload = {"market": "Some market", "detail": "crossed above 99.0¢: now 99.5¢",
               "message": "Some market: crossed above 99.0¢: now 99.5¢"}
    with sqlite3.connect(db) as conn:  # a firing, as the dashboard would have logged it
        conn.execute("INSERT INTO alert_log (alert_id, fired_at, payload) VALUES (?, ?, ?)",
                     (alert["id"], "2026-03-01T12:00:00.000000Z", json.dumps(payload)))
    removed = polydash("alerts", "remove", str(alert["id"]), db=db, config=no_config)
    assert removed.returncode == 0, removed.stderr
    table = polydash("alerts", "log", db=db, config=no_config)
    assert table.returncode == 0, table.stderr
    assert "No alert has fired yet" not in table.stdout
    assert f"{alert['id']} (deleted)" in table.stdout
    [row] = [line for line in table.stdout.splitlines() if "(deleted)" in line]
    assert "crossed above 99.0¢: now 99.5¢" in row and row.endswith("Some market")
    [entry] = json.loads(polydash("alerts", "log", "--format", "json", db=db,
                                  config=no_config).stdout)
    assert entry["alert_id"] == alert["id"] and entry["alert_deleted"] is True
    assert entry["market"] == "Some market"
