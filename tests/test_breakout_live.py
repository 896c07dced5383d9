"""A breakout live, end to end: what each audience's socket hears when the board changes
(members, the facilitator's console, the big screen), what each audience's board shows in
each phase, how refusals come back over htmx, and the pages' query counts."""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from asgiref.sync import sync_to_async
from django.test import Client
from django.urls import reverse

from accounts.models import Participant
from breakouts import steering
from breakouts.models import Breakout, Cluster, Comment, Idea, Outcome, Rating, Vote
from summit.event.agreement import Agreement
from summit.event.models import Summit
from summit.live import CLOSE_FORBIDDEN
from summit.web import replay
from tests.conftest import SECTOR_KEYS, client_for, make_participant, socket_for

Phase = Breakout.Phase
live = pytest.mark.django_db(transaction=True)

# Long enough for a push already queued to arrive; pushes are sent before the response returns.
QUIET = 0.2


def _idea(breakout: Breakout, author: Participant, text: str = "Pool the data", **fields) -> Idea:
    return Idea.objects.create(
        breakout=breakout, author=author, text=text, client_token=uuid.uuid4(), **fields
    )


def _move(breakout: Breakout, phase: str) -> None:
    """Arrange a phase without a push, so the sockets hear only what the test does."""
    Breakout.objects.filter(pk=breakout.pk).update(phase=phase)
    breakout.refresh_from_db()


def _htmx_post(participant: Participant, name: str, args: list, data: dict):
    return client_for(participant).post(reverse(name, args=args), data, HTTP_HX_REQUEST="true")


# Sockets


@dataclass
class Screens:
    """Three screens on one breakout, and two on another that should hear nothing."""

    member: object
    console: object
    screen: object
    elsewhere: list = field(default_factory=list)

    @property
    def ours(self) -> dict[str, object]:
        return {"member": self.member, "console": self.console, "screen": self.screen}

    async def receive_one_each(self) -> dict[str, str]:
        """What each of our screens heard: exactly one message each."""
        heard = {name: await socket.receive_from(timeout=3) for name, socket in self.ours.items()}
        assert await _all_quiet(*self.ours.values()), "a screen heard more than one message"
        return heard

    async def others_heard_nothing(self) -> bool:
        return await _all_quiet(*self.elsewhere)


async def _all_quiet(*sockets) -> bool:
    """Whether none of the sockets hears anything more (waiting for them all at once)."""
    return all(await asyncio.gather(*(s.receive_nothing(timeout=QUIET) for s in sockets)))


async def _open(path: str, participant: Participant | None = None):
    socket = await socket_for(path, participant)
    connected, code = await socket.connect()
    assert connected, f"{path} refused with {code}"
    return socket


@pytest.fixture
async def screens(breakout, other_breakout, attendee, facilitator, other_member):
    opened = [
        await _open(f"/ws/breakouts/{breakout.pk}/", attendee),
        await _open(f"/ws/breakouts/{breakout.pk}/", facilitator),
        await _open(f"/ws/screens/breakouts/{breakout.screen_key}/"),
        await _open(f"/ws/breakouts/{other_breakout.pk}/", other_member),
        await _open(f"/ws/screens/breakouts/{other_breakout.screen_key}/"),
    ]
    yield Screens(*opened[:3], elsewhere=opened[3:])
    for socket in opened:
        await socket.disconnect()


# New ideas, edits, withdrawals, comments


@live
async def test_live_new_idea_reaches_every_audience_with_tools_only_on_the_console(
    breakout, attendee, screens
):
    response = await sync_to_async(_htmx_post)(
        attendee,
        "breakouts:post_idea",
        [breakout.pk],
        {"text": "Pool the data across partners", "client_token": str(uuid.uuid4())},
    )

    heard = await screens.receive_one_each()
    idea = await Idea.objects.aget()
    assert response.status_code == 200
    for name, html in heard.items():
        assert '<ul id="idea-list" hx-swap-oob="afterbegin">' in html, name
        assert f'id="idea-{idea.pk}"' in html, name
        assert "Pool the data across partners" in html, name
        assert "Aisha Rahman" in html, name
        assert "New idea: Pool the data across partners" in html, name
    assert f'<span class="idea__number">#{idea.pk}</span>' in heard["console"]
    assert "<summary>Steer" in heard["console"]
    for name in ("member", "screen"):
        assert 'class="idea__number"' not in heard[name], name
        assert "Steer" not in heard[name], name
        assert "idea__tools" not in heard[name], name
    assert 'class="comment-form"' in heard["member"]
    assert 'class="comment-form"' not in heard["screen"]
    assert "Build on this idea" not in heard["screen"]
    assert await screens.others_heard_nothing()


