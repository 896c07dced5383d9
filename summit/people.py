"""Organisers' changes to who takes part: roles, breakouts and removal."""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.utils import timezone

from accounts.models import Participant
from breakouts import services as breakout_services
from breakouts.models import Breakout
from summit.live import close_screens
from summit.refusals import Refused


def _other_organisers(participant: Participant) -> bool:
    return (
        Participant.objects.active()
        .filter(summit_id=participant.summit_id, role=Participant.Role.ORGANISER)
        .exclude(pk=participant.pk)
        .exists()
    )


def update_participant(
    participant: Participant, *, role: str, breakout: Breakout | None
) -> Participant:
    """Set the person's role and breakout. A summit always keeps at least one organiser.

    Side effects: database writes; after commit, the person's open screens are closed so that
    they reconnect with what the new role allows.
    """
    if breakout is not None and breakout.summit_id != participant.summit_id:
        raise Refused("Choose one of this summit’s breakouts")
    if (
        participant.is_organiser
        and role != Participant.Role.ORGANISER
        and not _other_organisers(participant)
    ):
        raise Refused(f"{participant.display_name} is the only organiser, so stays one")
    with transaction.atomic():
        changed_role = participant.role != role
        participant.role = role
        participant.save(update_fields=["role"])
        breakout_services.assign(participant, breakout)
        if changed_role:
            transaction.on_commit(partial(close_screens, participant.pk), robust=True)
    return participant


def remove_participant(participant: Participant) -> None:
    """Take the person out of the summit. What they contributed stays in the record,
    attributed as they chose; they lose access, their breakouts and their return link.

    Side effects: database writes; after commit, their open screens are closed.
    """
    if participant.is_organiser and not _other_organisers(participant):
        raise Refused(f"{participant.display_name} is the only organiser and cannot be removed")
    with transaction.atomic():
        participant.removed_at = timezone.now()
        participant.return_key_hash = ""
        participant.save(update_fields=["removed_at", "return_key_hash"])
        breakout_services.assign(participant, None)
        transaction.on_commit(partial(close_screens, participant.pk), robust=True)
