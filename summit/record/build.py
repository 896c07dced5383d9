"""The record's content, loaded in a number of queries that does not grow with the people,
ideas, comments, votes or answers: a fixed set, plus at most three for each poll run.

Each part has a loader of its own: the breakouts' ideas in ``ideas``, their outcomes in
``outcomes``, the plenary in ``polls``, the figures in ``participation``, cross-sector
support in ``support``, voice balance in ``voice``, the questions from the floor in
``floor``, the themes across rooms in ``themes`` and the log in ``audit``. Every person is
named through the models' ``attribution`` properties, so whoever chose anonymity is
"Anonymous (sector)" wherever the record mentions them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.feedback import load_feedback
from accounts.models import Participant, give_sector_names
from breakouts.models import Breakout, Idea
from summit.event.models import Summit
from summit.event.sectors import in_sector_order, sector_names
from summit.record.actions import attach_actions
from summit.record.audit import load_audit
from summit.record.breakout_contents import (
    BreakoutEntry,
    Merge,
    OutcomeEntry,
    SubthemeEntry,
    VoiceEntry,
)
from summit.record.contents import (
    AgendaEntry,
    AssumptionResult,
    Person,
    PromptEntry,
    RankedItem,
    Record,
    SectorCount,
    activity_shown,
    attendance_shown,
)
from summit.record.floor import load_floor
from summit.record.ideas import Walls, load_walls, person_fields
from summit.record.outcomes import load_outcomes, number_outcomes
from summit.record.participation import Contributions, count_contributions, participation
from summit.record.polls import PlenaryPart, load_plenary
from summit.record.shift import load_shifts
from summit.record.support import orders
from summit.record.themes import load_themes
from summit.record.voice import load_voice

ROLE_ORDER = {
    Participant.Role.ORGANISER: 0,
    Participant.Role.FACILITATOR: 1,
    Participant.Role.ATTENDEE: 2,
}


def _hhmm(value: dt.time | None) -> str:
    return value.strftime("%H:%M") if value else ""


def _chosen(summit: Summit, breakouts: Iterable[Breakout] | None) -> list[Breakout]:
    """The record's breakouts in the summit's order, with their facilitators and members."""
    chosen = Breakout.objects.filter(summit=summit)
    if breakouts is not None:
        wanted = (
            breakouts.values("pk") if isinstance(breakouts, QuerySet) else [b.pk for b in breakouts]
        )
        chosen = chosen.filter(pk__in=wanted)
    return list(
        chosen.select_related("subtheme")
        .prefetch_related(
            Prefetch("facilitators", queryset=Participant.objects.order_by("display_name", "pk"))
        )
        .annotate(member_count=Count("members", filter=Q(members__removed_at__isnull=True)))
        .order_by("subtheme__order", "name", "pk")
    )


def _people(
    summit: Summit, names: dict[str, str]
) -> tuple[list[Participant], list[Person], list[SectorCount]]:
    """Everyone in the summit: as the record names them, and counted by sector (in the
    summit's order, ``names``) and role."""
    people = list(Participant.objects.active().filter(summit=summit).order_by("pk"))
    give_sector_names(people, names)
    counts: dict[str, SectorCount] = {}
    for person in people:
        row = counts.setdefault(person.sector, SectorCount(person.sector_label))
        if person.is_organiser:
            row.organisers += 1
        elif person.is_facilitator:
            row.facilitators += 1
        else:
            row.attendees += 1
    listed = sorted(people, key=lambda p: (ROLE_ORDER[p.role], p.attribution.casefold(), p.pk))
    return (
        people,
        [Person(p.attribution, p.sector_label, p.get_role_display()) for p in listed],
        [counts[s] for s in in_sector_order(counts, names)],
    )


def _total(attendance: list[SectorCount]) -> SectorCount:
    return SectorCount(
        _("All sectors"),
        attendees=sum(s.attendees for s in attendance),
        facilitators=sum(s.facilitators for s in attendance),
        organisers=sum(s.organisers for s in attendance),
    )


def _plenary(
    summit: Summit, outcome_ids: set[int], names: dict[str, str]
) -> tuple[PlenaryPart, list[AssumptionResult], list[RankedItem]]:
    """The plenary's polls, and the working assumptions and obstacles with their results."""
    assumption_rows = list(summit.assumptions.all())
    assumption_texts = [a.text for a in assumption_rows]
    obstacle_rows = list(summit.obstacles.all())
    obstacle_texts = [o.text for o in obstacle_rows]
    plenary = load_plenary(
        summit,
        outcome_ids,
        assumption_texts,
        obstacle_texts,
        person_fields("response__participant"),
        names,
    )
    assumptions = [
        AssumptionResult(n, a.text, text_cy=a.text_cy)
        for n, a in enumerate(assumption_rows, start=1)
    ]
    if plenary.assumptions is not None:
        for result, statement in zip(assumptions, plenary.assumptions.statements, strict=True):
            result.rated = statement.rated
            result.levels = statement.levels
            result.challenges = statement.remarks
    unranked = _("not ranked")
    obstacles = [
        RankedItem(n, o.text, 0, unranked, o.text_cy) for n, o in enumerate(obstacle_rows, 1)
    ]
    if plenary.obstacles is not None:
        obstacles = [
            RankedItem(n, bar.label, bar.count, bar.note, bar.label_cy)
            for n, bar in enumerate(plenary.obstacles.bars, start=1)
        ]
    return plenary, assumptions, obstacles


def _breakout(
    breakout: Breakout,
    walls: Walls,
    outcomes: list[OutcomeEntry],
    prompts: list[PromptEntry],
    counts: Contributions,
    voice: VoiceEntry | None,
) -> BreakoutEntry:
    """One breakout: its questions, its ideas in both orders and what else became of them,
    its clusters and outcomes, and its voice balance."""
    mine = walls.ideas[breakout.pk]
    by_dots, by_support = orders(walls.wall[breakout.pk], walls.support)
    on_wall = [i for i in mine if i.status == Idea.Status.VISIBLE]  # if loaded
    dots_place = {pk: n for n, pk in enumerate(by_dots, start=1)}
    support_place = {pk: n for n, pk in enumerate(by_support, start=1)}
    for idea in on_wall:
        idea.place_by_dots = dots_place[idea.id]
        idea.place_by_support = support_place[idea.id]
    worked_on = walls.answered[breakout.pk] | {
        p.number for p in prompts if p.subtheme == breakout.subtheme.order
    }
    return BreakoutEntry(
        id=breakout.pk,
        name=breakout.name,
        subtheme=breakout.subtheme.title,
        subtheme_cy=breakout.subtheme.title_cy,
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
        clusters=walls.clusters[breakout.pk],
        outcomes=outcomes,
        idea_count=counts.ideas_by_breakout[breakout.pk],
        comment_count=counts.comments_by_breakout[breakout.pk],
        dots=counts.dots_by_breakout[breakout.pk],
        by_dots=by_dots,
        by_support=by_support,
        voice=voice,
    )


def _agenda(summit: Summit) -> list[AgendaEntry]:
    return [
        AgendaEntry(
            i.order,
            i.get_kind_display(),
            i.title,
            _hhmm(i.starts_at),
            _hhmm(i.ends_at),
            i.description,
            i.title_cy,
            i.description_cy,
        )
        for i in summit.agenda.all()
    ]


def _subthemes(
    summit: Summit, prompts: list[PromptEntry], breakouts: dict[int, list[BreakoutEntry]]
) -> list[SubthemeEntry]:
    """Each subtheme with its questions and the record's breakouts on it."""
    return [
        SubthemeEntry(
            s.order,
            s.title,
            s.question,
            [p for p in prompts if p.subtheme == s.order],
            breakouts.get(s.pk, []),
            s.title_cy,
            s.question_cy,
        )
        for s in summit.subthemes.all()
    ]


def _prompts(summit: Summit) -> tuple[dict[int, int], list[PromptEntry]]:
    """The summit's questions: each one's number by its id, and as the record gives them."""
    rows = list(summit.prompts.select_related("subtheme"))
    return {p.pk: p.order for p in rows}, [
        PromptEntry(p.order, p.text, p.subtheme.order if p.subtheme else None, p.text_cy)
        for p in rows
    ]


def build_record(
    summit: Summit,
    breakouts: Iterable[Breakout] | None = None,
    *,
    contributions: bool = True,
    themes: bool = True,
) -> Record:
    """The summit's record: all of it, or with ``breakouts`` given (a facilitator's), only
    those breakouts' ideas and outcomes and the consensus check rows of their outcomes,
    with everything else as for the whole summit.

    ``contributions=False`` leaves out the ideas on the wall and every comment, for the
    formats that stream those from ``rows`` instead; hidden, merged and withdrawn ideas,
    clusters, the outcomes with the ideas they draw on, and the numbers of the ideas on the
    wall in both orders (by dots and by cross-sector support) stay. ``themes=False`` leaves
    out the themes across rooms (the summary says nothing of them)."""
    scoped = breakouts is not None
    # Read once: every sector the record names, it names as the summit now does.
    names = sector_names(summit)
    chosen = _chosen(summit, breakouts)
    give_sector_names((f for b in chosen for f in b.facilitators.all()), names)
    breakout_ids = [b.pk for b in chosen]
    people, named, attendance = _people(summit, names)
    numbers, prompts = _prompts(summit)
    walls = load_walls(breakout_ids, numbers, names, contributions=contributions)
    loaded = load_outcomes(breakout_ids, names)
    plenary, assumptions, obstacles = _plenary(summit, loaded.ids, names)
    counts = count_contributions(breakout_ids)
    voices, voice = load_voice(breakout_ids, names)
    outcomes, dissent = number_outcomes(chosen, loaded, plenary, summit.supermajority)
    attach_actions(o for entries in outcomes.values() for o in entries)
    in_subtheme: dict[int, list[BreakoutEntry]] = {}
    for b in chosen:
        in_subtheme.setdefault(b.subtheme_id, []).append(
            _breakout(b, walls, outcomes[b.pk], prompts, counts, voices[b.pk])
        )
    polls, ratings = plenary.polls, loaded.ratings
    figures, by_sector = participation(
        summit, breakout_ids, people, attendance, counts, polls, loaded.outcomes, ratings, names
    )
    return Record(
        generated_at=timezone.now(),
        slug=summit.slug,
        title=summit.title,
        title_cy=summit.title_cy,
        convener=summit.convener,
        central_question=summit.central_question,
        central_question_cy=summit.central_question_cy,
        summary=summit.summary,
        summary_cy=summit.summary_cy,
        date=summit.date,
        status=summit.get_status_display(),
        whole=not scoped,
        scope=[b.name for b in chosen] if scoped else [],
        agenda=_agenda(summit),
        attendance=attendance_shown(attendance),
        attendance_total=_total(attendance),
        people=named,
        assumptions=assumptions,
        assumptions_responses=plenary.assumptions.responses if plenary.assumptions else 0,
        obstacles=obstacles,
        obstacles_responses=plenary.obstacles.responses if plenary.obstacles else 0,
        prompts=prompts,
        subthemes=_subthemes(summit, prompts, in_subtheme),
        dissent=dissent,
        polls=plenary.polls,
        figures=figures,
        by_sector=activity_shown(by_sector),
        voice=voice,
        audit=load_audit(summit, names, [b.name for b in chosen] if scoped else None),
        support=walls.support,
        supermajority=summit.supermajority,
        sector_names=names,
        feedback=load_feedback(summit, names),
        shifts=load_shifts(plenary.runs, names),
        floor=load_floor(summit, names),
        themes=load_themes(summit, chosen, outcomes, names, whole=not scoped) if themes else [],
    )
