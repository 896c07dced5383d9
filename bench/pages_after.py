"""Before and after the day for ``bench/pages.py``: first thoughts written while the summit is
open for joining, then, once the day is done, the closing form's feedback, the assumptions
check asked again at the close, a follow-up action for every outcome and the summary
published at its public link; and the pages that show them.

Made through the project's own services, as the tests make them: ``breakouts.first_thoughts``,
``accounts.feedback``, ``plenary.run_sheet``, ``plenary.polls`` and ``plenary.answers``,
``breakouts.actions``, ``summit.organise.after`` and ``summit_settings.move_summit``.
"""

from __future__ import annotations

import random
import uuid

from record import WORDS

FIRST_THOUGHTS_OWN = 3  # written by the attendee whose page is measured
BASELINE_SHARE = 0.9  # of the attendees, answering the assumptions check's first round
CLOSING_SHARE = 0.85  # and its closing round, drawn afresh (most answer both)


def _words(rng: random.Random, least: int, most: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(least, most)))


def write_first_thoughts(summit, people, attendees, count: int, seed: int = 1) -> dict:
    """``count`` first thoughts on the summit's subthemes, before the day: a few by the
    attendee whose page is measured, the rest one each by other attendees (and round again
    if there are more thoughts than people)."""
    from breakouts.first_thoughts import post_first_thought

    rng = random.Random(seed)  # noqa: S311 (made-up data, the same on every run)
    subthemes = list(summit.subthemes.filter(retired_at__isnull=True).order_by("order"))
    own = people["attendee"]
    others = [p for p in attendees if p != own]
    authors = [own] * FIRST_THOUGHTS_OWN + [others[n % len(others)] for n in range(count)]
    for n, author in enumerate(authors[:count]):
        post_first_thought(
            author=author,
            subtheme=subthemes[n % len(subthemes)],
            text=f"First thought {n + 1}: {_words(rng, 10, 40)}",
            client_token=uuid.uuid4(),
        )
    return {"first thoughts": min(count, len(authors))}


def give_feedback_on_the_day(attendees, count: int, seed: int = 2) -> dict:
    """The closing form filled in by ``count`` attendees, half of them saying what should
    change. Needs the summit live or closed."""
    from accounts.feedback import give_feedback

    rng = random.Random(seed)  # noqa: S311
    for n, person in enumerate(attendees[:count]):
        give_feedback(
            person,
            useful=rng.choice((2, 3, 4, 4, 5, 5)),
            heard=rng.choice((1, 3, 3, 4, 5)),
            change=f"Next time: {_words(rng, 6, 30)}" if n % 2 else "",
        )
    return {"feedback answers": min(count, len(attendees))}


def ask_the_assumptions_again(plenary, attendees, seed: int = 3) -> dict:
    """The assumptions check (the plenary's first agreement scale, already answered as its
    first round) asked again at the close: its first round answered afresh by most
    attendees, then the closing round by most of them, views leaning towards agreement."""
    from plenary import polls, run_sheet
    from plenary.answers import answer_poll
    from plenary.forms import Part
    from plenary.models import Poll, Response

    rng = random.Random(seed)  # noqa: S311
    first = (
        Poll.objects.filter(plenary=plenary, source=Poll.Source.ASSUMPTIONS, baseline__isnull=True)
        .order_by("pk")
        .get()
    )
    closing = run_sheet.ask_again(first)
    # The first round as most people answered it: the builder had everyone answer.
    quiet = [p.pk for p in attendees if rng.random() > BASELINE_SHARE]
    Response.objects.filter(poll=first, participant_id__in=quiet).delete()
    first.refresh_from_db()
    if first.is_open:
        polls.close_poll(first)
    polls.open_poll(closing)
    options = list(closing.options.order_by("order", "pk"))
    answered = 0
    for person in attendees:
        if rng.random() > CLOSING_SHARE:
            continue
        levels = [min(5, max(1, rng.randint(1, 5) + rng.choice((0, 0, 1)))) for _ in options]
        parts = [Part(option_id=o.pk, value=v) for o, v in zip(options, levels, strict=True)]
        answer_poll(closing, person, parts)
        answered += 1
    polls.close_poll(closing)
    return {
        "statements asked again": len(options),
        "first-round answers": Response.objects.filter(poll=first).count(),
        "closing-round answers": answered,
    }


def close_the_day(summit, people) -> dict:
    """A follow-up action for each outcome, the summit closed, and its summary published at
    a public link. Returns what was made, with the public key."""
    from breakouts import actions
    from summit.event.models import Summit
    from summit.organise.after import publish_summary
    from summit.organise.summit_settings import move_summit

    organiser = people["organiser"]
    made = actions.actions_from_outcomes(summit, by=organiser)
    move_summit(summit, Summit.Status.CLOSED, by=organiser)
    return {"follow-up actions": made, "public key": publish_summary(summit, by=organiser)}


def before_the_day_pages(summit) -> list[tuple]:
    """(label, who asks, path, fetched by htmx) for the pages before the day."""
    from django.urls import reverse

    return [
        ("before the day: attendee's first thoughts", "attendee", reverse("first_thoughts", args=[summit.slug]), False),  # noqa: E501
    ]  # fmt: skip


def after_the_day_pages(summit, public_key: str) -> list[tuple]:
    """(label, who asks, path, fetched by htmx) for the pages after the day."""
    from django.urls import reverse

    slug = summit.slug
    return [
        ("after the day: follow-up actions (organiser)", "organiser", reverse("actions", args=[slug]), False),  # noqa: E501
        ("after the day: what we did (attendee's return link)", "attendee", reverse("what_we_did", args=[slug]), False),  # noqa: E501
        ("after the day: public summary", None, reverse("public_summary", args=[public_key]), False),  # noqa: E501
        ("after the day: how views moved (organiser)", "organiser", reverse("shift", args=[slug]), False),  # noqa: E501
        ("after the day: feedback results (organiser)", "organiser", reverse("feedback_results", args=[slug]), False),  # noqa: E501
    ]  # fmt: skip
