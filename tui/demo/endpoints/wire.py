"""HTTP answers and query parameters shared by the demo endpoints."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import httpx

BATCH_MAX = 500


class RawJson(str):
    """A response body that is already JSON text."""


class Reply(Exception):
    """An HTTP answer other than 200 JSON, raised from deep inside a handler."""

    def __init__(self, status: int, body: Any, content_type: str = "application/json",
                 headers: Mapping[str, str] | None = None) -> None:
        super().__init__(status)
        self.status = status
        self.body = body
        self.content_type = content_type
        self.headers = dict(headers or {})


def gamma_error(status: int, kind: str, message: str) -> Reply:
    return Reply(status, {"type": kind, "error": message})


def bool_param(params: httpx.QueryParams, name: str, default: bool) -> bool:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in ("true", "1"):
        return True
    if lowered in ("false", "0"):
        return False
    raise gamma_error(422, "validation error", f"{name} must be a boolean")


def int_param(params: httpx.QueryParams, name: str, default: int | None) -> int | None:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise gamma_error(422, "validation error", f"{name} must be an integer") from None


def list_param(params: httpx.QueryParams, name: str) -> list[str]:
    """Repeated and comma-separated values alike: `a=1&a=2,3` -> ["1", "2", "3"]."""
    values: list[str] = []
    for raw in params.get_list(name):
        values.extend(v.strip() for v in raw.split(",") if v.strip())
    return values


def batch_body(body: bytes) -> list[Mapping[str, Any]]:
    """A CLOB batch request: a JSON list of objects, at most BATCH_MAX of them."""
    try:
        items = json.loads(body or b"[]")
    except json.JSONDecodeError:
        raise Reply(400, {"error": "Invalid payload"}) from None
    if not isinstance(items, list) or not all(isinstance(i, Mapping) for i in items):
        raise Reply(400, {"error": "Invalid payload"})
    if len(items) > BATCH_MAX:
        raise Reply(400, {"error": "Payload exceeds the limit"})
    return items
