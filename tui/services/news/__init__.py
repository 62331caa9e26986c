"""News for the selected market: providers, parsing, matching (no textual or rich import).

    parse.py      GDELT / NewsAPI / RSS payloads -> Headlines (clean text, https links),
                  dedupe by canonical URL and normalized title
    matching.py   market question -> Topic (terms, search query); relevance and ranking
    providers.py  GDELT, RSS (conditional GET), NewsAPI (keyed), Google News (opt-in),
                  each with its own timeout, backoff and status
    service.py    NewsService: ask the providers together, merge, match
"""

from __future__ import annotations

from tui.services.news.matching import Topic, rank, relevance, topic_for
from tui.services.news.parse import (
    NewsPayloadError,
    article_url,
    dedupe,
    parse_feed,
    parse_gdelt,
    parse_newsapi,
    plain_text,
)
from tui.services.news.providers import (
    GdeltProvider,
    GoogleNewsProvider,
    NewsApiProvider,
    Plan,
    Provider,
    ProviderStatus,
    RssProvider,
)
from tui.services.news.service import NewsResult, NewsService, NewsUnavailable, plan_for

__all__ = [
    "GdeltProvider", "GoogleNewsProvider", "NewsApiProvider", "NewsPayloadError", "NewsResult",
    "NewsService", "NewsUnavailable", "Plan", "Provider", "ProviderStatus", "RssProvider",
    "Topic", "article_url", "dedupe", "parse_feed", "parse_gdelt", "parse_newsapi",
    "plain_text", "plan_for", "rank", "relevance", "topic_for",
]
