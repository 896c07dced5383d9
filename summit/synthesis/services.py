"""Every change to the themes across rooms: naming the synthesis leads, keeping each
subtheme's themes, and mapping the breakouts' clusters and outcomes to them. Each writes in a
transaction with the action in the audit log, and pushes to the synthesis pages (and the big
screens that may show a theme) after commit.

``by`` is the person acting, whom the view has checked may do it (``access``); a script or a
test arranging the day passes none, and nothing is logged.

A theme with anything mapped to it is not removed: each mapping is someone's confirmed
judgement, made in their breakout or by a lead and logged, and removing the theme would undo
all of them at once, unseen by those who made them. The lead unmaps first (each unmapping
logged and shown on every synthesis page), then removes the empty theme.
"""

from __future__ import annotations

import uuid
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit import log_action
from accounts.models import Participant
from breakouts.models import Cluster, Outcome
from summit.event.bilingual import text_in
from summit.event.models import Subtheme, Summit
from summit.event.refusals import Refused
from summit.synthesis import live
from summit.synthesis.access import CLUSTER, OUTCOME
from summit.synthesis.models import SynthesisLead, Theme, ThemeLink

NEW = "new"


# Where the audit log says an action was done: kept as written, as every entry's place is.
LEADS_PLACE = "Themes across rooms"


def _place(subtheme: Subtheme) -> str:
    return f"Themes: {subtheme.title}"


def _log(by: Participant | None, action: str, place: str, **detail) -> None:
    if by is not None:
        log_action(by, action, place=place, detail=detail)


def _pages_refresh(subtheme_ids, announcement: str | Promise) -> None:
    """The subtheme's synthesis pages fetch their boards again after commit, hearing
    ``announcement``: lazy, so that each page hears it in its own language."""
    transaction.on_commit(
        partial(live.synthesis_changed, list(subtheme_ids), announcement), robust=True
    )


def _screens_refresh(summit_id: int, theme_id: int) -> None:
    transaction.on_commit(partial(live.theme_on_screens, summit_id, theme_id), robust=True)


# The leads


def name_lead(summit: Summit, person_id: int, *, by: Participant | None = None) -> Participant:
    """Name one of the summit's facilitators a synthesis lead; naming someone already a lead
    changes nothing. Refused for anyone but a facilitator still in the summit (organisers
    lead already).

    Side effects: the lead written; "Named a synthesis lead" logged with the person; after
    commit, every synthesis page of the summit refreshes.
    """
    person = Participant.objects.active().filter(pk=person_id, summit=summit).first()
    if person is None:
        raise Refused(_("Choose one of this summit’s facilitators"))
    if person.is_organiser:
        raise Refused(
            _("%(name)s is an organiser: organisers lead the synthesis already")
            % {"name": person.display_name}
        )
    if not person.is_facilitator:
        raise Refused(
            _(
                "Only facilitators can lead the synthesis: make %(name)s a facilitator "
                "on the people page first"
            )
            % {"name": person.display_name}
        )
    with transaction.atomic():
        _lead, made = SynthesisLead.objects.get_or_create(
            participant=person, defaults={"summit": summit}
        )
        if made:
            _log(by, "Named a synthesis lead", LEADS_PLACE, person=person.attribution)
            subthemes = summit.subthemes.values_list("pk", flat=True)
            said = format_lazy(gettext_lazy("{name} leads the synthesis"), name=person.attribution)
            _pages_refresh(subthemes, said)
    return person


def remove_lead(summit: Summit, person_id: int, *, by: Participant | None = None) -> None:
    """The person no longer leads the synthesis (as a facilitator they still map their own
    breakouts' clusters and outcomes); nothing changes for someone not a lead.

    Side effects: the lead deleted; "No longer a synthesis lead" logged with the person;
    after commit, every synthesis page of the summit refreshes.
    """
    lead = (
        SynthesisLead.objects.select_related("participant")
        .filter(summit=summit, participant_id=person_id)
        .first()
    )
    if lead is None:
        return
    with transaction.atomic():
        deleted, _kinds = SynthesisLead.objects.filter(pk=lead.pk).delete()
        if deleted:
            person = lead.participant.attribution
            _log(by, "No longer a synthesis lead", LEADS_PLACE, person=person)
            _pages_refresh(summit.subthemes.values_list("pk", flat=True), "")


# The themes


