"""benchmarks/results.py: the one file every benchmark writes its figures to."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import results  # benchmarks/ is not a package: found through sys.path


def test_figures_are_written_replaced_by_name_and_judged(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "results.json"
    monkeypatch.setenv("POLYDASH_BENCH_RESULTS", str(path))
    results.record("parse", 1.5, "s", 1.0)
    results.record("size", 12.0, "MB")
    results.record("parse", 0.8234, "s", 1.0)
    results.record("rate", 90.0, "points/s", 100.0, goal_is="min")
    figures = json.loads(path.read_text())["figures"]
    assert list(figures) == ["parse", "size", "rate"]
    assert {k: figures["parse"][k] for k in ("name", "value", "unit", "goal", "met")} == {
        "name": "parse", "value": 0.8234, "unit": "s", "goal": 1.0, "met": True}
    assert figures["size"]["met"] is None and figures["rate"]["met"] is False
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == "parse: 1.500 s (goal ≤ 1.000 s: NOT met)"
    assert printed[-1] == "rate: 90.0 points/s (goal ≥ 100 points/s: NOT met)"
