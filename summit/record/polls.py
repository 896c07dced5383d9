"""The plenary's polls in the record: each poll run, tallied by ``plenary.results.tally`` (at
most three queries a poll, however many answered), with what people wrote attributed as they
chose, and the day's own polls (the assumptions check, the obstacles ranking and the
consensus checks) recognised so that their results go with what they are about."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.models import give_sector_names
from plenary.forms import levels_for
from plenary.models import Answer, Poll
from plenary.results import Results, tally
from summit.event.agreement import Agreement
from summit.event.models import Summit
from summit.record.breakout_contents import Check, SectorSplit
from summit.record.contents import (
    ASSUMPTIONS,
    CONSENSUS,
    OBSTACLES,
    Bar,
    Level,
    PollEntry,
    Remark,
    StatementEntry,
)

DISSENT = (Agreement.BLOCK, Agreement.DISAGREE)


@dataclass
class PlenaryPart:
    """The polls, and what the record's outcomes got in the consensus checks."""

    polls: list[PollEntry]
    runs: list[Poll] = field(default_factory=list)  # the polls run, options prefetched
    assumptions: PollEntry | None = None
    obstacles: PollEntry | None = None
    # By outcome id: each round of the consensus check, its row in the poll, and every
    # disagreement or block with the round it was given in.
    checks: dict[int, list[Check]] = field(default_factory=lambda: defaultdict(list))
    statements: dict[int, list[StatementEntry]] = field(default_factory=lambda: defaultdict(list))
    against: dict[int, list[tuple[str, Remark]]] = field(default_factory=lambda: defaultdict(list))


def round_name(round_: int) -> str:
    return _("Consensus check in the plenary, round %(round)s") % {"round": round_}


def _polls_run(summit: Summit) -> list[Poll]:
    """The polls that were run: a draft has never been open, so nobody answered it."""
    return list(
        Poll.objects.filter(plenary__summit=summit)
        .exclude(state=Poll.State.DRAFT)
        .select_related("agenda_item")
        .prefetch_related("options")
        .order_by("created_at", "pk")
    )


def _written(
    polls: list[Poll], in_scope: set[int], person_fields: list[str], names: dict[str, str]
):
    """What people wrote (challenges, reasons, open text), and every disagreement or block
    in a consensus check, written or not: one query for every poll."""
    by_id = {p.pk: p for p in polls}
    if not by_id:
        return
    answers = (
        Answer.objects.filter(
            response__poll_id__in=by_id,
            response__poll__kind__in=[Poll.Kind.SCALE, Poll.Kind.CONSENSUS, Poll.Kind.TEXT],
        )
        .filter(~Q(text="") | Q(response__poll__kind=Poll.Kind.CONSENSUS, value__in=DISSENT))
        .select_related("response__participant")
        .only("option", "value", "text", "response__poll", *person_fields)
        .order_by("response__poll_id", "option_id", "value", "pk")
    )
    levels = {pk: dict(levels_for(poll)) if poll.rated else {} for pk, poll in by_id.items()}
    for answer in answers:
        poll = by_id[answer.response.poll_id]
        if poll.kind == Poll.Kind.CONSENSUS and answer.option_id not in in_scope:
            continue
        person = answer.response.participant
        give_sector_names([person], names)
        remark = Remark(
            person.attribution,
            person.sector_label,
            str(levels[poll.pk].get(answer.value, "")),
            answer.text,
        )
        yield poll, answer, remark


