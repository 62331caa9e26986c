"""The demo's Gamma tags: the categories plus finer topics, with real-looking ids."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class DemoTag:
    id: str
    slug: str
    label: str

    def to_api(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "slug": self.slug, "forceShow": False,
                "publishedAt": "2023-10-25 18:55:50.674+00",
                "createdAt": "2023-10-25T18:55:50.681Z", "updatedAt": "2026-03-09T22:35:26.766Z",
                "requiresTranslation": False}


_TAG_TABLE: tuple[tuple[str, str, str], ...] = (
    ("2", "politics", "Politics"), ("21", "crypto", "Crypto"), ("1", "sports", "Sports"),
    ("100328", "economy", "Economy"), ("596", "culture", "Culture"), ("1401", "tech", "Tech"),
    ("101970", "world", "World"), ("144", "elections", "Elections"),
    ("1101", "us-presidential-election", "US Election"), ("235", "bitcoin", "Bitcoin"),
    ("39", "ethereum", "Ethereum"), ("818", "solana", "Solana"),
    ("100196", "fed-rates", "Fed Rates"),
    ("159", "fed", "Fed"), ("702", "inflation", "Inflation"), ("745", "nba", "NBA"),
    ("450", "nfl", "NFL"), ("100350", "soccer", "Soccer"), ("100381", "mlb", "MLB"),
    ("899", "nhl", "NHL"), ("864", "tennis", "Tennis"), ("53", "movies", "Movies"),
    ("100255", "music", "Music"), ("439", "ai", "AI"), ("604", "stocks", "Stocks"),
    ("101001", "commodities", "Commodities"), ("100265", "geopolitics", "Geopolitics"),
    ("87", "climate", "Climate"), ("1013", "earnings", "Earnings"), ("103", "awards", "Awards"),
    ("100639", "games", "Games"), ("1312", "crypto-prices", "Crypto Prices"),
    ("101545", "nvidia", "Nvidia"), ("101546", "tesla", "Tesla"), ("101547", "apple", "Apple"),
    ("101548", "microsoft", "Microsoft"), ("101549", "google", "Google"),
    ("101550", "amazon", "Amazon"), ("101551", "meta", "Meta"),
)
DEMO_TAGS: tuple[DemoTag, ...] = tuple(DemoTag(i, s, label) for i, s, label in _TAG_TABLE)
TAGS_BY_SLUG = {tag.slug: tag for tag in DEMO_TAGS}
