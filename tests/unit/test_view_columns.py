"""tui.view.columns: which columns of the market list fit a width."""

from __future__ import annotations

from tui.view.columns import fit_columns


def test_columns_drop_in_order_as_width_shrinks() -> None:
    wide = fit_columns(200)
    assert [c.key for c in wide.columns] == [
        "fav", "title", "price", "change", "spark", "volume_24h", "liquidity", "ends"]
    assert wide.title_width > 100
    dropped_at = {}
    for width in range(200, 20, -1):
        keys = {c.key for c in fit_columns(width).columns}
        for key in ("liquidity", "volume_24h", "spark", "ends", "change"):
            if key not in keys and key not in dropped_at:
                dropped_at[key] = width
    order = sorted(dropped_at, key=lambda k: -dropped_at[k])
    assert order == ["liquidity", "volume_24h", "spark", "ends", "change"]
    for width in (40, 60, 79, 88, 120):
        layout = fit_columns(width)
        used = sum(layout.width_of(c) for c in layout.columns) + len(layout.columns) - 1
        assert used == width
        assert {"fav", "title", "price"} <= {c.key for c in layout.columns}


def test_the_sorted_column_always_fits() -> None:
    assert "liquidity" not in {c.key for c in fit_columns(79).columns}
    for width in (50, 60, 79, 100):
        for key in ("liquidity", "volume_24h", "ends", "change", "created", "volume", "since"):
            layout = fit_columns(width, keep=key)
            assert layout.has(key), (width, key)
            assert layout.title_width >= 12


def test_optional_columns_show_for_their_sort_or_view_only() -> None:
    plain = {c.key for c in fit_columns(200).columns}
    assert not plain & {"since", "created", "volume"}
    assert fit_columns(200, keep="created").has("created")
    assert fit_columns(200, show=("since",)).has("since")
    assert not fit_columns(200, keep="volume_24h").has("volume")
