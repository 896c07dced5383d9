"""The plenary live, end to end: what each audience's socket hears when the room changes (an
attendee's phone, a facilitator's console, the big screen), what a new answer sends to each
while results are hidden and once they are shown, and when a plenary socket is closed."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pytest
from asgiref.sync import sync_to_async
from django.http import QueryDict
from django.utils.html import escape

from accounts.models import Participant
from breakouts.models import Breakout, Idea, Outcome
from plenary import services
from plenary.forms import AnswerForm, Part
from plenary.models import Plenary, Poll, PollOption
from summit.event.agreement import Agreement
from summit.event.models import Summit
from summit.live import CLOSE_FORBIDDEN, CLOSE_UNEXPECTED_MESSAGE, close_screens
from summit.organise import people
from tests.conftest import make_participant, socket_for

live = pytest.mark.django_db(transaction=True)

# Long enough for a push already queued to arrive; services push before they return.
QUIET = 0.2
NAME = "Zebedee Quill"
CHALLENGE = "Only if the money follows the duty"
REASON = "It takes money from the frontline"
SIGNAL = '<div id="board-signal" hx-swap-oob="true" data-refresh-board hidden></div>'


def _announcement(text: str) -> str:
    return f'<div id="live-status" hx-swap-oob="innerHTML">{escape(text)}</div>'


def _closed(code: int) -> dict:
    return {"type": "websocket.close", "code": code}


# Sockets


@dataclass
class Room:
    """Three screens on this summit's plenary, and two on another summit's that should hear
    nothing of it. Every frame heard is kept, so a test can check no name went out."""

    attendee: object
    console: object
    screen: object
    elsewhere: dict[str, object] = field(default_factory=dict)
    frames: list[str] = field(default_factory=list)

    @property
    def ours(self) -> dict[str, object]:
        return {"attendee": self.attendee, "console": self.console, "screen": self.screen}

    async def hear(self, socket) -> str:
        html = await socket.receive_from(timeout=3)
        self.frames.append(html)
        return html

    async def hear_one_each(self, *names: str) -> dict[str, str]:
        """What each named screen of ours heard (all three by default): one message each."""
        sockets = {name: self.ours[name] for name in names or self.ours}
        heard = {name: await self.hear(socket) for name, socket in sockets.items()}
        assert await _all_quiet(*sockets.values()), "a screen heard more than one message"
        return heard

    async def others_heard_nothing(self) -> bool:
        return await _all_quiet(*self.elsewhere.values())


async def _all_quiet(*sockets) -> bool:
    """Whether none of the sockets hears anything more (waiting for them all at once)."""
    return all(await asyncio.gather(*(s.receive_nothing(timeout=QUIET) for s in sockets)))


async def _open(path: str, participant: Participant | None = None):
    socket = await socket_for(path, participant)
    connected, code = await socket.connect()
    assert connected, f"{path} refused with {code}"
    return socket


@pytest.fixture
def plenary(summit) -> Plenary:
    return services.plenary_for(summit)


@pytest.fixture
def other_plenary(outsider) -> Plenary:
    return services.plenary_for(outsider.summit)


@pytest.fixture
def zebedee(summit) -> Participant:
    """The attendee who answers, whose name must never be pushed."""
    return make_participant(summit, name=NAME, sector="health")


@pytest.fixture
async def room(summit, plenary, other_plenary, zebedee, facilitator, outsider):
    opened = [
        await _open(f"/ws/plenary/{summit.slug}/", zebedee),
        await _open(f"/ws/plenary/{summit.slug}/", facilitator),
        await _open(f"/ws/screens/plenary/{plenary.screen_key}/"),
        await _open(f"/ws/plenary/{outsider.summit.slug}/", outsider),
        await _open(f"/ws/screens/plenary/{other_plenary.screen_key}/"),
    ]
    yield Room(*opened[:3], elsewhere={"outsider": opened[3], "other screen": opened[4]})
    for socket in opened:
        await socket.disconnect()


# Arranging without a push, so that the sockets hear only what the test does


def _poll(plenary: Plenary, kind: str) -> Poll:
    return Poll.objects.get(plenary=plenary, kind=kind)


def _set(poll: Poll, **fields) -> Poll:
    Poll.objects.filter(pk=poll.pk).update(**fields)
    poll.refresh_from_db()
    return poll


def _kind_on_screen(plenary: Plenary, kind: str, **fields) -> Poll:
    return _on_screen(_poll(plenary, kind), **fields)


def _on_screen(poll: Poll, **fields) -> Poll:
    """The poll open (or as ``fields`` say) and on the big screen."""
    Plenary.objects.filter(pk=poll.plenary_id).update(showing=Plenary.Showing.POLL, shown_poll=poll)
    return _set(poll, **{"state": Poll.State.OPEN, **fields})


def _consensus_poll(plenary: Plenary, breakout: Breakout) -> Poll:
    """An open consensus check on one outcome, made directly."""
    outcome = Outcome.objects.create(
        breakout=breakout, proposal="Pool the prevention budgets", who_should_act="The council"
    )
    poll = Poll.objects.create(
        plenary=plenary, kind=Poll.Kind.CONSENSUS, question=services.CONSENSUS_QUESTION
    )
    PollOption.objects.create(poll=poll, order=1, text=outcome.proposal, outcome=outcome)
    return poll


def _parts(poll: Poll, data: dict) -> list[Part]:
    """An answer as the attendees' form makes it."""
    form = AnswerForm(poll, list(poll.options.all()), data=QueryDict(urlencode(data, doseq=True)))
    assert form.is_valid(), form.errors
    return form.parts


