"""Questions from the floor, as services: asking once per token, support one each and taken
back, the moderators' lanes, merging that keeps every supporter once, and the chair's
ranking by cross-sector support."""

from __future__ import annotations

import uuid

import pytest

from accounts.models import AuditEntry, Participant
from plenary import moderation
from plenary.models import Plenary, QaSession, Question, QuestionSupport
from plenary.questions import (
    ask_question,
    by_cross_sector_support,
    load_questions,
    sorted_by,
    support_question,
)
from plenary.services import plenary_for
from summit.event.refusals import Refused
from tests.conftest import make_participant

S = Question.Status


@pytest.fixture
def session(summit, organiser) -> QaSession:
    plenary = plenary_for(summit)
    session = moderation.add_session(plenary, title="Ask the panel", by=organiser)
    return moderation.change_session(session, state=QaSession.State.OPEN, by=organiser)


def _ask(session, person, text="Who holds the budget?") -> Question:
    return ask_question(session, person, text, uuid.uuid4())[0]


def _people(summit, n, sector="local_government") -> list[Participant]:
    return [make_participant(summit, sector=sector) for _ in range(n)]


def test_a_question_is_asked_once_per_token_and_published_at_once(session, attendee):
    token = uuid.uuid4()

    first, made = ask_question(session, attendee, "Who holds the budget?", token)
    again, made_again = ask_question(session, attendee, "Who holds the budget?", token)

    assert (made, made_again, again) == (True, False, first)
    assert first.status == S.PUBLISHED
    assert Question.objects.count() == 1


def test_a_premoderated_session_holds_questions_for_review(session, attendee, organiser):
    moderation.change_session(session, premoderated=True, by=organiser)
    session.refresh_from_db()

    question = _ask(session, attendee)

    assert question.status == S.AWAITING
    assert load_questions(session) == []
    assert moderation.publish(question, by=organiser).status == S.PUBLISHED


def test_a_closed_or_unopened_session_takes_no_question(session, attendee, organiser):
    moderation.change_session(session, state=QaSession.State.CLOSED, by=organiser)
    session.refresh_from_db()

    with pytest.raises(Refused, match="closed"):
        _ask(session, attendee)
    draft = moderation.add_session(session.plenary, title="Later", by=organiser)
    with pytest.raises(Refused, match="not open"):
        _ask(draft, attendee)


def test_an_anonymous_asker_is_shown_by_sector_alone(summit, session):
    person = make_participant(summit, name="Hidden Person", anonymous=True)

    question = _ask(session, person)

    assert question.anonymous
    assert "Hidden Person" not in question.attribution
    assert question.attribution.startswith("Anonymous (")


def test_support_is_one_each_taken_back_and_never_for_your_own(summit, session, attendee):
    question = _ask(session, attendee)
    backer = make_participant(summit)

    assert support_question(question, backer, True) == 1
    assert support_question(question, backer, True) == 1  # a retry counts once
    assert support_question(question, backer, False) == 0
    assert support_question(question, backer, False) == 0
    with pytest.raises(Refused, match="your own"):
        support_question(question, attendee, True)


def test_moderators_are_facilitators_organisers_and_those_named(session, attendee, facilitator):
    question = _ask(session, make_participant(session.plenary.summit))

    with pytest.raises(Refused, match="moderators"):
        moderation.queue(question, by=attendee)
    attendee.moderates_questions = True
    assert moderation.queue(question, by=attendee).status == S.QUEUED
    assert moderation.unqueue(question, by=facilitator).status == S.PUBLISHED


def test_the_queue_keeps_the_order_the_chair_sets(summit, session, organiser):
    asked = [_ask(session, make_participant(summit), f"Question {n}") for n in range(3)]
    for question in asked:
        moderation.queue(question, by=organiser)

    moderation.move_in_queue(asked[2], -1, by=organiser)
    moderation.move_in_queue(asked[0], 1, by=organiser)

    queued = Question.objects.filter(status=S.QUEUED).order_by("queue_position")
    assert [q.text for q in queued] == ["Question 2", "Question 0", "Question 1"]
    assert AuditEntry.objects.filter(action="Moved a question in the queue").count() == 2


