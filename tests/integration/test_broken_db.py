"""Broken disks (issue 12): a real database with 8 KB of random bytes in the middle or
cut in half, a new database in a read-only folder, a healthy database in a read-only
file or folder. Headless commands run as a user runs them (a subprocess); the dashboard
runs under Pilot. The damaged file is never changed."""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import subprocess
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.fakedata import make_markets
from tests.support import NOW, dash_config, main_screen, polydash, problems_text, until
from tui.app import PolydashApp
from tui.cli import EXIT_DATABASE
from tui.cli.dashboard import dashboard_app
from tui.demo.transport import DemoTransport
from tui.services.market_data import MarketData
from tui.store import Store, StoreDamaged

DAMAGE_BYTES = 8192


async def _fill(path: Path) -> None:
    """A real polydash database: 480 demo markets, a favorite, some price history."""
    async with await Store.open(path) as store:
        data = await MarketData.create(dash_config(), store, demo=True,
                                       transport=DemoTransport(n_markets=480, now=NOW),
                                       clock=NOW.timestamp)
        try:
            markets = await data.refresh_markets()
            await store.add_favorite(markets[0])
        finally:
            await data.aclose()


@pytest.fixture
async def healthy(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "polydash.db"
    await _fill(path)
    return path


def damage_middle(path: Path) -> None:
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle:middle + DAMAGE_BYTES] = random.Random(12).randbytes(DAMAGE_BYTES)
    path.write_bytes(bytes(data))


def truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@contextmanager
def read_only(*paths: Path) -> Iterator[None]:
    """Make `paths` unwritable, even for root (the immutable attribute), and back."""
    if os.geteuid() == 0:
        if shutil.which("chattr") is None:
            pytest.skip("running as root without chattr: cannot make a file read-only")
        made = [p for p in paths if _chattr("+i", p)]
        if len(made) < len(paths):
            for p in made:
                _chattr("-i", p)
            pytest.skip("this filesystem has no immutable attribute")
        try:
            yield
        finally:
            for p in paths:
                _chattr("-i", p)
        return
    modes = {p: p.stat().st_mode for p in paths}
    for p in paths:
        p.chmod(0o555 if p.is_dir() else 0o444)
    try:
        yield
    finally:
        for p, mode in modes.items():
            p.chmod(mode)


def _chattr(flag: str, path: Path) -> bool:
    return subprocess.run(["chattr", flag, str(path)], capture_output=True).returncode == 0


def one_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


# ---------------------------------------------------------------- damaged files


@pytest.mark.parametrize("damage", [damage_middle, truncate], ids=["8 KB random", "truncated"])
@pytest.mark.parametrize("online", [False, True], ids=["--offline", "--demo"])
def test_a_damaged_database_is_one_sentence_and_exit_3(healthy: Path, no_config: Path,
                                                       damage: object, online: bool) -> None:
    damage(healthy)  # type: ignore[operator]
    before = digest(healthy)
    result = polydash("markets", "--demo" if online else "--offline", db=healthy,
                      config=no_config)
    assert result.returncode == EXIT_DATABASE == 3
    line = one_line(result.stderr)
    assert str(healthy) in line and "is damaged" in line
    assert "left it as it is" in line and "--db" in line and "move the file" in line
    assert result.stdout == ""
    assert digest(healthy) == before  # kept as it is


def size_of(path: Path) -> int:
    return path.stat().st_size


@asynccontextmanager
async def dashboard_on(path: Path, *, markets: int, says: str,
                       **mode: bool) -> AsyncIterator[tuple[PolydashApp, Any]]:
    """The dashboard as `polydash --db path` opens it (demo or offline data), once its
    list holds `markets` and its status line says `says`."""
    store = await Store.open(path, memory_on_damage=True)
    data = await MarketData.create(dash_config(), store, transport=DemoTransport(
        n_markets=markets, now=NOW), clock=NOW.timestamp, **mode)
    try:
        app = dashboard_app(dash_config(), data)
        async with app.run_test(size=(160, 48)) as pilot:
            main = main_screen(app)
            await until(pilot, lambda: len(main.catalog.markets) == markets, "the list")
            await until(pilot, lambda: says in main.status.text, says)
            yield app, pilot
    finally:
        await data.aclose()
        await store.close()