def _answer(poll: Poll, participant: Participant, data: Callable[[Poll], dict]) -> None:
    services.answer_poll(poll, participant, _parts(poll, data(poll)))


# Changes that reshape the room: every screen is told to fetch its view again


@dataclass(frozen=True)
class RoomChange:
    arrange: Callable[[dict], None]
    act: Callable[[dict], object]
    announcement: Callable[[dict], str]
    done: Callable[[dict], bool]


def _world(plenary: Plenary, breakout: Breakout, author: Participant) -> dict:
    summit = Summit.objects.get(pk=plenary.summit_id)
    return {
        "plenary": plenary,
        "summit": summit,
        "poll": _poll(plenary, Poll.Kind.SCALE),
        "breakout": breakout,
        # Written by the attendee whose name must not be pushed.
        "idea": Idea.objects.create(
            breakout=breakout, author=author, text="Pool the data", client_token=uuid.uuid4()
        ),
        "item": summit.agenda.order_by("order").last(),
    }


def _fresh_plenary(w: dict) -> Plenary:
    return Plenary.objects.get(pk=w["plenary"].pk)


def _fresh_poll(w: dict) -> Poll:
    return Poll.objects.get(pk=w["poll"].pk)


def _nothing(w: dict) -> None:
    return None


def _follow_item(w: dict) -> None:
    Summit.objects.filter(pk=w["summit"].pk).update(agenda_now=w["item"])
    w["plenary"].summit.agenda_now = w["item"]


SHOWN = "The big screen has changed"

ROOM_CHANGES = {
    "opening a poll": RoomChange(
        _nothing,
        lambda w: services.open_poll(w["poll"]),
        lambda w: f"A poll is open: {services.ASSUMPTIONS_QUESTION}",
        lambda w: (
            _fresh_poll(w).state == Poll.State.OPEN and _fresh_plenary(w).shown_poll == w["poll"]
        ),
    ),
    "reopening a poll": RoomChange(
        lambda w: _set(w["poll"], state=Poll.State.CLOSED),
        lambda w: services.open_poll(w["poll"]),
        lambda w: f"A poll is open: {services.ASSUMPTIONS_QUESTION}",
        lambda w: _fresh_poll(w).state == Poll.State.OPEN,
    ),
    "closing a poll": RoomChange(
        lambda w: _on_screen(w["poll"]),
        lambda w: services.close_poll(w["poll"]),
        lambda w: f"The poll has closed: {services.ASSUMPTIONS_QUESTION}",
        lambda w: _fresh_poll(w).state == Poll.State.CLOSED,
    ),
    "revealing results": RoomChange(
        lambda w: _on_screen(w["poll"], state=Poll.State.CLOSED),
        lambda w: services.show_results(w["poll"], True),
        lambda w: f"Results are shown: {services.ASSUMPTIONS_QUESTION}",
        lambda w: _fresh_poll(w).results_shown,
    ),
    "hiding results": RoomChange(
        lambda w: _on_screen(w["poll"], state=Poll.State.CLOSED, results_shown=True),
        lambda w: services.show_results(w["poll"], False),
        lambda w: f"Results are hidden: {services.ASSUMPTIONS_QUESTION}",
        lambda w: not _fresh_poll(w).results_shown,
    ),
    "showing a message": RoomChange(
        _nothing,
        lambda w: services.show(
            w["plenary"], Plenary.Showing.MESSAGE, message="Coffee at the back"
        ),
        lambda w: SHOWN,
        lambda w: _fresh_plenary(w).message == "Coffee at the back",
    ),
    "showing a report": RoomChange(
        _nothing,
        lambda w: services.show(w["plenary"], Plenary.Showing.REPORT, breakout_id=w["breakout"].pk),
        lambda w: SHOWN,
        lambda w: _fresh_plenary(w).shown_breakout_id == w["breakout"].pk,
    ),
    "the next report": RoomChange(
        _nothing,
        lambda w: services.next_report(w["plenary"]),
        lambda w: SHOWN,
        lambda w: _fresh_plenary(w).showing == Plenary.Showing.REPORT,
    ),
    "showing an idea": RoomChange(
        _nothing,
        lambda w: services.show(w["plenary"], Plenary.Showing.IDEA, idea_id=w["idea"].pk),
        lambda w: SHOWN,
        lambda w: _fresh_plenary(w).shown_idea_id == w["idea"].pk,
    ),
    "showing a poll": RoomChange(
        _nothing,
        lambda w: services.show(w["plenary"], Plenary.Showing.POLL, poll_id=w["poll"].pk),
        lambda w: SHOWN,
        lambda w: _fresh_plenary(w).shown_poll_id == w["poll"].pk,
    ),
    "showing the question": RoomChange(
        lambda w: _on_screen(w["poll"]),
        lambda w: services.show(w["plenary"], Plenary.Showing.QUESTION),
        lambda w: SHOWN,
        lambda w: _fresh_plenary(w).showing == Plenary.Showing.QUESTION,
    ),
    "moving the agenda on": RoomChange(
        _nothing,
        lambda w: services.move_agenda(w["plenary"], w["item"].pk),
        lambda w: f"Now: {w['item'].title}",
        lambda w: Summit.objects.get(pk=w["summit"].pk).agenda_now_id == w["item"].pk,
    ),
    "following the clock again": RoomChange(
        _follow_item,
        lambda w: services.move_agenda(w["plenary"], None),
        lambda w: "The agenda follows the clock again",
        lambda w: Summit.objects.get(pk=w["summit"].pk).agenda_now_id is None,
    ),
}


