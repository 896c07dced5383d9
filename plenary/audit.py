"""What the plenary writes to the audit log: a facilitator's or organiser's action, in the
transaction of the action itself, under the place "Plenary"."""

from __future__ import annotations

from accounts.audit import log_action
from accounts.models import Participant

PLACE = "Plenary"


def log(by: Participant | None, action: str, **detail) -> None:
    """Record ``action`` by ``by``; nothing when nobody acted in person (a script, the demo's
    set-up, or a test arranging the room)."""
    if by is not None:
        log_action(by, action, place=PLACE, detail=detail)
