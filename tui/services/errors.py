"""What a failed request raises: an `ApiError` whose message is a sentence a person can
read, naming the host. Its own module, free of httpx, so that code which only catches
or describes failures (the App, the failure wording, the CLI) loads no HTTP stack.
"""

from __future__ import annotations


class ApiError(Exception):
    """A request that failed; `message` says what happened in words, naming the host."""

    retryable = False

    def __init__(self, host: str, message: str, *, retryable: bool | None = None) -> None:
        super().__init__(message)
        self.host = host
        self.message = message
        if retryable is not None:
            self.retryable = retryable

    def __str__(self) -> str:
        return self.message


class ApiTimeout(ApiError):
    retryable = True


class ApiUnreachable(ApiError):
    """Connection refused, host not found, connection lost."""

    retryable = True


class ApiRateLimited(ApiError):
    retryable = True

    def __init__(self, host: str, message: str, retry_after: float | None = None) -> None:
        super().__init__(host, message)
        self.retry_after = retry_after


class ApiServerError(ApiError):
    retryable = True

    def __init__(self, host: str, message: str, status: int) -> None:
        super().__init__(host, message)
        self.status = status


class ApiHttpError(ApiError):
    """A 3xx/4xx other than 429: asking again would get the same answer."""

    def __init__(self, host: str, message: str, status: int) -> None:
        super().__init__(host, message)
        self.status = status


class ApiBadPayload(ApiError):
    """HTML, a truncated body or anything that is not the JSON we asked for."""
