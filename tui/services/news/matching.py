"""Which headlines belong to a market (docs/news-and-links.md §1.5).

A market question becomes a `Topic`: weighted terms to score headlines with, and a
search query (an AND of OR-groups) for the providers that search.

1. The question template goes: "Will ... by <date>?", "Who will", "How many", dates,
   times. What is left keeps its names (runs of capitalised words, "League of
   Legends"), acronyms and tickers (NBA, BTC, $FIL), numbers (prices, years) and the
   remaining content words.
2. Names and tickers are anchors; aliases widen them ("BTC" <-> "Bitcoin", "Fed" <->
   "Federal Reserve"), and the event's tags add aliased anchors (tag `bitcoin`).
3. A headline's relevance is the weighted share of terms found in its title (full
   credit) or summary (part credit); a multi-word name seen only by its last word
   ("Newsom") counts in part. It must hit an anchor (or three other terms); a name
   that is in the news every day (Trump, China) needs a second term beside it; a
   market without anchors needs two terms. Below RELEVANCE_MIN it is dropped.
4. score = 0.8 relevance + 0.2 recency (half-life 24 h): the ranking key.

Everything is a pure function of its inputs (no clock read here): tests pin it on real
Polymarket questions.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from tui.models import Headline, Market

RELEVANCE_MIN = 0.25
RECENCY_HALF_LIFE_H = 24.0
UNKNOWN_RECENCY = 0.25
TITLE_CREDIT, SUMMARY_CREDIT, HEAD_CREDIT = 1.0, 0.7, 0.8
MAX_WORDS = 6
MAX_FAVORITES = 6
GENERAL_FORMS = ("polymarket", "prediction market", "prediction markets", "kalshi")

def stem(token: str) -> str:
    """A crude plural fold, applied the same way to markets and headlines."""
    if len(token) > 4 and token.endswith("ies"):
        return token[:-3] + "y"
    if len(token) > 4 and token.endswith("s") and not token.endswith(("ss", "us", "is")):
        return token[:-1]
    return token


_MONTHS = ("january february march april may june july august september october november "
           "december jan feb mar apr jun jul aug sep sept oct nov dec")
_TIME_WORDS = frozenset((_MONTHS + " monday tuesday wednesday thursday friday saturday sunday "
                         "today tomorrow tonight yesterday week weekend month year years day "
                         "days eoy eod end utc gmt et est edt pt pst pdt am pm q1 q2 q3 q4 "
                         "h1 h2 season quarter quarterly annual daily weekly monthly").split())
_STOPWORDS = frozenset("""
a an the and or of to in on at by for from with without into onto over under above below
up down be been being is are was were will would can could should shall may might must do
does did done has have had this that these those there their they them it its his her he
she we you your our who whom whose what which when where why how than then as if not no yes
vs versus per via any all some each every other another more most less least first last
next new top same such own only just also very much many few whether out off again further
reach reached hit hits win wins won beat beats say says said announce announces announced
happen happens happened pass passes passed exceed exceeds close closes closed lose loses
drop drops dip dips rise rises fall falls remain remains become becomes get gets make makes
named name begin begins release released call called approve approved confirm confirmed
break breaks price prices usd value level levels higher lower high low least greater
fewer between after before during until since prior through still ever go goes going
""".split()) | _TIME_WORDS
_STOPWORDS |= {stem(word) for word in _STOPWORDS}  # tokens are compared after stemming
# Capitalised but not specific on their own: never an anchor or a query term alone
# ("Government shutdown", "Presidential Election" are content words, not names).
_GENERIC = frozenset("""
government presidential president election elections party league cup series finals final
championship champion world house senate court bank person company market markets national
international state states city country best picture award awards social general
federal club team game games match race vote votes poll polls bill act law official
decision meeting rate rates interest new old north south east west central republic
time option
""".split())
_GENERIC |= {stem(word) for word in _GENERIC}
# Names in the news every day (people, countries, parties): on its own such a name says
# little about a market ("Trump hosts a state dinner" is not news for "Will Trump repeal
# term limits?", "Democratic primary 2032" is not news for the 2028 nomination).
_BUSY = frozenset({
    "trump", "donald trump", "biden", "joe biden", "harris", "kamala harris", "obama",
    "putin", "vladimir putin", "zelensky", "netanyahu", "musk", "elon musk", "china",
    "russia", "ukraine", "israel", "iran", "united state", "usa", "america",
    "united kingdom", "britain", "european union", "eu", "democratic", "democrat",
    "republican", "gop",
})
_CONNECTORS = frozenset({"of", "de", "del", "la", "von", "van", "du", "da", "al"})

# Alias groups: every form of a group is the same term (matching forms, normalised).
_ALIAS_GROUPS: tuple[tuple[str, ...], ...] = (
    ("bitcoin", "btc"), ("ethereum", "ether", "eth"), ("solana", "sol"),
    ("xrp", "ripple"), ("dogecoin", "doge"), ("federal reserve", "fomc", "fed"),
    ("united states", "usa", "america"), ("united kingdom", "britain"),
    ("european union", "eu"), ("republican", "gop"), ("democratic", "democrat"),
    ("coronavirus", "covid"), ("artificial intelligence", "ai"), ("twitter", "x corp", "x"),
    ("openai", "chatgpt"), ("formula 1", "f1"), ("sp 500", "spx"), ("inflation", "cpi"),
    ("elon musk", "musk"), ("crude oil", "oil"), ("trump",), ("nba",), ("nfl",), ("mlb",),
    ("nhl",), ("ufc",), ("tesla",), ("nvidia",), ("ukraine",), ("russia",), ("israel",),
    ("china",), ("gold",), ("recession",),
)
# Filled below, once `tokens` exists: normalised form -> the normalised group, and
# normalised form -> the group as written (for search queries).
_ALIASES: dict[str, tuple[str, ...]] = {}
_ALIAS_QUERY: dict[str, tuple[str, ...]] = {}
# Event tag slug -> the alias group it adds (as an anchor) to the market's terms.
_TAG_FORMS: dict[str, str] = {
    "bitcoin": "bitcoin", "ethereum": "ethereum", "solana": "solana", "xrp": "xrp",
    "ripple": "xrp", "dogecoin": "dogecoin", "fed": "fed", "fed-rates": "fed", "fomc": "fed",
    "trump": "trump", "trump-presidency": "trump", "nba": "nba", "nfl": "nfl", "mlb": "mlb",
    "nhl": "nhl", "ufc": "ufc", "f1": "f1", "formula-1": "f1", "ai": "ai", "openai": "openai",
    "twitter": "twitter", "tesla": "tesla", "nvidia": "nvidia", "elon-musk": "elon musk",
    "ukraine": "ukraine", "russia": "russia", "israel": "israel", "china": "china",
    "inflation": "inflation", "cpi": "inflation", "recession": "recession", "gold": "gold",
    "oil": "crude oil", "coronavirus": "coronavirus", "covid": "coronavirus",
}

_LEADING = re.compile(
    r"^\s*(?:(?:will|would|can|could|does|do|did|is|are|was|were|has|have|who|what|which|when"
    r"|where|how\s+many|how\s+much|how|there|be|the|a|an)\b\s*)+",
    re.IGNORECASE,
)
_MONTH_RE = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE_CLAUSE = re.compile(
    r"\b(?:by|before|on|in|at|after|until|till|prior\s+to|through|as\s+of|end\s+of|"
    r"by\s+the\s+end\s+of|at\s+the\s+end\s+of)\s+(?:the\s+)?(?:end\s+of\s+)?"
    r"(?:" + _MONTH_RE + r"(?:\s+\d{1,2}(?:st|nd|rd|th)?)?(?:,?\s+\d{4})?(?:\s+meeting)?"
    r"|(?:19|20)\d{2}|eoy|eod|q[1-4](?:\s+\d{4})?|(?:this|next)\s+(?:year|week|month)"
    r"|\d{1,2}:\d{2}(?:\s*[ap]m)?)\b",
    re.IGNORECASE,
)
_BARE_DATE = re.compile(r"\b" + _MONTH_RE + r"\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?\b"
                        r"|\b\d{1,2}:\d{2}(?:\s*[ap]m)?(?:\s+(?:utc|et|gmt))?\b",
                        re.IGNORECASE)
_CHUNKS = re.compile(r"[(),:;!?\"“”\[\]]|\s[-–—]\s")
_RAW_WORD = re.compile(r"\$?[^\W_](?:[\w&'’.\-]*[^\W_])?")
_CASE_FORMS = ((re.compile(r"\bU\.S\.A\.?|\bUSA\b|\bU\.S\.(?!\w)|\bUS\b"), " united states "),
               (re.compile(r"\bU\.K\.(?!\w)|\bUK\b"), " united kingdom "),
               (re.compile(r"\bE\.U\.(?!\w)"), " eu "))
_NUMBER = re.compile(
    r"\$?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s?(k|m|bn|b|million|billion|thousand)?(?![\w])")
_MULTIPLIERS = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "b": 1e9, "bn": 1e9,
                "billion": 1e9}
_TOKEN = re.compile(r"[a-z0-9]+(?:\.[0-9]+)?")


# ---------------------------------------------------------------- normalisation


def _number(match: re.Match[str]) -> str:
    value = float(match.group(1).replace(",", "") + (match.group(2) or ""))
    value *= _MULTIPLIERS.get((match.group(3) or "").lower(), 1.0)
    text = str(int(value)) if value.is_integer() else f"{value:g}"
    return f" {text} "


def tokens(text: str) -> list[str]:
    """Matching tokens: accents, case, possessives, "U.S."/"UK" and number formats
    ("$100,000", "100k") normalised; plurals folded."""
    for pattern, replacement in _CASE_FORMS:
        text = pattern.sub(replacement, text)
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("’", "'").replace("'s ", " ").replace("s&p", "sp")
    text = _NUMBER.sub(_number, text)
    return [stem(token) for token in _TOKEN.findall(text)]


@functools.lru_cache(maxsize=8192)
def _norm(text: str) -> str:
    """Normalised tokens as one string; cached because feed items come back unchanged
    at every refresh (pure and thread-safe: ranking runs in a worker thread)."""
    return " ".join(tokens(text))


def _index_aliases() -> None:
    for group in _ALIAS_GROUPS:
        normalised = tuple(dict.fromkeys(_norm(form) for form in group))
        for form in normalised:
            _ALIASES[form] = normalised
            _ALIAS_QUERY[form] = group


_index_aliases()


# ---------------------------------------------------------------- topics


@dataclass(frozen=True, slots=True)
class Term:
    forms: tuple[str, ...]        # normalised token strings, any one matches
    query: tuple[str, ...]        # the words to search for (as written, lower case)
    weight: float
    kind: str                     # entity | acronym | tag | word | year | number
    head: str = ""                # last token of a multi-word name: partial credit alone

    @property
    def anchor(self) -> bool:
        return self.kind in ("entity", "acronym", "tag")

    @property
    def counts(self) -> bool:
        """Terms that count towards "two terms"; a price level is a bonus only."""
        return self.kind != "number"


@dataclass(frozen=True, slots=True)
class Topic:
    market_id: str | None
    label: str
    terms: tuple[Term, ...]
    clauses: tuple[tuple[str, ...], ...]  # AND of OR-groups, for searching

    @property
    def empty(self) -> bool:
        return not self.terms


def strip_template(question: str) -> str:
    """"Will X win Y by March 15?" -> "X win Y": no template words, dates or times."""
    text = question.strip().rstrip("?").strip()
    text = _LEADING.sub("", text)
    text = _DATE_CLAUSE.sub(" ", text)
    text = _BARE_DATE.sub(" ", text)
    return " ".join(text.split()).strip(" ,:;-")


def topic_for(market: Market) -> Topic:
    """The terms and search query of a market."""
    core = strip_template(market.question)
    terms: list[Term] = []
    used: set[str] = set()
    for words in _name_runs(core):
        term = _name_term(words)
        if term is None or any(form in used for form in term.forms):
            continue
        if _is_ticker(words[0]) and terms and terms[-1].kind == "entity":
            # "Filecoin ($FIL)": the ticker is another name for the name before it.
            terms[-1] = _widened(terms[-1], term.forms, term.query)
        else:
            terms.append(term)
        used.update(term.forms)
    covered = {token for term in terms for form in term.forms for token in form.split()}
    terms += _number_terms(core, used)
    terms += _word_terms(core, covered | used)
    terms = _with_tags(terms, [tag.slug for tag in market.tags])
    return Topic(market.id, market.question, tuple(terms), _clauses(terms))


def _name_runs(core: str) -> list[list[str]]:
    """Runs of capitalised words (with "of"/"de"... inside), acronyms and $TICKERS; a
    run never crosses punctuation ("Filecoin ($FIL)" is two names)."""
    runs: list[list[str]] = []
    for chunk in _CHUNKS.split(core):
        words = _RAW_WORD.findall(chunk)
        run: list[str] = []
        for index, word in enumerate(words):
            following = words[index + 1] if index + 1 < len(words) else ""
            if _is_ticker(word):
                runs.extend([r for r in (run, [word]) if r])
                run = []
            elif _is_name_word(word, run) or (
                    run and word.lower() in _CONNECTORS and _is_name_word(following, run)):
                run.append(word)
            else:
                if run:
                    runs.append(run)
                run = []
        if run:
            runs.append(run)
    return runs


def _is_ticker(word: str) -> bool:
    return word.startswith("$") and word[1:].isalpha()


def _is_name_word(word: str, run: Sequence[str]) -> bool:
    if not word:
        return False
    if _is_ticker(word):
        return True
    if word[0].isdigit():  # "76ers" inside "Philadelphia 76ers"
        return bool(run) and any(c.isalpha() for c in word)
    if len(word) == 1:
        return word.isupper() and word.lower() in _ALIASES
    return word[0].isupper()


def _name_term(words: Sequence[str]) -> Term | None:
    trimmed = _trim(words)
    if not trimmed:
        return None
    written = " ".join(w.lstrip("$").replace("’", "'").removesuffix("'s") for w in trimmed)
    form = _norm(written)
    if not form:
        return None
    parts = form.split()
    if all(part in _GENERIC or part in _STOPWORDS for part in parts):
        return None  # "Presidential Election": its words come back as content words
    forms = tuple(dict.fromkeys((form, *_ALIASES.get(form, ()))))
    query = tuple(dict.fromkeys((written.lower(), *_ALIAS_QUERY.get(form, ()))))
    if len(trimmed) == 1 and (trimmed[0].isupper() or trimmed[0].startswith("$")):
        weight = 3.0 if len(form) >= 3 or form in _ALIASES else 2.0
        return Term(forms, query, weight, "acronym")
    last = _norm(trimmed[-1])
    head = last if len(trimmed) > 1 and " " not in last and _distinct(last) else ""
    return Term(forms, query, 3.0, "entity", head)


def _trim(words: Sequence[str]) -> list[str]:
    trimmed = list(words)
    while trimmed and (trimmed[0].lower() in _STOPWORDS or trimmed[0].lower() in _CONNECTORS):
        trimmed.pop(0)
    while trimmed and (trimmed[-1].lower() in _STOPWORDS or trimmed[-1].lower() in _CONNECTORS):
        trimmed.pop()
    return trimmed


def _distinct(token: str) -> bool:
    return len(token) >= 4 and token not in _GENERIC and token not in _STOPWORDS and (
        not token.isdigit())


def _number_terms(core: str, used: set[str]) -> list[Term]:
    terms = []
    for token in dict.fromkeys(tokens(core)):
        if not _TOKEN.fullmatch(token) or not token[0].isdigit() or token in used:
            continue
        if not token.replace(".", "").isdigit() or len(token.split(".")[0]) < 2:
            continue
        year = "." not in token and 1900 <= int(token) <= 2100
        terms.append(Term((token,), (token,), 1.0 if year else 1.5,
                          "year" if year else "number"))
    return terms


def _word_terms(core: str, covered: set[str]) -> list[Term]:
    words: list[Term] = []
    raw = {stem(w.lower()): w.lower() for w in re.findall(r"[A-Za-z][A-Za-z\-]+", core)}
    for token in dict.fromkeys(tokens(core)):
        if len(token) < 4 or token in _STOPWORDS or token in covered or token[0].isdigit():
            continue
        forms = tuple(dict.fromkeys((token, *_ALIASES.get(token, ()))))
        words.append(Term(forms, (raw.get(token, token),), 1.0, "word"))
    return words[:MAX_WORDS]


def _with_tags(terms: list[Term], slugs: Iterable[str]) -> list[Term]:
    """Aliases from the event's tags: they widen a matching term or add an anchor."""
    result = list(terms)
    for slug in slugs:
        key = _TAG_FORMS.get(slug)
        if key is None:
            continue
        group, written = _ALIASES[_norm(key)], _ALIAS_QUERY[_norm(key)]
        index = next((i for i, t in enumerate(result) if set(t.forms) & set(group)), None)
        if index is None:
            result.append(Term(group, written, 2.0, "tag"))
        else:
            term = _widened(result[index], group, written)
            if term.kind == "word":  # a tag makes a content word a topic anchor
                term = replace(term, kind="entity", weight=2.0)
            result[index] = term
    return result


