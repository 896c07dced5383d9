"""Organisers' pages: the people in a summit, how people join it, and new summits."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from channels.db import database_sync_to_async
from django.test import Client
from django.urls import reverse
from django.utils import dateformat, timezone

from accounts.models import Participant
from breakouts.models import Breakout, Idea
from breakouts.services import post_idea
from summit.event.measures import OTHER_SECTORS
from summit.event.models import Summit
from summit.live import CLOSE_FORBIDDEN
from summit.organise import people
from tests.conftest import SECTOR_KEYS, client_for, make_participant, socket_for

OTHER = str(OTHER_SECTORS)

# --- helpers -------------------------------------------------------------------------------


def _row(html: str, person: Participant) -> str:
    """The people table's row for one person."""
    match = re.search(rf'<tr id="person-{person.pk}">(.*?)</tr>', html, re.DOTALL)
    assert match is not None, f"no row for {person.attribution}"
    return match.group(1)


def _people(client: Client, summit: Summit):
    return client.get(reverse("people", args=[summit.slug]))


def _update(client: Client, summit: Summit, person: Participant, role: str, breakout=""):
    return client.post(
        reverse("update_person", args=[summit.slug, person.pk]),
        {"role": role, "breakout": breakout.pk if breakout else breakout},
        follow=True,
    )


def _facilitated(person: Participant) -> list[Breakout]:
    return list(person.facilitated_breakouts.all())


def _member_of(person: Participant) -> list[Breakout]:
    return list(person.breakouts.all())


@pytest.fixture
def closed_screens(monkeypatch) -> list[int]:
    """The participant ids whose screens the code under test closed."""
    calls: list[int] = []
    monkeypatch.setattr(people, "close_screens", calls.append)
    return calls


def _idea(breakout: Breakout, author: Participant, text: str) -> Idea:
    idea, created = post_idea(
        breakout=breakout, author=author, text=text, client_token=uuid.uuid4()
    )
    assert created
    return idea


# --- people page ---------------------------------------------------------------------------


def test_people_page_lists_everyone_active_with_role_sector_and_breakout(
    summit, breakout, other_breakout, attendee, facilitator, organiser, other_member
):
    removed = make_participant(summit, name="Rory Removed", organisation="Gone Ltd")
    removed.removed_at = timezone.now()
    removed.save()

    response = _people(client_for(organiser), summit)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>People (4)</h1>" in html
    aisha = _row(html, attendee)
    assert "Aisha Rahman, Testshire Council" in aisha
    assert "Local government" in aisha
    assert '<option value="attendee" selected>Attendee</option>' in aisha
    assert f'<option value="{breakout.pk}" selected>{breakout.name}</option>' in aisha
    joined = timezone.localtime(attendee.joined_at)
    assert f'<time datetime="{dateformat.format(joined, "c")}">' in aisha
    assert dateformat.format(joined, "j M, H:i") in aisha
    farah = _row(html, facilitator)
    assert "Farah Hussain, Testshire Council" in farah
    assert "Voluntary and community" in farah
    assert '<option value="facilitator" selected>Facilitator</option>' in farah
    assert f'<option value="{breakout.pk}" selected>{breakout.name}</option>' in farah
    ben = _row(html, other_member)
    assert "Health and care (NHS)" in ben
    assert f'<option value="{other_breakout.pk}" selected>{other_breakout.name}</option>' in ben
    olivia = _row(html, organiser)
    assert '<option value="organiser" selected>Organiser</option>' in olivia
    assert '<span class="tag">You</span>' in olivia
    assert " selected>" + breakout.name not in olivia
    # Four people in all, in three sectors: too few to show any sector, even together.
    assert _sector_counts(html) == [("fewer than 5", OTHER)]
    assert "Rory Removed" not in html
    assert f'id="person-{removed.pk}"' not in html


def _sector_counts(html: str) -> list[tuple[str, str]]:
    """The people page's counts by sector: each figure and its sector."""
    found = re.search(r'<ul class="sector-counts">(.*?)</ul>', html, re.DOTALL)
    assert found, "no counts by sector"
    return re.findall(r'<span class="sector-counts__n">([^<]+)</span> ([^<]+)</li>', found.group(1))


