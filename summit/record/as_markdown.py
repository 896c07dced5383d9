"""The record as Markdown (CommonMark with GitHub's tables): the blocks of the record's one
walk, with the same sections and headings as the record page."""

from __future__ import annotations

import re
from collections.abc import Iterator

from django.utils.translation import gettext as _

from summit.record.blocks import (
    Block,
    Contents,
    Facts,
    Heading,
    Ideas,
    Item,
    Items,
    Paragraph,
    Ranking,
    Table,
    Title,
    Words,
)
from summit.record.contents import Record
from summit.record.walk import walk

# Characters that would otherwise become markup, a link, HTML or an entity.
_MARKUP = re.compile(r"([\\`*_\[\]<>|~#&])")
_LINE_START = re.compile(r"^(\d+)([.)])|^([-+=])")
# How each kind of paragraph is set: the page's statements are bold, a poll's facts italic,
# and a lead-in to a list ends with a colon.
_SET = {"statement": "**{}**", "meta": "*{}*", "label": "{}:"}


def esc(text: str, *, starts_line: bool = True) -> str:
    """Text exactly as written, on one line, with nothing in it read as Markdown. Text that
    does not start a line (a table's cell, what follows a label) cannot start a list or a
    heading, so "2.50" stays as it is there."""
    text = " ".join(str(text).split())
    text = _MARKUP.sub(r"\\\1", text)
    if not starts_line:
        return text
    return _LINE_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", text)


def _said(item: Item) -> str:
    """What an item says, and who said it."""
    if not item.by:
        return esc(item.text)
    detail = f" · {esc(item.detail)}" if item.detail else ""
    return f"{esc(item.text)} — *{esc(item.by)}*{detail}"


def _item(item: Item) -> str:
    lead = ""
    if item.link:  # a reference to another part of the record, written as it reads
        lead = f"{item.lead}{item.sep}"
    elif item.lead:
        lead = f"**{esc(item.lead)}**{item.sep}"
    return f"- {lead}{_said(item)}"


def _table(head: list[str], rows: list[list[str]], title: str = "") -> Iterator[str]:
    if title:
        yield f"{esc(title)}:"
        yield ""
    yield "| " + " | ".join(esc(words, starts_line=False) for words in head) + " |"
    yield "|" + "|".join(" --- " for _ in head) + "|"
    for row in rows:
        yield "| " + " | ".join(esc(words, starts_line=False) for words in row) + " |"


def _ideas(ideas: Ideas) -> Iterator[str]:
    for i in ideas.ideas:
        details = " · ".join([f"*{esc(i.by)}*", *map(esc, i.details)])
        yield f"- **#{i.number}** {esc(i.text)} — {details}"
        for c in i.comments:
            yield f"  - {_said(c)}"


def _lines(block: Block) -> Iterator[str]:
    """A block's lines, without the empty line that closes it."""
    match block:
        case Title():
            yield f"# {esc(block.text)}"
            if block.convener:
                yield ""
                yield f"*{esc(block.convener)}*"
            yield ""
            yield f"> **{esc(_('The question for the day:'))}** {esc(block.question)}"
        case Contents():
            yield f"## {esc(_('Contents'))}"
            yield ""
            for n, entry in enumerate(block.entries, start=1):
                yield f"{n}. {esc(entry.text)}"
        case Heading():
            yield f"{'#' * block.level} {esc(block.text)}"
        case Paragraph():
            yield _SET.get(block.look, "{}").format(esc(block.text))
        case Facts():
            for fact in block.facts:
                yield f"- {fact.label}: {esc(fact.value, starts_line=False)}"
        case Items():
            yield from map(_item, block.items)
            if not block.items and block.empty:
                yield f"- {esc(block.empty)}"
        case Table():
            head = [c.words for c in block.head]
            yield from _table(head, [[c.words for c in r] for r in block.lines], block.title)
        case Ranking():
            yield from _table(block.head, block.rows)
        case Ideas():
            yield from _ideas(block)
        case Words():
            yield ", ".join(f"{esc(text)} (×{count})" for text, count in block.words)


def _document(record: Record) -> Iterator[str]:
    for block in walk(record):
        lines = list(_lines(block))
        if lines:  # the start and end of a part say nothing here
            yield from lines
            yield ""


def markdown(record: Record) -> str:
    return "\n".join(_document(record))
