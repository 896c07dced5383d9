"""What the engine's commands share: reading a file of ideas, the engine, and JSON out."""

from __future__ import annotations

import json
from collections.abc import Hashable
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext

from summit.engine import Engine, get_engine

SHAPE = '[{"id": ..., "text": "..."}, ...]'


def read_ideas(path: str) -> list[tuple[Hashable, str]]:
    """The file's ideas as (id, text) pairs, in its order, or CommandError saying what is wrong."""
    try:
        raw = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CommandError(gettext("There is no file %(path)s.") % {"path": path}) from None
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(
            gettext("%(path)s could not be read: %(error)s") % {"path": path, "error": error}
        ) from None
    try:
        data = json.loads(raw)
    except ValueError as error:
        raise CommandError(
            gettext("%(path)s is not JSON: %(error)s") % {"path": path, "error": error}
        ) from None
    if not isinstance(data, list):
        raise CommandError(
            gettext("The file must hold a list of ideas: %(shape)s") % {"shape": SHAPE}
        )
    ideas, seen = [], set()
    for number, idea in enumerate(data, 1):
        ideas.append(_idea(number, idea))
        if ideas[-1][0] in seen:
            raise CommandError(
                gettext("Idea %(number)d repeats the id %(id)s: each id must be unique.")
                % {"number": number, "id": json.dumps(ideas[-1][0])}
            )
        seen.add(ideas[-1][0])
    return ideas


def _idea(number: int, idea: object) -> tuple[Hashable, str]:
    if not isinstance(idea, dict) or "id" not in idea or "text" not in idea:
        raise CommandError(
            gettext("Idea %(number)d must have an id and a text: %(shape)s")
            % {"number": number, "shape": SHAPE}
        )
    key, text = idea["id"], idea["text"]
    if isinstance(key, bool) or not isinstance(key, str | int):
        raise CommandError(
            gettext("Idea %(number)d has an id that is neither a string nor a whole number.")
            % {"number": number}
        )
    if not isinstance(text, str):
        raise CommandError(
            gettext("Idea %(number)d has a text that is not a string.") % {"number": number}
        )
    return key, text


class IdeasCommand(BaseCommand):
    """A command that reads a file of ideas and writes one JSON row an idea, in its order."""

    def add_arguments(self, parser):
        parser.add_argument("input", help=f"A JSON file of ideas: {SHAPE}")

    def handle(self, *args, **options):
        rows = self.rows(read_ideas(options["input"]), get_engine())
        self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", ending="")

    def rows(self, ideas: list[tuple[Hashable, str]], engine: Engine) -> list[dict]:
        raise NotImplementedError
