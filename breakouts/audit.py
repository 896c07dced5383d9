"""What a breakout's facilitators do, in the audit log: written in the transaction of the
action itself, under the breakout's name, its details led by the breakout's id as the log
has always given them."""

from __future__ import annotations

from accounts.audit import log_action
from accounts.models import Participant
from breakouts.models import Breakout


def log(by: Participant | None, action: str, breakout: Breakout, **detail) -> None:
    """Record that ``by`` did ``action`` in ``breakout``; nothing when nobody acted in person
    (a script, the demo's set-up, or a test arranging the room)."""
    if by is not None:
        log_action(by, action, place=breakout.name, detail={"breakout_id": breakout.pk, **detail})