@live
@pytest.mark.parametrize("change", list(ROOM_CHANGES), ids=list(ROOM_CHANGES))
async def test_live_room_change_signals_every_audience_and_names_it(
    plenary, breakout, zebedee, room, change
):
    case = ROOM_CHANGES[change]
    world = await sync_to_async(_world)(plenary, breakout, zebedee)
    await sync_to_async(case.arrange)(world)

    await sync_to_async(case.act)(world)

    heard = await room.hear_one_each()
    said = _announcement(case.announcement(world))
    assert await sync_to_async(case.done)(world)
    for name, html in heard.items():
        assert SIGNAL in html, name
        assert said in html, name
        assert NAME not in html, name
    # A signal carries no content, so every audience is sent the same one.
    assert heard["attendee"] == heard["console"] == heard["screen"]
    assert await room.others_heard_nothing()


@live
async def test_live_announcement_escapes_the_poll_question(plenary, room):
    question = 'Tea & <b onclick="x()">coffee</b>?'
    poll = await Poll.objects.acreate(
        plenary=plenary, kind=Poll.Kind.TEXT, question=question, state=Poll.State.CLOSED
    )

    await sync_to_async(services.open_poll)(poll)

    heard = await room.hear_one_each()
    for name, html in heard.items():
        assert _announcement(f"A poll is open: {question}") in html, name
        assert "&lt;b onclick=&quot;x()&quot;&gt;coffee&lt;/b&gt;" in html, name
        assert "<b" not in html, name
    assert await room.others_heard_nothing()


# Answers


@dataclass(frozen=True)
class Answering:
    poll: Callable[[Plenary, Breakout], Poll]
    data: Callable[[Poll], dict]
    tally: str  # how the one answer shows in the results
    remark: str  # written with it: only the consoles see it
    remarks_heading: str


def _first(poll: Poll) -> int:
    return poll.options.order_by("order").first().pk


ANSWERS = {
    "agreement scale with a challenge": Answering(
        lambda plenary, breakout: _poll(plenary, Poll.Kind.SCALE),
        lambda poll: {f"level-{_first(poll)}": "4", f"text-{_first(poll)}": CHALLENGE},
        "Agree: 1",
        CHALLENGE,
        "Challenges (1)",
    ),
    "consensus check with a reason": Answering(
        _consensus_poll,
        lambda poll: {
            f"level-{_first(poll)}": str(Agreement.BLOCK),
            f"text-{_first(poll)}": REASON,
        },
        "Block: 1",
        REASON,
        "Reasons given (1)",
    ),
}


def _arrange_answering(case: Answering, plenary, breakout, results_shown: bool) -> Poll:
    return _on_screen(case.poll(plenary, breakout), results_shown=results_shown)


