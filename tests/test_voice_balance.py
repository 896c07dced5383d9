"""Voice balance and cross-sector ordering in a breakout: who has been heard, by person and by
sector (breakouts/balance.py); the console's live panel, which only facilitators hear; the
organisers' page over every breakout; and the voted wall ordered by cross-sector support or
by dots."""

from __future__ import annotations

import asyncio
import re
import time
import uuid

import pytest
from asgiref.sync import sync_to_async
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Participant
from breakouts import live as breakouts_live
from breakouts import services, steering
from breakouts.balance import summit_balance, voice_balance, voice_balances
from breakouts.board import FACILITATORS, breakout_group
from breakouts.models import Breakout, Comment, Idea, Vote
from summit import live as summit_live
from summit.event.measures import OTHER_SECTORS
from summit.event.refusals import Refused
from summit.event.sectors import sector_names
from tests.conftest import (
    SECTOR_KEYS,
    SECTOR_NAMES,
    client_for,
    in_english,
    make_participant,
    socket_for,
    use_redis_counts,
)

Phase = Breakout.Phase
live = pytest.mark.django_db(transaction=True)
SECTORS = list(SECTOR_KEYS)
LABELS = SECTOR_NAMES

# Long enough for a push already queued to arrive; pushes are sent before the response returns.
QUIET = 0.2
OTHER = str(OTHER_SECTORS)


def _member(breakout: Breakout, name: str, sector: str = "health", **fields) -> Participant:
    person = make_participant(breakout.summit, name=name, sector=sector, **fields)
    breakout.members.add(person)
    return person


def _idea(breakout: Breakout, author: Participant, text: str = "Pool the data", **fields) -> Idea:
    return Idea.objects.create(
        breakout=breakout, author=author, text=text, client_token=uuid.uuid4(), **fields
    )


def _comment(idea: Idea, author: Participant, text: str = "Start small", **fields) -> Comment:
    return Comment.objects.create(
        idea=idea, author=author, text=text, client_token=uuid.uuid4(), **fields
    )


def _vote(idea: Idea, voter: Participant, dots: int = 1) -> Vote:
    return Vote.objects.create(idea=idea, voter=voter, dots=dots)


def _move(breakout: Breakout, **fields) -> Breakout:
    """Arrange a phase or setting without a push, and refresh the caller's copy."""
    Breakout.objects.filter(pk=breakout.pk).update(**fields)
    breakout.refresh_from_db()
    return breakout


def _htmx_post(participant: Participant, name: str, args: list, data: dict):
    return client_for(participant).post(reverse(name, args=args), data, HTTP_HX_REQUEST="true")


def _by_name(balance) -> dict[str, tuple[int, int, int]]:
    return {m.participant.display_name: (m.ideas, m.comments, m.votes) for m in balance.members}


def _sector(balance, sector: str):
    return next(s for s in balance.sectors if s.sector == sector)


def _quiet_list(html: str) -> str:
    """The inside of the panel's "Not heard yet" list."""
    found = re.search(r'<ul [^>]*id="voice-quiet">(.*?)</ul>', html, re.DOTALL)
    assert found, "no Not heard yet list"
    return found.group(1)


# Counting


@pytest.mark.django_db
def test_voice_balance_counts_each_member_and_sector(breakout, attendee):
    # Aisha (local government); Ben and Cara (health); Dev (business) says nothing.
    ben = _member(breakout, "Ben Carter", "health")
    cara = _member(breakout, "Cara Nwosu", "health")
    _member(breakout, "Dev Patel", "business")
    first, second = _idea(breakout, attendee), _idea(breakout, attendee, "Share a budget")
    bens = _idea(breakout, ben, "One front door")
    _comment(first, ben)
    # Three dots on one idea are one vote: a contribution per idea voted, not per dot.
    _vote(first, cara, dots=3)
    _vote(second, cara, dots=1)
    _vote(bens, attendee, dots=2)

    balance = voice_balance(breakout)

    assert _by_name(balance) == {
        "Aisha Rahman": (2, 0, 1),
        "Ben Carter": (1, 1, 0),
        "Cara Nwosu": (0, 0, 2),
        "Dev Patel": (0, 0, 0),
    }
    assert [m.total for m in balance.members] == [3, 2, 2, 0]
    assert balance.contributions == 7
    assert balance.contributors == 3
    # Sectors in the summit's order; shares are percentages to one place: 1/4 of the room,
    # 3/7 of the contributions, and so on.
    assert [
        (s.label, s.members, s.contributions, s.room_share, s.voice_share) for s in balance.sectors
    ] == [
        ("Local government", 1, 3, 25.0, 42.9),
        ("Health and care (NHS)", 2, 4, 50.0, 57.1),
        ("Business", 1, 0, 25.0, 0.0),
    ]
    # Gini of [3, 2, 2, 0]: 2 x 22 / (4 x 7) - 5/4 = 9/28.
    assert balance.evenness == pytest.approx(9 / 28)


def _members(breakout: Breakout, sector: str, n: int, name: str) -> list[Participant]:
    return [_member(breakout, f"{name} {i}", sector) for i in range(1, n + 1)]


