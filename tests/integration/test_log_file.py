"""What a run leaves in the log file, and answers with nothing usable (issue 12), with
the real command line in a subprocess against tests/fakeapi.py."""

from __future__ import annotations

import json
from pathlib import Path

from tests.fakeapi import FakeApi, Fault, json_response
from tests.support import polydash

SECRET = "newsapi-secret-key-0123456789abcdef"


def api_env(fake_api: FakeApi, **extra: str) -> dict[str, str]:
    return {"POLYDASH_GAMMA_URL": fake_api.url, "POLYDASH_CLOB_URL": fake_api.url, **extra}


def test_a_run_logs_the_skipped_markets_and_never_the_newsapi_key(
        fake_api: FakeApi, db: Path, no_config: Path, tmp_path: Path) -> None:
    fake_api.inject("/markets/keyset", Fault.BAD_ITEM)
    log = tmp_path / "run" / "polydash.log"
    result = polydash("markets", "--limit", "5", "--format", "json", "--log-file", str(log),
                      db=db, config=no_config,
                      env=api_env(fake_api, POLYDASH_NEWSAPI_KEY=SECRET))
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 5
    text = log.read_text()
    assert "INFO polydash.cli: polydash" in text and ": markets" in text
    assert "WARNING polydash.models: skipped" in text and "market #1" in text
    assert SECRET not in text


def test_the_log_goes_where_the_environment_says_by_default(
        db: Path, no_config: Path) -> None:
    result = polydash("favorites", "list", "--offline", db=db, config=no_config)
    assert result.returncode == 0, result.stderr
    log = no_config.parent / "polydash.log"  # tests.support sets $POLYDASH_LOG_FILE
    assert "polydash.cli" in log.read_text()


def test_log_level_from_the_config_file(fake_api: FakeApi, db: Path, tmp_path: Path) -> None:
    fake_api.inject("/markets/keyset", Fault.BAD_ITEM)
    config = tmp_path / "quiet.toml"
    config.write_text('[log]\nlevel = "error"\n')
    result = polydash("markets", "--limit", "5", db=db, config=config, env=api_env(fake_api))
    assert result.returncode == 0, result.stderr
    log = tmp_path / "polydash.log"
    assert not log.exists() or "skipped" not in log.read_text()


def test_a_reply_where_no_market_can_be_read_is_not_an_empty_list(
        fake_api: FakeApi, db: Path, no_config: Path) -> None:
    junk = {"markets": [None, {"id": "1"}, {"question": "no id?"}, 7], "next_cursor": None}
    fake_api.route("GET", "/markets/keyset", lambda request: json_response(junk))
    result = polydash("markets", "--format", "json", db=db, config=no_config,
                      env=api_env(fake_api))
    assert result.returncode == 1
    assert result.stdout == ""
    [line] = result.stderr.strip().splitlines()
    assert "127.0.0.1 answered /markets/keyset, but none of its 4 markets could be read" in line
    assert "Traceback" not in result.stderr


def test_a_directory_given_as_config_is_called_a_directory(tmp_path: Path, db: Path) -> None:
    folder = tmp_path / "conf.d"
    folder.mkdir()
    result = polydash("markets", "--demo", "--config", str(folder), db=db)
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert str(folder) in line and "is a directory" in line and "no such file" not in line