@live
async def test_live_new_card_on_the_console_offers_the_breakouts_clusters_in_order(
    breakout, other_breakout, attendee, screens
):
    names = ["Housing", "Data sharing", "Budgets"]
    for name in names:
        await Cluster.objects.acreate(breakout=breakout, name=name)
    await Cluster.objects.acreate(breakout=other_breakout, name="Elsewhere")
    expected = [c async for c in Cluster.objects.filter(breakout=breakout)]

    await sync_to_async(_htmx_post)(
        attendee,
        "breakouts:post_idea",
        [breakout.pk],
        {"text": "Pool the data across partners", "client_token": str(uuid.uuid4())},
    )

    console = (await screens.receive_one_each())["console"]
    offered = re.findall(r'<option value="(\d+)">([^<]+)</option>', console)
    assert offered == [(str(c.pk), c.name) for c in expected]
    assert [name for _, name in offered] == names
    assert "Elsewhere" not in console


@live
async def test_live_edit_by_its_author_replaces_the_card_everywhere(breakout, attendee, screens):
    idea = await sync_to_async(_idea)(breakout, attendee, "Pool the data")

    response = await sync_to_async(_htmx_post)(
        attendee, "breakouts:edit_idea", [breakout.pk, idea.pk], {"text": "Pool the budgets"}
    )

    heard = await screens.receive_one_each()
    await idea.arefresh_from_db()
    assert response.status_code == 200
    assert idea.text == "Pool the budgets"
    for name, html in heard.items():
        assert f'id="idea-{idea.pk}" hx-swap-oob="outerHTML"' in html, name
        assert "Pool the budgets" in html, name
        assert "Pool the data" not in html, name
        assert "(edited)" in html, name
    assert f'<span class="idea__number">#{idea.pk}</span>' in heard["console"]
    assert "Steer" not in heard["member"]
    assert 'class="comment-form"' not in heard["screen"]
    assert await screens.others_heard_nothing()


@live
async def test_live_withdrawal_deletes_the_card_everywhere(breakout, attendee, screens):
    idea = await sync_to_async(_idea)(breakout, attendee, "Pool the data")

    response = await sync_to_async(_htmx_post)(
        attendee, "breakouts:withdraw_idea", [breakout.pk, idea.pk], {}
    )

    heard = await screens.receive_one_each()
    await idea.arefresh_from_db()
    assert response.status_code == 200
    assert idea.status == Idea.Status.WITHDRAWN
    for name, html in heard.items():
        assert f'<li id="idea-{idea.pk}" hx-swap-oob="delete"></li>' in html, name
        assert "An idea was withdrawn by its author" in html, name
        assert "Pool the data" not in html, name
    assert await screens.others_heard_nothing()


@live
async def test_live_comment_is_appended_under_its_idea_everywhere(
    breakout, attendee, facilitator, screens
):
    idea = await sync_to_async(_idea)(breakout, facilitator, "Pool the data")

    response = await sync_to_async(_htmx_post)(
        attendee,
        "breakouts:comment",
        [breakout.pk, idea.pk],
        {"text": "Start with housing data", "client_token": str(uuid.uuid4())},
    )

    heard = {
        name: await screens.ours[name].receive_from(timeout=3) for name in ("member", "console")
    }
    comment = await Comment.objects.aget()
    assert response.status_code == 200
    assert comment.idea_id == idea.pk
    for name, html in heard.items():
        assert f'<ul id="comments-{idea.pk}" hx-swap-oob="beforeend">' in html, name
        assert f'<li class="comment" id="comment-item-{comment.pk}">' in html, name
        assert f'<span id="comments-{idea.pk}-count" hx-swap-oob="innerHTML">1</span>' in html
        assert "Start with housing data" in html, name
        assert "Aisha Rahman" in html, name
    # The big screen shows no comments, so it is not sent them.
    assert await _all_quiet(*screens.ours.values())
    assert await screens.others_heard_nothing()


# Dots


@live
async def test_live_dots_with_totals_after_the_vote_reach_only_the_console(
    breakout, attendee, facilitator, screens
):
    idea = await sync_to_async(_idea)(breakout, facilitator)
    await sync_to_async(_move)(breakout, Phase.VOTE)

    response = await sync_to_async(_htmx_post)(
        attendee, "breakouts:dots", [breakout.pk, idea.pk], {"dots": "2"}
    )

    html = await screens.console.receive_from(timeout=3)
    assert response.status_code == 200
    assert await Vote.objects.filter(idea=idea, voter=attendee, dots=2).aexists()
    assert f'<span id="idea-{idea.pk}-total" hx-swap-oob="innerHTML">' in html
    assert "2 dots from 1 person" in html
    assert await _all_quiet(*screens.ours.values(), *screens.elsewhere)


@live
async def test_live_dots_with_live_totals_reach_every_audience(
    breakout, attendee, facilitator, screens
):
    idea = await sync_to_async(_idea)(breakout, facilitator)

    @sync_to_async
    def live_totals_then_vote():
        steering.set_voting_rules(breakout, dot_budget=5, max_dots_per_idea=3, vote_display="live")
        steering.set_phase(breakout, Phase.VOTE)

    await live_totals_then_vote()
    for socket in screens.ours.values():  # the two refresh signals those changes sent
        assert "data-refresh-board" in await socket.receive_from(timeout=3)
        assert "data-refresh-board" in await socket.receive_from(timeout=3)
    assert await screens.others_heard_nothing()

    response = await sync_to_async(_htmx_post)(
        attendee, "breakouts:dots", [breakout.pk, idea.pk], {"dots": "3"}
    )

    heard = await screens.receive_one_each()
    assert response.status_code == 200
    for name, html in heard.items():
        assert f'<span id="idea-{idea.pk}-total" hx-swap-oob="innerHTML">' in html, name
        assert "3 dots from 1 person" in html, name
    assert await screens.others_heard_nothing()