def _name_taken(subtheme_id: int, name: str, *, but: int | None = None) -> Refused | None:
    taken = Theme.objects.filter(subtheme_id=subtheme_id, name__iexact=name).exclude(pk=but)
    if taken.exists():
        return Refused(
            _("There is already a theme called “%(name)s” on this subtheme") % {"name": name}
        )
    return None


def _new_theme(subtheme: Subtheme, name: str, description: str, token, by) -> Theme:
    """Write a theme at the end of the subtheme's list, inside the caller's transaction."""
    if refused := _name_taken(subtheme.pk, name):
        raise refused
    last = Theme.objects.filter(subtheme=subtheme).aggregate(last=Max("position"))["last"]
    try:
        with transaction.atomic():
            theme = Theme.objects.create(
                subtheme=subtheme,
                name=name,
                description=description,
                position=(last or 0) + 1,
                client_token=token,
            )
    except IntegrityError:  # another lead added the same name a moment ago
        raise _name_taken(subtheme.pk, name) or Refused(_("Try again")) from None
    _log(by, "Added a theme", _place(subtheme), theme=theme.pk, name=name, description=description)
    _pages_refresh([subtheme.pk], format_lazy(gettext_lazy("New theme: {name}"), name=name))
    return theme


def add_theme(
    subtheme: Subtheme,
    name: str,
    description: str = "",
    *,
    client_token: uuid.UUID | None = None,
    by: Participant | None = None,
) -> Theme:
    """A new theme at the end of the subtheme's list. A retried post (the same
    ``client_token``) finds the theme it made rather than making another; a name the
    subtheme has already (in any case) is refused.

    Side effects: the theme written; "Added a theme" logged with its name and description;
    after commit, the subtheme's synthesis pages refresh.
    """
    with transaction.atomic():
        Subtheme.objects.select_for_update().filter(pk=subtheme.pk).first()
        if client_token is not None:
            made = Theme.objects.filter(subtheme=subtheme, client_token=client_token).first()
            if made is not None:
                return made
        return _new_theme(subtheme, name, description, client_token, by)


def change_theme(
    theme: Theme, name: str, description: str, *, by: Participant | None = None
) -> Theme:
    """Rename a theme and change its description; refused for a name another theme of the
    subtheme has.

    Side effects: the theme written; "Changed a theme" logged with its name and description
    before and after; after commit, the subtheme's synthesis pages refresh and big screens
    showing it follow.
    """
    with transaction.atomic():
        locked = Theme.objects.select_for_update().filter(pk=theme.pk).first()
        if locked is None:
            raise Refused(_("That theme has just been removed"))
        if refused := _name_taken(theme.subtheme_id, name, but=theme.pk):
            raise refused
        was = (locked.name, locked.description)
        Theme.objects.filter(pk=theme.pk).update(name=name, description=description)
        theme.name, theme.description = name, description
        if was != (name, description):
            _log(
                by,
                "Changed a theme",
                _place(theme.subtheme),
                theme=theme.pk,
                name=name,
                description=description,
                was=" / ".join(was),
            )
            said = format_lazy(gettext_lazy("Theme changed: {name}"), name=name)
            _pages_refresh([theme.subtheme_id], said)
            _screens_refresh(theme.subtheme.summit_id, theme.pk)
    return theme


def remove_theme(theme: Theme, *, by: Participant | None = None) -> None:
    """Remove a theme nothing is mapped to (see above: unmap first). A big screen showing it
    goes back to what it showed before.

    Side effects: the theme deleted; "Removed a theme" logged with its name; after commit,
    the subtheme's synthesis pages refresh and big screens showing it follow.
    """
    with transaction.atomic():
        locked = Theme.objects.select_for_update().filter(pk=theme.pk).first()
        if locked is None:
            return
        mapped = ThemeLink.objects.filter(theme=theme).count()
        if mapped:
            raise Refused(
                _("“%(name)s” has %(n)d clusters and outcomes mapped to it: unmap them first")
                % {"name": locked.name, "n": mapped}
            )
        locked.delete()
        _log(by, "Removed a theme", _place(theme.subtheme), theme=theme.pk, name=locked.name)
        said = format_lazy(gettext_lazy("Theme removed: {name}"), name=locked.name)
        _pages_refresh([theme.subtheme_id], said)
        _screens_refresh(theme.subtheme.summit_id, theme.pk)


# Mapping clusters and outcomes


def _what(item: Cluster | Outcome) -> str:
    return CLUSTER if isinstance(item, Cluster) else OUTCOME


def _label(item: Cluster | Outcome) -> str:
    text = item.name if isinstance(item, Cluster) else item.proposal
    return text if len(text) <= 60 else f"{text[:59]}…"


