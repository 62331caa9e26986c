"""clean_text makes network text inert; safe_url lets only https links to allowed hosts out."""

from __future__ import annotations

import pytest

from tui.sanitize import POLYMARKET_HOSTS, TRADINGVIEW_HOSTS, clean_text, safe_url

# ---------------------------------------------------------------- clean_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a\x1b[31mred\x1b[0m", "ared"),  # whole sequences gone: no colour, no residue
        ("x\x9b31m", "x"),  # C1 CSI
        ("\x9d8;;https://evil.example\x07link", "link"),  # C1 OSC 8
        ("bell\x07 and nul\x00", "bell and nul"),
        ("del\x7fete", "del ete"),
        ("abc\u202edcba", "abcdcba"),  # right-to-left override
        ("\u2066iso\u2069late", "isolate"),  # bidi isolates
        ("zero\u200bwidth\u200djoin", "zerowidthjoin"),
        ("\ufeffbom", "bom"),
        ("e\u0301", "\u00e9"),  # NFC
        ("  a  \t b \n c  ", "a b c"),
        ("[/b] [@click=app.quit] [R]", "[/b] [@click=app.quit] [R]"),  # inert, not escaped
    ],
)
def test_clean_text_neutralises_terminal_tricks(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # The reported title: OSC (window title) ended by BEL, CSI clear screen, CSI colour.
        ("Will \x1b]2;PWNED\x07\x1b[2J\x1b[31mBTC", "Will BTC"),
        ("Will \x1b]2;PWNED\x1b\\BTC", "Will BTC"),  # OSC ended by ST (ESC \\)
        ("Will \x9d2;PWNED\x9cBTC", "Will BTC"),  # C1 OSC ended by C1 ST
        ("a \x1b]8;;https://evil.example\x07link\x1b]8;;\x07 b", "a link b"),  # OSC 8
        ("up\x1b[1;31;48;5;200mdown\x1b[?1049h", "updown"),  # CSI with parameters
        ("\x1b[2J\x1b[H\x1b[3A\x1b[>0q text", "text"),
        ("\x1bP1$r0m\x1b\\ok", "ok"),  # DCS
        ("\x1b_apc\x07 x \x1b^pm\x1b\\ y", "x y"),  # APC, PM
        ("reset\x1bc here \x1b(B done", "reset here done"),  # two-byte and nF escapes
        ("lone\x1b", "lone"), ("a \x1b\u00e9", "a \u00e9"), ("a\x1b b", "a b"),  # lone ESC
        ("title \x1b]2;never ended", "title"),  # unterminated: to the end of its line
    ],
)
def test_clean_text_removes_whole_escape_sequences(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


def test_an_unterminated_sequence_stops_at_the_line_end() -> None:
    assert clean_text("one\x1b]2;junk\ntwo \x1b[31m", multiline=True) == "one\ntwo"


def test_clean_text_of_nothing_and_non_strings() -> None:
    assert clean_text(None) == ""
    assert clean_text(42) == "42"
    assert clean_text(0.5) == "0.5"


def test_clean_text_truncates_with_an_ellipsis_to_exactly_max_len() -> None:
    cleaned = clean_text("x" * 50, 8)
    assert cleaned == "xxxxxxx…"
    assert len(cleaned) == 8
    assert clean_text("x" * 8, 8) == "x" * 8


def test_clean_text_default_length_is_bounded() -> None:
    assert len(clean_text("y" * 10_000)) == 300


def test_clean_text_multiline_keeps_paragraphs_and_drops_controls() -> None:
    raw = "line 1\r\nline\x1b 2\rline 3\n\n\n\n\nafter   gap\x07 "
    assert clean_text(raw, multiline=True) == "line 1\nline 2\nline 3\n\nafter gap"


def test_clean_text_single_line_folds_newlines() -> None:
    assert clean_text("one\n\ntwo\tthree") == "one two three"


def test_clean_text_is_idempotent() -> None:
    hostile = "\u202e\x1b]8;;https://x\x07Click\x1b]8;;\x07  me\u200b"
    once = clean_text(hostile)
    assert clean_text(once) == once


# ---------------------------------------------------------------- safe_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://polymarket.com/event/x", "https://polymarket.com/event/x"),
        ("HTTPS://polymarket.com/ok", "https://polymarket.com/ok"),
        ("https://POLYMARKET.COM./x", "https://polymarket.com/x"),
        ("https://www.polymarket.com/event/x?tid=1#f", "https://www.polymarket.com/event/x?tid=1#f"),
        ("https://polymarket.com/%C3%A9", "https://polymarket.com/%C3%A9"),
        ("https://polymarket.com/\u00e9", "https://polymarket.com/%C3%A9"),
    ],
)
def test_safe_url_accepts_and_normalises_https(url: str, expected: str) -> None:
    assert safe_url(url, POLYMARKET_HOSTS) == expected


@pytest.mark.parametrize(
    "url",
    [
        "http://polymarket.com/event/x",  # not https
        "javascript:alert(1)",
        "file:///etc/passwd",
        "https://user:pw@polymarket.com/",  # credentials
        "https://polymarket.com/a b",  # space
        "https://polymarket.com/\x1b[31m",  # control character
        "-https://polymarket.com",  # would read as an option to an opener
        "https://polymarket.com:99999/",  # junk port
        "https://" + "a" * 2100 + ".com/",  # overlong
        "https:///nohost",
        "",
    ],
)
def test_safe_url_refuses_unsafe_urls(url: str) -> None:
    assert safe_url(url) is None


@pytest.mark.parametrize(
    "url",
    ["https://evilpolymarket.com/", "https://polymarket.com.evil.com/", "https://tradingview.com/"],
)
def test_safe_url_allow_list_is_exact_or_subdomain(url: str) -> None:
    assert safe_url(url, POLYMARKET_HOSTS) is None


def test_safe_url_subdomains_of_allowed_hosts_pass() -> None:
    assert safe_url("https://www.tradingview.com/chart/?symbol=BTCUSD", TRADINGVIEW_HOSTS) == (
        "https://www.tradingview.com/chart/?symbol=BTCUSD")


def test_safe_url_encodes_international_hosts() -> None:
    assert safe_url("https://b\u00fccher.example/x") == "https://xn--bcher-kva.example/x"


@pytest.mark.parametrize("value", [None, 5, b"https://polymarket.com"])
def test_safe_url_refuses_non_strings(value: object) -> None:
    assert safe_url(value) is None
