"""Counting failed attempts per client address, so codes and links cannot be guessed.

Only failures count: a whole venue may share one address, and a room of people typing the
right code at once must never be turned away.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's address, trusting X-Forwarded-For only as far as our own proxies."""
    hops = settings.TRUSTED_PROXY_COUNT
    if hops:
        forwarded = [a.strip() for a in request.headers.get("X-Forwarded-For", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR", "unknown")


class AttemptLimit:
    """At most ``settings.ATTEMPT_LIMIT`` failures per address in a fixed window."""

    def __init__(self, scope: str) -> None:
        self.scope = scope

    def _key(self, request: HttpRequest) -> str:
        window = int(time.time()) // settings.ATTEMPT_WINDOW_SECONDS
        return f"attempts:{self.scope}:{client_address(request)}:{window}"

    def blocked(self, request: HttpRequest) -> bool:
        return cache.get(self._key(request), 0) >= settings.ATTEMPT_LIMIT

    def fail(self, request: HttpRequest) -> None:
        key = self._key(request)
        if not cache.add(key, 1, timeout=settings.ATTEMPT_WINDOW_SECONDS):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, timeout=settings.ATTEMPT_WINDOW_SECONDS)

    @property
    def message(self) -> str:
        minutes = max(1, settings.ATTEMPT_WINDOW_SECONDS // 60)
        return (
            "There have been too many unsuccessful attempts from your connection. "
            f"Wait {minutes} minutes, then try again."
        )


join_attempts = AttemptLimit("join")
sign_in_attempts = AttemptLimit("sign-in")
link_attempts = AttemptLimit("link")
