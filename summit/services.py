"""State changes to the summit event itself."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.db import models, transaction

from summit.models import AgendaItem, Assumption, Material, Obstacle, Prompt, Subtheme, Summit

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
