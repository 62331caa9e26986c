"""Demo headlines: a few per event on a 15-minute grid, as GDELT articles or RSS items.

The articles live at hosts under DEMO_NEWS_DOMAIN (`.invalid`, so nothing resolves)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Protocol
from xml.sax.saxutils import escape as xml_escape

from tui.demo.content.common import CATEGORIES, slugify
from tui.demo.noise import stable_hash

DEMO_NEWS_DOMAIN = "demo.polydash.invalid"

_TEMPLATES: Mapping[str, tuple[str, ...]] = {
    "politics": ("New poll shakes up the race around {topic}",
                 "Donors and strategists reassess {topic} after a tense week",
                 "What to watch next for {topic}",
                 "Analysis: the numbers behind {topic}",
                 "Campaign filings shed light on {topic}"),
    "crypto": ("{topic} swings as traders brace for a volatile week",
               "ETF flows and {topic}: what the latest data shows",
               "Options market prices bigger moves for {topic}",
               "Analysts split on where {topic} heads next",
               "On-chain data points to fresh demand for {topic}"),
    "sports": ("Power rankings: where {topic} stands after the weekend",
               "Injury report adds uncertainty to {topic}",
               "Odds shift on {topic} after a statement win",
               "Five takeaways on {topic}", "Inside the locker room ahead of {topic}"),
    "economy": ("Markets reprice expectations for {topic}",
                "Economists revise forecasts ahead of {topic}",
                "Traders weigh fresh data on {topic}",
                "What the latest figures mean for {topic}",
                "Bond market signals on {topic}"),
    "culture": ("Buzz builds around {topic}", "Critics weigh in on {topic}",
                "Fans react to the latest news on {topic}",
                "Industry insiders handicap {topic}", "Everything we know about {topic}"),
    "tech": ("Investors weigh the latest moves on {topic}",
             "Analysts debate the outlook for {topic}",
             "Leaks and rumors swirl around {topic}", "Why {topic} matters this quarter",
             "Benchmarks and buzz: the state of {topic}"),
    "world": ("Diplomats signal movement on {topic}",
              "Explainer: the latest on {topic}", "Officials trade warnings over {topic}",
              "What comes next for {topic}", "Analysts assess the odds on {topic}"),
}
_GENERIC_HEADLINES = ('Prediction markets move on "{title}"',
                      'Traders reprice the odds: "{title}"')
_PUBLISHERS: Mapping[str, tuple[str, ...]] = {
    "politics": ("capitolbrief", "pollingpost"), "crypto": ("chainwire", "ledgerdaily"),
    "sports": ("courtside", "matchday"), "economy": ("macrodesk", "ratewatch"),
    "culture": ("marquee", "popwire"), "tech": ("siliconbeat", "bytefront"),
    "world": ("globaldispatch", "wiredesk"),
}

# host fragment -> categories its demo feed covers (first match wins)
_FEED_TOPICS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("coindesk", ("crypto",)), ("theblock", ("crypto",)), ("cointelegraph", ("crypto",)),
    ("decrypt", ("crypto",)), ("federalreserve", ("economy",)), ("sec.gov", ("crypto", "economy")),
    ("politico", ("politics",)), ("thehill", ("politics",)), ("npr", ("politics", "world")),
    ("bbc", ("economy", "world")), ("cnbc", ("economy", "tech")),
)


class NewsSubject(Protocol):
    """What a headline is written about: a catalogue event."""

    @property
    def key(self) -> int: ...
    @property
    def category(self) -> str: ...
    @property
    def topic(self) -> str: ...
    @property
    def title(self) -> str: ...


def event_articles(event: NewsSubject, now_minute: int,
                   horizon: int) -> Iterator[dict[str, str]]:
    """A few headlines per event on a 15-minute grid: new ones appear as time passes.
    GDELT artlist items, newest first, none older than `horizon` minutes."""
    period = 15 * (3 + event.key % 14)  # 45 min .. 4 h between stories
    phase = 15 * ((event.key >> 8) % (period // 15))
    latest = (now_minute - phase) // period
    templates = _TEMPLATES[event.category] + _GENERIC_HEADLINES
    publishers = _PUBLISHERS[event.category]
    for slot in range(latest, latest - (3 + event.key % 4), -1):
        seen_minute = slot * period + phase
        if now_minute - seen_minute > horizon:
            break
        h = stable_hash(event.key, 17, slot)
        template = templates[(slot + event.key) % len(templates)]
        title = template.format(topic=event.topic, title=event.title.rstrip("?"))
        title = title[0].upper() + title[1:]
        when = datetime.fromtimestamp(seen_minute * 60, UTC)
        host = f"{publishers[(h >> 8) % len(publishers)]}.{DEMO_NEWS_DOMAIN}"
        url = f"https://{host}/{when:%Y/%m/%d}/{slugify(title)[:70]}-{slot % 100000}"
        yield {"url": url, "url_mobile": "", "title": title,
               "seendate": when.strftime("%Y%m%dT%H%M%SZ"), "socialimage": "",
               "domain": host, "language": "English", "sourcecountry": "United States"}


def feed_categories(host: str) -> tuple[str, ...]:
    """The categories a demo RSS feed at `host` covers; every one for an unknown host."""
    return next((cats for key, cats in _FEED_TOPICS if key in host), CATEGORIES)


def rss(host: str, articles: Sequence[Mapping[str, str]]) -> str:
    """An RSS 2.0 document of `articles` (GDELT-shaped) for the feed at `host`."""
    items = []
    for article in articles:
        when = datetime.strptime(article["seendate"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        items.append(
            f"<item><title>{xml_escape(article['title'])}</title>"
            f"<link>{xml_escape(article['url'])}</link>"
            f'<guid isPermaLink="true">{xml_escape(article["url"])}</guid>'
            f"<pubDate>{format_datetime(when)}</pubDate>"
            f"<description>{xml_escape(article['title'])} (demo headline)</description></item>")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
            f"<title>{xml_escape(host)} (polydash demo)</title>"
            f"<link>https://{DEMO_NEWS_DOMAIN}/</link>"
            "<description>Generated headlines for polydash --demo</description>"
            f"{''.join(items)}</channel></rss>\n")
