"""The log file (tui/logs.py): where it goes, that it rotates, that a secret never reaches
it, and the cleaned last lines the problems screen shows."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from logging.handlers import RotatingFileHandler
from pathlib import Path

import pytest

from tui import logs
from tui.config import ConfigError, load_config
from tui.screens.problems import log_content

SECRET = "newsapi-secret-key-0123456789abcdef"


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    """A log set up for this test only; the handler is removed after."""
    path = tmp_path / "logs" / "polydash.log"
    yield path
    logger = logging.getLogger(logs.APP_LOGGER)
    for handler in [h for h in logger.handlers if isinstance(h, RotatingFileHandler)]:
        logger.removeHandler(handler)
        handler.close()
    logger.setLevel(logging.NOTSET)
    logs._active = None  # the problems screen of later tests shows no file


def test_records_go_to_the_file_with_time_level_and_source(log_file: Path) -> None:
    assert logs.setup_logging(log_file, "info") == log_file
    assert logs.active_log_path() == log_file
    logging.getLogger("polydash.models").warning("skipped market #%d: %s", 3, "no id")
    logging.getLogger("polydash.models").debug("not kept at info")
    text = log_file.read_text()
    assert "WARNING polydash.models: skipped market #3: no id" in text
    assert "not kept at info" not in text


def test_the_newsapi_key_never_reaches_the_file(log_file: Path) -> None:
    logs.setup_logging(log_file, "debug", secrets=(SECRET, ""))
    log = logging.getLogger("polydash.news")
    log.warning("GET https://newsapi.org/v2/everything?apiKey=%s failed", SECRET)
    log.info(f"key in the message itself: {SECRET}")
    try:
        raise ValueError(f"rejected X-Api-Key {SECRET}")
    except ValueError:
        log.exception("provider failed")
    text = log_file.read_text()
    assert SECRET not in text
    assert text.count(logs.REDACTED) == 3
    assert "Traceback" in text and "ValueError: rejected X-Api-Key [redacted]" in text


def test_the_file_rotates(log_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(logs, "MAX_BYTES", 400)
    logs.setup_logging(log_file, "info")
    for index in range(40):
        logging.getLogger("polydash.stream").warning("dropped frame %d", index)
    rotated = sorted(p.name for p in log_file.parent.iterdir())
    assert rotated == ["polydash.log", *(f"polydash.log.{i}" for i in range(1, logs.BACKUPS + 1))]
    assert log_file.stat().st_size <= 400


def test_no_log_when_the_place_cannot_be_written(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    assert logs.setup_logging(blocker / "polydash.log") is None


def test_the_default_place_is_the_user_log_dir() -> None:
    path = logs.default_log_path()
    assert path.name == "polydash.log" and "polydash" in path.parent.parts


def test_tail_gives_the_last_lines_cleaned(tmp_path: Path) -> None:
    path = tmp_path / "polydash.log"
    lines = [f"line {i}" for i in range(50)] + ["evil \x1b[31mred\x1b[0m \u202etxt.exe [b]x[/b]"]
    path.write_text("\n".join(lines) + "\n")
    last = logs.tail(path, 3)
    assert last == ["line 48", "line 49", "evil red txt.exe [b]x[/b]"]
    assert logs.tail(tmp_path / "none.log") == [] and logs.tail(None) == []


def test_tail_reads_only_the_end_of_a_big_file(tmp_path: Path) -> None:
    path = tmp_path / "polydash.log"
    path.write_text("x" * 100 + "\n" + "\n".join(f"row {i}" for i in range(20_000)) + "\n")
    assert logs.tail(path, 2) == ["row 19998", "row 19999"]


def test_the_problems_screen_names_the_file_and_shows_its_last_lines(tmp_path: Path) -> None:
    path = tmp_path / "polydash.log"
    path.write_text("2026-12-01 WARNING polydash.stream: dropped numbers [@click=app.quit]\n")
    text = log_content(path).plain
    assert f"Log: {path}" in text and "[@click=app.quit]" in text
    assert "No log file" in log_content(None).plain


@pytest.mark.parametrize(("text", "level"), [("", "info"), ('[log]\nlevel = "DEBUG"\n', "debug")])
def test_log_level_in_config(tmp_path: Path, text: str, level: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text)
    assert load_config(path, {}).log.level == level


def test_an_unknown_log_level_names_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[log]\nlevel = "loud"\n')
    with pytest.raises(ConfigError, match="must be one of debug, info, warning, error") as caught:
        load_config(path, {})
    assert str(path) in str(caught.value) and ":2" in str(caught.value)
