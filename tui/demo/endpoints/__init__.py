"""The HTTP endpoints DemoTransport serves: Gamma, the CLOB, GDELT and RSS feeds."""