def _locked(item: Cluster | Outcome) -> Cluster | Outcome:
    found = type(item).objects.select_for_update().filter(pk=item.pk).first()
    if found is None:
        raise Refused(_("That has just been removed from its breakout"))
    return found


def _mapping_changed(item: Cluster | Outcome, theme: Theme, action: str, said, by) -> None:
    """Log a mapping or an unmapping (``action`` with the item's kind in words) with the
    breakout and the theme, and have the pages and screens follow after commit, hearing
    ``said`` (a lazy text with ``{item}``, ``{breakout}`` and ``{theme}`` in it, put into each
    page's language as it is drawn)."""
    kind, breakout = _what(item), item.breakout
    what = "a cluster" if kind == CLUSTER else "an outcome"
    _log(
        by,
        action.format(what),
        _place(breakout.subtheme),
        **{kind: item.pk},
        breakout=breakout.pk,
        theme=theme.pk,
        name=theme.name,
    )
    words = {"item": _label(item), "breakout": breakout.name, "theme": theme.name}
    _pages_refresh([breakout.subtheme_id], format_lazy(said, **words))
    _screens_refresh(breakout.summit_id, theme.pk)


def _theme_to_map(item: Cluster | Outcome, theme_id: int | str, may_make: bool, by) -> Theme:
    """The theme of the item's subtheme chosen, or, for ``NEW``, one named as the cluster
    (made if the subtheme has none of that name, so a retry maps to the same theme)."""
    subtheme = item.breakout.subtheme
    if theme_id != NEW:
        theme = Theme.objects.filter(pk=theme_id, subtheme=subtheme).first()
        if theme is None:
            raise Refused(
                _("Choose one of the themes of “%(subtheme)s”")
                % {"subtheme": text_in(subtheme, "title")}
            )
        return theme
    if not isinstance(item, Cluster):
        raise Refused(_("A new theme is made from a cluster’s name: choose a theme for an outcome"))
    if not may_make:
        raise Refused(_("Only a synthesis lead makes a new theme: choose one of the themes"))
    theme = Theme.objects.filter(subtheme=subtheme, name__iexact=item.name).first()
    return theme or _new_theme(subtheme, item.name, "", None, by)


def map_item(
    item: Cluster | Outcome,
    theme_id: int | str,
    *,
    may_make: bool = False,
    by: Participant | None = None,
) -> ThemeLink:
    """Map a cluster or an outcome to one of its subtheme's themes, as a person confirmed
    it; with ``NEW`` (a lead's, ``may_make``), to a new theme made from a cluster's name.
    Mapping it again to the theme it is in changes nothing; one mapped to another theme is
    refused (unmap it first), so that two people choosing at once never undo each other.

    Side effects: the link written (and the theme, if new); "Mapped a cluster to a theme"
    (or an outcome) logged with the breakout and the theme; after commit, the subtheme's
    synthesis pages refresh and big screens showing the theme follow.
    """
    kind = _what(item)
    with transaction.atomic():
        locked = _locked(item)
        theme = _theme_to_map(item, theme_id, may_make, by)
        link = ThemeLink.objects.filter(**{kind: locked}).select_related("theme").first()
        if link is not None and link.theme_id == theme.pk:
            return link
        if link is not None:
            raise Refused(
                _(
                    "It was mapped to “%(name)s” just now: unmap it there first to "
                    "choose another theme"
                )
                % {"name": link.theme.name}
            )
        link = ThemeLink.objects.create(theme=theme, mapped_by=by, **{kind: locked})
        said = gettext_lazy("“{item}” from {breakout} is now in “{theme}”")
        _mapping_changed(item, theme, "Mapped {} to a theme", said, by)
    return link


def unmap_item(item: Cluster | Outcome, *, by: Participant | None = None) -> None:
    """Take a cluster or an outcome out of its theme; nothing changes for one in none.

    Side effects: the link deleted; "Unmapped a cluster from a theme" (or an outcome) logged
    with the breakout and the theme; after commit, the subtheme's synthesis pages refresh
    and big screens showing the theme follow.
    """
    kind = _what(item)
    with transaction.atomic():
        locked = _locked(item)
        link = ThemeLink.objects.filter(**{kind: locked}).select_related("theme").first()
        if link is None:
            return
        link.delete()
        said = gettext_lazy("“{item}” from {breakout} is out of “{theme}”")
        _mapping_changed(item, link.theme, "Unmapped {} from a theme", said, by)
