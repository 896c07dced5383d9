"""Checking a design file before any of it is written.

A design file comes from anywhere: an upload, a command line, a parsed stimulus document. Each
part is read key by key, so a file with a mistake is refused with a message naming the place
(``Agenda item 3: the start time must look like 09:30``) rather than failing half-way through
the writing, and nothing unknown gets through. The published JSON Schema
(``data/design-v1.schema.json``) says the same in its own language; a test holds the two to
each other.

What comes back is the file's content with every optional key filled in, ready to write.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext as _

from summit.event.design_reading import (
    BREAKOUT_NAME_LENGTH,
    CONTROL,
    DOT_BUDGET,
    FORMAT,
    KINDS_WITH_OPTIONS,
    LINE_BREAK,
    MARKDOWN_LENGTH,
    MAX_BREAKOUTS,
    MAX_ITEMS,
    MAX_OPTIONS,
    OPTION_LENGTH,
    POLL_KINDS,
    POLL_QUESTION_LENGTH,
    POLL_SOURCES,
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
        "run_sheet": _run_sheet(top, len(agenda)) if "run_sheet" in data else None,
    }


def _summit(value) -> dict:
    part = Part(value, _("The summit"), SUMMIT_KEYS)
    summit = {
        "slug": part.text("slug", limit(Summit, "slug"), line=True),
        "title": part.text("title", limit(Summit, "title"), required=True, line=True),
        "convener": part.text("convener", limit(Summit, "convener"), line=True),
        "central_question": part.text("central_question", QUESTION_LENGTH),
        "summary": part.text("summary", PROSE_LENGTH),
        "welcome": part.text("welcome", MARKDOWN_LENGTH),
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
    "convener",
    "central_question",
    "summary",
    "welcome",
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
        part = Part(value, _("Sector %(n)d") % {"n": n}, ("key", "name", "retired"))
        row = {
            "key": part.text("key", limit(Sector, "key"), required=True, line=True),
            "name": part.text("name", limit(Sector, "name"), required=True, line=True),
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


def _subthemes(top: Part) -> list[dict]:
    rows, names = [], set()
    for n, value in enumerate(top.items("subthemes", MAX_ITEMS), start=1):
        part = Part(
            value, _("Subtheme %(n)d") % {"n": n}, ("title", "question", "retired", "breakouts")
        )
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
                "question": part.text("question", QUESTION_LENGTH, required=True),
                "retired": part.flag("retired", False),
                "breakouts": breakouts,
            }
        )
    return rows


def _areas(top: Part, subthemes: int) -> list[dict]:
    rows = []
    for n, value in enumerate(top.items("areas", MAX_ITEMS), start=1):
        part = Part(value, _("Area %(n)d") % {"n": n}, ("text", "subtheme", "retired"))
        rows.append(
            {
                "text": part.text("text", QUESTION_LENGTH, required=True),
                "subtheme": part.position("subtheme", subthemes, _("subthemes")),
                "retired": part.flag("retired", False),
            }
        )
    return rows


def _statements(top: Part, key: str, where: str) -> list[dict]:
    return [
        {
            "text": Part(value, where % {"n": n}, ("text",)).text(
                "text", STATEMENT_LENGTH, required=True
            )
        }
        for n, value in enumerate(top.items(key, MAX_ITEMS), start=1)
    ]


def _agenda(top: Part) -> list[dict]:
    rows = []
    keys = ("kind", "title", "starts_at", "ends_at", "description")
    for n, value in enumerate(top.items("agenda", MAX_ITEMS), start=1):
        part = Part(value, _("Agenda item %(n)d") % {"n": n}, keys)
        rows.append(
            {
                "kind": part.choice("kind", AgendaItem.Kind.values),
                "title": part.text("title", limit(AgendaItem, "title"), required=True, line=True),
                "starts_at": part.time("starts_at"),
                "ends_at": part.time("ends_at"),
                "description": part.text("description", PROSE_LENGTH),
            }
        )
    return rows


def _pre_reading(top: Part) -> list[dict]:
    rows = []
    for n, value in enumerate(top.items("pre_reading", MAX_ITEMS), start=1):
        part = Part(value, _("Pre-reading section %(n)d") % {"n": n}, ("title", "body"))
        rows.append(
            {
                "title": part.text("title", limit(Material, "title"), required=True, line=True),
                "body": part.text("body", MARKDOWN_LENGTH),
            }
        )
    return rows


def _materials(top: Part) -> list[dict]:
    rows = []
    links = URLValidator(schemes=["http", "https"])
    for n, value in enumerate(top.items("materials", MAX_ITEMS), start=1):
        part = Part(value, _("Material %(n)d") % {"n": n}, ("title", "url", "note"))
        row = {
            "title": part.text("title", limit(Material, "title"), required=True, line=True),
            "url": part.text("url", limit(Material, "url"), line=True),
            "note": part.text("note", PROSE_LENGTH),
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


RUN_SHEET_KEYS = (
    "kind",
    "question",
    "options",
    "multiple",
    "allow_comment",
    "source",
    "agenda_item",
    "baseline",
    "ask_again",
)


def _run_sheet(top: Part, agenda: int) -> list[dict]:
    rows, parts = [], []
    values = top.items("run_sheet", MAX_ITEMS)
    for n, value in enumerate(values, start=1):
        part = Part(value, _("Run sheet poll %(n)d") % {"n": n}, RUN_SHEET_KEYS)
        row = {
            "kind": part.choice("kind", POLL_KINDS),
            "question": part.text("question", POLL_QUESTION_LENGTH, required=True, line=True),
            "options": part.items("options", MAX_OPTIONS),
            "multiple": part.flag("multiple", False),
            "allow_comment": part.flag("allow_comment", False),
            "source": part.choice("source", POLL_SOURCES, default=""),
            "agenda_item": part.position("agenda_item", agenda, _("agenda items")),
            "baseline": part.position("baseline", len(values), _("run sheet polls")),
        }
        _poll_rules(part, row)
        rows.append(row)
        parts.append(part)
    _rounds(rows, parts)
    return rows


def _rounds(rows: list[dict], parts: list[Part]) -> None:
    """Each closing round names the agreement scale it asks again, by its place in the run
    sheet, and takes that poll's statements; a poll has one closing round at most, and is
    marked as asked again (``ask_again``) when it has one unless the file says otherwise."""
    asked_again: dict[int, int] = {}
    for n, (row, part) in enumerate(zip(rows, parts, strict=True), start=1):
        first = row["baseline"]
        if first is None:
            continue
        if first == n:
            raise part.refused(_("must be another poll of the run sheet, not this one"), "baseline")
        if rows[first - 1]["kind"] != "scale":
            raise part.refused(
                _("must be an agreement scale: poll %(first)d is not one") % {"first": first},
                "baseline",
            )
        if rows[first - 1]["baseline"] is not None:
            raise part.refused(
                _("must be a poll asked first: poll %(first)d is itself a closing round")
                % {"first": first},
                "baseline",
            )
        if first in asked_again:
            raise part.refused(
                _("must be a poll no other closing round asks again: poll %(other)d does")
                % {"other": asked_again[first]},
                "baseline",
            )
        asked_again[first] = n
    for n, (row, part) in enumerate(zip(rows, parts, strict=True), start=1):
        row["ask_again"] = part.flag("ask_again", n in asked_again)
        if row["ask_again"] and row["kind"] != "scale":
            raise part.refused(_("can only be true for an agreement scale"), "ask_again")


def _poll_rules(part: Part, row: dict) -> None:
    """What a poll of each kind may have: options of its own only when it chooses, ranks or
    rates them and takes none from the summit's lists; several answers only in a multiple
    choice; a challenge in the person's own words only on an agreement scale; a baseline only
    for an agreement scale asked again, whose statements are its baseline's."""
    for option in row["options"]:
        if not isinstance(option, str) or not option.strip() or CONTROL.search(option):
            raise part.refused(_("must each be text, in quotes"), "options")
        if len(option) > OPTION_LENGTH:
            raise part.refused(
                _("must each be %(limit)d characters or fewer") % {"limit": OPTION_LENGTH},
                "options",
            )
    if row["source"] and row["kind"] not in KINDS_WITH_OPTIONS:
        raise part.refused(
            _(
                "can only be the working assumptions or obstacles for a multiple choice, an "
                "agreement scale or a ranking"
            ),
            "source",
        )
    if row["options"] and (row["kind"] not in KINDS_WITH_OPTIONS or row["source"]):
        raise part.refused(
            _(
                "belong only to a multiple choice, an agreement scale or a ranking that takes "
                "no options from the summit’s lists"
            ),
            "options",
        )
    if row["multiple"] and row["kind"] != "choice":
        raise part.refused(_("can only be true for a multiple choice"), "multiple")
    if row["allow_comment"] and row["kind"] != "scale":
        raise part.refused(_("can only be true for an agreement scale"), "allow_comment")
    if row["baseline"] is not None:
        if row["kind"] != "scale":
            raise part.refused(
                _("belongs only to an agreement scale asked again at the close"), "baseline"
            )
        # A closing round asks again the statements of the poll it names, as that poll has them.
        if row["options"]:
            raise part.refused(
                _("are its baseline’s: a closing round has none of its own"), "options"
            )
        if row["source"]:
            raise part.refused(
                _("is its baseline’s: a closing round has none of its own"), "source"
            )
