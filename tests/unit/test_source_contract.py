"""The UI's data contract is checked statically: mypy must accept the real facade and
the test double as a DataSource, and must refuse a source that breaks the contract."""

from __future__ import annotations

from pathlib import Path

import pytest

mypy_api = pytest.importorskip("mypy.api")

ROOT = Path(__file__).resolve().parents[2]
# Third-party packages are not analysed: the contract is about our own signatures.
CONFIG = """\
[mypy]
follow_imports = silent
ignore_missing_imports = true
cache_dir = {cache}
[mypy-{skipped}]
follow_imports = skip
"""
SKIPPED = ("textual.*", "rich.*", "httpx.*", "aiosqlite.*", "websockets.*", "feedparser.*",
           "plotext.*", "tenacity.*", "platformdirs.*", "pytest.*", "_pytest.*")

SATISFIED = """\
from bench_list import QuietData
from tests.fakedata import FakeData
from tui.services.market_data import MarketData
from tui.services.source import DataSource


def real(data: MarketData) -> DataSource:
    return data


def double(data: FakeData) -> DataSource:
    return data


def benchmark_double(data: QuietData) -> DataSource:
    return data
"""

BROKEN = """\
from collections.abc import Sequence

from tests.fakedata import FakeData
from tui.services.source import DataSource


class NoLabels(FakeData):
    chart_labels = None  # type: ignore[assignment]


class WrongPrices(FakeData):
    async def refresh_prices(  # type: ignore[override]
            self, token_ids: Sequence[str]) -> list[float]:
        return []


def one(data: NoLabels) -> DataSource:
    return data


def two(data: WrongPrices) -> DataSource:
    return data
"""


def run_mypy(tmp_path: Path, source: str) -> tuple[str, int]:
    config = tmp_path / "mypy.ini"
    config.write_text(CONFIG.format(cache=tmp_path / "cache", skipped=",".join(SKIPPED)))
    checked = tmp_path / "check_source.py"
    checked.write_text(source)
    stdout, stderr, status = mypy_api.run(
        ["--config-file", str(config), str(checked)])
    return stdout + stderr, status


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    # benchmarks/ too: bench_list's instant data source must keep up with the contract.
    monkeypatch.setenv("MYPYPATH", f"{ROOT}:{ROOT / 'benchmarks'}")


def test_facade_and_double_satisfy_the_contract(tmp_path: Path, in_repo: None) -> None:
    output, status = run_mypy(tmp_path, SATISFIED)
    assert status == 0, output


def test_a_broken_source_is_refused(tmp_path: Path, in_repo: None) -> None:
    output, status = run_mypy(tmp_path, BROKEN)
    assert status == 1, output
    assert 'Incompatible return value type (got "NoLabels"' in output
    assert 'Incompatible return value type (got "WrongPrices"' in output
