"""The audit log: every facilitator's and organiser's action, written in the same
transaction as the action itself, so the log and what happened never disagree."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping

from django.conf import settings
from django.db import models
from django.utils import translation

from accounts.models import AuditEntry, Participant

DETAIL_MAX_LENGTH = 500


def _plain(value):
    """A value as the log keeps it: numbers and words, never a whole object."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (list, tuple, set, models.QuerySet)):
        return [_plain(v) for v in value]
    if isinstance(value, (uuid.UUID, dt.date, dt.datetime, dt.time)):
        return str(value)
    if isinstance(value, str):
        return value[:DETAIL_MAX_LENGTH]
    return value


def log_action(
    actor: Participant, action: str, *, place: str = "", detail: Mapping | None = None
) -> AuditEntry:
    """Record that ``actor`` did ``action`` (in words, "Hid an idea") in ``place``.

    The actor's name is kept in the source language, as the action is, whichever language
    the person acting reads."""
    with translation.override(settings.LANGUAGE_CODE):
        actor_name = actor.attribution
    return AuditEntry.objects.create(
        summit_id=actor.summit_id,
        actor=actor,
        actor_name=actor_name,
        action=action,
        place=place,
        detail={
            key: _plain(value)
            for key, value in (detail or {}).items()
            if key not in {"client_token", "view"}
        },
    )


def detail_items(detail: Mapping) -> list[tuple[str, object]]:
    """An entry's details as people read them ("idea", not "idea_id"), in the order of their
    names, the same on every database (PostgreSQL's JSON keeps no order of its own)."""
    named = ((key.removesuffix("_id").replace("_", " "), value) for key, value in detail.items())
    return sorted(named, key=lambda pair: pair[0])