@pytest.mark.django_db
def test_voice_balance_quiet_members_and_sectors_present_but_unheard(breakout, attendee):
    ben, *_ = _members(breakout, "health", 5, "Health")
    _members(breakout, "business", 5, "Business")
    _member(breakout, "Esi Mensah", "faith")
    _members(breakout, "faith", 3, "Faith")
    _idea(breakout, ben)

    balance = voice_balance(breakout)

    # Health is heard through one member though four are quiet; business not at all; local
    # government (Aisha) and faith (Esi and three more) are too small to name, and quiet
    # together.
    assert [p.display_name for p in balance.quiet] == [
        "Aisha Rahman",
        *(f"Business {i}" for i in range(1, 6)),
        "Esi Mensah",
        *(f"Faith {i}" for i in range(1, 4)),
        *(f"Health {i}" for i in range(2, 6)),
    ]
    assert [(s.label, s.members) for s in balance.sectors_shown] == [
        ("Health and care (NHS)", 5),
        ("Business", 5),
        (OTHER, 5),
    ]
    assert balance.unheard == ["Business", OTHER]
    assert not _sector(balance, "business").heard
    assert not _sector(balance, "faith").heard
    assert _sector(balance, "health").heard


@pytest.mark.django_db
def test_voice_balance_names_no_small_sector_as_unheard(breakout, attendee):
    # Four of business, quiet, and six of health: business is counted only among the others,
    # which Aisha (local government) has been heard for.
    _members(breakout, "business", 4, "Business")
    health = _members(breakout, "health", 6, "Health")
    _idea(breakout, health[0])
    _idea(breakout, attendee)

    balance = voice_balance(breakout)

    assert [(s.label, s.members, s.contributions) for s in balance.sectors_shown] == [
        ("Health and care (NHS)", 6, 1),
        (OTHER, 5, 1),
    ]
    assert balance.unheard == []
    assert [s.label for s in balance.sectors] == [
        "Local government",
        "Health and care (NHS)",
        "Business",
    ]


@pytest.mark.django_db
def test_voice_balance_sector_of_five_stands_on_its_own(breakout):
    business = _members(breakout, "business", 5, "Business")
    _members(breakout, "health", 6, "Health")
    _idea(breakout, business[0])

    balance = voice_balance(breakout)

    assert [(s.label, s.members, s.room_share) for s in balance.sectors_shown] == [
        ("Health and care (NHS)", 6, 54.5),
        ("Business", 5, 45.5),
    ]
    assert balance.unheard == ["Health and care (NHS)"]


@pytest.mark.django_db
def test_voice_balance_small_sectors_too_few_together_join_the_smallest_shown_or_give_no_count(
    breakout, attendee
):
    _members(breakout, "business", 4, "Business")
    _members(breakout, "health", 6, "Health")
    _idea(breakout, attendee)  # Aisha, local government: five together with business

    shown = voice_balance(breakout).sectors_shown
    assert shown[-1].members == 5

    Breakout.members.through.objects.filter(participant__sector="business").delete()
    shown = voice_balance(breakout).sectors_shown

    # Aisha alone with local government: health joins her row, or seven less six would say
    # one, and whose the contribution was.
    assert [(s.label, s.members, s.room_share, s.contributions) for s in shown] == [
        (OTHER, 7, 100.0, 1),
    ]

    Breakout.members.through.objects.filter(participant__sector="health").delete()
    shown = voice_balance(breakout).sectors_shown

    # One person in all: neither a figure nor a share.
    assert [(s.label, s.members, s.room_share, s.contributions) for s in shown] == [
        (OTHER, None, None, 1),
    ]
    assert shown[-1].withheld
    assert not shown[-1].under


@pytest.mark.django_db
def test_voice_balance_no_contributions_has_no_evenness(breakout, attendee):
    _member(breakout, "Ben Carter", "health")

    balance = voice_balance(breakout)

    assert balance.evenness is None
    assert balance.contributions == 0
    assert len(balance.quiet) == 2


@pytest.mark.django_db
def test_voice_balance_no_members_is_empty(breakout):
    balance = voice_balance(breakout)

    assert balance.members == []
    assert balance.sectors == []
    assert balance.evenness is None


@pytest.mark.django_db
def test_voice_balance_anonymous_idea_and_comment_count_for_the_sector_not_the_person(
    breakout, attendee
):
    ben = _member(breakout, "Ben Carter", "health")
    cara = _member(breakout, "Cara Nwosu", "health")
    named = _idea(breakout, cara, "One front door")
    _idea(breakout, ben, "Say who is failing", anonymous=True)
    _comment(named, ben, "And who pays", anonymous=True)

    balance = voice_balance(breakout)

    # Ben's own count stays at nothing, or the console would say who wrote the anonymous idea.
    assert _by_name(balance)["Ben Carter"] == (0, 0, 0)
    assert ben in balance.quiet
    assert _by_name(balance)["Cara Nwosu"] == (1, 0, 0)
    assert _sector(balance, "health").contributions == 3
    assert balance.contributions == 3
    assert "Health and care (NHS)" not in balance.unheard


@pytest.mark.django_db
def test_voice_balance_anonymous_vote_still_counts_for_the_person(breakout, attendee):
    # Dots are never shown by name, so a vote by someone who posts anonymously is theirs.
    ben = _member(breakout, "Ben Carter", "health", anonymous=True)
    _vote(_idea(breakout, attendee), ben)

    balance = voice_balance(breakout)

    assert _by_name(balance)["Ben Carter"] == (0, 0, 1)
    assert ben not in balance.quiet


@pytest.mark.django_db
def test_voice_balance_facilitator_idea_said_in_the_room_counts_for_the_spoken_sector(
    breakout, attendee, facilitator
):
    # Farah is a voluntary-sector facilitator; nobody of the faith sector is a member.
    services.post_idea(
        breakout=breakout,
        author=facilitator,
        added_by=facilitator,
        spoken_sector="faith",
        text="Use the church halls",
        client_token=uuid.uuid4(),
    )

    balance = voice_balance(breakout)

    faith = _sector(balance, "faith")
    assert (faith.members, faith.contributions, faith.room_share, faith.voice_share) == (
        0,
        1,
        0.0,
        100.0,
    )
    assert balance.contributions == 1
    assert facilitator not in [m.participant for m in balance.members]
    assert "voluntary" not in [s.sector for s in balance.sectors]
    assert balance.quiet == [attendee]


