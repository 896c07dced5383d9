"""The record as a Word document (python-docx): the blocks of the record's one walk, with
the record page's sections as headings, tables for the figures, and each outcome numbered
with the ideas it draws on."""

from __future__ import annotations

import io
import re

from django.utils.translation import gettext as _
from docx import Document
from docx.document import Document as DocumentType
from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement
from docx.oxml.table import CT_Tbl
from docx.shared import Emu, Pt
from lxml.etree import SubElement

from summit.record.blocks import (
    Block,
    Facts,
    Heading,
    Ideas,
    Item,
    Items,
    Open,
    Paragraph,
    Ranking,
    Table,
    Title,
    Words,
)
from summit.record.contents import Record
from summit.record.walk import walk

# Characters XML 1.0 cannot hold; a phone keyboard can still send them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
TABLE_STYLE = "Table Grid"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# The paragraphs the documents set in bold: what was proposed or asked, and a lead-in.
BOLD = frozenset({"statement", "label"})


def _text(value) -> str:
    return _NOT_XML.sub("", str(value))


class _Writer:
    """Paragraphs and tables added to a python-docx document, quickly enough for thousands
    of ideas.

    python-docx finds each new element's place among its siblings and looks styles up by
    name, which for a record of 10,000 ideas takes minutes. Here styles are looked up once,
    and paragraphs, runs, tables and their cells are written as WordprocessingML elements
    put straight before the section properties that close the body.
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
        # As python-docx sizes a table: the width between the last section's margins.
        section = self.doc.sections[-1]
        self.width = Emu(section.page_width - section.left_margin - section.right_margin)

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

    def table(self, head: list[str], rows: list[list[str]]) -> None:
        """A table in the document's table style, its head in bold, and a paragraph after
        it so that two tables in a row stay apart."""
        table = CT_Tbl.new_tbl(len(rows) + 1, len(head), self.width)
        table.tblPr.style = self.style_ids[TABLE_STYLE]
        lines = zip(table.iterchildren(qn("w:tr")), [head, *rows], strict=True)
        for n, (line, values) in enumerate(lines):
            for cell, value in zip(line.iterchildren(qn("w:tc")), values, strict=True):
                self._run(cell.find(qn("w:p")), value, bold=n == 0)
        self.end.addprevious(table)
        self.para()

    def save(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


def _said(item: Item) -> str:
    if not item.by:
        return item.text
    return f"{item.text} — {item.by}" + (f" · {item.detail}" if item.detail else "")


def _items(w: _Writer, block: Items) -> None:
    for item in block.items:
        w.bullet(_said(item), bold=f"{item.lead}{item.sep}" if item.lead else "")
    if not block.items and block.empty:
        w.para(block.empty)


def _ideas(w: _Writer, block: Ideas) -> None:
    for i in block.ideas:
        w.bullet(f"{i.text} — {' · '.join([i.by, *i.details])}", bold=f"#{i.number} ")
        for c in i.comments:
            w.bullet(_said(c), level=2)


def _draw(w: _Writer, block: Block) -> None:
    """A block in the document. The contents are left to Word, which lists the headings in
    its navigation pane, and a part's start matters only where it opens a chapter."""
    match block:
        case Title():
            props = w.doc.core_properties
            props.title = _text(block.text)
            props.subject = _text(block.question)
            props.author = _text(block.convener or block.summit)
            w.heading(block.text, 0)
            if block.convener:
                w.para(block.convener)
            w.para(f" {block.question}", bold=_("The question for the day:"))
        case Open(chapter=True):
            w.doc.add_page_break()
        case Heading():
            # The title is the document's first level, so the page's second is Word's first.
            w.heading(block.text, block.level - 1)
        case Paragraph():
            if block.look in BOLD:
                w.para(bold=block.text)
            else:
                w.para(block.text)
        case Facts():
            for fact in block.facts:
                w.para(fact.value, bold=f"{fact.label}: ")
        case Items():
            _items(w, block)
        case Table():
            if block.title:
                w.para(bold=block.title)
            w.table([c.words for c in block.head], [[c.words for c in r] for r in block.lines])
        case Ideas():
            _ideas(w, block)
        case Ranking():
            w.table(block.head, block.rows)
        case Words():
            w.para(", ".join(f"{text} (×{count})" for text, count in block.words))


def docx(record: Record) -> bytes:
    w = _Writer()
    for block in walk(record):
        _draw(w, block)
    return w.save()
