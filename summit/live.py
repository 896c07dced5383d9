"""Pushing server-rendered HTML to screens over the channel layer.

Every screen kind has a consumer that joins groups on connect; a service, once its write has
committed, renders each fragment once per audience and sends it to that audience's group.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from asgiref.sync import async_to_sync
from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)

# Close codes for refusals, in the 4000 range WebSocket leaves to applications. The htmx
# extension reconnects only after abnormal closures, so a refused screen does not retry.
CLOSE_FORBIDDEN = 4403
CLOSE_UNEXPECTED_MESSAGE = 4400


def participant_group(participant_id: int) -> str:
    """Every open screen of one person, so that removing them closes what they have open."""
    return f"participant-{participant_id}"


def close_screens(participant_id: int) -> None:
    """Close every screen the person has open; they are refused when they reconnect."""
    close_group(participant_group(participant_id))


def close_group(group: str) -> None:
    """Close every screen in the group."""
    layer = get_channel_layer()
    async_to_sync(layer.group_send)(group, {"type": "screen.close"})


def push(fragments: Iterable[tuple[str, str]]) -> None:
    """Send each ``(group, html)`` pair to every screen in the group.

    Called from ``transaction.on_commit(..., robust=True)`` so that a channel layer outage is
    logged without failing a write that has already committed: screens catch up on reconnect.
    """
    layer = get_channel_layer()

    async def send_all() -> None:
        for group, html in fragments:
            await layer.group_send(group, {"type": "push.html", "html": html})

    async_to_sync(send_all)()


# Messages from the channel layer that a screen only writes through: they touch no database.
PUSHES = frozenset({"push.html", "screen.close"})


class HtmlPushConsumer(AsyncWebsocketConsumer):
    """A screen that listens: it joins its groups on connect and writes pushed HTML through."""

    groups_joined: list[str]

    async def dispatch(self, message: dict) -> None:
        # Channels closes stale database connections before every message, a hop through
        # the one sync thread for each screen: a push touches no database, so it goes
        # straight to its handler. Connecting and disconnecting still take that path.
        if message["type"] in PUSHES:
            await getattr(self, get_handler_name(message))(message)
        else:
            await super().dispatch(message)

    async def join(self, *groups: str) -> None:
        self.groups_joined = list(groups)
        for group in groups:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None) -> None:
        # Screens only listen; people act over HTTP, where forms are validated and CSRF-checked.
        logger.info("Closing a screen that sent a message: %s", self.scope["path"])
        await self.close(code=CLOSE_UNEXPECTED_MESSAGE)

    async def push_html(self, event: dict) -> None:
        await self.send(text_data=event["html"])

    async def screen_close(self, event: dict) -> None:
        await self.close(code=CLOSE_FORBIDDEN)
