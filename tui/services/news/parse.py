"""News payloads -> Headlines: GDELT artlist JSON, NewsAPI JSON, RSS/Atom (feedparser).

This is the service boundary for news text (docs/news-and-links.md §4): every
field passes `plain_text` (HTML entities decoded, tags stripped, then clean_text) and
every link passes `article_url`.

Links: only https article links are kept. safe_url refuses anything else, and so do
open_link / copy_link, the ssh-safe chain every link goes through: an http:// headline
could be shown but never opened or copied, and plain http is open to tampering on the
way. So a feed item without an https link is dropped (and counted in the log), rather
than upgraded to an https address that may not exist. Any host is allowed: the domain
is shown as the publisher next to the headline.
"""

from __future__ import annotations

import html
import io
import json
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from tui.models import Headline, parse_time, title_key
from tui.sanitize import clean_text, safe_url

log = logging.getLogger("polydash.news")

TITLE_MAX = 300
SUMMARY_MAX = 400
PUBLISHER_MAX = 80
# Bodies beyond this are not parsed at all (a feed is tens of kB; a multi-MB "feed" is
# a mistake or an attack), and no feed contributes more than FEED_MAX_ITEMS entries.
MAX_BODY_CHARS = 5_000_000
FEED_MAX_ITEMS = 200

# Query parameters that only track the reader; dropped from article URLs so that the
# same article shared through two campaigns is one headline.
_TRACKING = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|gclsrc|msclkid|yclid|mc_cid|mc_eid|igshid|_hsenc|_hsmi"
    r"|mkt_tok|ref_src|cmpid|ocid|smid|sr_share|at_medium|at_campaign)$",
    re.IGNORECASE,
)
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:!?%)])")
_TAG_LIKE = re.compile(r"</?[A-Za-z][^>]*>")
_BLOCK_TAGS = frozenset({"p", "br", "li", "div", "ol", "ul", "tr", "td", "th", "h1", "h2",
                         "h3", "h4", "h5", "h6", "blockquote", "section", "article", "font"})
_SKIPPED_TAGS = frozenset({"script", "style", "template", "noscript"})


class NewsPayloadError(ValueError):
    """A news reply that cannot be read; the message is a sentence fragment."""


class QueryRefused(NewsPayloadError):
    """GDELT answered HTTP 200 with a plain-text refusal of the query."""


# ---------------------------------------------------------------- text


class _TextOnly(HTMLParser):
    """Collects the text of an HTML fragment; block tags become spaces."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_TAGS:
            self._skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def strip_html(text: str) -> str:
    """The text of an HTML fragment (entities decoded). A fragment that was itself
    HTML-escaped (`&lt;p&gt;`) is decoded and stripped a second time."""
    once = _strip_once(text)
    if _TAG_LIKE.search(once):
        once = _strip_once(once)
    return once


def _strip_once(text: str) -> str:
    if "<" not in text and "&" not in text:
        return text
    parser = _TextOnly()
    parser.feed(text)
    parser.close()
    return "".join(parser.parts)


def plain_text(value: object, max_len: int = TITLE_MAX) -> str:
    """Untrusted (maybe HTML) text as one clean display line."""
    if not isinstance(value, str) or not value:
        return ""
    text = strip_html(html.unescape(value) if "&" in value else value)
    return clean_text(text.replace("\xa0", " "), max_len)  # &nbsp; is a plain space here


def tidy_title(value: object) -> str:
    """A headline: plain text, with GDELT's tokeniser spaces before punctuation removed."""
    return _SPACE_BEFORE_PUNCT.sub(r"\1", plain_text(value, TITLE_MAX))


# ---------------------------------------------------------------- URLs and keys


def article_url(value: object) -> str | None:
    """A safe https article link without tracking parameters or fragment; None if refused."""
    checked = safe_url(value)
    if checked is None:
        return None
    parts = urlsplit(checked)
    pairs = [pair for pair in parts.query.split("&")
             if pair and not _TRACKING.match(pair.split("=", 1)[0])]
    return urlunsplit(("https", parts.netloc, parts.path or "/", "&".join(pairs), ""))


def dedupe_key(url: str) -> str:
    """The same article whatever the `www.` or a trailing slash."""
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    path = parts.path.rstrip("/") or "/"
    return f"{host}{path}?{parts.query}" if parts.query else f"{host}{path}"


