"""Failed tasks as sentences for people: never a Python exception name or repr."""

from __future__ import annotations

from tui.services.errors import ApiError
from tui.store import StoreError

_WHAT: dict[str, str] = {
    "cache": "Could not read the saved markets",
    "markets": "Could not refresh the market list",
    "prices": "Could not refresh prices",
    "sparklines": "Could not load the 7-day sparklines",
    "chart": "Could not load the price chart",
    "book": "Could not load the order book",
    "search": "Polymarket search failed",
    "favorite": "Could not save the favorite",
    "detail": "Could not read the previous visit",
    "visit": "Could not record the visit",
    "link": "Could not open the link",
    "news": "Could not refresh the news",
    "news-cache": "Could not read the saved headlines",
    "news-read": "Could not mark the headline as read",
    "stream": "Live prices stopped",
    # The App's "later" worker: what starts once the first list shows (tui/app.py).
    "later": "Could not start live prices and the news",
    "alert": "Could not save the alert",
    "ui-state": "Could not save the view and sort for the next start",
    "trades": "Could not load the market's trades",
    "holders": "Could not load the market's top holders",
    "comments": "Could not load the comments",
    "open-interest": "Could not load the open interest",
    "wallet": "Could not load the wallet",
    "wallets": "Could not read the saved wallets",
    "wallet-save": "Could not save the wallet",
    "wallet-remove": "Could not remove the saved wallet",
    "history": "Could not compact the stored price history",
}


def describe_failure(task: str, error: BaseException | None) -> str:
    """A sentence for the status line; never a Python exception name or repr."""
    what = _WHAT.get(task, "Something went wrong")
    if isinstance(error, ApiError):
        reason = error.message.strip().rstrip(".")
        return f"{what}: {reason}."
    if isinstance(error, StoreError):  # its message is a sentence for people
        return f"{what}: {str(error).strip().rstrip('.')}."
    return f"{what} because of an unexpected error (details in the log)."
