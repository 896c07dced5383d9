"""Questions from the floor on an attendee's phone: the panel of questions (fetched again
whenever a push says they changed), asking one, and supporting one or taking the support
back. Thin views, each calling one service of ``plenary.questions``."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.access import signed_in
from plenary.access import PlenaryAccess, get_plenary_for, get_qa_session_for, get_question_for
from plenary.floor_forms import AskForm, SupportForm
from plenary.floor_room import Asking, chosen_sort, load_floor
from plenary.models import Question, QuestionSupport
from plenary.questions import QuestionView, ask_question, support_question
from plenary.room import ATTENDEES
from plenary.views import room_context
from summit.event.refusals import Refused
from summit.web.ratelimit import post_rate, vote_rate


def _panel(
    request: HttpRequest, access: PlenaryAccess, asking: Asking | None = None, status: int = 200
) -> HttpResponse:
    floor = load_floor(access.plenary, access.participant, chosen_sort(request), asking)
    context = {
        "summit": access.plenary.summit,
        "participant": access.participant,
        "floor": floor,
    }
    return render(request, "plenary/floor.html#questions", context, status=status)


def _room_url(slug: str, anchor: str = "floor-questions") -> str:
    return f"{reverse('plenary:room', args=[slug])}#{anchor}"


@require_GET
@signed_in
def questions(request: HttpRequest, slug: str) -> HttpResponse:
    """The questions from the floor on a phone, fetched when its socket (re)opens, when a
    push says they changed, or when the person changes their order (``?sort=``)."""
    return _panel(request, get_plenary_for(request.user, slug))


@require_POST
@signed_in
def ask(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    """A question for the panel, once per token. Refused, the form comes back with what was
    typed and the same token, so sending it again stays one question."""
    access = get_plenary_for(request.user, slug)
    session = get_qa_session_for(access, session_id)
    form = AskForm(request.POST)
    if form.is_valid() and (too_fast := post_rate.refusal(request, access.participant.pk)):
        form.add_error("text", too_fast)
    asked = None
    if form.is_valid():
        try:
            asked, _made = ask_question(
                session,
                access.participant,
                form.cleaned_data["text"],
                form.cleaned_data["client_token"],
            )
        except Refused as refused:
            form.add_error("text", str(refused))
    if asked is None:
        asking = Asking(session.pk, form, form.cleaned_data.get("client_token") or uuid.uuid4())
        if request.htmx:
            return _panel(request, access, asking, status=422)
        floor = load_floor(access.plenary, access.participant, chosen_sort(request), asking)
        context = {**room_context(access, ATTENDEES), "floor": floor}
        return render(request, "plenary/room_page.html", context, status=422)
    if not request.htmx:
        messages.success(request, _("Your question was sent."))
        return redirect(_room_url(slug))
    return _panel(request, access, Asking(session.pk, AskForm(), uuid.uuid4(), asked))


def _support_refused(request, access: PlenaryAccess, question: Question, message: str):
    if not request.htmx:
        messages.error(request, message)
        return redirect(_room_url(access.plenary.summit.slug, f"question-{question.pk}"))
    mine = QuestionSupport.objects.filter(question=question, participant=access.participant)
    view = QuestionView(
        question,
        support=QuestionSupport.objects.filter(question=question).count(),
        mine=question.author_id == access.participant.pk,
        supported=mine.exists(),
    )
    context = {"view": view, "summit": access.plenary.summit, "message": message}
    return render(request, "plenary/floor.html#question", context, status=422)


@require_POST
@signed_in
def support(request: HttpRequest, slug: str, question_id: int) -> HttpResponse:
    """Support a question ("supported" 1), or take the support back (0): the question as it
    stands now, its count pushed to every screen as well."""
    access = get_plenary_for(request.user, slug)
    question = get_question_for(access, question_id)
    form = SupportForm(request.POST)
    if not form.is_valid():
        return _support_refused(request, access, question, form.errors["supported"][0])
    if too_fast := vote_rate.refusal(request, access.participant.pk):
        return _support_refused(request, access, question, too_fast)
    supported = form.cleaned_data["supported"]
    try:
        count = support_question(question, access.participant, supported)
    except Refused as refused:
        return _support_refused(request, access, question, str(refused))
    if not request.htmx:
        return redirect(_room_url(slug, f"question-{question.pk}"))
    view = QuestionView(question, support=count, supported=supported)
    return render(
        request, "plenary/floor.html#question", {"view": view, "summit": access.plenary.summit}
    )
