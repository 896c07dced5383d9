"""Pushing the questions from the floor to the plenary's screens, after commit.

A support count travels as a fragment swapped in out of band, folded like a poll's tally when
several come at once. A question asked straight into the open is pushed to every phone as its
card, as everyone but its asker sees it (not yet supported by anyone): in a room of a thousand
phones and a question a second, fetching the questions again on each would be a thousand
requests a second. Anything else (a question published after review, queued, answered,
dismissed, merged or edited, a session opened or closed) tells the screens to fetch their
questions again: what is personal on a phone (your own questions and what you support) stays
right, and a question awaiting review reaches the moderators alone.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.functional import Promise

from plenary.models import Plenary, Question
from plenary.room import AUDIENCES, FACILITATORS, moderators_group, plenary_group
from summit.live import push, render_each


def questions_changed(plenary: Plenary, announcement: str | Promise = "") -> None:
    """Every screen of the plenary fetches its questions from the floor again, and hears
    ``announcement``: lazy, put into words as the fragment is drawn (``live.room_changed``)."""
    groups = [plenary_group(plenary.pk, audience) for audience in AUDIENCES]
    html = render_each(
        "plenary/questions.html#questions_changed", {"announcement": announcement}, *groups
    )
    push([(group, html) for group in groups])


def question_asked(question: Question) -> None:
    """A new question: to every screen once published, to the moderators while it awaits
    review (the facilitators' consoles, and the attendees named as moderators)."""
    plenary = question.session.plenary
    if question.status == Question.Status.AWAITING:
        html = render_to_string("plenary/questions.html#questions_changed", {"announcement": ""})
        push(
            [(plenary_group(plenary.pk, FACILITATORS), html), (moderators_group(plenary.pk), html)]
        )
    else:
        question_published(question)


def question_published(question: Question) -> None:
    """A question everyone may see, as its card, to every screen of the plenary; the
    moderators' lanes fetch theirs again, to rank it among the others."""
    plenary = question.session.plenary
    html = render_each(
        "plenary/floor.html#question_published",
        # As a question view: no support yet, and not the viewer's own.
        {"view": {"question": question, "support": 0}, "summit": plenary.summit},
        *_every_group(plenary.pk),
    )
    _ranked_anew(plenary.pk, html)


def support_changed(question: Question, count: int) -> None:
    """A question's support now, to every screen that shows it; the moderators' screens
    fetch their questions again, to rank them anew."""
    html = render_each(
        "plenary/questions.html#support_changed",
        {"question": question, "support": count},
        *_every_group(question.session.plenary_id),
    )
    _ranked_anew(question.session.plenary_id, html, coalesce=f"question-support-{question.pk}")


def _every_group(plenary_id: int) -> list[str]:
    return [
        *[plenary_group(plenary_id, audience) for audience in AUDIENCES],
        moderators_group(plenary_id),
    ]


def _ranked_anew(plenary_id: int, html: dict[str, str], *, coalesce: str | None = None) -> None:
    """``html`` to every screen of the plenary; to the facilitators' and moderators' groups
    with the signal that fetches the lanes again, which rank the questions by support."""
    signal = render_to_string("plenary/questions.html#questions_changed", {"announcement": ""})
    ranked = {code: text + signal for code, text in html.items()}
    push(
        [
            (plenary_group(plenary_id, audience), ranked if audience == FACILITATORS else html)
            for audience in AUDIENCES
        ]
        + [(moderators_group(plenary_id), ranked)],
        coalesce=coalesce,
    )
