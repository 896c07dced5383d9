"""Who may see and change the themes across rooms: the one place that decides, for views and
the socket alike.

Organisers, the synthesis leads and every facilitator of the summit see the synthesis; its
attendees do not (the themes are worked on before the record is shared with them). Leads
(organisers always, and the facilitators an organiser names) keep the themes and map any
cluster or outcome; a breakout's own facilitators map their breakout's clusters and
outcomes to the themes there are.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.access import get_participant_for
from accounts.models import Participant
from breakouts.models import Breakout, Cluster, Outcome
from summit.event.models import Subtheme, Summit
from summit.synthesis.models import SynthesisLead, Theme

CLUSTER = "cluster"
OUTCOME = "outcome"
KINDS = (CLUSTER, OUTCOME)


@dataclass(frozen=True)
class SynthesisAccess:
    participant: Participant
    is_lead: bool
    # The breakouts the person facilitates, whose clusters and outcomes they may map.
    facilitates: frozenset[int]

    @property
    def summit(self) -> Summit:
        return self.participant.summit

    def may_map(self, breakout_id: int) -> bool:
        return self.is_lead or breakout_id in self.facilitates


def _known(pk: int) -> bool:
    """Whether an id could be a row's: anything else is not found before the database,
    which would refuse it."""
    return 0 < pk < 2**63


def get_synthesis_for(
    user, summit_slug: str, *, lead: bool = False, organise: bool = False
) -> SynthesisAccess:
    """The asker's part in the summit's synthesis, checked against what they ask to do.

    Raises ``Http404`` for someone not in the summit, and ``PermissionDenied`` for someone in
    it who is not a facilitator or organiser, who asks to keep the themes (``lead``) without
    being a lead, or to name the leads (``organise``) without being an organiser.
    """
    participant = get_participant_for(user, summit_slug, facilitate=True, organise=organise)
    named = SynthesisLead.objects.filter(participant=participant).exists()
    is_lead = participant.is_organiser or named
    if lead and not is_lead:
        raise PermissionDenied
    facilitates = frozenset(
        Breakout.objects.filter(summit_id=participant.summit_id, facilitators=participant)
        .order_by()
        .values_list("pk", flat=True)
    )
    return SynthesisAccess(participant, is_lead, facilitates)


def get_subtheme_for(access: SynthesisAccess, subtheme_id: int) -> Subtheme:
    """One of the summit's subthemes; any other number is not found."""
    subtheme = None
    if _known(subtheme_id):
        subtheme = Subtheme.objects.filter(pk=subtheme_id, summit_id=access.summit.pk).first()
    if subtheme is None:
        raise Http404("No such subtheme.")
    subtheme.summit = access.summit
    return subtheme


def get_theme_for(access: SynthesisAccess, theme_id: int) -> Theme:
    """One of the summit's themes, with its subtheme; any other number is not found."""
    theme = None
    if _known(theme_id):
        theme = (
            Theme.objects.select_related("subtheme")
            .filter(pk=theme_id, subtheme__summit_id=access.summit.pk)
            .first()
        )
    if theme is None:
        raise Http404("No such theme.")
    theme.subtheme.summit = access.summit
    return theme


def get_item_for(access: SynthesisAccess, kind: str, item_id: int) -> Cluster | Outcome:
    """A cluster or an outcome of the summit's breakouts, with its breakout and subtheme, that
    the asker may map: any other number is not found, and one of another breakout than theirs
    is refused to a facilitator who is not a lead."""
    model = {CLUSTER: Cluster, OUTCOME: Outcome}.get(kind)
    item = None
    if model is not None and _known(item_id):
        item = (
            model.objects.select_related("breakout__subtheme")
            .filter(pk=item_id, breakout__summit_id=access.summit.pk)
            .first()
        )
    if item is None:
        raise Http404("No such cluster or outcome.")
    if not access.may_map(item.breakout_id):
        raise PermissionDenied
    item.breakout.summit = access.summit
    return item