def publisher_of(url: str) -> str:
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    return clean_text(host, PUBLISHER_MAX)


# ---------------------------------------------------------------- GDELT


def parse_gdelt(text: str) -> list[Headline]:
    """A DOC 2.0 artlist body. `{}` means no articles. A plain-text body (GDELT says
    "One or more of your keywords were too short..." with HTTP 200) raises QueryRefused."""
    if len(text) > MAX_BODY_CHARS:
        raise NewsPayloadError("the reply is larger than 5 MB")
    body = text.strip()
    if body[:15].lower().startswith(("<!doctype", "<html")):
        raise NewsPayloadError("a web page came instead of data")  # a block page
    if not body.startswith("{"):
        raise QueryRefused(clean_text(body, 160) or "an empty reply")
    try:
        data = json.loads(body, strict=False)
    except ValueError:
        rows = _salvage_rows(body)
    else:
        if not isinstance(data, Mapping):
            raise NewsPayloadError("the reply is not a JSON object")
        articles = data.get("articles")
        rows = [row for row in articles if isinstance(row, Mapping)] if isinstance(
            articles, list) else []
    return _built(rows, gdelt_headline, "GDELT article")


def _salvage_rows(body: str) -> list[Mapping[str, Any]]:
    """Rows of a body whose JSON does not parse as a whole (a stray character): GDELT
    rows are flat objects, so each `{...}` is tried on its own and bad ones are dropped."""
    rows = []
    for match in re.finditer(r"\{[^{}]*\}", body):
        try:
            row = json.loads(match.group(0), strict=False)
        except ValueError:
            continue
        if isinstance(row, Mapping) and "url" in row:
            rows.append(row)
    if not rows:
        raise NewsPayloadError("the reply is not valid JSON")
    log.info("GDELT reply did not parse as a whole; salvaged %d rows", len(rows))
    return rows


def gdelt_headline(row: Mapping[str, Any]) -> Headline | None:
    url = article_url(row.get("url"))
    title = tidy_title(row.get("title"))
    if url is None or not title:
        return None
    domain = plain_text(row.get("domain"), PUBLISHER_MAX) or publisher_of(url)
    extra = {key: plain_text(row.get(key), 40) for key in ("language", "sourcecountry")
             if row.get(key)}
    return Headline(title=title, url=url, publisher=domain,
                    published_at=parse_seendate(row.get("seendate")), provider="gdelt",
                    extra=extra)


