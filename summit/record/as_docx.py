"""The record as a Word document (python-docx): the record page's sections as headings,
tables for the figures, and each outcome numbered with the ideas it draws on."""

from __future__ import annotations

import io
import re

from django.utils import timezone
from docx import Document
from docx.document import Document as DocumentType
from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement
from docx.shared import Pt
from lxml.etree import SubElement

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

# Characters XML 1.0 cannot hold; a phone keyboard can still send them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
TABLE_STYLE = "Table Grid"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _text(value) -> str:
    return _NOT_XML.sub("", str(value))


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


class _Writer:
    """Paragraphs and tables added to a python-docx document, quickly enough for thousands
    of ideas.

    python-docx finds each new element's place among its siblings and looks styles up by
    name, which for a record of 10,000 ideas takes minutes. Here styles are looked up once,
    and paragraphs, runs and table cells are written as WordprocessingML elements put
    straight before the section properties that close the body.
    """

    def __init__(self) -> None:
        self.doc: DocumentType = Document()
        self.doc.styles["Normal"].font.size = Pt(10.5)
        self.style_ids = {
            name: self.doc.styles[name].style_id
            for name in (
                "Title",
                *(f"Heading {level}" for level in range(1, 6)),
                "List Bullet",
                "List Bullet 2",
                TABLE_STYLE,
            )
        }
        self.end = self.doc.element.body.find(qn("w:sectPr"))

    def heading(self, text: str, level: int) -> None:
        self.para(text, style=f"Heading {level}" if level else "Title")

    @staticmethod
    def _run(paragraph, text: str, *, bold: bool = False) -> None:
        run = SubElement(paragraph, qn("w:r"))
        if bold:
            SubElement(SubElement(run, qn("w:rPr")), qn("w:b"))
        for n, line in enumerate(_text(text).replace("\t", " ").split("\n")):
            if n:
                SubElement(run, qn("w:br"))
            t = SubElement(run, qn("w:t"))
            t.text = line
            t.set(XML_SPACE, "preserve")

    def para(self, text: str = "", *, bold: str = "", style: str | None = None) -> None:
        paragraph = OxmlElement("w:p")
        if style:
            properties = SubElement(paragraph, qn("w:pPr"))
            SubElement(properties, qn("w:pStyle")).set(qn("w:val"), self.style_ids[style])
        if bold:
            self._run(paragraph, bold, bold=True)
        if text:
            self._run(paragraph, text)
        self.end.addprevious(paragraph)

    def bullet(self, text: str, *, bold: str = "", level: int = 1) -> None:
        self.para(text, bold=bold, style="List Bullet" if level == 1 else "List Bullet 2")

    def table(self, head: list[str], rows: list[list]) -> None:
        table = self.doc.add_table(rows=len(rows) + 1, cols=len(head))
        table._tbl.tblPr.style = self.style_ids[TABLE_STYLE]
        lines = zip(table._tbl.iterchildren(qn("w:tr")), [head, *rows], strict=True)
        for n, (line, values) in enumerate(lines):
            cells = zip(line.iterchildren(qn("w:tc")), values, strict=True)
            for cell, value in cells:
                text = "" if value is None else str(value)
                self._run(cell.find(qn("w:p")), text, bold=n == 0)
        self.para()

    def remarks(self, remarks: list[Remark]) -> None:
        for r in remarks:
            position = f" · {r.position}" if r.position else ""
            self.bullet(f"{r.text} — {r.by}{position}")

    def save(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


def _passes(check: Check) -> list[str]:
    if not check.rated:
        return ["Not rated"] * 3
    return ["Passes" if passes else "Does not pass" for _, _, passes in check.rules]


def _outcome(w: _Writer, outcome: OutcomeEntry) -> None:
    w.heading(f"Outcome {outcome.number}", 3)
    w.para(bold=outcome.proposal)
    w.para(outcome.who_should_act, bold="Who should act: ")
    w.para(outcome.horizon, bold="When: ")
    if outcome.drafted_by:
        w.para(outcome.drafted_by, bold="Drafted by: ")
    w.heading("Draws on", 4)
    for s in outcome.sources:
        status = f" · {s.status}" if s.status != "Visible" else ""
        w.para(
            f"{s.text} — {s.by} · {_plural(s.dots, 'dot', 'dots')} from "
            f"{_plural(s.voters, 'person', 'people')}{status}",
            bold=f"Idea #{s.idea}: ",
            style="List Bullet",
        )
    if not outcome.sources:
        w.para("No ideas were cited.")
    w.heading("Consensus check", 4)
    w.table(
        [
            "Reading",
            "Rated",
            *(level.label for level in outcome.checks[0].levels),
            "Consensus",
            "Supermajority",
            "Simple majority",
        ],
        [
            [c.where, c.rated, *(level.count for level in c.levels), *_passes(c)]
            for c in outcome.checks
        ],
    )
    for check in outcome.checks:
        if check.sectors:
            w.para(bold=f"{check.where}, by sector")
            w.table(
                ["Sector", "Support", "Stand aside", "Disagree", "Block"],
                [[s.sector, s.support, s.stand_aside, s.disagree, s.block] for s in check.sectors],
            )
        if check.remarks:
            w.para(bold=f"What people wrote ({check.where.lower()})")
            w.remarks(check.remarks)


def _support_order(w: _Writer, b: BreakoutEntry) -> None:
    w.heading("Ideas by cross-sector support", 2)
    w.para(parts.SUPPORT_NOTE)
    if not b.ideas:
        w.para("No ideas.")
        return
    if b.by_dots == b.by_support:
        w.para("Here the order is the same as by dots.")
    w.table(parts.SUPPORT_HEAD, parts.support_rows(b))


def _voice(w: _Writer, voice: VoiceEntry, heading: str, note: str = "") -> None:
    w.heading(heading, 2)
    w.para(f"{parts.VOICE_NOTE} {note}".strip())
    for label, value in parts.voice_facts(voice):
        w.para(value, bold=f"{label}: ")
    if voice.sectors:
        w.table(parts.VOICE_HEAD, parts.voice_rows(voice))


def _poll(w: _Writer, poll: PollEntry) -> None:
    w.heading(poll.question, 2)
    round_ = f", round {poll.round}" if poll.round else ""
    where = f" · {poll.agenda_item}" if poll.agenda_item else ""
    w.para(
        f"{poll.kind_label}{round_} · {poll.state} · "
        f"{_plural(poll.responses, 'response', 'responses')}{where}"
    )
    if poll.part == "assumptions":
        w.para("The results are in Working assumptions.")
        return
    if poll.part == "obstacles":
        w.para("The results are in Obstacles ranked.")
        return
    if poll.part == "consensus":
        w.para(
            "Each outcome’s result, by sector, is given with the outcome; blocks and "
            "disagreements are in the dissent register."
        )
        w.table(parts.CONSENSUS_HEAD, parts.consensus_rows(poll))
        return
    if poll.bars:
        w.table(*parts.bars_table(poll))
    for statement in poll.statements:
        w.para(bold=statement.text)
        w.table(
            [*(level.label for level in statement.levels), "Answered"],
            [[*(level.count for level in statement.levels), statement.rated]],
        )
        w.remarks(statement.remarks)
    if poll.words:
        w.para(", ".join(f"{text} (×{count})" for text, count in poll.words))
    w.remarks(poll.remarks)
    if not poll.responses:
        w.para("Nobody answered.")


def docx(record: Record) -> bytes:
    w = _Writer()
    props = w.doc.core_properties
    props.title = _text(f"The record of {record.title}")
    props.subject = _text(record.central_question)
    props.author = _text(record.convener or record.title)

    w.heading(f"The record of {record.title}", 0)
    if record.convener:
        w.para(record.convener)
    w.para(record.central_question, bold="The question for the day: ")

    w.heading("About this record", 1)
    made = timezone.localtime(record.generated_at)
    w.para(record.title, bold="Summit: ")
    if record.convener:
        w.para(record.convener, bold="Convened by: ")
    w.para(f"{record.date.day} {record.date:%B %Y}" if record.date else "Not set", bold="Date: ")
    w.para(record.status, bold="Status: ")
    w.para(f"{made.day} {made:%B %Y, %H:%M}", bold="Record made: ")
    w.para(record.covers, bold="Covers: ")
    if record.summary:
        w.para(record.summary)
    w.para(
        "People are named as they chose: by name and organisation, or as “Anonymous” with "
        "their sector. Every outcome lists the ideas it draws on, with their dots; ideas are "
        "numbered as they were on the day (#12)."
    )

    w.heading("Agenda", 1)
    w.table(
        ["Time", "Item", "Kind"],
        [
            [f"{i.starts_at}–{i.ends_at}" if i.ends_at else i.starts_at, i.title, i.kind]
            for i in record.agenda
        ],
    )

    w.heading("Attendance by sector", 1)
    w.table(
        ["Sector", "Attendees", "Facilitators", "Organisers", "All"],
        [
            [r.sector, r.attendees, r.facilitators, r.organisers, r.total]
            for r in [*record.attendance, record.attendance_total]
        ],
    )

    w.heading("Working assumptions", 1)
    w.para(
        f"{_plural(record.assumptions_responses, 'person', 'people')} said how far they agree "
        "with each working assumption, and some challenged it in their own words."
    )
    for a in record.assumptions:
        w.heading(f"Assumption {a.number}", 2)
        w.para(bold=a.text)
        if a.rated:
            w.table(
                [*(level.label for level in a.levels), "Answered"],
                [[*(level.count for level in a.levels), a.rated]],
            )
        else:
            w.para("Nobody answered on this assumption.")
        if a.challenges:
            w.heading(f"Challenges people wrote ({len(a.challenges)})", 3)
            w.remarks(a.challenges)

    w.heading("Obstacles ranked", 1)
    w.para(
        f"{_plural(record.obstacles_responses, 'person', 'people')} ranked the obstacles. First "
        "place earns as many points as there are obstacles, last place one."
    )
    w.table(
        ["Place", "Obstacle", "Points", "Average place"],
        [[o.place, o.text, o.points, o.note] for o in record.obstacles],
    )

    w.heading("Subthemes and questions", 1)
    for s in record.subthemes:
        w.heading(f"Subtheme {s.order}: {s.title}", 2)
        w.para(bold=s.question)
        for p in s.prompts:
            w.bullet(p.text, bold=f"Q{p.number} ")
        w.para(f"Breakouts: {', '.join(b.name for b in s.breakouts) or 'none in this record'}.")

    for b in record.breakouts:
        w.doc.add_page_break()
        w.heading(f"Breakout: {b.name}", 1)
        w.para(b.subtheme, bold="Subtheme: ")
        w.para("; ".join(b.facilitators) or "Nobody named", bold="Facilitated by: ")
        w.para(str(b.members), bold="Members: ")
        w.para(b.phase, bold="Reached: ")
        w.para(
            f"{_plural(b.idea_count, 'idea', 'ideas')}, "
            f"{_plural(b.comment_count, 'comment', 'comments')}, {_plural(b.dots, 'dot', 'dots')}",
            bold="Contributions: ",
        )
        w.heading("Questions", 2)
        for p in b.prompts:
            w.bullet(p.text, bold=f"Q{p.number} ")
        if not b.prompts:
            w.para("No question was set.")
        w.heading(f"Ideas ({len(b.ideas)})", 2)
        w.para(parts.IDEAS_NOTE)
        for i in b.ideas:
            details = [i.by]
            if i.prompt:
                details.append(f"Q{i.prompt}")
            if i.cluster:
                details.append(f"Cluster: {i.cluster}")
            details.append(
                f"{_plural(i.dots, 'dot', 'dots')} from {_plural(i.voters, 'person', 'people')}"
            )
            details.append(parts.support_detail(i))
            w.bullet(f"{i.text} — {' · '.join(details)}", bold=f"#{i.id} ")
            for c in i.comments:
                w.bullet(f"{c.text} — {c.by}", level=2)
        if not b.ideas:
            w.para("No ideas.")
        _support_order(w, b)
        w.heading(f"Clusters ({len(b.clusters)})", 2)
        for c in b.clusters:
            w.bullet(", ".join(f"#{i}" for i in c.ideas) or "no ideas", bold=f"{c.name}: ")
        if not b.clusters:
            w.para("The facilitator made no clusters.")
        w.heading(f"Hidden ideas ({len(b.hidden)})", 2)
        if b.hidden:
            w.para("Taken off the wall by a facilitator, who gave the reason shown.")
            w.table(
                ["No.", "Idea", "From", "Reason for hiding"],
                [[f"#{i.id}", i.text, i.by, i.hidden_reason] for i in b.hidden],
            )
        else:
            w.para("No idea was hidden.")
        w.heading(f"Merged ideas ({len(b.merges)})", 2)
        for m in b.merges:
            w.bullet(
                f"#{m.idea} “{m.text}” ({m.by}) was merged into #{m.into}, "
                "with its comments and dots."
            )
        if not b.merges:
            w.para("No ideas were merged.")
        if b.withdrawn:
            w.heading(f"Withdrawn ideas ({len(b.withdrawn)})", 2)
            for i in b.withdrawn:
                w.bullet(f"#{i.id} “{i.text}” ({i.by}), withdrawn by its author.")
        w.heading(f"Outcomes ({len(b.outcomes)})", 2)
        for outcome in b.outcomes:
            _outcome(w, outcome)
        if not b.outcomes:
            w.para("The group drafted no outcomes.")
        if b.voice is not None:
            _voice(w, b.voice, "Voice balance")

    w.doc.add_page_break()
    w.heading("Dissent register", 1)
    w.para(parts.DISSENT_NOTE)
    if record.dissent:
        w.table(parts.DISSENT_HEAD, parts.dissent_rows(record))
    else:
        w.para("Nobody blocked or disagreed with an outcome.")

    w.heading("Plenary polls", 1)
    for poll in record.polls:
        _poll(w, poll)
    if not record.polls:
        w.para("No plenary polls were run.")

    w.heading("Participation", 1)
    w.table(["Figure", "Number"], [[f.label, f.value] for f in record.figures])
    w.heading("By sector", 2)
    w.table(
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
    _voice(w, record.voice, "Voice balance across the breakouts", parts.SUMMIT_VOICE_NOTE)

    w.heading("Moderation and facilitation log", 1)
    w.para(parts.AUDIT_NOTE if record.whole else f"{parts.AUDIT_NOTE} {parts.SCOPED_AUDIT_NOTE}")
    if record.audit:
        w.table(parts.AUDIT_HEAD, parts.audit_rows(record.audit))
    else:
        w.para("Nothing was logged.")

    w.heading("Who took part", 1)
    w.table(["Name", "Sector", "Role"], [[p.name, p.sector, p.role] for p in record.people])
    return w.save()
