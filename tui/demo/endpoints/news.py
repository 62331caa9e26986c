"""The demo's news: GDELT DOC 2.0 `artlist` answers and RSS feeds of demo headlines.

GDELT's quirks are kept: `{}` when nothing matches, and a plain-text 200 refusal for
keywords shorter than three letters. A feed answers any host at a feed-looking path
(the `[news] rss_feeds` of the config, in demo mode), with an ETag and 304s.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from typing import Any

import httpx

from tui.demo.catalogue import DemoCatalogue
from tui.demo.content.common import words as text_words
from tui.demo.content.news import event_articles, feed_categories, rss
from tui.demo.endpoints.wire import Reply, int_param
from tui.demo.prices import minute_of

FEED_PATH = re.compile(r"rss|feed|atom|\.xml", re.IGNORECASE)
_GDELT_PATH = "/api/v2/doc/doc"
_GDELT_TOKEN = re.compile(r'\(|\)|"[^"]*"|[^\s()]+')
_DEFAULT_HORIZON = 7 * 1440  # minutes: GDELT's default timespan is a week
_FEED_HORIZON = 3 * 1440
_EVENTS_PER_QUERY = 8
_EVENTS_PER_FEED = 6
_ITEMS_PER_FEED = 12


class NewsApi:
    """Answers GDELT and RSS requests with the headlines of one catalogue's events."""

    def __init__(self, catalogue: DemoCatalogue) -> None:
        self._catalogue = catalogue

    def gdelt(self, request: httpx.Request, now: datetime) -> Any:
        if request.url.path.rstrip("/") != _GDELT_PATH:
            raise Reply(404, "Not Found", "text/html")
        params = httpx.QueryParams({k.lower(): v for k, v in request.url.params.multi_items()})
        if (params.get("mode") or "").lower() != "artlist":
            return {}
        clauses = gdelt_clauses(params.get("query") or "")
        short = [term for clause in clauses for term in clause if len(term) < 3]
        if short or not clauses:
            text = ("One or more of your keywords were too short, too long or too common: "
                    f"({' '.join(short) or 'empty query'})\n")
            raise Reply(200, text, "text/html; charset=utf-8")
        limit = max(1, min(250, int_param(params, "maxrecords", 75) or 75))
        horizon = timespan_minutes(params.get("timespan") or "") or _DEFAULT_HORIZON
        articles = self._articles(clauses, minute_of(now), horizon)
        descending = (params.get("sort") or "datedesc").lower() != "dateasc"
        articles.sort(key=lambda a: (a["seendate"], a["url"]), reverse=descending)
        return {"articles": articles[:limit]} if articles else {}

    def feed(self, request: httpx.Request, now: datetime) -> Any:
        """An RSS 2.0 feed of demo headlines for the feed's topics, with an ETag."""
        host = (request.url.host or "").lower()
        categories = feed_categories(host)
        events = sorted((e for e in self._catalogue.events if e.category in categories),
                        key=lambda e: (-e.volume_24h, e.index))[:_EVENTS_PER_FEED]
        now_minute = minute_of(now)
        articles = [a for e in events for a in event_articles(e, now_minute, _FEED_HORIZON)]
        articles.sort(key=lambda a: (a["seendate"], a["url"]), reverse=True)
        text = rss(host, articles[:_ITEMS_PER_FEED])
        etag = '"' + hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:20] + '"'
        if request.headers.get("if-none-match") == etag:
            raise Reply(304, "", "application/rss+xml", {"etag": etag})
        raise Reply(200, text, "application/rss+xml; charset=utf-8", {"etag": etag})

    def _articles(self, clauses: list[list[str]], now_minute: int,
                  horizon: int) -> list[dict[str, str]]:
        """Headlines of the busiest events matching every clause, one per URL."""
        self._catalogue.ensure_text()
        matched = [e for e in self._catalogue.events if all(
            any(f" {' '.join(text_words(term))} " in e.news_text for term in clause)
            for clause in clauses)]
        matched.sort(key=lambda e: (-e.volume_24h, e.index))
        articles: dict[str, dict[str, str]] = {}
        for event in matched[:_EVENTS_PER_QUERY]:
            for article in event_articles(event, now_minute, horizon):
                articles.setdefault(article["url"], article)
        return list(articles.values())


def gdelt_clauses(query: str) -> list[list[str]]:
    """GDELT query -> AND of OR-groups of lower-case terms; operators are skipped."""
    clauses: list[list[str]] = []
    group: list[str] | None = None
    for token in _GDELT_TOKEN.findall(query):
        if token == "(":
            group = []
        elif token == ")":
            if group:
                clauses.append(group)
            group = None
        elif token.upper() in ("OR", "AND") or token.startswith("-"):
            continue
        elif ":" in token or "<" in token or ">" in token:
            continue  # sourcelang:english, domain:x, tone<-5 ...
        else:
            term = token.strip('"').strip().lower()
            if not term:
                continue
            if group is not None:
                group.append(term)
            else:
                clauses.append([term])
    return clauses


def timespan_minutes(text: str) -> int | None:
    """GDELT's `timespan` (`90min`, `3h`, `7d`, `2w`, `1month`) in minutes."""
    match = re.fullmatch(r"(\d+)\s*(min|h|d|w|months?)", text.strip().lower())
    if not match:
        return None
    number, unit = int(match.group(1)), match.group(2)
    factor = {"min": 1, "h": 60, "d": 1440, "w": 10080}.get(unit, 43200)
    return number * factor