def parse_seendate(value: object) -> datetime | None:
    """GDELT's compact UTC form `20240615T170000Z` (ISO 8601 accepted too)."""
    if not isinstance(value, str):
        return None
    try:
        return datetime.strptime(value.strip(), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return parse_time(value)


# ---------------------------------------------------------------- NewsAPI


def parse_newsapi(data: object) -> list[Headline]:
    """A `/v2/everything` success body."""
    if not isinstance(data, Mapping) or data.get("status") != "ok":
        raise NewsPayloadError("the reply is not a NewsAPI result")
    articles = data.get("articles")
    if not isinstance(articles, list):
        raise NewsPayloadError("the reply has no article list")
    rows = [row for row in articles if isinstance(row, Mapping)]
    return _built(rows, newsapi_headline, "NewsAPI article")


def newsapi_headline(row: Mapping[str, Any]) -> Headline | None:
    url = article_url(row.get("url"))
    title = tidy_title(row.get("title"))
    if url is None or not title or title == "[Removed]":  # NewsAPI's placeholder rows
        return None
    source = row.get("source")
    name = source.get("name") if isinstance(source, Mapping) else None
    return Headline(title=title, url=url,
                    publisher=plain_text(name, PUBLISHER_MAX) or publisher_of(url),
                    published_at=parse_time(row.get("publishedAt")), provider="newsapi",
                    summary=plain_text(row.get("description"), SUMMARY_MAX))


def newsapi_error(text: str) -> tuple[str, str]:
    """(code, message) of a NewsAPI error body `{"status":"error","code","message"}`."""
    try:
        data = json.loads(text)
    except ValueError:
        return "", ""
    if not isinstance(data, Mapping):
        return "", ""
    return clean_text(data.get("code"), 40), clean_text(data.get("message"), 200)


# ---------------------------------------------------------------- RSS / Atom


def parse_feed(content: str, *, provider: str, publisher: str = "",
               google: bool = False) -> list[Headline]:
    """RSS 2.0 / Atom text through feedparser (imported here: it costs ~0.1 s).

    The text is handed over as a UTF-8 stream with a matching content type, never as
    a str: feedparser.parse(str) would fetch a str that looks like a URL, or open one
    that names a local file. `google` reads Google News items (publisher in <source>,
    " - Publisher" at the end of titles).
    """
    if len(content) > MAX_BODY_CHARS:
        raise NewsPayloadError("the feed is larger than 5 MB")
    import feedparser

    parsed = feedparser.parse(
        io.BytesIO(content.encode("utf-8", "replace")),
        response_headers={"content-type": "application/xml; charset=utf-8"},
    )
    entries = parsed.get("entries") or []
    if not entries and (parsed.get("bozo") or not parsed.get("version")):
        raise NewsPayloadError("the reply is not a readable RSS or Atom feed")
    feed_title = plain_text(parsed.get("feed", {}).get("title"), PUBLISHER_MAX)
    fallback = publisher or feed_title
    rows = list(entries[:FEED_MAX_ITEMS])
    return _built(rows, lambda e: feed_headline(e, provider, fallback, google), "feed item")


def feed_headline(entry: Mapping[str, Any], provider: str, publisher: str,
                  google: bool = False) -> Headline | None:
    url = article_url(_entry_link(entry))
    title = tidy_title(entry.get("title"))
    if url is None or not title:
        return None
    source = entry.get("source")
    source_name = plain_text(source.get("title"), PUBLISHER_MAX) if isinstance(
        source, Mapping) else ""
    if google and source_name and title.endswith(f" - {source_name}"):
        title = title[: -len(source_name) - 3].rstrip()
    return Headline(title=title, url=url,
                    publisher=(source_name if google else "") or publisher or publisher_of(url),
                    published_at=_entry_time(entry), provider=provider,
                    summary="" if google else plain_text(_entry_summary(entry), SUMMARY_MAX))


def _entry_link(entry: Mapping[str, Any]) -> object:
    link = entry.get("link")
    if link:
        return link
    for item in entry.get("links") or ():
        if isinstance(item, Mapping) and item.get("rel", "alternate") == "alternate":
            return item.get("href")
    return None


def _entry_summary(entry: Mapping[str, Any]) -> object:
    summary = entry.get("summary")
    if summary:
        return summary
    content = entry.get("content")
    if isinstance(content, list) and content and isinstance(content[0], Mapping):
        return content[0].get("value")
    return None


def _entry_time(entry: Mapping[str, Any]) -> datetime | None:
    for key in ("published_parsed", "updated_parsed"):
        parts = entry.get(key)
        if parts is None:
            continue
        try:
            return datetime(*parts[:6], tzinfo=UTC)  # feedparser normalises to UTC
        except (TypeError, ValueError, OverflowError):
            continue
    return None


# ---------------------------------------------------------------- lists


def _built(rows: Sequence[Any], build: Any, what: str) -> list[Headline]:
    headlines: list[Headline] = []
    dropped = 0
    for row in rows:
        try:
            headline = build(row)
        except (TypeError, ValueError, KeyError, AttributeError) as exc:
            log.warning("skipped a malformed %s: %s", what, exc)
            headline = None
        if headline is None:
            dropped += 1
        else:
            headlines.append(headline)
    if dropped:
        log.info("dropped %d %s(s) without a title or an https link", dropped, what)
    return headlines


def dedupe(headlines: Iterable[Headline]) -> list[Headline]:
    """One headline per article: the same canonical URL, or the same normalized title
    from another provider. The first one wins; it takes a summary, a date or a market
    from a duplicate that has one."""
    kept: list[Headline] = []
    by_url: dict[str, int] = {}
    by_title: dict[str, int] = {}
    for headline in headlines:
        url_key, key = dedupe_key(headline.url), title_key(headline.title)
        index = by_url.get(url_key)
        if index is None and key:
            index = by_title.get(key)
        if index is None:
            by_url[url_key] = len(kept)
            if key:
                by_title[key] = len(kept)
            kept.append(headline)
        else:
            kept[index] = _merged(kept[index], headline)
    return kept


def _merged(first: Headline, other: Headline) -> Headline:
    return replace(
        first,
        summary=first.summary or other.summary,
        published_at=first.published_at or other.published_at,
        market_id=first.market_id or other.market_id,
        score=max(first.score, other.score),
    )
