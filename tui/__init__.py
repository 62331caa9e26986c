"""polydash: a keyboard-driven terminal dashboard for Polymarket prediction markets."""

__version__ = "0.1.0"
