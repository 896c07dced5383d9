"""Reading a design file's parts: the format's fixed words and sizes, and ``Part``, which
reads one object of the file key by key and refuses a wrong value with where it is.
``summit.event.design_check`` reads a whole file with it."""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.db import models
from django.utils.translation import gettext as _

from summit.event.models import DOT_BUDGET_RANGE, SUPERMAJORITY_RANGE
from summit.event.refusals import Refused

FORMAT = "summit-design"
VERSION = 1

# Caps that keep one file from filling the database: no summit needs more.
MAX_ITEMS = 200
MAX_OPTIONS = 100
MAX_BREAKOUTS = 50
# Text fields without a length of their own in the database get one here.
QUESTION_LENGTH = 5000
PROSE_LENGTH = 20000
MARKDOWN_LENGTH = 20_000  # as the editor and the settings page allow
DOT_BUDGET = DOT_BUDGET_RANGE
SUPERMAJORITY = SUPERMAJORITY_RANGE
TIME_ZONE_LENGTH = 64

# The run sheet's own words. The plenary's models hold the same (a test compares them): the
# file format is fixed within its version whatever the models grow.
POLL_KINDS = ("choice", "scale", "ranking", "words", "text", "consensus")
KINDS_WITH_OPTIONS = frozenset({"choice", "scale", "ranking"})
POLL_SOURCES = ("", "assumptions", "obstacles")
POLL_QUESTION_LENGTH = 300
OPTION_LENGTH = 1000
BREAKOUT_NAME_LENGTH = 120
# Working assumptions and obstacles become the options of the polls that test them.
STATEMENT_LENGTH = OPTION_LENGTH

TOP_KEYS = (
    "$schema",
    "format",
    "version",
    "summit",
    "sectors",
    "subthemes",
    "areas",
    "assumptions",
    "obstacles",
    "agenda",
    "pre_reading",
    "materials",
    "run_sheet",
)

TIME = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
SLUG = re.compile(r"[-a-zA-Z0-9_]*")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
LINE_BREAK = re.compile(r"[\n\r\t]")


def limit(model: type[models.Model], name: str) -> int:
    return model._meta.get_field(name).max_length


@cache
def time_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def known_time_zone(value) -> bool:
    """Whether ``value`` names a time zone this installation knows, listed or loadable."""
    if not isinstance(value, str) or not 0 < len(value) <= TIME_ZONE_LENGTH:
        return False
    if value in time_zones():
        return True
    try:
        ZoneInfo(value)
    except (ValueError, ZoneInfoNotFoundError):
        return False
    return True


# The key of a text's Welsh version: its own key with this on the end, as the models name it.
WELSH = "_cy"


def field_name(key: str) -> str:
    if key.endswith(WELSH):
        return _("%(field)s in Welsh") % {"field": field_name(key.removesuffix(WELSH))}
    nouns = {
        "title": _("title"),
        "central_question": _("central question"),
        "question": _("question"),
        "text": _("text"),
        "body": _("text"),
        "name": _("name"),
        "key": _("key"),
        "kind": _("kind"),
        "starts_at": _("start time"),
        "ends_at": _("end time"),
        "description": _("description"),
        "url": _("link"),
        "note": _("note"),
        "date": _("date"),
        "time_zone": _("time zone"),
        "privacy_contact": _("privacy contact"),
        "retain_personal_data_until": _("date personal data is kept until"),
        "dot_budget": _("dot budget"),
        "supermajority": _("supermajority"),
        "subtheme": _("subtheme"),
        "agenda_item": _("agenda item"),
        "baseline": _("baseline"),
        "source": _("source"),
        "options": _("options"),
        "breakouts": _("breakouts"),
        "summit": _("summit"),
        "sectors": _("sectors"),
        "subthemes": _("subthemes"),
        "areas": _("areas"),
        "assumptions": _("working assumptions"),
        "obstacles": _("obstacles"),
        "agenda": _("agenda"),
        "pre_reading": _("pre-reading"),
        "materials": _("materials"),
        "run_sheet": _("run sheet"),
    }
    return nouns.get(key) or f"“{key}”"


class Part:
    """One object of the file: its keys read one at a time, each checked, each problem
    refused with where it is."""

    def __init__(self, value, where: str, keys: tuple[str, ...]) -> None:
        self.where = where
        if not isinstance(value, dict):
            raise self.refused(_("must be an object of named fields, in braces"), noun=False)
        for key in value:
            if key not in keys:
                shown = key if len(key) <= 40 else f"{key[:40]}…"
                raise self.refused(
                    _("“%(key)s” is not part of a design file") % {"key": shown}, noun=False
                )
        self.value = value

    def refused(self, problem: str, key: str = "", *, noun: bool = True) -> Refused:
        if noun:
            problem = _("the %(what)s %(problem)s") % {"what": field_name(key), "problem": problem}
        return Refused(f"{self.where}: {problem}")

    def text(self, key: str, limit: int, *, required: bool = False, line: bool = False) -> str:
        if key not in self.value:
            if required:
                raise self.refused(_("is missing"), key)
            return ""
        value = self.value[key]
        if not isinstance(value, str):
            raise self.refused(_("must be text, in quotes"), key)
        if required and not value.strip():
            raise self.refused(_("is empty"), key)
        if len(value) > limit:
            raise self.refused(_("must be %(limit)d characters or fewer") % {"limit": limit}, key)
        if CONTROL.search(value) or (line and LINE_BREAK.search(value)):
            raise self.refused(_("holds a control character or line break it may not"), key)
        return value

    def flag(self, key: str, default: bool) -> bool:
        value = self.value.get(key, default)
        if not isinstance(value, bool):
            raise self.refused(_("must be true or false"), key)
        return value

    def number(self, key: str, low: int, high: int, default: int) -> int:
        value = self.value.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.refused(_("must be a whole number"), key)
        if not low <= value <= high:
            raise self.refused(
                _("must be from %(low)d to %(high)d") % {"low": low, "high": high}, key
            )
        return value

    def choice(self, key: str, choices, *, default: str | None = None) -> str:
        if key not in self.value and default is None:
            raise self.refused(_("is missing"), key)
        value = self.value.get(key, default)
        if not isinstance(value, str) or value not in choices:
            listed = ", ".join(f"“{c}”" for c in choices)
            raise self.refused(_("must be one of %(listed)s") % {"listed": listed}, key)
        return value

    def time(self, key: str) -> str | None:
        value = self.value.get(key)
        if value is not None and not (isinstance(value, str) and TIME.fullmatch(value)):
            raise self.refused(_("must look like 09:30, or be null"), key)
        return value

    def date(self, key: str) -> str | None:
        value = self.value.get(key)
        if value is None:
            return None
        try:
            if not (isinstance(value, str) and DATE.fullmatch(value)):
                raise ValueError
            dt.date.fromisoformat(value)
        except ValueError:
            raise self.refused(_("must be a real date like 2026-03-05, or be null"), key) from None
        return value

    def position(self, key: str, size: int, plural: str) -> int | None:
        """A 1-based place in another list of the file, or ``None``."""
        value = self.value.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= size:
            raise self.refused(
                _("must be the number of one of the %(size)d %(plural)s, or null")
                % {"size": size, "plural": plural},
                key,
            )
        return value

    def items(self, key: str, cap: int) -> list:
        value = self.value.get(key, [])
        if not isinstance(value, list):
            raise self.refused(_("must be a list, in square brackets"), key)
        if len(value) > cap:
            raise self.refused(
                _("may hold at most %(cap)d entries, not %(count)d")
                % {"cap": cap, "count": len(value)},
                key,
            )
        return value
