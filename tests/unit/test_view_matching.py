"""tui.view.matching: the palette's fuzzy jump (the list filter's words are tested
through the Catalog in test_view_catalog.py)."""

from __future__ import annotations

import subprocess
import sys

from tui.view.matching import fuzzy_match


def test_fuzzy_prefers_substrings_then_words_then_letters() -> None:
    substring = fuzzy_match("fed rate", "Will the Fed rate cut happen?")
    words = fuzzy_match("rate fed", "Will the Fed rate cut happen?")
    letters = fuzzy_match("frc", "Will the Fed rate cut happen?")
    assert substring and words and letters
    assert substring[0] > words[0] > letters[0]
    assert fuzzy_match("xyz", "Will the Fed cut?") is None
    assert fuzzy_match("", "anything") is None
    text = "Fed"
    score, offsets = fuzzy_match("fd", text)  # type: ignore[misc]
    assert offsets == (0, 2) and score > 0


def test_fuzzy_is_linear_on_long_repetitive_text() -> None:
    # Textual's own fuzzy search enumerates offset combinations; this one must not.
    code = ("from tui.view.matching import fuzzy_match\n"
            "for _ in range(200):\n"
            "    fuzzy_match('e' * 12 + 'z', 'e' * 500)\n")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=20)