def _widened(term: Term, forms: Sequence[str], query: Sequence[str]) -> Term:
    return replace(term, forms=tuple(dict.fromkeys((*term.forms, *forms))),
                   query=tuple(dict.fromkeys((*term.query, *query))))


def _clauses(terms: Sequence[Term]) -> tuple[tuple[str, ...], ...]:
    """Two anchors AND-ed; or one anchor AND any of the longest content words; or the
    two longest content words."""
    names = [t for t in terms if t.kind in ("entity", "acronym")] or [
        t for t in terms if t.kind == "tag"]
    names.sort(key=lambda t: -len(t.forms[0].split()))  # stable: question order on ties
    words = sorted((t for t in terms if t.kind == "word"), key=lambda t: -len(t.query[0]))
    if len(names) >= 2:
        chosen = [_searchable(names[0].query), _searchable(names[1].query)]
    elif names:
        chosen = [_searchable(names[0].query)]
        if words:
            chosen.append(_searchable(tuple(w.query[0] for w in words[:3])))
    else:
        chosen = [_searchable(w.query) for w in words[:2]]
    return tuple(group for group in chosen if group)


def _searchable(forms: Sequence[str]) -> tuple[str, ...]:
    """Search engines refuse or drown in very short words: keep forms of 4+ characters
    when the group has one (GDELT's "too short or too common" refusal)."""
    cleaned = tuple(dict.fromkeys(f.strip() for f in forms if f.strip()))
    long_ones = tuple(f for f in cleaned if len(f) >= 4)
    return long_ones or tuple(f for f in cleaned if len(f) >= 3)


