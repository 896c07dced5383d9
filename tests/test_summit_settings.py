"""The summit's settings page and its status: organisers change the summit's own settings and
move it through draft, open for joining, live, closed and archived; its facilitators read
them. Joining and the home page's lists follow the status."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AuditEntry, Participant
from plenary.services import plenary_for
from summit.event.models import Summit
from summit.event.refusals import Refused
from summit.organise import summit_settings
from tests.conftest import client_for, make_participant

pytestmark = pytest.mark.django_db

Status = Summit.Status

VALID = {
    "title": "Place Summit 2027",
    "title_cy": "Uwchgynhadledd Lle 2027",
    "central_question": "How do we make place the unit of public service?",
    "central_question_cy": "Sut mae gwneud lle yn uned y gwasanaeth cyhoeddus?",
    "summary": "A day on place.",
    "summary_cy": "Diwrnod am le.",
    "date": "2027-03-04",
    "venue": "Guildhall, Testshire",
    "time_zone": "Europe/Paris",
    "welcome": "Welcome to **the day**.\n\n- Read the pre-reading\n- Bring a colleague",
    "welcome_cy": "Croeso i’r **diwrnod**.",
    "dot_budget": "7",
    "allow_anonymous": "",
    "supermajority": "80",
    "big_screen_languages": "one",
}


def _settings_url(summit: Summit) -> str:
    return reverse("summit_settings", args=[summit.slug])


def _status_url(summit: Summit) -> str:
    return reverse("summit_status", args=[summit.slug])


def _stored(summit: Summit) -> Summit:
    return Summit.objects.get(pk=summit.pk)


def _actions() -> list[tuple[str, dict]]:
    return list(AuditEntry.objects.order_by("id").values_list("action", "detail"))


def _with_status(summit: Summit, status: str) -> Summit:
    Summit.objects.filter(pk=summit.pk).update(status=status)
    summit.status = status
    return summit


# The page, as each person sees it


def test_settings_page_shows_the_form_filled_from_the_summit(summit, organiser):
    response = client_for(organiser).get(_settings_url(summit))

    html = response.content.decode()
    assert response.status_code == 200
    assert f'value="{summit.title}"' in html
    assert 'value="Europe/London"' in html
    assert '<datalist id="time-zones">' in html
    assert '<option value="America/New_York">' in html
    assert 'name="supermajority" value="75"' in html
    assert 'name="dot_budget" value="5"' in html
    assert f'href="/s/{summit.slug}/design.json" download' in html
    assert f'href="/s/{summit.slug}/design/"' in html
    assert reverse("joining", args=[summit.slug]) in html


def test_settings_page_offers_the_moves_from_where_the_summit_is(summit, organiser):
    _with_status(summit, Status.OPEN)

    html = client_for(organiser).get(_settings_url(summit)).content.decode()

    assert "<strong>Open for joining</strong>" in html
    assert 'name="to" value="live"' in html
    assert "Start the day (live)" in html
    assert 'name="to" value="draft"' in html
    assert "Back to draft" in html
    assert 'name="to" value="closed"' not in html
    assert 'name="to" value="archived"' not in html


def test_settings_page_is_read_only_for_facilitators(summit, facilitator):
    summit.venue = "Guildhall <Testshire>"
    summit.save()

    response = client_for(facilitator).get(_settings_url(summit))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Its organisers change them." in html
    assert "Guildhall &lt;Testshire&gt;" in html
    assert '<form method="post" novalidate' not in html
    assert 'name="to"' not in html
    assert 'name="title"' not in html
    assert reverse("joining", args=[summit.slug]) not in html


def test_settings_post_by_a_facilitator_is_refused_and_changes_nothing(summit, facilitator):
    title = summit.title

    saved = client_for(facilitator).post(_settings_url(summit), VALID)
    moved = client_for(facilitator).post(_status_url(summit), {"to": Status.LIVE})

    assert (saved.status_code, moved.status_code) == (403, 403)
    assert _stored(summit).title == title
    assert _stored(summit).status == summit.status
    assert _actions() == []


@pytest.mark.parametrize(("who", "status"), [("attendee", 403), ("outsider", 404)])
def test_settings_page_refused_to_attendees_and_outsiders(request, summit, who, status):
    person = request.getfixturevalue(who)

    page = client_for(person).get(_settings_url(summit))
    post = client_for(person).post(_settings_url(summit), VALID)

    assert (page.status_code, post.status_code) == (status, status)
    assert summit.join_code not in page.content.decode()
    assert _stored(summit).title == summit.title


# Saving the settings


def test_settings_post_saves_every_setting_and_logs_what_changed(summit, organiser):
    response = client_for(organiser).post(_settings_url(summit), VALID, follow=True)

    stored = _stored(summit)
    assert "Saved the summit’s settings." in response.content.decode()
    assert (stored.title, stored.central_question) == (VALID["title"], VALID["central_question"])
    assert (stored.date, stored.venue, stored.time_zone) == (
        dt.date(2027, 3, 4),
        "Guildhall, Testshire",
        "Europe/Paris",
    )
    assert stored.welcome == VALID["welcome"].replace("\r\n", "\n")
    assert (stored.dot_budget, stored.allow_anonymous, stored.supermajority) == (7, False, 80)
    assert _actions() == [
        (
            "Changed the summit's settings",
            {
                "title": VALID["title"],
                "title_cy": VALID["title_cy"],
                "central_question": VALID["central_question"],
                "central_question_cy": VALID["central_question_cy"],
                "summary": VALID["summary"],
                "summary_cy": VALID["summary_cy"],
                "date": "2027-03-04",
                "venue": "Guildhall, Testshire",
                "time_zone": "Europe/Paris",
                "welcome": VALID["welcome"],
                "welcome_cy": VALID["welcome_cy"],
                "dot_budget": 7,
                "allow_anonymous": False,
                "supermajority": 80,
            },
        )
    ]


def _as_posted(summit: Summit, **changes) -> dict:
    data = {
        "title": summit.title,
        "title_cy": summit.title_cy,
        "central_question": summit.central_question,
        "central_question_cy": summit.central_question_cy,
        "summary": summit.summary,
        "summary_cy": summit.summary_cy,
        "date": summit.date.isoformat() if summit.date else "",
        "venue": summit.venue,
        "time_zone": summit.time_zone,
        "welcome": summit.welcome,
        "welcome_cy": summit.welcome_cy,
        "dot_budget": str(summit.dot_budget),
        "allow_anonymous": "on" if summit.allow_anonymous else "",
        "supermajority": str(summit.supermajority),
        "big_screen_languages": summit.big_screen_languages,
    }
    return {**data, **changes}


def test_settings_post_logs_only_what_changed(summit, organiser):
    client_for(organiser).post(_settings_url(summit), _as_posted(summit, venue="Town Hall"))

    assert _actions() == [("Changed the summit's settings", {"venue": "Town Hall"})]


def test_settings_post_with_nothing_changed_writes_and_logs_nothing(summit, organiser):
    response = client_for(organiser).post(_settings_url(summit), _as_posted(summit), follow=True)

    assert "Nothing had changed." in response.content.decode()
    assert _actions() == []


@pytest.mark.parametrize(
    ("field", "value", "stored"),
    [
        ("dot_budget", "1", 1),
        ("dot_budget", "20", 20),
        ("dot_budget", " 12 ", 12),
        ("supermajority", "51", 51),
        ("supermajority", "100", 100),
        ("time_zone", "europe/paris", "Europe/Paris"),
        ("time_zone", "  America/New_York ", "America/New_York"),
        ("time_zone", "UTC", "UTC"),
    ],
)
def test_settings_post_accepts_the_bounds(summit, organiser, field, value, stored):
    posted = _as_posted(summit, **{field: value})

    response = client_for(organiser).post(_settings_url(summit), posted)

    assert response.status_code == 302
    assert getattr(_stored(summit), field) == stored


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("title", "", "Enter a title for the summit"),
        ("title", "T" * 201, "The title must be 200 characters or fewer"),
        ("central_question", "   ", "Enter the summit’s central question"),
        ("central_question", "Q" * 1001, "The question must be 1000 characters or fewer"),
        ("date", "next Tuesday", "Enter a real date, like 2026-12-03"),
        ("date", "2027-02-30", "Enter a real date, like 2026-12-03"),
        ("venue", "V" * 201, "The venue must be 200 characters or fewer"),
        ("time_zone", "Mars/Olympus_Mons", "Enter a time zone from the suggestions"),
        ("time_zone", "", "Enter a time zone, like Europe/London"),
        ("time_zone", "Z" * 65, "Enter a time zone from the suggestions"),
        ("welcome", "W" * 20_001, "The welcome must be 20000 characters or fewer"),
        ("dot_budget", "0", "Enter a number of dots from 1 to 20"),
        ("dot_budget", "21", "Enter a number of dots from 1 to 20"),
        ("dot_budget", "five", "Enter a number of dots from 1 to 20"),
        ("dot_budget", "", "Enter a number of dots from 1 to 20"),
        ("supermajority", "50", "Enter a share in per cent from 51 to 100"),
        ("supermajority", "101", "Enter a share in per cent from 51 to 100"),
        ("supermajority", "75%", "Enter a share in per cent from 51 to 100"),
    ],
)
def test_settings_post_refuses_bad_input_keeping_what_was_typed(
    summit, organiser, field, value, words
):
    posted = _as_posted(summit, **{"venue": "Typed venue", field: value})

    response = client_for(organiser).post(_settings_url(summit), posted)

    html = response.content.decode()
    assert response.status_code == 422
    assert "<title>Error: " in html
    assert 'class="error-summary"' in html
    assert f'<a href="#id_{field}">{words}' in html
    assert f'id="id_{field}_error"' in html
    if field != "venue":
        assert 'value="Typed venue"' in html
    assert _stored(summit).venue == ""
    assert _actions() == []


# The service


def _change(summit: Summit, by: Participant, **changes) -> dict:
    chosen = {
        name: getattr(summit, name)
        for name in (
            "title",
            "title_cy",
            "central_question",
            "central_question_cy",
            "summary",
            "summary_cy",
            "date",
            "venue",
            "time_zone",
            "welcome",
            "welcome_cy",
            "dot_budget",
            "allow_anonymous",
            "supermajority",
            "big_screen_languages",
        )
    }
    return summit_settings.change_settings(summit, **{**chosen, **changes}, by=by)


@pytest.fixture
def rooms_changed(monkeypatch) -> list[int]:
    """The plenaries whose screens were told to redraw after commit."""
    calls: list[int] = []
    monkeypatch.setattr("plenary.live.room_changed", lambda p, said: calls.append(p.pk))
    return calls


def test_change_settings_redraws_the_plenary_when_the_question_changes(
    summit, organiser, rooms_changed, django_capture_on_commit_callbacks
):
    plenary = plenary_for(summit)

    with django_capture_on_commit_callbacks(execute=True):
        changed = _change(summit, organiser, central_question="What should change first?")

    assert changed == {"central_question": "What should change first?"}
    assert rooms_changed == [plenary.pk]


def test_change_settings_pushes_nothing_when_screens_do_not_show_it(
    summit, organiser, rooms_changed, django_capture_on_commit_callbacks
):
    plenary_for(summit)

    with django_capture_on_commit_callbacks(execute=True):
        _change(summit, organiser, venue="Town Hall", dot_budget=3)

    assert rooms_changed == []
    assert (_stored(summit).venue, _stored(summit).dot_budget) == ("Town Hall", 3)


@pytest.mark.parametrize(
    "changes",
    [
        {"dot_budget": 0},
        {"dot_budget": 21},
        {"supermajority": 50},
        {"supermajority": 101},
        {"time_zone": "Mars/Olympus_Mons"},
        {"time_zone": "europe/london"},
        {"title": " "},
    ],
)
def test_change_settings_refuses_values_out_of_bounds(summit, organiser, changes):
    with pytest.raises(Refused):
        _change(summit, organiser, **changes)

    stored = _stored(summit)
    assert (stored.dot_budget, stored.supermajority, stored.time_zone) == (5, 75, "Europe/London")
    assert _actions() == []


# Moving the summit from one status to another

ALLOWED = [(was, to) for was, moves in Summit.STATUS_MOVES.items() for to in moves]
REFUSED = [
    (was, to) for was, to in itertools.permutations(Status.values, 2) if (was, to) not in ALLOWED
]


def test_status_moves_run_forward_through_the_day_and_back_where_nothing_is_lost():
    assert set(ALLOWED) == {
        (Status.DRAFT, Status.OPEN),
        (Status.OPEN, Status.LIVE),
        (Status.LIVE, Status.CLOSED),
        (Status.CLOSED, Status.ARCHIVED),
        (Status.OPEN, Status.DRAFT),
        (Status.LIVE, Status.OPEN),
        (Status.CLOSED, Status.LIVE),
        (Status.ARCHIVED, Status.CLOSED),
    }


@pytest.mark.parametrize(("was", "to"), ALLOWED)
def test_move_summit_makes_each_allowed_move_and_logs_it(summit, organiser, was, to):
    _with_status(summit, was)

    summit_settings.move_summit(summit, to, by=organiser)

    assert _stored(summit).status == summit.status == to
    assert _actions() == [
        (
            f"Moved the summit from {Status(was).label} to {Status(to).label}",
            {"from": was, "to": to},
        )
    ]


@pytest.mark.parametrize(("was", "to"), [*REFUSED, (Status.OPEN, "nowhere"), (Status.OPEN, "")])
def test_move_summit_refuses_a_move_the_table_does_not_allow(summit, organiser, was, to):
    _with_status(summit, was)

    with pytest.raises(Refused, match="so it can move only to"):
        summit_settings.move_summit(summit, to, by=organiser)

    assert _stored(summit).status == was
    assert _actions() == []


def test_move_summit_back_to_draft_refused_once_someone_has_joined(summit, organiser):
    _with_status(summit, Status.OPEN)
    make_participant(summit, name="Early Bird")

    with pytest.raises(Refused, match="cannot go back to draft"):
        summit_settings.move_summit(summit, Status.DRAFT, by=organiser)

    assert _stored(summit).status == Status.OPEN
    assert _actions() == []


def test_move_summit_back_to_draft_while_only_the_team_is_in(summit, organiser):
    _with_status(summit, Status.OPEN)
    make_participant(summit, Participant.Role.FACILITATOR, name="Team Member")

    summit_settings.move_summit(summit, Status.DRAFT, by=organiser)

    assert _stored(summit).status == Status.DRAFT


def test_status_post_moves_the_summit_and_says_so(summit, organiser):
    _with_status(summit, Status.OPEN)

    response = client_for(organiser).post(_status_url(summit), {"to": Status.LIVE}, follow=True)

    html = response.content.decode()
    assert f"{summit.title} is now Live." in html
    assert "<strong>Live</strong>" in html
    assert "Close" in html
    assert _stored(summit).status == Status.LIVE


@pytest.mark.parametrize("to", [Status.ARCHIVED, "nowhere", ""])
def test_status_post_refused_move_is_422_with_the_reason(summit, organiser, to):
    _with_status(summit, Status.OPEN)

    response = client_for(organiser).post(_status_url(summit), {"to": to})

    html = response.content.decode()
    assert response.status_code == 422
    assert "<title>Error: " in html
    assert "is Open for joining, so it can move only to Live or Draft." in html
    assert 'id="status-error"' in html
    assert _stored(summit).status == Status.OPEN


def test_status_post_back_to_draft_after_joining_is_422(summit, organiser, attendee):
    _with_status(summit, Status.OPEN)

    response = client_for(organiser).post(_status_url(summit), {"to": Status.DRAFT})

    assert response.status_code == 422
    assert "cannot go back to draft" in response.content.decode()
    assert _stored(summit).status == Status.OPEN


def test_status_post_by_an_attendee_is_refused(summit, attendee):
    response = client_for(attendee).post(_status_url(summit), {"to": Status.LIVE})

    assert response.status_code == 403
    assert _stored(summit).status == summit.status


# Joining follows the status


def _join(summit: Summit):
    return Client().post(
        reverse("join_summit", args=[summit.join_code]),
        {
            "display_name": "Priya Shah",
            "organisation": "Testshire Council",
            "sector": "health",
            "attribution": "named",
            "join_token": str(uuid.uuid4()),
        },
    )


@pytest.mark.parametrize(
    ("status", "answer", "words"),
    [
        (Status.DRAFT, 403, "not open for joining yet"),
        (Status.OPEN, 302, ""),
        (Status.LIVE, 302, ""),
        (Status.CLOSED, 403, "has closed"),
        (Status.ARCHIVED, 403, "has closed"),
    ],
)
def test_joining_follows_the_status(summit, breakouts, status, answer, words):
    _with_status(summit, status)

    response = _join(summit)

    assert response.status_code == answer
    assert words in response.content.decode()
    assert Participant.objects.filter(summit=summit).exists() == (answer == 302)


def test_joining_works_again_once_reopened(summit, breakouts, organiser):
    _with_status(summit, Status.CLOSED)
    assert _join(summit).status_code == 403

    summit_settings.move_summit(summit, Status.LIVE, by=organiser)

    assert _join(summit).status_code == 302


# Where the status shows


def test_home_page_leaves_archived_summits_off_an_attendees_list(summit, attendee):
    _with_status(summit, Status.ARCHIVED)

    html = client_for(attendee).get(reverse("home")).content.decode()

    assert summit.title not in html
    assert "Archived" not in html


def test_home_page_shows_organisers_archived_summits_apart(summit, organiser):
    live = Summit.objects.create(
        slug="second", title="Second Summit", central_question="Why?", status=Status.LIVE
    )
    Participant.objects.create(
        user=organiser.user, summit=live, role=Participant.Role.ORGANISER, display_name="Olivia"
    )
    _with_status(summit, Status.ARCHIVED)

    html = client_for(organiser).get(reverse("home")).content.decode()

    yours, archived = html.split("<h2>Your summits</h2>")[1].split("<h2>Archived</h2>")
    assert "Second Summit" in yours
    assert '<span class="tag">Live</span>' in yours
    assert summit.title not in yours
    assert summit.title in archived.split("<h2>")[0]


def _home_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    return len(queries)


def test_home_page_queries_stay_the_same_as_summits_grow(summit, organiser):
    client = client_for(organiser)
    one = _home_queries(client)
    for n in range(5):
        extra = Summit.objects.create(
            slug=f"extra-{n}",
            title=f"Extra {n}",
            central_question="Why?",
            status=Status.ARCHIVED if n % 2 else Status.OPEN,
        )
        Participant.objects.create(
            user=organiser.user, summit=extra, role=Participant.Role.ORGANISER, display_name="O"
        )

    assert _home_queries(client) == one


def test_summit_home_shows_the_status_to_organisers_with_the_settings_link(summit, organiser):
    _with_status(summit, Status.LIVE)

    html = client_for(organiser).get(reverse("summit_home", args=[summit.slug])).content.decode()

    assert "Status: <strong>Live</strong>" in html
    assert f'href="{_settings_url(summit)}">Settings and status' in html


def test_joining_page_shows_the_status_and_sends_organisers_to_settings(summit, organiser):
    _with_status(summit, Status.DRAFT)

    html = client_for(organiser).get(reverse("joining", args=[summit.slug])).content.decode()

    assert "<dd>Draft</dd>" in html
    assert "The code does not work until the summit is open for joining." in html
    assert _settings_url(summit) in html
    assert 'name="status"' not in html
    assert 'name="allow_anonymous"' not in html


def test_the_agenda_is_read_in_the_summits_own_time_zone(summit):
    late_evening_in_london = dt.datetime(2026, 12, 7, 22, 0, tzinfo=dt.UTC)

    summit.time_zone = "Pacific/Auckland"
    assert summit.time_of_day(late_evening_in_london) == dt.time(11, 0)
    summit.time_zone = "Europe/London"
    assert summit.time_of_day(late_evening_in_london) == dt.time(22, 0)
    summit.time_zone = "Nowhere/Atlantis"  # never saved through a form: the default is used
    assert summit.time_of_day(late_evening_in_london) == dt.time(22, 0)