async def test_the_dashboard_runs_on_live_data_with_the_cache_off(healthy: Path) -> None:
    damage_middle(healthy)
    size = size_of(healthy)
    async with dashboard_on(healthy, markets=120, says="cache off", demo=True) as (app, pilot):
        problems = await problems_text(app, pilot)
        assert "cache off" in problems and "is damaged" in problems
        assert str(healthy) in problems
        await pilot.press("f")  # a favorite still works, in memory
        assert app.is_running
        assert app.data.store.cache_off  # type: ignore[attr-defined]
    # Nothing is deleted (what the store committed before it found the damage may have
    # reached the file: the dashboard does not read every page before it starts).
    assert size_of(healthy) >= size


async def test_damage_found_while_running_is_a_sentence_or_the_cache_goes_off(
        healthy: Path) -> None:
    damage_middle(healthy)
    async with await Store.open(healthy) as store:  # no page check: found on first read
        with pytest.raises(StoreDamaged, match="is damaged .* left it as it is"):
            await store.load_markets()
    told: list[str] = []
    async with await Store.open(healthy, memory_on_damage=True) as store:
        store.on_cache_off = told.append
        markets, _ = await store.load_markets()  # the same read, answered from memory
        assert markets == [] and store.cache_off and told == [store.notice()]
        await store.add_favorite(make_markets(1)[0])  # writes work, in memory
        assert len(await store.favorites()) == 1
        await store.load_markets()
        assert len(told) == 1  # said once


# ---------------------------------------------------------------- read-only places


def test_a_new_database_in_a_read_only_folder_is_one_line_and_exit_2(
        tmp_path: Path, no_config: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    with read_only(folder):
        result = polydash("markets", "--demo", db=folder / "polydash.db", config=no_config)
    assert result.returncode == 2
    line = one_line(result.stderr)
    assert str(folder) in line and "not writable" in line


@pytest.mark.parametrize("where", ["file", "folder and file"])
def test_a_healthy_read_only_database_is_read_not_refused(healthy: Path, no_config: Path,
                                                          where: str) -> None:
    before = digest(healthy)
    locked = (healthy,) if where == "file" else (healthy, healthy.parent)
    with read_only(*locked):
        offline = polydash("markets", "--offline", "--format", "json", db=healthy,
                           config=no_config)
        online = polydash("markets", "--demo", "--limit", "3", db=healthy, config=no_config)
        listed = polydash("favorites", "list", "--offline", db=healthy, config=no_config)
    for result in (offline, online, listed):
        assert result.returncode == 0, result.stderr
        assert "is read-only" in result.stderr and "can't be saved" in result.stderr
        assert "not a usable" not in result.stderr
    assert offline.stdout.count('"question"') == 50  # --limit: 50 of the 480 saved
    assert listed.stdout.count("\n") >= 2  # the favorite saved before
    assert digest(healthy) == before


def test_a_change_to_a_read_only_database_is_refused_with_exit_3(healthy: Path,
                                                                 no_config: Path) -> None:
    with read_only(healthy):
        market = polydash("markets", "--offline", "--limit", "1", "--format", "csv",
                          db=healthy, config=no_config).stdout.splitlines()[1].split(",")[-1]
        result = polydash("favorites", "add", market, "--offline", db=healthy,
                          config=no_config)
    assert result.returncode == EXIT_DATABASE
    assert "is read-only" in result.stderr and "Traceback" not in result.stderr


async def test_the_dashboard_shows_a_read_only_database_and_says_so(healthy: Path) -> None:
    with read_only(healthy):
        async with dashboard_on(healthy, markets=480, says="read-only",
                                offline=True) as (app, pilot):
            problems = await problems_text(app, pilot)
            assert "kept only until you quit" in problems and str(healthy) in problems


def test_readme_documents_every_exit_status() -> None:
    import tui.cli

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    table = readme.split("Exit status, for every command:", 1)[1].split("\n\n", 2)[1]
    codes = {value for name, value in vars(tui.cli).items() if name.startswith("EXIT_")}
    assert codes == {0, 1, 2, 3, 141}
    documented = {int(row.split("|")[1]) for row in table.splitlines()[2:]}
    assert documented == codes
