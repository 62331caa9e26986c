"""tui/config: the [keys] table, where TOML reads a bare dotted binding id as a table."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.config import ConfigError, load_config


def keys_of(tmp_path: Path, text: str) -> dict[str, str]:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    config = load_config(path, {})
    assert config.warnings == ()
    return dict(config.keys)


def test_dotted_ids_read_bare_quoted_or_as_a_table(tmp_path: Path) -> None:
    text = ('[keys]\nfavorite = "x"\nchart.cursor-left = "h"\n"chart.cursor-right" = "l"\n'
            '[keys.news]\nopen = "enter"\n')
    assert keys_of(tmp_path, text) == {
        "favorite": "x", "chart.cursor-left": "h", "chart.cursor-right": "l",
        "news.open": "enter"}


def test_a_dotted_id_that_is_not_a_string_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[keys]\nfavorite = "x"\nchart.cursor-left = 3\n', encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(path, {})
    assert str(error.value) == (f"{path}:3: [keys.chart] cursor-left must be a string, "
                                "got a number")
