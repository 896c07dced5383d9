"""The record's content, loaded in a number of queries that does not grow with the people,
ideas, comments, votes or answers: a fixed set, plus at most three for each poll run.

Every person is named through the models' ``attribution`` properties, so whoever chose
anonymity is "Anonymous (sector)" wherever the record mentions them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from accounts.models import Participant, Sector
from breakouts.models import Breakout, Cluster, Comment, Idea, Outcome, Rating
from summit.event.agreement import SUPPORT, Agreement, decide
from summit.event.models import Summit
from summit.record.audit import load_audit
from summit.record.contents import (
    NO_SUPPORT,
    AgendaEntry,
    AssumptionResult,
    BreakoutEntry,
    Check,
    ClusterEntry,
    CommentEntry,
    Dissent,
    IdeaEntry,
    IdeaSupport,
    Level,
    Merge,
    OutcomeEntry,
    Person,
    PromptEntry,
    RankedItem,
    Record,
    SectorCount,
    SectorSplit,
    Source,
    SubthemeEntry,
)
from summit.record.participation import count_contributions, participation
from summit.record.polls import load_plenary
from summit.record.support import load_support, on_the_wall, orders
from summit.record.voice import load_voice

SECTORS = dict(Sector.choices)
ROLE_ORDER = {
    Participant.Role.ORGANISER: 0,
    Participant.Role.FACILITATOR: 1,
    Participant.Role.ATTENDEE: 2,
}
DISSENT = (Agreement.BLOCK, Agreement.DISAGREE)
LEVEL_LABELS = dict(Agreement.choices)


def person_fields(related: str) -> list[str]:
    """For ``only()``: the whole of a related person, whatever their ``attribution`` reads,
    while the rows of a long table load only the fields the record shows."""
    return [related]


IDEA_FIELDS = (
    "breakout",
    "prompt",
    "cluster",
    "merged_into",
    "text",
    "anonymous",
    "spoken_sector",
    "status",
    "hidden_reason",
    "created_at",
    "edited_at",
    *person_fields("author"),
)


def _hhmm(value: dt.time | None) -> str:
    return value.strftime("%H:%M") if value else ""


def _split(sector: str, counts: Counter) -> SectorSplit:
    return SectorSplit(
        SECTORS.get(sector, sector),
        support=sum(n for level, n in counts.items() if level in SUPPORT),
        stand_aside=counts.get(Agreement.STAND_ASIDE, 0),
        disagree=counts.get(Agreement.DISAGREE, 0),
        block=counts.get(Agreement.BLOCK, 0),
    )


def with_totals(ideas):
    """Ideas with their dots, and how many people placed them."""
    return ideas.annotate(
        dot_total=Sum("votes__dots", default=0), voter_count=Count("votes", distinct=True)
    )


def contributor_sector(idea: Idea) -> str:
    """The sector an idea came from: the speaker's, for one typed in for a voice in the room."""
    return SECTORS.get(idea.spoken_sector or idea.author.sector, "")


def _idea_entry(
    idea: Idea, prompts: dict[int, int], clusters: dict[int, str], support: dict[int, IdeaSupport]
) -> IdeaEntry:
    return IdeaEntry(
        id=idea.pk,
        breakout=idea.breakout_id,
        text=idea.text,
        by=idea.attribution,
        sector=contributor_sector(idea),
        prompt=prompts.get(idea.prompt_id),
        status=idea.status,
        status_label=idea.get_status_display(),
        hidden_reason=idea.hidden_reason,
        merged_into=idea.merged_into_id,
        cluster=clusters.get(idea.cluster_id, ""),
        dots=idea.dot_total,
        voters=idea.voter_count,
        created_at=idea.created_at,
        edited_at=idea.edited_at,
        support=support.get(idea.pk, NO_SUPPORT),
    )


