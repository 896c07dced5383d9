"""A breakout's section of the record, as blocks: its questions, its ideas in both orders,
its clusters, what became of the ideas taken off the wall, its outcomes (each with the ideas
it draws on and how it was rated) and its voice balance."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from summit.event.agreement import RULES, Decision
from summit.event.measures import withheld_or
from summit.record import parts
from summit.record.actions import action_blocks
from summit.record.blocks import (
    Block,
    Cell,
    Close,
    Fact,
    Facts,
    Heading,
    IdeaLine,
    Ideas,
    Item,
    Items,
    Open,
    Ranking,
    Table,
    head,
    paragraph,
    people,
    plural,
)
from summit.record.breakout_contents import (
    BreakoutEntry,
    IdeaEntry,
    OutcomeEntry,
    VoiceEntry,
)
from summit.record.contents import PromptEntry, Remark


def prompt_items(prompts: Iterable[PromptEntry]) -> list[Item]:
    return [Item(p.text, lead=f"Q{p.number}") for p in prompts]


def remark_items(remarks: Iterable[Remark]) -> Items:
    return Items([Item(r.text, by=r.by, detail=r.position) for r in remarks], "remarks")


def rule_heads(supermajority: int) -> list[Cell]:
    """The decision rules as a table's head gives them: each name, and what it asks."""
    notes = parts.rule_notes(supermajority)
    return [Cell(str(label), note=note) for (_, label, _), note in zip(RULES, notes, strict=True)]


def verdicts(rated: int, decision: Decision) -> list[Cell]:
    """What each decision rule makes of a reading."""
    rules = decision.rules()
    if not rated:
        return [Cell("Not rated") for _ in rules]
    return [Cell("Passes" if passes else "Does not pass") for _, _, passes in rules]


def _idea(idea: IdeaEntry) -> IdeaLine:
    return IdeaLine(
        number=idea.id,
        text=idea.text,
        by=idea.by,
        question=f"Q{idea.prompt}" if idea.prompt else "",
        cluster=idea.cluster,
        dots=idea.dots,
        voters=idea.voters,
        score=parts.score(idea.support.score),
        supporters=idea.support.breakdown(),
        place_by_dots=idea.place_by_dots,
        place_by_support=idea.place_by_support,
        comments=[Item(c.text, by=c.by) for c in idea.comments],
    )


def _support_order(b: BreakoutEntry, lines: dict[int, IdeaLine]) -> Iterator[Block]:
    yield Heading(3, "Ideas by cross-sector support")
    yield paragraph(parts.SUPPORT_NOTE, "hint")
    if not b.ideas:
        yield paragraph("No ideas.")
        return
    if b.by_dots == b.by_support:
        yield paragraph("Here the order is the same as by dots.")
    yield Ranking(
        [lines[i.id] for i in b.ideas_by_support],
        parts.SUPPORT_HEAD,
        f"Ideas in {b.name} in order of cross-sector support",
    )


def _off_the_wall(b: BreakoutEntry) -> Iterator[Block]:
    """The ideas a facilitator hid or merged, and those their authors withdrew."""
    yield Heading(3, f"Hidden ideas ({len(b.hidden)})")
    if b.hidden:
        yield paragraph("Taken off the wall by a facilitator, who gave the reason shown.", "hint")
        yield Table(
            head("No.", "Idea", "From", "Reason for hiding"),
            [
                [Cell(f"#{i.id}"), Cell(i.text, look="text"), Cell(i.by), Cell(i.hidden_reason)]
                for i in b.hidden
            ],
            caption=f"Ideas hidden in {b.name}, with the reasons",
        )
    else:
        yield paragraph("No idea was hidden.")
    yield Heading(3, f"Merged ideas ({len(b.merges)})")
    if b.merges:
        yield Items(
            [
                Item(
                    f"#{m.idea} “{m.text}” ({m.by}) was merged into #{m.into}, "
                    "with its comments and dots."
                )
                for m in b.merges
            ]
        )
    else:
        yield paragraph("No ideas were merged.")
    if b.withdrawn:
        yield Heading(3, f"Withdrawn ideas ({len(b.withdrawn)})")
        yield Items(
            [Item(f"#{i.id} “{i.text}” ({i.by}), withdrawn by its author.") for i in b.withdrawn]
        )


