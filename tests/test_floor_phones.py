"""Questions from the floor on attendees' phones and the big screen: asking through the page
(once per token, refused with the text kept), supporting and taking support back, the order
each person chooses, each person's own questions with their status, the question being
answered on the big screen, and an anonymous asker never named to anyone else."""

from __future__ import annotations

import re
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plenary import moderation
from plenary.models import QaSession, Question, QuestionSupport
from plenary.questions import ask_question, support_question
from plenary.services import plenary_for
from tests.conftest import client_for, in_english, make_participant

S = Question.Status
HIDDEN_NAME = "Hidden Hassan"


@pytest.fixture
def plenary(summit):
    return plenary_for(summit)


@pytest.fixture
def session(plenary, organiser) -> QaSession:
    made = moderation.add_session(plenary, title="Ask the panel", by=organiser)
    return moderation.change_session(made, state=QaSession.State.OPEN, by=organiser)


@pytest.fixture
def asker(summit):
    return make_participant(summit, name="Aisha Rahman", sector="local_government")


@pytest.fixture
def neighbour(summit):
    return make_participant(summit, name="Ben Carter", sector="health")


@pytest.fixture
def pushed(monkeypatch):
    """Every push of the questions and of the room, as (group, html) pairs."""
    sent: list[tuple[str, str]] = []

    def record(fragments, **kwargs) -> None:
        sent.extend(in_english(fragments))

    monkeypatch.setattr("plenary.floor_live.push", record)
    monkeypatch.setattr("plenary.live.push", record)
    return sent


def _ask(session, person, text="Who holds the budget?") -> Question:
    return ask_question(session, person, text, uuid.uuid4())[0]


def _ask_url(session) -> str:
    return reverse("plenary:ask_question", args=[session.plenary.summit.slug, session.pk])


def _support_url(question) -> str:
    return reverse(
        "plenary:support_question", args=[question.session.plenary.summit.slug, question.pk]
    )


def _panel(client, summit, query: str = "") -> str:
    response = client.get(reverse("plenary:questions", args=[summit.slug]) + query)
    assert response.status_code == 200
    return response.content.decode()


def _room(client, summit, query: str = "") -> str:
    response = client.get(reverse("plenary:room", args=[summit.slug]) + query)
    assert response.status_code == 200
    return response.content.decode()


def _token(body: str, session) -> str:
    form = body[body.index(f'action="{_ask_url(session)}"') :]
    return re.search(r'name="client_token" value="([^"]+)"', form)[1]


# Asking


def test_asking_from_a_phone_without_javascript_goes_back_to_the_room(summit, session, asker):
    client = client_for(asker)
    data = {"text": "Who holds the budget?", "client_token": str(uuid.uuid4())}

    response = client.post(_ask_url(session), data)

    assert response.status_code == 302
    assert response.url == reverse("plenary:room", args=[summit.slug]) + "#floor-questions"
    question = Question.objects.get()
    assert (question.text, question.author, question.status) == (data["text"], asker, S.PUBLISHED)
    page = client.get(response.url).content.decode()
    assert "Your question was sent." in page
    assert f'id="question-{question.pk}"' in page


def test_asking_with_htmx_answers_with_the_questions_and_a_fresh_form(summit, session, asker):
    client = client_for(asker)
    token = str(uuid.uuid4())

    response = client.post(
        _ask_url(session),
        {"text": "Who holds the budget?", "client_token": token},
        HTTP_HX_REQUEST="true",
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="floor-questions"' in body
    assert "Your question was sent. Everyone can see and support it now." in body
    assert "Who holds the budget?</p>" in body
    assert _token(body, session) != token  # a new question gets a new token


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Enter your question"),
        ("   ", "Enter your question"),
        ("x" * 501, "Your question must be 500 characters or fewer (it has 501)"),
    ],
)
@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "page"])
def test_a_refused_question_comes_back_with_its_text_and_token(
    summit, session, asker, text, message, htmx
):
    token = str(uuid.uuid4())
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}

    response = client_for(asker).post(
        _ask_url(session), {"text": text, "client_token": token}, **headers
    )

    body = response.content.decode()
    assert response.status_code == 422
    assert message in body
    assert 'class="error-summary"' in body
    assert f'id="floor-session-{session.pk}-question"' in body
    if text.strip():
        assert f"data-unsent>{text}</textarea>" in body
    assert _token(body, session) == token
    assert ("<html" in body) is not htmx
    assert not Question.objects.exists()


