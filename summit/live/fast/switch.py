"""Whether the fast path is taken: asked for, proven on the installed libraries, and not given
up in this process after a failure.

The fast path relies on how daphne, Twisted, autobahn, Channels, Django and asgiref work inside,
as ``summit/live/fast/sockets.py`` and ``http.py`` say. It has been proven on the versions in
``PROVEN`` (``tests/test_live_contract.py``), which ``pyproject.toml`` pins to the same ranges.
Installed outside them, the plain path is taken, with a warning saying which library is why.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from importlib import metadata

from django.conf import settings

logger = logging.getLogger(__name__)

# Each library the fast path relies on, and the versions it has been proven on: from the first
# up to, not including, the second.
PROVEN = {
    "daphne": ("4.2", "4.3"),
    "twisted": ("26.10", "26.11"),
    "autobahn": ("26.11", "26.12"),
    "channels": ("4.3", "4.4"),
    "django": ("6.1", "6.2"),
    "asgiref": ("3.13", "3.14"),
}

# Failures that say the fast path's assumptions no longer hold in this process (a name gone, a
# signature changed), rather than that one socket broke.
INTERNALS_CHANGED = (AttributeError, TypeError, ImportError)
# Failures of any kind after which the fast path is given up in this process, rather than have
# screens reconnect over and over to a path that keeps failing.
GIVE_UP_AFTER = 3


@dataclass
class State:
    """What this process has found out about its fast path."""

    proven: bool | None = None  # None until the installed versions are checked
    given_up: bool = False
    failures: int = 0
    logged: set[str] = field(default_factory=set)  # what has been said once already


state = State()


def installed_version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def release(version: str) -> tuple[int, ...]:
    """A version's release numbers, compared as numbers: "26.10.0rc1" -> (26, 10, 0)."""
    found = re.match(r"\d+(?:\.\d+)*", version)
    return tuple(int(part) for part in found.group().split(".")) if found else ()


def unproven() -> list[str]:
    """Each library installed outside the range the fast path was proven on, described."""
    outside = []
    for name, (low, high) in PROVEN.items():
        version = installed_version(name)
        if version is None or not release(low) <= release(version) < release(high):
            outside.append(f"{name} {version or '(not installed)'}, proven on >={low},<{high}")
    return outside


def enabled() -> bool:
    """Whether what joins or starts now takes the fast path. Cheap after the first call: made
    once for each screen as it joins, never for each frame."""
    if state.given_up:
        return False
    if not settings.LIVE_FAST_PATH:
        if "off" not in state.logged:
            state.logged.add("off")
            logger.info("Live fast path off (LIVE_FAST_PATH): Channels' and Django's own path.")
        return False
    if state.proven is None:
        outside = unproven()
        state.proven = not outside
        if not outside:
            logger.info("Live fast path on, proven on the versions installed.")
        else:
            logger.warning(
                "Live fast path off: %s. Pushes and requests take Channels' and Django's own "
                "path until the fast path is proven on these versions "
                "(tests/test_live_contract.py) and PROVEN in summit/live/fast/switch.py says so.",
                "; ".join(outside),
            )
    return state.proven


def failed(error: BaseException, what: str) -> None:
    """The fast path raised while doing ``what``. Warns the first time for each ``what``; when
    the failure says the fast path cannot work in this process, or it keeps failing, whatever
    joins or starts from now on takes the plain path."""
    state.failures += 1
    if isinstance(error, INTERNALS_CHANGED) or state.failures >= GIVE_UP_AFTER:
        state.given_up = True
    if what in state.logged:
        logger.debug("The live fast path failed again while %s", what, exc_info=error)
        return
    state.logged.add(what)
    logger.warning(
        "The live fast path failed while %s (%s: %s); %s",
        what,
        type(error).__name__,
        error,
        "this process takes Channels' and Django's own path from now on."
        if state.given_up
        else "that screen reconnects and catches up.",
        exc_info=error,
    )
