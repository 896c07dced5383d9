"""Rate limits. Failed attempts per client address, so codes and links cannot be guessed
(only failures count: a whole venue may share one address, and a room of people typing the
right code at once must never be turned away); and flood limits on what people post and
vote, per person and per address, so one attendee cannot swamp the others.

The counts are kept by ``summit.web.counts`` (Redis when configured, so they hold across every
worker). While Redis cannot be reached the limits are not applied, with a warning in the log:
people keep posting and joining through a Redis restart, and the limits hold again once it is
back."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext, ngettext

from summit.web import counts

logger = logging.getLogger(__name__)


def _counts_unavailable(error: Exception) -> None:
    logger.warning("Rate limits not applied: the cache (Redis) is unavailable: %s", error)


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
        try:
            return counts.current(self._key(request)) >= settings.ATTEMPT_LIMIT
        except counts.UNAVAILABLE as error:
            _counts_unavailable(error)
            return False

    def fail(self, request: HttpRequest) -> None:
        try:
            counts.count_each((self._key(request), settings.ATTEMPT_WINDOW_SECONDS))
        except counts.UNAVAILABLE as error:
            _counts_unavailable(error)

    @property
    def message(self) -> str:
        minutes = max(1, settings.ATTEMPT_WINDOW_SECONDS // 60)
        return ngettext(
            "There have been too many unsuccessful attempts from your connection. "
            "Wait %(minutes)d minute, then try again.",
            "There have been too many unsuccessful attempts from your connection. "
            "Wait %(minutes)d minutes, then try again.",
            minutes,
        ) % {"minutes": minutes}


join_attempts = AttemptLimit("join")
sign_in_attempts = AttemptLimit("sign-in")
link_attempts = AttemptLimit("link")


# Within a minute, at most a quarter of a person's allowance in any such window.
BURST_SECONDS = 10


class ActionRate:
    """At most ``per_person`` actions a minute by one person, and
    ``settings.ACTIONS_PER_MINUTE_PER_ADDRESS`` from one client address, counted with every
    other action of the same ``address_scope`` (what people send, all together, unless said)."""

    def __init__(self, scope: str, per_person_setting: str, *, address_scope: str = "all") -> None:
        self.scope = scope
        self.per_person_setting = per_person_setting
        self.address_scope = address_scope

    def refusal(self, request: HttpRequest, person_id: int) -> str | None:
        """Count this action; the message to show if it is one too many, else ``None``."""
        now = int(time.time())
        minute, burst = now // 60, now // BURST_SECONDS
        # Counted three ways in one call: on Redis, one round trip for all of them.
        try:
            person, in_burst, address = counts.count_each(
                (f"rate:{self.scope}:p{person_id}:{minute}", 60),
                (f"rate:{self.scope}:b{person_id}:{burst}", BURST_SECONDS),
                (f"rate:{self.address_scope}:{client_address(request)}:{minute}", 60),
            )
        except counts.UNAVAILABLE as error:
            _counts_unavailable(error)
            return None
        per_minute = getattr(settings, self.per_person_setting)
        # A minute's allowance cannot all be spent in one burst, which would hold up the room.
        if person > per_minute or in_burst > max(3, per_minute // 4):
            _hold_back()
            return gettext("You are sending very quickly. Wait a few seconds, then send again.")
        if address > settings.ACTIONS_PER_MINUTE_PER_ADDRESS:
            _hold_back()
            return gettext(
                "Your connection is sending too much at once. Wait a minute, then send again."
            )
        return None


def _hold_back() -> None:
    """Answer a refused flood slowly: the request waits (a thread asleep, no work done), so a
    script sending as fast as it is answered sends a few requests a second at most, and the
    server's time stays with everyone else."""
    time.sleep(settings.REFUSAL_DELAY_SECONDS)


post_rate = ActionRate("post", "POSTS_PER_MINUTE")
vote_rate = ActionRate("vote", "VOTES_PER_MINUTE")
# Looking up ideas like the one being typed, asked by the page at each pause in typing: counted
# apart from what people send, so that a room typing at once never uses up a shared
# connection's allowance for posting.
lookup_rate = ActionRate("lookup", "LOOKUPS_PER_MINUTE", address_scope="lookup")