def _people(summit: Summit) -> tuple[list[Participant], list[Person], list[SectorCount]]:
    """Everyone in the summit: as the record names them, and counted by sector and role."""
    people = list(Participant.objects.active().filter(summit=summit).order_by("pk"))
    counts: dict[str, SectorCount] = {}
    for person in people:
        row = counts.setdefault(person.sector, SectorCount(SECTORS[person.sector]))
        if person.is_organiser:
            row.organisers += 1
        elif person.is_facilitator:
            row.facilitators += 1
        else:
            row.attendees += 1
    listed = sorted(people, key=lambda p: (ROLE_ORDER[p.role], p.attribution.casefold(), p.pk))
    return (
        people,
        [Person(p.attribution, SECTORS[p.sector], p.get_role_display()) for p in listed],
        [counts[s] for s in SECTORS if s in counts],
    )


def _check(where: str, counts: Counter, by_sector: dict[str, Counter]) -> Check:
    return Check(
        where=where,
        poll=None,
        rated=sum(counts.values()),
        levels=[Level(v, label, counts.get(v, 0)) for v, label in Agreement.choices],
        decision=decide(counts),
        sectors=[
            _split(sector, split)
            for sector, split in sorted(by_sector.items(), key=lambda i: SECTORS.get(i[0], ""))
        ],
    )


def _sources(outcome: Outcome) -> list[Source]:
    return [
        Source(i.pk, i.text, i.attribution, i.dot_total, i.voter_count, i.get_status_display())
        for i in outcome.ideas.all()
    ]


