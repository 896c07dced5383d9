"""The sockets of the pages after the day: each follows the summit's follow-up actions, whose
status ``breakouts.actions`` pushes to ``actions_group`` as organisers change it. Both only
listen: the status tags they receive name nobody."""

from __future__ import annotations

from channels.db import database_sync_to_async
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.access import get_participant_for
from breakouts.actions import actions_group
from summit.live import CLOSE_FORBIDDEN, HtmlPushConsumer
from summit.organise.after import public_group, summit_by_public_key


class WhatWeDidConsumer(HtmlPushConsumer):
    """A participant's "what we did" page: anyone in the summit."""

    async def connect(self) -> None:
        slug = self.scope["url_route"]["kwargs"]["slug"]
        try:
            participant = await database_sync_to_async(get_participant_for)(
                self.scope["user"], slug
            )
        except (PermissionDenied, Http404):
            await self.close(code=CLOSE_FORBIDDEN)
            return
        await self.join(actions_group(participant.summit_id))


class PublicSummaryConsumer(HtmlPushConsumer):
    """The public summary, opened by its unguessable link while it is published, and closed
    when the link is withdrawn."""

    async def connect(self) -> None:
        key = self.scope["url_route"]["kwargs"]["key"]
        summit = await database_sync_to_async(summit_by_public_key)(key)
        if summit is None:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        await self.join(actions_group(summit.pk), public_group(key))
