"""What matches what the user typed: the list filter's words (every word, any order)
and the palette's fuzzy jump."""

from __future__ import annotations

from collections.abc import Sequence

from tui.models import Market


def haystack(market: Market) -> str:
    """Everything the filter looks in, case-folded once per market."""
    parts = [market.question, market.event_title, market.group_title, market.slug]
    parts.extend(o.name for o in market.outcomes)
    parts.extend(t.label for t in market.tags)
    return " ".join(parts).casefold()


def query_words(query: str) -> tuple[str, ...]:
    return tuple(query.casefold().split())


def matches(text: str, words: Sequence[str]) -> bool:
    """Every word appears somewhere, in any order (case-folded inputs)."""
    return all(word in text for word in words)


def refines(new: Sequence[str], old: Sequence[str]) -> bool:
    """Every market matching `new` also matches `old` (each old word is inside a new one)."""
    return bool(old) and all(any(o in n for n in new) for o in old)


def fuzzy_match(query: str, text: str, lowered: str | None = None
                ) -> tuple[float, tuple[int, ...]] | None:
    """Score `text` against a typed `query`, with the offsets to highlight; None: no match.

    Linear time (the palette runs it over every loaded question per keystroke): the
    whole query as a substring scores highest, then every word in any order, then the
    letters in order (fewer separate runs score higher). Shorter texts win ties.
    """
    needle = query.lower().strip()
    if not needle:
        return None
    hay = text.lower() if lowered is None else lowered  # callers may lower once, ahead
    if len(hay) != len(text):
        hay = text  # a few characters change length when lowered; stay exact instead
    brevity = 1.0 / (1.0 + len(text) / 80)
    at = hay.find(needle)
    if at >= 0:
        boundary = 0.5 if at == 0 or not hay[at - 1].isalnum() else 0.0
        return 3.0 + boundary + brevity, tuple(range(at, at + len(needle)))
    words = needle.split()
    if len(words) > 1 and all(word in hay for word in words):
        offsets: set[int] = set()
        for word in words:
            start = hay.find(word)
            offsets.update(range(start, start + len(word)))
        return 2.0 + brevity, tuple(sorted(offsets))
    found: list[int] = []
    index = 0
    for char in needle.replace(" ", ""):
        index = hay.find(char, index)
        if index < 0:
            return None
        found.append(index)
        index += 1
    runs = 1 + sum(1 for a, b in zip(found, found[1:], strict=False) if b != a + 1)
    return 1.0 / runs + brevity / 2, tuple(found)
