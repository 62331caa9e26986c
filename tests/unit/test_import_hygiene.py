"""What the CLI loads at run time: the headless commands stay free of the UI, and the
fast paths (--help, --version) stay light (harlequin's rule).

The layering itself (the core imports neither textual nor rich) is import-linter's job:
see [tool.importlinter] in pyproject.toml. That check is static and sees our own imports
only; these run the commands, so they also see what third-party libraries pull in.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

from tests.fakedata import make_markets
from tests.support import NOW, modules_after, polydash_env
from tui.store import Store

# One command per headless module: tui.cli.headless, tui.cli.news, tui.cli.alerts.
HEADLESS_COMMANDS = [["markets", "--limit", "3"], ["news", "--limit", "3"], ["alerts", "list"]]
# httpx imports its own command line (rich, pygments) whenever click is importable. The
# test extras bring click (import-linter needs it); an install of polydash has none, so
# the probe hides it to load what a user's `polydash markets` loads.
WITHOUT_CLICK = "sys.modules['click'] = None\n"


def test_headless_commands_load_neither_textual_nor_rich(db: Path, no_config: Path) -> None:
    loaded = modules_after(
        WITHOUT_CLICK
        + "import contextlib, io\n"
        "from tui.__main__ import main\n"
        f"for args in {HEADLESS_COMMANDS!r}:\n"
        "    with contextlib.redirect_stdout(io.StringIO()):\n"
        f"        assert main([*args, '--demo', '--db', {str(db)!r}]) == 0, args\n",
        polydash_env(no_config),
    )
    assert "httpx" in loaded  # the commands really ran their network code
    assert not loaded & {"textual", "rich"}


def test_help_and_version_import_no_heavy_library() -> None:
    for flag in ("--help", "--version"):
        loaded = modules_after(
            "import contextlib, io\n"
            "from tui.__main__ import main\n"
            "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
            f"    main([{flag!r}])"
        )
        assert not loaded & {"textual", "httpx", "aiosqlite", "rich", "plotext"}, flag


# What the first frame of the dashboard does without (issue 10): the websocket and the
# news stacks, the chart's plotting library, feed parsing and the HTTP stack load once
# rows show; the screens other than the dashboard load when they open, the trader panes
# (and their list) when one first shows.
AFTER_FIRST_PAINT = {"websockets", "tui.services.stream", "tui.services.news", "plotext",
                     "feedparser", "httpx", "tenacity", "tui.services.http",
                     "tui.screens.alert_form", "tui.screens.alerts", "tui.screens.wallet",
                     "tui.screens.wallets", "tui.screens.prompt", "tui.widgets.wallet_rows",
                     "tui.screens.link", "tui.screens.help", "tui.screens.problems",
                     "tui.widgets.trader_panes", "tui.widgets.trader_list"}
FIRST_PAINT_PROBE = """
import asyncio, sys
from tui.widgets.market_list import MarketList

found = []
original = MarketList.render_lines

def render_lines(self, crop):
    if self.rows.keys and not found:  # the first frame with rows
        found.append(set(sys.modules))
    return original(self, crop)

MarketList.render_lines = render_lines

async def main():
    from tui.app import PolydashApp
    from tui.config import ApiConfig, Config, NewsConfig, RefreshConfig
    from tui.services.market_data import MarketData
    from tui.store import Store

    config = Config(api=ApiConfig(gamma_url=URL, clob_url=URL, data_url=URL, ws_url=WS),
                    refresh=RefreshConfig(markets_s=3600), news=NewsConfig(providers=()))
    async with await Store.open(DB) as store:
        data = await MarketData.create(config, store)
        try:
            app = PolydashApp(config, data)
            async with app.run_test(size=(120, 30)) as pilot:
                for _ in range(600):
                    if found:
                        break
                    await pilot.pause(0.05)
        finally:
            await data.aclose()

asyncio.run(main())
print(" ".join(sorted({m.split(".")[0] for m in found[0]} | (HEAVY & found[0])))
      if found else "never painted")
"""


async def test_the_first_frame_imports_no_heavy_stack(tmp_path: Path) -> None:
    """A warm start of the real dashboard (saved markets, an API that refuses): what is
    loaded when the list first paints rows."""
    db = tmp_path / "polydash.db"
    async with await Store.open(db) as store:
        await store.save_markets(make_markets(30), NOW)
    closed = "http://127.0.0.1:9"  # the discard port: nothing answers there
    code = (f"URL, WS, DB = {closed!r}, {closed.replace('http', 'ws')!r}, {str(db)!r}\n"
            f"HEAVY = {AFTER_FIRST_PAINT!r}\n" + FIRST_PAINT_PROBE)
    result = await asyncio.to_thread(subprocess.run, [sys.executable, "-c", code],
                                     capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    loaded = set(result.stdout.split())
    assert "textual" in loaded  # the probe saw a real frame
    assert not loaded & AFTER_FIRST_PAINT


def test_python_dash_m_tui_answers_version() -> None:
    result = subprocess.run([sys.executable, "-m", "tui", "--version"], capture_output=True,
                            text=True, check=True)
    assert result.stdout.startswith("polydash ")
