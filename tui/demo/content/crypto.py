"""Crypto: price targets, daily strike ladders, hourly Up/Down, ETFs, month-end ranges."""

from __future__ import annotations

import math
from datetime import timedelta

from tui.demo.content.common import (
    Draws,
    EventSpec,
    MarketSpec,
    by_distance,
    exclusive,
    money,
    money_full,
    rules,
    single,
)
from tui.demo.noise import sigmoid

_COINS = (  # name, ticker, spot, strike step, tag
    ("Bitcoin", "BTC", 118_000.0, 5_000.0, "bitcoin"),
    ("Ethereum", "ETH", 4_200.0, 250.0, "ethereum"),
    ("Solana", "SOL", 210.0, 10.0, "solana"),
    ("XRP", "XRP", 3.1, 0.25, "crypto-prices"),
    ("Dogecoin", "DOGE", 0.27, 0.05, "crypto-prices"),
)
_ETF_COINS = ("Solana", "XRP", "Dogecoin", "Cardano", "Litecoin", "Avalanche", "Polkadot")


def _coin(k: int) -> tuple[str, str, float, float, str]:
    return _COINS[k % len(_COINS)]


def reach(g: Draws, k: int) -> EventSpec:
    name, ticker, spot, step, tag = _coin(k)
    up = k % 3 != 2
    ratio = g.rng.uniform(0.08, 0.45)
    strike = round(spot * (1 + ratio if up else 1 - ratio) / step) * step or step
    end = g.dated_end("days", "months")
    when = g.day_text(end)
    verb = "reach" if up else "dip to"
    relation = "at or above" if up else "at or below"
    p0 = max(0.02, min(0.93, math.exp(-ratio * 6.0) * g.rng.uniform(0.6, 1.1)))
    return single(g, "crypto", f"Will {name} {verb} {money(strike)} by {when}?",
                  rules(f"any Binance 1 minute candle for {ticker}/USDT has a final "
                        f"{'High' if up else 'Low'} price {relation} {money_full(strike)}",
                        when, "Binance"),
                  p0, end, name, ("crypto-prices", tag), f"{name} {ticker} price", heat=2.0)


def above(g: Draws, k: int) -> EventSpec:
    name, ticker, spot, step, tag = _coin(k)
    end = g.end("hours", "days")
    when = g.day_text(end)
    fine = step / 5
    center = round(spot / fine) * fine
    strikes = [center + (i - 4) * fine * 2 for i in range(9)]
    markets = []
    for strike in strikes:
        label = money_full(strike)
        p0 = sigmoid((spot - strike) / (spot * 0.025))
        rules = (f'This market will resolve to "Yes" if the Binance 1 minute candle for '
                 f'{ticker}/USDT 12:00 in the ET timezone (noon) on {when} has a final "Close" '
                 f'price higher than {label}. Otherwise, this market will resolve to "No".\n\n'
                 f'The resolution source for this market is Binance, specifically the '
                 f'{ticker}/USDT "Close" prices with "1m" and "Candles" selected.')
        markets.append(MarketSpec(f"Will the price of {name} be above {label} on {when}?", rules,
                                  p0, group=label))
    return EventSpec(category="crypto", title=f"{name} above ___ on {when}?", topic=name,
                     markets=markets, end=end, shape="ladder", tags=("crypto-prices", tag),
                     keywords=f"{name} {ticker} price", heat=1.5,
                     description=markets[0].description)


def updown(g: Draws, k: int) -> EventSpec:
    name, ticker, _spot, _step, tag = _coin(k)
    end = g.end("hours")
    when = g.moment_text(end)
    desc = (f'This market will resolve to "Up" if the {ticker}/USDT close price at {when} is '
            f'greater than or equal to the open price one hour earlier. Otherwise it will '
            f'resolve to "Down".\n\nThe resolution source is Binance.')
    return single(g, "crypto", f"{name} Up or Down: {when}?", desc, g.rng.uniform(0.35, 0.65),
                  end, name, ("crypto-prices", tag), f"{name} {ticker} price",
                  outcomes=("Up", "Down"), heat=0.8)


def etf(g: Draws, k: int) -> EventSpec:
    coin = _ETF_COINS[k % len(_ETF_COINS)]
    end = g.dated_end("months")
    when = g.day_text(end)
    return single(g, "crypto", f"Will a spot {coin} ETF be approved by {when}?",
                  rules(f"the SEC approves a spot {coin} exchange-traded fund", when,
                        "official SEC announcements"),
                  g.prob(0.1, 0.9), end, f"a spot {coin} ETF", ("crypto-prices",),
                  f"{coin} ETF SEC approval")


def coin_range(g: Draws, k: int) -> EventSpec:
    name, ticker, spot, step, tag = _coin(k)
    end = g.month_after(1 + k // len(_COINS), day=1)
    month = g.month_text(end - timedelta(days=1))
    edges = [round(spot / step) * step + (i - 3) * step for i in range(7)]
    labels = [f"<{money(edges[0])}"] + [
        f"{money(a)}-{money(b)}" for a, b in zip(edges, edges[1:], strict=False)
    ] + [f">{money(edges[-1])}"]

    def text(label: str) -> str:
        return (f'This market will resolve to "Yes" if the {ticker}/USDT Binance close price at '
                f'the end of {month} falls in the range {label}. Otherwise "No".')
    return exclusive(g, "crypto", f"{name} price at the end of {month}?", labels,
                     lambda label: f"Will {name} close {month} at {label}?", text, end, name,
                     ("crypto-prices", tag), f"{name} {ticker} price",
                     likely=by_distance(len(labels), 3.5))