def build_record(
    summit: Summit, breakouts: Iterable[Breakout] | None = None, *, contributions: bool = True
) -> Record:
    """The summit's record: all of it, or with ``breakouts`` given (a facilitator's), only
    those breakouts' ideas and outcomes and the consensus check rows of their outcomes,
    with everything else as for the whole summit.

    ``contributions=False`` leaves out the ideas on the wall and every comment, for the
    formats that stream those from ``rows`` instead; hidden, merged and withdrawn ideas,
    clusters, the outcomes with the ideas they draw on, and the numbers of the ideas on the
    wall in both orders (by dots and by cross-sector support) stay.
    """
    scoped = breakouts is not None
    chosen_breakouts = Breakout.objects.filter(summit=summit)
    if scoped:
        wanted = (
            breakouts.values("pk") if isinstance(breakouts, QuerySet) else [b.pk for b in breakouts]
        )
        chosen_breakouts = chosen_breakouts.filter(pk__in=wanted)
    chosen = list(
        chosen_breakouts.select_related("subtheme")
        .prefetch_related(
            Prefetch("facilitators", queryset=Participant.objects.order_by("display_name", "pk"))
        )
        .annotate(member_count=Count("members", filter=Q(members__removed_at__isnull=True)))
        .order_by("subtheme__order", "name", "pk")
    )
    breakout_ids = [b.pk for b in chosen]
    people, named, attendance = _people(summit)

    prompt_rows = list(summit.prompts.select_related("subtheme"))
    prompts = [
        PromptEntry(p.order, p.text, p.subtheme.order if p.subtheme else None) for p in prompt_rows
    ]
    prompt_number = {p.pk: p.order for p in prompt_rows}

    clusters = list(Cluster.objects.filter(breakout_id__in=breakout_ids))
    cluster_names = {c.pk: c.name for c in clusters}
    cluster_ideas: dict[int, list[int]] = defaultdict(list)
    for cluster_id, idea_id in (
        Idea.objects.filter(cluster_id__in=cluster_names)
        .exclude(status=Idea.Status.WITHDRAWN)
        .order_by("pk")
        .values_list("cluster_id", "pk")
    ):
        cluster_ideas[cluster_id].append(idea_id)

    answered: dict[int, set[int]] = defaultdict(set)  # the questions each group's ideas answer
    for breakout_id, prompt_id in (
        Idea.objects.filter(breakout_id__in=breakout_ids, prompt__isnull=False)
        .order_by()
        .values_list("breakout_id", "prompt_id")
        .distinct()
    ):
        answered[breakout_id].add(prompt_number[prompt_id])
    ideas = (
        Idea.objects.filter(breakout_id__in=breakout_ids)
        .select_related("author")
        .only(*IDEA_FIELDS)
    )
    if not contributions:
        ideas = ideas.exclude(status=Idea.Status.VISIBLE)
    support = load_support(breakout_ids)
    idea_entries = [
        _idea_entry(i, prompt_number, cluster_names, support)
        for i in with_totals(ideas).order_by("pk")
    ]
    wall = on_the_wall(breakout_ids, idea_entries if contributions else None)
    if contributions:
        by_id = {i.id: i for i in idea_entries}
        for c in (
            Comment.objects.filter(idea__breakout_id__in=breakout_ids)
            .select_related("author")
            .only("idea", "text", "anonymous", "created_at", *person_fields("author"))
            .order_by("created_at", "pk")
        ):
            by_id[c.idea_id].comments.append(
                CommentEntry(
                    c.pk, c.idea_id, c.attribution, SECTORS[c.author.sector], c.text, c.created_at
                )
            )

    outcomes = list(
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
    )
    outcome_ids = {o.pk for o in outcomes}
    ratings: dict[int, Counter] = defaultdict(Counter)
    rating_sectors: dict[int, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    for outcome_id, level, sector, n in (
        Rating.objects.filter(outcome_id__in=outcome_ids)
        .values_list("outcome_id", "level", "rater__sector")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        ratings[outcome_id][level] += n
        rating_sectors[outcome_id][sector][level] += n
    rating_dissent: dict[int, list[Rating]] = defaultdict(list)
    for rating in (
        Rating.objects.filter(outcome_id__in=outcome_ids, level__in=DISSENT)
        .select_related("rater")
        .only("outcome", "level", *person_fields("rater"))
        .order_by("level", "pk")
    ):
        rating_dissent[rating.outcome_id].append(rating)

    assumption_texts = [a.text for a in summit.assumptions.all()]
    obstacle_texts = [o.text for o in summit.obstacles.all()]
    plenary = load_plenary(
        summit,
        outcome_ids,
        assumption_texts,
        obstacle_texts,
        person_fields("response__participant"),
    )
    assumptions = [AssumptionResult(n, text) for n, text in enumerate(assumption_texts, start=1)]
    if plenary.assumptions is not None:
        for result, statement in zip(assumptions, plenary.assumptions.statements, strict=True):
            result.rated = statement.rated
            result.levels = statement.levels
            result.challenges = statement.remarks
    obstacles = [RankedItem(n, t, 0, "not ranked") for n, t in enumerate(obstacle_texts, 1)]
    if plenary.obstacles is not None:
        obstacles = [
            RankedItem(n, bar.label, bar.count, bar.note)
            for n, bar in enumerate(plenary.obstacles.bars, start=1)
        ]

    # Breakouts in the summit's order; outcomes numbered through the record.
    by_breakout: dict[int, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        by_breakout[outcome.breakout_id].append(outcome)
    counts = count_contributions(breakout_ids)
    voices, voice = load_voice(breakout_ids)
    number = 0
    numbered: dict[int, OutcomeEntry] = {}
    dissent: list[Dissent] = []
    breakout_entries: dict[int, list[BreakoutEntry]] = defaultdict(list)
    for breakout in chosen:
        entries = []
        for outcome in by_breakout[breakout.pk]:
            number += 1
            own = "The group’s own ratings"
            entry = OutcomeEntry(
                number=number,
                id=outcome.pk,
                breakout=breakout.name,
                proposal=outcome.proposal,
                who_should_act=outcome.who_should_act,
                horizon=outcome.get_horizon_display(),
                drafted_by=outcome.drafted_by.attribution if outcome.drafted_by else "",
                sources=_sources(outcome),
                checks=[
                    _check(own, ratings[outcome.pk], rating_sectors[outcome.pk]),
                    *plenary.checks[outcome.pk],
                ],
            )
            dissent += [
                Dissent(
                    number,
                    outcome.proposal,
                    breakout.name,
                    own,
                    r.get_level_display(),
                    r.rater.attribution,
                    SECTORS[r.rater.sector],
                    "",
                )
                for r in rating_dissent[outcome.pk]
            ]
            dissent += [
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
            for statement in plenary.statements[outcome.pk]:
                statement.outcome = number
            numbered[outcome.pk] = entry
            entries.append(entry)
        mine = [i for i in idea_entries if i.breakout == breakout.pk]
        by_dots, by_support = orders(wall[breakout.pk], support)
        on_wall = [i for i in mine if i.status == Idea.Status.VISIBLE]  # if loaded
        dots_place = {pk: n for n, pk in enumerate(by_dots, start=1)}
        support_place = {pk: n for n, pk in enumerate(by_support, start=1)}
        for idea in on_wall:
            idea.place_by_dots = dots_place[idea.id]
            idea.place_by_support = support_place[idea.id]
        worked_on = answered[breakout.pk] | {
            p.number for p in prompts if p.subtheme == breakout.subtheme.order
        }
        breakout_entries[breakout.subtheme_id].append(
            BreakoutEntry(
                id=breakout.pk,
                name=breakout.name,
                subtheme=breakout.subtheme.title,
                phase=breakout.get_phase_display(),
                facilitators=[f.attribution for f in breakout.facilitators.all()],
                members=breakout.member_count,
                prompts=[p for p in prompts if p.number in worked_on],
                ideas=sorted(on_wall, key=lambda i: i.place_by_dots),
                hidden=[i for i in mine if i.status == Idea.Status.HIDDEN],
                withdrawn=[i for i in mine if i.status == Idea.Status.WITHDRAWN],
                merges=[
                    Merge(i.id, i.text, i.by, i.merged_into)
                    for i in mine
                    if i.status == Idea.Status.MERGED and i.merged_into is not None
                ],
                clusters=[
                    ClusterEntry(c.pk, c.name, cluster_ideas.get(c.pk, []))
                    for c in clusters
                    if c.breakout_id == breakout.pk
                ],
                outcomes=entries,
                idea_count=counts.ideas_by_breakout[breakout.pk],
                comment_count=counts.comments_by_breakout[breakout.pk],
                dots=counts.dots_by_breakout[breakout.pk],
                by_dots=by_dots,
                by_support=by_support,
                voice=voices[breakout.pk],
            )
        )
    dissent.sort(key=lambda d: (d.outcome, d.position != LEVEL_LABELS[Agreement.BLOCK]))

    figures, by_sector = participation(
        summit, breakout_ids, people, attendance, counts, plenary.polls, outcomes, ratings
    )
    return Record(
        generated_at=timezone.now(),
        slug=summit.slug,
        title=summit.title,
        convener=summit.convener,
        central_question=summit.central_question,
        summary=summit.summary,
        date=summit.date,
        status=summit.get_status_display(),
        whole=not scoped,
        scope=[b.name for b in chosen] if scoped else [],
        agenda=[
            AgendaEntry(
                i.order,
                i.get_kind_display(),
                i.title,
                _hhmm(i.starts_at),
                _hhmm(i.ends_at),
                i.description,
            )
            for i in summit.agenda.all()
        ],
        attendance=attendance,
        people=named,
        assumptions=assumptions,
        assumptions_responses=plenary.assumptions.responses if plenary.assumptions else 0,
        obstacles=obstacles,
        obstacles_responses=plenary.obstacles.responses if plenary.obstacles else 0,
        prompts=prompts,
        subthemes=[
            SubthemeEntry(
                s.order,
                s.title,
                s.question,
                [p for p in prompts if p.subtheme == s.order],
                breakout_entries[s.pk],
            )
            for s in summit.subthemes.all()
        ],
        dissent=dissent,
        polls=plenary.polls,
        figures=figures,
        by_sector=by_sector,
        voice=voice,
        audit=load_audit(summit, [b.name for b in chosen] if scoped else None),
        support=support,
    )
