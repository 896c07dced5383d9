"""Checking a design file before any of it is written.

A design file comes from anywhere: an upload, a command line, a parsed stimulus document. Each
part is read key by key, so a file with a mistake is refused with a message naming the place
(``Agenda item 3: the start time must look like 09:30``) rather than failing half-way through
the writing, and nothing unknown gets through. The published JSON Schema
(``data/design-v1.schema.json``) says the same in its own language; a test holds the two to
each other.

What comes back is the file's content with every optional key filled in, ready to write: a
Welsh version left out is empty. The run sheet is read in ``summit.event.design_check_polls``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext as _

from summit.event.design_check_polls import run_sheet
from summit.event.design_reading import (
    BREAKOUT_NAME_LENGTH,
    CONTROL,
    DOT_BUDGET,
    FORMAT,
    LINE_BREAK,
    MARKDOWN_LENGTH,
    MAX_BREAKOUTS,
    MAX_ITEMS,
    PROSE_LENGTH,
    QUESTION_LENGTH,
    SLUG,
    STATEMENT_LENGTH,
    SUPERMAJORITY,
    TOP_KEYS,
    VERSION,
    Part,
    known_time_zone,
    limit,
)
from summit.event.models import AgendaItem, Material, Sector, Subtheme, Summit
from summit.event.refusals import Refused


def check_design(data) -> dict:
    """The design ``data`` checked, with every optional key filled in; refused (``Refused``,
    its message naming the place) at the first thing wrong. ``run_sheet`` stays ``None`` when
    the file has none, and ``sectors`` when it leaves the defaults be."""
    if not isinstance(data, dict):
        raise Refused(_("A design file must be one object of named fields, in braces"))
    if data.get("format") != FORMAT:
        raise Refused(
            _('This is not a design file: it must say "format": "%(format)s"') % {"format": FORMAT}
        )
    if data.get("version") != VERSION or isinstance(data.get("version"), bool):
        raise Refused(
            _(
                "This design file is of a version this installation cannot read: it must say "
                '"version": %(version)d'
            )
            % {"version": VERSION}
        )
    top = Part(data, _("The design file"), TOP_KEYS)
    top.text("$schema", 2000, line=True)
    if "summit" not in data:
        raise top.refused(_("is missing"), "summit")
    summit = _summit(data["summit"])
    subthemes = _subthemes(top)
    agenda = _agenda(top)
    return {
        "format": FORMAT,
        "version": VERSION,
        "summit": summit,
        "sectors": _sectors(top),
        "subthemes": subthemes,
        "areas": _areas(top, len(subthemes)),
        "assumptions": _statements(top, "assumptions", _("Working assumption %(n)d")),
        "obstacles": _statements(top, "obstacles", _("Obstacle %(n)d")),
        "agenda": agenda,
        "pre_reading": _pre_reading(top),
        "materials": _materials(top),
        "run_sheet": run_sheet(top, len(agenda)) if "run_sheet" in data else None,
    }


def _summit(value) -> dict:
    part = Part(value, _("The summit"), SUMMIT_KEYS)
    summit = {
        "slug": part.text("slug", limit(Summit, "slug"), line=True),
        "title": part.text("title", limit(Summit, "title"), required=True, line=True),
        "title_cy": part.text("title_cy", limit(Summit, "title_cy"), line=True),
        "convener": part.text("convener", limit(Summit, "convener"), line=True),
        "central_question": part.text("central_question", QUESTION_LENGTH),
        "central_question_cy": part.text("central_question_cy", QUESTION_LENGTH),
        "summary": part.text("summary", PROSE_LENGTH),
        "summary_cy": part.text("summary_cy", PROSE_LENGTH),
        "welcome": part.text("welcome", MARKDOWN_LENGTH),
        "welcome_cy": part.text("welcome_cy", MARKDOWN_LENGTH),
        "date": part.date("date"),
        "venue": part.text("venue", limit(Summit, "venue"), line=True),
        "time_zone": part.value.get("time_zone", "Europe/London"),
        "dot_budget": part.number("dot_budget", *DOT_BUDGET, default=5),
        "supermajority": part.number("supermajority", *SUPERMAJORITY, default=75),
        "allow_anonymous": part.flag("allow_anonymous", True),
        "attendees_choose_breakout": part.flag("attendees_choose_breakout", False),
        "privacy_contact": part.text("privacy_contact", limit(Summit, "privacy_contact")),
        "retain_personal_data_until": part.date("retain_personal_data_until"),
    }
    if not SLUG.fullmatch(summit["slug"]):
        raise part.refused(_("may hold only letters, digits, hyphens and underscores"), "slug")
    if not known_time_zone(summit["time_zone"]):
        raise part.refused(_("must be a time zone like “Europe/London”"), "time_zone")
    if summit["privacy_contact"]:
        try:
            validate_email(summit["privacy_contact"])
        except ValidationError:
            raise part.refused(_("must be an email address"), "privacy_contact") from None
    return summit


SUMMIT_KEYS = (
    "slug",
    "title",
    "title_cy",
    "convener",
    "central_question",
    "central_question_cy",
    "summary",
    "summary_cy",
    "welcome",
    "welcome_cy",
    "date",
    "venue",
    "time_zone",
    "dot_budget",
    "supermajority",
    "allow_anonymous",
    "attendees_choose_breakout",
    "privacy_contact",
    "retain_personal_data_until",
)


def _sectors(top: Part) -> list[dict] | None:
    if "sectors" not in top.value:
        return None
    rows, keys = [], set()
    for n, value in enumerate(top.items("sectors", MAX_ITEMS), start=1):
        part = Part(value, _("Sector %(n)d") % {"n": n}, ("key", "name", "name_cy", "retired"))
        row = {
            "key": part.text("key", limit(Sector, "key"), required=True, line=True),
            "name": part.text("name", limit(Sector, "name"), required=True, line=True),
            "name_cy": part.text("name_cy", limit(Sector, "name_cy"), line=True),
            "retired": part.flag("retired", False),
        }
        if not SLUG.fullmatch(row["key"]):
            raise part.refused(_("may hold only letters, digits, hyphens and underscores"), "key")
        if row["key"] in keys:
            raise part.refused(_("“%(key)s” is used twice") % {"key": row["key"]}, "key")
        keys.add(row["key"])
        rows.append(row)
    if not any(not row["retired"] for row in rows):
        raise top.refused(_("must hold at least one sector that is not retired"), "sectors")
    return rows


SUBTHEME_KEYS = ("title", "title_cy", "question", "question_cy", "retired", "breakouts")


def _subthemes(top: Part) -> list[dict]:
    rows, names = [], set()
    for n, value in enumerate(top.items("subthemes", MAX_ITEMS), start=1):
        part = Part(value, _("Subtheme %(n)d") % {"n": n}, SUBTHEME_KEYS)
        breakouts = part.items("breakouts", MAX_BREAKOUTS)
        for name in breakouts:
            if not isinstance(name, str) or not name.strip() or CONTROL.search(name):
                raise part.refused(_("must each be a name, in quotes"), "breakouts")
            if len(name) > BREAKOUT_NAME_LENGTH or LINE_BREAK.search(name):
                raise part.refused(
                    _("must each be one line of %(limit)d characters or fewer")
                    % {"limit": BREAKOUT_NAME_LENGTH},
                    "breakouts",
                )
            if name.casefold() in names:
                raise part.refused(
                    _("name “%(name)s” twice: each breakout needs a name of its own")
                    % {"name": name},
                    "breakouts",
                )
            names.add(name.casefold())
        rows.append(
            {
                "title": part.text("title", limit(Subtheme, "title"), required=True, line=True),
                "title_cy": part.text("title_cy", limit(Subtheme, "title_cy"), line=True),
                "question": part.text("question", QUESTION_LENGTH, required=True),
                "question_cy": part.text("question_cy", QUESTION_LENGTH),
                "retired": part.flag("retired", False),
                "breakouts": breakouts,
            }
        )
    return rows


def _areas(top: Part, subthemes: int) -> list[dict]:
    rows = []
    for n, value in enumerate(top.items("areas", MAX_ITEMS), start=1):
        part = Part(value, _("Area %(n)d") % {"n": n}, ("text", "text_cy", "subtheme", "retired"))
        rows.append(
            {
                "text": part.text("text", QUESTION_LENGTH, required=True),
                "text_cy": part.text("text_cy", QUESTION_LENGTH),
                "subtheme": part.position("subtheme", subthemes, _("subthemes")),
                "retired": part.flag("retired", False),
            }
        )
    return rows


def _statements(top: Part, key: str, where: str) -> list[dict]:
    rows = []
    for n, value in enumerate(top.items(key, MAX_ITEMS), start=1):
        part = Part(value, where % {"n": n}, ("text", "text_cy"))
        rows.append(
            {
                "text": part.text("text", STATEMENT_LENGTH, required=True),
                "text_cy": part.text("text_cy", STATEMENT_LENGTH),
            }
        )
    return rows


def _agenda(top: Part) -> list[dict]:
    rows = []
    keys = ("kind", "title", "title_cy", "starts_at", "ends_at", "description", "description_cy")
    for n, value in enumerate(top.items("agenda", MAX_ITEMS), start=1):
        part = Part(value, _("Agenda item %(n)d") % {"n": n}, keys)
        rows.append(
            {
                "kind": part.choice("kind", AgendaItem.Kind.values),
                "title": part.text("title", limit(AgendaItem, "title"), required=True, line=True),
                "title_cy": part.text("title_cy", limit(AgendaItem, "title_cy"), line=True),
                "starts_at": part.time("starts_at"),
                "ends_at": part.time("ends_at"),
                "description": part.text("description", PROSE_LENGTH),
                "description_cy": part.text("description_cy", PROSE_LENGTH),
            }
        )
    return rows


def _pre_reading(top: Part) -> list[dict]:
    rows = []
    for n, value in enumerate(top.items("pre_reading", MAX_ITEMS), start=1):
        keys = ("title", "title_cy", "body", "body_cy")
        part = Part(value, _("Pre-reading section %(n)d") % {"n": n}, keys)
        rows.append(
            {
                "title": part.text("title", limit(Material, "title"), required=True, line=True),
                "title_cy": part.text("title_cy", limit(Material, "title_cy"), line=True),
                "body": part.text("body", MARKDOWN_LENGTH),
                "body_cy": part.text("body_cy", MARKDOWN_LENGTH),
            }
        )
    return rows


def _materials(top: Part) -> list[dict]:
    rows = []
    links = URLValidator(schemes=["http", "https"])
    for n, value in enumerate(top.items("materials", MAX_ITEMS), start=1):
        keys = ("title", "title_cy", "url", "note", "note_cy")
        part = Part(value, _("Material %(n)d") % {"n": n}, keys)
        row = {
            "title": part.text("title", limit(Material, "title"), required=True, line=True),
            "title_cy": part.text("title_cy", limit(Material, "title_cy"), line=True),
            "url": part.text("url", limit(Material, "url"), line=True),
            "note": part.text("note", PROSE_LENGTH),
            "note_cy": part.text("note_cy", PROSE_LENGTH),
        }
        if row["url"]:
            try:
                links(row["url"])
            except ValidationError:
                raise part.refused(
                    _("must be a web address starting https:// or http://"), "url"
                ) from None
        rows.append(row)
    return rows
