"""Themes across rooms for ``bench/pages.py``: one subtheme's synthesis as its leads keep it on
the day, and the pages that show it: the summit's synthesis index, the subtheme's page and its
board as an organiser sees them, and the plenary's big screen with one of its themes on.

The subtheme is the one with the fewest of the builder's breakouts, and rooms are added to it
until it has ten (a summit of thirty rooms over three subthemes), each with two to four
clusters of ideas dotted by people of every sector, ideas in no cluster, and outcomes drawing
on the clusters' ideas. ``themes`` themes are kept on it and most of its clusters and outcomes
(the builder's breakouts' there too) mapped to them, the rest left for the engine to offer
candidates for. The rooms are added, the themes kept and mapped and the theme shown through
the project's own services (``breakouts.services``, ``summit.synthesis.services``,
``plenary.themes``); the rooms' ideas, dots and outcomes are written as the tests write them
(``tests/synthesis_day.py``).

The candidates come from the engine a running app chooses (``summit.engine.choice``), not the
plainest one the tests' settings name: that setting is put aside while these pages are
measured, and the engine's name is in the subtheme page's row.
"""

from __future__ import annotations

import random
import uuid
from contextlib import contextmanager

from record import WORDS

ROOMS = 10  # breakouts on the subtheme synthesised, the builder's there among them
CLUSTERS = (2, 4)  # in each room added
CLUSTER_IDEAS = (4, 9)
LOOSE_IDEAS = (5, 15)  # ideas in no cluster
ROOM_PEOPLE = 16  # who write and dot a room's ideas
DOTTED = 4  # ideas each of them dots
OUTCOMES = (2, 3)
UNMAPPED_SHARE = 0.2  # of the clusters and outcomes, left for the candidates


def _text(rng: random.Random, least: int, most: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(least, most)))


def _fill_room(breakout, people, rng: random.Random) -> None:
    """Clusters of ideas and ideas in no cluster, each person's dots on a few of them, and
    outcomes drawing on the clusters' ideas."""
    from breakouts.models import Cluster, Idea, Outcome, Vote

    clusters = [
        Cluster.objects.create(breakout=breakout, name=f"{_text(rng, 2, 4).capitalize()} ({k})")
        for k in range(1, rng.randint(*CLUSTERS) + 1)
    ]
    places = [c for c in clusters for _ in range(rng.randint(*CLUSTER_IDEAS))]
    places += [None] * rng.randint(*LOOSE_IDEAS)
    ideas = Idea.objects.bulk_create(
        Idea(
            breakout=breakout,
            author=rng.choice(people),
            text=_text(rng, 8, 30).capitalize(),
            cluster=cluster,
            client_token=uuid.uuid4(),
        )
        for cluster in places
    )
    Vote.objects.bulk_create(
        Vote(idea=idea, voter=person, dots=rng.randint(1, 2))
        for person in people
        for idea in rng.sample(ideas, min(DOTTED, len(ideas)))
    )
    clustered = [idea for idea in ideas if idea.cluster is not None]
    for _ in range(rng.randint(*OUTCOMES)):
        outcome = Outcome.objects.create(
            breakout=breakout,
            proposal=_text(rng, 10, 30).capitalize(),
            who_should_act="Councils and their partners",
        )
        outcome.ideas.add(*rng.sample(clustered, 3))


def _map_most(subtheme, themes: list, by, rng: random.Random) -> int:
    """Map most of the subtheme's clusters and outcomes, more of them to the first themes
    than to the last, as a person confirms each; how many were left unmapped."""
    from breakouts.models import Cluster, Outcome
    from summit.synthesis import services

    items = [
        *Cluster.objects.filter(breakout__subtheme=subtheme).select_related("breakout"),
        *Outcome.objects.filter(breakout__subtheme=subtheme).select_related("breakout"),
    ]
    weights = [1 / (n + 1) for n in range(len(themes))]
    left = 0
    for item in items:
        if rng.random() < UNMAPPED_SHARE:
            left += 1
        else:
            services.map_item(item, rng.choices(themes, weights)[0].pk, by=by)
    return left


