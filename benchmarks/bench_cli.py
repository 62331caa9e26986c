"""Prints how long `polydash --help` and `--version` take (best and median of 15 runs)."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

RUNS = 15


def measure(args: list[str]) -> tuple[float, float]:
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "tui", *args], capture_output=True, check=True)
        samples.append((time.perf_counter() - start) * 1000)
    return min(samples), statistics.median(samples)


def main() -> None:
    for args in (["--help"], ["--version"]):
        best, median = measure(args)
        print(f"polydash {args[0]}: best {best:.0f} ms, median {median:.0f} ms "
              f"(goal < 300 ms; includes interpreter start)")


if __name__ == "__main__":
    main()
