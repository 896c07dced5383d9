"""The audit log: every facilitator's and organiser's action, written with the action, read by
organisers only."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from accounts.models import AuditEntry, Participant
from breakouts import services as breakout_services
from breakouts.models import Breakout, Idea
from plenary.models import Poll
from plenary.services import plenary_for
from tests.conftest import client_for, make_participant

pytestmark = pytest.mark.django_db


def _htmx(participant, name: str, args: list, data: dict | None = None):
    return client_for(participant).post(
        reverse(name, args=args), data or {}, HTTP_HX_REQUEST="true"
    )


def _idea(breakout, author, text: str = "Pool the data") -> Idea:
    idea, _ = breakout_services.post_idea(
        breakout=breakout, author=author, text=text, client_token=uuid.uuid4()
    )
    return idea


def _entries() -> list[tuple]:
    return list(
        AuditEntry.objects.order_by("id").values_list("actor_name", "action", "place", "detail")
    )


def test_hide_idea_is_logged_with_who_where_and_the_reason(breakout, attendee, facilitator):
    idea = _idea(breakout, attendee)

    response = _htmx(facilitator, "breakouts:hide", [breakout.pk, idea.pk], {"reason": "Off topic"})

    assert response.status_code == 200
    assert _entries() == [
        (
            "Farah Hussain, Testshire Council",
            "Hid an idea",
            breakout.name,
            {"breakout_id": breakout.pk, "idea_id": idea.pk, "reason": "Off topic"},
        )
    ]


def test_merge_and_phase_moves_are_logged_in_order(breakout, attendee, facilitator):
    first, second = _idea(breakout, attendee, "One"), _idea(breakout, attendee, "Two")

    _htmx(facilitator, "breakouts:merge", [breakout.pk, first.pk], {"into": second.pk})
    _htmx(facilitator, "breakouts:phase", [breakout.pk], {"phase": "vote"})

    assert [
        (action, detail.get("into"), detail.get("phase")) for _, action, _, detail in _entries()
    ] == [
        ("Merged two ideas", second.pk, None),
        ("Moved the group to another phase", None, "vote"),
    ]


def test_refused_action_logs_nothing_and_changes_nothing(breakout, attendee, facilitator):
    idea = _idea(breakout, attendee)

    response = _htmx(facilitator, "breakouts:hide", [breakout.pk, idea.pk], {"reason": ""})
    refused = _htmx(facilitator, "breakouts:phase", [breakout.pk], {"phase": "nonsense"})

    assert (response.status_code, refused.status_code) == (422, 422)
    assert AuditEntry.objects.count() == 0
    assert Idea.objects.get(pk=idea.pk).status == Idea.Status.VISIBLE


def test_members_actions_are_not_logged(breakout, attendee):
    idea = _idea(breakout, attendee)
    Breakout.objects.filter(pk=breakout.pk).update(phase=Breakout.Phase.BUILD)

    response = _htmx(
        attendee,
        "breakouts:comment",
        [breakout.pk, idea.pk],
        {"text": "Yes", "client_token": str(uuid.uuid4())},
    )

    assert response.status_code == 200
    assert AuditEntry.objects.count() == 0


def test_role_change_move_and_removal_are_logged(summit, breakouts, organiser):
    person = make_participant(summit, name="Sam Someone")

    client_for(organiser).post(
        reverse("update_person", args=[summit.slug, person.pk]),
        {"role": "facilitator", "breakout": breakouts[1].pk},
    )
    client_for(organiser).post(reverse("remove_person", args=[summit.slug, person.pk]))

    (who, changed, _, detail), (_, removed, _, gone) = _entries()
    assert who == "Olivia Okafor, Testshire Council"
    assert changed == "Changed a person’s role or breakout"
    assert detail == {
        "person": "Sam Someone, Testshire Council",
        "role": "facilitator",
        "breakout": breakouts[1].pk,
        "moderates_questions": False,
    }
    assert (removed, gone) == ("Removed a person", {"person": "Sam Someone, Testshire Council"})


def test_plenary_actions_are_logged(summit, facilitator):
    plenary = plenary_for(summit)
    poll = plenary.polls.first()
    slug = summit.slug

    _htmx(facilitator, "plenary:open_poll", [slug, poll.pk])
    _htmx(facilitator, "plenary:close_poll", [slug, poll.pk])
    _htmx(facilitator, "plenary:new_poll", [slug], {"kind": "text", "question": "Anything else?"})
    made = Poll.objects.get(question="Anything else?")
    _htmx(facilitator, "plenary:delete_poll", [slug, made.pk])

    assert [(action, place) for _, action, place, _ in _entries()] == [
        ("Opened a poll", "Plenary"),
        ("Closed a poll", "Plenary"),
        ("Made a poll", "Plenary"),
        ("Deleted a poll", "Plenary"),
    ]
    assert _entries()[0][3] == {"poll_id": poll.pk}


def test_joining_changes_are_logged(summit, organiser):
    client_for(organiser).post(reverse("new_join_code", args=[summit.slug]))
    client_for(organiser).post(
        reverse("invites", args=[summit.slug]),
        {"email": "new.facilitator@example.org", "role": Participant.Role.FACILITATOR},
    )

    assert [action for _, action, _, _ in _entries()] == ["Made a new join code", "Invited someone"]


def test_anonymous_facilitator_is_logged_by_sector_only(breakout, attendee):
    hidden = make_participant(
        breakout.summit, Participant.Role.FACILITATOR, name="Hana Secret", anonymous=True
    )
    breakout.facilitators.add(hidden)
    idea = _idea(breakout, attendee)

    _htmx(hidden, "breakouts:hide", [breakout.pk, idea.pk], {"reason": "Repeated"})
    page = client_for(make_participant(breakout.summit, Participant.Role.ORGANISER)).get(
        reverse("audit_log", args=[breakout.summit.slug])
    )

    assert _entries()[0][0] == "Anonymous (Local government)"
    assert "Hana Secret" not in page.content.decode()
    assert "Anonymous (Local government)" in page.content.decode()


def test_audit_page_lists_entries_newest_first_for_organisers_only(
    breakout, attendee, facilitator, organiser
):
    first, second = _idea(breakout, attendee, "One"), _idea(breakout, attendee, "Two")
    _htmx(facilitator, "breakouts:hide", [breakout.pk, first.pk], {"reason": "Off topic"})
    _htmx(facilitator, "breakouts:spotlight", [breakout.pk], {"idea": second.pk})
    url = reverse("audit_log", args=[breakout.summit.slug])

    page = client_for(organiser).get(url).content.decode()

    assert page.index("Changed the spotlight") < page.index("Hid an idea")
    assert "reason: Off topic" in page
    assert client_for(facilitator).get(url).status_code == 403
    assert client_for(attendee).get(url).status_code == 403


@pytest.mark.parametrize("n", [1, 150])
def test_audit_page_queries_do_not_grow_with_entries(
    breakout, organiser, django_assert_max_num_queries, n
):
    AuditEntry.objects.bulk_create(
        AuditEntry(summit=breakout.summit, actor=organiser, actor_name="O", action="Hid an idea")
        for _ in range(n)
    )
    client = client_for(organiser)

    with django_assert_max_num_queries(6):
        response = client.get(reverse("audit_log", args=[breakout.summit.slug]))

    assert response.status_code == 200
