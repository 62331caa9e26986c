"""The market -> news matcher on real Polymarket questions (tests/fixtures/polymarket)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.support import NOW, polymarket_fixture
from tui.models import Headline, Market, event_from_gamma, market_from_gamma, markets_of
from tui.services.news.matching import (
    RELEVANCE_MIN,
    gdelt_query,
    general_topic,
    google_query,
    keyword_query,
    rank,
    recency,
    relevance,
    strip_template,
    tokens,
    topic_for,
)
from tui.services.news.service import plan_for


def real_markets() -> dict[str, Market]:
    """Every market of the recorded fixtures, by question (event tags included)."""
    events = [*polymarket_fixture("gamma_events_by_slug_negrisk_2026-03.json"),
              *polymarket_fixture("gamma_events_active_subset_2025-06-13.json"),
              *polymarket_fixture("gamma_public_search_2026-03.json")["events"]]
    markets = markets_of([event_from_gamma(e) for e in events])
    page = polymarket_fixture("gamma_markets_default_page_2025-06-09.json")
    markets += [market_from_gamma(m) for m in page]
    markets.append(market_from_gamma(polymarket_fixture("gamma_market_single_2026-06.json")))
    return {m.question.strip(): m for m in markets}


MARKETS = real_markets()


def market(question: str) -> Market:
    return MARKETS[question]


def news(title: str, summary: str = "", *, hours: float = 1.0,
         provider: str = "gdelt") -> Headline:
    slug = "-".join(title.lower().split())[:60]
    return Headline(title, f"https://news.example.com/{slug}", "news.example.com",
                    NOW - timedelta(hours=hours), provider, summary=summary)


def rel(question: str, title: str, summary: str = "") -> float:
    return relevance(topic_for(market(question)), news(title, summary))


# ---------------------------------------------------------------- templates and terms


@pytest.mark.parametrize(("question", "core"), [
    ("Will Gavin Newsom win the 2028 Democratic presidential nomination?",
     "Gavin Newsom win the 2028 Democratic presidential nomination"),
    ("Will Airbnb begin publicly trading before Jan 1, 2021?", "Airbnb begin publicly trading"),
    ("Xi Jinping out before 2027?", "Xi Jinping out"),
    ("Will the price of Bitcoin be above $64,000 on March 11?",
     "price of Bitcoin be above $64,000"),
    ("What will the price of Bitcoin be on November 4th, 2020?", "price of Bitcoin be"),
    ("How many confirmed Coronavirus cases will there be at EOY in the USA?",
     "confirmed Coronavirus cases will there be in the USA"),
    ("X and Truth Social merger announced before August?", "X and Truth Social merger announced"),
])
def test_strip_template(question: str, core: str) -> None:
    assert strip_template(question) == core


def test_every_recorded_market_gets_a_search_query() -> None:
    assert len(MARKETS) >= 50
    for question, found in MARKETS.items():
        topic = topic_for(found)
        assert topic.terms, question
        assert topic.clauses, question
        query = gdelt_query(topic)
        # No bare word shorter than 3 characters: GDELT refuses "too short" keywords.
        for clause in topic.clauses:
            for form in clause:
                assert len(form) >= 3, (question, form)
        assert query.endswith(" sourcelang:english")
        assert topic_for(found) == topic  # deterministic


@pytest.mark.parametrize(("question", "query"), [
    ("Will Gavin Newsom win the 2028 Democratic presidential nomination?",
     '"gavin newsom" (democratic OR democrat) sourcelang:english'),
    ("Will the Boston Celtics win the 2025 NBA Finals?",
     '"boston celtics" "nba finals" sourcelang:english'),
    ("Will the Philadelphia 76ers win the 2025 NBA Finals?",
     '"philadelphia 76ers" "nba finals" sourcelang:english'),
    ("Will Trump jail Hillary Clinton?", '"hillary clinton" trump sourcelang:english'),
    ("Will BTC break $15k before 2021?", "bitcoin sourcelang:english"),
    ("Will the price of Bitcoin be above $64,000 on March 11?", "bitcoin sourcelang:english"),
    ("What will the USD price of Filecoin ($FIL) be on November 17th, 2020?",
     "filecoin sourcelang:english"),
    ("Will Kim Kardashian and Kanye West divorce before Jan 1, 2021?",
     '"kim kardashian" "kanye west" sourcelang:english'),
    ("Who will win the 2020 League of Legends World Championship?",
     '"league of legends world championship" sourcelang:english'),
    ("X and Truth Social merger announced before August?",
     '"truth social" (twitter OR "x corp") sourcelang:english'),
])
def test_queries_for_real_questions(question: str, query: str) -> None:
    assert gdelt_query(topic_for(market(question))) == query


def test_names_numbers_tickers_and_tag_aliases_are_kept() -> None:
    topic = topic_for(market("Will Gavin Newsom win the 2028 Democratic presidential nomination?"))
    kinds = {term.forms[0]: term.kind for term in topic.terms}
    assert kinds["gavin newsom"] == "entity"
    assert kinds["2028"] == "year"
    assert kinds["nomination"] == "word"
    btc = topic_for(market("Will BTC break $15k before 2021?"))
    assert ("btc", "bitcoin") == btc.terms[0].forms[:2]
    assert any(t.forms == ("15000",) and t.kind == "number" for t in btc.terms)
    # The event tag `trump` adds an anchor to a question that does not name him.
    gop = topic_for(market("Will the GOP use 'Nuclear Option' to break filibuster?"))
    assert any(t.kind == "tag" and "trump" in t.forms for t in gop.terms)
    assert any("republican" in t.forms for t in gop.terms)  # GOP <-> Republican


def test_tokens_normalise_numbers_acronyms_and_plurals() -> None:
    assert tokens("BTC breaks $100,000") == tokens("btc break 100k")
    assert tokens("U.S. recession") == tokens("US recession") == ["united", "state", "recession"]
    assert "united" not in tokens("Tell us more")  # lower-case "us" is the pronoun
    assert tokens("Pokémon’s cards") == ["pokemon", "card"]


# ---------------------------------------------------------------- relevance


def test_relevant_and_irrelevant_headlines() -> None:
    newsom = "Will Gavin Newsom win the 2028 Democratic presidential nomination?"
    assert rel(newsom, "Newsom leads early 2028 Democratic primary poll") > 0.5
    assert rel(newsom, "Gavin Newsom says he will decide on a 2028 run") >= RELEVANCE_MIN
    # Newsom alone (by surname) is context: kept, but below the stories about the race.
    assert rel(newsom, "Newsom signs climate bill") < rel(newsom, "Newsom and the 2028 primary")
    assert rel(newsom, "Apple unveils a new iPhone") == 0.0

    btc = "Will the price of Bitcoin be above $64,000 on March 11?"
    assert rel(btc, "Bitcoin swings as traders brace for a volatile week") >= RELEVANCE_MIN
    assert rel(btc, "BTC tops $64K") > rel(btc, "Bitcoin slips")  # the strike is a bonus
    assert rel(btc, "Ethereum rallies") == 0.0

    celtics = "Will the Boston Celtics win the 2025 NBA Finals?"
    assert rel(celtics, "Celtics beat Knicks in Game 7") >= RELEVANCE_MIN  # the team alone
    assert rel(celtics, "Boston Celtics favored to win NBA Finals") > 0.8
    assert rel(celtics, "Red Sox sign a pitcher") == 0.0


def test_a_name_in_the_news_every_day_needs_a_second_term() -> None:
    limits = "Will Trump repeal Presidential term limits?"
    assert rel(limits, "Trump hosts a state dinner") == 0.0
    assert rel(limits, "Trump floats third term, calls to repeal term limits") > 0.8
    # Without the name but with the story: three content terms are enough.
    assert rel(limits, "House bill would repeal presidential term limits") >= RELEVANCE_MIN


def test_summary_counts_less_than_title() -> None:
    question = "Will Gavin Newsom win the 2028 Democratic presidential nomination?"
    in_title = rel(question, "Gavin Newsom and the Democratic race")
    in_summary = rel(question, "The race", "Gavin Newsom and the Democratic race")
    assert in_title > in_summary >= RELEVANCE_MIN


def test_hostile_headline_text_matches_safely() -> None:
    question = "Will Trump jail Hillary Clinton?"
    assert rel(question, "[/b] Trump [@click=app.quit] vows to jail Hillary Clinton") > 0.5


def test_recency() -> None:
    assert recency(NOW, NOW) == 1.0
    assert recency(NOW - timedelta(hours=24), NOW) == pytest.approx(0.5)
    assert recency(NOW + timedelta(hours=3), NOW) == 1.0
    assert 0 < recency(None, NOW) < 0.5


# ---------------------------------------------------------------- ranking


def test_rank_for_a_market_drops_misses_and_orders_by_score() -> None:
    target = market("Will BTC break $15k before 2021?")
    found = rank([
        news("Crypto winter deepens", hours=1),
        news("Bitcoin slips below support", hours=30),
        news("BTC breaks $15K for the first time since 2018", hours=2),
        news("Bitcoin steadies", hours=1),
    ], topic_for(target), NOW)
    assert [h.title for h in found] == ["BTC breaks $15K for the first time since 2018",
                                        "Bitcoin steadies", "Bitcoin slips below support"]
    assert all(h.market_id == target.id for h in found)
    assert found[0].score > found[1].score > found[2].score


def test_no_market_favorites_then_general_news() -> None:
    celtics = topic_for(market("Will the Boston Celtics win the 2025 NBA Finals?"))
    newsom = topic_for(market("Will Gavin Newsom win the 2028 Democratic presidential nomination?"))
    found = rank([
        news("Celtics beat Knicks in Game 7"),
        news("Newsom leads 2028 Democratic primary poll"),
        news("Polymarket volume hits a record"),
        news("Fed holds rates", provider="rss:Federal Reserve"),
        news("Unrelated GDELT story about gardening"),
    ], None, NOW, favorites=[celtics, newsom])
    by_title = {h.title: h.market_id for h in found}
    assert by_title == {
        "Celtics beat Knicks in Game 7": celtics.market_id,
        "Newsom leads 2028 Democratic primary poll": newsom.market_id,
        "Polymarket volume hits a record": None,
        "Fed holds rates": None,
    }


def test_plans_for_every_search_provider() -> None:
    topic = topic_for(market("Will Kim Kardashian and Kanye West divorce before Jan 1, 2021?"))
    plan = plan_for(topic)
    assert plan.gdelt == '"kim kardashian" "kanye west" sourcelang:english'
    assert plan.keywords == '"kim kardashian" AND "kanye west"'
    assert plan.google == '"kim kardashian" "kanye west" when:7d'
    assert keyword_query(topic) == plan.keywords and google_query(topic) == plan.google
    general = plan_for(None, [topic])
    assert general.gdelt.startswith('("kim kardashian" OR polymarket OR "prediction market" OR ')
    assert general_topic([]).clauses[0][0] == "polymarket"
