"""Demo trader data: trades, holders, open interest, comments and wallets, as Data API v1
and Gamma `/comments` payloads, for the demo endpoints (tui/demo/endpoints/data.py).

Everything is a pure function of (catalogue, time) through tui.demo.noise hashes, so a
frozen clock gives the same answer every time (tests, snapshots), while a running demo
sees new trades every few seconds. Trade prices sit on the demo's price model, so the
tape agrees with the list and the book.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from tui.demo.catalogue import DemoCatalogue, DemoEvent, DemoMarket
from tui.demo.noise import knot, stable_hash
from tui.demo.prices import PriceModel, minute_of

# Name, pseudonym, displayUsernamePublic. Some show no name, one keeps the default
# "0x<address>-<ms>" name, one hides its name: what the real API sends.
PERSONAS: tuple[tuple[str, str, bool], ...] = (
    ("whale.eth", "Brave-Otter", True), ("", "Quiet-Heron", True),
    ("siick", "Unaware-Hamster", True), ("meatrobot", "", True),
    ("", "", True), ("How.Dare.You", "Steep-Public", True),
    ("loincloth chic", "Frail-Possible", True), ("DEFAULT", "Multicolored-Self", True),
    ("hidden", "Sarcastic-Chipmunk", False), ("Aurik", "Tart-Samurai", True),
    ("", "Sweltering-Expectation", True), ("nyc-jungle", "Enchanting-Populist", True),
    ("RN1", "Scary-Edible", True), ("fed_watcher", "", True),
    ("", "Adored-Disparity", True), ("salted.caramel", "Wry-Lantern", True),
)
# The two wallets the demo's wallet view opens with (labels for `wallets add`).
DEMO_WALLETS: tuple[tuple[str, str], ...] = (
    (f"0x{stable_hash(11, 1):016x}{stable_hash(12, 1):016x}de30a11e", "Demo trader"),
    (f"0x{stable_hash(11, 2):016x}{stable_hash(12, 2):016x}de30b0b0", "Demo swing trader"),
)
BUCKET_S = 10  # trades happen in 10-second buckets, 0–2 per bucket and market
TRADES_MAX = 500
HOLDERS_PER_TOKEN = 12
COMMENTS_MAX = 40
_SALT_TRADE, _SALT_HOLDER, _SALT_COMMENT, _SALT_WALLET = 101, 202, 303, 404

COMMENT_BODIES: tuple[str, ...] = (
    "Volume is picking up here.",
    "Read the rules before buying:\nit resolves on the official announcement,\n"
    "not on media reports.",
    "Too cheap at this price.",
    "Sold half my position, still holding the rest.",
    "Anyone have a source for the latest numbers?",
    "This has been mispriced for weeks.\n\nThe base rate says otherwise.",
    "Agreed.",
    "Whales are quiet today.",
    "Odds moved 5 points in an hour, something happened.",
    "Long-time lurker, first comment: the spread is tight enough to trade now.",
)


def persona_wallet(index: int) -> str:
    return f"0x{stable_hash(7, index):016x}{stable_hash(8, index):016x}{index:08x}"


def persona(index: int) -> dict[str, Any]:
    """The profile fields a Data API row carries for persona `index`."""
    name, pseudonym, public = PERSONAS[index % len(PERSONAS)]
    wallet = persona_wallet(index % len(PERSONAS))
    if name == "DEFAULT":
        name = f"{wallet[:2]}{wallet[2:].upper()}-1766317541188"
    return {"proxyWallet": wallet, "name": "" if not public else name,
            "pseudonym": pseudonym, "displayUsernamePublic": public, "bio": "",
            "profileImage": "", "profileImageOptimized": ""}


def _unit(stream: int, n: int) -> float:
    return (knot(stream, n) >> 11) / float(1 << 53)


def _hex64(*parts: int) -> str:
    return "0x" + "".join(f"{stable_hash(*parts, i):016x}" for i in range(4))


def _price(ticks: int, scale: int) -> float:
    return round(ticks / scale, 3 if scale == 1000 else 2)


class DemoTraders:
    """Trader payloads for one catalogue, sharing its price model."""

    def __init__(self, catalogue: DemoCatalogue, prices: PriceModel) -> None:
        self._catalogue = catalogue
        self._prices = prices

    def market(self, condition_id: str) -> DemoMarket | None:
        # Not the whole catalogue: a large one builds events on demand.
        return self._catalogue.find_condition(condition_id.strip().lower())

    # ------------------------------------------------------------ trades

    def trades(self, market: DemoMarket, now_s: int, limit: int) -> list[dict[str, Any]]:
        """The newest `limit` fills at or before `now_s`, newest first."""
        rows: list[dict[str, Any]] = []
        bucket = now_s // BUCKET_S
        # A market trades at least once a minute on average; hot ones several times.
        busy = min(0.9, 0.15 + market.volume_24h / 2e6)
        for _ in range(limit * 20):  # bounded: quiet markets still end
            for row in self._bucket(market, bucket, busy):
                if row["timestamp"] <= now_s:
                    rows.append(row)
            if len(rows) >= limit:
                break
            bucket -= 1
        return rows[:limit]

    def _bucket(self, market: DemoMarket, bucket: int, busy: float) -> Iterator[dict[str, Any]]:
        stream = stable_hash(market.key, _SALT_TRADE)
        count = sum(1 for k in range(2) if _unit(stream, bucket * 2 + k) < busy)
        for k in reversed(range(count)):  # newest first within the bucket
            n = bucket * 2 + k
            draw = knot(stream ^ 0x5A5A, n)
            outcome = draw % 2
            minute = bucket * BUCKET_S // 60
            ticks = self._prices.outcome(market, outcome, minute) + (draw >> 8) % 3 - 1
            ticks = min(market.scale - 1, max(1, ticks))
            size = round(5 + (draw >> 16) % 2000 * _unit(stream ^ 0x33, n), 2)
            yield {
                **persona((draw >> 24) % len(PERSONAS)),
                "side": "BUY" if (draw >> 4) % 3 else "SELL",
                "asset": market.tokens[outcome], "conditionId": market.condition_id,
                "size": size, "price": _price(ticks, market.scale),
                "timestamp": bucket * BUCKET_S + k * 4 + (draw >> 32) % 4,
                "title": market.question, "slug": market.slug, "icon": "",
                "eventSlug": market.event.slug, "outcome": market.outcomes[outcome],
                "outcomeIndex": outcome, "transactionHash": _hex64(stream, n),
            }

    # ------------------------------------------------------------ holders and OI

    def holders(self, market: DemoMarket, limit: int) -> list[dict[str, Any]]:
        groups = []
        for outcome, token in enumerate(market.tokens):
            stream = stable_hash(market.key, _SALT_HOLDER, outcome)
            top = market.volume * 0.02 + 500
            rows: list[dict[str, Any]] = []
            for rank in range(min(limit, HOLDERS_PER_TOKEN)):
                who = persona(knot(stream, rank) % len(PERSONAS))
                if any(r["proxyWallet"] == who["proxyWallet"] for r in rows):
                    continue
                amount = round(top / (rank + 1) ** 1.2 * (0.8 + 0.4 * _unit(stream, rank)), 6)
                rows.append({**who, "asset": token, "amount": amount, "outcomeIndex": outcome,
                             "verified": False})
            rows.sort(key=lambda r: -r["amount"])
            groups.append({"token": token, "holders": rows})
        return groups

    def open_interest(self, market: DemoMarket) -> float:
        return round(market.liquidity * 3.1 + market.volume * 0.04, 6)

    # ------------------------------------------------------------ comments

    def comments(self, event: DemoEvent, now_s: int, limit: int) -> list[dict[str, Any]]:
        """Newest first; every fourth comment is a reply to the one before it."""
        anchor = int(self._catalogue.anchor_s)
        count = min(COMMENTS_MAX, event.comment_count)
        stream = stable_hash(event.key, _SALT_COMMENT)
        rows: list[dict[str, Any]] = []
        for n in range(count):
            created = anchor - int(3600 * 30 * n / max(1, count)) - knot(stream, n) % 600
            if created > now_s:
                continue
            who = persona(knot(stream ^ 1, n) % len(PERSONAS))
            rows.append({
                "id": str(int(event.id) * 1000 + count - n),
                "body": COMMENT_BODIES[knot(stream ^ 2, n) % len(COMMENT_BODIES)],
                "parentEntityType": "Event", "parentEntityID": int(event.id),
                "parentCommentID": str(int(event.id) * 1000 + count - n + 1)
                if n % 4 == 3 else None,
                "userAddress": who["proxyWallet"],
                "createdAt": datetime.fromtimestamp(created, UTC).isoformat()
                .replace("+00:00", "Z"),
                "profile": {k: who[k] for k in ("name", "pseudonym", "displayUsernamePublic",
                                                "proxyWallet", "bio")},
                "reactionCount": knot(stream ^ 3, n) % 40 if n % 3 else 0, "reportCount": 0,
            })
        return rows[:limit]

    # ------------------------------------------------------------ wallets

    def _wallet_markets(self, address: str) -> list[tuple[DemoMarket, int, int]]:
        """(market, outcome, draw) of the wallet's positions: 3 to 6 open markets."""
        seed = stable_hash(_SALT_WALLET, int(address[2:], 16))
        live = [m for m in self._catalogue.markets if not m.proposed and m.kind != "settled"]
        count = 3 + knot(seed, 0) % 4
        picks: list[tuple[DemoMarket, int, int]] = []
        for n in range(count):
            market = live[knot(seed, n + 1) % len(live)]
            if all(market is not p[0] for p in picks):
                picks.append((market, knot(seed, n + 100) % 2, knot(seed, n + 200)))
        return picks

    def positions(self, address: str, now_s: int, limit: int) -> list[dict[str, Any]]:
        minute = minute_of(datetime.fromtimestamp(now_s, UTC))
        rows: list[dict[str, Any]] = []
        for market, outcome, draw in self._wallet_markets(address):
            current = _price(self._prices.outcome(market, outcome, minute), market.scale)
            avg = round(min(0.99, max(0.01, current + ((draw % 41) - 20) / 100)), 4)
            size = round(50 + draw % 5000 + (draw >> 20) % 100 / 100, 2)
            initial, value = size * avg, size * current
            rows.append({
                "proxyWallet": address, "asset": market.tokens[outcome],
                "conditionId": market.condition_id, "size": size, "avgPrice": avg,
                "initialValue": initial, "currentValue": value, "cashPnl": value - initial,
                "percentPnl": (value - initial) / initial * 100 if initial else 0,
                "totalBought": size, "realizedPnl": 0, "percentRealizedPnl": 0,
                "curPrice": current, "redeemable": False, "mergeable": False,
                "title": market.question, "slug": market.slug, "icon": "",
                "eventId": market.event.id, "eventSlug": market.event.slug,
                "outcome": market.outcomes[outcome], "outcomeIndex": outcome,
                "oppositeOutcome": market.outcomes[1 - outcome],
                "oppositeAsset": market.tokens[1 - outcome],
                "endDate": market.event.end.date().isoformat(), "negativeRisk": False,
            })
        rows.sort(key=lambda r: -r["size"])
        return rows[:limit]

    def activity(self, address: str, now_s: int, limit: int) -> list[dict[str, Any]]:
        """Buys of the open positions, a sell, and a REDEEM of a settled market (no
        outcome: index 999, empty asset), newest first."""
        rows = []
        held = {p["asset"]: p for p in self.positions(address, now_s, TRADES_MAX)}
        for n, (market, outcome, draw) in enumerate(self._wallet_markets(address)):
            position = held[market.tokens[outcome]]
            when = now_s - 3600 * (2 + n * 9) - draw % 3000
            # The buy that made the position, at its average price; the first market
            # also had a smaller buy that was sold later at the current price.
            rows.append(self._activity_row(address, market, when, "TRADE", "BUY", outcome,
                                           position["avgPrice"], position["size"]))
            if n == 0:
                extra = round(position["size"] / 4, 2)
                rows.append(self._activity_row(address, market, when - 7200, "TRADE", "BUY",
                                               outcome, position["avgPrice"], extra))
                rows.append(self._activity_row(address, market, when + 1800, "TRADE", "SELL",
                                               outcome, position["curPrice"], extra))
        markets = self._catalogue.markets
        settled = next((m for m in markets if m.proposed), markets[-1])
        size = round(100 + stable_hash(int(address[2:], 16)) % 900, 6)
        rows.append(self._activity_row(address, settled, now_s - 86400 * 2, "REDEEM", "",
                                       None, 0, size))
        rows.sort(key=lambda r: -r["timestamp"])
        return rows[:limit]

    def _activity_row(self, address: str, market: DemoMarket, when: int, kind: str, side: str,
                      outcome: int | None, price: float, size: float) -> dict[str, Any]:
        return {
            "proxyWallet": address, "timestamp": when, "conditionId": market.condition_id,
            "type": kind, "size": size, "usdcSize": round(size * price if price else size, 6),
            "transactionHash": _hex64(int(address[2:], 16) % (1 << 62), when),
            "price": price, "asset": "" if outcome is None else market.tokens[outcome],
            "side": side, "outcomeIndex": 999 if outcome is None else outcome,
            "title": market.question, "slug": market.slug, "icon": "",
            "eventSlug": market.event.slug,
            "outcome": "" if outcome is None else market.outcomes[outcome],
            "name": "", "pseudonym": "", "bio": "", "profileImage": "",
            "profileImageOptimized": "",
        }

    def value(self, address: str, now_s: int) -> list[dict[str, Any]]:
        total = sum(r["currentValue"] for r in self.positions(address, now_s, 500))
        return [{"user": address, "value": round(total, 6)}]