def make_synthesis(summit, people, themes: int, seed: int = 4) -> dict:
    """Rooms added to the subtheme with the fewest breakouts until it has ``ROOMS``, and
    ``themes`` themes kept on it by the organiser, with most of its clusters and outcomes
    mapped to them. Returns what was made."""
    from django.db.models import Count

    from accounts.models import Participant
    from breakouts import services as breakout_services
    from breakouts.models import Breakout, Cluster, Idea, Outcome
    from summit.synthesis import services

    rng = random.Random(seed)  # noqa: S311 (made-up data, the same on every run)
    subtheme = (
        summit.subthemes.filter(retired_at__isnull=True)
        .annotate(rooms=Count("breakouts"))
        .order_by("rooms", "order")
        .first()
    )
    attendees = list(
        Participant.objects.filter(summit=summit, role=Participant.Role.ATTENDEE).order_by("pk")
    )
    for n in range(subtheme.rooms, ROOMS):
        room = breakout_services.add_breakout(subtheme, f"{subtheme.title}, room {n + 1}")
        _fill_room(room, rng.sample(attendees, min(ROOM_PEOPLE, len(attendees))), rng)
    organiser = people["organiser"]
    pairs = rng.sample([(a, b) for a in WORDS for b in WORDS if a != b], themes)
    kept = [
        services.add_theme(subtheme, f"{a.capitalize()} and {b}", _text(rng, 6, 20), by=organiser)
        for a, b in pairs
    ]
    left = _map_most(subtheme, kept, organiser, rng)
    rooms = Breakout.objects.filter(subtheme=subtheme)
    items = sum(m.objects.filter(breakout__in=rooms).count() for m in (Cluster, Outcome))
    wall = Idea.objects.filter(breakout__in=rooms, status=Idea.Status.VISIBLE)
    return {
        f"rooms on “{subtheme.title}”": rooms.count(),
        "ideas on their walls": wall.count(),
        "themes kept": len(kept),
        "clusters and outcomes mapped": items - left,
        "left to map": left,
    }


@contextmanager
def synthesis_shown(summit, plenary, people):
    """While it lasts, the engine a running app chooses, loaded, in place of the one the
    tests' settings name, and the subtheme's first theme on the plenary's big screen;
    yields the pages to measure."""
    from django.conf import settings

    from plenary.themes import clear_theme, show_theme
    from summit.engine import get_engine, reset_engine
    from summit.synthesis.models import Theme

    named = getattr(settings, "SYNTHESIS_ENGINE", None)
    if named is not None:
        del settings.SYNTHESIS_ENGINE
    reset_engine()
    theme = Theme.objects.filter(subtheme__summit=summit).order_by("position", "pk").first()
    show_theme(plenary, theme.pk, by=people["organiser"])
    try:
        yield synthesis_pages(summit, plenary, theme.subtheme_id, get_engine().name)
    finally:
        clear_theme(plenary, by=people["organiser"])
        if named is not None:
            settings.SYNTHESIS_ENGINE = named
        reset_engine()


def synthesis_pages(summit, plenary, subtheme_id: int, engine: str) -> list[tuple]:
    """(label, who asks, path, fetched by htmx) for the pages of the themes across rooms."""
    from django.urls import reverse

    slug = summit.slug
    screen = plenary.screen_key
    return [
        ("synthesis: index of subthemes and leads (organiser)", "organiser", reverse("synthesis", args=[slug]), False),  # noqa: E501
        (f"synthesis: a subtheme's page (organiser; candidates by {engine})", "organiser", reverse("synthesis_subtheme", args=[slug, subtheme_id]), False),  # noqa: E501
        ("synthesis: the page's board on reconnect", "organiser", reverse("synthesis_board", args=[slug, subtheme_id]), True),  # noqa: E501
        ("synthesis: plenary big screen, a theme shown", None, reverse("plenary:screen", args=[screen]), False),  # noqa: E501
        ("synthesis: plenary big screen's room on reconnect, a theme shown", None, reverse("plenary:screen_panel", args=[screen]), True),  # noqa: E501
    ]  # fmt: skip
