"""Every WebSocket route, opened by every kind of person; and what each socket may hear.

A new route must be added to ``CASES`` or the first test fails.
"""

from __future__ import annotations

import uuid

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer

from accounts.models import Participant
from breakouts import actions, services
from breakouts.board import FACILITATORS, breakout_group
from breakouts.models import Action, Outcome
from plenary import moderation
from plenary.models import QaSession, Question
from plenary.questions import ask_question, support_question
from plenary.services import plenary_for
from summit.config.routing import websocket_urlpatterns
from summit.live import CLOSE_FORBIDDEN, CLOSE_NOT_FOUND, group_in
from summit.organise import after
from tests.conftest import make_participant, socket_for

pytestmark = pytest.mark.django_db(transaction=True)

WHO = ["anonymous", "outsider", "other_member", "attendee", "facilitator", "organiser"]

# route: (path from the context, who may connect, in the order of WHO)
CASES = {
    "ws/breakouts/<int:breakout_id>/": (
        lambda c: f"/ws/breakouts/{c['breakout'].pk}/",
        (False, False, False, True, True, True),
    ),
    # The big screen: its unguessable link is the permission, whoever holds it.
    "ws/screens/breakouts/<str:key>/": (
        lambda c: f"/ws/screens/breakouts/{c['breakout'].screen_key}/",
        (True, True, True, True, True, True),
    ),
    # The plenary: everyone in the summit, whatever their breakout.
    "ws/plenary/<slug:slug>/": (
        lambda c: f"/ws/plenary/{c['breakout'].summit.slug}/",
        (False, False, True, True, True, True),
    ),
    "ws/screens/plenary/<str:key>/": (
        lambda c: f"/ws/screens/plenary/{c['plenary'].screen_key}/",
        (True, True, True, True, True, True),
    ),
    # After the day: the follow-up actions' status, for anyone in the summit...
    "ws/summits/<slug:slug>/actions/": (
        lambda c: f"/ws/summits/{c['breakout'].summit.slug}/actions/",
        (False, False, True, True, True, True),
    ),
    # ...and at the public summary's link, while it is published.
    "ws/public/<str:key>/": (
        lambda c: f"/ws/public/{c['public_key']}/",
        (True, True, True, True, True, True),
    ),
    # The themes across rooms of a subtheme: its organisers and facilitators.
    "ws/synthesis/<slug:slug>/<int:subtheme_id>/": (
        lambda c: f"/ws/synthesis/{c['breakout'].summit.slug}/{c['breakout'].subtheme_id}/",
        (False, False, False, False, True, True),
    ),
}


def test_every_socket_route_is_in_the_access_table():
    assert {str(route.pattern) for route in websocket_urlpatterns} == set(CASES)


