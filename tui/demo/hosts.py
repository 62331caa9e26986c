"""Where the demo answers: the real Polymarket and GDELT addresses (nothing leaves the
process: DemoTransport serves them), so live and demo mode build the same requests."""

from __future__ import annotations

DEMO_GAMMA_URL = "https://gamma-api.polymarket.com"
DEMO_CLOB_URL = "https://clob.polymarket.com"
DEMO_DATA_URL = "https://data-api.polymarket.com"
DEMO_GDELT_URL = "https://api.gdeltproject.org/api/v2/doc/doc"

GAMMA_HOST = "gamma-api.polymarket.com"
CLOB_HOST = "clob.polymarket.com"
DATA_HOST = "data-api.polymarket.com"
GDELT_HOST = "api.gdeltproject.org"
