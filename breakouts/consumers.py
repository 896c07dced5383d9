from __future__ import annotations

from channels.db import database_sync_to_async
from django.core.exceptions import PermissionDenied
from django.http import Http404

from breakouts.access import get_breakout_by_screen_key, get_breakout_for
from breakouts.board import FACILITATORS, MEMBERS, SCREEN, breakout_group, screen_key_group
from summit.live import CLOSE_FORBIDDEN, HtmlPushConsumer, participant_group


class BreakoutConsumer(HtmlPushConsumer):
    """A breakout screen: the facilitator's console or a member's page."""

    async def connect(self) -> None:
        breakout_id = self.scope["url_route"]["kwargs"]["breakout_id"]
        try:
            access = await database_sync_to_async(get_breakout_for)(self.scope["user"], breakout_id)
        except (PermissionDenied, Http404):
            await self.close(code=CLOSE_FORBIDDEN)
            return
        audience = FACILITATORS if access.can_facilitate else MEMBERS
        await self.join(
            breakout_group(breakout_id, audience), participant_group(access.participant.pk)
        )


class BreakoutScreenConsumer(HtmlPushConsumer):
    """A breakout's big screen, opened by its unguessable link rather than by a person."""

    async def connect(self) -> None:
        key = self.scope["url_route"]["kwargs"]["key"]
        breakout = await database_sync_to_async(get_breakout_by_screen_key)(key)
        if breakout is None:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        await self.join(breakout_group(breakout.pk, SCREEN), screen_key_group(key))
