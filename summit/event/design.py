"""A summit's design as a file: its settings, sectors, subthemes, areas, working assumptions,
obstacles, agenda, pre-reading and materials, as JSON of a published shape
(``data/design-v1.schema.json``), and a new summit made from such a file. Each text an
organiser writes has its Welsh version beside it, under its key with ``_cy`` on the end, written
only when there is one; a file without them reads as it always has.

This part holds what the event's own models hold. The breakouts named for each subtheme and
the plenary's run sheet belong to apps above it: ``summit.organise.design_file`` reads and
writes those, passing them through here so the shape of the file is written in one place.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from summit.event.design_check import check_design
from summit.event.design_reading import FORMAT, VERSION, WELSH
from summit.event.models import (
    AgendaItem,
    Assumption,
    Material,
    Obstacle,
    Prompt,
    Sector,
    Subtheme,
    Summit,
)
from summit.event.sectors import default_sectors, sectors_of
from summit.event.services import unique_slug

DATA = Path(__file__).resolve().parent / "data"
SCHEMA_PATH = DATA / "design-v1.schema.json"
# Where every installation serves the schema; a file made where no address is known names it
# by this path alone.
SCHEMA_URL_PATH = "/design/schema/design-v1.schema.json"
PLACE_SUMMIT_DATA = DATA / "place_summit.json"
# The summit's settings that are dates, which the file holds as text.
DATES = ("date", "retain_personal_data_until")
# A run sheet poll's keys written after the rest: where it is filed, then how it pairs with
# another round of the same poll.
LAST_KEYS = ("agenda_item_id", "baseline", "ask_again")


def _time(value: dt.time | None) -> str | None:
    return value.strftime("%H:%M") if value else None


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _read_time(value: str | None) -> dt.time | None:
    return dt.time.fromisoformat(value) if value else None


def _read_date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def welsh(item, field: str, key: str = "") -> dict:
    """The Welsh version of ``item.field`` under its key in the file (``key``, or the field's
    name) with ``_cy`` on the end; nothing when it has none, so a file without Welsh reads as
    one made before there was any."""
    text = getattr(item, f"{field}{WELSH}")
    return {f"{key or field}{WELSH}": text} if text else {}


def _summit_settings(summit: Summit) -> dict:
    return {
        "slug": summit.slug,
        "title": summit.title,
        **welsh(summit, "title"),
        "convener": summit.convener,
        "central_question": summit.central_question,
        **welsh(summit, "central_question"),
        "summary": summit.summary,
        **welsh(summit, "summary"),
        "welcome": summit.welcome,
        **welsh(summit, "welcome"),
        "date": _date(summit.date),
        "venue": summit.venue,
        "time_zone": summit.time_zone,
        "dot_budget": summit.dot_budget,
        "supermajority": summit.supermajority,
        "allow_anonymous": summit.allow_anonymous,
        "attendees_choose_breakout": summit.attendees_choose_breakout,
        "privacy_contact": summit.privacy_contact,
        "retain_personal_data_until": _date(summit.retain_personal_data_until),
    }


def export_design(
    summit: Summit,
    *,
    schema_url: str = SCHEMA_URL_PATH,
    breakouts: Mapping[int, Sequence[str]] | None = None,
    run_sheet: Sequence[dict] | None = None,
) -> dict:
    """The summit's design, keys in the file's order. ``breakouts`` names each subtheme's
    groups by the subtheme's id; ``run_sheet`` is the prepared polls, each with
    ``agenda_item_id`` for the agenda item it is filed under (written as that item's place in
    the agenda) and, for a closing round, ``baseline``: the place in the run sheet of the poll
    it asks again; or ``None`` to leave the run sheet out: the plenary then makes its usual polls
    when it is first opened. Nobody's data is in it: no people, no contributions."""
    breakouts = breakouts or {}
    subthemes = list(summit.subthemes.all())
    subtheme_at = {row.pk: n for n, row in enumerate(subthemes, start=1)}
    agenda = list(summit.agenda.all())
    agenda_at = {row.pk: n for n, row in enumerate(agenda, start=1)}
    design = {
        "$schema": schema_url,
        "format": FORMAT,
        "version": VERSION,
        "summit": _summit_settings(summit),
        "sectors": [
            {
                "key": row.key,
                "name": row.name,
                **welsh(row, "name"),
                "retired": row.retired_at is not None,
            }
            for row in sectors_of(summit)
        ],
        "subthemes": [
            {
                "title": row.title,
                **welsh(row, "title"),
                "question": row.question,
                **welsh(row, "question"),
                "retired": row.retired_at is not None,
                "breakouts": list(breakouts.get(row.pk, [])),
            }
            for row in subthemes
        ],
        "areas": [
            {
                "text": row.text,
                **welsh(row, "text"),
                "subtheme": subtheme_at.get(row.subtheme_id),
                "retired": row.retired_at is not None,
            }
            for row in summit.prompts.all()
        ],
        "assumptions": [
            {"text": row.text, **welsh(row, "text")} for row in summit.assumptions.all()
        ],
        "obstacles": [{"text": row.text, **welsh(row, "text")} for row in summit.obstacles.all()],
        "agenda": [
            {
                "kind": row.kind,
                "title": row.title,
                **welsh(row, "title"),
                "starts_at": _time(row.starts_at),
                "ends_at": _time(row.ends_at),
                "description": row.description,
                **welsh(row, "description"),
            }
            for row in agenda
        ],
        **_reading(summit),
    }
    if run_sheet is not None:
        design["run_sheet"] = [
            {
                **{key: value for key, value in poll.items() if key not in LAST_KEYS},
                "agenda_item": agenda_at.get(poll.get("agenda_item_id")),
                **{key: poll[key] for key in LAST_KEYS if key in poll and key != "agenda_item_id"},
            }
            for poll in run_sheet
        ]
    return design


