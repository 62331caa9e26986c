"""Alerts: crossing and re-arming, moves within a window, ends-within, persistence in
SQLite, and the command hook fed hostile market text (argv only, JSON on stdin)."""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tui.models import Market, Outcome, PricePoint
from tui.services.alert_rules import (
    AlertSpec,
    already_crossed,
    default_level,
    parse_duration,
    parse_price,
    spec_for,
)
from tui.services.alerts import (
    Alert,
    AlertFired,
    AlertService,
    SlidingRange,
    run_alert_command,
)
from tui.services.stream_protocol import PriceTick
from tui.store import Store
from tui.view.format import fmt_window

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
T0 = NOW.timestamp()
TOKEN = "7" * 77
HOSTILE = ('"; rm -rf ~; echo $(touch PWNED) `touch PWNED2` && [/b] [@click=app.quit]x '
           "Trump [R] \\ \u202e\u0000\x1b[2J\n' OR 1=1 -- \ud83d 日本")


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


def market(**changes: Any) -> Market:
    base: dict[str, Any] = dict(
        id="501", slug="will-it", question="Will it happen?", event_slug="it",
        outcomes=(Outcome("Yes", 0.5, TOKEN), Outcome("No", 0.5, "8" * 77)),
        end_date=NOW + timedelta(hours=30))
    base.update(changes)
    return Market(**base)


@pytest.fixture
def clock() -> Clock:
    return Clock()


def at(seconds: float) -> datetime:
    return NOW + timedelta(seconds=seconds)


# ---------------------------------------------------------------- parsing


@pytest.mark.parametrize(("text", "value"), [("0.6", 0.6), ("60c", 0.6), ("60¢", 0.6),
                                             (" 0.05 ", 0.05), ("12.5¢", 0.125)])
def test_parse_price(text: str, value: float) -> None:
    assert parse_price(text) == value


@pytest.mark.parametrize("text", ["60", "1", "0", "-0.2", "abc", "", "nan", "1.5"])
def test_parse_price_refuses(text: str) -> None:
    with pytest.raises(ValueError, match="price"):
        parse_price(text)


@pytest.mark.parametrize(("text", "seconds"), [("90s", 90), ("30m", 1800), ("1h", 3600),
                                               ("24h", 86400), ("2d", 172800), ("1w", 604800),
                                               ("6", 21600), ("1.5h", 5400)])
def test_parse_duration(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "h", "1y", "-1h", "0s", "400d"])
def test_parse_duration_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)


@pytest.mark.parametrize("text", ["45s", "90s", "30m", "1h", "90m", "1d", "1w"])
def test_windows_read_back_as_typed(text: str) -> None:
    assert fmt_window(parse_duration(text)) == text


def test_spec_problems_are_sentences() -> None:
    m = market()
    assert spec_for(m, "above", threshold=0.6).problem() is None
    assert "between 0 and 1" in (spec_for(m, "above", threshold=1.2).problem() or "")
    assert "window" in (spec_for(m, "move", threshold=0.1).problem() or "")
    assert "end date" in (spec_for(market(end_date=None), "ends",
                                   window_s=3600).problem() or "")
    assert "outcome" in (spec_for(market(outcomes=()), "below", threshold=0.2).problem() or "")


def test_describe_and_market_text() -> None:
    m = market()
    assert spec_for(m, "above", threshold=0.6).describe() == "crosses above 60.0¢"
    assert spec_for(m, "move", threshold=0.1, window_s=3600).describe() == \
        "moves 10.0¢ within 1h"
    assert spec_for(m, "ends", window_s=86400).describe() == "ends within 1d"
    no = spec_for(m, "below", threshold=0.3, outcome=m.outcomes[1])
    assert no.market_text == "Will it happen? — No" and no.token_id == "8" * 77


# ---------------------------------------------------------------- storage


async def test_add_list_remove_survive_a_restart(store: Store, alert_service: AlertService,
                                                 clock: Clock) -> None:
    first = await alert_service.add(spec_for(market(), "above", threshold=0.6))
    second = await alert_service.add(spec_for(market(), "ends", window_s=86400))
    assert alert_service.tokens == {TOKEN}
    again = AlertService(store, clock=clock)
    loaded = await again.load()
    assert [a.id for a in loaded] == [first.id, second.id]
    assert loaded[0].spec == first.spec and loaded[1].spec.end_date == market().end_date
    assert await again.remove(first.id) and not await again.remove(first.id)
    assert [a.id for a in await again.alerts()] == [second.id]
    assert again.tokens == set()