def _results_id(poll: Poll) -> str:
    return f'id="poll-{poll.pk}-results"'


def _count(poll: Poll, n: str = "1 response") -> str:
    return f'<span id="poll-{poll.pk}-count" hx-swap-oob="outerHTML" data-if-shown>{n}</span>'


@live
@pytest.mark.parametrize("answering", list(ANSWERS), ids=list(ANSWERS))
async def test_live_answer_while_results_are_hidden_sends_only_the_count_beyond_the_console(
    plenary, breakout, zebedee, room, answering
):
    case = ANSWERS[answering]
    poll = await sync_to_async(_arrange_answering)(case, plenary, breakout, False)

    await sync_to_async(_answer)(poll, zebedee, case.data)

    heard = await room.hear_one_each()
    console = heard["console"]
    assert f'{_results_id(poll)} hx-swap-oob="outerHTML"' in console
    assert case.tally in console
    assert _count(poll) in console
    assert case.remark in console
    assert case.remarks_heading in console
    for name in ("attendee", "screen"):
        html = heard[name]
        assert html.strip() == _count(poll), name
        assert _results_id(poll) not in html, name
        assert case.tally not in html, name
        assert case.remark not in html, name
    for html in room.frames:
        assert NAME not in html
    assert await room.others_heard_nothing()


@live
@pytest.mark.parametrize("answering", list(ANSWERS), ids=list(ANSWERS))
async def test_live_answer_once_results_are_shown_sends_them_to_all_but_remarks_to_consoles(
    plenary, breakout, zebedee, room, answering
):
    case = ANSWERS[answering]
    poll = await sync_to_async(_arrange_answering)(case, plenary, breakout, True)

    await sync_to_async(_answer)(poll, zebedee, case.data)

    heard = await room.hear_one_each()
    for name, html in heard.items():
        assert f'{_results_id(poll)} hx-swap-oob="outerHTML"' in html, name
        assert case.tally in html, name
        assert _count(poll) in html, name
    assert case.remark in heard["console"]
    assert case.remarks_heading in heard["console"]
    for name in ("attendee", "screen"):
        assert case.remark not in heard[name], name
        assert "remark" not in heard[name], name
        assert case.remarks_heading.split(" (")[0] not in heard[name], name
    for html in room.frames:
        assert NAME not in html
    assert await room.others_heard_nothing()


@live
async def test_live_changed_answer_is_still_one_response_and_nobody_is_named(
    plenary, zebedee, room
):
    poll = await sync_to_async(_kind_on_screen)(plenary, Poll.Kind.WORDS, results_shown=True)

    await sync_to_async(_answer)(poll, zebedee, lambda p: {"word": ["Trust"]})
    first = await room.hear_one_each()
    await sync_to_async(_answer)(poll, zebedee, lambda p: {"word": ["Money"]})
    second = await room.hear_one_each()

    for name, html in first.items():
        assert "Trust" in html, name
    for name, html in second.items():
        assert _count(poll) in html, name
        assert "Money" in html, name
        assert "Trust" not in html, name
    for html in room.frames:
        assert NAME not in html
    assert await room.others_heard_nothing()


# Changes only the consoles show


CONSOLE_ONLY = {
    "create_poll": lambda plenary, breakout: services.create_poll(
        plenary, kind=Poll.Kind.CHOICE, question="Tea or coffee?", options=["Tea", "Coffee"]
    ),
    "prepare_consensus_check": lambda plenary, breakout: (
        Outcome.objects.create(
            breakout=breakout, proposal="Share one budget", who_should_act="The council"
        ),
        services.prepare_consensus_check(plenary),
    ),
    "delete_poll": lambda plenary, breakout: services.delete_poll(_poll(plenary, Poll.Kind.WORDS)),
}


@live
@pytest.mark.parametrize("change", list(CONSOLE_ONLY), ids=list(CONSOLE_ONLY))
async def test_live_console_only_change_refreshes_only_the_consoles(
    plenary, breakout, room, change
):
    await sync_to_async(CONSOLE_ONLY[change])(plenary, breakout)

    console = await room.hear(room.console)

    assert SIGNAL in console
    assert "live-status" not in console
    assert await room.attendee.receive_nothing(timeout=QUIET)
    assert await room.screen.receive_nothing(timeout=QUIET)
    assert await room.console.receive_nothing(timeout=QUIET)
    assert await room.others_heard_nothing()


# Isolation between summits