def test_sending_again_with_the_same_token_asks_once(session, asker):
    client = client_for(asker)
    data = {"text": "Who holds the budget?", "client_token": str(uuid.uuid4())}

    first = client.post(_ask_url(session), data, HTTP_HX_REQUEST="true")
    again = client.post(_ask_url(session), data, HTTP_HX_REQUEST="true")

    assert (first.status_code, again.status_code) == (200, 200)
    assert Question.objects.count() == 1


def test_asking_too_fast_is_refused_keeping_the_text(session, asker, settings):
    settings.POSTS_PER_MINUTE = 2
    client = client_for(asker)

    sent = [
        client.post(
            _ask_url(session),
            {"text": f"Question {n}", "client_token": str(uuid.uuid4())},
            HTTP_HX_REQUEST="true",
        ).status_code
        for n in range(2)
    ]
    refused = client.post(
        _ask_url(session),
        {"text": "One too many", "client_token": str(uuid.uuid4())},
        HTTP_HX_REQUEST="true",
    )

    assert sent == [200, 200]
    assert refused.status_code == 422
    body = refused.content.decode()
    assert "You are sending very quickly" in body
    assert "One too many</textarea>" in body
    assert Question.objects.count() == 2


def test_a_closed_session_is_read_only_and_refuses_a_question(
    summit, session, asker, neighbour, organiser
):
    question = _ask(session, neighbour)
    moderation.change_session(session, state=QaSession.State.CLOSED, by=organiser)
    client = client_for(asker)

    panel = _panel(client, summit)
    refused = client.post(
        _ask_url(session),
        {"text": "Too late?", "client_token": str(uuid.uuid4())},
        HTTP_HX_REQUEST="true",
    )

    assert "Ask the panel: closed, 1 question" in panel
    assert f'id="question-{question.pk}"' in panel
    assert _ask_url(session) not in panel
    assert _support_url(question) not in panel
    assert refused.status_code == 422
    assert "This session is closed to questions." in refused.content.decode()
    assert "Too late?" in refused.content.decode()


def test_a_session_not_yet_open_is_not_shown_and_takes_no_question(
    summit, plenary, asker, organiser
):
    draft = moderation.add_session(plenary, title="Later on", by=organiser)
    client = client_for(asker)

    refused = client.post(_ask_url(draft), {"text": "Early?", "client_token": str(uuid.uuid4())})

    assert "Later on" not in _panel(client, summit)
    assert "No session of questions is open just now." in _panel(client, summit)
    assert refused.status_code == 422
    assert "This session is not open for questions yet." in refused.content.decode()


# Supporting


def test_support_is_given_and_taken_back_from_a_phone(summit, session, asker, neighbour):
    question = _ask(session, asker)
    client = client_for(neighbour)

    given = client.post(_support_url(question), {"supported": "1"}, HTTP_HX_REQUEST="true")
    body = given.content.decode()
    assert given.status_code == 200
    assert f'<li class="floor-question" id="question-{question.pk}">' in body
    assert f'<span id="question-{question.pk}-support">1 supporter</span>' in body
    assert 'aria-pressed="true"' in body
    assert 'name="supported" value="0"' in body
    assert QuestionSupport.objects.filter(question=question, participant=neighbour).exists()

    taken = client.post(_support_url(question), {"supported": "0"}, HTTP_HX_REQUEST="true")
    body = taken.content.decode()
    assert f'<span id="question-{question.pk}-support">0 supporters</span>' in body
    assert 'aria-pressed="false"' in body
    assert not QuestionSupport.objects.exists()


