from __future__ import annotations

import itertools
import os
import uuid

import pytest
from django.conf import settings
from django.test import Client

from accounts.models import Participant, User
from breakouts.services import ensure_breakouts
from summit.event.models import DEFAULT_SECTORS, Subtheme, Summit
from summit.live import split_group
from summit.organise.design_file import load_place_summit
from summit.web import counts, replay

_serial = itertools.count(1)

# The nine sectors a summit has until its organisers change them: key to name, in order.
SECTOR_NAMES = {key: str(name) for key, name in DEFAULT_SECTORS}
SECTOR_KEYS = list(SECTOR_NAMES)


def make_participant(
    summit: Summit,
    role: str = Participant.Role.ATTENDEE,
    *,
    name: str | None = None,
    sector: str = "local_government",
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


def session_cookie(participant: Participant) -> bytes:
    """A Cookie header value signing a WebSocket in as the participant."""
    name = settings.SESSION_COOKIE_NAME
    return f"{name}={client_for(participant).cookies[name].value}".encode()


async def socket_for(path: str, participant: Participant | None = None, *, origin=None):
    """A WebSocket test client for ``path``, from the app's own origin unless told otherwise,
    signed in as ``participant`` if given. Call ``connect()`` on it, and ``disconnect()``."""
    from asgiref.sync import sync_to_async
    from channels.testing import WebsocketCommunicator

    from summit.config.asgi import application

    headers = [(b"origin", origin or b"http://127.0.0.1"), (b"host", b"127.0.0.1")]
    if participant is not None:
        headers.append((b"cookie", await sync_to_async(session_cookie)(participant)))
    return WebsocketCommunicator(application, path, headers=headers)


@pytest.fixture(autouse=True)
def _fresh_counts():
    """The rate limits' counts and the voice balance's marks are kept per process (or in
    Redis), and ids come round again from test to test: each test starts with none."""
    counts.clear()
    replay.clear()
    yield
    counts.clear()
    replay.clear()


# Some tests run what only happens on Redis against the Redis on this machine (as in CI),
# whichever store the rest of the suite uses.
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


def use_redis_counts(settings, location: str = REDIS_URL) -> None:
    """Keep the app's counts and marks in Redis at ``location``, under a prefix of the test's
    own."""
    settings.REDIS_URL = location
    settings.REDIS_PREFIX = f"test-{uuid.uuid4().hex}"


@pytest.fixture
def redis_counts(settings):
    """The app's counts and marks in the local Redis; its keys are deleted afterwards."""
    use_redis_counts(settings)
    yield counts.redis_client()
    counts.clear()


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


def new_attendee(breakout) -> Participant:
    person = make_participant(breakout.summit, name="Aisha Rahman")
    breakout.members.add(person)
    return person


def new_facilitator(breakout) -> Participant:
    person = make_participant(
        breakout.summit, Participant.Role.FACILITATOR, name="Farah Hussain", sector="voluntary"
    )
    breakout.facilitators.add(person)
    return person


def new_organiser(summit: Summit) -> Participant:
    return make_participant(summit, Participant.Role.ORGANISER, name="Olivia Okafor")


@pytest.fixture
def attendee(breakout):
    return new_attendee(breakout)


@pytest.fixture
def facilitator(breakout):
    return new_facilitator(breakout)


@pytest.fixture
def organiser(summit):
    return new_organiser(summit)


@pytest.fixture
def other_member(other_breakout):
    """An attendee of the same summit, in a different breakout."""
    person = make_participant(other_breakout.summit, name="Ben Carter", sector="health")
    other_breakout.members.add(person)
    return person


@pytest.fixture
def outsider(db):
    """An attendee of another summit altogether."""
    return new_outsider()


def new_outsider() -> Participant:
    """An attendee of another summit altogether."""
    elsewhere = Summit.objects.create(slug="elsewhere", title="Elsewhere", central_question="Why?")
    subtheme = Subtheme.objects.create(summit=elsewhere, order=1, title="Other", question="What?")
    breakout = ensure_breakouts(subtheme.summit)[0]
    person = make_participant(elsewhere, name="Olly Outsider")
    breakout.members.add(person)
    return person


@pytest.fixture
def rooms(breakout, breakouts, facilitator, organiser, attendee):
    """Two breakouts on one subtheme with clusters of ideas dotted from several sectors, for
    the themes across rooms (``tests/synthesis_day.py``)."""
    from tests.synthesis_day import make_rooms

    return make_rooms(breakout, breakouts, facilitator, organiser, attendee)


@pytest.fixture
def lexical_engine():
    """Candidates from the plainest engine, words in common, whatever the default."""
    from tests.synthesis_day import lexical

    with lexical():
        yield


def in_english(fragments) -> list[tuple[str, str]]:
    """Pushed ``(group, html)`` pairs as the screens in English get them, each group named
    without its language: from ``push`` (a text per language, or one for all) or ``send``
    (groups in a language already)."""
    english = settings.LANGUAGE_CODE
    found = []
    for group, html in fragments:
        base, language = split_group(group)
        if base and language in dict(settings.LANGUAGES):
            if language == english:
                found.append((base, html))
            continue
        found.append((group, html if isinstance(html, str) else html[english]))
    return found
