"""Cleaning of untrusted text and URLs (docs/news-and-links.md §4).

Every string that arrives from the network passes `clean_text` exactly once, at the
service boundary (models.py builders, news parsers). After that the text is inert:
no terminal escapes, no bidi tricks. It may still contain `[` and `]`, so the UI must
never hand it to a markup parser (docs/textual-notes.md §1).
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote, urlsplit, urlunsplit

# C0 controls except \t and \n, DEL, C1 (0x9b CSI and 0x9d OSC among them), and lone
# surrogates (valid in a Python str from JSON, but unstorable and unencodable).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
# Bidi overrides/isolates and zero-width characters that reorder or hide text.
_BIDI = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_SPACES = re.compile(r"[ \t]+")
_BLANK_LINES = re.compile(r"\n{3,}")
_URL_CONTROL = re.compile(r"[\x00-\x20\x7f-\x9f]")

DEFAULT_MAX_LEN = 300
LONG_TEXT_MAX_LEN = 20_000

POLYMARKET_HOSTS = frozenset({"polymarket.com"})
TRADINGVIEW_HOSTS = frozenset({"tradingview.com"})


def clean_text(value: object, max_len: int = DEFAULT_MAX_LEN, *, multiline: bool = False) -> str:
    """Return `value` as safe display text.

    NFC-normalises, replaces control characters with spaces, drops bidi overrides and
    zero-width characters, collapses runs of blanks and truncates to `max_len`
    characters (with an ellipsis). `multiline` keeps newlines (descriptions, rules).
    """
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if not text.isascii():  # ASCII needs no normalisation and holds no bidi characters
        text = _BIDI.sub("", unicodedata.normalize("NFC", text))
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        lines = (_SPACES.sub(" ", _CONTROL.sub(" ", line)).strip() for line in text.split("\n"))
        text = _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
    else:
        text = _CONTROL.sub(" ", text.replace("\n", " ").replace("\t", " "))
        text = _SPACES.sub(" ", text).strip()
    if len(text) > max_len:
        text = text[: max_len - 1].rstrip() + "…"
    return text


def safe_url(url: object, allowed_hosts: frozenset[str] | set[str] | None = None) -> str | None:
    """Return a normalised https URL, or None when `url` must not be opened or linked.

    Refuses: non-https schemes, control characters or spaces, credentials, a leading
    `-`, junk ports, overlong URLs, and (when `allowed_hosts` is given) any host that is
    not one of them or a subdomain of one.
    """
    if not isinstance(url, str) or not url or len(url) > 2048:
        return None
    if _URL_CONTROL.search(url) or url.startswith("-"):
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() != "https" or not parts.hostname:
        return None
    if parts.username or parts.password:
        return None
    host = parts.hostname.lower().rstrip(".")
    if allowed_hosts is not None and not any(
        host == allowed or host.endswith("." + allowed) for allowed in allowed_hosts
    ):
        return None
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return None
    netloc = ascii_host + (f":{port}" if port else "")
    return urlunsplit(
        (
            "https",
            netloc,
            quote(parts.path, safe="/%:@!$&'()*+,;=-._~"),
            quote(parts.query, safe="=&%:@!$'()*+,;/?-._~"),
            quote(parts.fragment, safe="=&%:@!$'()*+,;/?-._~"),
        )
    )