def _entry(poll: Poll, results: Results, part: str, remarks: dict) -> PollEntry:
    return PollEntry(
        id=poll.pk,
        question=poll.question,
        question_cy=poll.question_cy,
        kind=poll.kind,
        kind_label=poll.get_kind_display(),
        state=poll.get_state_display(),
        responses=results.responses,
        agenda_item=poll.agenda_item.title if poll.agenda_item else "",
        agenda_item_cy=poll.agenda_item.title_cy if poll.agenda_item else "",
        part=part,
        bars=[
            Bar(str(b.label), b.count, str(b.note), b.option.text_cy if b.option else "")
            for b in results.bars
        ],
        words=[(w.text, w.count) for w in results.words],
        remarks=remarks.get(-poll.pk, []),
        statements=[
            StatementEntry(
                text=statement.option.text,
                text_cy=statement.option.text_cy,
                rated=statement.rated,
                levels=[Level(s.value, str(s.label), s.count) for s in statement.segments],
                decision=statement.decision,
                # As the plenary's screens showed them.
                sectors=[
                    SectorSplit(
                        str(s.sector), s.support, s.stand_aside, s.against, s.blocks, s.withheld
                    )
                    for s in statement.sectors_shown
                ],
                remarks=remarks.get(statement.option.pk, []),
            )
            for statement in results.statements
        ],
    )


def load_plenary(
    summit: Summit,
    outcome_ids: set[int],
    assumptions: list[str],
    obstacles: list[str],
    person_fields: list[str],
    names: dict[str, str],
) -> PlenaryPart:
    """Every poll run in the summit's plenary, sectors named as in ``names`` (the summit's);
    in the consensus checks, only the rows of the outcomes in ``outcome_ids``. The assumptions
    check and the obstacles ranking are the polls of their kind whose options are the
    summit's assumptions and obstacles."""
    polls = _polls_run(summit)
    in_scope = {  # the consensus checks' rows on this record's outcomes
        poll.pk: [o for o in poll.options.all() if o.outcome_id in outcome_ids]
        for poll in polls
        if poll.kind == Poll.Kind.CONSENSUS
    }
    outcome_of = {o.pk: o.outcome_id for options in in_scope.values() for o in options}
    remarks: dict[int, list[Remark]] = defaultdict(list)  # by option; open text by -poll
    against: list[tuple[Poll, int, Remark]] = []
    for poll, answer, remark in _written(polls, set(outcome_of), person_fields, names):
        if answer.text:
            remarks[answer.option_id or -poll.pk].append(remark)
        if poll.kind == Poll.Kind.CONSENSUS and answer.value in DISSENT:
            against.append((poll, outcome_of[answer.option_id], remark))

    plenary = PlenaryPart(polls=[], runs=polls)
    rounds: dict[int, int] = {}
    for poll in polls:
        options = list(poll.options.all())
        texts = [o.text for o in options]
        part = ""
        if poll.kind == Poll.Kind.CONSENSUS:
            options = in_scope[poll.pk]
            part = CONSENSUS
            rounds[poll.pk] = len(rounds) + 1
        elif poll.kind == Poll.Kind.SCALE and texts == assumptions and not plenary.assumptions:
            part = ASSUMPTIONS
        elif (
            poll.kind == Poll.Kind.RANKING
            and sorted(texts) == sorted(obstacles)
            and not plenary.obstacles
        ):
            part = OBSTACLES
        results = tally(
            poll,
            options if poll.has_options else None,
            names,
            supermajority=summit.supermajority,
        )
        entry = _entry(poll, results, part, remarks)
        entry.round = rounds.get(poll.pk)
        if part == ASSUMPTIONS:
            plenary.assumptions = entry
        elif part == OBSTACLES:
            plenary.obstacles = entry
        elif part == CONSENSUS:
            for option, statement in zip(options, entry.statements, strict=True):
                plenary.statements[option.outcome_id].append(statement)
                plenary.checks[option.outcome_id].append(
                    Check(
                        round_name(entry.round),
                        entry.id,
                        statement.rated,
                        statement.levels,
                        statement.decision,
                        statement.sectors,
                        statement.remarks,
                    )
                )
        plenary.polls.append(entry)
    for poll, outcome_id, remark in against:
        plenary.against[outcome_id].append((round_name(rounds[poll.pk]), remark))
    return plenary
