"""The record as Markdown (CommonMark with GitHub's tables), with the same sections as the
record page."""

from __future__ import annotations

import re
from collections.abc import Iterator

from django.utils import timezone

from summit.record import parts
from summit.record.contents import (
    BreakoutEntry,
    Check,
    OutcomeEntry,
    PollEntry,
    Record,
    Remark,
    VoiceEntry,
)

# Characters that would otherwise become markup, a link, HTML or an entity.
_MARKUP = re.compile(r"([\\`*_\[\]<>|~#&])")
_LINE_START = re.compile(r"^(\d+)([.)])|^([-+=])")


def esc(text: str, *, starts_line: bool = True) -> str:
    """Text exactly as written, on one line, with nothing in it read as Markdown. Text that
    does not start a line (a table's cell, what follows a label) cannot start a list or a
    heading, so "2.50" stays as it is there."""
    text = " ".join(str(text).split())
    text = _MARKUP.sub(r"\\\1", text)
    if not starts_line:
        return text
    return _LINE_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", text)


def _table(head: list[str], rows: list[list]) -> Iterator[str]:
    yield "| " + " | ".join(esc(h, starts_line=False) for h in head) + " |"
    yield "|" + "|".join(" --- " for _ in head) + "|"
    for row in rows:
        yield "| " + " | ".join(esc(cell, starts_line=False) for cell in row) + " |"
    yield ""


def _remarks(remarks: list[Remark]) -> Iterator[str]:
    for r in remarks:
        position = f" · {esc(r.position)}" if r.position else ""
        yield f"- {esc(r.text)} — *{esc(r.by)}*{position}"
    yield ""


def _passes(check: Check | None, rated: int) -> list[str]:
    if check is None or not rated:
        return ["Not rated"] * 3
    return ["Passes" if passes else "Does not pass" for _, _, passes in check.decision.rules()]


def _outcome(outcome: OutcomeEntry) -> Iterator[str]:
    yield f"#### Outcome {outcome.number}"
    yield ""
    yield f"**{esc(outcome.proposal)}**"
    yield ""
    yield f"- Who should act: {esc(outcome.who_should_act)}"
    yield f"- When: {esc(outcome.horizon)}"
    if outcome.drafted_by:
        yield f"- Drafted by: {esc(outcome.drafted_by)}"
    yield ""
    yield "##### Draws on"
    yield ""
    for s in outcome.sources:
        plural = "" if s.dots == 1 else "s"
        status = f" · {esc(s.status)}" if s.status != "Visible" else ""
        yield (
            f"- Idea #{s.idea}: {esc(s.text)} — *{esc(s.by)}* · {s.dots} dot{plural} from "
            f"{s.voters} {'person' if s.voters == 1 else 'people'}{status}"
        )
    if not outcome.sources:
        yield "- No ideas were cited."
    yield ""
    yield "##### Consensus check"
    yield ""
    labels = [level.label for level in outcome.checks[0].levels]
    yield from _table(
        ["Reading", "Rated", *labels, "Consensus", "Supermajority", "Simple majority"],
        [
            [c.where, c.rated, *(level.count for level in c.levels), *_passes(c, c.rated)]
            for c in outcome.checks
        ],
    )
    for check in outcome.checks:
        if check.sectors:
            yield f"{esc(check.where)}, by sector:"
            yield ""
            yield from _table(
                ["Sector", "Support", "Stand aside", "Disagree", "Block"],
                [[s.sector, s.support, s.stand_aside, s.disagree, s.block] for s in check.sectors],
            )
        if check.remarks:
            yield f"What people wrote ({esc(check.where.lower())}):"
            yield ""
            yield from _remarks(check.remarks)


def _support_order(b: BreakoutEntry) -> Iterator[str]:
    yield "### Ideas by cross-sector support"
    yield ""
    yield parts.SUPPORT_NOTE
    yield ""
    if not b.ideas:
        yield "No ideas."
        yield ""
        return
    if b.by_dots == b.by_support:
        yield "Here the order is the same as by dots."
        yield ""
    yield from _table(parts.SUPPORT_HEAD, parts.support_rows(b))


def _voice(voice: VoiceEntry, heading: str, note: str = "") -> Iterator[str]:
    yield heading
    yield ""
    yield f"{parts.VOICE_NOTE} {note}".strip()
    yield ""
    for label, value in parts.voice_facts(voice):
        yield f"- {label}: {esc(value, starts_line=False)}"
    yield ""
    if voice.sectors:
        yield from _table(parts.VOICE_HEAD, parts.voice_rows(voice))


