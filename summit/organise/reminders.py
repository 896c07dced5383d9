"""The emails of the day before a summit, at the services layer: a reminder to everyone
invited who has not joined, and "the summit starts tomorrow" to everyone who has.

Each goes in its reader's language: a reminder in its invitation's, a note in the language
the person last chose (the source language when they never chose one), with the organiser's
words in that language too.

Each email goes at most once. One transaction per email decides to send it and writes its
``EmailSent`` row, whose unique constraint lets one run through however many run at once; the
email leaves only after that transaction has committed. Sending again is worse than not
sending here: the command runs every hour, and a process that died between sending and
recording would otherwise mail the same people every hour of the day before. So:

- the mail server refuses, or cannot be reached: the row is deleted again and the next run
  tries once more (counted as failed in the summary);
- the process dies after the commit and before the send: that email is never sent.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import EmailSent, Invite, Participant
from summit.event.bilingual import text_in
from summit.event.models import Summit
from summit.web.language import or_source
from summit.web.links import absolute_url

logger = logging.getLogger(__name__)

# Only a summit people can still join, or are in, is reminded of: a draft one has nothing to
# join yet, and a closed one has had its day.
REMINDED_STATUSES = (Summit.Status.OPEN, Summit.Status.LIVE)
TEMPLATES = {
    EmailSent.Kind.INVITE_REMINDER: "summit/email/invite_reminder",
    EmailSent.Kind.STARTS_TOMORROW: "summit/email/starts_tomorrow",
}


@dataclass(frozen=True)
class Email:
    """One email due: to ``address``, in ``language``, recorded under the first of ``keys``
    (any of them recorded already means it went)."""

    summit: Summit
    kind: str
    keys: tuple[str, ...]
    address: str
    language: str
    context: dict = field(hash=False, compare=False)


@dataclass
class Summary:
    sent: list[Email] = field(default_factory=list)
    already_sent: int = 0
    failed: list[Email] = field(default_factory=list)
    summits: list[Summit] = field(default_factory=list)


def summits_tomorrow(now: dt.datetime) -> list[Summit]:
    """Every summit whose day is tomorrow where it is held, at ``now``."""
    today = now.astimezone(dt.UTC).date()
    # Time zones lie within a day of UTC either way: the dates any summit's tomorrow can be.
    near = Summit.objects.filter(
        status__in=REMINDED_STATUSES,
        date__range=(today, today + dt.timedelta(days=2)),
    ).order_by("date", "slug")
    return [
        summit
        for summit in near
        if summit.date == now.astimezone(summit.zone()).date() + dt.timedelta(days=1)
    ]


def _known_addresses(summit: Summit) -> set[str]:
    """The addresses of everyone who is, or was, in the summit: whoever joined needs no
    reminder to join, and whoever was removed or erased is sent nothing."""
    people = Participant.objects.filter(summit=summit).exclude(user__email="")
    return {address.lower() for address in people.values_list("user__email", flat=True)}


def invite_reminders(summit: Summit, now: dt.datetime) -> list[Email]:
    """A reminder for each address with an invite still open and nobody in the summit at it;
    an address invited more than once hears about its newest invite only."""
    known = _known_addresses(summit)
    open_invites = (
        Invite.objects.filter(
            summit=summit, used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
        )
        .exclude(email="")
        .select_related("created_by")
        .order_by("-created_at", "-id")
    )
    by_address: dict[str, list[Invite]] = {}
    for record in open_invites:
        if record.email.lower() not in known:
            by_address.setdefault(record.email.lower(), []).append(record)
    join_url = absolute_url("join_summit", summit.join_code)
    return [_invite_reminder(summit, records, join_url) for records in by_address.values()]


def _invite_reminder(summit: Summit, records: list[Invite], join_url: str) -> Email:
    """The reminder of the newest of ``records``, in the language it was written in."""
    newest = records[0]
    language = or_source(newest.language)
    with translation.override(language):
        until = summit.local_time_and_zone(newest.expires_at)
    return Email(
        summit=summit,
        kind=EmailSent.Kind.INVITE_REMINDER,
        keys=tuple(f"invite:{record.pk}" for record in records),
        address=newest.email,
        language=language,
        context={"summit": summit, "invite": newest, "until": until, "join_url": join_url},
    )


def starts_tomorrow_notes(summit: Summit) -> list[Email]:
    """A note for everyone still in the summit with an address to send it to; attendees who
    joined with the code alone gave none."""
    people = (
        Participant.objects.active()
        .filter(summit=summit, erased_at__isnull=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("id")
    )
    shared = {
        "summit": summit,
        "home_url": absolute_url("summit_home", summit.slug),
        "pre_reading_url": absolute_url("pre_reading", summit.slug),
        "materials": list(summit.materials.all()),
    }
    return [
        Email(
            summit=summit,
            kind=EmailSent.Kind.STARTS_TOMORROW,
            keys=(f"person:{person.pk}",),
            address=person.user.email,
            language=or_source(person.language),
            context={**shared, "participant": person},
        )
        for person in people
    ]


def _recorded(email: Email) -> bool:
    return EmailSent.objects.filter(
        summit=email.summit, kind=email.kind, recipient__in=email.keys
    ).exists()


def _claim(email: Email) -> EmailSent | None:
    """The email's row, written now, or ``None`` when another run has written it."""
    try:
        with transaction.atomic():
            if _recorded(email):
                return None
            return EmailSent.objects.create(
                summit=email.summit, kind=email.kind, recipient=email.keys[0]
            )
    except IntegrityError:
        return None


def _subject(email: Email) -> str:
    title = text_in(email.summit, "title", email.language)
    if email.kind == EmailSent.Kind.INVITE_REMINDER:
        return _("Reminder: your invitation to %(title)s, tomorrow") % {"title": title}
    return _("%(title)s starts tomorrow") % {"title": title}


def _send(email: Email) -> None:
    template = TEMPLATES[email.kind]
    with translation.override(email.language):
        send_mail(
            subject=_subject(email),
            message=render_to_string(f"{template}.txt", email.context),
            html_message=render_to_string(f"{template}.html", email.context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[email.address],
        )


def send_reminders(now: dt.datetime, *, dry_run: bool = False) -> Summary:
    """Send each reminder and note due at ``now`` that has not gone yet; with ``dry_run``,
    only say which would go.

    Side effects: for each email sent, an ``EmailSent`` row committed before it is sent, and
    deleted again if sending fails. Nothing is audited: no organiser acted, and the rows are
    the record of what went.
    """
    summary = Summary()
    for summit in summits_tomorrow(now):
        summary.summits.append(summit)
        for email in invite_reminders(summit, now) + starts_tomorrow_notes(summit):
            if dry_run:
                if _recorded(email):
                    summary.already_sent += 1
                else:
                    summary.sent.append(email)
                continue
            record = _claim(email)
            if record is None:
                summary.already_sent += 1
                continue
            try:
                _send(email)
            except OSError:
                logger.exception(
                    "Could not send %s for %s; the next run tries again.", email.kind, summit.slug
                )
                EmailSent.objects.filter(pk=record.pk).delete()
                summary.failed.append(email)
            else:
                summary.sent.append(email)
    return summary
