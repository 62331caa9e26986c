"""Deterministic demo data served through an httpx transport (`polydash --demo`).

`--demo` runs the same client, cache and store code as live mode: only the transport
changes. `tui.demo.transport.DemoTransport` answers at the real hosts
(gamma-api.polymarket.com, clob.polymarket.com, api.gdeltproject.org, RSS feeds) with
the real response shapes. The package is split by concern:

- `content`: the texts (categories, tags, titles, rules, headlines, RSS);
- `catalogue`: the events and markets built from the content with one seeded Random;
- `prices`: prices as a pure function of (market, minute), histories, midpoints, books;
- `keyset`: Gamma's keyset paging (`after_cursor` / `next_cursor`), shared with the
  loopback fake API of the integration tests;
- `transport`: the httpx transport and the Gamma, CLOB and news endpoints.

Nothing here imports textual, rich or the store; importing the package imports nothing.
"""
