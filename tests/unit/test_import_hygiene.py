"""The core stays free of the UI, and the CLI's fast paths stay light (harlequin's rule)."""

from __future__ import annotations

import subprocess
import sys

SERVICES = [
    "tui.models", "tui.sanitize", "tui.config", "tui.store", "tui.services.http",
    "tui.services.gamma", "tui.services.clob", "tui.services.demo", "tui.services.links",
    "tui.services.market_data", "tui.cli.headless", "tui.services.stream",
    "tui.services.alerts", "tui.cli.alerts", "tui.services.news", "tui.store.news",
    "tui.cli.news",
]


def _loaded_after(code: str) -> set[str]:
    probe = (
        f"import sys\n{code}\n"
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=True)
    return set(result.stdout.split())


def test_services_do_not_import_textual_or_rich() -> None:
    loaded = _loaded_after("\n".join(f"import {module}" for module in SERVICES))
    assert "textual" not in loaded
    assert "rich" not in loaded


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
