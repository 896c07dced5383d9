"""A new summit from the organiser's own stimulus document: what it proposes for the summit's
title, central question, pre-reading, working assumptions, obstacles, subthemes and areas to
be addressed, read from a Word (.docx) or Markdown file and offered to the organiser to
confirm before anything is made.

Every heading becomes a pre-reading section. A bulleted or numbered list (or a run of
questions set as paragraphs) is offered as one of the summit's lists when the paragraph just
before it, or else the heading above it, names what it is: "working assumptions", "what we
take as given", "obstacles", "barriers", "subthemes", "themes for the groups", "areas to be
addressed", "questions we want answered". A question on its own after a paragraph that
announces "this question:", or first under a heading such as "The central question", is the
central question."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import PurePath

from django.utils.translation import gettext as _

from summit.event.refusals import Refused
from summit.event.stimulus_files import Block, markdown_blocks, word_blocks

MAX_UPLOAD = 2 * 1024 * 1024
MAX_ITEMS = 200  # of each list; a longer one is cut, the rest is still in the pre-reading
MAX_SECTIONS = 100
MAX_TEXT = 300_000  # characters of pre-reading, so the confirm page can carry it back
WORD = (".docx",)
MARKDOWN = (".md", ".markdown", ".txt")
TITLE_LENGTH = 80  # a subtheme's title

# What a list is, by the words that introduce it; the first that matches wins.
KINDS = (
    ("assumptions", re.compile(r"assum|take[ns]? as given|starting point|premis", re.I)),
    ("obstacles", re.compile(r"obstacle|barrier|hurdle|blocker|constraint", re.I)),
    ("subthemes", re.compile(r"sub-?themes?\b|\bthemes?\b|strands?\b|workstreams?", re.I)),
    (
        "areas",
        re.compile(r"\bareas?\b|\bquestions\b|to be addressed|answered|enquir|inquir", re.I),
    ),
)
CENTRAL = re.compile(r"\b(central|main|big|overarching|key|the|our) question\b", re.I)
ANNOUNCES_QUESTION = re.compile(r"\bquestion\b.*:\s*$", re.I)
SUBTHEME_TITLE = re.compile(r"(?P<title>[^:?]{1,80}?)\s*(?::|\s[–—])\s+(?P<question>.+)")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def _kind_of(text: str) -> str | None:
    for kind, words in KINDS:
        if words.search(text):
            return kind
    return None


def _introduces(paragraph: Block | None, heading: Block | None) -> str | None:
    """What the list after ``paragraph`` under ``heading`` is: by the paragraph's last
    sentence, then the whole paragraph, then the heading."""
    if paragraph is not None:
        last = _SENTENCE_END.split(paragraph.text)[-1]
        if kind := _kind_of(last) or _kind_of(paragraph.text):
            return kind
    return _kind_of(heading.text) if heading is not None else None


def _is_question(block: Block) -> bool:
    return block.kind == "paragraph" and block.text.endswith("?") and len(block.text) <= 1000


def _looks_like_heading(block: Block) -> bool:
    """A short line on its own, without closing punctuation: a heading in a file without any
    marked as such (a plain text file, a Word file without heading styles)."""
    text = block.text
    return (
        block.kind == "paragraph"
        and "\n" not in block.markdown.strip()
        and block.markdown.strip().strip("*_ ") == text
        and len(text) <= 80
        and len(text.split()) <= 10
        and (text[0].isupper() or text[0].isdigit())
        and text[-1] not in ".?!:;,)…\"'”’"
    )


def _with_headings(blocks: list[Block]) -> list[Block]:
    if any(block.kind == "heading" for block in blocks):
        return blocks
    return [
        replace(block, kind="heading", level=1) if _looks_like_heading(block) else block
        for block in blocks
    ]


def _title(blocks: list[Block]) -> tuple[str, list[Block]]:
    """The document's title, and the blocks without it: a paragraph in Word's Title style,
    else a first heading above every other (one ``#`` and the rest ``##``), or one followed
    at once by another heading. A lone heading is a section's."""
    for index, block in enumerate(blocks):
        if block.kind == "title":
            return block.text, blocks[:index] + blocks[index + 1 :]
    headings = [i for i, block in enumerate(blocks) if block.kind == "heading"]
    if not headings:
        return "", blocks
    first = headings[0]
    level = blocks[first].level
    above_all = len(headings) > 1 and all(blocks[i].level > level for i in headings[1:])
    followed = first + 1 < len(blocks) and blocks[first + 1].kind == "heading"
    if above_all or followed:
        return blocks[first].text, blocks[:first] + blocks[first + 1 :]
    return "", blocks


def _sections(blocks: list[Block]) -> list[tuple[Block | None, list[Block]]]:
    """The blocks under each heading; what comes before the first heading under none."""
    sections: list[tuple[Block | None, list[Block]]] = [(None, [])]
    for block in blocks:
        if block.kind == "heading":
            sections.append((block, []))
        elif block.kind != "title":
            sections[-1][1].append(block)
    return sections


def _body(blocks: list[Block]) -> str:
    parts = []
    for index, block in enumerate(blocks):
        if index and not (block.kind == "item" and blocks[index - 1].list_id == block.list_id):
            parts.append("\n\n")
        elif index:
            parts.append("\n")
        parts.append(block.markdown)
    return "".join(parts).strip()


def _runs(blocks: list[Block]):
    """Each list in ``blocks`` (items of one list), or run of two or more questions set as
    paragraphs, with the paragraph just before it (or None)."""
    index = 0
    while index < len(blocks):
        block = blocks[index]
        end = index + 1
        if block.kind == "item":
            while end < len(blocks) and blocks[end].kind == "item":
                end += 1
        elif _is_question(block):
            while end < len(blocks) and _is_question(blocks[end]):
                end += 1
            if end - index < 2:
                index = end
                continue
        else:
            index = end
            continue
        before = blocks[index - 1] if index and blocks[index - 1].kind == "paragraph" else None
        yield before, blocks[index:end]
        index = end


def _central_question(sections) -> str:
    for heading, blocks in sections:
        if heading is not None and CENTRAL.search(heading.text):
            for block in blocks[:3]:
                if _is_question(block):
                    return block.text
        for index, block in enumerate(blocks[1:], start=1):
            before, after = blocks[index - 1], blocks[index + 1 : index + 2]
            if (
                _is_question(block)
                and before.kind == "paragraph"
                and ANNOUNCES_QUESTION.search(before.text)
                and not (after and _is_question(after[0]))
            ):
                return block.text
    return ""


def subtheme_from(text: str) -> dict:
    """A subtheme from a list item: "Title: question" split at the colon (or a dash), else
    the question with the first words of it as a title for the organiser to shorten."""
    found = SUBTHEME_TITLE.fullmatch(text)
    if found and len(found.group("title").split()) <= 8:
        return {"title": found.group("title").strip(), "question": found.group("question")}
    words = text.replace(":", "").rstrip("?.! ").split()
    title = " ".join(words[:6])
    if len(words) > 6 or len(title) > TITLE_LENGTH - 1:
        title = title[: TITLE_LENGTH - 1].rstrip(" ,;:") + "…"
    return {"title": title, "question": text}


def _parts(sections) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {kind: [] for kind, _ in KINDS}
    for heading, blocks in sections:
        for before, run in _runs(blocks):
            kind = _introduces(before, heading)
            if kind is None:
                continue
            for block in run:
                if block.level or len(found[kind]) >= MAX_ITEMS:
                    continue
                if kind == "subthemes":
                    found[kind].append(subtheme_from(block.text))
                elif kind == "areas":
                    found[kind].append({"text": block.text, "subtheme": None})
                else:
                    found[kind].append({"text": block.text})
    return found


def _pre_reading(sections) -> list[dict]:
    reading = []
    for heading, blocks in sections[: MAX_SECTIONS + 1]:
        body = _body(blocks)
        if body:
            title = heading.text if heading is not None else _("Introduction")
            reading.append({"title": title[:300], "body": body})
    if sum(len(section["body"]) for section in reading) > MAX_TEXT:
        raise Refused(
            _(
                "The document is too long to offer as pre-reading (over %(n)s characters). "
                "Upload a shorter version: you can add more pre-reading afterwards."
            )
            % {"n": f"{MAX_TEXT:,}"}
        )
    return reading


def _blocks(name: str, data: bytes) -> list[Block]:
    suffix = PurePath(name or "").suffix.lower()
    if suffix not in WORD + MARKDOWN:
        raise Refused(
            _("Upload a Word document (.docx), or a Markdown or text file (.md, .markdown, .txt).")
        )
    if not data:
        raise Refused(_("The file is empty. Upload your stimulus document."))
    if len(data) > MAX_UPLOAD:
        raise Refused(_("The file must be smaller than 2 MB."))
    if suffix in WORD:
        return word_blocks(data)
    if data.startswith(b"PK\x03\x04"):
        raise Refused(
            _("This looks like a Word document. Name it with .docx at the end and upload it.")
        )
    return markdown_blocks(data)


def read_stimulus(name: str, data: bytes) -> dict:
    """What the document ``data`` (its file named ``name``) proposes for a new summit, in the
    design file's shape: ``summit`` (``title``, ``central_question`` when found),
    ``pre_reading``, ``assumptions``, ``obstacles``, ``subthemes`` and ``areas``. Each list
    holds at most ``MAX_ITEMS``. Refused, with what to do, when the file cannot be read or
    holds nothing to use. No side effects."""
    blocks = _with_headings(_blocks(name, data))
    title, blocks = _title(blocks)
    sections = _sections(blocks)
    summit = {}
    if title:
        summit["title"] = title[:200]
    if question := _central_question(sections):
        summit["central_question"] = question
    design = {"summit": summit, "pre_reading": _pre_reading(sections), **_parts(sections)}
    if not any(design.values()):
        raise Refused(_("No text was found in the document. Check it is the right file."))
    return design