def general_topic(favorites: Sequence[Topic]) -> Topic:
    """No market selected: the favorites' first anchors OR Polymarket/prediction markets."""
    forms: list[str] = []
    for topic in favorites[:MAX_FAVORITES]:
        if topic.clauses:
            forms.extend(topic.clauses[0][:2])
    forms.extend(GENERAL_FORMS)
    term = Term(tuple(_norm(f) for f in GENERAL_FORMS), GENERAL_FORMS, 3.0, "tag")
    return Topic(None, "general", (term,), (tuple(dict.fromkeys(forms)),))


# ---------------------------------------------------------------- queries


def _quoted(form: str) -> str:
    form = form.replace('"', "")
    return f'"{form}"' if " " in form or "-" in form else form


def _group(forms: Sequence[str], joiner: str = " OR ") -> str:
    parts = [_quoted(f) for f in forms]
    return parts[0] if len(parts) == 1 else "(" + joiner.join(parts) + ")"


def gdelt_query(topic: Topic) -> str:
    """GDELT DOC 2.0: OR-groups in parentheses, AND by juxtaposition, English only."""
    if not topic.clauses:
        return ""
    return " ".join(_group(c) for c in topic.clauses) + " sourcelang:english"


def keyword_query(topic: Topic) -> str:
    """NewsAPI `q`: explicit AND between groups (at most 500 characters)."""
    return " AND ".join(_group(c) for c in topic.clauses)[:500]


