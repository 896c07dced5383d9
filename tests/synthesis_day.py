"""Two breakouts on one subtheme, each with a cluster of ideas about money and dots on them
from people of several sectors, for the tests of the themes across rooms (the ``rooms``
fixture in ``tests/conftest.py``); and the engine the tests read candidates from (words in
common), whatever the settings' default (``lexical_engine``)."""

from __future__ import annotations

import uuid
from contextlib import contextmanager
from dataclasses import dataclass

from django.test import override_settings

from accounts.models import Participant
from breakouts import services as breakout_services
from breakouts.models import Breakout, Cluster, Idea, Outcome, Vote
from summit.engine import reset_engine
from tests.conftest import make_participant

LEXICAL = "summit.engine.lexical.LexicalEngine"


@contextmanager
def lexical():
    """The plainest engine, the same on every machine, for candidates the tests can name."""
    with override_settings(SYNTHESIS_ENGINE=LEXICAL):
        reset_engine()
        try:
            yield
        finally:
            reset_engine()


@dataclass
class Rooms:
    summit: object
    first: Breakout
    second: Breakout
    third: Breakout  # on another subtheme
    facilitator: Participant  # of the first breakout
    other_facilitator: Participant  # of the second
    organiser: Participant
    attendee: Participant
    budgets: Cluster  # in the first
    joint: Cluster  # in the second
    voice: Cluster  # in the second, about something else
    outcome: Outcome  # in the first, drawing on one of the budgets' ideas
    ideas: list[Idea]  # the budgets' two, then the joint budgets' one, then the voice's one


def _idea(breakout, author, text: str, cluster: Cluster) -> Idea:
    # Written as it stands, with nothing pushed: a browser test arranges this in a thread
    # whose event loop runs the browser.
    return Idea.objects.create(
        breakout=breakout, author=author, text=text, cluster=cluster, client_token=uuid.uuid4()
    )


def dot(idea: Idea, people: list[Participant], dots: int = 1) -> None:
    Vote.objects.bulk_create(Vote(idea=idea, voter=p, dots=dots) for p in people)


def people(summit, n: int, sector: str) -> list[Participant]:
    return [make_participant(summit, sector=sector) for _ in range(n)]


def make_rooms(breakout, breakouts, facilitator, organiser, attendee) -> Rooms:
    """The first breakout and a second on its subtheme, each with a cluster on pooling
    budgets; six people of local government and five of health dot the first breakout's
    ideas, two of faith the second's, one of business the other cluster's."""
    summit = breakout.summit
    second = breakout_services.add_breakout(breakout.subtheme, "Second room")
    other_facilitator = make_participant(
        summit, Participant.Role.FACILITATOR, name="Femi Okoro", sector="health"
    )
    second.facilitators.add(other_facilitator)
    member = make_participant(summit, name="Ben Carter", sector="health")
    second.members.add(member)
    budgets = Cluster.objects.create(breakout=breakout, name="Pooled budgets")
    joint = Cluster.objects.create(breakout=second, name="Joint budgets")
    voice = Cluster.objects.create(breakout=second, name="Residents heard")
    ideas = [
        _idea(breakout, attendee, "Pool council and NHS budgets for each place", budgets),
        _idea(breakout, attendee, "One budget for housing and health services", budgets),
        _idea(second, member, "Joint budgets between the council and the NHS", joint),
        _idea(second, member, "Residents choose what their neighbourhood needs", voice),
    ]
    outcome = Outcome.objects.create(
        breakout=breakout, proposal="Pool the budgets of councils and the NHS", who_should_act="LGA"
    )
    outcome.ideas.add(ideas[0])
    dot(ideas[0], people(summit, 6, "local_government"))
    dot(ideas[1], people(summit, 5, "health"), dots=2)
    dot(ideas[2], people(summit, 2, "faith"))
    dot(ideas[3], people(summit, 1, "business"))
    return Rooms(
        summit=summit,
        first=breakout,
        second=second,
        third=breakouts[1],
        facilitator=facilitator,
        other_facilitator=other_facilitator,
        organiser=organiser,
        attendee=attendee,
        budgets=budgets,
        joint=joint,
        voice=voice,
        outcome=outcome,
        ideas=ideas,
    )


def more_rooms(rooms: Rooms, n: int, theme=None) -> None:
    """``n`` more breakouts on the first breakout's subtheme, each with a cluster of three
    ideas dotted by three people and an outcome drawing on two of them; each cluster is
    mapped to ``theme``, or to a theme of its own."""
    from summit.synthesis import services as synthesis

    voters = people(rooms.summit, 3, "voluntary")
    for k in range(n):
        breakout = breakout_services.add_breakout(rooms.first.subtheme, f"Room {uuid.uuid4()}")
        cluster = Cluster.objects.create(breakout=breakout, name=f"Cluster {k}")
        ideas = Idea.objects.bulk_create(
            Idea(
                breakout=breakout,
                author=rooms.attendee,
                text=f"Idea {k}.{i} about budgets",
                client_token=uuid.uuid4(),
                cluster=cluster,
            )
            for i in range(3)
        )
        for idea in ideas:
            dot(idea, voters)
        outcome = Outcome.objects.create(breakout=breakout, proposal=f"Outcome {k}")
        outcome.ideas.add(*ideas[:2])
        mapped_to = theme or synthesis.add_theme(
            rooms.first.subtheme, f"Theme {uuid.uuid4()}", by=None
        )
        synthesis.map_item(cluster, mapped_to.pk, by=None)
