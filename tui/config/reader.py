"""Reading a TOML config file into checked values, with errors a person can act on.

Generic over the schema (tui/config/__init__.py builds the dataclasses with it): the
file is read and parsed, every value is fetched through a typed getter of `TomlTable`
that raises ConfigError(file, line, message), and unknown keys become warnings.
tomllib keeps no positions, so `_Locator` finds the line of a table or key by scanning
the text.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tui.sanitize import clean_text

_TOML_LOCATION = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)\s*$")


class ConfigError(Exception):
    """A configuration problem: which file, which line (when known), and what is wrong."""

    def __init__(self, file: str, line: int | None, message: str) -> None:
        self.file = file
        self.line = line
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {self.message}"


def read_toml(file: Path) -> tuple[dict[str, Any], str]:
    """The parsed document and its text (for line numbers); raise ConfigError."""
    name = str(file)
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        raise ConfigError(name, None, "no such file") from None
    except IsADirectoryError:
        raise ConfigError(name, None, "is a directory, not a config file") from None
    except PermissionError:
        raise ConfigError(name, None, "cannot be read: permission denied") from None
    except OSError as exc:
        raise ConfigError(name, None, f"cannot be read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigError(name, line, "is not UTF-8 text") from None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        line, message = _toml_error(exc, text)
        raise ConfigError(name, line, f"is not valid TOML: {message}") from None


def _toml_error(exc: tomllib.TOMLDecodeError, text: str) -> tuple[int | None, str]:
    """Line and message of a TOML error (Python 3.14 has exc.lineno; 3.12 only the text)."""
    message = str(getattr(exc, "msg", None) or exc)
    line: int | None = getattr(exc, "lineno", None)
    match = _TOML_LOCATION.search(message)
    if match:
        message = message[: match.start()]
        if match.group(1):
            line = line or int(match.group(1))
            message += f" (column {match.group(2)})"
        else:
            line = line or max(1, text.count("\n") + (0 if text.endswith("\n") else 1))
            message += " (at the end of the file)"
    message = message.strip()
    return line, (message[:1].lower() + message[1:]) if message else "syntax error"


def kind_of(value: object) -> str:
    """'a string', 'a number', ... for error messages."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, datetime | date | time):
        return "a date"
    return type(value).__name__


def has_control(text: str) -> bool:
    return any(ord(ch) < 32 or 127 <= ord(ch) < 160 for ch in text)


def url_problem(value: str, schemes: tuple[str, ...]) -> str | None:
    """Why `value` is not an acceptable base URL, or None."""
    wanted = ("an " if schemes[0].startswith("h") else "a ") + " or ".join(
        f"{s}://" for s in schemes)
    shown = clean_text(value, 80)
    if has_control(value) or " " in value.strip():
        return f"must be {wanted} URL without spaces or control characters"
    try:
        parts = urlsplit(value.strip())
        parts.port  # noqa: B018 - raises ValueError on a junk port
    except ValueError:
        return f'must be {wanted} URL, got "{shown}"'
    if parts.scheme.lower() not in schemes or not parts.hostname:
        return f'must be {wanted} URL, got "{shown}"'
    if parts.username or parts.password:
        return "must not contain a user name or password"
    return None


def normal_url(value: str, *, base: bool = False) -> str:
    """Stripped; a base URL also loses a trailing slash so clients can append paths."""
    value = value.strip()
    return value.rstrip("/") if base else value


class ConfigFile:
    """One file being read: its name, a line locator and the warnings so far."""

    def __init__(self, file: str, text: str) -> None:
        self.file = file
        self.locator = _Locator(text)
        self.warnings: list[str] = []

    def line(self, table: tuple[str, ...], key: str | None, index: int | None = None) -> int | None:
        return self.locator.find(table, key, index)

    def warn(self, what: str, line: int | None) -> None:
        where = f"{self.file}:{line}" if line is not None else self.file
        self.warnings.append(f"{what} in {where}")

    def error(self, table: tuple[str, ...], key: str | None, message: str,
              index: int | None = None) -> ConfigError:
        return ConfigError(self.file, self.line(table, key, index), message)