def google_query(topic: Topic) -> str:
    """Google News RSS search `q`, the last week only."""
    if not topic.clauses:
        return ""
    return " ".join(_group(c) for c in topic.clauses) + " when:7d"


# ---------------------------------------------------------------- scoring


@dataclass(frozen=True, slots=True)
class _Text:
    title: str     # " tok tok ... " (padded for whole-token matching)
    summary: str

    @classmethod
    def of(cls, headline: Headline) -> _Text:
        return cls(f" {_norm(headline.title)} ", f" {_norm(headline.summary)} ")


def _credit(term: Term, text: _Text) -> float:
    best = 0.0
    for form in term.forms:
        needle = f" {form} "
        if needle in text.title:
            return TITLE_CREDIT
        if needle in text.summary:
            best = max(best, SUMMARY_CREDIT)
    if best == 0.0 and term.head:
        needle = f" {term.head} "
        if needle in text.title:
            best = HEAD_CREDIT
        elif needle in text.summary:
            best = HEAD_CREDIT * SUMMARY_CREDIT
    return best


def relevance(topic: Topic, headline: Headline, text: _Text | None = None) -> float:
    """0..1; 0 when the headline fails the anchor rules (module docstring, point 3)."""
    if topic.empty:
        return 0.0
    text = text or _Text.of(headline)
    total = matched = 0.0
    hit: list[Term] = []
    for term in topic.terms:
        credit = _credit(term, text)
        total += term.weight
        matched += term.weight * credit
        if credit > 0:
            hit.append(term)
    if not _enough(topic.terms, hit):
        return 0.0
    return matched / total if total else 0.0