@pytest.mark.django_db
def test_voice_balance_facilitator_typing_for_a_member_counts_for_the_member(
    breakout, attendee, facilitator
):
    services.post_idea(
        breakout=breakout,
        author=attendee,
        added_by=facilitator,
        text="Open the data",
        client_token=uuid.uuid4(),
    )

    balance = voice_balance(breakout)

    assert _by_name(balance) == {"Aisha Rahman": (1, 0, 0)}
    assert _sector(balance, "local_government").contributions == 1
    assert balance.quiet == []


@pytest.mark.django_db
def test_voice_balance_facilitator_own_contributions_do_not_count(breakout, attendee, facilitator):
    services.post_idea(
        breakout=breakout, author=facilitator, text="My own view", client_token=uuid.uuid4()
    )
    members_idea = _idea(breakout, attendee)
    _comment(members_idea, facilitator, "Say more?")
    _vote(members_idea, facilitator, dots=2)

    balance = voice_balance(breakout)

    assert _by_name(balance) == {"Aisha Rahman": (1, 0, 0)}
    assert balance.contributions == 1
    assert [s.sector for s in balance.sectors] == ["local_government"]


@pytest.mark.django_db
def test_voice_balance_removed_participant_is_not_a_member(breakout, attendee):
    ben = _member(breakout, "Ben Carter", "health")
    # Set the mark alone, leaving the membership row, so the balance's own filter is tested.
    Participant.objects.filter(pk=ben.pk).update(removed_at=timezone.now())

    balance = voice_balance(breakout)

    assert [m.participant for m in balance.members] == [attendee]
    assert balance.quiet == [attendee]
    assert [(s.sector, s.room_share) for s in balance.sectors] == [("local_government", 100.0)]


@pytest.mark.django_db
def test_voice_balances_each_breakout_its_own_in_four_queries(
    breakouts, attendee, other_member, django_assert_num_queries
):
    breakout, other = breakouts[0], breakouts[1]
    _vote(_idea(other, other_member), other_member)
    _idea(breakout, attendee)
    names = sector_names(breakout.summit)  # read once by the page

    with django_assert_num_queries(4):
        balances = voice_balances([b.pk for b in breakouts], names)

    assert set(balances) == {b.pk for b in breakouts}
    assert _by_name(balances[breakout.pk]) == {"Aisha Rahman": (1, 0, 0)}
    assert _by_name(balances[other.pk]) == {"Ben Carter": (1, 0, 1)}
    assert [s.sector for s in balances[breakout.pk].sectors] == ["local_government"]
    assert all(not balances[b.pk].members for b in breakouts[2:])


@pytest.mark.django_db
def test_summit_balance_adds_up_every_breakout(breakouts, attendee, other_member):
    breakout, other = breakouts[0], breakouts[1]
    _member(other, "Cara Nwosu", "health")
    _idea(breakout, attendee)
    _idea(other, other_member)
    _vote(_idea(other, other_member, "Second"), other_member)
    balances = voice_balances([b.pk for b in breakouts])

    whole = summit_balance(list(balances.values()))

    assert len(whole.members) == 3
    assert whole.contributions == 4
    assert whole.contributors == 2
    assert [p.display_name for p in whole.quiet] == ["Cara Nwosu"]
    assert [(s.sector, s.members, s.contributions) for s in whole.sectors] == [
        ("local_government", 1, 1),
        ("health", 2, 3),
    ]


# The console's panel, and the catch-up fetch