def _reading(summit: Summit) -> dict:
    """The pre-reading's sections and the materials: one model, told apart by kind."""
    materials = list(summit.materials.all())
    return {
        "pre_reading": [
            {"title": row.title, **welsh(row, "title"), "body": row.body, **welsh(row, "body")}
            for row in materials
            if row.kind == Material.Kind.SECTION
        ],
        "materials": [
            {
                "title": row.title,
                **welsh(row, "title"),
                "url": row.url,
                "note": row.body,
                **welsh(row, "body", "note"),
            }
            for row in materials
            if row.kind == Material.Kind.LINK
        ],
    }


def design_json(design: dict) -> str:
    """The design as the file holds it: indented, in the summit's own characters, and the
    same bytes for the same design."""
    return json.dumps(design, indent=2, ensure_ascii=False) + "\n"


@dataclass(frozen=True)
class Imported:
    """A summit made from a design, with its subthemes and agenda items in the file's order,
    for the parts above the event to hang breakouts and polls on."""

    summit: Summit
    design: dict
    subthemes: list[Subtheme]
    agenda: list[AgendaItem]


def import_design(data, *, slug: str | None = None, status: str = Summit.Status.DRAFT) -> Imported:
    """A new summit made from the design ``data``, checked first (``Refused`` naming the place
    of the first problem). Its slug is ``slug``, or the file's, or made from its title, made
    unique; it has a join code of its own; its status is ``status``, a draft unless asked. A
    date for erasing people's details that has already passed is left out: it was another
    summit's, and the people of this one have yet to join.

    Side effects: the summit and every part of it written, in one transaction (no screen shows
    a summit nobody is in yet).
    """
    design = check_design(data)
    head = design["summit"]
    now = timezone.now()
    dates = {key: _read_date(head[key]) for key in DATES}
    if (
        dates["retain_personal_data_until"]
        and dates["retain_personal_data_until"] < timezone.localdate()
    ):
        dates["retain_personal_data_until"] = None
    with transaction.atomic():
        summit = Summit.objects.create(
            **{key: value for key, value in head.items() if key not in {"slug", *DATES}},
            **dates,
            slug=unique_slug(slug or head["slug"] or head["title"]),
            status=status,
        )
        subthemes = Subtheme.objects.bulk_create(
            Subtheme(
                summit=summit,
                order=n,
                title=row["title"],
                title_cy=row["title_cy"],
                question=row["question"],
                question_cy=row["question_cy"],
                retired_at=now if row["retired"] else None,
            )
            for n, row in enumerate(design["subthemes"], start=1)
        )
        Prompt.objects.bulk_create(
            Prompt(
                summit=summit,
                order=n,
                text=row["text"],
                text_cy=row["text_cy"],
                subtheme=subthemes[row["subtheme"] - 1] if row["subtheme"] else None,
                retired_at=now if row["retired"] else None,
            )
            for n, row in enumerate(design["areas"], start=1)
        )
        for model, key in ((Assumption, "assumptions"), (Obstacle, "obstacles")):
            model.objects.bulk_create(
                model(summit=summit, order=n, text=row["text"], text_cy=row["text_cy"])
                for n, row in enumerate(design[key], start=1)
            )
        agenda = AgendaItem.objects.bulk_create(
            AgendaItem(
                summit=summit,
                order=n,
                kind=row["kind"],
                title=row["title"],
                title_cy=row["title_cy"],
                starts_at=_read_time(row["starts_at"]),
                ends_at=_read_time(row["ends_at"]),
                description=row["description"],
                description_cy=row["description_cy"],
            )
            for n, row in enumerate(design["agenda"], start=1)
        )
        _materials(summit, design)
        _sectors(summit, design["sectors"], now)
    return Imported(summit=summit, design=design, subthemes=subthemes, agenda=agenda)


def _materials(summit: Summit, design: dict) -> None:
    sections = [
        Material(
            kind=Material.Kind.SECTION,
            title=row["title"],
            title_cy=row["title_cy"],
            body=row["body"],
            body_cy=row["body_cy"],
        )
        for row in design["pre_reading"]
    ]
    links = [
        Material(
            kind=Material.Kind.LINK,
            title=row["title"],
            title_cy=row["title_cy"],
            url=row["url"],
            body=row["note"],
            body_cy=row["note_cy"],
        )
        for row in design["materials"]
    ]
    for n, material in enumerate([*sections, *links], start=1):
        material.summit, material.order = summit, n
    Material.objects.bulk_create([*sections, *links])


def _sectors(summit: Summit, rows: list[dict] | None, now: dt.datetime) -> None:
    """The design's sectors as the summit's rows; none when they are the nine defaults as
    they stand, so the summit reads the defaults as a summit nobody has changed does."""
    defaults = [
        {"key": row.key, "name": row.name, "name_cy": row.name_cy, "retired": False}
        for row in default_sectors(summit)
    ]
    # A file from before sectors had Welsh names gives none: the defaults' Welsh stands.
    given = [{**row, "name_cy": row.get("name_cy") or ""} for row in rows or ()]
    if rows is None or given == defaults or given == [{**d, "name_cy": ""} for d in defaults]:
        return
    Sector.objects.bulk_create(
        Sector(
            summit=summit,
            key=row["key"],
            name=row["name"],
            name_cy=row.get("name_cy", ""),
            order=n,
            retired_at=now if row["retired"] else None,
        )
        for n, row in enumerate(rows, start=1)
    )
