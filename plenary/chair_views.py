"""The moderators' page for questions from the floor: the sessions, and one session's
questions in their lanes, with the chair's queue and the top questions. Thin views: each
checks who is asking, parses a form, calls one service of ``plenary.moderation`` (which logs
and pushes) and draws the lanes again."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts.access import signed_in
from plenary import moderation
from plenary.access import PlenaryAccess, get_plenary_for, get_qa_session_for, get_question_for
from plenary.chair import load_lanes
from plenary.chair_forms import (
    SESSION_CHANGES,
    AnsweredForm,
    DismissForm,
    EditForm,
    MergeForm,
    SessionChangeForm,
    SessionForm,
)
from plenary.models import Question
from summit.event.refusals import Refused


@dataclass(frozen=True)
class Move:
    """A move of a question: the form it needs, if any, and the service it calls."""

    form: type | None
    call: Callable


ACTIONS = {
    "publish": Move(None, lambda q, d, by: moderation.publish(q, by=by)),
    "queue": Move(None, lambda q, d, by: moderation.queue(q, by=by)),
    "unqueue": Move(None, lambda q, d, by: moderation.unqueue(q, by=by)),
    "up": Move(None, lambda q, d, by: moderation.move_in_queue(q, -1, by=by)),
    "down": Move(None, lambda q, d, by: moderation.move_in_queue(q, 1, by=by)),
    "answer-now": Move(None, lambda q, d, by: moderation.answer_now(q, by=by)),
    "answered": Move(AnsweredForm, lambda q, d, by: moderation.mark_answered(q, d["note"], by=by)),
    "dismiss": Move(DismissForm, lambda q, d, by: moderation.dismiss(q, d["reason"], by=by)),
    "edit": Move(EditForm, lambda q, d, by: moderation.edit_question(q, d["text"], by=by)),
}


def _moderate(request: HttpRequest, slug: str) -> PlenaryAccess:
    return get_plenary_for(request.user, slug, moderate=True)


def _context(access: PlenaryAccess, session_id: str | None, **extra) -> dict:
    lanes = load_lanes(access.plenary, session_id)
    return {
        "summit": access.plenary.summit,
        "participant": access.participant,
        "lanes": lanes,
        "can_facilitate": access.can_facilitate,
        **extra,
    }


def _lanes(request: HttpRequest, access: PlenaryAccess, session_id, status=200, **extra):
    """The lanes drawn again: the panel for htmx, otherwise the page (a refusal) or a
    redirect to it (done)."""
    context = _context(access, str(session_id) if session_id else None, **extra)
    if request.htmx:
        return render(request, "plenary/chair.html#lanes", context, status=status)
    if status == 200:
        url = reverse("plenary:moderate", args=[access.plenary.summit.slug])
        return redirect(f"{url}?session={session_id}" if session_id else url)
    context["session_form"] = SessionForm(summit=access.plenary.summit)
    return render(request, "plenary/chair.html", context, status=status)


@require_GET
@signed_in
def moderate(request: HttpRequest, slug: str) -> HttpResponse:
    """The moderators' page: the sessions, and the lanes of the one chosen."""
    access = _moderate(request, slug)
    context = _context(access, request.GET.get("session"))
    context["session_form"] = SessionForm(summit=access.plenary.summit)
    return render(request, "plenary/chair.html", context)


@require_GET
@signed_in
def lanes(request: HttpRequest, slug: str) -> HttpResponse:
    """The lanes alone, fetched when the page's socket (re)opens or the questions change."""
    access = _moderate(request, slug)
    return render(request, "plenary/chair.html#lanes", _context(access, request.GET.get("session")))


@require_POST
@signed_in
def add_session(request: HttpRequest, slug: str) -> HttpResponse:
    access = _moderate(request, slug)
    form = SessionForm(request.POST, summit=access.plenary.summit)
    if form.is_valid():
        try:
            session = moderation.add_session(
                access.plenary, **form.cleaned_data, by=access.participant
            )
        except Refused as refused:
            form.add_error(None, str(refused))
        else:
            url = reverse("plenary:moderate", args=[slug])
            return redirect(f"{url}?session={session.pk}")
    context = _context(access, request.GET.get("session"), session_form=form)
    return render(request, "plenary/chair.html", context, status=422)


@require_POST
@signed_in
def change_session(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    """Open or close a session, or turn its pre-moderation on or off."""
    access = _moderate(request, slug)
    session = get_qa_session_for(access, session_id)
    form = SessionChangeForm(request.POST)
    if not form.is_valid():
        problem = {"session": True, "message": next(iter(form.errors.values()))[0]}
        return _lanes(request, access, session.pk, 422, problem=problem)
    try:
        moderation.change_session(
            session, **SESSION_CHANGES[form.cleaned_data["change"]], by=access.participant
        )
    except Refused as refused:
        return _lanes(request, access, session.pk, 422, problem={"message": str(refused)})
    return _lanes(request, access, session.pk)


@require_POST
@signed_in
def act(request: HttpRequest, slug: str, question_id: int, action: str) -> HttpResponse:
    """One move of one question: the lanes after it, or the refusal beside the question,
    with what the moderator wrote kept."""
    access = _moderate(request, slug)
    move = ACTIONS.get(action)
    if move is None:
        raise Http404("No such move.")
    question = get_question_for(access, question_id)
    data = {}
    if move.form is not None:
        form = move.form(request.POST)
        if not form.is_valid():
            message = next(iter(form.errors.values()))[0]
            return _refused(request, access, question, action, message)
        data = form.cleaned_data
    try:
        move.call(question, data, access.participant)
    except Refused as refused:
        return _refused(request, access, question, action, str(refused))
    # Moved in the queue by keyboard: the focus stays on the button pressed.
    focus = {"focus_question": question.pk, "focus_action": action}
    return _lanes(
        request, access, question.session_id, **(focus if action in {"up", "down"} else {})
    )


@require_POST
@signed_in
def merge(request: HttpRequest, slug: str) -> HttpResponse:
    """A duplicate merged into another question, both chosen on the lanes' merge form: the
    lanes after it, or the refusal by the form with what was chosen kept."""
    access = _moderate(request, slug)
    form = MergeForm(request.POST)
    if not form.is_valid():
        problem = {"merge": True, "message": next(iter(form.errors.values()))[0]}
        return _lanes(request, access, request.POST.get("session"), 422, problem=problem)
    duplicate = get_question_for(access, form.cleaned_data["question"])
    into = get_question_for(access, form.cleaned_data["into"])
    try:
        moderation.merge(duplicate, into, by=access.participant)
    except Refused as refused:
        problem = {
            "merge": True,
            "message": str(refused),
            "duplicate": duplicate.pk,
            "into": into.pk,
        }
        return _lanes(request, access, duplicate.session_id, 422, problem=problem)
    return _lanes(request, access, duplicate.session_id)


def _refused(request, access, question: Question, action: str, message: str) -> HttpResponse:
    problem = {
        "question": question.pk,
        "action": action,
        "message": message,
        "value": request.POST.get("reason")
        or request.POST.get("note")
        or request.POST.get("text", ""),
    }
    return _lanes(request, access, question.session_id, 422, problem=problem)