@pytest.mark.parametrize(
    "path",
    ["/ws/nothing/", "/ws/breakouts/abc/", f"/ws/breakouts/{'9' * 4301}/", "/ws/plenary/"],
)
async def test_socket_at_an_address_no_screen_has_is_refused_plainly(path, caplog):
    socket = await socket_for(path)
    connected, code = await socket.connect()
    assert (connected, code) == (False, CLOSE_NOT_FOUND)
    assert not [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL")]


@pytest.fixture
def ctx(breakout, attendee, facilitator, organiser, other_member, outsider):
    return {
        "plenary": plenary_for(breakout.summit),
        "breakout": breakout,
        "attendee": attendee,
        "facilitator": facilitator,
        "organiser": organiser,
        "other_member": other_member,
        "outsider": outsider,
        "public_key": after.publish_summary(breakout.summit, by=organiser),
    }


@pytest.mark.parametrize("route", sorted(CASES))
@pytest.mark.parametrize("who", WHO)
async def test_socket_route_admits_only_those_allowed(ctx, route, who):
    path_for, allowed = CASES[route]
    socket = await socket_for(path_for(ctx), None if who == "anonymous" else ctx[who])

    connected, code = await socket.connect()

    assert connected is allowed[WHO.index(who)], f"{route} as {who}"
    if not connected:
        assert code == CLOSE_FORBIDDEN
    await socket.disconnect()


def _post(breakout, author, text: str) -> None:
    services.post_idea(breakout=breakout, author=author, text=text, client_token=uuid.uuid4())


async def test_socket_hears_nothing_of_other_groups_or_summits(
    breakout, other_breakout, attendee, facilitator, other_member, outsider
):
    member = await socket_for(f"/ws/breakouts/{breakout.pk}/", attendee)
    steering = await socket_for(f"/ws/breakouts/{breakout.pk}/", facilitator)
    assert (await member.connect())[0]
    assert (await steering.connect())[0]
    elsewhere = await sync_to_async(lambda: outsider.breakouts.get())()

    await sync_to_async(_post)(other_breakout, other_member, "Other group's idea")
    await sync_to_async(_post)(elsewhere, outsider, "Other summit's idea")
    group = group_in(breakout_group(breakout.pk, FACILITATORS), "en-gb")
    await get_channel_layer().group_send(
        group, {"type": "push.html", "group": group, "html": "<p>For facilitators only</p>"}
    )

    assert await steering.receive_from(timeout=3) == "<p>For facilitators only</p>"
    assert await steering.receive_nothing(timeout=0.3)
    assert await member.receive_nothing(timeout=0.3)
    await member.disconnect()
    await steering.disconnect()


async def test_action_status_reaches_what_we_did_and_the_public_summary(
    breakout, attendee, organiser, outsider
):
    key = await sync_to_async(after.publish_summary)(breakout.summit, by=organiser)
    action = await sync_to_async(_action)(breakout)
    page = await socket_for(f"/ws/summits/{breakout.summit.slug}/actions/", attendee)
    public = await socket_for(f"/ws/public/{key}/")
    elsewhere = await socket_for(f"/ws/summits/{outsider.summit.slug}/actions/", outsider)
    assert (await page.connect())[0]
    assert (await public.connect())[0]
    assert (await elsewhere.connect())[0]

    await sync_to_async(_done)(action, organiser)

    for socket in (page, public):
        html = await socket.receive_from(timeout=3)
        assert f'id="action-{action.pk}-status"' in html
        assert "Done" in html
    assert await elsewhere.receive_nothing(timeout=0.3)
    for socket in (page, public, elsewhere):
        await socket.disconnect()


async def test_withdrawing_the_public_link_closes_the_pages_open_at_it(
    breakout, attendee, organiser
):
    key = await sync_to_async(after.publish_summary)(breakout.summit, by=organiser)
    public = await socket_for(f"/ws/public/{key}/")
    page = await socket_for(f"/ws/summits/{breakout.summit.slug}/actions/", attendee)
    assert (await public.connect())[0]
    assert (await page.connect())[0]

    await sync_to_async(after.withdraw_public_link)(breakout.summit, by=organiser)

    assert await public.receive_output(timeout=3) == {
        "type": "websocket.close",
        "code": CLOSE_FORBIDDEN,
    }
    # A participant's own page stays open.
    assert await page.receive_nothing(timeout=0.3)
    await page.disconnect()


async def test_withdrawn_public_link_socket_is_refused(breakout, organiser):
    key = await sync_to_async(after.publish_summary)(breakout.summit, by=organiser)
    await sync_to_async(after.withdraw_public_link)(breakout.summit, by=organiser)
    socket = await socket_for(f"/ws/public/{key}/")

    assert await socket.connect() == (False, CLOSE_FORBIDDEN)


def _action(breakout):
    outcome = Outcome.objects.create(breakout=breakout, proposal="Pool", who_should_act="NHS")
    return Action.objects.create(outcome=outcome, owner="NHS")


def _done(action, organiser) -> None:
    actions.change_action(
        action, owner="NHS", status=Action.Status.DONE, due_on=None, notes="", by=organiser
    )


# Questions from the floor


def _open_session(summit, organiser, *, premoderated: bool = False):
    plenary = plenary_for(summit)
    session = moderation.add_session(
        plenary, title="Ask the panel", premoderated=premoderated, by=organiser
    )
    return moderation.change_session(session, state=QaSession.State.OPEN, by=organiser)


def _asked(summit, organiser, author):
    session = _open_session(summit, organiser)
    return ask_question(session, author, "Who holds the budget?", uuid.uuid4())[0]


async def test_a_support_count_reaches_the_plenarys_screens_and_not_another_summits(
    breakout, attendee, other_member, facilitator, organiser, outsider
):
    summit = breakout.summit
    question = await sync_to_async(_asked)(summit, organiser, attendee)
    plenary = await sync_to_async(plenary_for)(summit)
    phone = await socket_for(f"/ws/plenary/{summit.slug}/", attendee)
    console = await socket_for(f"/ws/plenary/{summit.slug}/", facilitator)
    screen = await socket_for(f"/ws/screens/plenary/{plenary.screen_key}/")
    elsewhere = await socket_for(f"/ws/plenary/{outsider.summit.slug}/", outsider)
    sockets = (phone, console, screen, elsewhere)
    for socket in sockets:
        assert (await socket.connect())[0]

    await sync_to_async(support_question)(question, other_member, True)

    received = {}
    for name, socket in (("phone", phone), ("console", console), ("screen", screen)):
        html = received[name] = await socket.receive_from(timeout=3)
        assert f'id="question-{question.pk}-support"' in html
        assert "1 supporter" in html
        assert "data-if-shown" in html
    # The consoles (and the moderators' page on them) fetch the questions to rank them anew.
    assert "data-refresh-questions" in received["console"]
    assert "data-refresh-questions" not in received["phone"] + received["screen"]
    assert await elsewhere.receive_nothing(timeout=0.3)
    for socket in sockets:
        await socket.disconnect()


async def test_a_question_awaiting_review_reaches_the_moderators_only(
    breakout, attendee, other_member, facilitator, organiser
):
    summit = breakout.summit
    moderator = await sync_to_async(_named_moderator)(summit)
    session = await sync_to_async(_open_session)(summit, organiser, premoderated=True)
    plenary = await sync_to_async(plenary_for)(summit)
    console = await socket_for(f"/ws/plenary/{summit.slug}/", facilitator)
    helper = await socket_for(f"/ws/plenary/{summit.slug}/", moderator)
    phone = await socket_for(f"/ws/plenary/{summit.slug}/", attendee)
    screen = await socket_for(f"/ws/screens/plenary/{plenary.screen_key}/")
    sockets = (console, helper, phone, screen)
    for socket in sockets:
        assert (await socket.connect())[0]

    question, _ = await sync_to_async(ask_question)(
        session, other_member, "Held for review?", uuid.uuid4()
    )

    assert question.status == Question.Status.AWAITING
    for socket in (console, helper):
        html = await socket.receive_from(timeout=3)
        assert "data-refresh-questions" in html
        assert "Held for review?" not in html
    for socket in (phone, screen):
        assert await socket.receive_nothing(timeout=0.3)
    for socket in sockets:
        await socket.disconnect()


def _named_moderator(summit) -> Participant:
    person = make_participant(summit, name="Mo Moderator")
    Participant.objects.filter(pk=person.pk).update(moderates_questions=True)
    person.refresh_from_db()
    return person


# Themes across rooms


def _mapped_theme(breakout, organiser):
    from breakouts.models import Cluster
    from plenary.themes import show_theme
    from summit.synthesis import services as synthesis

    theme = synthesis.add_theme(breakout.subtheme, "Money follows the place", by=organiser)
    show_theme(plenary_for(breakout.summit), theme.pk, by=organiser)
    cluster = Cluster.objects.create(breakout=breakout, name="Pooled budgets")
    return theme, cluster


def _map(cluster, theme, organiser) -> None:
    from summit.synthesis import services as synthesis

    synthesis.map_item(cluster, theme.pk, by=organiser)


async def test_a_mapping_reaches_the_synthesis_pages_and_the_big_screen_showing_it(
    breakout, other_breakout, facilitator, organiser, outsider
):
    theme, cluster = await sync_to_async(_mapped_theme)(breakout, organiser)
    plenary = await sync_to_async(plenary_for)(breakout.summit)
    summit = breakout.summit
    page = await socket_for(f"/ws/synthesis/{summit.slug}/{breakout.subtheme_id}/", facilitator)
    other = await socket_for(
        f"/ws/synthesis/{summit.slug}/{other_breakout.subtheme_id}/", organiser
    )
    screen = await socket_for(f"/ws/screens/plenary/{plenary.screen_key}/")
    elsewhere = await sync_to_async(plenary_for)(outsider.summit)
    their_screen = await socket_for(f"/ws/screens/plenary/{elsewhere.screen_key}/")
    sockets = (page, other, screen, their_screen)
    for socket in sockets:
        assert (await socket.connect())[0]

    await sync_to_async(_map)(cluster, theme, organiser)

    signal = await page.receive_from(timeout=3)
    assert "data-refresh-board" in signal
    assert "“Pooled budgets” from" in signal
    card = await screen.receive_from(timeout=3)
    assert f'id="screen-theme-{theme.pk}"' in card
    assert "data-if-shown" in card
    for socket in (other, their_screen):
        assert await socket.receive_nothing(timeout=0.3)
    for socket in sockets:
        await socket.disconnect()


def _cluster_added(breakout, facilitator) -> None:
    from breakouts.steering import add_cluster

    add_cluster(breakout, "Shared data", by=facilitator)


async def test_a_breakouts_new_cluster_has_its_subthemes_synthesis_pages_fetch_again(
    breakout, other_breakout, facilitator, organiser
):
    """A lead sees a new cluster to map as the room makes it, without reloading; the pages of
    another subtheme hear nothing."""
    summit = breakout.summit
    page = await socket_for(f"/ws/synthesis/{summit.slug}/{breakout.subtheme_id}/", organiser)
    other = await socket_for(
        f"/ws/synthesis/{summit.slug}/{other_breakout.subtheme_id}/", organiser
    )
    for socket in (page, other):
        assert (await socket.connect())[0]

    await sync_to_async(_cluster_added)(breakout, facilitator)

    signal = await page.receive_from(timeout=3)
    assert 'id="work-signal"' in signal
    assert "data-refresh-board" in signal
    assert await other.receive_nothing(timeout=0.3)
    for socket in (page, other):
        await socket.disconnect()