def test_people_page_shows_no_sector_of_fewer_than_five_on_its_own(summit, organiser):
    for _ in range(6):
        make_participant(summit, sector="health")
    for _ in range(3):
        make_participant(summit, sector="faith")
    # With the organiser (local government), four people outside health.

    html = _people(client_for(organiser), summit).content.decode()

    # Nor is health's six shown: the total less six would count the four.
    assert _sector_counts(html) == [("10", OTHER)]

    make_participant(summit, sector="faith")
    html = _people(client_for(organiser), summit).content.decode()

    # Five outside health: together they may be counted, though no sector of them alone.
    assert _sector_counts(html) == [("6", "Health and care (NHS)"), ("5", OTHER)]

    make_participant(summit, sector="faith")
    html = _people(client_for(organiser), summit).content.decode()

    # Faith's five, the smallest sector shown, join the organiser alone in theirs.
    assert _sector_counts(html) == [("6", "Health and care (NHS)"), ("6", OTHER)]

    for _ in range(4):
        make_participant(summit, sector="local_government")
    html = _people(client_for(organiser), summit).content.decode()

    # Every sector with anyone in it counts five or more; the others, with nobody, are said
    # to be fewer than five, which gives nobody away.
    assert _sector_counts(html) == [
        ("5", "Local government"),
        ("6", "Health and care (NHS)"),
        ("5", "Faith"),
        ("fewer than 5", OTHER),
    ]


def test_people_page_shows_anonymous_person_by_sector_only(summit, breakout, organiser):
    hidden = make_participant(
        summit,
        name="Zebedee Quill",
        sector="faith",
        organisation="St Ivo Trust",
        anonymous=True,
    )
    breakout.members.add(hidden)

    response = _people(client_for(organiser), summit)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Anonymous (Faith)" in _row(html, hidden)
    assert "Zebedee" not in html
    assert "Quill" not in html
    assert "St Ivo Trust" not in html


@pytest.mark.parametrize("extra", [1, 40])
def test_people_page_queries_do_not_grow_with_people(
    summit, breakouts, organiser, extra, django_assert_max_num_queries
):
    for n in range(extra):
        role = Participant.Role.FACILITATOR if n % 5 == 0 else Participant.Role.ATTENDEE
        sector = SECTOR_KEYS[n % len(SECTOR_KEYS)]
        person = make_participant(summit, role, name=f"Crowd {n}", sector=sector)
        group = breakouts[n % len(breakouts)]
        (group.facilitators if role == Participant.Role.FACILITATOR else group.members).add(person)
    client = client_for(organiser)

    # One of them reads the summit's sectors, for the counts by sector.
    with django_assert_max_num_queries(9):
        response = _people(client, summit)

    assert response.status_code == 200
    assert f"<h1>People ({extra + 1})</h1>" in response.content.decode()
    assert f"Crowd {extra - 1}" in response.content.decode()


@pytest.mark.parametrize(
    ("who", "status"), [("attendee", 403), ("facilitator", 403), ("outsider", 404)]
)
def test_people_page_refused_to_everyone_but_organisers(request, summit, attendee, who, status):
    person = request.getfixturevalue(who)

    response = _people(client_for(person), summit)

    assert response.status_code == status
    assert "Aisha Rahman" not in response.content.decode()


# --- changing someone's role and breakout --------------------------------------------------