def test_support_without_javascript_goes_back_to_the_question(summit, session, asker, neighbour):
    question = _ask(session, asker)

    response = client_for(neighbour).post(_support_url(question), {"supported": "1"})

    assert response.status_code == 302
    assert response.url.endswith(f"#question-{question.pk}")
    assert QuestionSupport.objects.count() == 1


def test_supporting_your_own_question_is_refused_where_you_pressed(session, asker):
    question = _ask(session, asker)

    response = client_for(asker).post(
        _support_url(question), {"supported": "1"}, HTTP_HX_REQUEST="true"
    )

    body = response.content.decode()
    assert response.status_code == 422
    assert f'id="question-{question.pk}"' in body
    assert "You cannot support your own question." in body
    assert not QuestionSupport.objects.exists()


def test_a_question_awaiting_review_cannot_be_supported_by_others(
    session, asker, neighbour, organiser
):
    moderation.change_session(session, premoderated=True, by=organiser)
    session.refresh_from_db()
    question = _ask(session, asker)

    response = client_for(neighbour).post(
        _support_url(question), {"supported": "1"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 404


# What each phone shows


def _order(body: str, questions: list[Question]) -> list[int]:
    """The questions in the order the body shows them in the session's list."""
    found = [
        (body.index(f'<li class="floor-question" id="question-{q.pk}"'), q.pk) for q in questions
    ]
    return [pk for _, pk in sorted(found)]


def test_each_person_chooses_the_order_and_it_is_kept(summit, session, asker, neighbour):
    backers = [make_participant(summit) for _ in range(3)]
    first, second, third = (_ask(session, asker, f"Question {n}") for n in range(3))
    for n, backer in enumerate(backers):
        support_question(second, backer, True)
        if n == 0:
            support_question(first, backer, True)
    client = client_for(neighbour)

    assert _order(_panel(client, summit), [first, second, third]) == [
        second.pk,
        first.pk,
        third.pk,
    ]
    newest = _panel(client, summit, "?sort=newest")
    assert _order(newest, [first, second, third]) == [third.pk, second.pk, first.pk]
    assert 'aria-current="true">Newest</a>' in newest
    # Kept for every fetch that follows, and for the page, until changed.
    assert _order(_panel(client, summit), [first, second, third])[0] == third.pk
    assert _order(_room(client, summit), [first, second, third])[0] == third.pk
    assert _order(_room(client, summit, "?sort=support"), [first, second, third])[0] == second.pk
    assert _order(_panel(client, summit), [first, second, third])[0] == second.pk
    # Someone else's choice is their own.
    assert _order(_panel(client_for(asker), summit), [first, second, third])[0] == second.pk


def test_your_questions_say_what_became_of_each(summit, plenary, session, asker, organiser):
    published = _ask(session, asker, "Still waiting for the panel")
    answered = _ask(session, asker, "Answered one")
    moderation.mark_answered(answered, "The chair will write to everyone", by=organiser)
    dismissed = _ask(session, asker, "Off topic one")
    moderation.dismiss(dismissed, "Not about the summit", by=organiser)
    kept = _ask(session, make_participant(summit), "The question kept")
    duplicate = _ask(session, asker, "A duplicate")
    moderation.merge(duplicate, kept, by=organiser)
    moderation.change_session(session, premoderated=True, by=organiser)
    session.refresh_from_db()
    awaiting = _ask(session, asker, "Held for review")

    panel = _panel(client_for(asker), summit)
    mine = panel[panel.index("Your questions") :]

    for question, status in [
        (published, "Published"),
        (answered, "Answered"),
        (dismissed, "Dismissed"),
        (duplicate, "Merged"),
        (awaiting, "Awaiting review"),
    ]:
        start = mine.index(question.text)
        assert status in mine[start : mine.index("</li>", start)], question.text
    assert "Answer note: The chair will write to everyone" in mine
    assert "Why: Not about the summit" in mine
    assert "Merged into “The question kept”: you support that question now." in mine
    # Nobody else sees what awaits review or was set aside.
    other = _panel(client_for(make_participant(summit)), summit)
    for hidden in (awaiting, dismissed, duplicate):
        assert hidden.text not in other
    assert "Your questions" not in other
    assert "The chair will write to everyone" not in other


def test_the_question_being_answered_is_marked_on_every_phone_and_edits_are_shown(
    summit, session, asker, neighbour, organiser
):
    question = _ask(session, asker)
    other = _ask(session, asker, "Another question")
    moderation.edit_question(question, "Who holds the budget now?", by=organiser)
    moderation.answer_now(question, by=organiser)
    client = client_for(neighbour)

    room = _room(client, summit)
    panel = _panel(client, summit)

    assert "Now answering, a question from the floor" in room  # what the big screen shows
    item = panel[panel.index(f'id="question-{question.pk}"') :]
    assert 'class="floor-question floor-question--answering"' in panel
    assert "Now answering" in item[: item.index("</li>")]
    assert "edited" in item[: item.index("</li>")]
    assert panel.index(f'id="question-{question.pk}"') < panel.index(f'id="question-{other.pk}"')


def test_an_anonymous_asker_is_never_named_to_anyone_else(
    summit, plenary, session, neighbour, organiser, pushed, django_capture_on_commit_callbacks
):
    hidden = make_participant(summit, name=HIDDEN_NAME, sector="health", anonymous=True)
    with django_capture_on_commit_callbacks(execute=True):
        question = _ask(session, hidden, "Why is the budget a secret?")
        support_question(question, neighbour, True)
        moderation.answer_now(question, by=organiser)
    screen_key = plenary.screen_key
    pages = [
        _room(client_for(neighbour), summit),
        _panel(client_for(neighbour), summit),
        Client().get(reverse("plenary:screen", args=[screen_key])).content.decode(),
        Client().get(reverse("plenary:screen_panel", args=[screen_key])).content.decode(),
    ]

    for page in pages:
        assert "Why is the budget a secret?" in page
        assert "Anonymous (Health and care (NHS))" in page
        assert HIDDEN_NAME not in page
    assert pushed
    assert not [html for _, html in pushed if HIDDEN_NAME in html]
    own = _panel(client_for(hidden), summit)
    assert "Your question, shown as Anonymous (Health and care (NHS))" in own
    assert HIDDEN_NAME not in own


def test_a_question_asked_is_pushed_to_every_phone_as_its_card(
    summit, plenary, session, asker, pushed, django_capture_on_commit_callbacks
):
    # A thousand phones need not fetch their questions for each one asked: the card comes to
    # them, as everyone but its asker sees it, into whichever order each phone shows.
    hidden = make_participant(summit, name=HIDDEN_NAME, sector="health", anonymous=True)
    with django_capture_on_commit_callbacks(execute=True):
        question = _ask(session, hidden, "Why is the budget a secret?")

    by_group = dict(pushed)
    attendees = by_group[f"plenary-{plenary.pk}-attendees"]
    card = f'<li class="floor-question" id="question-{question.pk}">'
    for order, swap in (("newest", "afterbegin"), ("support", "beforeend")):
        assert (
            f'<ol id="floor-session-{session.pk}-by-{order}" hx-swap-oob="{swap}" data-if-shown '
            f'data-if-new="question-{question.pk}">'
        ) in attendees
    assert attendees.count(card) == 2
    assert "Why is the budget a secret?" in attendees
    assert "Anonymous (Health and care (NHS))" in attendees
    assert f'<span id="question-{question.pk}-support">0 supporters</span>' in attendees
    assert 'aria-pressed="false"' in attendees
    assert "New question from the floor: Why is the budget a secret?" in attendees
    assert "data-refresh-questions" not in attendees
    assert by_group[f"plenary-{plenary.pk}-screen"] == attendees
    # The consoles and the moderators rank it among the others: they fetch their lanes.
    for group in (f"plenary-{plenary.pk}-facilitators", f"plenary-{plenary.pk}-moderators"):
        assert card in by_group[group]
        assert "data-refresh-questions" in by_group[group]
    assert not [html for _, html in pushed if HIDDEN_NAME in html]


def test_support_counts_are_pushed_folded_like_a_polls_tally(
    plenary, session, asker, neighbour, monkeypatch, django_capture_on_commit_callbacks
):
    sent: list[tuple[list, str | None]] = []
    monkeypatch.setattr(
        "plenary.floor_live.push",
        lambda fragments, coalesce=None: sent.append((in_english(fragments), coalesce)),
    )
    question = _ask(session, asker)
    with django_capture_on_commit_callbacks(execute=True):
        support_question(question, neighbour, True)

    ((fragments, coalesce),) = sent
    # Counts that follow one another closely are folded into the newest, per question.
    assert coalesce == f"question-support-{question.pk}"
    by_group = dict(fragments)
    attendees = by_group[f"plenary-{plenary.pk}-attendees"]
    assert f'<span id="question-{question.pk}-support" hx-swap-oob="outerHTML"' in attendees
    assert "1 supporter" in attendees
    assert "data-refresh-questions" not in attendees
    assert "data-refresh-questions" in by_group[f"plenary-{plenary.pk}-moderators"]


def test_a_phone_draws_its_questions_where_pushed_cards_can_arrive(
    summit, session, asker, neighbour
):
    empty = _panel(client_for(neighbour), summit)
    assert f'id="floor-session-{session.pk}-by-support" data-unique-children' in empty
    assert "No questions yet." in empty

    _ask(session, asker)
    newest = _panel(client_for(neighbour), summit, "?sort=newest")
    assert f'id="floor-session-{session.pk}-by-newest" data-unique-children' in newest
    assert "Who holds the budget?" in newest


# The big screen


def test_the_big_screen_shows_the_question_being_answered_large_with_its_support(
    summit, plenary, session, asker, neighbour, organiser
):
    question = _ask(session, asker)
    support_question(question, neighbour, True)
    moderation.answer_now(question, by=organiser)
    url = reverse("plenary:screen_panel", args=[plenary.screen_key])

    body = Client().get(url).content.decode()

    assert 'class="screen-floor"' in body
    assert '<p class="screen-floor__text">Who holds the budget?</p>' in body
    assert "Aisha Rahman, Testshire Council" in body
    assert f'<span id="question-{question.pk}-support">1 supporter</span>' in body
    assert "data-questions" in body  # fetched again when the questions change

    moderation.mark_answered(question, by=organiser)
    after = Client().get(url).content.decode()
    assert "Who holds the budget?" not in after
    assert "data-questions" not in after


def _screen_queries(plenary) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(reverse("plenary:screen_panel", args=[plenary.screen_key]))
    assert response.status_code == 200
    return len(queries)


def test_the_big_screen_reads_the_question_on_it_in_one_query(
    summit, plenary, session, asker, organiser
):
    question = _ask(session, asker)
    moderation.answer_now(question, by=organiser)
    one = _screen_queries(plenary)
    for _ in range(20):
        support_question(question, make_participant(summit), True)

    assert _screen_queries(plenary) == one
    moderation.mark_answered(question, by=organiser)
    assert _screen_queries(plenary) == one - 1


# Queries


def _panel_queries(client, summit) -> int:
    with CaptureQueriesContext(connection) as queries:
        _panel(client, summit)
    return len(queries)


def test_the_questions_take_the_same_queries_however_many_questions_and_supporters(
    summit, plenary, session, asker, neighbour, organiser
):
    client = client_for(neighbour)
    _ask(session, asker)
    _ask(session, neighbour)
    one = _panel_queries(client, summit)

    later = moderation.add_session(plenary, title="After lunch", by=organiser)
    later = moderation.change_session(later, state=QaSession.State.OPEN, by=organiser)
    people = [
        make_participant(summit, sector=sector, anonymous=n % 2 == 0)
        for n, sector in enumerate(["health", "voluntary", "business"] * 4)
    ]
    for n, person in enumerate(people):
        question = _ask(session if n % 2 else later, person, f"Question {n}")
        for backer in people[:n]:
            support_question(question, backer, True)
        if n % 3 == 0:
            support_question(question, neighbour, True)
    moderation.change_session(later, state=QaSession.State.CLOSED, by=organiser)

    assert _panel_queries(client, summit) == one
