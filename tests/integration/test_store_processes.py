"""The store across processes: two writers at once, and a writer killed mid-transaction.

Each child is a real Python process running a small script against one database file.
"""

from __future__ import annotations

import os
import queue
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow

# Shared by the child scripts: 77-digit token ids, as text.
PRELUDE = r"""
import asyncio, sys
from datetime import UTC, datetime
from tui.models import Market, Outcome, PricePoint
from tui.store import Store

def token(writer, k):
    return f"{writer}{k:076d}"

def market(key):
    return Market(id=key, slug=f"slug-{key}", question=f"Question {key}?",
                  outcomes=(Outcome("Yes", 0.5, token(8, hash(key) % 10**9)),))
"""

# Waits for "go" so that both writers really overlap, then commits many small batches
# (each store call is its own BEGIN IMMEDIATE transaction).
WRITER = PRELUDE + r"""
async def main(path, writer, batches, per_batch):
    store = await Store.open(path)
    print("ready", flush=True)
    sys.stdin.readline()
    try:
        for i in range(batches):
            points = [PricePoint(token(writer, k), i, 0.5) for k in range(per_batch)]
            points.append(PricePoint(token(9, 0), i, 0.5))  # a token both writers record
            await store.record_prices(points)
            # Reads (the next position) before it writes: a deferred transaction
            # would fail here at once instead of waiting on busy_timeout.
            await store.upsert_markets([market(f"m{writer}-{i % 7}")], datetime.now(UTC))
            if i % 10 == 0:
                await store.add_favorite(market(f"w{writer}-{i}"))
                await store.add_favorite(market("shared"))
    finally:
        await store.close()
    print("done", flush=True)

asyncio.run(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])))
"""

# Commits some favorites, then loops big write transactions until it is killed.
VICTIM = PRELUDE + r"""
async def main(path, favorites, batch):
    store = await Store.open(path)
    for i in range(favorites):
        await store.add_favorite(market(f"fav-{i}"))
    print("committed", flush=True)
    snapshot = [market(f"m-{i}") for i in range(1000)]
    round_ = 0
    while True:
        print(f"writing {round_}", flush=True)
        await store.record_prices([PricePoint(token(1, k), round_, 0.5) for k in range(batch)])
        await store.save_markets(snapshot, datetime.now(UTC))
        round_ += 1

asyncio.run(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3])))
"""


class Child:
    """A child Python process whose stdout lines arrive on a queue."""

    def __init__(self, script: str, *args: object) -> None:
        env = dict(os.environ, PYTHONPATH=str(REPO))
        self.process = subprocess.Popen(
            [sys.executable, "-c", script, *map(str, args)], cwd=REPO, env=env, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.strip())

    def expect(self, wanted: str, timeout: float = 30.0) -> None:
        """Wait for a line equal to `wanted`; fail with the child's stderr if it dies."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if self.lines.get(timeout=0.05) == wanted:
                    return
            except queue.Empty:
                if self.process.poll() is not None and self.lines.empty():
                    break
        pytest.fail(f"child never printed {wanted!r}; stderr:\n{self.stderr()}")

    def send(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def stderr(self) -> str:
        if self.process.poll() is None:
            return "(still running)"
        assert self.process.stderr is not None
        return self.process.stderr.read()

    def finish(self, timeout: float = 60.0) -> tuple[int, str]:
        self.process.wait(timeout=timeout)
        return self.process.returncode, self.stderr()

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)


@contextmanager
def children(*made: Child) -> Iterator[tuple[Child, ...]]:
    try:
        yield made
    finally:
        for child in made:
            child.kill()


def query(path: Path, sql: str) -> list[tuple]:
    db = sqlite3.connect(path, timeout=10)
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


def test_two_writer_processes_never_see_database_is_locked(tmp_path: Path) -> None:
    # A fresh path: both children also race to create the file and run the migrations.
    path = tmp_path / "shared.db"
    batches, per_batch = 150, 100
    with children(Child(WRITER, path, 1, batches, per_batch),
                  Child(WRITER, path, 2, batches, per_batch)) as writers:
        for writer in writers:
            writer.expect("ready")
        for writer in writers:
            writer.send("go")
        # A third process reads while they write: WAL readers are never blocked.
        while any(w.process.poll() is None for w in writers):
            query(path, "SELECT count(*) FROM price_points")
            time.sleep(0.02)
        for writer in writers:
            code, errors = writer.finish()
            assert code == 0, errors
            assert "locked" not in errors
    assert query(path, "SELECT count(*) FROM price_points") == [(2 * batches * per_batch
                                                                  + batches,)]
    favorites = {row[0] for row in query(path, "SELECT market_id FROM favorites")}
    expected = {f"w{w}-{i}" for w in (1, 2) for i in range(0, batches, 10)} | {"shared"}
    assert favorites == expected
    assert query(path, "SELECT count(*) FROM markets") == [(14,)]
    assert query(path, "PRAGMA integrity_check") == [("ok",)]


@pytest.mark.parametrize("delay", [0.0, 0.12])
def test_a_writer_killed_mid_transaction_keeps_every_committed_favorite(
    tmp_path: Path, delay: float
) -> None:
    path = tmp_path / "victim.db"
    favorites, batch = 25, 20_000
    with children(Child(VICTIM, path, favorites, batch)) as (victim,):
        victim.expect("committed")
        victim.expect("writing 2")  # two rounds committed, the third under way
        time.sleep(delay)
        wal = path.with_name(path.name + "-wal")
        assert wal.exists() and wal.stat().st_size > 0
        victim.kill()
    assert victim.process.returncode == -signal.SIGKILL
    assert query(path, "PRAGMA integrity_check") == [("ok",)]
    stored = {row[0] for row in query(path, "SELECT market_id FROM favorites")}
    assert stored == {f"fav-{i}" for i in range(favorites)}
    # Transactions are atomic: whole batches of points and whole snapshots only.
    (points,), = query(path, "SELECT count(*) FROM price_points")
    assert points >= 2 * batch and points % batch == 0
    assert query(path, "SELECT count(*) FROM markets") in ([(0,)], [(1000,)])
