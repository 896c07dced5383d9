"""A summit's own sectors: the nine defaults until its organisers change them.

A summit that nobody has edited the sectors of has no rows: it reads the defaults, so every
summit made before sectors were its own, and every summit a test makes, behaves as before.
The first change an organiser makes writes the nine rows, and from then on the rows decide.
"""

from __future__ import annotations

from django.db import transaction

from summit.event.models import DEFAULT_SECTORS, Sector, Summit


def default_sectors(summit: Summit) -> list[Sector]:
    """The nine defaults as unsaved rows of ``summit``."""
    return [
        Sector(summit=summit, key=key, name=str(name), order=n)
        for n, (key, name) in enumerate(DEFAULT_SECTORS, start=1)
    ]


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


def sector_labels(summit: Summit) -> dict[str, str]:
    """Each sector's key and name, retired ones included, so history keeps its names."""
    return {row.key: row.name for row in sectors_of(summit)}


def sector_choices(summit: Summit) -> list[tuple[str, str]]:
    """What a person may choose as their sector now: the sectors not retired."""
    return [(row.key, row.name) for row in sectors_of(summit, include_retired=False)]


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
