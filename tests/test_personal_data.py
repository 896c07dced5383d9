"""People's data: seeing and downloading what is held, erasure on request, the retention
purge, and the privacy notice filled from the summit's settings."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.audit import log_action
from accounts.models import AuditEntry, Invite, Participant
from breakouts import services as breakout_services
from breakouts.board import MEMBERS, load_board
from plenary import polls
from plenary.forms import Part
from plenary.models import Poll
from plenary.services import answer_poll, open_poll, plenary_for
from summit.event.refusals import Refused
from summit.organise.people import ERASED_NAME, erase_participant
from tests.conftest import client_for, make_participant

pytestmark = pytest.mark.django_db


def _post(breakout, author, text: str, **extra):
    idea, _ = breakout_services.post_idea(
        breakout=breakout, author=author, text=text, client_token=uuid.uuid4(), **extra
    )
    return idea


@pytest.fixture
def contributed(breakout, attendee, other_member):
    """Aisha has posted a named and an anonymous idea and answered a poll; Ben has posted."""
    _post(breakout, attendee, "Pool the budgets")
    _post(breakout, attendee, "Ask the churches", anonymous=True)
    _post(breakout, other_member, "Ben's own idea")
    plenary = plenary_for(breakout.summit)
    words = open_poll(Poll.objects.get(plenary=plenary, kind=Poll.Kind.WORDS))
    answer_poll(words, attendee, [Part(text="Trust")])
    return attendee


def test_my_data_page_shows_what_is_held_about_the_person_only(contributed, breakout):
    html = client_for(contributed).get(reverse("my_data", args=[breakout.summit.slug]))
    body = html.content.decode()

    assert html.status_code == 200
    assert "Pool the budgets" in body
    assert "Ask the churches" in body
    assert "posted anonymously" in body
    assert "2 ideas" in body
    assert "1 poll answer" in body
    assert "Ben&#x27;s own idea" not in body
    assert "Ben" not in body


def test_my_data_download_is_json_of_everything_held(contributed, breakout):
    response = client_for(contributed).get(reverse("my_data_download", args=[breakout.summit.slug]))
    data = json.loads(response.content)

    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="my-data-place-summit.json"'
    assert data["you"]["name"] == "Aisha Rahman"
    assert data["you"]["organisation"] == "Testshire Council"
    assert data["you"]["shown_as"] == "Aisha Rahman, Testshire Council"
    assert sorted(i["text"] for i in data["ideas"]) == ["Ask the churches", "Pool the budgets"]
    assert [a["text"] for a in data["poll_answers"]] == ["Trust"]
    assert "Ben's own idea" not in response.content.decode()


def test_my_data_read_in_welsh_names_the_organisers_texts_in_welsh(contributed, breakout):
    summit = breakout.summit
    client = client_for(contributed)
    client.post(reverse("switch_language"), {"language": "cy", "next": "/"})

    page = client.get(reverse("my_data", args=[summit.slug])).content.decode()
    data = json.loads(client.get(reverse("my_data_download", args=[summit.slug])).content)

    assert f">{summit.title_cy}</a></p>" in page
    assert data["summit"] == summit.title_cy
    assert [a["poll"] for a in data["poll_answers"]] == [polls.WORDS_QUESTION_CY]


def test_erase_me_removes_details_keeps_contributions_anonymised(contributed, breakout):
    client = client_for(contributed)
    user_id = contributed.user_id

    confirm = client.get(reverse("erase_me", args=[breakout.summit.slug]))
    response = client.post(reverse("erase_me", args=[breakout.summit.slug]))

    person = Participant.objects.select_related("user").get(pk=contributed.pk)
    assert "Erase your details from Place Summit?" in confirm.content.decode()
    assert response.status_code == 302
    assert (person.display_name, person.organisation, person.anonymous) == (ERASED_NAME, "", True)
    assert person.erased_at is not None
    assert person.removed_at is not None
    assert person.user.pk == user_id
    assert not person.user.is_active
    assert not person.user.has_usable_password()
    assert person.user.username.startswith("erased-")
    assert person.attribution == "Anonymous (Local government)"
    board = load_board(breakout, MEMBERS)
    assert {i.text: i.attribution for i in board.ideas}["Pool the budgets"] == (
        "Anonymous (Local government)"
    )
    # Signed out, and the summit no longer lets them in.
    assert client.get(reverse("summit_home", args=[breakout.summit.slug])).status_code == 302


def test_erase_scrubs_the_name_from_the_audit_log(breakout, organiser, facilitator):
    person = make_participant(breakout.summit, name="Sam Someone", sector="faith")
    log_action(
        organiser,
        "Changed a person’s role or breakout",
        detail={"person": "Sam Someone, Testshire Council"},
    )
    log_action(facilitator, "Hid an idea", place=breakout.name)

    erase_participant(person)
    erase_participant(facilitator)

    entries = list(AuditEntry.objects.order_by("id").values_list("actor_name", "detail"))
    assert entries == [
        ("Olivia Okafor, Testshire Council", {"person": "Anonymous (Faith)"}),
        ("Anonymous (Voluntary and community)", {}),
    ]


def test_erase_is_idempotent_and_refused_for_the_only_organiser(attendee, organiser):
    assert erase_participant(attendee) is True
    assert erase_participant(attendee) is False
    with pytest.raises(Refused, match="only organiser"):
        erase_participant(organiser)
    assert Participant.objects.get(pk=organiser.pk).erased_at is None


def test_erase_me_by_the_only_organiser_says_why_and_keeps_everything(organiser):
    client = client_for(organiser)

    response = client.post(reverse("erase_me", args=[organiser.summit.slug]), follow=True)

    assert "You are the only organiser" in response.content.decode()
    assert Participant.objects.get(pk=organiser.pk).display_name == "Olivia Okafor"


def test_purge_erases_everyone_past_retention_and_is_idempotent(
    contributed, breakout, organiser, outsider
):
    summit = breakout.summit
    summit.retain_personal_data_until = timezone.localdate() - dt.timedelta(days=1)
    summit.save()
    Invite.objects.create(
        summit=summit,
        email="late@example.org",
        role=Participant.Role.FACILITATOR,
        token_hash="x" * 64,
        expires_at=timezone.now(),
    )
    first, second = StringIO(), StringIO()

    call_command("purge_personal_data", stdout=first)
    call_command("purge_personal_data", stdout=second)

    people = Participant.objects.filter(summit=summit)
    assert people.filter(erased_at__isnull=True).count() == 0
    assert set(people.values_list("display_name", flat=True)) == {ERASED_NAME}
    assert Invite.objects.get().email == ""
    assert "erased the details of 3 person(s) and 1 invitation email(s)" in first.getvalue()
    assert "erased the details of 0 person(s) and 0 invitation email(s)" in second.getvalue()
    # Another summit, with no retention date passed, is untouched.
    assert Participant.objects.get(pk=outsider.pk).display_name == "Olly Outsider"
    # The record's raw material is all still there.
    assert summit.breakouts.first().ideas.count() == 3


def test_purge_leaves_a_summit_whose_date_has_not_come(attendee):
    summit = attendee.summit
    summit.retain_personal_data_until = timezone.localdate()
    summit.save()

    call_command("purge_personal_data", stdout=StringIO())

    assert Participant.objects.get(pk=attendee.pk).display_name == "Aisha Rahman"


def test_privacy_notice_is_filled_from_the_summits_settings(summit, organiser):
    response = client_for(organiser).post(
        reverse("joining", args=[summit.slug]),
        {
            "privacy_contact": "dpo@commission.example.org",
            "retain_personal_data_until": "2027-06-30",
        },
    )
    notice = client_for(organiser).get(reverse("summit_privacy", args=[summit.slug]))
    body = notice.content.decode()

    assert response.status_code == 302
    assert "dpo@commission.example.org" in body
    assert "Until 30 June 2027" in body
    assert "National Commission" in body
    assert "If you choose to stay anonymous" in body


def test_privacy_notice_refuses_a_bad_retention_date_and_keeps_the_input(summit, organiser):
    response = client_for(organiser).post(
        reverse("joining", args=[summit.slug]),
        {"retain_personal_data_until": "next summer"},
    )

    assert response.status_code == 422
    assert "Enter a real date, like 2027-06-30" in response.content.decode()
    assert 'value="next summer"' in response.content.decode()
