"""The moderators' page for questions from the floor: sessions added, opened and closed;
each move of a question through the lanes, by buttons that work with and without htmx; a
refusal that keeps what the moderator wrote; the top questions by support and by spread;
named moderators; and queries that do not grow with the questions."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plenary import moderation
from plenary.models import QaSession, Question
from plenary.questions import ask_question, support_question
from plenary.services import plenary_for
from tests.conftest import client_for, make_participant

S = Question.Status


@pytest.fixture
def session(summit, organiser) -> QaSession:
    session = moderation.add_session(plenary_for(summit), title="Ask the panel", by=organiser)
    return moderation.change_session(session, state=QaSession.State.OPEN, by=organiser)


def _ask(session, person=None, text="Who holds the budget?") -> Question:
    person = person or make_participant(session.plenary.summit)
    return ask_question(session, person, text, uuid.uuid4())[0]


def _act(who, question, action, data=None, htmx=True):
    url = reverse(
        "plenary:moderate_question",
        args=[question.session.plenary.summit.slug, question.pk, action],
    )
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client_for(who).post(url, data or {}, **headers)


def test_page_lists_the_session_lanes_and_the_anonymous_asker_by_sector_alone(
    summit, session, organiser
):
    hidden = make_participant(summit, name="Hidden Person", anonymous=True)
    _ask(session, hidden, "Who pays for it?")

    page = client_for(organiser).get(reverse("plenary:moderate", args=[summit.slug]))

    body = page.content.decode()
    assert page.status_code == 200
    assert "Ask the panel" in body
    assert "Who pays for it?" in body
    assert "Hidden Person" not in body
    assert "Anonymous (" in body


def test_adding_a_session_refuses_an_empty_title_with_422(summit, organiser):
    url = reverse("plenary:add_qa_session", args=[summit.slug])

    refused = client_for(organiser).post(url, {"title": ""})
    made = client_for(organiser).post(url, {"title": "Afternoon panel", "premoderated": "on"})

    assert refused.status_code == 422
    assert "Enter a title for the session" in refused.content.decode()
    assert made.status_code == 302
    session = QaSession.objects.get(title="Afternoon panel")
    assert session.premoderated
    assert session.state == QaSession.State.DRAFT


def test_sessions_are_opened_and_closed_from_the_page(summit, session, facilitator):
    url = reverse("plenary:change_qa_session", args=[summit.slug, session.pk])

    client_for(facilitator).post(url, {"change": "close"}, HTTP_HX_REQUEST="true")
    session.refresh_from_db()
    assert session.state == QaSession.State.CLOSED
    refused = client_for(facilitator).post(url, {"change": "shout"}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 422


def test_each_move_through_the_lanes(summit, session, organiser):
    first, second, duplicate = (_ask(session, text=t) for t in ("One?", "Two?", "One again?"))

    assert _act(organiser, first, "queue").status_code == 200
    assert _act(organiser, second, "queue").status_code == 200
    _act(organiser, second, "up")
    assert [q.pk for q in Question.objects.filter(status=S.QUEUED).order_by("queue_position")] == [
        second.pk,
        first.pk,
    ]
    merge = reverse("plenary:merge_questions", args=[summit.slug])
    answer = client_for(organiser).post(merge, {"question": duplicate.pk, "into": first.pk})
    assert answer.status_code == 302
    _act(organiser, second, "answer-now")
    page = _act(organiser, second, "answered", {"note": "Written answer to follow"})

    statuses = dict(Question.objects.values_list("text", "status"))
    assert statuses == {"One?": S.QUEUED, "Two?": S.ANSWERED, "One again?": S.MERGED}
    assert "Written answer to follow" in page.content.decode()


def test_moving_by_keyboard_keeps_the_focus_on_the_button_pressed(summit, session, organiser):
    first, second = (_ask(session, text=t) for t in ("One?", "Two?"))
    for question in (first, second):
        moderation.queue(question, by=organiser)

    page = _act(organiser, second, "up").content.decode()

    assert (
        f'id="question-{second.pk}-up" class="button button--small button--secondary" autofocus'
        in page
    )


def test_a_dismissal_without_a_reason_is_refused_keeping_nothing_lost(summit, session, organiser):
    question = _ask(session)

    refused = _act(organiser, question, "dismiss", {"reason": ""})
    too_long = _act(organiser, question, "dismiss", {"reason": "x" * 301})
    done = _act(organiser, question, "dismiss", {"reason": "Asked in the morning"}, htmx=False)

    assert refused.status_code == 422
    assert "Say why the question is dismissed" in refused.content.decode()
    assert too_long.status_code == 422
    assert "x" * 301 in too_long.content.decode()
    assert done.status_code == 302
    question.refresh_from_db()
    assert (question.status, question.dismiss_reason) == (S.DISMISSED, "Asked in the morning")


def test_an_unknown_move_or_another_summits_question_is_not_found(
    summit, session, organiser, outsider
):
    question = _ask(session)

    assert _act(organiser, question, "shout").status_code == 404
    elsewhere = moderation.add_session(
        plenary_for(outsider.summit),
        title="Theirs",
        by=make_participant(outsider.summit, role="organiser"),
    )
    theirs = moderation.change_session(
        elsewhere, state="open", by=make_participant(outsider.summit, role="organiser")
    )
    other = _ask(theirs, outsider)
    url = reverse("plenary:moderate_question", args=[summit.slug, other.pk, "queue"])
    assert client_for(organiser).post(url).status_code == 404


def test_an_attendee_named_moderator_may_moderate_and_others_may_not(
    summit, session, attendee, organiser
):
    url = reverse("plenary:moderate", args=[summit.slug])
    assert client_for(attendee).get(url).status_code == 403

    client_for(organiser).post(
        reverse("update_person", args=[summit.slug, attendee.pk]),
        {"role": "attendee", "moderates_questions": "on"},
    )

    attendee.refresh_from_db()
    assert attendee.moderates_questions
    assert client_for(attendee).get(url).status_code == 200


def test_top_questions_rank_spread_support_above_a_blocs(summit, session, organiser):
    bloc = _ask(session, text="The bloc's question")
    spread = _ask(session, text="The question backed across sectors")
    for _ in range(4):
        support_question(bloc, make_participant(summit, sector="local_government"), True)
    for sector in ("health", "faith", "business"):
        support_question(spread, make_participant(summit, sector=sector), True)

    page = (
        client_for(organiser).get(reverse("plenary:moderate", args=[summit.slug])).content.decode()
    )

    by_spread = page[page.index("By cross-sector support") : page.index(">By support<")]
    assert by_spread.index("backed across sectors") < by_spread.index("bloc&#x27;s question")


def test_the_page_takes_the_same_queries_however_many_questions(summit, session, organiser):
    client = client_for(organiser)
    url = reverse("plenary:moderate", args=[summit.slug])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    for n in range(3):
        support_question(_ask(session, text=f"Q{n}"), make_participant(summit), True)
    few = count()
    for n in range(12):
        # Anonymous askers, each shown by their sector: named without a query each.
        asker = make_participant(summit, sector="voluntary", anonymous=True)
        question = _ask(session, asker, text=f"More {n}")
        support_question(question, make_participant(summit, sector="health"), True)
        moderation.queue(question, by=organiser)
    moderation.dismiss(_ask(session), "Off topic", by=organiser)

    assert count() == few


def test_one_merge_form_chooses_the_duplicate_and_the_question_kept(summit, session, organiser):
    kept, duplicate = (_ask(session, text=t) for t in ("Who pays?", "Who pays for it?"))
    url = reverse("plenary:merge_questions", args=[summit.slug])
    client = client_for(organiser)

    same = client.post(url, {"question": kept.pk, "into": kept.pk}, HTTP_HX_REQUEST="true")
    missing = client.post(url, {"question": duplicate.pk}, HTTP_HX_REQUEST="true")
    done = client.post(url, {"question": duplicate.pk, "into": kept.pk}, HTTP_HX_REQUEST="true")

    assert same.status_code == missing.status_code == 422
    assert "Choose two different questions" in same.content.decode()
    assert "Choose the question to merge it into" in missing.content.decode()
    assert done.status_code == 200
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into_id) == (S.MERGED, kept.pk)
    # Merged already: refused by the form, which keeps the two chosen.
    again = client.post(url, {"question": duplicate.pk, "into": kept.pk}, HTTP_HX_REQUEST="true")
    assert again.status_code == 422


def test_the_merge_form_lists_each_question_once_per_choice(summit, session, organiser):
    # Not a list of all the others on every card: the page grows with the questions, not
    # with their square.
    for n in range(30):
        _ask(session, text=f"Question number {n}?")

    page = (
        client_for(organiser).get(reverse("plenary:moderate", args=[summit.slug])).content.decode()
    )

    assert page.count(">Question number 7?</option>") == 2
    assert page.count('id="merge-into"') == 1