def test_update_person_attendee_becomes_facilitator_of_breakout(
    summit,
    breakout,
    other_breakout,
    attendee,
    organiser,
    closed_screens,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _update(
            client_for(organiser), summit, attendee, Participant.Role.FACILITATOR, other_breakout
        )

    attendee.refresh_from_db()
    assert response.status_code == 200
    assert "Saved the changes to Aisha Rahman, Testshire Council." in response.content.decode()
    assert attendee.role == Participant.Role.FACILITATOR
    assert _facilitated(attendee) == [other_breakout]
    assert _member_of(attendee) == []
    assert attendee not in other_breakout.members.all()
    assert closed_screens == [attendee.pk]


def test_update_person_new_breakout_moves_them(
    summit,
    breakout,
    other_breakout,
    attendee,
    organiser,
    closed_screens,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        _update(client_for(organiser), summit, attendee, Participant.Role.ATTENDEE, other_breakout)

    assert _member_of(attendee) == [other_breakout]
    assert attendee not in breakout.members.all()
    assert _facilitated(attendee) == []
    # The role did not change, so the screens stay open.
    assert closed_screens == []


def test_update_person_empty_breakout_clears_it(
    summit, breakout, facilitator, organiser, closed_screens, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _update(client_for(organiser), summit, facilitator, Participant.Role.FACILITATOR, "")

    facilitator.refresh_from_db()
    assert facilitator.role == Participant.Role.FACILITATOR
    assert _facilitated(facilitator) == []
    assert _member_of(facilitator) == []
    assert closed_screens == []


def test_update_person_breakout_of_another_summit_is_refused(
    summit,
    breakout,
    attendee,
    organiser,
    outsider,
    closed_screens,
    django_capture_on_commit_callbacks,
):
    foreign = outsider.breakouts.get()

    with django_capture_on_commit_callbacks(execute=True):
        response = _update(
            client_for(organiser), summit, attendee, Participant.Role.FACILITATOR, foreign
        )

    attendee.refresh_from_db()
    html = response.content.decode()
    assert response.redirect_chain[-1][0].startswith(reverse("people", args=[summit.slug]))
    assert "Nothing was changed for Aisha Rahman, Testshire Council" in html
    assert "Select one of this summit’s breakouts" in html
    assert attendee.role == Participant.Role.ATTENDEE
    assert _member_of(attendee) == [breakout]
    assert _facilitated(attendee) == []
    assert list(foreign.facilitators.all()) == []
    assert closed_screens == []


def test_update_person_only_organiser_stays_organiser(
    summit, breakout, organiser, closed_screens, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _update(
            client_for(organiser), summit, organiser, Participant.Role.ATTENDEE, breakout
        )

    organiser.refresh_from_db()
    assert response.status_code == 200
    assert "Olivia Okafor is the only organiser, so stays one" in response.content.decode()
    assert organiser.role == Participant.Role.ORGANISER
    assert _member_of(organiser) == []
    assert closed_screens == []


def test_update_person_organiser_made_attendee_when_another_remains(
    summit, breakout, organiser, closed_screens, django_capture_on_commit_callbacks
):
    second = make_participant(summit, Participant.Role.ORGANISER, name="Oscar Owusu")

    with django_capture_on_commit_callbacks(execute=True):
        response = _update(
            client_for(second), summit, organiser, Participant.Role.ATTENDEE, breakout
        )

    organiser.refresh_from_db()
    assert "Saved the changes to Olivia Okafor, Testshire Council." in response.content.decode()
    assert organiser.role == Participant.Role.ATTENDEE
    assert _member_of(organiser) == [breakout]
    assert closed_screens == [organiser.pk]


def test_update_person_of_another_summit_is_not_found(summit, organiser, outsider):
    response = client_for(organiser).post(
        reverse("update_person", args=[summit.slug, outsider.pk]),
        {"role": Participant.Role.ORGANISER, "breakout": ""},
    )

    outsider.refresh_from_db()
    assert response.status_code == 404
    assert outsider.role == Participant.Role.ATTENDEE


def test_update_person_by_facilitator_is_forbidden(summit, attendee, facilitator):
    response = client_for(facilitator).post(
        reverse("update_person", args=[summit.slug, attendee.pk]),
        {"role": Participant.Role.ORGANISER, "breakout": ""},
    )

    attendee.refresh_from_db()
    assert response.status_code == 403
    assert attendee.role == Participant.Role.ATTENDEE


# --- removing someone ----------------------------------------------------------------------


def test_remove_person_get_asks_first_naming_them_and_their_ideas(
    summit, breakout, attendee, organiser
):
    _idea(breakout, attendee, "Pool budgets by place")
    _idea(breakout, attendee, "Shared outcomes framework")

    response = client_for(organiser).get(reverse("remove_person", args=[summit.slug, attendee.pk]))

    html = response.content.decode()
    attendee.refresh_from_db()
    assert response.status_code == 200
    assert "Remove Aisha Rahman, Testshire Council from Place" in html
    assert "(2 ideas)" in html
    assert attendee.removed_at is None


def test_remove_person_post_removes_access_and_keeps_contributions(
    summit, breakout, attendee, organiser, closed_screens, django_capture_on_commit_callbacks
):
    idea = _idea(breakout, attendee, "Pool budgets by place")
    attribution = idea.attribution
    attendee.return_key_hash = "f" * 64
    attendee.save()

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(organiser).post(
            reverse("remove_person", args=[summit.slug, attendee.pk]), follow=True
        )

    attendee.refresh_from_db()
    html = response.content.decode()
    assert "Removed Aisha Rahman, Testshire Council from" in html
    assert f'id="person-{attendee.pk}"' not in html
    assert attendee.removed_at is not None
    assert attendee.return_key_hash == ""
    assert _member_of(attendee) == []
    assert _facilitated(attendee) == []
    assert closed_screens == [attendee.pk]
    kept = Idea.objects.get(pk=idea.pk)
    assert kept.text == "Pool budgets by place"
    assert kept.author_id == attendee.pk
    assert kept.attribution == attribution == "Aisha Rahman, Testshire Council"


def test_remove_person_removed_person_loses_access(summit, breakout, attendee, organiser):
    client = client_for(attendee)
    assert client.get(reverse("summit_home", args=[summit.slug])).status_code == 200

    people.remove_participant(attendee)

    assert client.get(reverse("summit_home", args=[summit.slug])).status_code == 404
    assert client.get(reverse("breakouts:breakout", args=[breakout.pk])).status_code == 404


def test_remove_person_only_organiser_is_refused(
    summit, organiser, closed_screens, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(organiser).post(
            reverse("remove_person", args=[summit.slug, organiser.pk]), follow=True
        )

    organiser.refresh_from_db()
    assert "Olivia Okafor is the only organiser and cannot be removed" in response.content.decode()
    assert organiser.removed_at is None
    assert closed_screens == []


def test_remove_person_of_another_summit_is_not_found(summit, organiser, outsider):
    client = client_for(organiser)
    url = reverse("remove_person", args=[summit.slug, outsider.pk])

    get_response = client.get(url)
    post_response = client.post(url)

    outsider.refresh_from_db()
    assert get_response.status_code == 404
    assert post_response.status_code == 404
    assert outsider.removed_at is None


def test_remove_person_by_attendee_is_forbidden(summit, attendee, other_member):
    response = client_for(attendee).post(
        reverse("remove_person", args=[summit.slug, other_member.pk])
    )

    other_member.refresh_from_db()
    assert response.status_code == 403
    assert other_member.removed_at is None


@pytest.mark.django_db(transaction=True)
async def test_remove_person_closes_their_open_screen_and_refuses_reconnect(
    breakout, attendee, organiser
):
    path = f"/ws/breakouts/{breakout.pk}/"
    socket = await socket_for(path, attendee)
    connected, _ = await socket.connect()
    assert connected

    await database_sync_to_async(people.remove_participant)(attendee)

    try:
        closed = await socket.receive_output(timeout=3)
    finally:
        await socket.disconnect()
    again = await socket_for(path, attendee)
    reconnected, code = await again.connect()
    await again.disconnect()
    assert closed == {"type": "websocket.close", "code": CLOSE_FORBIDDEN}
    assert not reconnected
    assert code == CLOSE_FORBIDDEN


# --- joining -------------------------------------------------------------------------------


def test_joining_page_shows_code_link_and_qr(summit, organiser):
    response = client_for(organiser).get(reverse("joining", args=[summit.slug]))

    html = response.content.decode()
    assert response.status_code == 200
    assert f'<dd class="join-code">{summit.join_code}</dd>' in html
    assert f'<a href="http://testserver/j/{summit.join_code}/">' in html
    assert "<svg" in html


@pytest.mark.parametrize(
    ("who", "status"), [("attendee", 403), ("facilitator", 403), ("outsider", 404)]
)
def test_joining_page_refused_to_everyone_but_organisers(request, summit, who, status):
    person = request.getfixturevalue(who)

    response = client_for(person).get(reverse("joining", args=[summit.slug]))

    assert response.status_code == status
    assert summit.join_code not in response.content.decode()


def test_joining_post_saves_settings(summit, organiser):
    response = client_for(organiser).post(
        reverse("joining", args=[summit.slug]),
        {"joining_closes_at": "2026-12-03 17:00", "privacy_contact": "dpo@example.org"},
        follow=True,
    )

    summit.refresh_from_db()
    assert "Saved how people join." in response.content.decode()
    assert summit.joining_closes_at == dt.datetime(
        2026, 12, 3, 17, 0, tzinfo=timezone.get_current_timezone()
    )
    assert summit.privacy_contact == "dpo@example.org"


def test_joining_post_leaves_the_status_and_anonymity_to_the_settings_page(summit, organiser):
    summit.status = Summit.Status.DRAFT
    summit.save()

    client_for(organiser).post(
        reverse("joining", args=[summit.slug]),
        {"status": Summit.Status.OPEN, "joining_closes_at": "", "allow_anonymous": ""},
    )

    summit.refresh_from_db()
    assert summit.status == Summit.Status.DRAFT
    assert summit.allow_anonymous is True


def test_joining_post_bad_date_is_422_and_saves_nothing(summit, organiser):
    response = client_for(organiser).post(
        reverse("joining", args=[summit.slug]),
        {"joining_closes_at": "next Tuesday", "privacy_contact": "dpo@example.org"},
    )

    summit.refresh_from_db()
    assert response.status_code == 422
    assert "Enter a date and time" in response.content.decode()
    assert summit.joining_closes_at is None
    assert summit.privacy_contact == ""


def test_new_join_code_replaces_the_old_one(summit, organiser):
    old = summit.join_code

    response = client_for(organiser).post(reverse("new_join_code", args=[summit.slug]), follow=True)

    summit.refresh_from_db()
    assert summit.join_code != old
    assert f"The new join code is {summit.join_code}." in response.content.decode()
    assert Client().get(reverse("join_summit", args=[old])).status_code == 404
    fresh = Client().get(reverse("join_summit", args=[summit.join_code]))
    assert fresh.status_code == 200
    assert summit.title in fresh.content.decode()


def test_new_join_code_by_facilitator_is_forbidden(summit, facilitator):
    old = summit.join_code

    response = client_for(facilitator).post(reverse("new_join_code", args=[summit.slug]))

    summit.refresh_from_db()
    assert response.status_code == 403
    assert summit.join_code == old


@pytest.mark.parametrize("who", ["facilitator", "organiser"])
def test_join_screen_shows_code_and_qr(request, summit, who):
    person = request.getfixturevalue(who)

    response = client_for(person).get(reverse("join_screen", args=[summit.slug]))

    html = response.content.decode()
    assert response.status_code == 200
    assert f'<p class="big-screen__code">{summit.join_code}</p>' in html
    assert f"http://testserver/j/{summit.join_code}/" in html
    assert "<svg" in html


@pytest.mark.parametrize(("who", "status"), [("attendee", 403), ("outsider", 404)])
def test_join_screen_refused_to_attendees(request, summit, who, status):
    person = request.getfixturevalue(who)

    response = client_for(person).get(reverse("join_screen", args=[summit.slug]))

    assert response.status_code == status
    assert summit.join_code not in response.content.decode()
    assert "<svg" not in response.content.decode()


# --- new summits ---------------------------------------------------------------------------


def _new_summit(client: Client, **data):
    return client.post(reverse("new_summit"), data, follow=True)


def test_new_summit_blank_needs_a_central_question(summit, organiser):
    response = client_for(organiser).post(
        reverse("new_summit"), {"title": "Blank slate", "start_from": "blank"}
    )

    assert response.status_code == 422
    assert "Enter the summit’s central question" in response.content.decode()
    assert not Summit.objects.filter(title="Blank slate").exists()


def test_new_summit_blank_is_draft_with_its_creator_as_organiser(summit, organiser):
    response = _new_summit(
        client_for(organiser),
        title="Blank slate",
        start_from="blank",
        central_question="How do we share data?",
    )

    created = Summit.objects.get(title="Blank slate")
    assert response.redirect_chain[-1][0] == reverse("summit_settings", args=[created.slug])
    assert created.central_question == "How do we share data?"
    assert created.status == Summit.Status.DRAFT
    assert created.subthemes.count() == 0
    assert list(created.participants.values_list("user_id", "role")) == [
        (organiser.user_id, Participant.Role.ORGANISER)
    ]


def _texts(summit: Summit, related: str, *fields: str) -> list[tuple]:
    return list(getattr(summit, related).order_by("order").values_list("order", *fields))


def test_new_summit_copy_takes_the_whole_design_not_people(
    summit, breakouts, attendee, facilitator, organiser
):
    response = _new_summit(
        client_for(organiser),
        title="Place Summit North",
        start_from=str(summit.pk),
        date="2027-03-04",
    )

    copy = Summit.objects.get(title="Place Summit North")
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("summit_settings", args=[copy.slug])
    assert copy.pk != summit.pk
    assert copy.slug != summit.slug
    assert copy.join_code != summit.join_code
    assert copy.status == Summit.Status.DRAFT
    assert copy.date == dt.date(2027, 3, 4)
    assert copy.central_question == summit.central_question
    subthemes = _texts(copy, "subthemes", "title", "question")
    assert len(subthemes) == 3
    assert subthemes == _texts(summit, "subthemes", "title", "question")
    prompts = _texts(copy, "prompts", "text", "subtheme__order")
    assert len(prompts) == 12
    assert prompts == _texts(summit, "prompts", "text", "subtheme__order")
    assert set(copy.prompts.exclude(subtheme=None).values_list("subtheme__summit", flat=True)) == {
        copy.pk
    }
    assert len(_texts(copy, "assumptions", "text")) == 4
    assert _texts(copy, "assumptions", "text") == _texts(summit, "assumptions", "text")
    assert len(_texts(copy, "obstacles", "text")) == 6
    assert _texts(copy, "obstacles", "text") == _texts(summit, "obstacles", "text")
    agenda_fields = ("kind", "title", "starts_at", "ends_at", "description")
    assert len(_texts(copy, "agenda", *agenda_fields)) == 5
    assert _texts(copy, "agenda", *agenda_fields) == _texts(summit, "agenda", *agenda_fields)
    copied_breakouts = Breakout.objects.filter(summit=copy).order_by("subtheme__order")
    assert [(b.name, b.subtheme.summit_id) for b in copied_breakouts] == [
        (title, copy.pk) for _, title, _ in subthemes
    ]
    material_fields = ("kind", "title", "body", "url")
    assert len(_texts(copy, "materials", *material_fields)) == 13
    assert _texts(copy, "materials", *material_fields) == _texts(
        summit, "materials", *material_fields
    )
    assert list(copy.plenary.polls.values_list("question", "source")) == list(
        summit.plenary.polls.values_list("question", "source")
    )
    assert list(copy.participants.values_list("user_id", "role")) == [
        (organiser.user_id, Participant.Role.ORGANISER)
    ]
    assert summit.participants.count() == 3


def test_new_summit_same_title_gets_a_different_slug(summit, organiser):
    client = client_for(organiser)
    for _ in range(2):
        _new_summit(client, title="Spring Summit", start_from="blank", central_question="Why?")

    slugs = sorted(Summit.objects.filter(title="Spring Summit").values_list("slug", flat=True))
    assert len(slugs) == 2
    assert slugs[0] != slugs[1]
    assert all(slug.startswith("spring-summit") for slug in slugs)


def test_new_summit_cannot_copy_a_summit_the_organiser_does_not_run(summit, outsider):
    elsewhere_organiser = make_participant(outsider.summit, Participant.Role.ORGANISER)

    response = client_for(elsewhere_organiser).post(
        reverse("new_summit"), {"title": "Borrowed", "start_from": str(summit.pk)}
    )

    assert response.status_code == 422
    assert "Select one of the options listed" in response.content.decode()
    assert not Summit.objects.filter(title="Borrowed").exists()


@pytest.mark.parametrize("who", ["attendee", "facilitator"])
def test_new_summit_refused_to_attendees_and_facilitators(request, summit, who):
    client = client_for(request.getfixturevalue(who))
    count = Summit.objects.count()

    get_response = client.get(reverse("new_summit"))
    post_response = client.post(
        reverse("new_summit"),
        {"title": "Mine now", "start_from": "blank", "central_question": "Why?"},
    )

    assert get_response.status_code == 403
    assert post_response.status_code == 403
    assert "Set up a new summit" not in get_response.content.decode()
    assert Summit.objects.count() == count
