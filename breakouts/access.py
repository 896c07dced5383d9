"""Who may see or steer a breakout: the one place that decides, for views and consumers alike."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import Participant
from breakouts.models import Breakout

# The shape of a big-screen link's key (secrets.token_urlsafe): anything else is refused
# before it reaches the database.
SCREEN_KEY = re.compile(r"[A-Za-z0-9_-]{1,64}")


@dataclass(frozen=True)
class BreakoutAccess:
    breakout: Breakout
    participant: Participant
    can_facilitate: bool


def get_breakout_for(user, breakout_id: int, *, facilitate: bool = False) -> BreakoutAccess:
    """The breakout and the asker's part in it, or an exception.

    Raises ``Http404`` when the breakout does not exist or belongs to a summit the user is not
    part of (so outsiders cannot probe for it), and ``PermissionDenied`` when the user is in the
    summit but not in this breakout, or asks to facilitate without being its facilitator or an
    organiser.
    """
    if not user.is_authenticated:
        raise PermissionDenied
    try:  # get(), not first(): no ordering to work out on each request
        breakout = Breakout.objects.select_related("summit", "subtheme", "current_prompt").get(
            pk=breakout_id
        )
    except Breakout.DoesNotExist:
        raise Http404("No such breakout.") from None
    # The person, and whether they facilitate or belong to this breakout, in one query.
    found = list(
        Participant.objects.raw(
            _person_sql(), [breakout.pk, breakout.pk, user.pk, breakout.summit_id]
        )
    )
    if not found:  # a person is in a summit once
        raise Http404("No such breakout.")
    participant = found[0]
    can_facilitate = participant.is_organiser or participant.facilitates
    if facilitate and not can_facilitate:
        raise PermissionDenied
    if not can_facilitate and not participant.belongs:
        raise PermissionDenied
    return BreakoutAccess(breakout, participant, can_facilitate)


@functools.cache
def _person_sql() -> str:
    """The asker's active participant in the summit, with whether they facilitate and whether
    they belong to the breakout: written out once, since every request and socket asks it and
    Django took longer to build this query than to run it. Parameters: the breakout twice, the
    user, the summit. Only names from the models go into the text; every value is a parameter."""
    person = Participant._meta.db_table
    columns = ", ".join(f'"{person}"."{f.column}"' for f in Participant._meta.concrete_fields)
    has_row = (
        'EXISTS (SELECT 1 FROM "{0}" WHERE "{0}"."breakout_id" = %s'
        ' AND "{0}"."participant_id" = "{1}"."id")'
    )
    facilitates = has_row.format(Breakout.facilitators.through._meta.db_table, person)
    belongs = has_row.format(Breakout.members.through._meta.db_table, person)
    where = f'"{person}"."user_id" = %s AND "{person}"."summit_id" = %s'
    where += f' AND "{person}"."removed_at" IS NULL'
    select = f"SELECT {columns}, {facilitates} AS facilitates, {belongs} AS belongs"
    return f'{select} FROM "{person}" WHERE {where}'


def get_breakout_by_screen_key(key: str) -> Breakout | None:
    """The breakout whose big-screen link this is; ``None`` for any other string."""
    if not SCREEN_KEY.fullmatch(key):
        return None
    return (
        Breakout.objects.select_related("summit", "subtheme", "current_prompt")
        .filter(screen_key=key)
        .first()
    )
