"""Who may see or steer a breakout: the one place that decides, for views and consumers alike."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import connections, router
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
    if not 0 < breakout_id < 2**63:  # no row has it, and the database would refuse it
        raise Http404("No such breakout.")
    connection = connections[router.db_for_read(Breakout)]
    with connection.cursor() as cursor:
        cursor.execute(_access_sql(), [user.pk, breakout_id])
        row = cursor.fetchone()
    if row is None:  # no such breakout, or the asker is not in its summit
        raise Http404("No such breakout.")
    breakout, participant = _read_access_row(connection, row)
    can_facilitate = participant.is_organiser or participant.facilitates
    if facilitate and not can_facilitate:
        raise PermissionDenied
    if not can_facilitate and not participant.belongs:
        raise PermissionDenied
    return BreakoutAccess(breakout, participant, can_facilitate)


# What get_breakout_for reads in its one query: the breakout with these (as select_related
# would), then the asker's participant in its summit.
_RELATED = ("summit", "subtheme", "current_prompt")


def _parts() -> list[tuple[type, str]]:
    """Each model read, with the alias its table has in the query."""
    related = [Breakout._meta.get_field(name).related_model for name in _RELATED]
    return [(Breakout, "b"), *((m, f"r{n}") for n, m in enumerate(related)), (Participant, "p")]


@functools.cache
def _access_sql() -> str:
    """The breakout (with its summit, subtheme and current prompt), the asker's active
    participant in its summit, and whether they facilitate and belong to it: one query,
    written out once, since every request and socket asks it and Django took longer to build
    the two queries it was than to run them. Parameters: the user, the breakout. Only names
    from the models go into the text; every value is a parameter."""
    columns = ", ".join(
        f'"{alias}"."{field.column}"'
        for model, alias in _parts()
        for field in model._meta.concrete_fields
    )
    has_row = (
        'EXISTS (SELECT 1 FROM "{0}" WHERE "{0}"."breakout_id" = "b"."id"'
        ' AND "{0}"."participant_id" = "p"."id")'
    )
    facilitates = has_row.format(Breakout.facilitators.through._meta.db_table)
    belongs = has_row.format(Breakout.members.through._meta.db_table)
    joins = []
    for name, (model, alias) in zip(_RELATED, _parts()[1:-1], strict=True):
        field = Breakout._meta.get_field(name)
        kind = "LEFT OUTER JOIN" if field.null else "INNER JOIN"
        joins.append(
            f'{kind} "{model._meta.db_table}" "{alias}"'
            f' ON "{alias}"."{model._meta.pk.column}" = "b"."{field.column}"'
        )
    person = (
        f'INNER JOIN "{Participant._meta.db_table}" "p" ON "p"."summit_id" = "b"."summit_id"'
        ' AND "p"."user_id" = %s AND "p"."removed_at" IS NULL'
    )
    select = f"SELECT {columns}, {facilitates}, {belongs}"
    tables = f'"{Breakout._meta.db_table}" "b" {" ".join(joins)} {person}'
    return f'{select} FROM {tables} WHERE "b"."{Breakout._meta.pk.column}" = %s'


@functools.cache
def _converters(alias: str) -> list[tuple[type, list[tuple]]]:
    """For each model read, its fields with the database's converters for them (what Django
    applies to the values it reads, such as SQLite's dates, which come back as text)."""
    connection = connections[alias]
    parts = []
    for model, table_alias in _parts():
        fields = []
        for field in model._meta.concrete_fields:
            column = field.get_col(table_alias)
            found = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
            fields.append((column, found))
        parts.append((model, fields))
    return parts


def _read_access_row(connection, row) -> tuple[Breakout, Participant]:
    """The breakout (its related objects cached on it, as select_related leaves them) and
    the participant, from a row of ``_access_sql``."""
    values = iter(row)
    made = []
    for model, fields in _converters(connection.alias):
        read = []
        for column, converters in fields:
            value = next(values)
            for converter in converters:
                value = converter(value, column, connection)
            read.append(value)
        made.append(None if read[0] is None else model.from_db(connection.alias, None, read))
    breakout, *related, participant = made
    for name, instance in zip(_RELATED, related, strict=True):
        Breakout._meta.get_field(name).set_cached_value(breakout, instance)
    participant.facilitates, participant.belongs = (bool(value) for value in values)
    return breakout, participant


def get_breakout_by_screen_key(key: str) -> Breakout | None:
    """The breakout whose big-screen link this is; ``None`` for any other string."""
    if not SCREEN_KEY.fullmatch(key):
        return None
    return (
        Breakout.objects.select_related("summit", "subtheme", "current_prompt")
        .filter(screen_key=key)
        .first()
    )