def _poll(poll: PollEntry) -> Iterator[str]:
    yield f"### {esc(poll.question)}"
    yield ""
    round_ = f", round {poll.round}" if poll.round else ""
    where = f" · {esc(poll.agenda_item)}" if poll.agenda_item else ""
    yield (
        f"*{esc(poll.kind_label)}{round_} · {esc(poll.state)} · {poll.responses} "
        f"response{'' if poll.responses == 1 else 's'}{where}*"
    )
    yield ""
    if poll.part == "assumptions":
        yield "The results are in Working assumptions."
        yield ""
        return
    if poll.part == "obstacles":
        yield "The results are in Obstacles ranked."
        yield ""
        return
    if poll.part == "consensus":
        yield (
            "Each outcome’s result, by sector, is given with the outcome; blocks and "
            "disagreements are in the dissent register."
        )
        yield ""
        yield from _table(parts.CONSENSUS_HEAD, parts.consensus_rows(poll))
        return
    if poll.bars:
        yield from _table(*parts.bars_table(poll))
    for statement in poll.statements:
        yield f"**{esc(statement.text)}**"
        yield ""
        yield from _table(
            [*(level.label for level in statement.levels), "Answered"],
            [[*(level.count for level in statement.levels), statement.rated]],
        )
        if statement.remarks:
            yield from _remarks(statement.remarks)
    if poll.words:
        yield ", ".join(f"{esc(text)} (×{count})" for text, count in poll.words)
        yield ""
    if poll.remarks:
        yield from _remarks(poll.remarks)
    if not poll.responses:
        yield "Nobody answered."
        yield ""


