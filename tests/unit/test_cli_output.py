"""What the headless commands print, without a process: the parser's help, the market
rows in each format, and the tags a mistyped --tag probably meant."""

from __future__ import annotations

import argparse
import csv
import io

import pytest

from tui.cli import build_parser
from tui.cli.headless import MARKET_COLUMNS, close_tags, market_row
from tui.cli.output import render
from tui.models import Market, Outcome


def _all_parsers(parser: argparse.ArgumentParser) -> list[tuple[str, argparse.ArgumentParser]]:
    found = [(parser.prog, parser)]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found += _all_parsers(sub)
    return found


def test_every_option_of_every_command_has_help() -> None:
    parsers = _all_parsers(build_parser())
    assert {prog for prog, _ in parsers} >= {"polydash", "polydash markets", "polydash serve"}
    silent = [f"{prog} {'/'.join(action.option_strings) or action.dest}"
              for prog, parser in parsers for action in parser._actions
              if not action.help or action.help == argparse.SUPPRESS]
    assert silent == []


def _market(change: float | None, price: float = 0.307) -> Market:
    return Market(id="1", slug="m", question="Will it?", change_24h=change,
                  outcomes=(Outcome("Yes", price, "11"), Outcome("No", 1 - price, "22")),
                  volume_24h=1234.5, liquidity=99.0)


CHANGES = [(0.003, "+0.3", 0.3), (-0.012, "-1.2", -1.2), (0.0, "0.0", 0.0),
           (-0.0004, "0.0", -0.04), (None, "—", None)]


@pytest.mark.parametrize(("change", "shown", "cents"), CHANGES)
def test_the_24h_change_in_the_table_and_the_csv(change: float | None, shown: str,
                                                 cents: float | None) -> None:
    rows = [market_row(_market(change))]
    table = render(rows, MARKET_COLUMNS, "table").splitlines()
    assert table[0].split() == ["Market", "Price", "24h", "24h", "vol", "Liquidity", "Ends",
                                "Slug"]
    assert table[2].split()[2:4] == ["30.7¢", shown]
    (record,) = csv.DictReader(io.StringIO(render(rows, MARKET_COLUMNS, "csv")))
    assert record["price_cents"] == "30.7"
    assert record["change_24h_cents"] == ("" if cents is None else str(cents))
    assert (record["volume_24h_usd"], record["liquidity_usd"]) == ("1234.5", "99.0")


def test_the_change_follows_the_leading_outcome() -> None:
    """A "No"-led market shows No's price, so its change is No's too: Yes's, negated."""
    led_by_no = Market(id="2", slug="n", question="Up or down?", change_24h=0.05,
                       outcomes=(Outcome("Up", 0.2, "11"), Outcome("Down", 0.8, "22")))
    row = market_row(led_by_no)
    assert (row["price_cents"], row["change_24h_cents"]) == (80.0, -5.0)


@pytest.mark.parametrize(("tag", "close"), [
    ("crypo", ["crypto"]), ("Elect", ["elections", "us-presidential-election"]),
    ("nosuchtag", []), ("nf", ["nfl"]),
])
def test_close_tags(tag: str, close: list[str]) -> None:
    known = {"crypto", "elections", "us-presidential-election", "nfl", "politics"}
    assert close_tags(tag, known) == close
