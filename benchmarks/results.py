"""One machine-readable file of every benchmark figure: benchmarks/results.json.

Each benchmark calls `record(name, value, unit, goal)` for the figures of issue 10's
table (and any others worth keeping); `make bench` runs them all, so the file holds the
figures of the last run. A figure is replaced by name, the others are kept, so running
one benchmark on its own updates its own rows only.

    {"machine": {...}, "figures": {"parse 20,000 Gamma markets":
        {"name": ..., "value": 0.82, "unit": "s", "goal": 1.0, "goal_is": "max",
         "met": true, "at": "2026-12-01T17:00:00Z", "script": "bench_parse.py"}}}

`goal` is None for a figure without one; `goal_is` says whether the value must stay at or
below ("max") or at or above ("min") it. $POLYDASH_BENCH_RESULTS names another file.
"""

from __future__ import annotations

import json
import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

DEFAULT_PATH = Path(__file__).resolve().parent / "results.json"


def results_path() -> Path:
    return Path(os.environ.get("POLYDASH_BENCH_RESULTS") or DEFAULT_PATH)


def record(name: str, value: float, unit: str, goal: float | None = None, *,
           goal_is: Literal["max", "min"] = "max", note: str = "") -> dict[str, Any]:
    """Print one figure and store it (replacing an older one of the same name)."""
    figure: dict[str, Any] = {
        "name": name, "value": round(float(value), 6), "unit": unit, "goal": goal,
        "goal_is": goal_is, "met": _met(value, goal, goal_is),
        "at": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "script": Path(sys.argv[0]).name,
    }
    if note:
        figure["note"] = note
    path = results_path()
    data = _read(path)
    data["machine"] = _machine()
    data.setdefault("figures", {})[name] = figure
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=False) + "\n", encoding="utf-8")
    tmp.replace(path)  # whole or not at all: another benchmark may read it next
    print(show(figure), flush=True)
    return figure


def show(figure: dict[str, Any]) -> str:
    """One line for the console: `name: value unit (goal ≤ x: met)`."""
    text = f"{figure['name']}: {_number(figure['value'])} {figure['unit']}"
    if figure["goal"] is not None:
        sign = "≤" if figure["goal_is"] == "max" else "≥"
        verdict = "met" if figure["met"] else "NOT met"
        text += f" (goal {sign} {_number(figure['goal'])} {figure['unit']}: {verdict})"
    return text


def _number(value: float) -> str:
    """Three significant digits or so: 0.823, 12.4, 311."""
    places = 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 3
    return f"{value:,.{places}f}"


def _met(value: float, goal: float | None, goal_is: str) -> bool | None:
    if goal is None:
        return None
    return value <= goal if goal_is == "max" else value >= goal


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _machine() -> dict[str, Any]:
    return {"python": platform.python_version(), "platform": platform.platform(),
            "cpus": os.cpu_count(), "load_1min": _load()}


def _load() -> float | None:
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def main() -> None:
    """Print every figure of the file: the summary at the end of `make bench`."""
    path = results_path()
    figures = _read(path).get("figures", {})
    if not figures:
        print(f"no figures in {path}")
        return
    for figure in figures.values():
        print(show(figure))
    missed = [f["name"] for f in figures.values() if f["met"] is False]
    print(f"{len(figures)} figures in {path}; goals not met: {len(missed)}")


if __name__ == "__main__":
    main()
