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

# A whole terminal escape sequence, so that none of its parameters is left behind as
# text: OSC/DCS/SOS/PM/APC strings up to their BEL or ST terminator (an unterminated one
# up to the end of its line), CSI with its parameter and intermediate bytes and final
# byte, any other ESC sequence, and a lone ESC. The 7-bit (ESC ]) and C1 (0x9d) forms.
_ESCAPE_SEQUENCE = re.compile(
    r"(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c\n\r]*(?:\x07|\x1b\\|\x9c)?"
    r"|(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?"
    r"|\x1b[\x21-\x2f]*[\x30-\x7e]?"  # not ESC SP: an ESC before a space is a lone ESC
)
# What every escape sequence starts with: ESC or a C1 introducer. Searching for it first
# keeps the full pattern off the (many) strings that hold none.
_ESCAPE_START = re.compile(r"[\x1b\x90\x98\x9b-\x9f]")
# C0 controls except \t and \n, DEL, C1, and lone surrogates (valid in a Python str
# from JSON, but unstorable and unencodable).
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

    Removes terminal escape sequences whole, NFC-normalises, replaces the remaining
    control characters with spaces, drops bidi overrides and zero-width characters,
    collapses runs of blanks and truncates to `max_len` characters (with an ellipsis).
    `multiline` keeps newlines (descriptions, rules).
    """
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if _already_clean(text, multiline):
        return text if len(text) <= max_len else text[: max_len - 1].rstrip() + "…"
    if _ESCAPE_START.search(text) is not None:
        text = _ESCAPE_SEQUENCE.sub("", text)
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


def _already_clean(text: str, multiline: bool) -> bool:
    """True when cleaning would leave `text` as it is, found with a few string methods that
    run in C (most API text is like that, and the regular expressions cost 20 times more).
    Printable means no control, bidi, zero-width, surrogate or blank but the ASCII space;
    the rest are the spaces, newlines and normal form that cleaning would change."""
    lines = text.replace("\n", "") if multiline else text
    if not lines.isprintable() or "  " in text or text[:1] == " " or text[-1:] == " ":
        return False
    if multiline and (text[:1] == "\n" or text[-1:] == "\n" or " \n" in text
                      or "\n " in text or "\n\n\n" in text):
        return False
    return text.isascii() or unicodedata.is_normalized("NFC", text)


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