def _enough(terms: Sequence[Term], hit: Sequence[Term]) -> bool:
    counting = sum(t.counts for t in terms)
    hits = sum(t.counts for t in hit)
    anchors_hit = [t for t in hit if t.anchor]
    if not any(t.anchor for t in terms):
        return hits >= min(2, counting)
    if not anchors_hit:
        return hits >= 3
    if all(set(t.forms) <= _BUSY for t in anchors_hit) and counting >= 2:
        return hits >= 2
    return True


def recency(published: datetime | None, now: datetime) -> float:
    if published is None:
        return UNKNOWN_RECENCY
    hours = max(0.0, (now - published).total_seconds() / 3600)
    return math.pow(0.5, hours / RECENCY_HALF_LIFE_H)


def score(relevance_value: float, published: datetime | None, now: datetime) -> float:
    return round(0.8 * relevance_value + 0.2 * recency(published, now), 3)


def rank(headlines: Iterable[Headline], topic: Topic | None, now: datetime, *,
         favorites: Sequence[Topic] = (), general_providers: tuple[str, ...] = ("rss:",)
         ) -> list[Headline]:
    """Matched headlines with `market_id` and `score` set, best first.

    With a `topic` (a selected market) only headlines relevant to it stay. Without one,
    a headline goes to the favorite it fits best; the rest stay as general news if they
    mention Polymarket / prediction markets or come from a publisher feed (`rss:`).
    """
    ranked: list[Headline] = []
    general = general_topic(favorites)
    for headline in headlines:
        text = _Text.of(headline)
        if topic is not None:
            value = relevance(topic, headline, text)
            if value >= RELEVANCE_MIN:
                ranked.append(replace(headline, market_id=topic.market_id,
                                      score=score(value, headline.when, now)))
            continue
        ranked.extend(_general_match(headline, text, favorites, general, now,
                                     general_providers))
    ranked.sort(key=lambda h: (-h.score, h.title))
    return ranked


def _general_match(headline: Headline, text: _Text, favorites: Sequence[Topic],
                   general: Topic, now: datetime,
                   general_providers: tuple[str, ...]) -> list[Headline]:
    best, best_topic = 0.0, None
    for favorite in favorites:
        value = relevance(favorite, headline, text)
        if value >= RELEVANCE_MIN and value > best:
            best, best_topic = value, favorite
    if best_topic is not None:
        return [replace(headline, market_id=best_topic.market_id,
                        score=score(best, headline.when, now))]
    value = relevance(general, headline, text)
    if value >= RELEVANCE_MIN or headline.provider.startswith(general_providers):
        return [replace(headline, market_id=None, score=score(value, headline.when, now))]
    return []