@live
async def test_live_other_summits_plenary_is_heard_only_by_its_own_screens(
    other_plenary, outsider, room
):
    poll = await sync_to_async(_poll)(other_plenary, Poll.Kind.WORDS)

    await sync_to_async(services.open_poll)(poll)
    opened = {name: await room.hear(s) for name, s in room.elsewhere.items()}
    await sync_to_async(services.show_results)(poll, True)
    revealed = {name: await room.hear(s) for name, s in room.elsewhere.items()}
    await sync_to_async(_answer)(poll, outsider, lambda p: {"word": ["Elsewhere"]})
    answered = {name: await room.hear(s) for name, s in room.elsewhere.items()}

    for name in room.elsewhere:
        assert SIGNAL in opened[name], name
        assert _announcement(f"A poll is open: {services.WORDS_QUESTION}") in opened[name]
        assert SIGNAL in revealed[name], name
        assert "Elsewhere" in answered[name], name
    assert await room.others_heard_nothing()
    assert await _all_quiet(*room.ours.values())


@live
async def test_live_this_plenary_is_not_heard_by_another_summits_screens(plenary, room):
    poll = await sync_to_async(_kind_on_screen)(plenary, Poll.Kind.SCALE, results_shown=True)

    await sync_to_async(services.close_poll)(poll)
    closed = await room.hear_one_each()
    await sync_to_async(services.create_poll)(
        plenary, kind=Poll.Kind.TEXT, question="Anything else?", options=[]
    )
    made = await room.hear(room.console)

    assert all(SIGNAL in html for html in closed.values())
    assert SIGNAL in made
    assert await room.others_heard_nothing()


# Closing sockets


@live
async def test_live_new_screen_link_closes_screens_on_the_old_one_and_refuses_it(plenary, room):
    old_key = plenary.screen_key

    await sync_to_async(services.new_screen_link)(plenary)

    assert await room.screen.receive_output(timeout=3) == _closed(CLOSE_FORBIDDEN)
    assert await _all_quiet(room.attendee, room.console, *room.elsewhere.values())
    await plenary.arefresh_from_db()
    assert plenary.screen_key != old_key
    again = await socket_for(f"/ws/screens/plenary/{old_key}/")
    assert await again.connect() == (False, CLOSE_FORBIDDEN)
    await again.disconnect()
    new = await _open(f"/ws/screens/plenary/{plenary.screen_key}/")
    await sync_to_async(services.show)(plenary, Plenary.Showing.QUESTION)
    assert SIGNAL in await new.receive_from(timeout=3)
    await new.disconnect()


@live
@pytest.mark.parametrize("audience", ["attendee", "console", "screen"])
async def test_live_message_from_a_client_closes_its_socket(plenary, room, audience):
    socket = room.ours[audience]

    await socket.send_to(text_data='{"HEADERS": {}, "text": "hello"}')

    assert await socket.receive_output(timeout=3) == _closed(CLOSE_UNEXPECTED_MESSAGE)
    # The other screens stay open and still hear the room.
    await sync_to_async(services.show)(plenary, Plenary.Showing.QUESTION)
    others = [name for name in room.ours if name != audience]
    heard = await room.hear_one_each(*others)
    assert all(SIGNAL in html for html in heard.values())


@live
async def test_live_removing_an_attendee_closes_their_plenary_socket(summit, zebedee, room):
    await sync_to_async(people.remove_participant)(zebedee)

    assert await room.attendee.receive_output(timeout=3) == _closed(CLOSE_FORBIDDEN)
    assert await _all_quiet(room.console, room.screen, *room.elsewhere.values())
    again = await socket_for(f"/ws/plenary/{summit.slug}/", zebedee)
    assert await again.connect() == (False, CLOSE_FORBIDDEN)
    await again.disconnect()


@live
async def test_live_closing_a_facilitators_screens_closes_their_console(
    summit, plenary, facilitator, room
):
    await sync_to_async(close_screens)(facilitator.pk)

    assert await room.console.receive_output(timeout=3) == _closed(CLOSE_FORBIDDEN)
    assert await _all_quiet(room.attendee, room.screen, *room.elsewhere.values())


@live
async def test_live_facilitator_made_attendee_reconnects_without_the_consoles_pushes(
    summit, plenary, breakout, facilitator, room
):
    await sync_to_async(people.update_participant)(
        facilitator, role=Participant.Role.ATTENDEE, breakout=breakout
    )

    assert await room.console.receive_output(timeout=3) == _closed(CLOSE_FORBIDDEN)
    again = await _open(f"/ws/plenary/{summit.slug}/", facilitator)
    await sync_to_async(services.create_poll)(
        plenary, kind=Poll.Kind.TEXT, question="Anything else?", options=[]
    )
    assert await again.receive_nothing(timeout=QUIET)
    await again.disconnect()
