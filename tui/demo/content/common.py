"""What every family of demo events shares: the draws, the specs, and text helpers."""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

CATEGORIES = ("politics", "crypto", "sports", "economy", "culture", "tech", "world")

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")

_WORD = re.compile(r"[a-z0-9]+")
_THOUSANDS = re.compile(r"(\d),(\d)")


def slugify(text: str) -> str:
    text = text.lower()
    if "&" in text or "%" in text:
        text = text.replace("&", " and ").replace("%", " pct ")
    if "," in text:
        text = _THOUSANDS.sub(r"\1\2", text)
    return "-".join(_WORD.findall(text))[:90].strip("-")


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def money(value: float) -> str:
    if value >= 10_000:
        return f"${value / 1000:g}k"
    if value >= 100:
        return f"${value:,.0f}"
    return f"${value:g}" if value >= 1 else f"${value:.2f}"


def money_full(value: float) -> str:
    return f"${value:,.0f}" if value >= 100 else f"${value:,.2f}"


@dataclass(slots=True)
class MarketSpec:
    question: str
    description: str
    p0: float
    group: str = ""
    outcomes: tuple[str, str] = ("Yes", "No")


@dataclass(slots=True)
class EventSpec:
    category: str
    title: str
    topic: str
    markets: list[MarketSpec]
    end: datetime
    shape: str = "single"
    tags: tuple[str, ...] = ()
    keywords: str = ""
    scale: int = 1000
    heat: float = 1.0
    description: str = ""


class Draws:
    """Random choices for one catalogue, all drawn from one seeded Random."""

    def __init__(self, rng: random.Random, now: datetime) -> None:
        self.rng = rng
        self.now = now

    def pick[T](self, items: Sequence[T]) -> T:
        return items[self.rng.randrange(len(items))]

    def sample[T](self, items: Sequence[T], k: int) -> list[T]:
        return self.rng.sample(list(items), min(k, len(items)))

    def end(self, *horizons: str) -> datetime:
        """An end date: "hours" (today), "days", "months", "past" (awaiting resolution)."""
        horizon = self.pick(horizons)
        base = self.now.replace(minute=self.now.minute // 15 * 15, second=0, microsecond=0)
        if horizon == "hours":
            return base + timedelta(minutes=15 * self.rng.randint(4, 88))
        if horizon == "days":
            return (base + timedelta(days=self.rng.randint(1, 20))).replace(hour=16, minute=0)
        if horizon == "past":
            return base - timedelta(minutes=15 * self.rng.randint(4, 190))
        return (base + timedelta(days=self.rng.randint(30, 540))).replace(hour=4, minute=59)

    def dated_end(self, *horizons: str, past_share: float = 0.04) -> datetime:
        """Like end(), with a few markets already past their end date."""
        if self.rng.random() < past_share:
            return self.end("past")
        return self.end(*horizons)

    def month_after(self, months: int, day: int = 15) -> datetime:
        year, month = divmod(self.now.month - 1 + months, 12)
        return datetime(self.now.year + year, month + 1, day, 18, 0, tzinfo=UTC)

    def day_text(self, when: datetime) -> str:
        text = f"{MONTHS[when.month - 1]} {when.day}"
        return text if when.year == self.now.year else f"{text}, {when.year}"

    def moment_text(self, when: datetime) -> str:
        return f"{self.day_text(when)}, {when:%H:%M} UTC"

    def month_text(self, when: datetime) -> str:
        name = MONTHS[when.month - 1]
        return name if when.year == self.now.year else f"{name} {when.year}"

    def prob(self, low: float = 0.03, high: float = 0.95) -> float:
        return low + (high - low) * self.rng.betavariate(0.9, 1.5)

    def weights(self, n: int) -> list[float]:
        """Shares of a mutually exclusive outcome set: a few favourites, a long tail."""
        raw = sorted((self.rng.random() ** 2.2 + 0.004 for _ in range(n)), reverse=True)
        total = sum(raw)
        return [w / total for w in raw]


# One family of events: (draws, how many of this family came before) -> the next event.
Family = Callable[[Draws, int], EventSpec]


def rules(condition: str, deadline: str, source: str) -> str:
    return (f'This market will resolve to "Yes" if {condition} by {deadline}, 11:59 PM ET. '
            'Otherwise, this market will resolve to "No".\n\n'
            f"The resolution source for this market will be {source}.")


def single(g: Draws, category: str, question: str, description: str, p0: float,
           end: datetime, topic: str, tags: tuple[str, ...], keywords: str = "",
           outcomes: tuple[str, str] = ("Yes", "No"), heat: float = 1.0) -> EventSpec:
    return EventSpec(category=category, title=question, topic=topic,
                     markets=[MarketSpec(question, description, p0, outcomes=outcomes)], end=end,
                     tags=tags, keywords=keywords, heat=heat,
                     scale=g.pick((1000, 1000, 100)))


def exclusive(g: Draws, category: str, title: str, names: Sequence[str],
              question: Callable[[str], str], description: Callable[[str], str],
              end: datetime, topic: str, tags: tuple[str, ...], keywords: str = "",
              heat: float = 1.0, likely: Sequence[int] | None = None) -> EventSpec:
    """A negRisk group. The biggest shares go to `names` in the order of `likely`
    (indexes, most likely first; default: the order given)."""
    shares = g.weights(len(names))
    ranked = list(likely) if likely is not None else list(range(len(names)))
    share_of = {index: share for index, share in zip(ranked, shares, strict=True)}
    markets = [MarketSpec(question(name), description(name), share_of[index], group=name)
               for index, name in enumerate(names)]
    return EventSpec(category=category, title=title, topic=topic, markets=markets, end=end,
                     shape="exclusive", tags=tags, keywords=keywords, heat=heat,
                     description=description(names[0]))


def by_distance(n: int, center: float) -> list[int]:
    """Indexes 0..n-1, nearest to `center` first: the likeliest buckets of a range."""
    return sorted(range(n), key=lambda i: (abs(i - center), i))
