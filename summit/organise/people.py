"""Changes to who takes part: roles, breakouts, removal, and erasing a person's details.

``by`` is the organiser acting: their change goes in the audit log, in the same transaction.
A script passes none, and nothing is logged.
"""

from __future__ import annotations

import uuid
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import log_action
from accounts.models import AuditEntry, Invite, Participant
from breakouts import services as breakout_services
from breakouts.models import Breakout
from summit.event.models import Summit
from summit.event.refusals import Refused
from summit.live import close_screens


def _other_organisers(participant: Participant) -> bool:
    return (
        Participant.objects.active()
        .filter(summit_id=participant.summit_id, role=Participant.Role.ORGANISER)
        .exclude(pk=participant.pk)
        .exists()
    )


def update_participant(
    participant: Participant,
    *,
    role: str,
    breakout: Breakout | None,
    moderates_questions: bool = False,
    by: Participant | None = None,
) -> Participant:
    """Set the person's role and breakout, and whether they moderate questions from the
    floor (facilitators and organisers always may). A summit always keeps at least one
    organiser.

    Side effects: database writes, the change logged with the person, role, breakout and
    whether they moderate; after commit, the person's open screens are closed so that they
    reconnect with what the new role allows.
    """
    if breakout is not None and breakout.summit_id != participant.summit_id:
        raise Refused(_("Choose one of this summit’s breakouts"))
    if (
        participant.is_organiser
        and role != Participant.Role.ORGANISER
        and not _other_organisers(participant)
    ):
        raise Refused(
            _("%(name)s is the only organiser, so stays one") % {"name": participant.display_name}
        )
    with transaction.atomic():
        changed_role = (participant.role, participant.moderates_questions) != (
            role,
            moderates_questions,
        )
        participant.role = role
        participant.moderates_questions = moderates_questions
        participant.save(update_fields=["role", "moderates_questions"])
        breakout_services.assign(participant, breakout)
        if by is not None:
            log_action(
                by,
                "Changed a person’s role or breakout",
                detail={
                    "person": participant.attribution,
                    "role": role,
                    "breakout": breakout,
                    "moderates_questions": moderates_questions,
                },
            )
        if changed_role:
            transaction.on_commit(partial(close_screens, participant.pk), robust=True)
    return participant


def remove_participant(participant: Participant, *, by: Participant | None = None) -> None:
    """Take the person out of the summit. What they contributed stays in the record,
    attributed as they chose; they lose access, their breakouts and their return link.

    Side effects: database writes, "Removed a person" logged with the person; after commit,
    their open screens are closed.
    """
    if participant.is_organiser and not _other_organisers(participant):
        raise Refused(
            _("%(name)s is the only organiser and cannot be removed")
            % {"name": participant.display_name}
        )
    with transaction.atomic():
        participant.removed_at = timezone.now()
        participant.return_key_hash = ""
        participant.save(update_fields=["removed_at", "return_key_hash"])
        breakout_services.assign(participant, None)
        if by is not None:
            log_action(by, "Removed a person", detail={"person": participant.attribution})
        transaction.on_commit(partial(close_screens, participant.pk), robust=True)


ERASED_NAME = "Former participant"


def erase_participant(participant: Participant, *, at_retention: bool = False) -> bool:
    """Erase the person's personal details for good: their name, organisation, email, sign-in
    and return link. What they contributed stays in the record, attributed "Anonymous
    (sector)", and so does the sector, which the record's balance figures count.

    Refused for the summit's only organiser, unless the summit's retention date has passed
    (``at_retention``). Returns ``False`` when already erased, so running it again changes
    nothing. Side effects: database writes; after commit, their open screens are closed.
    """
    if participant.erased_at is not None:
        return False
    if participant.is_organiser and not at_retention and not _other_organisers(participant):
        raise Refused(_("You are the only organiser. Make someone else an organiser first."))
    named = participant.attribution
    now = timezone.now()
    with transaction.atomic():
        participant.display_name = ERASED_NAME
        participant.organisation = ""
        participant.anonymous = True
        participant.join_token = None
        participant.return_key_hash = ""
        participant.removed_at = participant.removed_at or now
        participant.erased_at = now
        participant.save()
        breakout_services.assign(participant, None)
        anonymous = participant.attribution
        entries = AuditEntry.objects.filter(summit_id=participant.summit_id)
        entries.filter(actor=participant).update(actor_name=anonymous)
        for entry in entries.filter(detail__person=named):
            entry.detail["person"] = anonymous
            entry.save(update_fields=["detail"])
        Invite.objects.filter(used_by=participant).update(email="")
        user = participant.user
        if not user.participations.filter(erased_at__isnull=True).exists():
            user.username = f"erased-{uuid.uuid4().hex}"
            user.email = user.first_name = user.last_name = ""
            user.is_active = False
            user.set_unusable_password()
            user.save()
        transaction.on_commit(partial(close_screens, participant.pk), robust=True)
    return True


def purge_personal_data(today) -> dict[str, int]:
    """Erase everyone's details in every summit whose retention date is before ``today``,
    and the emails of its invitations. Idempotent: a second run erases nothing more."""
    summits = Summit.objects.filter(retain_personal_data_until__lt=today)
    erased = 0
    for participant in Participant.objects.filter(summit__in=summits, erased_at__isnull=True):
        erased += erase_participant(participant, at_retention=True)
    invites = Invite.objects.filter(summit__in=summits).exclude(email="").update(email="")
    return {"summits": summits.count(), "people": erased, "invitations": invites}
