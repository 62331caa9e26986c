"""The log file: what went wrong (a dropped frame, a skipped market, a locked or damaged
database), kept so a person can report it.

Every command sets it up once, after reading the config: a rotating file (MAX_BYTES,
BACKUPS old files) in platformdirs' user log directory, `--log-file PATH` elsewhere,
`[log] level` for how much. Secrets (the NewsAPI key) are redacted from every record,
its arguments and its traceback before anything is written. The file is opened at the
first record (delay=True) and logging.handlers is imported only here, so start-up pays
for neither. The problems screen (`!`) shows the last lines with `tail`.

No textual or rich import.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from pathlib import Path

from tui.sanitize import clean_text

APP_LOGGER = "polydash"  # every module logs under polydash.<part>
LOG_FILE_NAME = "polydash.log"
MAX_BYTES = 1_000_000
BACKUPS = 3
REDACTED = "[redacted]"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
TAIL_BYTES = 16_384  # enough for the last few dozen lines, never the whole file
TAIL_LINE_MAX = 300

_active: Path | None = None  # the file this process writes, once set up


def default_log_path() -> Path:
    import platformdirs

    return platformdirs.user_log_path("polydash") / LOG_FILE_NAME


def active_log_path() -> Path | None:
    """The file this process logs to (None before setup, or when it could not be made)."""
    return _active


class RedactSecrets(logging.Filter):
    """Replaces each secret in a record (message, arguments, traceback) with REDACTED."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        # Very short values would redact ordinary words; real keys are long.
        self._secrets = tuple(s for s in secrets if len(s) >= 6)

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if not self._secrets:
            return True
        record.msg = self.redact(record.getMessage())
        record.args = None
        if record.exc_info:
            record.exc_text = self.redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def setup_logging(path: Path | None, level: str = "info",
                  secrets: Iterable[str] = ()) -> Path | None:
    """Send polydash's records to a rotating file (the default place when `path` is
    None); returns the file, or None when it cannot be written (said on stderr by the
    caller; the program runs on without a log)."""
    global _active
    from logging.handlers import RotatingFileHandler

    target = path if path is not None else default_log_path()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_dir() or not os.access(target.parent, os.W_OK):
            return None
        handler = RotatingFileHandler(target, maxBytes=MAX_BYTES, backupCount=BACKUPS,
                                      encoding="utf-8", delay=True)
    except OSError:
        return None
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(RedactSecrets(secrets))
    logger = logging.getLogger(APP_LOGGER)
    for old in [h for h in logger.handlers if isinstance(h, RotatingFileHandler)]:
        logger.removeHandler(old)  # a second setup (tests) replaces the first
        old.close()
    logger.addHandler(handler)
    logger.setLevel(level.upper())
    _active = target
    return target


def tail(path: Path | None, lines: int = 20) -> list[str]:
    """The last `lines` lines of the log, each cleaned (no controls or escape sequences:
    they quote network text) and cut to TAIL_LINE_MAX; [] when there is no file yet."""
    if path is None:
        return []
    try:
        with path.open("rb") as file:
            size = file.seek(0, os.SEEK_END)
            file.seek(max(0, size - TAIL_BYTES))
            data = file.read()
    except OSError:
        return []
    text = data.decode("utf-8", "replace").splitlines()
    if size > TAIL_BYTES:
        text = text[1:]  # the first line read is probably cut
    return [clean_text(line, TAIL_LINE_MAX) for line in text[-lines:] if line.strip()]
