"""Property-based tests of the moderators' forms for questions from the floor, as
``tests/test_fuzz.py`` tests every other form: whatever is sent, no request fails, every
refusal says what was wrong, and whatever was stored is shown escaped."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from plenary import moderation
from plenary.chair_forms import SESSION_CHANGES
from plenary.chair_views import ACTIONS
from plenary.models import QaSession, Question
from plenary.questions import ask_question
from tests.test_fuzz import (  # noqa: F401 (the fixtures these tests use, by their names)
    FUZZ,
    HUGE,
    WRITING,
    _nul_refused_as_postgresql_refuses_it,
    checked,
    fresh,
    get,
    post,
    refusal_messages,
    shown_escaped,
    summit_for_fuzzing,
    valid,
)


@pytest.fixture
def ctx(breakout, other_breakout, attendee, facilitator, organiser):
    return summit_for_fuzzing(breakout, other_breakout, attendee, facilitator, organiser)


def _open_session(ctx) -> QaSession:
    made = moderation.add_session(ctx.plenary, title="Ask the panel", by=ctx.organiser)
    return moderation.change_session(made, state=QaSession.State.OPEN, by=ctx.organiser)


def _moderation_page(ctx, session: QaSession | None = None) -> str:
    url = reverse("plenary:moderate", args=[ctx.summit.slug])
    return get(ctx.organising, f"{url}?session={session.pk}" if session else url)


@FUZZ
@given(
    form=st.fixed_dictionaries(
        {
            "title": WRITING,
            "agenda_item": valid("", "{agenda}", HUGE),
            "premoderated": valid("on", ""),
        }
    )
)
def test_new_session_form_survives_anything(ctx, form):
    with fresh(ctx.organising):
        form = {k: (str(ctx.refs["agenda"]) if v == "{agenda}" else v) for k, v in form.items()}
        url = reverse("plenary:add_qa_session", args=[ctx.summit.slug])
        response = post(ctx.organising, url, form, ctx.refs, htmx=False)

        checked(response)
        made = QaSession.objects.first()
        assert (response.status_code == 302) is (made is not None)
        if made is not None:
            shown_escaped(made.title, _moderation_page(ctx, made))


@FUZZ
@given(change=valid(*SESSION_CHANGES))
def test_session_change_survives_anything(ctx, change):
    with fresh(ctx.organising):
        session = _open_session(ctx)
        url = reverse("plenary:change_qa_session", args=[ctx.summit.slug, session.pk])
        response = post(ctx.organising, url, {"change": change}, ctx.refs)

        body = checked(response)
        assert response.status_code in {200, 422}
        if response.status_code == 422:
            assert refusal_messages(body) or "There is a problem" in body


@FUZZ
@given(
    action=st.one_of(st.sampled_from(sorted(ACTIONS)), WRITING),
    form=st.fixed_dictionaries(
        {
            "reason": WRITING,
            "note": WRITING,
            "text": WRITING,
        }
    ),
)
def test_moderating_a_question_survives_anything(ctx, action, form):
    with fresh(ctx.organising):
        session = _open_session(ctx)
        question = ask_question(session, ctx.someone, "Who pays?", uuid.uuid4())[0]
        ask_question(session, ctx.someone, "Who decides?", uuid.uuid4())
        try:
            url = reverse("plenary:moderate_question", args=[ctx.summit.slug, question.pk, action])
        except Exception:  # an action no URL can carry is refused before any view
            return
        response = post(ctx.organising, url, form, ctx.refs)

        checked(response)
        question.refresh_from_db()
        page = _moderation_page(ctx, session)
        shown_escaped(question.text, page)
        if question.status == Question.Status.DISMISSED:
            shown_escaped(question.dismiss_reason, page)
        if question.answer_note:
            shown_escaped(question.answer_note, page)


@FUZZ
@given(
    form=st.fixed_dictionaries(
        {
            "question": valid("{duplicate}", "{kept}", "", HUGE, "-1", "0"),
            "into": valid("{kept}", "{duplicate}", "", HUGE, "-1", "0"),
            "session": valid("{session}", "", HUGE),
        }
    )
)
def test_merging_survives_anything(ctx, form):
    with fresh(ctx.organising):
        session = _open_session(ctx)
        kept, duplicate = (
            ask_question(session, ctx.someone, text, uuid.uuid4())[0]
            for text in ("Who pays?", "Who pays for it?")
        )
        refs = {"{kept}": kept.pk, "{duplicate}": duplicate.pk, "{session}": session.pk}
        form = {
            k: (str(refs[v]) if isinstance(v, str) and v in refs else v) for k, v in form.items()
        }
        url = reverse("plenary:merge_questions", args=[ctx.summit.slug])
        response = post(ctx.organising, url, form, ctx.refs)

        body = checked(response)
        merged = Question.objects.filter(status=Question.Status.MERGED).count()
        assert merged == (response.status_code == 200)
        if response.status_code == 422:
            assert refusal_messages(body) or "There is a problem" in body