# Changes that reshape the board: every screen is told to fetch its board again


@dataclass(frozen=True)
class BoardChange:
    who: str
    phase: str
    url: str
    args: Callable[[dict], list]
    data: Callable[[dict], dict]
    announcement: str | None
    done: Callable[[dict], bool]


def _world(breakout: Breakout, attendee: Participant, facilitator: Participant, phase: str):
    """Two ideas, a cluster, an outcome and a second question, made without any push."""
    _move(breakout, phase)
    first = _idea(breakout, attendee, "Pool the data")
    second = _idea(breakout, facilitator, "Share the data")
    outcome = Outcome.objects.create(
        breakout=breakout, proposal="Pilot a pooled budget", who_should_act="The council"
    )
    outcome.ideas.add(first)
    return {
        "breakout": breakout,
        "attendee": attendee,
        "first": first,
        "second": second,
        "cluster": Cluster.objects.create(breakout=breakout, name="Housing"),
        "outcome": outcome,
        "prompt": breakout.summit.prompts.exclude(pk=breakout.current_prompt_id).first(),
    }


def _fresh(w: dict, key: str):
    w[key].refresh_from_db()
    return w[key]


BOARD_CHANGES = {
    "phase": BoardChange(
        "facilitator",
        Phase.GATHER,
        "breakouts:phase",
        lambda w: [w["breakout"].pk],
        lambda w: {"phase": "build", "minutes": "10"},
        "The group moved to: Build on ideas, 10 minutes on the clock",
        lambda w: (
            _fresh(w, "breakout").phase == "build" and w["breakout"].timer_ends_at is not None
        ),
    ),
    "timer": BoardChange(
        "facilitator",
        Phase.GATHER,
        "breakouts:timer",
        lambda w: [w["breakout"].pk],
        lambda w: {"minutes": "5"},
        "Timer set: 5 minutes",
        lambda w: _fresh(w, "breakout").timer_ends_at is not None,
    ),
    "prompt": BoardChange(
        "facilitator",
        Phase.GATHER,
        "breakouts:prompt",
        lambda w: [w["breakout"].pk],
        lambda w: {"prompt": str(w["prompt"].pk)},
        "The group is working on a new question",
        lambda w: _fresh(w, "breakout").current_prompt_id == w["prompt"].pk,
    ),
    "hide": BoardChange(
        "facilitator",
        Phase.BUILD,
        "breakouts:hide",
        lambda w: [w["breakout"].pk, w["first"].pk],
        lambda w: {"reason": "Names a colleague"},
        "An idea was hidden by the facilitator",
        lambda w: _fresh(w, "first").status == Idea.Status.HIDDEN,
    ),
    "merge": BoardChange(
        "facilitator",
        Phase.CLUSTER,
        "breakouts:merge",
        lambda w: [w["breakout"].pk, w["first"].pk],
        lambda w: {"into": str(w["second"].pk)},
        "Two ideas were merged into one: Share the data",
        lambda w: _fresh(w, "first").merged_into_id == w["second"].pk,
    ),
    "add cluster": BoardChange(
        "facilitator",
        Phase.CLUSTER,
        "breakouts:add_cluster",
        lambda w: [w["breakout"].pk],
        lambda w: {"name": "Data sharing"},
        "New cluster: Data sharing",
        lambda w: Cluster.objects.filter(breakout=w["breakout"], name="Data sharing").exists(),
    ),
    "cluster an idea": BoardChange(
        "facilitator",
        Phase.CLUSTER,
        "breakouts:cluster_idea",
        lambda w: [w["breakout"].pk, w["first"].pk],
        lambda w: {"cluster": str(w["cluster"].pk)},
        None,
        lambda w: _fresh(w, "first").cluster_id == w["cluster"].pk,
    ),
    "spotlight": BoardChange(
        "facilitator",
        Phase.BUILD,
        "breakouts:spotlight",
        lambda w: [w["breakout"].pk],
        lambda w: {"idea": str(w["second"].pk)},
        "An idea is in the spotlight",
        lambda w: _fresh(w, "breakout").spotlight_id == w["second"].pk,
    ),
    "outcome": BoardChange(
        "facilitator",
        Phase.VOTE,
        "breakouts:add_outcome",
        lambda w: [w["breakout"].pk],
        lambda w: {
            "proposal": "Share one budget for prevention",
            "who_should_act": "The integrated care board",
            "horizon": "longer",
            "ideas": [str(w["second"].pk)],
        },
        "Outcome drafted: Share one budget for prevention",
        lambda w: (
            list(Outcome.objects.get(proposal="Share one budget for prevention").ideas.all())
            == [w["second"]]
        ),
    ),
    "rating": BoardChange(
        "attendee",
        Phase.AGREE,
        "breakouts:rate",
        lambda w: [w["breakout"].pk, w["outcome"].pk],
        lambda w: {"level": "4"},
        None,
        lambda w: Rating.objects.filter(
            outcome=w["outcome"], rater=w["attendee"], level=4
        ).exists(),
    ),
}


