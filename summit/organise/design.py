"""The parts of a summit its organisers design, as one table: for each, its model, its form,
what it is called, whether open screens show it, and what, once people have contributed,
keeps an item from being removed. The editor's pages and services read the table, so every
part is added, changed, moved, removed and retired the same way. It sits with the services:
it reads models and forms, and its checks refuse with ``Refused``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Participant
from breakouts.models import Breakout, FirstThought, Idea
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
from summit.event.refusals import Refused
from summit.event.sectors import ensure_sectors
from summit.organise import design_forms as forms


def _never(item: models.Model) -> str | None:
    return None


def _nothing_to_prepare(summit: Summit) -> None:
    return None


def _nothing_to_check(item: models.Model, *, adding: bool) -> None:
    return None


@dataclass(frozen=True)
class Part:
    """One part of a summit's design, and how the editor treats it."""

    slug: str
    model: type[models.Model]
    form: type[forms.DesignForm]
    # The field that names an item in lists, messages and the audit log.
    name_field: str
    title: str
    # The heading of an item's own page, naming the kind of thing it is.
    change_title: str
    lead: str
    add_title: str
    # How the audit log names an item ("a working assumption"): the log is kept as written.
    logged_as: str
    # What open screens announce as they redraw after a change; "" when no screen shows it.
    announcement: str = ""
    # Only the items of this kind (pre-reading sections and materials share a model).
    kind: str = ""
    retirable: bool = False
    related: tuple[str, ...] = ()
    # Why an item may not be removed, in words for the organiser; None when it may.
    in_use: Callable[[models.Model], str | None] = _never
    # What must exist before the part's items are listed or added.
    prepare: Callable[[Summit], object] = _nothing_to_prepare
    # What an item is checked for, and given, before it is saved; raises Refused.
    check: Callable[..., None] = _nothing_to_check
    # When at least one item must stay neither removed nor retired, the refusal that says so
    # to the organiser; "" when every item may go.
    keep_one: str = ""
    fields: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "fields", tuple(self.form.base_fields))

    @property
    def shows(self) -> str:
        """The partial that shows one item of the part."""
        return f"summit/design/shows.html#{self.slug}"

    def items(self, summit: Summit) -> models.QuerySet:
        """The part's items in the summit, in their order, retired ones included."""
        found = self.model.objects.filter(summit=summit)
        if self.kind:
            found = found.filter(kind=self.kind)
        return found.select_related(*self.related) if self.related else found

    def name_of(self, item: models.Model) -> str:
        return getattr(item, self.name_field)

    def values_of(self, item: models.Model) -> dict:
        return {name: getattr(item, name) for name in self.fields}


def _retire_instead(refusal: str) -> str:
    return " ".join(
        (refusal, gettext("Retire it instead: it stays in the record and is no longer offered."))
    )


def _subtheme_in_use(subtheme: Subtheme) -> str | None:
    named = {"title": subtheme.title}
    if Idea.objects.filter(breakout__subtheme=subtheme).exists():
        return _retire_instead(
            gettext(
                "People have posted ideas in the breakouts on “%(title)s”, so it cannot be removed."
            )
            % named
        )
    if FirstThought.objects.filter(subtheme=subtheme).exists():
        return _retire_instead(
            gettext("People have written first thoughts on “%(title)s”, so it cannot be removed.")
            % named
        )
    groups = Breakout.objects.filter(subtheme=subtheme).count()
    if groups:
        return ngettext(
            "“%(title)s” has a breakout. Remove that breakout or move it to another subtheme "
            "first, or retire the subtheme.",
            "“%(title)s” has %(count)d breakouts. Remove those breakouts or move them to "
            "another subtheme first, or retire the subtheme.",
            groups,
        ) % {**named, "count": groups}
    return None


def _area_in_use(area: Prompt) -> str | None:
    if Idea.objects.filter(prompt=area).exists():
        return _retire_instead(
            gettext("Ideas have been posted in answer to this area, so it cannot be removed.")
        )
    if Breakout.objects.filter(current_prompt=area).exists():
        return _retire_instead(
            gettext("A breakout is working on this area now, so it cannot be removed.")
        )
    return None


def _sector_in_use(sector: Sector) -> str | None:
    if Participant.objects.filter(summit_id=sector.summit_id, sector=sector.key).exists():
        return gettext(
            "People in the summit are from “%(name)s”, so it cannot be removed. Retire it "
            "instead: they keep it, and nobody new can choose it."
        ) % {"name": sector.name}
    return None