def _lines(record: Record) -> Iterator[str]:
    yield f"# The record of {esc(record.title)}"
    yield ""
    if record.convener:
        yield f"*{esc(record.convener)}*"
        yield ""
    yield f"> **The question for the day:** {esc(record.central_question)}"
    yield ""
    yield "## Contents"
    yield ""
    contents = [
        "About this record",
        "Agenda",
        "Attendance by sector",
        "Working assumptions",
        "Obstacles ranked",
        "Subthemes and questions",
        *(f"Breakout: {b.name}" for b in record.breakouts),
        "Dissent register",
        "Plenary polls",
        "Participation",
        "Moderation and facilitation log",
        "Who took part",
    ]
    for n, title in enumerate(contents, start=1):
        yield f"{n}. {esc(title)}"
    yield ""

    yield "## About this record"
    yield ""
    yield f"- Summit: {esc(record.title)}"
    if record.convener:
        yield f"- Convened by: {esc(record.convener)}"
    yield f"- Date: {f'{record.date.day} {record.date:%B %Y}' if record.date else 'Not set'}"
    yield f"- Status: {esc(record.status)}"
    made = timezone.localtime(record.generated_at)
    yield f"- Record made: {made.day} {made:%B %Y, %H:%M}"
    yield f"- Covers: {esc(record.covers)}"
    yield ""
    if record.summary:
        yield esc(record.summary)
        yield ""
    yield (
        "People are named as they chose: by name and organisation, or as “Anonymous” with "
        "their sector. Every outcome lists the ideas it draws on, with their dots; ideas are "
        "numbered as they were on the day (\\#12)."
    )
    yield ""

    yield "## Agenda"
    yield ""
    yield from _table(
        ["Time", "Item", "Kind"],
        [
            [f"{i.starts_at}–{i.ends_at}" if i.ends_at else i.starts_at, i.title, i.kind]
            for i in record.agenda
        ],
    )

    yield "## Attendance by sector"
    yield ""
    total = record.attendance_total
    yield from _table(
        ["Sector", "Attendees", "Facilitators", "Organisers", "All"],
        [
            [r.sector, r.attendees, r.facilitators, r.organisers, r.total]
            for r in [*record.attendance, total]
        ],
    )

    yield "## Working assumptions"
    yield ""
    n = record.assumptions_responses
    yield (
        f"{n} {'person' if n == 1 else 'people'} said how far they agree with each working "
        "assumption, and some challenged it in their own words."
    )
    yield ""
    for a in record.assumptions:
        yield f"### Assumption {a.number}"
        yield ""
        yield f"**{esc(a.text)}**"
        yield ""
        if a.rated:
            yield from _table(
                [*(level.label for level in a.levels), "Answered"],
                [[*(level.count for level in a.levels), a.rated]],
            )
        else:
            yield "Nobody answered on this assumption."
            yield ""
        if a.challenges:
            yield f"#### Challenges people wrote ({len(a.challenges)})"
            yield ""
            yield from _remarks(a.challenges)

    yield "## Obstacles ranked"
    yield ""
    n = record.obstacles_responses
    yield (
        f"{n} {'person' if n == 1 else 'people'} ranked the obstacles. First place earns as "
        "many points as there are obstacles, last place one."
    )
    yield ""
    yield from _table(
        ["Place", "Obstacle", "Points", "Average place"],
        [[o.place, o.text, o.points, o.note] for o in record.obstacles],
    )

    yield "## Subthemes and questions"
    yield ""
    for s in record.subthemes:
        yield f"### Subtheme {s.order}: {esc(s.title)}"
        yield ""
        yield f"**{esc(s.question)}**"
        yield ""
        for p in s.prompts:
            yield f"- **Q{p.number}** {esc(p.text)}"
        names = ", ".join(esc(b.name) for b in s.breakouts) or "none in this record"
        yield ""
        yield f"Breakouts: {names}."
        yield ""

    for b in record.breakouts:
        yield f"## Breakout: {esc(b.name)}"
        yield ""
        yield f"- Subtheme: {esc(b.subtheme)}"
        yield f"- Facilitated by: {esc('; '.join(b.facilitators) or 'Nobody named')}"
        yield f"- Members: {b.members}"
        yield f"- Reached: {esc(b.phase)}"
        yield (
            f"- Contributions: {b.idea_count} idea{'' if b.idea_count == 1 else 's'}, "
            f"{b.comment_count} comment{'' if b.comment_count == 1 else 's'}, "
            f"{b.dots} dot{'' if b.dots == 1 else 's'}"
        )
        yield ""
        yield "### Questions"
        yield ""
        for p in b.prompts:
            yield f"- **Q{p.number}** {esc(p.text)}"
        if not b.prompts:
            yield "- No question was set."
        yield ""
        yield f"### Ideas ({len(b.ideas)})"
        yield ""
        yield parts.IDEAS_NOTE
        yield ""
        for i in b.ideas:
            details = [f"*{esc(i.by)}*"]
            if i.prompt:
                details.append(f"Q{i.prompt}")
            if i.cluster:
                details.append(f"Cluster: {esc(i.cluster)}")
            details.append(
                f"{i.dots} dot{'' if i.dots == 1 else 's'} from {i.voters} "
                f"{'person' if i.voters == 1 else 'people'}"
            )
            details.append(esc(parts.support_detail(i)))
            yield f"- **#{i.id}** {esc(i.text)} — {' · '.join(details)}"
            for c in i.comments:
                yield f"  - {esc(c.text)} — *{esc(c.by)}*"
        if not b.ideas:
            yield "No ideas."
        yield ""
        yield from _support_order(b)
        yield f"### Clusters ({len(b.clusters)})"
        yield ""
        for c in b.clusters:
            ideas = ", ".join(f"\\#{i}" for i in c.ideas) or "no ideas"
            yield f"- **{esc(c.name)}**: {ideas}"
        if not b.clusters:
            yield "The facilitator made no clusters."
        yield ""
        yield f"### Hidden ideas ({len(b.hidden)})"
        yield ""
        if b.hidden:
            yield "Taken off the wall by a facilitator, who gave the reason shown."
            yield ""
            yield from _table(
                ["No.", "Idea", "From", "Reason for hiding"],
                [[f"#{i.id}", i.text, i.by, i.hidden_reason] for i in b.hidden],
            )
        else:
            yield "No idea was hidden."
            yield ""
        yield f"### Merged ideas ({len(b.merges)})"
        yield ""
        for m in b.merges:
            yield (
                f"- \\#{m.idea} “{esc(m.text)}” ({esc(m.by)}) was merged into \\#{m.into}, "
                "with its comments and dots."
            )
        if not b.merges:
            yield "No ideas were merged."
        yield ""
        if b.withdrawn:
            yield f"### Withdrawn ideas ({len(b.withdrawn)})"
            yield ""
            for i in b.withdrawn:
                yield f"- \\#{i.id} “{esc(i.text)}” ({esc(i.by)}), withdrawn by its author."
            yield ""
        yield f"### Outcomes ({len(b.outcomes)})"
        yield ""
        for outcome in b.outcomes:
            yield from _outcome(outcome)
        if not b.outcomes:
            yield "The group drafted no outcomes."
            yield ""
        if b.voice is not None:
            yield from _voice(b.voice, "### Voice balance")

    yield "## Dissent register"
    yield ""
    yield parts.DISSENT_NOTE
    yield ""
    if record.dissent:
        yield from _table(parts.DISSENT_HEAD, parts.dissent_rows(record))
    else:
        yield "Nobody blocked or disagreed with an outcome."
        yield ""

    yield "## Plenary polls"
    yield ""
    for poll in record.polls:
        yield from _poll(poll)
    if not record.polls:
        yield "No plenary polls were run."
        yield ""

    yield "## Participation"
    yield ""
    yield from _table(["Figure", "Number"], [[f.label, f.value] for f in record.figures])
    yield "### By sector"
    yield ""
    yield from _table(
        [
            "Sector",
            "Attendees",
            "Ideas",
            "Comments",
            "People who placed dots",
            "People who answered polls",
        ],
        [
            [s.sector, s.attendees, s.ideas, s.comments, s.voters, s.respondents]
            for s in record.by_sector
        ],
    )
    yield from _voice(
        record.voice, "### Voice balance across the breakouts", parts.SUMMIT_VOICE_NOTE
    )

    yield "## Moderation and facilitation log"
    yield ""
    yield parts.AUDIT_NOTE if record.whole else f"{parts.AUDIT_NOTE} {parts.SCOPED_AUDIT_NOTE}"
    yield ""
    if record.audit:
        yield from _table(parts.AUDIT_HEAD, parts.audit_rows(record.audit))
    else:
        yield "Nothing was logged."
        yield ""

    yield "## Who took part"
    yield ""
    yield from _table(
        ["Name", "Sector", "Role"], [[p.name, p.sector, p.role] for p in record.people]
    )


def markdown(record: Record) -> str:
    return "\n".join(_lines(record))
