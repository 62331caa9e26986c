"""`polydash news` run as a user runs it: a subprocess, a temp DB, no user config."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.fakeapi import FakeApi
from tests.support import polydash

ITEM_KEYS = {"title", "url", "publisher", "published_at", "provider", "market_id", "score",
             "summary"}
ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")
PROVIDER = re.compile(r"^(gdelt|newsapi|google_news|rss:.+)$")


def news_json(*args: str, db: Path, config: Path) -> list[dict[str, object]]:
    result = polydash("news", *args, "--format", "json", db=db, config=config)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_news_demo_json(db: Path, no_config: Path) -> None:
    result = polydash("news", "--demo", "--format", "json", "--limit", "15", db=db,
                      config=no_config)
    assert result.returncode == 0, result.stderr
    assert "DEMO headlines" in result.stderr
    items = json.loads(result.stdout)
    assert 1 <= len(items) <= 15
    for item in items:
        assert ITEM_KEYS <= set(item)
        assert isinstance(item["title"], str) and item["title"]
        assert str(item["url"]).startswith("https://")
        assert item["published_at"] is None or ISO_UTC.match(str(item["published_at"]))
        assert PROVIDER.match(str(item["provider"]))
        assert isinstance(item["score"], float)
    stamps = [item["published_at"] for item in items if item["published_at"]]
    assert stamps == sorted(stamps, reverse=True)  # newest first


def test_news_for_a_market_then_offline(db: Path, no_config: Path) -> None:
    markets = json.loads(polydash("markets", "--demo", "--limit", "40", "--format", "json",
                                  db=db, config=no_config).stdout)
    crypto = next(m for m in markets if "Bitcoin" in str(m["question"]))
    items = news_json("--demo", "--market", str(crypto["slug"]), db=db, config=no_config)
    assert items
    assert {item["market_id"] for item in items} == {crypto["id"]}
    assert all(float(str(item["score"])) > 0 for item in items)

    offline = polydash("news", "--offline", "--market", str(crypto["slug"]), db=db,
                       config=no_config)
    assert offline.returncode == 0, offline.stderr
    assert re.search(r"offline: \d+ saved headlines for this market, newest .* ago",
                     offline.stderr)
    assert offline.stdout.splitlines()[0].split()[:3] == ["Age", "Publisher", "Headline"]


def test_offline_without_saved_news_says_so(db: Path, no_config: Path) -> None:
    result = polydash("news", "--offline", db=db, config=no_config)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "polydash: offline: there are no saved headlines for your favorites or general news "
        "yet (run `polydash news` once with a network connection)")


def test_no_source_answering_exits_1_and_mentions_saved_news(
        db: Path, no_config: Path, tmp_path: Path, fake_api: FakeApi) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text(f'[news]\nproviders = ["gdelt"]\n'
                      f'gdelt_url = "{fake_api.closed_url}/api/v2/doc/doc"\nrss_feeds = []\n')
    first = polydash("news", db=db, config=broken)
    assert first.returncode == 1
    assert first.stdout == ""
    assert re.fullmatch(
        r"polydash: no news source answered \(GDELT: could not connect to 127\.0\.0\.1 "
        r"\(connection refused\), next try in (1 min|\d+ s)\); there are no saved headlines "
        r"for your favorites or general news yet\.", first.stderr.strip()), first.stderr
    assert polydash("news", "--demo", db=db, config=no_config).returncode == 0
    second = polydash("news", db=db, config=broken)
    assert second.returncode == 1
    assert re.search(r"; \d+ saved headlines for your favorites or general news, newest .* ago "
                     r"\(use --offline to see them\)\.$", second.stderr.strip())


def test_unknown_market_is_a_usage_error(db: Path, no_config: Path) -> None:
    result = polydash("news", "--demo", "--market", "no-such-market-anywhere", db=db,
                      config=no_config)
    assert result.returncode == 2
    assert "no market 'no-such-market-anywhere'" in result.stderr


def test_news_help_lists_the_options(db: Path, no_config: Path) -> None:
    result = polydash("news", "--help", db=db, config=no_config)
    assert result.returncode == 0
    for option in ("--market", "--limit", "--format", "--demo", "--offline", "--config", "--db"):
        assert option in result.stdout
