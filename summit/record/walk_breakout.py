"""A breakout's section of the record, as blocks: its questions, its ideas in both orders,
its clusters, what became of the ideas taken off the wall, its outcomes (each with the ideas
it draws on and how it was rated) and its voice balance."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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
    Span,
    Table,
    dots_from,
    head,
    paragraph,
)
from summit.record.breakout_contents import (
    BreakoutEntry,
    IdeaEntry,
    OutcomeEntry,
    VoiceEntry,
)
from summit.record.contents import PromptEntry, Remark
from summit.record.texts import words


def prompt_items(prompts: Iterable[PromptEntry]) -> list[Item]:
    return [_prompt(p, words(p, "text")) for p in prompts]


def _prompt(p: PromptEntry, text: Span) -> Item:
    return Item(text.text, lead=question_number(p.number), lang=text.lang)


def question_number(number: int) -> str:
    """A question of the summit by its number: "Q3"."""
    return _("Q%(number)s") % {"number": number}


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
        return [Cell(_("Not rated")) for _rule in rules]
    return [Cell(_("Passes") if passes else _("Does not pass")) for _r, _a, passes in rules]


def _idea(idea: IdeaEntry) -> IdeaLine:
    return IdeaLine(
        number=idea.id,
        text=idea.text,
        by=idea.by,
        question=question_number(idea.prompt) if idea.prompt else "",
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
    yield Heading(3, _("Ideas by cross-sector support"))
    yield paragraph(str(parts.SUPPORT_NOTE), "hint")
    if not b.ideas:
        yield paragraph(_("No ideas."))
        return
    if b.by_dots == b.by_support:
        yield paragraph(_("Here the order is the same as by dots."))
    yield Ranking(
        [lines[i.id] for i in b.ideas_by_support],
        [str(label) for label in parts.SUPPORT_HEAD],
        _("Ideas in %(breakout)s in order of cross-sector support") % {"breakout": b.name},
    )


def _off_the_wall(b: BreakoutEntry) -> Iterator[Block]:
    """The ideas a facilitator hid or merged, and those their authors withdrew."""
    yield Heading(3, _("Hidden ideas (%(count)s)") % {"count": len(b.hidden)})
    if b.hidden:
        yield paragraph(
            _("Taken off the wall by a facilitator, who gave the reason shown."), "hint"
        )
        yield Table(
            head(_("No."), _("Idea"), _("From"), _("Reason for hiding")),
            [
                [Cell(f"#{i.id}"), Cell(i.text, look="text"), Cell(i.by), Cell(i.hidden_reason)]
                for i in b.hidden
            ],
            caption=_("Ideas hidden in %(breakout)s, with the reasons") % {"breakout": b.name},
        )
    else:
        yield paragraph(_("No idea was hidden."))
    yield Heading(3, _("Merged ideas (%(count)s)") % {"count": len(b.merges)})
    if b.merges:
        merged = _(
            "#%(idea)s “%(text)s” (%(by)s) was merged into #%(into)s, with its comments and dots."
        )
        yield Items(
            [
                Item(merged % {"idea": m.idea, "text": m.text, "by": m.by, "into": m.into})
                for m in b.merges
            ]
        )
    else:
        yield paragraph(_("No ideas were merged."))
    if b.withdrawn:
        yield Heading(3, _("Withdrawn ideas (%(count)s)") % {"count": len(b.withdrawn)})
        withdrawn = _("#%(idea)s “%(text)s” (%(by)s), withdrawn by its author.")
        yield Items(
            [Item(withdrawn % {"idea": i.id, "text": i.text, "by": i.by}) for i in b.withdrawn]
        )


def check_blocks(outcome: OutcomeEntry, anchor: str, *, remarks: bool = True) -> Iterator[Block]:
    """How an outcome was rated: each reading under each decision rule, then each reading
    by sector, with what people wrote (unless ``remarks`` is false: the summary names no
    one)."""
    rules = rule_heads(outcome.checks[0].decision.threshold)
    yield Table(
        [
            Cell(_("Reading")),
            Cell(_("Rated")),
            *(Cell(str(level.label)) for level in outcome.checks[0].levels),
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
            _("How outcome %(number)s was rated, and what each decision rule makes of it")
            % {"number": outcome.number}
        ),
        look=("compact", "numbers"),
        scroll=f"{anchor} {anchor}-check",
    )
    for check in outcome.checks:
        if check.sectors:
            yield Table(
                head(_("Sector"), _("Support"), _("Stand aside"), _("Disagree"), _("Block")),
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
                title=_("%(reading)s, by sector") % {"reading": check.where},
                look=("compact", "numbers"),
            )
        if remarks and check.remarks:
            yield paragraph(
                _("What people wrote (%(reading)s)") % {"reading": check.where.lower()}, "label"
            )
            yield remark_items(check.remarks)


def _outcome(outcome: OutcomeEntry) -> Iterator[Block]:
    anchor = f"outcome-{outcome.number}"
    yield Open("outcome", anchor)
    yield Heading(4, _("Outcome %(number)s") % {"number": outcome.number}, anchor)
    yield paragraph(outcome.proposal, "statement")
    facts = [Fact(_("Who should act"), outcome.who_should_act), Fact(_("When"), outcome.horizon)]
    if outcome.drafted_by:
        facts.append(Fact(_("Drafted by"), outcome.drafted_by))
    yield Facts(facts)
    yield Heading(5, _("Draws on"))
    yield Items(
        [
            Item(
                s.text,
                lead=_("Idea #%(number)s") % {"number": s.idea},
                sep=": ",
                by=s.by,
                detail=dots_from(s.dots, s.voters) + ("" if s.visible else f" · {s.status}"),
                link=f"idea-{s.idea}",
            )
            for s in outcome.sources
        ],
        "sources",
        empty=_("No ideas were cited."),
    )
    yield Heading(5, _("Consensus check"), f"{anchor}-check")
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
            caption=_("Each sector’s share of the members and of the contributions: %(where)s")
            % {"where": where},
            look=("compact", "numbers"),
        )
    yield Close("voice")


def breakout_blocks(b: BreakoutEntry) -> Iterator[Block]:
    """A breakout's section, after its heading."""
    subtheme = words(b, "subtheme")
    yield Facts(
        [
            Fact(_("Subtheme"), subtheme.text, lang=subtheme.lang),
            Fact(_("Facilitated by"), "; ".join(b.facilitators) or _("Nobody named")),
            Fact(_("Members"), str(b.members)),
            Fact(_("Reached"), b.phase),
            Fact(_("Contributions"), _contributions(b)),
        ]
    )
    yield Heading(3, _("Questions"))
    yield Items(prompt_items(b.prompts), "prompts", empty=_("No question was set."))
    yield Heading(3, _("Ideas (%(count)s)") % {"count": len(b.ideas)})
    yield paragraph(str(parts.IDEAS_NOTE), "hint")
    lines = {i.id: _idea(i) for i in b.ideas}  # most dots first
    if lines:
        yield Ideas(
            list(lines.values()), _("Ideas in %(breakout)s, most dots first") % {"breakout": b.name}
        )
    else:
        yield paragraph(_("No ideas."))
    yield from _support_order(b, lines)
    yield Heading(3, _("Clusters (%(count)s)") % {"count": len(b.clusters)})
    if b.clusters:
        yield Items(
            [
                Item(", ".join(f"#{i}" for i in c.ideas) or _("no ideas"), lead=c.name, sep=": ")
                for c in b.clusters
            ]
        )
    else:
        yield paragraph(_("The facilitator made no clusters."))
    yield from _off_the_wall(b)
    yield Heading(3, _("Outcomes (%(count)s)") % {"count": len(b.outcomes)})
    for outcome in b.outcomes:
        yield from _outcome(outcome)
    if not b.outcomes:
        yield paragraph(_("The group drafted no outcomes."))
    if b.voice is not None:
        yield from voice_blocks(b.voice, _("Voice balance"), f"voice-{b.id}", b.name)


def _contributions(b: BreakoutEntry) -> str:
    """A breakout's contributions in words: "12 ideas, 30 comments, 48 dots"."""
    return ", ".join(
        [
            ngettext("%(count)s idea", "%(count)s ideas", b.idea_count) % {"count": b.idea_count},
            ngettext("%(count)s comment", "%(count)s comments", b.comment_count)
            % {"count": b.comment_count},
            ngettext("%(count)s dot", "%(count)s dots", b.dots) % {"count": b.dots},
        ]
    )
