from __future__ import annotations

import itertools

import pytest
from django.test import Client

from accounts.models import Participant, Sector, User
from breakouts.services import ensure_breakouts
from summit.models import Subtheme, Summit
from summit.services import load_place_summit

_serial = itertools.count(1)


def make_participant(
    summit: Summit,
    role: str = Participant.Role.ATTENDEE,
    *,
    name: str | None = None,
    sector: str = Sector.LOCAL_GOVERNMENT,
    organisation: str = "Testshire Council",
    anonymous: bool = False,
) -> Participant:
    n = next(_serial)
    user = User.objects.create_user(username=f"person-{n}", password="a-long-test-password")
    return Participant.objects.create(
        user=user,
        summit=summit,
        role=role,
        display_name=name or f"Person {n}",
        organisation=organisation,
        sector=sector,
        anonymous=anonymous,
    )


def client_for(participant: Participant) -> Client:
    client = Client()
    client.force_login(participant.user)
    return client


@pytest.fixture
def summit(db) -> Summit:
    return load_place_summit()[0]


@pytest.fixture
def breakouts(summit):
    return ensure_breakouts(summit)


@pytest.fixture
def breakout(breakouts):
    return breakouts[0]


@pytest.fixture
def other_breakout(breakouts):
    return breakouts[1]


@pytest.fixture
def attendee(breakout):
    person = make_participant(breakout.summit, name="Aisha Rahman")
    breakout.members.add(person)
    return person


@pytest.fixture
def facilitator(breakout):
    person = make_participant(
        breakout.summit, Participant.Role.FACILITATOR, name="Farah Hussain", sector=Sector.VOLUNTARY
    )
    breakout.facilitators.add(person)
    return person


@pytest.fixture
def organiser(summit):
    return make_participant(summit, Participant.Role.ORGANISER, name="Olivia Okafor")


@pytest.fixture
def other_member(other_breakout):
    """An attendee of the same summit, in a different breakout."""
    person = make_participant(other_breakout.summit, name="Ben Carter", sector=Sector.HEALTH)
    other_breakout.members.add(person)
    return person


@pytest.fixture
def outsider(db):
    """An attendee of another summit altogether."""
    elsewhere = Summit.objects.create(slug="elsewhere", title="Elsewhere", central_question="Why?")
    subtheme = Subtheme.objects.create(summit=elsewhere, order=1, title="Other", question="What?")
    breakout = ensure_breakouts(subtheme.summit)[0]
    person = make_participant(elsewhere, name="Olly Outsider")
    breakout.members.add(person)
    return person
