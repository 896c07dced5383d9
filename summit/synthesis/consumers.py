"""The synthesis page's socket: it only listens, for the signal to fetch its board again, sent
when a theme or a mapping changes and when any breakout of the subtheme changes its work."""

from __future__ import annotations

from channels.db import database_sync_to_async
from django.core.exceptions import PermissionDenied
from django.http import Http404

from breakouts.board import subtheme_work_group
from summit.live import CLOSE_FORBIDDEN, HtmlPushConsumer, participant_group
from summit.synthesis.access import get_subtheme_for, get_synthesis_for
from summit.synthesis.live import synthesis_group


def _subtheme_access(user, slug: str, subtheme_id: int) -> tuple[int, int]:
    access = get_synthesis_for(user, slug)
    return get_subtheme_for(access, subtheme_id).pk, access.participant.pk


class SynthesisConsumer(HtmlPushConsumer):
    """A synthesis page of one subtheme: organisers, leads and the summit's facilitators."""

    async def connect(self) -> None:
        kwargs = self.scope["url_route"]["kwargs"]
        try:
            subtheme_id, participant_id = await database_sync_to_async(_subtheme_access)(
                self.scope["user"], kwargs["slug"], kwargs["subtheme_id"]
            )
        except (PermissionDenied, Http404):
            await self.close(code=CLOSE_FORBIDDEN)
            return
        await self.join(
            synthesis_group(subtheme_id),
            subtheme_work_group(subtheme_id),
            participant_group(participant_id),
        )
