from __future__ import annotations

import uuid

import channels.consumer
import pytest
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from django.db import transaction
from django.urls import reverse

from breakouts import services
from breakouts.models import Idea
from summit.live import CLOSE_FORBIDDEN, CLOSE_UNEXPECTED_MESSAGE
from tests.conftest import client_for, socket_for

pytestmark = pytest.mark.django_db(transaction=True)


async def _socket(breakout_id: int, participant=None):
    return await socket_for(f"/ws/breakouts/{breakout_id}/", participant)


def _post_over_http(participant, breakout, text: str) -> int:
    response = client_for(participant).post(
        reverse("breakouts:post_idea", args=[breakout.pk]),
        {"text": text, "client_token": str(uuid.uuid4())},
        HTTP_HX_REQUEST="true",
    )
    return response.status_code


async def test_push_facilitator_receives_new_idea_after_commit(breakout, facilitator, attendee):
    socket = await _socket(breakout.pk, facilitator)
    connected, _ = await socket.connect()
    assert connected

    status = await sync_to_async(_post_over_http)(attendee, breakout, "Citizens' panel on budgets")

    html = await socket.receive_from(timeout=3)
    idea = await Idea.objects.aget()
    assert status == 200
    assert '<ul id="idea-list" hx-swap-oob="afterbegin">' in html
    assert f'<li class="idea" id="idea-{idea.pk}">' in html
    assert "Citizens&#x27; panel on budgets" in html
    assert "Aisha Rahman" in html
    assert '<div id="live-status" hx-swap-oob="innerHTML">New idea:' in html
    await socket.disconnect()


async def test_push_member_of_the_breakout_receives_it_too(breakout, attendee):
    socket = await _socket(breakout.pk, attendee)
    assert (await socket.connect())[0]

    await sync_to_async(_post_over_http)(attendee, breakout, "Shared data charter")

    assert "Shared data charter" in await socket.receive_from(timeout=3)
    await socket.disconnect()


async def test_push_other_breakout_receives_nothing(
    breakout, other_breakout, attendee, other_member
):
    socket = await _socket(other_breakout.pk, other_member)
    assert (await socket.connect())[0]

    await sync_to_async(_post_over_http)(attendee, breakout, "Only for breakout one")

    assert await socket.receive_nothing(timeout=0.5)
    await socket.disconnect()


async def test_push_nothing_when_the_transaction_rolls_back(breakout, facilitator, attendee):
    socket = await _socket(breakout.pk, facilitator)
    assert (await socket.connect())[0]

    @database_sync_to_async
    def post_then_fail():
        with transaction.atomic():
            services.post_idea(
                breakout=breakout, author=attendee, text="Never kept", client_token=uuid.uuid4()
            )
            raise RuntimeError("something later in the request failed")

    with pytest.raises(RuntimeError, match="later in the request"):
        await post_then_fail()

    assert await socket.receive_nothing(timeout=0.5)
    assert not await Idea.objects.aexists()
    await socket.disconnect()


async def test_push_retried_post_is_pushed_once(breakout, facilitator, attendee):
    socket = await _socket(breakout.pk, facilitator)
    assert (await socket.connect())[0]
    token = uuid.uuid4()

    @database_sync_to_async
    def post_twice():
        for _ in range(2):
            services.post_idea(breakout=breakout, author=attendee, text="Once", client_token=token)

    await post_twice()

    assert "Once" in await socket.receive_from(timeout=3)
    assert await socket.receive_nothing(timeout=0.5)
    await socket.disconnect()


async def test_socket_anonymous_is_refused(breakout):
    socket = await _socket(breakout.pk)

    connected, code = await socket.connect()

    assert not connected
    assert code == CLOSE_FORBIDDEN
    await socket.disconnect()


@pytest.fixture(params=["other_member", "outsider"])
def non_member(request):
    return request.getfixturevalue(request.param)


async def test_socket_non_member_is_refused(breakout, non_member):
    socket = await _socket(breakout.pk, non_member)

    connected, code = await socket.connect()

    assert not connected
    assert code == CLOSE_FORBIDDEN
    await socket.disconnect()


async def test_socket_missing_breakout_is_refused(breakout, attendee):
    socket = await _socket(breakout.pk + 999, attendee)

    connected, _ = await socket.connect()

    assert not connected
    await socket.disconnect()


async def test_socket_from_another_origin_is_refused(breakout, facilitator):
    socket = await socket_for(
        f"/ws/breakouts/{breakout.pk}/", facilitator, origin=b"https://evil.example"
    )

    connected, _ = await socket.connect()

    assert not connected
    await socket.disconnect()


async def test_socket_message_from_a_screen_closes_it(breakout, facilitator):
    socket = await _socket(breakout.pk, facilitator)
    assert (await socket.connect())[0]

    await socket.send_to(text_data='{"text": "<b>sneaky</b>"}')

    output = await socket.receive_output(timeout=2)
    assert output == {"type": "websocket.close", "code": CLOSE_UNEXPECTED_MESSAGE}
    assert not await Idea.objects.aexists()
    await socket.disconnect()


async def test_push_skips_the_database_hop_that_connecting_takes(breakout, attendee, monkeypatch):
    hops: list[str] = []
    real_close = channels.consumer.aclose_old_connections

    async def counted():
        hops.append("hop")
        await real_close()

    monkeypatch.setattr("channels.consumer.aclose_old_connections", counted)
    socket = await _socket(breakout.pk, attendee)
    assert (await socket.connect())[0]
    on_connect = len(hops)

    await sync_to_async(_post_over_http)(attendee, breakout, "Pool the budgets")
    html = await socket.receive_from(timeout=3)

    assert "Pool the budgets" in html
    assert on_connect == 1
    assert len(hops) == on_connect, "a push went through the database hop"
    await socket.disconnect()
