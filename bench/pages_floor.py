"""Questions from the floor for ``bench/pages.py``: one open session of questions asked by the
attendees and supported by them, a few queued for the chair and one being answered, and the
pages that show them: an attendee's questions, the moderators' page and its lanes, and the
big screen while the panel answers.

Made through the project's own services (``plenary.questions``, ``plenary.moderation``), as
the tests make them, so every write also pushes what it would push on the day.
"""

from __future__ import annotations

import random
import uuid

from record import WORDS

QUEUED = 10  # questions in the chair's queue, the most supported first


def ask_and_support(summit, people, attendees, questions: int, supports: int, seed: int = 1):
    """``questions`` questions in one open session, asked by as many attendees (the one whose
    pages are measured first), and ``supports`` tries at supporting them, most of the support
    going to the first few asked; the ten most supported queued, and the most supported of
    all being answered. Returns the session and what was made."""
    from plenary import moderation
    from plenary.models import QaSession, QuestionSupport
    from plenary.questions import ask_question, support_question
    from plenary.services import plenary_for

    rng = random.Random(seed)  # noqa: S311 (made-up data, the same on every run)
    organiser = people["organiser"]
    session = moderation.add_session(
        plenary_for(summit), title="Questions for the panel", by=organiser
    )
    session = moderation.change_session(session, state=QaSession.State.OPEN, by=organiser)
    askers = [people["attendee"], *(p for p in attendees if p != people["attendee"])]
    asked = []
    for n in range(questions):
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 30)))
        text = f"Question {n + 1}: {words}?"
        asked.append(ask_question(session, askers[n % len(askers)], text, uuid.uuid4())[0])
    # Support as it falls in a room: a few questions catch on, most gather a little.
    weights = [1 / (n + 1) for n in range(len(asked))]
    for n in range(supports):
        person = attendees[n % len(attendees)]
        question = rng.choices(asked, weights)[0]
        if question.author_id != person.pk:
            support_question(question, person, True)
    ranked = sorted(asked, key=lambda q: -QuestionSupport.objects.filter(question=q).count())
    for question in ranked[1 : QUEUED + 1]:
        moderation.queue(question, by=organiser)
    moderation.answer_now(ranked[0], by=organiser)
    made = {
        "questions": len(asked),
        "supports": QuestionSupport.objects.filter(question__session=session).count(),
    }
    return session, made


def floor_pages(summit, plenary) -> list[tuple]:
    """(label, who asks, path, fetched by htmx) for the pages of the questions from the floor."""
    from django.urls import reverse

    slug = summit.slug
    return [
        ("questions from the floor: attendee room", "attendee", reverse("plenary:room", args=[slug]), False),  # noqa: E501
        ("questions from the floor: attendee's questions on reconnect", "attendee", reverse("plenary:questions", args=[slug]), True),  # noqa: E501
        ("questions from the floor: moderators' page", "facilitator", reverse("plenary:moderate", args=[slug]), False),  # noqa: E501
        ("questions from the floor: moderators' lanes on reconnect", "facilitator", reverse("plenary:moderate_lanes", args=[slug]), True),  # noqa: E501
        ("questions from the floor: big screen, a question being answered", None, reverse("plenary:screen", args=[plenary.screen_key]), False),  # noqa: E501
        ("questions from the floor: big screen's room on reconnect", None, reverse("plenary:screen_panel", args=[plenary.screen_key]), True),  # noqa: E501
    ]  # fmt: skip