def test_answer_now_puts_it_on_the_big_screen_and_answered_takes_it_down(
    summit, session, organiser
):
    first, second = (_ask(session, make_participant(summit), t) for t in ("One", "Two"))

    moderation.answer_now(first, by=organiser)
    moderation.answer_now(second, by=organiser)

    plenary = Plenary.objects.get(pk=session.plenary.pk)
    assert (plenary.showing, plenary.shown_question_id) == (Plenary.Showing.FLOOR, second.pk)
    assert Question.objects.get(pk=first.pk).status == S.ANSWERED
    moderation.mark_answered(second, "The council will write to everyone", by=organiser)
    plenary.refresh_from_db()
    second.refresh_from_db()
    assert (plenary.showing, plenary.shown_question) == (Plenary.Showing.QUESTION, None)
    assert (second.status, second.answer_note) == (S.ANSWERED, "The council will write to everyone")


def test_dismissing_needs_a_reason_and_keeps_it(session, attendee, organiser):
    question = _ask(session, attendee)

    with pytest.raises(Refused, match="Say why"):
        moderation.dismiss(question, "  ", by=organiser)
    dismissed = moderation.dismiss(question, "Off topic for this panel", by=organiser)

    assert (dismissed.status, dismissed.dismiss_reason) == (S.DISMISSED, "Off topic for this panel")
    assert load_questions(session) == []


def test_merging_keeps_every_supporter_once(summit, session, organiser):
    kept_asker, duplicate_asker, both, only_duplicate = _people(summit, 4)
    kept = _ask(session, kept_asker, "Who pays?")
    duplicate = _ask(session, duplicate_asker, "Who will pay for it?")
    for person in (both, only_duplicate):
        support_question(duplicate, person, True)
    support_question(kept, both, True)

    moderation.merge(duplicate, kept, by=organiser)

    backers = set(
        QuestionSupport.objects.filter(question=kept).values_list("participant", flat=True)
    )
    assert backers == {both.pk, only_duplicate.pk, duplicate_asker.pk}
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into) == (S.MERGED, kept)


def test_an_edit_by_a_moderator_is_marked_as_edited(session, attendee, organiser):
    question = _ask(session, attendee, "Who holds the budgit?")

    edited = moderation.edit_question(question, "Who holds the budget?", by=organiser)

    assert edited.text == "Who holds the budget?"
    assert edited.edited_at is not None


def test_support_across_sectors_outranks_a_blocs(summit, session):
    bloc = _ask(session, make_participant(summit), "Bloc's question")
    spread = _ask(session, make_participant(summit), "Question backed across sectors")
    for person in _people(summit, 4, "local_government"):
        support_question(bloc, person, True)
    for sector in ("health", "faith", "business"):
        support_question(spread, make_participant(summit, sector=sector), True)

    views = load_questions(session)

    assert next(v.question.text for v in sorted_by(views, "support")) == "Bloc's question"
    assert next(v.question.text for v in by_cross_sector_support(views)) == spread.text


def test_closing_a_session_answers_the_question_on_screen(session, attendee, organiser):
    question = _ask(session, attendee)
    moderation.answer_now(question, by=organiser)

    moderation.change_session(session, state=QaSession.State.CLOSED, by=organiser)

    question.refresh_from_db()
    assert question.status == S.ANSWERED
    assert Plenary.objects.get(pk=session.plenary.pk).showing == Plenary.Showing.QUESTION
    with pytest.raises(Refused, match="read only"):
        moderation.queue(_ask_closed(question), by=organiser)


def _ask_closed(question: Question) -> Question:
    question.session.refresh_from_db()
    return question