async def test_an_invalid_spec_is_refused(alert_service: AlertService) -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        await alert_service.add(spec_for(market(), "below", threshold=0.0))


# ---------------------------------------------------------------- crossing


async def test_above_fires_once_per_crossing_and_rearms(alert_service: AlertService,
                                                        store: Store) -> None:
    alert = await alert_service.add(spec_for(market(), "above", threshold=0.6))
    seen: list[AlertFired] = []
    alert_service.add_listener(seen.append)
    path = [0.5, 0.61, 0.62, 0.598, 0.7, 0.55, 0.6, 0.597, 0.65]
    fired = [bool(alert_service.check({TOKEN: p}, at(i))) for i, p in enumerate(path)]
    # 0.598 is inside the re-arm margin; 0.55 re-arms; 0.6 fires (at the threshold).
    assert fired == [False, True, False, False, False, False, True, False, False]
    assert [f.price for f in seen] == [0.61, 0.6]
    assert seen[0].message == "Will it happen?: crossed above 60.0¢: now 61.0¢"
    assert seen[0].alert.id == alert.id and not seen[0].alert.armed
    await alert_service.drain()
    log = await alert_service.log()
    assert [entry.payload["price"] for entry in log] == [0.6, 0.61]  # newest first
    assert log[0].message.endswith("now 60.0¢")
    [stored] = await store.alerts()
    assert stored.armed is False  # fired last: disarmed on disk too


async def test_below_fires_and_rearms(alert_service: AlertService) -> None:
    await alert_service.add(spec_for(market(), "below", threshold=0.3))
    path = [0.35, 0.29, 0.2, 0.303, 0.31, 0.28]
    assert [len(alert_service.check({TOKEN: p})) for p in path] == [0, 1, 0, 0, 0, 1]


async def test_a_new_alert_whose_condition_holds_fires_on_the_first_price(
        alert_service: AlertService) -> None:
    await alert_service.add(spec_for(market(), "above", threshold=0.4))
    assert len(alert_service.check({TOKEN: 0.5})) == 1


async def test_armed_state_survives_a_restart(store: Store, alert_service: AlertService,
                                              clock: Clock) -> None:
    await alert_service.add(spec_for(market(), "above", threshold=0.6))
    alert_service.check({TOKEN: 0.65})
    await alert_service.drain()
    restarted = AlertService(store, clock=clock)
    await restarted.load()
    assert restarted.check({TOKEN: 0.66}) == []  # still above: no repeat after restart
    restarted.check({TOKEN: 0.5})  # crossed back: re-armed, and saved
    await restarted.drain()
    assert (await store.alerts())[0].armed is True
    assert len(restarted.check({TOKEN: 0.61})) == 1
    await restarted.aclose()


async def test_other_tokens_and_ticks(alert_service: AlertService) -> None:
    await alert_service.add(spec_for(market(), "above", threshold=0.6))
    assert alert_service.check({"other": 0.9, TOKEN: None}) == []  # type: ignore[dict-item]
    fired = alert_service.check([PriceTick(TOKEN, 0.62, 0.61, 0.63, T0)])
    assert [f.price for f in fired] == [0.62]


async def test_a_failing_listener_does_not_stop_the_others(alert_service: AlertService) -> None:
    await alert_service.add(spec_for(market(), "above", threshold=0.6))
    seen: list[AlertFired] = []

    def boom(event: AlertFired) -> None:
        raise RuntimeError("listener bug")

    alert_service.add_listener(boom)
    stop = alert_service.add_listener(seen.append)
    alert_service.check({TOKEN: 0.7})
    assert len(seen) == 1
    stop()


async def test_removing_an_alert_with_a_pending_write(alert_service: AlertService,
                                                      store: Store) -> None:
    alert = await alert_service.add(spec_for(market(), "above", threshold=0.6))
    alert_service.check({TOKEN: 0.7})
    assert await alert_service.remove(alert.id)
    await alert_service.drain()
    assert await store.alerts() == []
    # It fired (the user saw it) before it was deleted: the log keeps that, whichever
    # of the two writes ran first.
    [entry] = await alert_service.log()
    assert entry.alert_id == alert.id and entry.market_text == "Will it happen?"
    assert alert_service.check({TOKEN: 0.2}) == [] and alert_service.check({TOKEN: 0.9}) == []


async def test_deleting_an_alert_keeps_its_firings_in_the_log(alert_service: AlertService
                                                              ) -> None:
    alert = await alert_service.add(spec_for(market(question=HOSTILE), "above", threshold=0.6))
    alert_service.check({TOKEN: 0.7})
    await alert_service.drain()
    assert await alert_service.remove(alert.id)
    [entry] = await alert_service.log()
    assert entry.alert_id == alert.id and entry.market_text == HOSTILE
    assert entry.detail == "crossed above 60.0¢: now 70.0¢"


