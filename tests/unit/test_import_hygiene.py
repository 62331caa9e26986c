"""What the CLI loads at run time: the headless commands stay free of the UI, and the
fast paths (--help, --version) stay light (harlequin's rule).

The layering itself (the core imports neither textual nor rich) is import-linter's job:
see [tool.importlinter] in pyproject.toml. That check is static and sees our own imports
only; these run the commands, so they also see what third-party libraries pull in.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# One command per headless module: tui.cli.headless, tui.cli.news, tui.cli.alerts.
HEADLESS_COMMANDS = [["markets", "--limit", "3"], ["news", "--limit", "3"], ["alerts", "list"]]
# httpx imports its own command line (rich, pygments) whenever click is importable. The
# test extras bring click (import-linter needs it); an install of polydash has none, so
# the probe hides it to load what a user's `polydash markets` loads.
WITHOUT_CLICK = "sys.modules['click'] = None\n"


def _loaded_after(code: str, env: dict[str, str] | None = None) -> set[str]:
    probe = (
        f"import sys\n{code}\n"
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            env=env, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    return set(result.stdout.split())


def test_headless_commands_load_neither_textual_nor_rich(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("")
    env = {k: v for k, v in os.environ.items() if not k.startswith("POLYDASH_")}
    env["POLYDASH_CONFIG"] = str(config)
    db = str(tmp_path / "polydash.db")
    loaded = _loaded_after(
        WITHOUT_CLICK
        + "import contextlib, io\n"
        "from tui.__main__ import main\n"
        f"for args in {HEADLESS_COMMANDS!r}:\n"
        "    with contextlib.redirect_stdout(io.StringIO()):\n"
        f"        assert main([*args, '--demo', '--db', {db!r}]) == 0, args\n",
        env,
    )
    assert "httpx" in loaded  # the commands really ran their network code
    assert not loaded & {"textual", "rich"}


def test_help_and_version_import_no_heavy_library() -> None:
    for flag in ("--help", "--version"):
        loaded = _loaded_after(
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
