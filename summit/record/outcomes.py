"""The outcomes of the record's breakouts: the ideas each draws on, how its group rated it,
and every block and disagreement, numbered through the record in the summit's order of
breakouts. Four queries, however many outcomes and ratings there are.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch
from django.utils.translation import gettext_lazy

from accounts.models import give_sector_names
from breakouts.models import Breakout, Idea, Outcome, Rating
from summit.event.agreement import SUPPORT, Agreement, decide
from summit.event.sectors import in_sector_order
from summit.record.breakout_contents import (
    Check,
    OutcomeEntry,
    SectorSplit,
    Source,
    splits_shown,
)
from summit.record.contents import Dissent, Level
from summit.record.ideas import IDEA_FIELDS, person_fields, with_totals
from summit.record.polls import PlenaryPart

DISSENT = (Agreement.BLOCK, Agreement.DISAGREE)
OWN_RATINGS = gettext_lazy("The group’s own ratings")


@dataclass
class Outcomes:
    """The outcomes as loaded, with their ratings in the groups."""

    outcomes: list[Outcome]  # oldest first
    names: dict[str, str]  # the summit's sectors, key to name
    ratings: dict[int, Counter] = field(default_factory=lambda: defaultdict(Counter))
    by_sector: dict[int, dict[str, Counter]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(Counter))
    )
    dissent: dict[int, list[Rating]] = field(default_factory=lambda: defaultdict(list))

    @property
    def ids(self) -> set[int]:
        return {o.pk for o in self.outcomes}


def load_outcomes(breakout_ids: list[int], names: dict[str, str]) -> Outcomes:
    """The breakouts' outcomes, the ideas each draws on with their dots, and the groups'
    ratings of them: counted by level and sector, and each block or disagreement. Sectors
    are named as in ``names``, the summit's."""
    loaded = Outcomes(
        list(
            Outcome.objects.filter(breakout_id__in=breakout_ids)
            .select_related("drafted_by")
            .prefetch_related(
                Prefetch(
                    "ideas",
                    queryset=with_totals(
                        Idea.objects.select_related("author").only(*IDEA_FIELDS)
                    ).order_by("pk"),
                )
            )
            .order_by("created_at", "pk")
        ),
        names,
    )
    give_sector_names((o.drafted_by for o in loaded.outcomes), names)
    give_sector_names((i.author for o in loaded.outcomes for i in o.ideas.all()), names)
    for outcome_id, level, sector, n in (
        Rating.objects.filter(outcome_id__in=loaded.ids)
        .values_list("outcome_id", "level", "rater__sector")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        loaded.ratings[outcome_id][level] += n
        loaded.by_sector[outcome_id][sector][level] += n
    for rating in (
        Rating.objects.filter(outcome_id__in=loaded.ids, level__in=DISSENT)
        .select_related("rater")
        .only("outcome", "level", *person_fields("rater"))
        .order_by("level", "pk")
    ):
        loaded.dissent[rating.outcome_id].append(rating)
        give_sector_names([rating.rater], names)
    return loaded


def _split(name: str, counts: Counter) -> SectorSplit:
    return SectorSplit(
        name,
        support=sum(n for level, n in counts.items() if level in SUPPORT),
        stand_aside=counts.get(Agreement.STAND_ASIDE, 0),
        disagree=counts.get(Agreement.DISAGREE, 0),
        block=counts.get(Agreement.BLOCK, 0),
    )


def _check(
    where: str,
    counts: Counter,
    by_sector: dict[str, Counter],
    names: dict[str, str],
    supermajority: int,
) -> Check:
    return Check(
        where=where,
        poll=None,
        rated=sum(counts.values()),
        levels=[Level(v, str(label), counts.get(v, 0)) for v, label in Agreement.choices],
        decision=decide(counts, supermajority),
        sectors=splits_shown(
            [
                _split(names.get(sector, sector), by_sector[sector])
                for sector in in_sector_order(by_sector, names)
            ]
        ),
    )


def _sources(outcome: Outcome) -> list[Source]:
    return [
        Source(
            i.pk,
            i.text,
            i.attribution,
            i.dot_total,
            i.voter_count,
            i.get_status_display(),
            visible=i.status == Idea.Status.VISIBLE,
        )
        for i in outcome.ideas.all()
    ]


def _dissent(number: int, outcome: Outcome, breakout: Breakout, loaded, plenary) -> list[Dissent]:
    """Every block and disagreement with an outcome: in its group, then in the plenary."""
    in_group = [
        Dissent(
            number,
            outcome.proposal,
            breakout.name,
            str(OWN_RATINGS),
            r.get_level_display(),
            r.rater.attribution,
            r.rater.sector_label,
            "",
        )
        for r in loaded.dissent[outcome.pk]
    ]
    return in_group + [
        Dissent(
            number,
            outcome.proposal,
            breakout.name,
            where,
            remark.position,
            remark.by,
            remark.sector,
            remark.text,
        )
        for where, remark in plenary.against[outcome.pk]
    ]


def number_outcomes(
    breakouts: list[Breakout], loaded: Outcomes, plenary: PlenaryPart, supermajority: int
) -> tuple[dict[int, list[OutcomeEntry]], list[Dissent]]:
    """Each breakout's outcomes, numbered through the record in the order of ``breakouts``,
    each with how it was rated (in its group, then each round of the plenary's consensus
    check, each read by the summit's ``supermajority``); and the dissent register, by
    outcome, blocks first."""
    by_breakout: dict[int, list[Outcome]] = defaultdict(list)
    for outcome in loaded.outcomes:
        by_breakout[outcome.breakout_id].append(outcome)
    number = 0
    entries: dict[int, list[OutcomeEntry]] = defaultdict(list)
    dissent: list[Dissent] = []
    for breakout in breakouts:
        for outcome in by_breakout[breakout.pk]:
            number += 1
            own = _check(
                str(OWN_RATINGS),
                loaded.ratings[outcome.pk],
                loaded.by_sector[outcome.pk],
                loaded.names,
                supermajority,
            )
            entries[breakout.pk].append(
                OutcomeEntry(
                    number=number,
                    id=outcome.pk,
                    breakout=breakout.name,
                    proposal=outcome.proposal,
                    who_should_act=outcome.who_should_act,
                    horizon=outcome.get_horizon_display(),
                    drafted_by=outcome.drafted_by.attribution if outcome.drafted_by else "",
                    sources=_sources(outcome),
                    checks=[own, *plenary.checks[outcome.pk]],
                )
            )
            dissent += _dissent(number, outcome, breakout, loaded, plenary)
            for statement in plenary.statements[outcome.pk]:
                statement.outcome = number
    block = str(Agreement.BLOCK.label)
    dissent.sort(key=lambda d: (d.outcome, d.position != block))
    return entries, dissent