@pytest.mark.parametrize(("kind", "price", "level"), [
    ("above", 0.42, 0.47), ("below", 0.42, 0.37), ("above", 0.97, 0.99), ("below", 0.02, 0.01),
    ("above", 0.333, 0.38), ("move", 0.42, None), ("above", None, None),
])
def test_default_level_is_5_cents_away_on_the_waiting_side(
        kind: str, price: float | None, level: float | None) -> None:
    assert default_level(kind, price) == level  # type: ignore[arg-type]


@pytest.mark.parametrize(("kind", "threshold", "price", "crossed"), [
    ("above", 0.6, 0.59, False), ("above", 0.6, 0.6, True), ("above", 0.6, 0.7, True),
    ("below", 0.3, 0.31, False), ("below", 0.3, 0.3, True), ("below", 0.3, 0.1, True),
    ("above", 0.6, None, False), ("move", 0.1, 0.5, False),
])
async def test_already_crossed_agrees_with_what_fires_at_once(
        alert_service: AlertService, kind: str, threshold: float, price: float | None,
        crossed: bool) -> None:
    sentence = already_crossed(kind, threshold, price)  # type: ignore[arg-type]
    assert (sentence is not None) is crossed
    if kind in ("above", "below") and price is not None:
        await alert_service.add(spec_for(market(), kind, threshold=threshold))  # type: ignore[arg-type]
        assert bool(alert_service.check({TOKEN: price})) is crossed


def test_already_crossed_says_why_in_words() -> None:
    assert already_crossed("below", 0.3, 0.25) == (
        "the price is already 25.0¢, at or below 30.0¢, so this alert would fire at once: "
        "pick a level below 25.0¢")


# ---------------------------------------------------------------- moves


def test_sliding_range_forgets_old_extremes() -> None:
    window = SlidingRange(3600)
    for t, p in [(0, 0.5), (100, 0.7), (200, 0.6)]:
        window.add(t, p)
    assert window.move(0.6) == pytest.approx((0.1, 0.5))
    window.add(3650, 0.62)  # 0.5 at t=0 has left the window; 0.7 is still in
    assert window.move(0.62) == pytest.approx((0.08, 0.7))


async def test_move_within_window_fires_and_rearms(alert_service: AlertService) -> None:
    await alert_service.add(spec_for(market(), "move", threshold=0.1, window_s=3600))

    def tick(seconds: float, price: float) -> list[AlertFired]:
        return alert_service.check([PriceTick(TOKEN, price, None, None, T0 + seconds)])

    assert tick(0, 0.50) == [] and tick(600, 0.55) == []
    [fired] = tick(1200, 0.60)  # 10 points up within the hour
    assert fired.message == "Will it happen?: rose 10.0¢ within 1h: now 60.0¢ (from 50.0¢)"
    assert tick(1300, 0.62) == []  # the same move: fired once
    assert tick(4000, 0.62) == []  # 0.50 left the window: re-armed quietly
    [down] = tick(4100, 0.51)
    assert "fell 11.0¢" in down.message


async def test_a_slow_drift_is_not_a_move(alert_service: AlertService) -> None:
    await alert_service.add(spec_for(market(), "move", threshold=0.1, window_s=3600))
    for step in range(10):
        assert alert_service.check([PriceTick(TOKEN, 0.40 + step * 0.02, None, None,
                                               T0 + step * 1800)]) == []


async def test_move_window_is_primed_from_history(store: Store, clock: Clock) -> None:
    await store.record_prices([PricePoint(TOKEN, int(T0) - 1200, 0.40),
                               PricePoint(TOKEN, int(T0) - 7200, 0.90)])  # older: ignored
    first = AlertService(store, clock=clock)
    await first.add(spec_for(market(), "move", threshold=0.1, window_s=3600))
    primed = AlertService(store, clock=clock)
    await primed.load()
    [fired] = primed.check({TOKEN: 0.52}, NOW)
    assert "from 40.0¢" in fired.message
    await primed.aclose()
    await first.aclose()


# ---------------------------------------------------------------- ends within


