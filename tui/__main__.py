"""`python -m tui` and the `polydash` console script.

Import-light on purpose: `--help` and `--version` must not import textual, httpx or
aiosqlite (a test checks it); the CLI imports what a command needs when it runs.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from tui.cli import run

    return run(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    sys.exit(main())
