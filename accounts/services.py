"""Every change to who is in a summit: joining, return links and invites."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.audit import log_action
from accounts.models import (
    OTHER_SECTOR,
    Invite,
    Participant,
    User,
    hash_secret,
    new_secret,
)
from accounts.signals import participant_joined
from summit.event.bilingual import text_in
from summit.event.models import Subtheme, Summit
from summit.event.refusals import Refused
from summit.event.sectors import sector_choices
from summit.web.language import is_offered, or_source
from summit.web.links import absolute_url

INVITE_LIFETIME = dt.timedelta(days=7)


def find_summit_by_code(code: str) -> Summit | None:
    """The summit with this join code, typed in any case and with stray spaces or dashes."""
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    if not cleaned:
        return None
    return Summit.objects.filter(join_code=cleaned).first()


def join_summit(
    *,
    summit: Summit,
    user: User | None,
    join_token: uuid.UUID,
    display_name: str,
    organisation: str,
    sector: str,
    anonymous: bool,
    preferred_subtheme_id: int | None = None,
) -> tuple[Participant, bool]:
    """Make the person an attendee of the summit, once, with the subtheme they would prefer
    (a subtheme of the summit, or ``None``).

    ``user`` is the signed-in user, if any; without one, a passwordless user is made. A
    resubmitted form carries the same ``join_token`` and gets the participant made the first
    time, and a user already in the summit gets their participation back: never a second one.
    Returns ``(participant, created)``. Raises ``Refused`` when the summit cannot be joined now.
    Side effects: ``participant_joined`` is sent inside the transaction (breakouts place the
    new attendee in a group).
    """
    existing = Participant.objects.filter(summit=summit, join_token=join_token).first()
    if existing is None and user is not None:
        existing = Participant.objects.filter(summit=summit, user=user).first()
    if existing is not None:
        if existing.removed_at is not None:
            raise Refused(
                gettext("You have been removed from this summit. Ask an organiser for help.")
            )
        return existing, False
    refusal = summit.joining_refusal(timezone.now())
    if refusal:
        raise Refused(refusal)
    try:
        with transaction.atomic():
            if user is None:
                user = User(username=f"attendee-{uuid.uuid4().hex[:16]}")
                user.set_unusable_password()
                user.save()
            participant = Participant.objects.create(
                user=user,
                summit=summit,
                role=Participant.Role.ATTENDEE,
                display_name=display_name,
                organisation=organisation,
                sector=sector,
                anonymous=anonymous and summit.allow_anonymous,
                join_token=join_token,
                preferred_subtheme_id=preferred_subtheme_id,
            )
            participant_joined.send(sender=Participant, participant=participant)
    except IntegrityError:
        # The same form, sent twice at once: the other request made the participant.
        return Participant.objects.get(summit=summit, join_token=join_token), False
    return participant, True


def prefer_subtheme(participant: Participant, subtheme_id: int | None) -> Participant:
    """The subtheme the person would rather work on, or none: the next sharing out into
    groups honours it as far as keeping sectors mixed allows. Refused for a subtheme that is
    not one of the summit's in use.

    Side effects: the person written (their own choice, like their join details: not an
    organiser's action, so not in the audit log). Nothing is pushed: no screen shows it.
    """
    if subtheme_id is not None:
        offered = Subtheme.objects.filter(
            pk=subtheme_id, summit_id=participant.summit_id, retired_at__isnull=True
        )
        if not offered.exists():
            raise Refused(gettext("Select one of the subthemes listed"))
    with transaction.atomic():
        participant.preferred_subtheme_id = subtheme_id
        participant.save(update_fields=["preferred_subtheme"])
    return participant


def make_return_link_key(participant: Participant) -> str:
    """A new secret for the person's return link; any earlier link stops working.

    Side effects: stores the secret's hash.
    """
    key = new_secret()
    participant.return_key_hash = hash_secret(key)
    participant.save(update_fields=["return_key_hash"])
    return key


def participant_for_return_key(key: str) -> Participant | None:
    if not key or len(key) > 100:
        return None
    return (
        Participant.objects.active()
        .select_related("user", "summit")
        .filter(return_key_hash=hash_secret(key))
        .first()
    )


def invite(
    *,
    summit: Summit,
    by: Participant,
    email: str,
    role: str,
    accept_url_for,
    join_url: str | None = None,
    language: str = settings.LANGUAGE_CODE,
) -> tuple[Invite, str]:
    """A single-use invite to the summit in ``role``, emailed to ``email`` in ``language``
    (one of the languages offered; ``ValueError`` for any other).

    ``accept_url_for(token)`` gives the absolute link to put in the email, beside the
    summit's join link, ``join_url`` (by default on the ``SITE_URL`` setting). Returns the invite
    and its token (shown once to the organiser, who may pass it on another way). Side effects:
    the invite written, "Invited someone" logged with the email and role, by ``by``; after
    commit, the email is sent.
    """
    if not is_offered(language):
        raise ValueError(f"{language!r} is not a language the app is offered in.")
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        record = Invite.objects.create(
            summit=summit,
            email=email,
            role=role,
            language=language,
            token_hash=hash_secret(token),
            created_by=by,
            expires_at=timezone.now() + INVITE_LIFETIME,
        )
        log_action(by, "Invited someone", detail={"email": email, "role": role})
        links = {
            "url": accept_url_for(token),
            "join_url": join_url or absolute_url("join_summit", summit.join_code),
        }
        transaction.on_commit(partial(_send_invite, record, links, by.display_name), robust=True)
    return record, token


def _send_invite(record: Invite, links: dict[str, str], inviter: str) -> None:
    """The invitation, in the language the organiser chose for it, whatever the language of
    the page they sent it from."""
    language = or_source(record.language)
    context = {"invite": record, "inviter": inviter, **links}
    with translation.override(language):
        subject = gettext("Invitation to %(title)s as %(role)s") % {
            "title": text_in(record.summit, "title", language),
            "role": record.get_role_display().lower(),
        }
        message = render_to_string("accounts/email/invite.txt", context)
    send_mail(
        subject=subject,
        message=message,
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[record.email],
    )


def open_invite(token: str) -> Invite | None:
    """The invite behind a link, if it can still be used; ``None`` for any other link."""
    if not token or len(token) > 100:
        return None
    record = Invite.objects.select_related("summit").filter(token_hash=hash_secret(token)).first()
    if record is None or record.state(timezone.now()) != "open":
        return None
    return record


def withdraw_invite(record: Invite, *, by: Participant | None = None) -> None:
    """Stop an invite's link working, unless it has been used already.

    Side effects: the invite written, "Withdrew an invitation" logged with its email when
    ``by``, the organiser acting, is given (whether or not it had been used).
    """
    with transaction.atomic():
        Invite.objects.filter(pk=record.pk, used_at__isnull=True).update(revoked_at=timezone.now())
        if by is not None:
            log_action(by, "Withdrew an invitation", detail={"email": record.email})


def accept_invite(
    record: Invite,
    user: User,
    *,
    display_name: str = "",
    organisation: str = "",
    sector: str = "",
    language: str | None = None,
) -> Participant:
    """Give ``user`` the invite's role in its summit, and use the invite up.

    ``language`` is the one the person chose on the page they accepted from, if they chose
    one: their part in the summit is in it, and otherwise in the invite's (a newcomer's) or
    the one they had (someone already in the summit). A person already in the summit keeps
    their details and gains the role (an organiser is never lowered by an invite). Raises
    ``Refused`` when the invite was used or withdrawn meanwhile. Side effects: database
    writes only.
    """
    with transaction.atomic():
        claimed = Invite.objects.filter(
            pk=record.pk,
            used_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        ).update(used_at=timezone.now())
        if not claimed:
            raise Refused(
                gettext("This invite link is not valid. Ask the organiser for a new one.")
            )
        participant = Participant.objects.filter(user=user, summit=record.summit).first()
        if participant is None:
            # Someone already known from another summit keeps the details they gave there.
            earlier = Participant.objects.filter(user=user).order_by("-joined_at").first()
            participant = Participant.objects.create(
                user=user,
                summit=record.summit,
                role=record.role,
                display_name=display_name
                or user.get_full_name()
                or (earlier and earlier.display_name)
                or user.email.partition("@")[0],
                organisation=organisation or (earlier.organisation if earlier else ""),
                sector=sector or _sector_from(earlier, record.summit),
                language=or_source(language or record.language),
            )
        else:
            if participant.role != Participant.Role.ORGANISER:
                participant.role = record.role
            participant.removed_at = None
            if is_offered(language):
                participant.language = language
            participant.save(update_fields=["role", "removed_at", "language"])
        Invite.objects.filter(pk=record.pk).update(used_by=participant)
    return participant


def _sector_from(earlier: Participant | None, summit: Summit) -> str:
    """The sector someone invited without saying one is put in: the one they gave at another
    summit, if this summit has a sector of that key anyone may choose now."""
    if earlier is not None and earlier.sector in dict(sector_choices(summit)):
        return earlier.sector
    return OTHER_SECTOR


def register_staff(*, email: str, password: str, first_name: str, last_name: str) -> User:
    """A user who signs in with email and password. Side effects: database writes only."""
    return User.objects.create_user(
        username=f"staff-{uuid.uuid4().hex[:16]}",
        email=email,
        password=password,
        first_name=first_name,
        last_name=last_name,
    )


def register_and_accept_invite(
    record: Invite,
    *,
    password: str,
    first_name: str,
    last_name: str,
    organisation: str,
    sector: str,
    language: str | None = None,
) -> tuple[User, Participant]:
    """Someone new to the app, invited by email: a user who signs in with the invite's
    address and ``password``, given the invite's role in its summit as ``accept_invite``.

    Raises ``Refused`` as ``accept_invite``, and then no user is left behind either. Side
    effects: database writes only.
    """
    with transaction.atomic():
        user = register_staff(
            email=record.email, password=password, first_name=first_name, last_name=last_name
        )
        participant = accept_invite(
            record,
            user,
            display_name=f"{first_name} {last_name}",
            organisation=organisation,
            sector=sector,
            language=language,
        )
    return user, participant
