from __future__ import annotations

from channels.db import database_sync_to_async
from django.core.exceptions import PermissionDenied
from django.http import Http404

from plenary.access import get_plenary_by_screen_key, get_plenary_for
from plenary.room import (
    ATTENDEES,
    FACILITATORS,
    SCREEN,
    moderators_group,
    plenary_group,
    screen_key_group,
)
from summit.live import CLOSE_FORBIDDEN, HtmlPushConsumer, participant_group
from summit.synthesis.live import theme_screens_group


class PlenaryConsumer(HtmlPushConsumer):
    """A plenary screen of a person: an attendee's phone or a facilitator's console. An
    attendee named as a moderator also hears the questions that await review."""

    async def connect(self) -> None:
        slug = self.scope["url_route"]["kwargs"]["slug"]
        try:
            access = await database_sync_to_async(get_plenary_for)(self.scope["user"], slug)
        except (PermissionDenied, Http404):
            await self.close(code=CLOSE_FORBIDDEN)
            return
        plenary_id = access.plenary.pk
        audience = FACILITATORS if access.can_facilitate else ATTENDEES
        groups = [plenary_group(plenary_id, audience), participant_group(access.participant.pk)]
        if access.can_moderate and not access.can_facilitate:
            groups.append(moderators_group(plenary_id))
        await self.join(*groups)


class PlenaryScreenConsumer(HtmlPushConsumer):
    """The plenary's big screen, opened by its unguessable link rather than by a person. It
    hears the summit's themes across rooms too, to keep one it shows current."""

    async def connect(self) -> None:
        key = self.scope["url_route"]["kwargs"]["key"]
        plenary = await database_sync_to_async(get_plenary_by_screen_key)(key)
        if plenary is None:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        await self.join(
            plenary_group(plenary.pk, SCREEN),
            screen_key_group(key),
            theme_screens_group(plenary.summit_id),
        )
