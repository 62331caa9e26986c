"""Tech: AI leaderboards, the largest company, earnings, product releases."""

from __future__ import annotations

from datetime import timedelta

from tui.demo.content.common import (
    Draws,
    EventSpec,
    exclusive,
    rules,
    single,
)

_COMPANIES = (  # name, ticker tag
    ("Nvidia", "nvidia"), ("Tesla", "tesla"), ("Apple", "apple"), ("Microsoft", "microsoft"),
    ("Alphabet", "google"), ("Amazon", "amazon"), ("Meta", "meta"),
)
_AI_LABS = ("Google", "OpenAI", "Anthropic", "xAI", "Meta", "DeepSeek", "Mistral")
_BIGGEST = ("Nvidia", "Microsoft", "Apple", "Alphabet", "Amazon", "Broadcom", "Meta",
            "Saudi Aramco", "Tesla")
_PRODUCTS = ("GPT-6", "Gemini 4", "Grok 6", "a foldable iPhone", "Apple smart glasses",
             "Tesla's unsupervised robotaxi in California", "Starship's first crewed flight",
             "a Nintendo Switch 2 price cut")


def best_ai(g: Draws, k: int) -> EventSpec:
    end = g.month_after(1 + k, day=1)
    month = g.month_text(end - timedelta(days=1))
    return exclusive(
        g, "tech", f"Which company has the best AI model end of {month}?", _AI_LABS,
        lambda c: f"Will {c} have the best AI model at the end of {month}?",
        lambda c: (f'This market will resolve to "Yes" if {c} owns the top model on the LMArena '
                   f'text leaderboard at the end of {month}. Otherwise "No".'),
        end, "AI models", ("ai",), "AI model leaderboard OpenAI Google Anthropic", heat=2.0)


def biggest(g: Draws, k: int) -> EventSpec:
    end = g.month_after(1 + 2 * k, day=1)
    month = g.month_text(end - timedelta(days=1))
    return exclusive(
        g, "tech", f"Largest company in the world end of {month}?", _BIGGEST,
        lambda c: f"Will {c} be the largest company in the world at the end of {month}?",
        lambda c: (f'This market will resolve to "Yes" if {c} has the largest market '
                   f'capitalisation of any public company at the end of {month}. Otherwise "No".'),
        end, "market capitalisation", ("stocks",), "market cap largest company stocks")


def earnings(g: Draws, k: int) -> EventSpec:
    company, tag = _COMPANIES[k % len(_COMPANIES)]
    end = g.end("days") + timedelta(days=91 * (k // len(_COMPANIES)))
    reported = end - timedelta(days=45)  # results arrive some weeks after the quarter
    quarter = f"Q{1 + (reported.month - 1) // 3} {reported.year}"
    return single(g, "tech", f"Will {company} beat quarterly earnings ({quarter})?",
                  rules(f"{company} reports adjusted EPS above the consensus estimate for "
                        f"{quarter}", g.day_text(end), f"{company}'s earnings release"),
                  g.prob(0.4, 0.9), end, company, ("earnings", "stocks", tag),
                  f"{company} earnings stock EPS")


def release(g: Draws, k: int) -> EventSpec:
    product = _PRODUCTS[k % len(_PRODUCTS)]
    end = g.dated_end("months")
    when = g.day_text(end)
    return single(g, "tech", f"Will {product} be released by {when}?",
                  rules(f"{product} is released to the public", when,
                        "official announcements from the company"),
                  g.prob(0.05, 0.8), end, product, ("ai",), f"{product} launch release")