@live
@pytest.mark.parametrize("change", list(BOARD_CHANGES), ids=list(BOARD_CHANGES))
async def test_live_board_change_signals_every_audience(
    request, breakout, attendee, facilitator, screens, change
):
    case = BOARD_CHANGES[change]
    world = await sync_to_async(_world)(breakout, attendee, facilitator, case.phase)
    actor = request.getfixturevalue(case.who)

    response = await sync_to_async(_htmx_post)(actor, case.url, case.args(world), case.data(world))

    heard = await screens.receive_one_each()
    assert response.status_code == 200
    assert '<div id="board"' in response.content.decode()
    assert await sync_to_async(case.done)(world)
    for name, html in heard.items():
        assert '<div id="board-signal" hx-swap-oob="true" data-refresh-board hidden>' in html, name
        if case.announcement is None:
            assert "live-status" not in html, name
        else:
            assert (
                f'<div id="live-status" hx-swap-oob="innerHTML">{case.announcement}</div>' in html
            ), name
    # The same message to each, but for each audience's own push number in front.
    unnumbered = {name: replay.MARKER.sub("", html) for name, html in heard.items()}
    assert unnumbered["member"] == unnumbered["console"] == unnumbered["screen"]
    assert await screens.others_heard_nothing()


# The big screen's link


@live
async def test_live_screen_with_a_wrong_key_is_refused(breakout):
    socket = await socket_for(f"/ws/screens/breakouts/{breakout.screen_key}x/")

    connected, code = await socket.connect()

    assert not connected
    assert code == CLOSE_FORBIDDEN
    await socket.disconnect()


@live
async def test_live_new_screen_link_refuses_the_old_key_on_reconnect(breakout, facilitator):
    old_key = breakout.screen_key
    before = await _open(f"/ws/screens/breakouts/{old_key}/")
    await before.disconnect()

    response = await sync_to_async(_htmx_post)(
        facilitator, "breakouts:new_screen_link", [breakout.pk], {"view": "facilitators"}
    )

    await breakout.arefresh_from_db()
    assert response.status_code == 200
    assert breakout.screen_key != old_key
    assert reverse("breakouts:screen", args=[breakout.screen_key]) in response.content.decode()
    assert old_key not in response.content.decode()
    old_page = await sync_to_async(Client().get)(reverse("breakouts:screen", args=[old_key]))
    assert old_page.status_code == 404
    old = await socket_for(f"/ws/screens/breakouts/{old_key}/")
    connected, code = await old.connect()
    assert not connected
    assert code == CLOSE_FORBIDDEN
    await old.disconnect()
    new = await socket_for(f"/ws/screens/breakouts/{breakout.screen_key}/")
    assert (await new.connect())[0]
    await new.disconnect()


@live
async def test_live_new_screen_link_stops_a_screen_open_on_the_old_one(
    breakout, attendee, facilitator
):
    old_key = breakout.screen_key
    old = await _open(f"/ws/screens/breakouts/{old_key}/")
    try:
        await sync_to_async(_htmx_post)(facilitator, "breakouts:new_screen_link", [breakout.pk], {})
        await sync_to_async(_htmx_post)(
            attendee,
            "breakouts:post_idea",
            [breakout.pk],
            {"text": "Posted after the new link", "client_token": str(uuid.uuid4())},
        )

        # "The old one stops working at once": a screen left open on the old link is closed,
        # and hears nothing posted afterwards.
        output = await old.receive_output(timeout=3)
        assert output == {"type": "websocket.close", "code": CLOSE_FORBIDDEN}
    finally:
        await old.disconnect()


# Anonymity in pushes


@live
@pytest.mark.parametrize("how", ["ticked on the idea", "chosen for the summit"])
async def test_live_anonymous_idea_reaches_every_audience_without_the_name(
    breakout, attendee, screens, how
):
    data = {"text": "Fund the food bank properly", "client_token": str(uuid.uuid4())}
    if how == "ticked on the idea":
        data["anonymous"] = "on"
    else:
        await Participant.objects.filter(pk=attendee.pk).aupdate(anonymous=True)

    response = await sync_to_async(_htmx_post)(attendee, "breakouts:post_idea", [breakout.pk], data)

    heard = await screens.receive_one_each()
    assert response.status_code == 200
    assert (await Idea.objects.aget()).anonymous
    for name, html in heard.items():
        card, _, voice = html.partition('id="voice-balance"')
        assert "Fund the food bank properly" in card, name
        assert "Anonymous (Local government)" in card, name
        assert "Aisha" not in card, name
        assert "Rahman" not in card, name
        assert "Testshire" not in card, name
        _assert_voice_does_not_credit(how, voice)


def _assert_voice_does_not_credit(how: str, voice: str) -> None:
    """The console's voice balance lists members, but never counts an anonymous post for
    the person: a named member who posted only anonymously is still listed as not heard."""
    if not voice:
        return
    if how == "chosen for the summit":
        assert "Aisha" not in voice
    else:
        quiet = voice.split('id="voice-quiet"')[1].split("</ul>")[0]
        assert "Aisha Rahman" in quiet


