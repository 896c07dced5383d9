"""A summit's own sectors: the nine defaults until its organisers change them.

A summit that nobody has edited the sectors of has no rows: it reads the defaults, so every
summit made before sectors were its own, and every summit a test makes, behaves as before.
The first change an organiser makes writes the nine rows, and from then on the rows decide.

A sector's name, like the summit's other texts, has a Welsh version (``name_cy``). The names
handed out here are put into words when they are shown, in the language of the page, the
push or the record being drawn, so one lookup serves a push drawn in both languages.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from summit.event.bilingual import text_when_shown
from summit.event.models import DEFAULT_SECTORS, DEFAULT_SECTORS_CY, Sector, Summit


def default_sectors(summit: Summit) -> list[Sector]:
    """The nine defaults as unsaved rows of ``summit``."""
    return [
        Sector(summit=summit, key=key, name=name, name_cy=DEFAULT_SECTORS_CY[key], order=n)
        for n, (key, name) in enumerate(DEFAULT_SECTORS, start=1)
    ]


def shown_name(row: Sector):
    """``row``'s name, in the language of whatever shows it."""
    return text_when_shown(row, "name")


def sectors_of(summit: Summit, *, include_retired: bool = True) -> list[Sector]:
    """The summit's sectors in their order (one query), retired ones too unless asked not.

    Where a prefetch of ``summit.sectors`` is in place it is used, so a page listing many
    summits asks no more.
    """
    rows = list(summit.sectors.all())
    if not rows:
        rows = default_sectors(summit)
    if include_retired:
        return rows
    return [row for row in rows if row.retired_at is None]


def sector_choices(summit: Summit) -> list[tuple[str, str]]:
    """What a person may choose as their sector now: the sectors not retired."""
    return [(row.key, shown_name(row)) for row in sectors_of(summit, include_retired=False)]


def ensure_sectors(summit: Summit) -> list[Sector]:
    """The summit's sector rows, writing the nine defaults first if it has none.

    Side effects: up to nine rows written, the first time only (no screen shows them until
    an organiser changes one, and that change is logged by its own service).
    """
    with transaction.atomic():
        Summit.objects.select_for_update().filter(pk=summit.pk).first()
        if not Sector.objects.filter(summit=summit).exists():
            Sector.objects.bulk_create(default_sectors(summit))
    return list(Sector.objects.filter(summit=summit))


def sector_names(summit: Summit | int) -> dict[str, str]:
    """Each sector's name by its key, in the summit's order, retired ones too so that history
    keeps its names. ``summit`` is the summit, or its id (or a subquery giving it) for a
    caller that has only that: one query either way, none for a summit whose sectors are
    prefetched. Read once for a page, a push or a record, and handed to everything in it."""
    if isinstance(summit, Summit):
        return {row.key: shown_name(row) for row in sectors_of(summit)}
    rows = Sector.objects.filter(summit_id=summit).only("key", "name", "name_cy")
    return {row.key: shown_name(row) for row in rows} or {
        row.key: shown_name(row) for row in default_sectors(Summit())
    }


def names_for(owner) -> dict[str, str]:
    """The sector names of the summit ``owner`` belongs to (a breakout, a person: anything
    with a ``summit``): from the summit's prefetched sectors where a page loaded them once
    for all its parts, else one query."""
    if type(owner).summit.is_cached(owner):
        return sector_names(owner.summit)
    return sector_names(owner.summit_id)


def in_sector_order(keys: Iterable[str], names: dict[str, str]) -> list[str]:
    """``keys`` in the summit's order of its sectors (``names``, as ``sector_names`` gives
    them), so every list by sector follows the order its organisers chose; a key the summit
    does not know goes last."""
    place = {key: n for n, key in enumerate(names)}
    return sorted(keys, key=lambda key: (place.get(key, len(place)), key))
