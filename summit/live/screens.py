"""The consumers every screen is made of: one that listens for pushes through the process's
hub, and one that refuses an address no screen has."""

from __future__ import annotations

import logging

from asgiref.sync import sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.layers import get_channel_layer
from django.conf import settings

from summit.live.codes import CLOSE_NOT_FOUND, CLOSE_UNEXPECTED_MESSAGE
from summit.live.fast import socket_writers
from summit.live.hub import hub_for
from summit.live.languages import for_scope, group_in, joined

logger = logging.getLogger("summit.live")


class NoSuchScreen(AsyncWebsocketConsumer):
    """A socket address that no screen has (a mistyped or made-up link): refused plainly,
    rather than left to fail as a routing error."""

    async def connect(self) -> None:
        await self.close(code=CLOSE_NOT_FOUND)


class HtmlPushConsumer(AsyncWebsocketConsumer):
    """A screen that listens: it joins its groups through the process's hub on connect, and
    the hub writes pushed HTML to its socket, straight on the fast path and through Channels'
    own send on the plain one."""

    # No channel of its own on the layer: the hub holds the one channel of this process.
    channel_layer_alias = None
    groups_joined: tuple[str, ...] = ()
    write_frame = None
    language = ""

    async def join(self, *groups: str) -> None:
        """Join ``groups`` in the language of the page this screen was opened from."""
        self.language = for_scope(self.scope)
        if self.language != settings.LANGUAGE_CODE:
            await sync_to_async(joined, thread_sensitive=False)(groups, self.language)
        await self._join_groups(*[group_in(group, self.language) for group in groups])

    async def _join_groups(self, *groups: str) -> None:
        # Which path this screen takes is settled here, once, so the hub's write loop pays
        # nothing for it; and before joining, since a push may come while the later groups are
        # joined.
        fast = socket_writers(self.scope)
        if fast is None:
            self.push_send, self.write_frame = self.send_through_channels, None
        else:
            self.push_send, self.write_frame = fast
        hub = hub_for(get_channel_layer())
        try:
            await hub.join(self, groups)
        except Exception:
            # Refused before accepting: the browser sees an abnormal closure and retries.
            logger.warning("Screen refused for now: the channel layer is unreachable")
            await hub.leave(self, groups)
            await self.close()
            return
        self.hub, self.groups_joined = hub, groups
        await self.accept()

    async def send_through_channels(self, message: dict) -> None:
        """The plain path: Channels' own send, through the ASGI middleware to the server."""
        await self.send(text_data=message["text"])

    async def disconnect(self, code: int) -> None:
        if self.groups_joined:
            await self.hub.leave(self, self.groups_joined)

    async def receive(self, text_data=None, bytes_data=None) -> None:
        # Screens only listen; people act over HTTP, where forms are validated and CSRF-checked.
        logger.info("Closing a screen that sent a message: %s", self.scope["path"])
        await self.close(code=CLOSE_UNEXPECTED_MESSAGE)