@live
async def test_live_anonymous_comment_reaches_every_audience_without_the_name(
    breakout, attendee, facilitator, screens
):
    idea = await sync_to_async(_idea)(breakout, facilitator)

    await sync_to_async(_htmx_post)(
        attendee,
        "breakouts:comment",
        [breakout.pk, idea.pk],
        {"text": "Ask the tenants first", "client_token": str(uuid.uuid4()), "anonymous": "on"},
    )

    heard = {
        name: await screens.ours[name].receive_from(timeout=3) for name in ("member", "console")
    }
    for name, html in heard.items():
        card, _, voice = html.partition('id="voice-balance"')
        assert "Ask the tenants first" in card, name
        assert "Anonymous (Local government)" in card, name
        assert "Aisha" not in card, name
        _assert_voice_does_not_credit("ticked on the comment", voice)
    assert 'id="voice-balance"' in heard["console"]


# Boards, per audience and phase


def _board_as(who: Participant | None, breakout: Breakout, *, console: bool = False) -> str:
    """The board fragment a screen fetches: ``who`` None is the big screen."""
    if who is None:
        url = reverse("breakouts:screen_board", args=[breakout.screen_key])
        response = Client().get(url, HTTP_HX_REQUEST="true")
    else:
        data = {"view": "facilitators"} if console else {}
        url = reverse("breakouts:board", args=[breakout.pk])
        response = client_for(who).get(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="board"')
    return html


def _member(breakout: Breakout, name: str, sector: str = "health") -> Participant:
    person = make_participant(breakout.summit, name=name, sector=sector)
    breakout.members.add(person)
    return person


@pytest.mark.django_db
def test_board_gather_offers_your_ideas_to_their_author_only(breakout, attendee, facilitator):
    idea = _idea(breakout, attendee, "Pool the data")
    neighbour = _member(breakout, "Ben Okoro")
    edit_url = reverse("breakouts:edit_idea", args=[breakout.pk, idea.pk])

    author_sees = _board_as(attendee, breakout)
    neighbour_sees = _board_as(neighbour, breakout)
    console_sees = _board_as(facilitator, breakout, console=True)
    screen_sees = _board_as(None, breakout)

    assert "Your ideas (1): change or withdraw them" in author_sees
    assert edit_url in author_sees
    assert reverse("breakouts:withdraw_idea", args=[breakout.pk, idea.pk]) in author_sees
    for html in (neighbour_sees, console_sees, screen_sees):
        assert "Your ideas" not in html
        assert edit_url not in html
        assert "Pool the data" in html


@pytest.mark.django_db
def test_board_your_ideas_gone_once_ideas_stop(breakout, attendee):
    _idea(breakout, attendee, "Pool the data")
    _move(breakout, Phase.CLUSTER)

    html = _board_as(attendee, breakout)

    assert "Pool the data" in html
    assert "Your ideas" not in html


@pytest.mark.django_db
def test_board_vote_shows_dots_left_and_buttons_hides_totals_until_it_closes(
    breakout, attendee, facilitator
):
    first = _idea(breakout, facilitator, "Pool the data")
    second = _idea(breakout, facilitator, "Share the data")
    Vote.objects.create(idea=first, voter=attendee, dots=2)
    _move(breakout, Phase.VOTE)

    member_sees = _board_as(attendee, breakout)
    console_sees = _board_as(facilitator, breakout, console=True)
    screen_sees = _board_as(None, breakout)

    assert "You have 3 of 5 dots left." in member_sees
    assert "At most 3 on one idea." in member_sees
    assert "Totals are shown when the vote closes." in member_sees
    assert member_sees.count(">Add a dot<") == 2
    assert member_sees.count(">Take a dot back<") == 1
    assert f'id="idea-{first.pk}-vote"' in member_sees
    for html in (member_sees, screen_sees):
        assert f'id="idea-{first.pk}-total"' not in html
        assert "2 dots from 1 person" not in html
    assert f'<span class="idea__total" id="idea-{first.pk}-total">2 dots from 1 person' in (
        console_sees
    )
    assert f'id="idea-{second.pk}-total">0 dots from 0 people' in console_sees
    for html in (console_sees, screen_sees):
        assert "Add a dot" not in html
        assert "dots left" not in html


@pytest.mark.django_db
def test_board_vote_totals_show_to_everyone_after_it_closes(breakout, attendee, facilitator):
    idea = _idea(breakout, facilitator, "Pool the data")
    Vote.objects.create(idea=idea, voter=attendee, dots=2)
    _move(breakout, Phase.AGREE)

    member_sees = _board_as(attendee, breakout)
    screen_sees = _board_as(None, breakout)

    for html in (member_sees, screen_sees):
        assert f'id="idea-{idea.pk}-total">2 dots from 1 person' in html
        assert "Ideas, by cross-sector support" in html
        assert "Add a dot" not in html
    assert "dots left" not in member_sees


@pytest.mark.django_db
def test_board_vote_with_live_totals_shows_them_while_voting(breakout, attendee, facilitator):
    idea = _idea(breakout, facilitator, "Pool the data")
    steering.set_voting_rules(breakout, dot_budget=4, max_dots_per_idea=2, vote_display="live")
    _move(breakout, Phase.VOTE)
    Vote.objects.create(idea=idea, voter=attendee, dots=1)

    member_sees = _board_as(attendee, breakout)
    screen_sees = _board_as(None, breakout)

    assert "You have 3 of 4 dots left." in member_sees
    assert "Totals are shown when the vote closes." not in member_sees
    for html in (member_sees, screen_sees):
        assert f'id="idea-{idea.pk}-total">1 dot from 1 person' in html


@pytest.mark.django_db
def test_board_agree_offers_ratings_to_members_and_counts_to_the_console(
    breakout, attendee, facilitator
):
    idea = _idea(breakout, facilitator, "Pool the data")
    outcome = Outcome.objects.create(
        breakout=breakout, proposal="Pilot a pooled budget", who_should_act="The council"
    )
    outcome.ideas.add(idea)
    Rating.objects.create(outcome=outcome, rater=attendee, level=Agreement.RESERVATIONS)
    Rating.objects.create(
        outcome=outcome, rater=_member(breakout, "Ben Okoro"), level=Agreement.BLOCK
    )
    _move(breakout, Phase.AGREE)

    member_sees = _board_as(attendee, breakout)
    console_sees = _board_as(facilitator, breakout, console=True)
    screen_sees = _board_as(None, breakout)

    for html in (member_sees, console_sees, screen_sees):
        assert "Pilot a pooled budget" in html
        assert "The council" in html
    assert reverse("breakouts:rate", args=[breakout.pk, outcome.pk]) in member_sees
    assert "How far do you agree?" in member_sees
    assert member_sees.count('type="radio" name="level"') == 5
    assert '<input type="radio" name="level" value="4" checked>' in member_sees
    assert "rating-count" not in member_sees
    assert "Block: 1</span>" in console_sees
    assert "Support with reservations: 1</span>" in console_sees
    assert "Fully support: 0</span>" in console_sees
    # One support and one block of two: the block defeats consensus, and half is no majority.
    assert "<strong>Consensus</strong> (nobody blocks): does not pass" in console_sees
    assert "<strong>Simple majority</strong>" in console_sees
    assert console_sees.count('class="rule rule--fail"') == 3
    for html in (console_sees, screen_sees):
        assert 'class="rate-form"' not in html
        assert "How far do you agree?" not in html
    assert "rating-count" not in screen_sees


@pytest.mark.django_db
@pytest.mark.parametrize(("threshold", "verdict"), [(60, "passes"), (75, "does not pass")])
def test_board_reads_outcomes_by_the_summits_supermajority(
    breakout, attendee, facilitator, threshold, verdict
):
    outcome = Outcome.objects.create(
        breakout=breakout, proposal="Pilot a pooled budget", who_should_act="The council"
    )
    levels = [Agreement.FULL, Agreement.RESERVATIONS, Agreement.DISAGREE]  # two in three
    raters = [attendee, _member(breakout, "Ben Okoro"), _member(breakout, "Cy Ng")]
    Rating.objects.bulk_create(
        Rating(outcome=outcome, rater=rater, level=level)
        for rater, level in zip(raters, levels, strict=True)
    )
    Summit.objects.filter(pk=breakout.summit_id).update(supermajority=threshold)
    _move(breakout, Phase.AGREE)

    console_sees = _board_as(facilitator, breakout, console=True)

    assert (
        f"<strong>Supermajority</strong> (at least {threshold}% of those who rated it support "
        f"it): {verdict}"
    ) in console_sees


@pytest.mark.django_db
def test_board_console_has_the_controls_and_marks_hidden_ideas(breakout, attendee, facilitator):
    _idea(breakout, attendee, "Pool the data")
    hidden = _idea(
        breakout,
        attendee,
        "Sack the chief executive",
        status=Idea.Status.HIDDEN,
        hidden_reason="Names a colleague",
    )

    response = client_for(facilitator).get(reverse("breakouts:console", args=[breakout.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    for control in (
        'id="phase-select"',
        "Move the group",
        'id="timer-minutes"',
        'id="prompt-select"',
        "Add an idea said in the room",
        "Add cluster",
        "Save the rules",
        "Make a new link",
    ):
        assert control in html, control
    assert "Pool the data" in html
    assert f'<li class="idea idea--hidden" id="idea-{hidden.pk}">' in html
    assert "Sack the chief executive" in html
    assert "<strong>Hidden from attendees:</strong> Names a colleague" in html
    assert reverse("breakouts:restore", args=[breakout.pk, hidden.pk]) in html


@pytest.mark.django_db
def test_board_hidden_idea_never_reaches_members_or_the_screen(breakout, attendee, facilitator):
    _idea(breakout, attendee, "Pool the data")
    _idea(
        breakout,
        attendee,
        "Sack the chief executive",
        status=Idea.Status.HIDDEN,
        hidden_reason="Names a colleague",
    )
    member = client_for(attendee)

    pages = {
        "member page": member.get(reverse("breakouts:breakout", args=[breakout.pk])),
        "member board": member.get(reverse("breakouts:board", args=[breakout.pk])),
        # A member asking for the console's view still gets the members' board.
        "member asking for the console": member.get(
            reverse("breakouts:board", args=[breakout.pk]), {"view": "facilitators"}
        ),
        "screen page": Client().get(reverse("breakouts:screen", args=[breakout.screen_key])),
        "screen board": Client().get(reverse("breakouts:screen_board", args=[breakout.screen_key])),
    }

    for name, response in pages.items():
        html = response.content.decode()
        assert response.status_code == 200, name
        assert "Pool the data" in html, name
        assert "Sack the chief executive" not in html, name
        assert "Names a colleague" not in html, name
        assert "Hidden from attendees" not in html, name
        assert 'id="phase-select"' not in html, name


# Refusals over HTTP


@dataclass(frozen=True)
class Refusal:
    phase: str
    url: str
    args: Callable[[dict], list]
    data: Callable[[dict], dict]
    message: str
    unchanged: Callable[[dict], bool]
    who: str = "attendee"


def _refusal_world(breakout, attendee, facilitator, phase: str) -> dict:
    _move(breakout, phase)
    first = _idea(breakout, facilitator, "Pool the data")
    second = _idea(breakout, facilitator, "Share the data")
    third = _idea(breakout, facilitator, "Open the data")
    outcome = Outcome.objects.create(
        breakout=breakout, proposal="Pilot a pooled budget", who_should_act="The council"
    )
    if phase == Phase.VOTE:
        Vote.objects.create(idea=first, voter=attendee, dots=3)
        Vote.objects.create(idea=second, voter=attendee, dots=2)
    return {
        "breakout": breakout,
        "attendee": attendee,
        "first": first,
        "second": second,
        "third": third,
        "outcome": outcome,
    }


def _votes_of(w: dict) -> dict[int, int]:
    return dict(Vote.objects.filter(voter=w["attendee"]).values_list("idea_id", "dots"))


# A comment's refusals come back by its own box instead: tests/test_comment_form.py.
REFUSALS = {
    "a 4th dot on one idea": Refusal(
        Phase.VOTE,
        "breakouts:dots",
        lambda w: [w["breakout"].pk, w["first"].pk],
        lambda w: {"dots": "4"},
        "You can put at most 3 dots on one idea",
        lambda w: _votes_of(w) == {w["first"].pk: 3, w["second"].pk: 2},
    ),
    "a 6th dot": Refusal(
        Phase.VOTE,
        "breakouts:dots",
        lambda w: [w["breakout"].pk, w["third"].pk],
        lambda w: {"dots": "1"},
        "You have used all your 5 dots",
        lambda w: _votes_of(w) == {w["first"].pk: 3, w["second"].pk: 2},
    ),
    "a vote in gather": Refusal(
        Phase.GATHER,
        "breakouts:dots",
        lambda w: [w["breakout"].pk, w["first"].pk],
        lambda w: {"dots": "1"},
        "Voting is not open: the facilitator opens it in the vote phase",
        lambda w: _votes_of(w) == {},
    ),
    "a rating before agree": Refusal(
        Phase.VOTE,
        "breakouts:rate",
        lambda w: [w["breakout"].pk, w["outcome"].pk],
        lambda w: {"level": "5"},
        "Outcomes are rated in the agree phase",
        lambda w: not Rating.objects.exists(),
    ),
    "an edit of someone else's idea": Refusal(
        Phase.GATHER,
        "breakouts:edit_idea",
        lambda w: [w["breakout"].pk, w["first"].pk],
        lambda w: {"text": "Pool nothing"},
        "You can only change ideas you posted yourself",
        lambda w: Idea.objects.get(pk=w["first"].pk).text == "Pool the data",
    ),
    "hiding without a reason": Refusal(
        Phase.BUILD,
        "breakouts:hide",
        lambda w: [w["breakout"].pk, w["first"].pk],
        lambda w: {"reason": "  "},
        "Give a reason for hiding the idea: the record shows it",
        lambda w: Idea.objects.get(pk=w["first"].pk).status == Idea.Status.VISIBLE,
        who="facilitator",
    ),
    "merging an idea into itself": Refusal(
        Phase.CLUSTER,
        "breakouts:merge",
        lambda w: [w["breakout"].pk, w["first"].pk],
        lambda w: {"into": str(w["first"].pk)},
        "Choose two different ideas to merge",
        lambda w: not Idea.objects.exclude(status=Idea.Status.VISIBLE).exists(),
        who="facilitator",
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("refusal", list(REFUSALS), ids=list(REFUSALS))
def test_refusal_over_htmx_is_422_aimed_at_the_board_message_and_changes_nothing(
    request, breakout, attendee, facilitator, django_capture_on_commit_callbacks, refusal
):
    case = REFUSALS[refusal]
    world = _refusal_world(breakout, attendee, facilitator, case.phase)
    actor = request.getfixturevalue(case.who)

    with django_capture_on_commit_callbacks(execute=True) as pushes:
        response = _htmx_post(actor, case.url, case.args(world), case.data(world))

    assert response.status_code == 422
    assert response.headers["HX-Retarget"] == "#board-message"
    assert response.headers["HX-Reswap"] == "innerHTML"
    assert case.message in response.content.decode()
    assert '<p class="error-message">' in response.content.decode()
    assert case.unchanged(world)
    assert pushes == []
    breakout.refresh_from_db()
    assert breakout.phase == case.phase


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("breakouts:phase", {"phase": "vote"}),
        ("breakouts:timer", {"minutes": "5"}),
        ("breakouts:add_cluster", {"name": "Data"}),
        ("breakouts:new_screen_link", {}),
    ],
)
def test_refusal_attendee_posting_to_the_console_is_forbidden(
    breakout, attendee, django_capture_on_commit_callbacks, url, data
):
    key = breakout.screen_key

    with django_capture_on_commit_callbacks(execute=True) as pushes:
        response = _htmx_post(attendee, url, [breakout.pk], data)

    breakout.refresh_from_db()
    assert response.status_code == 403
    assert breakout.phase == Phase.GATHER
    assert breakout.timer_ends_at is None
    assert breakout.screen_key == key
    assert not Cluster.objects.exists()
    assert pushes == []


@pytest.mark.django_db
def test_refusal_attendee_hiding_an_idea_is_forbidden(breakout, attendee, facilitator):
    idea = _idea(breakout, facilitator, "Pool the data")

    response = _htmx_post(attendee, "breakouts:hide", [breakout.pk, idea.pk], {"reason": "Mine"})

    idea.refresh_from_db()
    assert response.status_code == 403
    assert idea.status == Idea.Status.VISIBLE
    assert idea.hidden_reason == ""


# Query counts: the same at 1 idea and at 300


def _crowd(breakout: Breakout, attendee: Participant, facilitator: Participant, n: int) -> None:
    """A breakout in the vote phase with ``n`` ideas, dots, comments, clusters and an outcome."""
    others = [_member(breakout, f"Member {i}", sector) for i, sector in enumerate(SECTOR_KEYS[:4])]
    authors = [attendee, facilitator, *others]
    housing = Cluster.objects.create(breakout=breakout, name="Housing")
    data = Cluster.objects.create(breakout=breakout, name="Data")
    Idea.objects.bulk_create(
        Idea(
            breakout=breakout,
            author=authors[i % len(authors)],
            text=f"Crowd idea {i}",
            client_token=uuid.uuid4(),
            anonymous=i % 7 == 3,
            cluster=(housing, data, None)[i % 3],
            status=Idea.Status.HIDDEN if i % 50 == 49 else Idea.Status.VISIBLE,
            hidden_reason="Off topic" if i % 50 == 49 else "",
        )
        for i in range(n)
    )
    ideas = list(Idea.objects.filter(breakout=breakout, status=Idea.Status.VISIBLE))
    Vote.objects.bulk_create(
        [Vote(idea=ideas[0], voter=attendee, dots=2)]
        + [Vote(idea=idea, voter=other, dots=1) for other in others for idea in ideas[:5]]
    )
    Comment.objects.bulk_create(
        Comment(idea=idea, author=others[i % len(others)], text="Yes", client_token=uuid.uuid4())
        for i, idea in enumerate(ideas[::5])
    )
    outcome = Outcome.objects.create(
        breakout=breakout, proposal="Pilot a pooled budget", who_should_act="The council"
    )
    outcome.ideas.set(ideas[:3])
    Breakout.objects.filter(pk=breakout.pk).update(phase=Phase.VOTE, spotlight=ideas[0])


# The most queries each page may make, at any number of ideas. (The console's include two for
# its possible duplicates; in the cluster phase its suggested clusters ask two more.)
MAX_QUERIES = {"breakouts:breakout": 14, "breakouts:console": 18, "breakouts:screen": 7}


@pytest.mark.django_db
@pytest.mark.parametrize("page", list(MAX_QUERIES))
@pytest.mark.parametrize("n", [1, 300])
def test_query_count_flat_however_many_ideas(
    breakout, attendee, facilitator, django_assert_max_num_queries, page, n
):
    _crowd(breakout, attendee, facilitator, n)
    breakout.refresh_from_db()
    if page == "breakouts:screen":
        client, url = Client(), reverse(page, args=[breakout.screen_key])
    else:
        who = facilitator if page == "breakouts:console" else attendee
        client, url = client_for(who), reverse(page, args=[breakout.pk])

    with django_assert_max_num_queries(MAX_QUERIES[page]):
        response = client.get(url)

    html = response.content.decode()
    shown = Idea.objects.filter(breakout=breakout)
    if page != "breakouts:console":
        shown = shown.filter(status=Idea.Status.VISIBLE)
    assert response.status_code == 200
    count = f'<span class="count" id="wall-count">({shown.count()})</span>'
    assert f"Ideas from the group {count}" in html
    assert len(re.findall(r'<li class="idea[ "]', html)) == shown.count()
    if page == "breakouts:breakout":
        assert html.count(">Add a dot<") == shown.count()
        assert "You have 3 of 5 dots left." in html