class TomlTable:
    """One TOML table with typed getters; it remembers which keys were read."""

    def __init__(self, ctx: ConfigFile, path: tuple[str, ...], data: Mapping[str, Any],
                 index: int | None = None) -> None:
        self.ctx, self.path, self.data, self.index = ctx, path, data, index
        self.used: set[str] = set()

    @property
    def label(self) -> str:
        if self.index is None:
            return f"[{'.'.join(self.path)}]"
        return f"[[{'.'.join(self.path)}]] #{self.index + 1}"

    def line(self, key: str | None) -> int | None:
        found = self.ctx.line(self.path, key, self.index)
        if found is None and self.index is not None:
            # An inline array of tables: point at the array's own key.
            found = self.ctx.line(self.path[:-1], self.path[-1])
        return found

    def error(self, key: str | None, problem: str) -> ConfigError:
        subject = f"{self.label} {key}" if key else self.label
        return ConfigError(self.ctx.file, self.line(key), f"{subject} {problem}")

    def warn_unknown(self) -> None:
        for key in self.data:
            if key not in self.used:
                self.ctx.warn(f"unknown key {self.label} {key}", self.line(key))

    def _get(self, key: str, default: Any) -> Any:
        self.used.add(key)
        return self.data.get(key, default)

    def string(self, key: str, default: str, *, nonempty: bool = False) -> str:
        value = self._get(key, default)
        if not isinstance(value, str):
            raise self.error(key, f"must be a string, got {kind_of(value)}")
        if nonempty and not value.strip():
            raise self.error(key, "must not be empty")
        return value

    def number(self, key: str, default: float, bounds: tuple[float, float], *,
               unit: str = "seconds") -> float:
        value = self._get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.error(key, f"must be a number, got {kind_of(value)}")
        low, high = bounds
        if not low <= value <= high:
            raise self.error(key, f"must be between {_num(low)} and {_num(high)} {unit}, "
                             f"got {_num(value)}")
        return float(value)

    def boolean(self, key: str, default: bool) -> bool:
        value = self._get(key, default)
        if not isinstance(value, bool):
            raise self.error(key, f"must be true or false, got {kind_of(value)}")
        return value

    def url(self, key: str, default: str, schemes: tuple[str, ...], *,
            base: bool = False) -> str:
        value = self.string(key, default, nonempty=True)
        problem = url_problem(value, schemes)
        if problem:
            raise self.error(key, problem)
        return normal_url(value, base=base)

    def strings(self, key: str, default: tuple[str, ...]) -> tuple[str, ...]:
        value = self._get(key, list(default))
        if not isinstance(value, list):
            raise self.error(key, f"must be an array of strings, got {kind_of(value)}")
        for item in value:
            if not isinstance(item, str):
                raise self.error(key, f"must be an array of strings, but holds {kind_of(item)}")
        return tuple(value)

    def tables(self, key: str) -> list[TomlTable]:
        value = self._get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            shown = kind_of(value) if not isinstance(value, list) else "an array of other values"
            raise self.error(key, f"must be an array of tables ([[{'.'.join(self.path)}.{key}]]),"
                             f" got {shown}")
        return [TomlTable(self.ctx, (*self.path, key), item, index)
                for index, item in enumerate(value)]


def _num(value: float) -> str:
    return f"{value:g}"


# ---------------------------------------------------------------- line locator


_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"""^\s*((?:[A-Za-z0-9_\-]+|"[^"]*"|'[^']*')"""
                  r"""(?:\s*\.\s*(?:[A-Za-z0-9_\-]+|"[^"]*"|'[^']*'))*)\s*=""")


def _split_key(text: str) -> tuple[str, ...]:
    parts = re.findall(r"""[A-Za-z0-9_\-]+|"[^"]*"|'[^']*'""", text)
    return tuple(part.strip("\"'") for part in parts)


class _Locator:
    """Best-effort map from (table, key) to a line number of the TOML text.

    tomllib keeps no positions, so this scans the text: table headers, and `key =`
    lines under them. Multi-line strings can fool it; it then answers None or a
    nearby line, which only makes a message less precise.
    """

    def __init__(self, text: str) -> None:
        # (line, table path, occurrence of that header, key path or None for a header)
        self.entries: list[tuple[int, tuple[str, ...], int, tuple[str, ...] | None]] = []
        seen: dict[tuple[str, ...], int] = {}
        table: tuple[str, ...] = ()
        occurrence = 0
        for number, line in enumerate(text.splitlines(), start=1):
            header = _HEADER.match(line)
            if header:
                table = _split_key(header.group(2))
                occurrence = seen.get(table, -1) + 1
                seen[table] = occurrence
                self.entries.append((number, table, occurrence, None))
                continue
            key = _KEY.match(line)
            if key:
                self.entries.append((number, table, occurrence, _split_key(key.group(1))))

    def find(self, table: tuple[str, ...], key: str | None, index: int | None = None) -> int | None:
        wanted_index = 0 if index is None else index
        header_line = None
        for number, at, occurrence, keypath in self.entries:
            full = at + keypath if keypath else at
            if keypath is None and at == table and header_line is None and (
                    index is None or occurrence == wanted_index):
                header_line = number
            if key is None or keypath is None:
                continue
            if full == (*table, key) and (index is None or (at == table and
                                                            occurrence == wanted_index)):
                return number
        return header_line