async def test_ends_within_fires_once_and_rearms_when_the_end_moves(
        store: Store, alert_service: AlertService) -> None:
    await alert_service.add(spec_for(market(), "ends", window_s=24 * 3600))
    assert alert_service.check_time(NOW) == []  # 30 h left
    [fired] = alert_service.check_time(NOW + timedelta(hours=7))
    assert fired.price is None and fired.message == "Will it happen?: ends in 23h"
    assert alert_service.check_time(NOW + timedelta(hours=8)) == []
    later = market(end_date=NOW + timedelta(days=5))
    assert alert_service.check_markets([later], NOW + timedelta(hours=8)) == []  # re-armed
    [again] = alert_service.check_time(NOW + timedelta(days=4, hours=1))
    assert "ends in" in again.message
    await alert_service.drain()
    [row] = await store.alerts()
    assert row.params["end_date"] == "2026-03-06T12:00:00Z"


async def test_a_passed_end_date_says_so(alert_service: AlertService) -> None:
    await alert_service.add(spec_for(market(end_date=NOW - timedelta(hours=1)), "ends",
                                     window_s=3600))
    [fired] = alert_service.check_time(NOW)
    assert fired.message.endswith("has reached its end date")


# ---------------------------------------------------------------- the command hook

CAPTURE = """
import json, sys
data = sys.stdin.buffer.read()
open(sys.argv[1], "wb").write(data)
json.dump(sys.argv[1:], open(sys.argv[1] + ".argv", "w"))
"""


def read_capture(out: Path) -> tuple[bytes, list[str]]:
    """What the script got on stdin, and its argv."""
    return out.read_bytes(), json.loads(out.with_name(out.name + ".argv").read_text())


def capture_script(tmp_path: Path) -> tuple[list[str], Path]:
    script = tmp_path / "capture.py"
    script.write_text(CAPTURE)
    out = tmp_path / "stdin.json"
    return [sys.executable, str(script), str(out)], out


async def test_command_gets_hostile_text_as_json_data_only(
        store: Store, clock: Clock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    async def no_shell(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("an alert command went through a shell")

    monkeypatch.setattr(asyncio, "create_subprocess_shell", no_shell)
    monkeypatch.chdir(tmp_path)
    argv, out = capture_script(tmp_path)
    alert_service = AlertService(store, command=argv, clock=clock)
    hostile = market(question=HOSTILE)
    await alert_service.add(spec_for(hostile, "above", threshold=0.6,
                                     outcome=Outcome(HOSTILE, 0.5, TOKEN)))
    [fired] = alert_service.check({TOKEN: 0.7})
    [result] = await alert_service.drain()
    assert result.returncode == 0 and result.error == ""
    raw, args = read_capture(out)
    assert raw.isascii()  # no raw control or bidi character reaches the program
    payload = json.loads(raw)
    assert payload["question"] == HOSTILE and payload["outcome"] == HOSTILE
    assert payload == json.loads(json.dumps(fired.payload()))
    assert payload["price"] == 0.7 and payload["kind"] == "above"
    # The argv is exactly the configured one: no market text in it, nothing expanded.
    assert args == argv[2:]
    assert not (tmp_path / "PWNED").exists() and not (tmp_path / "PWNED2").exists()
    await alert_service.aclose()


async def test_command_timeout_kills_it(tmp_path: Path) -> None:
    script = tmp_path / "slow.py"
    script.write_text("import time\ntime.sleep(30)\n")
    result = await run_alert_command([sys.executable, str(script)], {"a": 1}, timeout_s=0.2)
    assert result.returncode is None and "did not finish within 0.2 s" in result.error


async def test_command_failures_are_sentences(store: Store, clock: Clock,
                                              tmp_path: Path) -> None:
    missing = await run_alert_command([str(tmp_path / "no-such-program")], {})
    assert missing.returncode is None and "could not start" in missing.error
    failing = await run_alert_command(
        [sys.executable, "-c", "import sys; sys.stderr.write('boom'); sys.exit(3)"], {})
    assert failing.returncode == 3 and "status 3: boom" in failing.error
    alert_service = AlertService(store, command=[str(tmp_path / "absent")], clock=clock)
    await alert_service.add(spec_for(market(), "below", threshold=0.3))
    assert len(alert_service.check({TOKEN: 0.1})) == 1  # the alert still fires
    await alert_service.drain()
    assert "could not start" in alert_service.command_errors[-1]
    assert len(await alert_service.log()) == 1
    await alert_service.aclose()


def test_alert_to_dict_is_json() -> None:
    alert = Alert(3, spec_for(market(), "move", threshold=0.1, window_s=3600), NOW)
    data = json.loads(json.dumps(alert.to_dict()))
    assert data["condition"] == "moves 10.0¢ within 1h" and data["token_id"] == TOKEN
    assert AlertSpec.from_row("501", "move", alert.spec.params()) == alert.spec