@pytest.mark.django_db
def test_console_voice_panel_lists_quiet_members_and_unheard_sectors(
    breakout, attendee, facilitator
):
    _members(breakout, "business", 5, "Dev Patel")
    # Four residents beside Aisha (local government): five together, so business stays apart.
    _members(breakout, "resident", 4, "Rhys Evans")
    _idea(breakout, attendee)

    response = client_for(facilitator).get(reverse("breakouts:console", args=[breakout.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="voice-balance"' in html
    assert "<strong>1 of 10</strong> members has contributed" in html
    assert "Dev Patel 1, Testshire Council" in _quiet_list(html)
    assert "Rhys Evans 1, Testshire Council" in _quiet_list(html)
    assert "Aisha Rahman" not in _quiet_list(html)
    assert "<strong>Sectors present but unheard:</strong> Business</p>" in html
    # Gini of [1] and nine 0s: 2 x 10 / 10 - 11/10 = 9/10.
    assert "Evenness: <strong>0.90</strong>" in html


@pytest.mark.django_db
def test_console_voice_panel_shows_no_sector_of_fewer_than_five_on_its_own(breakout, facilitator):
    _members(breakout, "business", 4, "Business")
    health = _members(breakout, "health", 6, "Health")
    _idea(breakout, health[0])
    url = reverse("breakouts:voice", args=[breakout.pk])

    html = client_for(facilitator).get(url).content.decode()
    table = _sector_table(html)

    # Business's four are not shown on their own, nor health's six: ten less six says four.
    assert "Business" not in table
    assert "Health and care (NHS)" not in table
    assert f'<th scope="row">{OTHER}</th>\n            <td>100% <span class="hint">(10)</span>' in (
        table
    )
    assert "Sectors present but unheard" not in html

    _member(breakout, "Business 5", "business")
    table = _sector_table(client_for(facilitator).get(url).content.decode())

    assert '<th scope="row">Health and care (NHS)</th>' in table
    assert '<th scope="row">Business</th>' in table
    assert '46% <span class="hint">(5)</span>' in table
    assert OTHER not in table


def _sector_table(html: str) -> str:
    found = re.search(r'<h3 class="voice__title">By sector</h3>(.*?)</table>', html, re.DOTALL)
    assert found, "no table by sector"
    return found.group(1)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["facilitator", "organiser"])
def test_voice_catch_up_steerer_gets_the_panel_alone(request, breakout, attendee, who):
    person = request.getfixturevalue(who)

    response = client_for(person).get(reverse("breakouts:voice", args=[breakout.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section class="voice" id="voice-balance"')
    assert "hx-swap-oob" not in html
    assert "Aisha Rahman, Testshire Council" in _quiet_list(html)
    assert "<html" not in html


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "status"), [("attendee", 403), ("outsider", 404)])
def test_voice_catch_up_refused_to_anyone_who_does_not_steer(request, breakout, who, status):
    person = request.getfixturevalue(who)

    response = client_for(person).get(reverse("breakouts:voice", args=[breakout.pk]))

    assert response.status_code == status
    assert b"voice-balance" not in response.content


# Query counts


def _crowd(breakouts: list[Breakout], n: int) -> list[Participant]:
    """``n`` members over the breakouts, of every sector; each but the last posts an idea,
    comments on the previous idea in the group and puts a dot on it."""
    people = []
    for i in range(n):
        group = breakouts[i % len(breakouts)] if i < n - 1 else breakouts[0]
        person = make_participant(group.summit, name=f"Member {i:02d}", sector=SECTORS[i % 9])
        group.members.add(person)
        people.append((group, person))
    ideas = Idea.objects.bulk_create(
        Idea(breakout=g, author=p, text=f"Idea {i}", client_token=uuid.uuid4())
        for i, (g, p) in enumerate(people[:-1])
    )
    previous: dict[int, Idea] = {}
    comments, votes = [], []
    for idea in ideas:
        if idea.breakout_id in previous:
            before = previous[idea.breakout_id]
            comments.append(
                Comment(idea=before, author=idea.author, text="Yes", client_token=uuid.uuid4())
            )
            votes.append(Vote(idea=before, voter=idea.author, dots=1))
        previous[idea.breakout_id] = idea
    Comment.objects.bulk_create(comments)
    Vote.objects.bulk_create(votes)
    return [p for _, p in people]


# The most queries each page may make, however many people (the voice page's include one
# for the summit's sectors; the console's, two for its possible duplicates).
MAX_QUERIES = {"console": 18, "voice": 9}


@pytest.mark.django_db
@pytest.mark.parametrize("n", [3, 60])
def test_query_count_console_flat_however_many_members(
    breakout, facilitator, django_assert_max_num_queries, n
):
    people = _crowd([breakout], n)
    client, url = client_for(facilitator), reverse("breakouts:console", args=[breakout.pk])

    with django_assert_max_num_queries(MAX_QUERIES["console"]):
        response = client.get(url)

    html = response.content.decode()
    assert response.status_code == 200
    assert f"<strong>{n - 1} of {n}</strong> members" in html
    assert people[-1].display_name in _quiet_list(html)
    assert html.count('<tr><th scope="row">Member ') == n


@pytest.mark.django_db
@pytest.mark.parametrize("n", [3, 60])
def test_query_count_voice_page_flat_however_many_members(
    breakouts, organiser, django_assert_max_num_queries, n
):
    people = _crowd(breakouts, n)
    client, url = client_for(organiser), reverse("voice", args=[organiser.summit.slug])

    with django_assert_max_num_queries(MAX_QUERIES["voice"]):
        response = client.get(url)

    html = response.content.decode()
    assert response.status_code == 200
    assert f"<strong>{n - 1} of {n}</strong> places in groups have contributed" in html
    assert people[-1].display_name in html


# Live: only the consoles hear the voice balance


async def _open(path: str, participant: Participant | None = None):
    socket = await socket_for(path, participant)
    connected, code = await socket.connect()
    assert connected, f"{path} refused with {code}"
    return socket


async def _all_quiet(*sockets) -> bool:
    return all(await asyncio.gather(*(s.receive_nothing(timeout=QUIET) for s in sockets)))


@pytest.fixture
async def quiet_room(breakout, attendee, facilitator):
    """Aisha and Cara, neither heard yet; sockets for Aisha, the console and the big screen."""
    await sync_to_async(_member)(breakout, "Cara Nwosu", "health")
    sockets = {
        "member": await _open(f"/ws/breakouts/{breakout.pk}/", attendee),
        "console": await _open(f"/ws/breakouts/{breakout.pk}/", facilitator),
        "screen": await _open(f"/ws/screens/breakouts/{breakout.screen_key}/"),
    }
    yield sockets
    for socket in sockets.values():
        await socket.disconnect()


@live
async def test_live_quiet_member_idea_updates_only_the_console_voice_panel(
    breakout, attendee, quiet_room
):
    response = await sync_to_async(_htmx_post)(
        attendee,
        "breakouts:post_idea",
        [breakout.pk],
        {"text": "Pool the data across partners", "client_token": str(uuid.uuid4())},
    )

    heard = {name: await s.receive_from(timeout=3) for name, s in quiet_room.items()}
    idea = await Idea.objects.aget()
    assert response.status_code == 200
    assert await _all_quiet(*quiet_room.values())
    for name, html in heard.items():
        assert f'id="idea-{idea.pk}"' in html, name
        assert "Pool the data across partners" in html, name
    console = heard["console"]
    assert '<section class="voice" id="voice-balance"' in console
    assert 'hx-swap-oob="outerHTML"' in console
    assert "Aisha Rahman" not in _quiet_list(console)
    assert "Cara Nwosu" in _quiet_list(console)
    assert "<strong>1 of 2</strong> members has contributed" in console
    for name in ("member", "screen"):
        assert "voice-balance" not in heard[name], name
        assert "voice-quiet" not in heard[name], name
        assert "Not heard yet" not in heard[name], name


@live
async def test_live_comment_updates_the_console_voice_panel_not_the_members(
    breakout, attendee, facilitator, quiet_room
):
    idea = await sync_to_async(_idea)(breakout, facilitator, "Pool the data")

    await sync_to_async(_htmx_post)(
        attendee,
        "breakouts:comment",
        [breakout.pk, idea.pk],
        {"text": "Start with housing", "client_token": str(uuid.uuid4())},
    )

    member = await quiet_room["member"].receive_from(timeout=3)
    console = await quiet_room["console"].receive_from(timeout=3)
    assert await _all_quiet(*quiet_room.values())
    assert "Start with housing" in member
    assert "Start with housing" in console
    assert "voice-balance" not in member
    assert 'id="voice-balance"' in console
    assert "Aisha Rahman" not in _quiet_list(console)


@live
async def test_live_vote_with_totals_hidden_reaches_the_console_alone_with_its_panel(
    breakout, attendee, facilitator, quiet_room
):
    idea = await sync_to_async(_idea)(breakout, facilitator, "Pool the data")
    await sync_to_async(_move)(breakout, phase=Phase.VOTE)

    response = await sync_to_async(_htmx_post)(
        attendee, "breakouts:dots", [breakout.pk, idea.pk], {"dots": "2"}
    )

    console = await quiet_room["console"].receive_from(timeout=3)
    assert response.status_code == 200
    assert await _all_quiet(*quiet_room.values())
    assert f'id="idea-{idea.pk}-total"' in console
    assert "cross-sector support 1.00, from 1 sector" in console
    assert 'id="voice-balance"' in console
    assert "Aisha Rahman" not in _quiet_list(console)
    assert "Cara Nwosu" in _quiet_list(console)


@live
async def test_live_voice_within_a_second_follows_once_summed_up(
    breakout, attendee, quiet_room, monkeypatch
):
    """Ideas in quick succession: the first card brings the panel at once; the others come
    without it, and one panel follows at the window's end, counting every idea."""
    monkeypatch.setattr(breakouts_live, "VOICE_SECONDS", 0.5)
    cara = await Participant.objects.aget(display_name="Cara Nwosu")
    texts = ["Pool the data", "Share the buildings", "Ask the tenants"]
    for author, text in zip((attendee, cara, attendee), texts, strict=True):
        response = await sync_to_async(_htmx_post)(
            author,
            "breakouts:post_idea",
            [breakout.pk],
            {"text": text, "client_token": str(uuid.uuid4())},
        )
        assert response.status_code == 200

    console = quiet_room["console"]
    cards = [await console.receive_from(timeout=3) for _ in texts]
    for text, html in zip(texts, cards, strict=True):
        assert text in html
    assert 'id="voice-balance"' in cards[0]
    assert "Cara Nwosu" in _quiet_list(cards[0])
    assert all("voice-balance" not in html for html in cards[1:])

    panel = await console.receive_from(timeout=3)
    assert 'id="voice-balance"' in panel
    assert 'hx-swap-oob="outerHTML"' in panel
    assert "<strong>2 of 2</strong> members have contributed" in panel
    assert "idea-" not in panel
    assert await _all_quiet(console)
    for name in ("member", "screen"):
        heard = [await quiet_room[name].receive_from(timeout=3) for _ in texts]
        assert all("voice-balance" not in html for html in heard), name
        assert await _all_quiet(quiet_room[name]), name


@live
async def test_live_voice_after_the_window_comes_with_the_card_again(
    breakout, attendee, quiet_room, monkeypatch
):
    monkeypatch.setattr(breakouts_live, "VOICE_SECONDS", 0.2)
    console = quiet_room["console"]
    for text in ("Pool the data", "Share the buildings"):
        await sync_to_async(_htmx_post)(
            attendee,
            "breakouts:post_idea",
            [breakout.pk],
            {"text": text, "client_token": str(uuid.uuid4())},
        )
        html = await console.receive_from(timeout=3)
        assert text in html
        assert 'id="voice-balance"' in html
        await asyncio.sleep(0.3)
    assert await _all_quiet(console)


@pytest.mark.django_db
def test_voice_without_an_event_loop_serving_is_worked_out_every_time(breakout, monkeypatch):
    """A management command or the test client has no loop to send it later from."""
    monkeypatch.setattr(summit_live, "_serving_loop", None)
    throttle = breakouts_live._VoiceThrottle()
    assert [throttle.now(breakout.pk) for _ in range(3)] == [True, True, True]
    # Nothing is left due: with a loop again, the next change puts a send off itself.
    put_off = []
    monkeypatch.setattr(breakouts_live, "later", lambda *call: put_off.append(call) or True)
    assert throttle.now(breakout.pk) is False
    assert [call[1:] for call in put_off] == [(throttle.send, breakout.pk)]


@pytest.fixture
def put_off(monkeypatch):
    """Each send put off for later: (delay, function, arguments), none of them run."""
    calls = []

    def later(delay, func, *args):
        calls.append((delay, func, args))
        return True

    monkeypatch.setattr(breakouts_live, "later", later)
    return calls


def test_voice_window_on_redis_is_shared_by_every_worker(redis_counts, put_off):
    """Two workers, each with its own throttle, on one Redis: the first change sends the
    panel at once; every other change in the window is left to one send, put off by the
    worker that first found the panel due."""
    one, two = breakouts_live._VoiceThrottle(), breakouts_live._VoiceThrottle()

    assert [one.now(7), two.now(7), one.now(7), two.now(7)] == [True, False, False, False]
    assert [call[1:] for call in put_off] == [(two.send, (7,))]
    assert 0 < put_off[0][0] <= breakouts_live.VOICE_SECONDS
    # Another breakout has a window of its own.
    assert two.now(8) is True


def test_voice_window_on_redis_a_change_after_the_send_starts_is_due_again(redis_counts, put_off):
    one, two = breakouts_live._VoiceThrottle(), breakouts_live._VoiceThrottle()
    one.now(7)
    two.now(7)

    two._mark_sent(7)  # the put-off send starts: it reads the balance after this
    assert one.now(7) is False

    assert [call[1:] for call in put_off] == [(two.send, (7,)), (one.send, (7,))]


def test_voice_window_on_redis_ends_after_its_time(redis_counts, put_off, monkeypatch):
    monkeypatch.setattr(breakouts_live, "VOICE_SECONDS", 0.05)
    one, two = breakouts_live._VoiceThrottle(), breakouts_live._VoiceThrottle()
    assert one.now(7) is True

    time.sleep(0.1)

    assert two.now(7) is True
    assert put_off == []


def test_voice_window_without_redis_sends_with_every_change(settings, put_off):
    use_redis_counts(settings, "redis://127.0.0.1:1/0")  # nothing listens on port 1
    throttle = breakouts_live._VoiceThrottle()

    assert [throttle.now(7) for _ in range(3)] == [True, True, True]
    assert put_off == []


@pytest.mark.django_db
def test_voice_put_off_send_on_redis_pushes_the_panel_to_the_console_alone(
    redis_counts, breakout, attendee, put_off, monkeypatch
):
    pushed = []
    monkeypatch.setattr(
        breakouts_live, "push", lambda fragments, **_: pushed.extend(in_english(fragments))
    )
    throttle = breakouts_live._VoiceThrottle()
    throttle.now(breakout.pk)
    throttle.now(breakout.pk)
    _idea(breakout, attendee)

    _, send, args = put_off[0]
    send(*args)

    [(group, html)] = pushed
    assert group == breakout_group(breakout.pk, FACILITATORS)
    assert 'id="voice-balance"' in html
    assert "<strong>1 of 1</strong> member has contributed" in html
    assert throttle.now(breakout.pk) is False  # the send opened a new window


# The organisers' page


@pytest.mark.django_db
def test_voice_page_organiser_sees_every_breakout_quiet_people_and_unheard_sectors(
    breakouts, organiser, attendee, other_member
):
    breakout, other = breakouts[0], breakouts[1]
    _members(breakout, "business", 5, "Dev Patel")
    # Four residents beside Aisha (local government), and Ben (health) elsewhere: the small
    # sectors five or more together, in the breakout and across the summit.
    _members(breakout, "resident", 4, "Rhys Evans")
    _idea(breakout, attendee)
    _vote(_idea(other, other_member), other_member)

    response = client_for(organiser).get(reverse("voice", args=[organiser.summit.slug]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Voice balance</h1>" in html
    for group in breakouts:
        console = reverse("breakouts:console", args=[group.pk])
        assert f'<a href="{console}">{group.name}</a>' in html, group.name
    rows = {group.pk: _row(html, group) for group in breakouts}
    assert "<td>1 of 10</td>" in rows[breakout.pk]
    assert "<td>9: Dev Patel 1, Testshire Council; Dev Patel 2," in rows[breakout.pk]
    assert "<td>Business</td>" in rows[breakout.pk]
    assert "<td>1 of 1</td>" in rows[other.pk]
    assert "<td>0</td>" in rows[other.pk]
    assert "<td>None</td>" in rows[other.pk]
    assert "<strong>2 of 11</strong> places in groups have contributed; 3 contributions" in html
    assert "<strong>Sectors present but unheard anywhere:</strong> Business</p>" in html


@pytest.mark.django_db
def test_voice_page_shows_no_sector_of_fewer_than_five_on_its_own(breakouts, organiser):
    breakout, other = breakouts[0], breakouts[1]
    url = reverse("voice", args=[organiser.summit.slug])
    _members(breakout, "business", 4, "Business")

    table = client_for(organiser).get(url).content.decode().split('id="sectors-heading"')[1]

    # Business's four, everyone in the groups: too few even to count.
    assert f'<th scope="row">{OTHER}</th><td>fewer than 5</td>' in table
    assert "Business" not in table

    _members(breakout, "health", 3, "Health")
    _members(other, "health", 3, "Health elsewhere")
    table = client_for(organiser).get(url).content.decode().split('id="sectors-heading"')[1]

    # Six places in health across the summit, beside business's four: health is not shown
    # on its own either, or ten less six would count business.
    assert f'<th scope="row">{OTHER}</th><td>100% (10)</td>' in table
    assert "Health and care (NHS)" not in table
    assert "Business" not in table

    _member(other, "Business 5", "business")
    table = client_for(organiser).get(url).content.decode().split('id="sectors-heading"')[1]

    assert '<th scope="row">Health and care (NHS)</th><td>55% (6)</td>' in table
    assert '<th scope="row">Business</th><td>46% (5)</td>' in table
    assert OTHER not in table


def _row(html: str, group: Breakout) -> str:
    console = reverse("breakouts:console", args=[group.pk])
    found = re.search(rf'<tr>\s*<th scope="row"><a href="{console}">.*?</tr>', html, re.DOTALL)
    assert found, group.name
    return found.group(0)


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "status"), [("facilitator", 403), ("attendee", 403)])
def test_voice_page_refused_to_anyone_but_organisers(request, summit, who, status):
    person = request.getfixturevalue(who)

    response = client_for(person).get(reverse("voice", args=[summit.slug]))

    assert response.status_code == status
    assert b"voice-overview" not in response.content


@pytest.mark.django_db
def test_voice_page_outsider_is_not_found(summit, outsider):
    response = client_for(outsider).get(reverse("voice", args=[summit.slug]))

    assert response.status_code == 404
    assert b"voice-overview" not in response.content


@pytest.mark.django_db
def test_voice_page_signed_out_is_refused(summit):
    response = Client().get(reverse("voice", args=[summit.slug]))

    assert response.status_code in {302, 403}
    assert b"voice-overview" not in response.content


@pytest.mark.django_db
def test_voice_page_htmx_request_returns_only_the_overview(breakouts, organiser, attendee):
    _idea(breakouts[0], attendee)

    response = client_for(organiser).get(
        reverse("voice", args=[organiser.summit.slug]), HTTP_HX_REQUEST="true"
    )

    html = response.content.decode().strip()
    assert response.status_code == 200
    assert html.startswith('<div id="voice-overview"')
    assert html.endswith("</div>")
    assert "<h1>" not in html
    assert "<html" not in html
    assert "refreshes itself every 15 seconds" not in html
    assert "<strong>1 of 1</strong> places in groups have contributed" in html


# Ordering the voted wall


def _voters(breakout: Breakout, sectors: list[str]) -> list[Participant]:
    return [_member(breakout, f"Voter {i} {sector}", sector) for i, sector in enumerate(sectors)]


def _wall(html: str, ideas: list[Idea]) -> list[Idea]:
    """The ideas in the order the page shows them."""
    return sorted(ideas, key=lambda idea: html.index(f'id="idea-{idea.pk}"'))


@pytest.fixture
def contest(breakout, attendee):
    """Three ideas: one backed by three people of three sectors with a dot each (3 dots), one
    by four local government people with two dots each (8 dots), one by nobody. Each is newer
    than the one before, so the unranked wall shows them the other way round."""
    broad = _idea(breakout, attendee, "Broad backing")
    narrow = _idea(breakout, attendee, "Narrow backing")
    nobody = _idea(breakout, attendee, "No backing")
    for voter in _voters(breakout, ["health", "faith", "business"]):
        _vote(broad, voter, dots=1)
    for voter in _voters(breakout, ["local_government"] * 4):
        _vote(narrow, voter, dots=2)
    return broad, narrow, nobody


@pytest.mark.django_db
def test_board_rank_by_support_puts_three_sectors_above_four_of_one(breakout, attendee, contest):
    broad, narrow, nobody = contest
    _move(breakout, phase=Phase.AGREE, rank_by=Breakout.RankBy.SUPPORT)

    response = client_for(attendee).get(reverse("breakouts:board", args=[breakout.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Ideas, by cross-sector support" in html
    # log2(2) x 3 = 3.00 against log2(5) = 2.32, though 3 dots against 8.
    assert _wall(html, [broad, narrow, nobody]) == [broad, narrow, nobody]
    # No sector gave five supporters or more: none is named, and nothing is said for them.
    assert (
        '3 dots from 3 people<span class="idea__support"> · cross-sector support 3.00, '
        "from 3 sectors</span>"
    ) in html
    assert (
        '8 dots from 4 people<span class="idea__support"> · cross-sector support 2.32, '
        "from 1 sector</span>"
    ) in html
    assert "idea__sectors" not in html


@pytest.mark.django_db
def test_board_names_a_sector_of_supporters_only_from_five(breakout, attendee):
    idea = _idea(breakout, attendee)
    for voter in _voters(breakout, ["health"] * 6 + ["local_government"] * 4):
        _vote(idea, voter)
    _move(breakout, phase=Phase.AGREE)

    html = client_for(attendee).get(reverse("breakouts:board", args=[breakout.pk]))

    # Four of local government are too few to name, and health's six are not named beside
    # them, or ten less six would count the four.
    assert (
        f'from 2 sectors<span class="idea__sectors"> ({OTHER} 10)</span>'
    ) in html.content.decode()
    assert "Health and care (NHS) 6" not in html.content.decode()

    (fifth,) = _voters(breakout, ["local_government"])
    _vote(idea, fifth)
    html = client_for(attendee).get(reverse("breakouts:board", args=[breakout.pk]))

    assert (
        'from 2 sectors<span class="idea__sectors"> (Health and care (NHS) 6, '
        "Local government 5)</span>"
    ) in html.content.decode()


@pytest.mark.django_db
def test_board_rank_by_dots_puts_four_of_one_with_more_dots_first(breakout, attendee, contest):
    broad, narrow, nobody = contest
    _move(breakout, phase=Phase.AGREE, rank_by=Breakout.RankBy.DOTS)

    response = client_for(attendee).get(reverse("breakouts:board", args=[breakout.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Ideas, by dots" in html
    assert _wall(html, [broad, narrow, nobody]) == [narrow, broad, nobody]
    assert "cross-sector support 3.00, from 3 sectors" in html


@pytest.mark.django_db
def test_board_two_people_of_two_sectors_tie_three_of_one_and_the_three_go_first(
    breakout, attendee
):
    # One from each of two sectors (1 + 1) and three of one sector (log2 4) both score 2:
    # the tie falls to more supporters, whichever idea is older.
    pair = _idea(breakout, attendee, "Backed by a pair")
    three = _idea(breakout, attendee, "Backed by three")
    for voter in _voters(breakout, ["health", "faith"]):
        _vote(pair, voter, dots=3)
    for voter in _voters(breakout, ["business"] * 3):
        _vote(three, voter)
    _move(breakout, phase=Phase.AGREE)

    response = client_for(attendee).get(reverse("breakouts:board", args=[breakout.pk]))

    html = response.content.decode()
    assert _wall(html, [pair, three]) == [three, pair]
    assert (
        '6 dots from 2 people<span class="idea__support"> · '
        "cross-sector support 2.00, from 2 sectors"
    ) in html
    assert (
        '3 dots from 3 people<span class="idea__support"> · '
        "cross-sector support 2.00, from 1 sector"
    ) in html


@pytest.mark.django_db
def test_board_supporter_is_counted_once_however_many_dots(breakout, attendee):
    idea = _idea(breakout, attendee)
    (voter,) = _voters(breakout, ["health"])
    _vote(idea, voter, dots=3)
    _move(breakout, phase=Phase.AGREE)

    response = client_for(attendee).get(reverse("breakouts:board", args=[breakout.pk]))

    assert (
        '3 dots from 1 person<span class="idea__support"> · cross-sector support 1.00, '
        "from 1 sector</span>"
    ) in response.content.decode()


@pytest.mark.django_db
def test_board_vote_still_open_with_totals_hidden_keeps_newest_first_and_no_support(
    breakout, attendee, contest
):
    broad, narrow, nobody = contest
    _move(breakout, phase=Phase.VOTE)

    response = client_for(attendee).get(reverse("breakouts:board", args=[breakout.pk]))

    html = response.content.decode()
    assert "Ideas from the group" in html
    assert _wall(html, [broad, narrow, nobody]) == [nobody, narrow, broad]
    assert "cross-sector support" not in html


@pytest.mark.django_db
def test_board_console_during_the_vote_shows_support_unranked(breakout, facilitator, contest):
    broad, narrow, nobody = contest
    _move(breakout, phase=Phase.VOTE)

    response = client_for(facilitator).get(reverse("breakouts:console", args=[breakout.pk]))

    html = response.content.decode()
    assert _wall(html, [broad, narrow, nobody]) == [nobody, narrow, broad]
    assert "cross-sector support 3.00, from 3 sectors" in html
    assert "cross-sector support 2.32, from 1 sector" in html


@pytest.fixture
def board_pushes(monkeypatch):
    sent: list[tuple] = []

    def record(breakout, announcement) -> None:
        sent.append((breakout.pk if isinstance(breakout, models.Model) else breakout, announcement))

    monkeypatch.setattr("breakouts.live.board_changed", record)
    return sent


@pytest.mark.django_db
def test_set_rank_by_saves_and_pushes_a_board_refresh(
    breakout, board_pushes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        steering.set_rank_by(breakout, Breakout.RankBy.DOTS)

    breakout.refresh_from_db()
    assert breakout.rank_by == Breakout.RankBy.DOTS
    assert board_pushes == [(breakout.pk, "Ideas are ordered by dots")]


@pytest.mark.django_db
def test_set_rank_by_back_to_support_announces_it(
    breakout, board_pushes, django_capture_on_commit_callbacks
):
    _move(breakout, rank_by=Breakout.RankBy.DOTS)

    with django_capture_on_commit_callbacks(execute=True):
        steering.set_rank_by(breakout, Breakout.RankBy.SUPPORT)

    breakout.refresh_from_db()
    assert breakout.rank_by == Breakout.RankBy.SUPPORT
    assert board_pushes == [(breakout.pk, "Ideas are ordered by cross-sector support")]


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["votes", "", "SUPPORT"])
def test_set_rank_by_unknown_value_refused_without_change_or_push(
    breakout, board_pushes, django_capture_on_commit_callbacks, value
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Refused, match="Choose how to order the ideas"),
    ):
        steering.set_rank_by(breakout, value)

    breakout.refresh_from_db()
    assert breakout.rank_by == Breakout.RankBy.SUPPORT
    assert callbacks == []
    assert board_pushes == []


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["facilitator", "organiser"])
def test_rank_by_view_steerer_reorders_the_wall(
    request, breakout, contest, board_pushes, django_capture_on_commit_callbacks, who
):
    broad, narrow, nobody = contest
    _move(breakout, phase=Phase.AGREE)
    person = request.getfixturevalue(who)

    with django_capture_on_commit_callbacks(execute=True):
        response = _htmx_post(person, "breakouts:rank_by", [breakout.pk], {"rank_by": "dots"})

    html = response.content.decode()
    breakout.refresh_from_db()
    assert response.status_code == 200
    assert breakout.rank_by == Breakout.RankBy.DOTS
    assert "Ideas, by dots" in html
    assert _wall(html, [broad, narrow, nobody]) == [narrow, broad, nobody]
    assert board_pushes == [(breakout.pk, "Ideas are ordered by dots")]


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "status"), [("attendee", 403), ("outsider", 404)])
def test_rank_by_view_refused_to_anyone_who_does_not_steer(
    request, breakout, board_pushes, django_capture_on_commit_callbacks, who, status
):
    person = request.getfixturevalue(who)

    with django_capture_on_commit_callbacks(execute=True):
        response = _htmx_post(person, "breakouts:rank_by", [breakout.pk], {"rank_by": "dots"})

    breakout.refresh_from_db()
    assert response.status_code == status
    assert breakout.rank_by == Breakout.RankBy.SUPPORT
    assert board_pushes == []
