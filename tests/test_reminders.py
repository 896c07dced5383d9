"""manage.py send_reminders: the day before a summit, a reminder to everyone invited who has
not joined and a note to everyone who has, each once."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from accounts.models import EmailSent, Invite, Participant
from summit.event.models import Material, Summit
from summit.organise import reminders
from tests.conftest import client_for, make_participant

# 09:00 in London on Tuesday 16 June 2026: the day before a summit on the 17th.
NOW = dt.datetime(2026, 6, 16, 8, 0, tzinfo=dt.UTC)
DAY = dt.date(2026, 6, 17)


def _summit(slug="tomorrow", *, date=DAY, time_zone="Europe/London", status="open") -> Summit:
    summit = Summit.objects.create(
        slug=slug,
        title=f"Summit {slug}",
        central_question="How?",
        date=date,
        time_zone=time_zone,
        venue="Testshire Hall",
        status=status,
    )
    Material.objects.create(summit=summit, order=1, title="The state of our places")
    Material.objects.create(
        summit=summit, order=2, kind="link", title="Further reading", url="https://example.org/r"
    )
    return summit


def _with_email(participant: Participant, email: str) -> Participant:
    participant.user.email = email
    participant.user.save(update_fields=["email"])
    return participant


def _invite(summit: Summit, email: str, **changes) -> Invite:
    fields = {
        "summit": summit,
        "email": email,
        "role": Participant.Role.FACILITATOR,
        "token_hash": f"hash-{email}-{Invite.objects.count()}",
        "expires_at": NOW + dt.timedelta(days=5),
        **changes,
    }
    return Invite.objects.create(**fields)


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("send_reminders", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _sent() -> dict[str, str]:
    """Each email sent: its address and its subject."""
    return {message.to[0]: message.subject for message in mail.outbox}


@pytest.fixture
def day_before(db):
    summit = _summit()
    organiser = _with_email(
        make_participant(summit, Participant.Role.ORGANISER, name="Olivia Okafor"),
        "olivia@example.org",
    )
    make_participant(summit, name="Aisha Rahman")  # joined with the code: no address
    _invite(summit, "new.person@example.org")
    return summit, organiser


def test_send_reminders_invited_get_a_reminder_and_joined_a_note(day_before):
    summit, organiser = day_before

    output = _run("--now", NOW.isoformat())

    assert _sent() == {
        "new.person@example.org": "Reminder: your invitation to Summit tomorrow, tomorrow",
        "olivia@example.org": "Summit tomorrow starts tomorrow",
    }
    reminder, note = sorted(mail.outbox, key=lambda message: message.to[0])
    join_url = f"http://127.0.0.1:8000/j/{summit.join_code}/"
    assert join_url in reminder.body
    assert "as facilitator" in reminder.body
    assert "Wednesday 17 June 2026" in reminder.body
    # The invitation lasts until 08:00 UTC, read on the summit's own clock.
    assert "until 21 June 2026, 09:00 (Europe/London time)" in reminder.body
    assert f'href="{join_url}"' in reminder.alternatives[0].content
    assert "Hello Olivia Okafor," in note.body
    assert "http://127.0.0.1:8000/s/tomorrow/" in note.body
    assert "http://127.0.0.1:8000/s/tomorrow/pre-reading/" in note.body
    assert "- The state of our places" in note.body
    assert "- Further reading: https://example.org/r" in note.body
    assert 'href="https://example.org/r"' in note.alternatives[0].content
    assert "2 email(s)" in output
    assert set(EmailSent.objects.values_list("kind", "recipient")) == {
        ("invite_reminder", f"invite:{Invite.objects.get().pk}"),
        ("starts_tomorrow", f"person:{organiser.pk}"),
    }


def test_send_reminders_second_run_sends_nothing_again(day_before):
    _run("--now", NOW.isoformat())
    mail.outbox.clear()

    output = _run("--now", (NOW + dt.timedelta(hours=1)).isoformat())

    assert mail.outbox == []
    assert "sent 0 email(s), 2 sent before" in output
    assert EmailSent.objects.count() == 2


@pytest.mark.parametrize("days_ahead", [0, 2, -1])
def test_send_reminders_not_on_the_wrong_day(db, days_ahead):
    summit = _summit(date=NOW.date() + dt.timedelta(days=days_ahead))
    _with_email(make_participant(summit, Participant.Role.ORGANISER), "olivia@example.org")
    _invite(summit, "new.person@example.org")

    _run("--now", NOW.isoformat())

    assert mail.outbox == []
    assert EmailSent.objects.count() == 0


@pytest.mark.parametrize(
    ("now", "auckland", "london"),
    [
        # 23:30 on 15 June in Auckland (UTC+12), 12:30 in London: tomorrow is the 16th.
        (dt.datetime(2026, 6, 15, 11, 30, tzinfo=dt.UTC), False, False),
        # 00:30 on 16 June in Auckland, still 13:30 on the 15th in London.
        (dt.datetime(2026, 6, 15, 12, 30, tzinfo=dt.UTC), True, False),
        # 23:30 on 16 June in London, already the 17th in Auckland.
        (dt.datetime(2026, 6, 16, 22, 30, tzinfo=dt.UTC), False, True),
    ],
)
def test_send_reminders_tomorrow_is_where_the_summit_is(db, now, auckland, london):
    far = _summit("auckland", time_zone="Pacific/Auckland")
    near = _summit("london")
    _with_email(make_participant(far, Participant.Role.ORGANISER), "aroha@example.org")
    _with_email(make_participant(near, Participant.Role.ORGANISER), "olivia@example.org")

    _run("--now", now.isoformat())

    assert ("aroha@example.org" in _sent()) is auckland
    assert ("olivia@example.org" in _sent()) is london


def test_send_reminders_dry_run_sends_nothing(day_before):
    output = _run("--dry-run", "--now", NOW.isoformat())

    assert mail.outbox == []
    assert EmailSent.objects.count() == 0
    assert "would send “reminder of an invitation” to new.person@example.org" in output
    assert "would send “the summit starts tomorrow” to olivia@example.org" in output
    assert "would send 2 email(s)" in output

    _run("--now", NOW.isoformat())
    assert len(mail.outbox) == 2


def test_send_reminders_erased_and_removed_people_get_nothing(day_before):
    summit, _ = day_before
    removed = _with_email(
        make_participant(summit, Participant.Role.FACILITATOR), "removed@example.org"
    )
    Participant.objects.filter(pk=removed.pk).update(removed_at=NOW)
    erased = _with_email(make_participant(summit), "erased@example.org")
    Participant.objects.filter(pk=erased.pk).update(erased_at=NOW)
    # An invitation still open to someone removed brings them no reminder either.
    _invite(summit, "Removed@Example.org")

    _run("--now", NOW.isoformat())

    assert set(_sent()) == {"new.person@example.org", "olivia@example.org"}


def test_send_reminders_only_open_invitations_are_reminded(day_before):
    summit, organiser = day_before
    _invite(summit, "withdrawn@example.org", revoked_at=NOW - dt.timedelta(days=1))
    _invite(summit, "lapsed@example.org", expires_at=NOW - dt.timedelta(hours=1))
    _invite(summit, "accepted@example.org", used_at=NOW, used_by=organiser)
    # Someone invited who has joined hears that it starts tomorrow, not that they were invited.
    _invite(summit, "OLIVIA@example.org")

    _run("--now", NOW.isoformat())

    assert _sent() == {
        "new.person@example.org": "Reminder: your invitation to Summit tomorrow, tomorrow",
        "olivia@example.org": "Summit tomorrow starts tomorrow",
    }


def test_send_reminders_an_address_invited_twice_gets_one_reminder(day_before):
    summit, _ = day_before
    _invite(summit, "new.person@example.org", role=Participant.Role.ORGANISER)

    _run("--now", NOW.isoformat())
    _run("--now", NOW.isoformat())

    reminders_sent = [m for m in mail.outbox if m.to == ["new.person@example.org"]]
    assert len(reminders_sent) == 1
    assert "as co-organiser" in reminders_sent[0].body  # the newest invitation


@pytest.mark.parametrize("status", ["draft", "closed", "archived"])
def test_send_reminders_not_for_a_summit_nobody_can_join(db, status):
    summit = _summit(status=status)
    _with_email(make_participant(summit, Participant.Role.ORGANISER), "olivia@example.org")

    _run("--now", NOW.isoformat())

    assert mail.outbox == []


def test_send_reminders_another_run_has_claimed_the_email(day_before):
    summit, organiser = day_before
    EmailSent.objects.create(
        summit=summit, kind=EmailSent.Kind.STARTS_TOMORROW, recipient=f"person:{organiser.pk}"
    )

    summary = reminders.send_reminders(NOW)

    assert summary.already_sent == 1
    assert _sent() == {
        "new.person@example.org": "Reminder: your invitation to Summit tomorrow, tomorrow"
    }


def test_send_reminders_two_runs_at_once_send_each_email_once(day_before, monkeypatch):
    summit, organiser = day_before
    # The other run wrote its row after this one looked and before this one wrote its own:
    # the unique constraint refuses the second row, and this run sends nothing.
    EmailSent.objects.create(
        summit=summit, kind=EmailSent.Kind.STARTS_TOMORROW, recipient=f"person:{organiser.pk}"
    )
    monkeypatch.setattr(reminders, "_recorded", lambda email: False)

    summary = reminders.send_reminders(NOW)

    assert summary.already_sent == 1
    assert [message.to for message in mail.outbox] == [["new.person@example.org"]]
    assert EmailSent.objects.count() == 2


def test_send_reminders_a_refused_email_is_tried_again_next_run(day_before, monkeypatch):
    def refuse(**kwargs):
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr(reminders, "send_mail", refuse)
    summary = reminders.send_reminders(NOW)

    assert len(summary.failed) == 2
    assert EmailSent.objects.count() == 0

    monkeypatch.undo()
    summary = reminders.send_reminders(NOW)

    assert len(summary.sent) == 2
    assert len(mail.outbox) == 2


def test_send_reminders_refuses_without_a_site_address(day_before, settings):
    settings.SITE_URL = ""

    with pytest.raises(CommandError, match="SITE_URL"):
        _run("--now", NOW.isoformat())
    assert mail.outbox == []


def test_send_reminders_refuses_a_malformed_now(db):
    with pytest.raises(CommandError, match="--now"):
        _run("--now", "tomorrow")


def test_send_reminders_reads_now_without_a_zone_in_the_installation_zone(day_before):
    _run("--now", "2026-06-16T09:00")

    assert len(mail.outbox) == 2


def test_invitation_email_carries_the_join_link(organiser, django_capture_on_commit_callbacks):
    summit = organiser.summit
    client = client_for(organiser)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("invites", args=[summit.slug]),
            {"email": "new.person@example.org", "role": "facilitator"},
        )

    body = mail.outbox[0].body
    assert f"http://testserver/j/{summit.join_code}/" in body
    assert re.search(r"http://testserver/invite/[\w-]+/", body)


def test_invitation_email_made_without_a_request_links_to_the_site(
    organiser, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://summit.example.org"

    with django_capture_on_commit_callbacks(execute=True):
        account_services.invite(
            summit=organiser.summit,
            by=organiser,
            email="new.person@example.org",
            role="facilitator",
            accept_url_for=lambda token: f"https://summit.example.org/invite/{token}/",
        )

    assert f"https://summit.example.org/j/{organiser.summit.join_code}/" in mail.outbox[0].body
    assert timezone.now() < Invite.objects.get().expires_at


def test_privacy_notice_says_which_emails_are_sent(summit, client):
    page = client.get(reverse("summit_privacy", args=[summit.slug])).content.decode()

    assert "The emails we send" in page
    assert "the day before the summit, a reminder" in page
