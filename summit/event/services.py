"""State changes to the summit event itself."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.db import models, transaction
from django.utils.text import slugify

from summit.event.models import (
    AgendaItem,
    Assumption,
    Material,
    Obstacle,
    Prompt,
    Subtheme,
    Summit,
    new_join_code,
)

PLACE_SUMMIT_DATA = Path(__file__).resolve().parent / "data" / "place_summit.json"


def _sync(model: type[models.Model], lookup: dict, values: dict) -> tuple[models.Model, bool]:
    """Create the row or bring it in line with ``values``; report whether anything was written."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values), True
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    if changed:
        obj.save(update_fields=changed)
    return obj, bool(changed)


def _time(value: str | None) -> dt.time | None:
    return dt.time.fromisoformat(value) if value else None


@transaction.atomic
def load_summit(data: dict) -> tuple[Summit, int]:
    """Load a summit's structure from a data file's content.

    Rows are matched by the summit's slug and each item's order, so loading the same data
    again writes nothing; the join code, once generated, is kept. Returns the summit and the
    number of rows created or changed. Side effects: database writes only (no screen shows a
    summit's structure live).
    """
    head = data["summit"]
    summit, changed = _sync(
        Summit,
        {"slug": head["slug"]},
        {
            "title": head["title"],
            "convener": head.get("convener", ""),
            "central_question": head["central_question"],
            "summary": head.get("summary", ""),
            "allow_anonymous": head.get("allow_anonymous", True),
        },
    )
    writes = int(changed)
    subthemes = {}
    for item in data["subthemes"]:
        subthemes[item["order"]], changed = _sync(
            Subtheme,
            {"summit": summit, "order": item["order"]},
            {"title": item["title"], "question": item["question"]},
        )
        writes += changed
    for item in data["prompts"]:
        subtheme = subthemes[item["subtheme"]] if item.get("subtheme") else None
        writes += _sync(
            Prompt,
            {"summit": summit, "order": item["order"]},
            {"text": item["text"], "subtheme": subtheme},
        )[1]
    for model, key in ((Assumption, "assumptions"), (Obstacle, "obstacles")):
        for item in data[key]:
            writes += _sync(
                model, {"summit": summit, "order": item["order"]}, {"text": item["text"]}
            )[1]
    for item in data["agenda"]:
        writes += _sync(
            AgendaItem,
            {"summit": summit, "order": item["order"]},
            {
                "kind": item["kind"],
                "title": item["title"],
                "starts_at": _time(item.get("starts_at")),
                "ends_at": _time(item.get("ends_at")),
                "description": item.get("description", ""),
            },
        )[1]
    for item in data["materials"]:
        writes += _sync(
            Material,
            {"summit": summit, "order": item["order"]},
            {
                "kind": item["kind"],
                "title": item["title"],
                "body": item.get("body", ""),
                "url": item.get("url", ""),
            },
        )[1]
    return summit, writes


def load_place_summit(path: Path = PLACE_SUMMIT_DATA) -> tuple[Summit, int]:
    return load_summit(json.loads(path.read_text(encoding="utf-8")))


def unique_slug(title: str) -> str:
    base = slugify(title)[:70] or "summit"
    slug, n = base, 2
    while Summit.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def create_summit(
    *,
    title: str,
    central_question: str,
    date: dt.date | None,
    copy_from: Summit | None = None,
) -> Summit:
    """A new summit in draft, with its own join code, blank or with ``copy_from``'s
    structure: its questions, subthemes, assumptions, obstacles and agenda (not its people,
    pre-reading or contributions).

    Side effects: database writes only.
    """
    summit = Summit.objects.create(
        slug=unique_slug(title),
        title=title,
        central_question=central_question or (copy_from.central_question if copy_from else ""),
        convener=copy_from.convener if copy_from else "",
        allow_anonymous=copy_from.allow_anonymous if copy_from else True,
        date=date,
        status=Summit.Status.DRAFT,
    )
    if copy_from is None:
        return summit
    subthemes = {}
    for item in copy_from.subthemes.all():
        subthemes[item.pk] = Subtheme.objects.create(
            summit=summit, order=item.order, title=item.title, question=item.question
        )
    Prompt.objects.bulk_create(
        Prompt(
            summit=summit,
            order=p.order,
            text=p.text,
            subtheme=subthemes.get(p.subtheme_id),
        )
        for p in copy_from.prompts.all()
    )
    for model in (Assumption, Obstacle):
        model.objects.bulk_create(
            model(summit=summit, order=item.order, text=item.text)
            for item in model.objects.filter(summit=copy_from)
        )
    AgendaItem.objects.bulk_create(
        AgendaItem(
            summit=summit,
            order=item.order,
            kind=item.kind,
            title=item.title,
            starts_at=item.starts_at,
            ends_at=item.ends_at,
            description=item.description,
        )
        for item in copy_from.agenda.all()
    )
    return summit


def new_join_code_for(summit: Summit) -> str:
    """Replace the summit's join code; the old code and link stop working at once.

    Side effects: database write only.
    """
    for _ in range(10):
        code = new_join_code()
        if not Summit.objects.filter(join_code=code).exists():
            break
    summit.join_code = code
    summit.save(update_fields=["join_code"])
    return code
