"""News parsers on every recorded fixture, and on hostile, malformed and HTML input."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.support import assert_inert, modules_after, news_fixture, rss_feed, rss_item
from tui.models import Headline, title_key
from tui.services.news.parse import (
    NewsPayloadError,
    QueryRefused,
    article_url,
    dedupe,
    dedupe_key,
    newsapi_error,
    parse_feed,
    parse_gdelt,
    parse_newsapi,
    parse_seendate,
    plain_text,
    strip_html,
)

# ---------------------------------------------------------------- GDELT


def test_gdelt_artlist_fixture() -> None:
    headlines = parse_gdelt(news_fixture("gdelt_artlist_vizhinjam_2024.json"))
    assert len(headlines) == 4
    first = headlines[0]
    assert first.title == "Customs grants approval to Vizhinjam International Seaport"
    assert first.url.startswith("https://www.thehindu.com/news/national/kerala/customs-grants")
    assert first.publisher == "thehindu.com"
    assert first.published_at == datetime(2024, 6, 15, 17, 0, tzinfo=UTC)
    assert first.provider == "gdelt"
    assert first.extra["language"] == "English"
    # GDELT's tokeniser puts spaces before commas; the non-Latin title survives intact.
    malayalam = headlines[1]
    assert " ," not in malayalam.title and " ;" not in malayalam.title
    assert "വിഴിഞ്ഞം" in malayalam.title


def test_gdelt_empty_object_means_no_articles() -> None:
    assert parse_gdelt("{}") == []
    assert parse_gdelt('{"articles": []}') == []


@pytest.mark.parametrize("name", ["gdelt_200_plaintext_keyword_error.txt",
                                  "gdelt_429_rate_limited_body.txt"])
def test_gdelt_plain_text_bodies_are_refusals_not_json_errors(name: str) -> None:
    with pytest.raises(QueryRefused) as caught:
        parse_gdelt(news_fixture(name))
    assert str(caught.value)[:20] in news_fixture(name)


def test_gdelt_bad_rows_are_dropped_not_the_whole_reply() -> None:
    good = {"url": "https://a.example.com/x", "title": "Good row", "seendate": "20240615T170000Z"}
    body = ('{"articles": [' + json.dumps(good)
            + ', {"url": "https://b.example.com/y", "title": "Broken \\x row"}]}')
    headlines = parse_gdelt(body)
    assert [h.title for h in headlines] == ["Good row"]


def test_gdelt_control_characters_inside_json_strings_parse() -> None:
    body = '{"articles": [{"url": "https://a.example.com/x", "title": "Tab\there"}]}'
    assert parse_gdelt(body)[0].title == "Tab here"


def test_gdelt_rows_without_https_link_or_title_are_dropped() -> None:
    body = json.dumps({"articles": [
        {"url": "http://plain.example.com/a", "title": "Plain http"},
        {"url": "javascript:alert(1)", "title": "Script"},
        {"url": "https://ok.example.com/a", "title": ""},
        {"url": "https://ok.example.com/b", "title": "Kept"},
        "not an object",
    ]})
    assert [h.title for h in parse_gdelt(body)] == ["Kept"]


def test_seendate_forms() -> None:
    assert parse_seendate("20240706T093000Z") == datetime(2024, 7, 6, 9, 30, tzinfo=UTC)
    assert parse_seendate("2024-07-06T09:30:00Z") == datetime(2024, 7, 6, 9, 30, tzinfo=UTC)
    assert parse_seendate("garbage") is None
    assert parse_seendate(None) is None


# ---------------------------------------------------------------- NewsAPI


def test_newsapi_fixture() -> None:
    data = json.loads(news_fixture("newsapi_everything_bitcoin_2020-08-09.json"))
    headlines = parse_newsapi(data)
    assert len(headlines) == len(data["articles"]) == 20
    first = headlines[0]
    assert first.publisher == "Cdr.cz"
    assert first.provider == "newsapi"
    assert first.published_at == datetime(2020, 8, 9, 7, 0, tzinfo=UTC)
    assert first.summary.startswith("Odpradávna se lidstvo")
    for headline in headlines:
        assert headline.url.startswith("https://")
        assert "<" not in headline.summary and "<" not in headline.title
        assert_inert(headline.title + headline.summary)


def test_newsapi_html_in_description_is_stripped() -> None:
    data = {"status": "ok", "articles": [{
        "source": {"id": None, "name": "Bitcoinist"}, "title": "T &amp; <b>C</b>",
        "description": "<ul><li>Bitcoin plunged</li><li>on Friday</li></ul>&nbsp;more",
        "url": "https://bitcoinist.com/x", "publishedAt": "2020-08-08T23:59:39Z",
        "content": None, "urlToImage": None}]}
    headline = parse_newsapi(data)[0]
    assert headline.title == "T & C"
    assert headline.summary == "Bitcoin plunged on Friday more"


def test_newsapi_removed_rows_and_bad_bodies() -> None:
    data = {"status": "ok", "articles": [
        {"source": {"name": "[Removed]"}, "title": "[Removed]", "url": "https://removed.com"}]}
    assert parse_newsapi(data) == []
    with pytest.raises(NewsPayloadError):
        parse_newsapi({"status": "error", "code": "apiKeyInvalid"})
    with pytest.raises(NewsPayloadError):
        parse_newsapi({"status": "ok"})


def test_newsapi_error_fixture() -> None:
    code, message = newsapi_error(news_fixture("newsapi_error_maximumResultsReached_http426.json"))
    assert code == "maximumResultsReached"
    assert message.startswith("You have requested too many results")
    assert newsapi_error("not json") == ("", "")


# ---------------------------------------------------------------- RSS / Atom


def test_google_news_fixture() -> None:
    headlines = parse_feed(news_fixture("rss_google_news_top_fr-BE_2020-03-08.xml"),
                           provider="google_news", google=True)
    assert len(headlines) == 1
    headline = headlines[0]
    # " - RTBF" belongs to the publisher, not the headline.
    assert headline.title.startswith("Coronavirus en Belgique: 200 cas détectés")
    assert not headline.title.endswith("RTBF")
    assert headline.publisher == "RTBF"
    assert headline.url.startswith("https://news.google.com/__i/rss/rd/articles/CBMi")
    assert headline.published_at == datetime(2020, 3, 8, 10, 32, 7, tzinfo=UTC)
    assert headline.summary == ""  # Google's description is a list of other links


def test_the_same_fixture_as_a_plain_feed_keeps_the_description_as_text() -> None:
    headline = parse_feed(news_fixture("rss_google_news_top_fr-BE_2020-03-08.xml"),
                          provider="rss:Google", publisher="Google")[0]
    assert headline.publisher == "Google"
    assert headline.provider == "rss:Google"
    assert "<" not in headline.summary and "href" not in headline.summary
    assert "Sudinfo.be" in headline.summary


def test_atom_feed() -> None:
    atom = ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            "<title>Atom test</title><entry><title type=\"html\">Fed &lt;b&gt;holds&lt;/b&gt;"
            '</title><link rel="alternate" href="https://atom.example.com/e1?utm_source=rss"/>'
            "<updated>2026-03-01T10:00:00Z</updated><content type=\"html\">&lt;p&gt;Rates "
            "unchanged&lt;/p&gt;</content></entry></feed>")
    headline = parse_feed(atom, provider="rss:Atom")[0]
    assert headline.title == "Fed holds"
    assert headline.url == "https://atom.example.com/e1"
    assert headline.publisher == "Atom test"
    assert headline.summary == "Rates unchanged"
    assert headline.published_at == datetime(2026, 3, 1, 10, 0, tzinfo=UTC)


def test_hostile_feed_text_is_inert() -> None:
    text = rss_feed(
        rss_item("[/b] Bad &#27;]8;;https://evil.example/&#7;click&#27;]8;;&#7; \u202eevil\u202c",
                 description="&lt;script&gt;alert(1)&lt;/script&gt;[@click=app.quit]x &#27;[2J"),
        rss_item("[@click=app.quit]Claim your prize", link="https://ok.example.com/b"),
        rss_item("No https", link="http://plain.example.com/c"),
        rss_item("Bad scheme", link="javascript:alert(1)"),
        rss_item("Creds", link="https://user:pw@evil.example.com/"),
    )
    headlines = parse_feed(text, provider="rss:Hostile", publisher="Hostile")
    assert [h.title[:6] for h in headlines] == ["[/b] B", "[@clic"]
    for headline in headlines:
        assert_inert(headline.title + headline.summary + headline.publisher)
    first = headlines[0]
    assert first.title.startswith("[/b] Bad click")  # the OSC 8 sequences gone whole
    assert "evil" in first.title  # the bidi override is gone, the letters stay
    assert "alert(1)" not in first.summary  # script content is dropped with the tag
    assert "[@click=app.quit]x" in first.summary  # brackets stay: the UI shows them literally


def test_malformed_xml() -> None:
    with pytest.raises(NewsPayloadError):
        parse_feed("<html><body>Blocked</body></html>", provider="rss:x")
    with pytest.raises(NewsPayloadError):
        parse_feed("", provider="rss:x")
    # A feed cut short still gives the items that arrived whole.
    truncated = rss_feed(rss_item("Whole item"))[:-30]
    assert [h.title for h in parse_feed(truncated, provider="rss:x")] == ["Whole item"]


def test_feed_declared_in_another_encoding_is_read_as_the_decoded_text() -> None:
    text = rss_feed(rss_item("Café crème")).replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
    assert parse_feed(text, provider="rss:x")[0].title == "Café crème"


def test_a_body_that_looks_like_a_url_or_a_path_is_never_fetched_or_opened(
        tmp_path: Path) -> None:
    secret = tmp_path / "secret.xml"
    secret.write_text(rss_feed(rss_item("From a local file")))
    for body in (str(secret), "https://example.com/feed.xml"):
        with pytest.raises(NewsPayloadError):
            parse_feed(body, provider="rss:x")


def test_feedparser_is_imported_lazily() -> None:
    loaded = modules_after("import tui.services.news, tui.store, tui.services.market_data")
    assert "feedparser" not in loaded


def test_oversized_bodies_are_refused_before_parsing() -> None:
    with pytest.raises(NewsPayloadError):
        parse_feed("x" * 5_000_001, provider="rss:x")
    with pytest.raises(NewsPayloadError):
        parse_gdelt("{" + " " * 5_000_001 + "}")


# ---------------------------------------------------------------- text, URLs, dedupe


def test_plain_text() -> None:
    assert plain_text("<p>Hi &amp; <b>bold</b></p><p>next</p>") == "Hi & bold next"
    assert plain_text("&lt;p&gt;double &amp;amp; escaped&lt;/p&gt;") == "double & escaped"
    assert plain_text("S&P < 5000 and 3 > 2") == "S&P < 5000 and 3 > 2"
    assert plain_text(None) == ""
    assert strip_html("<style>p{}</style>text") == "text"
    assert len(plain_text("x" * 1000, 50)) == 50


def test_article_url() -> None:
    assert article_url("https://News.Example.com/a/b?utm_source=x&id=7&fbclid=abc#frag") == (
        "https://news.example.com/a/b?id=7")
    assert article_url("https://example.com") == "https://example.com/"
    assert article_url("http://example.com/a") is None
    assert article_url("https://example.com/\x1b]8;;") is None
    assert article_url("-https://example.com/") is None
    assert article_url(None) is None


def test_dedupe_by_canonical_url_and_by_title_across_providers() -> None:
    when = datetime(2026, 3, 1, tzinfo=UTC)
    gdelt = Headline("Fed holds rates steady as inflation cools", "https://www.reuters.com/a/",
                     "reuters.com", None, "gdelt")
    rss_copy = Headline("Fed holds rates steady as inflation cools", "https://reuters.com/a",
                        "Reuters", when, "rss:Reuters", summary="The Fed said...")
    google = Headline("Fed Holds Rates Steady, as Inflation Cools - Reuters",
                      "https://news.google.com/rss/articles/CBMi1", "Reuters", when,
                      "google_news")
    other = Headline("Short", "https://other.example.com/x", "o", when, "gdelt")
    same_short = Headline("Short", "https://third.example.com/x", "t", when, "gdelt")
    merged = dedupe([gdelt, rss_copy, google, other, same_short])
    assert [h.url for h in merged] == ["https://www.reuters.com/a/",
                                       "https://other.example.com/x",
                                       "https://third.example.com/x"]
    assert merged[0].summary == "The Fed said..." and merged[0].published_at == when
    assert dedupe_key("https://www.reuters.com/a/") == dedupe_key("https://reuters.com/a")
    assert title_key("Short") == ""  # too short to merge different stories on