def check_blocks(outcome: OutcomeEntry, anchor: str, *, remarks: bool = True) -> Iterator[Block]:
    """How an outcome was rated: each reading under each decision rule, then each reading
    by sector, with what people wrote (unless ``remarks`` is false: the summary names no
    one)."""
    rules = rule_heads(outcome.checks[0].decision.threshold)
    yield Table(
        [
            Cell("Reading"),
            Cell("Rated"),
            *(Cell(level.label) for level in outcome.checks[0].levels),
            *rules,
        ],
        [
            [
                Cell(c.where, header=True),
                Cell(c.rated),
                *(Cell(level.count) for level in c.levels),
                *verdicts(c.rated, c.decision),
            ]
            for c in outcome.checks
        ],
        caption=(
            f"How outcome {outcome.number} was rated, and what each decision rule makes of it"
        ),
        look=("compact", "numbers"),
        scroll=f"{anchor} {anchor}-check",
    )
    for check in outcome.checks:
        if check.sectors:
            yield Table(
                head("Sector", "Support", "Stand aside", "Disagree", "Block"),
                [
                    [
                        Cell(s.sector, header=True),
                        *(
                            Cell(withheld_or(n))
                            for n in (s.support, s.stand_aside, s.disagree, s.block)
                        ),
                    ]
                    for s in check.sectors
                ],
                title=f"{check.where}, by sector",
                look=("compact", "numbers"),
            )
        if remarks and check.remarks:
            yield paragraph(f"What people wrote ({check.where.lower()})", "label")
            yield remark_items(check.remarks)


def _outcome(outcome: OutcomeEntry) -> Iterator[Block]:
    anchor = f"outcome-{outcome.number}"
    yield Open("outcome", anchor)
    yield Heading(4, f"Outcome {outcome.number}", anchor)
    yield paragraph(outcome.proposal, "statement")
    facts = [Fact("Who should act", outcome.who_should_act), Fact("When", outcome.horizon)]
    if outcome.drafted_by:
        facts.append(Fact("Drafted by", outcome.drafted_by))
    yield Facts(facts)
    yield Heading(5, "Draws on")
    yield Items(
        [
            Item(
                s.text,
                lead=f"Idea #{s.idea}",
                sep=": ",
                by=s.by,
                detail=f"{plural(s.dots, 'dot', 'dots')} from {people(s.voters)}"
                + (f" · {s.status}" if s.status != "Visible" else ""),
                link=f"idea-{s.idea}",
            )
            for s in outcome.sources
        ],
        "sources",
        empty="No ideas were cited.",
    )
    yield Heading(5, "Consensus check", f"{anchor}-check")
    yield from check_blocks(outcome, anchor)
    yield from action_blocks(outcome, anchor)
    yield Close("outcome")


def voice_blocks(
    voice: VoiceEntry, heading: str, anchor: str, where: str, note: str = ""
) -> Iterator[Block]:
    """A voice balance: its figures, and each sector's share of the members and of what
    they contributed. Those who did not contribute are counted, never named."""
    yield Open("voice", anchor)
    yield Heading(3, heading)
    yield paragraph(f"{parts.VOICE_NOTE} {note}".strip(), "hint")
    yield Facts([Fact(label, value) for label, value in parts.voice_facts(voice)])
    if voice.sectors:
        yield Table(
            head(*parts.VOICE_HEAD),
            [
                [
                    Cell(s.sector, header=True),
                    Cell(withheld_or(s.members)),
                    Cell(parts.percent(s.member_share)),
                    Cell(s.contributions),
                    Cell(parts.percent(s.contribution_share)),
                ]
                for s in voice.sectors
            ],
            caption=f"Each sector’s share of the members and of the contributions: {where}",
            look=("compact", "numbers"),
        )
    yield Close("voice")


def breakout_blocks(b: BreakoutEntry) -> Iterator[Block]:
    """A breakout's section, after its heading."""
    contributions = (
        f"{plural(b.idea_count, 'idea', 'ideas')}, "
        f"{plural(b.comment_count, 'comment', 'comments')}, {plural(b.dots, 'dot', 'dots')}"
    )
    yield Facts(
        [
            Fact("Subtheme", b.subtheme),
            Fact("Facilitated by", "; ".join(b.facilitators) or "Nobody named"),
            Fact("Members", str(b.members)),
            Fact("Reached", b.phase),
            Fact("Contributions", contributions),
        ]
    )
    yield Heading(3, "Questions")
    yield Items(prompt_items(b.prompts), "prompts", empty="No question was set.")
    yield Heading(3, f"Ideas ({len(b.ideas)})")
    yield paragraph(parts.IDEAS_NOTE, "hint")
    lines = {i.id: _idea(i) for i in b.ideas}  # most dots first
    if lines:
        yield Ideas(list(lines.values()), f"Ideas in {b.name}, most dots first")
    else:
        yield paragraph("No ideas.")
    yield from _support_order(b, lines)
    yield Heading(3, f"Clusters ({len(b.clusters)})")
    if b.clusters:
        yield Items(
            [
                Item(", ".join(f"#{i}" for i in c.ideas) or "no ideas", lead=c.name, sep=": ")
                for c in b.clusters
            ]
        )
    else:
        yield paragraph("The facilitator made no clusters.")
    yield from _off_the_wall(b)
    yield Heading(3, f"Outcomes ({len(b.outcomes)})")
    for outcome in b.outcomes:
        yield from _outcome(outcome)
    if not b.outcomes:
        yield paragraph("The group drafted no outcomes.")
    if b.voice is not None:
        yield from voice_blocks(b.voice, "Voice balance", f"voice-{b.id}", b.name)
