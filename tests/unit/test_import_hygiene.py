"""What the CLI loads at run time: the headless commands stay free of the UI, and the
fast paths (--help, --version) stay light (harlequin's rule).

The layering itself (the core imports neither textual nor rich) is import-linter's job:
see [tool.importlinter] in pyproject.toml. That check is static and sees our own imports
only; these run the commands, so they also see what third-party libraries pull in.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.support import modules_after, polydash_env

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


def test_python_dash_m_tui_answers_version() -> None:
    result = subprocess.run([sys.executable, "-m", "tui", "--version"], capture_output=True,
                            text=True, check=True)
    assert result.stdout.startswith("polydash ")