def _check_sector(sector: Sector, *, adding: bool) -> None:
    """A sector's name is its own in the summit; a new one gets a key made from its name,
    which people's records keep however the name changes later."""
    others = Sector.objects.filter(summit_id=sector.summit_id).exclude(pk=sector.pk)
    if others.filter(name__iexact=sector.name).exists():
        said = gettext("There is already a sector called “%(name)s”")
        raise Refused(said % {"name": sector.name})
    if adding:
        taken = set(others.values_list("key", flat=True))
        base = slugify(sector.name).replace("-", "_")[:20].strip("_") or "sector"
        key, n = base, 2
        while key in taken:
            key, n = f"{base}_{n}", n + 1
        sector.key = key


PARTS: dict[str, Part] = {
    part.slug: part
    for part in (
        Part(
            slug="pre-reading",
            model=Material,
            form=forms.SectionForm,
            kind=Material.Kind.SECTION,
            name_field="title",
            title=_("Pre-reading"),
            change_title=_("Change this pre-reading section"),
            lead=_("The sections of the stimulus document attendees read before the day."),
            add_title=_("Add a section"),
            logged_as="a pre-reading section",
        ),
        Part(
            slug="assumptions",
            model=Assumption,
            form=forms.AssumptionForm,
            name_field="text",
            title=_("Working assumptions"),
            change_title=_("Change this working assumption"),
            lead=_("Statements the summit works from, open to challenge in the plenary."),
            add_title=_("Add a working assumption"),
            logged_as="a working assumption",
            announcement=_("The organisers have changed the working assumptions"),
        ),
        Part(
            slug="obstacles",
            model=Obstacle,
            form=forms.ObstacleForm,
            name_field="text",
            title=_("Obstacles"),
            change_title=_("Change this obstacle"),
            lead=_("The barriers in the way, for the plenary to rank."),
            add_title=_("Add an obstacle"),
            logged_as="an obstacle",
            announcement=_("The organisers have changed the obstacles"),
        ),
        Part(
            slug="subthemes",
            model=Subtheme,
            form=forms.SubthemeForm,
            name_field="title",
            title=_("Subthemes"),
            change_title=_("Change this subtheme"),
            lead=_("The questions the breakouts discuss: each breakout works on one subtheme."),
            add_title=_("Add a subtheme"),
            logged_as="a subtheme",
            announcement=_("The organisers have changed the subthemes"),
            retirable=True,
            in_use=_subtheme_in_use,
        ),
        Part(
            slug="areas",
            model=Prompt,
            form=forms.AreaForm,
            name_field="text",
            title=_("Areas to be addressed"),
            change_title=_("Change this area to be addressed"),
            lead=_("The questions breakouts answer with their ideas, for one subtheme or any."),
            add_title=_("Add an area to be addressed"),
            logged_as="an area to be addressed",
            announcement=_("The organisers have changed the areas to be addressed"),
            retirable=True,
            related=("subtheme",),
            in_use=_area_in_use,
        ),
        Part(
            slug="agenda",
            model=AgendaItem,
            form=forms.AgendaItemForm,
            name_field="title",
            title=_("Agenda"),
            change_title=_("Change this agenda item"),
            lead=_("The day in order: plenaries, breakout rounds and breaks."),
            add_title=_("Add an agenda item"),
            logged_as="an agenda item",
            announcement=_("The organisers have changed the agenda"),
        ),
        Part(
            slug="materials",
            model=Material,
            form=forms.MaterialForm,
            kind=Material.Kind.LINK,
            name_field="title",
            title=_("Materials"),
            change_title=_("Change this material"),
            lead=_("Links to further reading, each with a note on what it is."),
            add_title=_("Add a material"),
            logged_as="a material",
        ),
        Part(
            slug="sectors",
            model=Sector,
            form=forms.SectorForm,
            name_field="name",
            title=_("Sectors"),
            change_title=_("Change this sector"),
            lead=_(
                "Where people come from. Voice balance, cross-sector support and the mixing of "
                "breakouts are worked out across these."
            ),
            add_title=_("Add a sector"),
            logged_as="a sector",
            announcement=_("The organisers have changed the sectors"),
            retirable=True,
            in_use=_sector_in_use,
            prepare=ensure_sectors,
            check=_check_sector,
            keep_one=_("Keep at least one sector open: add another first."),
        ),
    )
}


class PartConverter:
    """The part named in a URL, as its ``Part``; any other name is not a page (404)."""

    regex = "|".join(PARTS)

    def to_python(self, value: str) -> Part:
        return PARTS[value]

    def to_url(self, value: Part | str) -> str:
        return value if isinstance(value, str) else value.slug
