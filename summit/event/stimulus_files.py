"""Reading an organiser's stimulus document, Word or Markdown, into a flat run of blocks
(headings, paragraphs, list items) that ``summit.event.stimulus`` reads for the summit's
parts. Uploads are hostile until read: sizes are checked before anything is unpacked or
parsed, a Word file's XML may declare no DTD or entity, and whatever a library raises on a
damaged file becomes a refusal the organiser can act on."""

from __future__ import annotations

import codecs
import html
import io
import itertools
import re
import zipfile
from dataclasses import dataclass, replace

import docx
from django.utils.translation import gettext as _
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.hyperlink import Hyperlink
from markdown_it import MarkdownIt

from summit.event.refusals import Refused

MAX_UNPACKED = 20 * 1024 * 1024  # every part of a Word file together, once unzipped
MAX_PARTS = 1000  # files inside a Word file
MAX_BLOCKS = 3000  # paragraphs and list items; a long stimulus document has a few hundred
MAX_LINES = 4000  # lines of a Markdown file; the Place Summit's has 131
MAX_STYLES = 1000  # paragraph styles of a Word file looked at; Word's own has about 40

# Word never writes a DTD; one in a part is there to expand entities or reach out to files.
_DECLARATIONS = tuple(
    marker.encode(encoding)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
)
# Pictures are kept as they are, never parsed; an SVG may rightly carry a DTD. Any other part,
# whatever its name, may be read as XML.
_PICTURES = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".emf", ".wmf", ".svg")
_HEADING_STYLE = re.compile(r"heading (\d)", re.IGNORECASE)
# Word's list styles: List, List Bullet, List Number, and each again with its depth, "List 2"
_LIST_STYLE = re.compile(r"List(?: Bullet| Number)?(?: (?P<depth>\d))?")
_SPACES = re.compile(r"\s+")
_CONTROL = dict.fromkeys(c for c in range(32) if chr(c) not in "\n\t")
_MARKDOWN_SPECIAL = re.compile(r"([\\*_\[\]`<])")


@dataclass(frozen=True)
class Block:
    """One piece of the document: ``kind`` is title, heading, paragraph, item (of a list) or
    other (a table, a quotation, code); ``text`` its plain words on one line, ``markdown`` the
    piece as Markdown for the pre-reading. Items of one list share ``list_id``."""

    kind: str
    text: str
    markdown: str
    level: int = 0
    list_id: int = 0


def plain(text: str) -> str:
    return _SPACES.sub(" ", text.translate(_CONTROL)).strip()


def _too_long() -> Refused:
    return Refused(
        _(
            "The document is too long to read as a stimulus document (more than %(n)s "
            "paragraphs or lines). Upload a shorter version."
        )
        % {"n": f"{MAX_BLOCKS:,}"}
    )


# Word


def _not_word() -> Refused:
    return Refused(
        _(
            "This file cannot be read as a Word document: it may be damaged, or another kind "
            "of file named .docx. Open it in Word, save it as a Word document (.docx) and "
            "upload that."
        )
    )


def _check_package(data: bytes) -> None:
    """Refuse a file that is not a zip, or that would unpack too large, before it is parsed."""
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise Refused(
            _(
                "This is an older Word document (.doc). Open it in Word, save it as a Word "
                "document (.docx) and upload that."
            )
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            parts = package.infolist()
            if len(parts) > MAX_PARTS or sum(p.file_size for p in parts) > MAX_UNPACKED:
                raise Refused(
                    _(
                        "This Word document is too large once unpacked (over 20 MB). Remove "
                        "large pictures or embedded files, then upload it again."
                    )
                )
            for part in parts:
                if not part.filename.lower().endswith(_PICTURES):
                    content = package.read(part)
                    if any(marker in content for marker in _DECLARATIONS):
                        raise _not_word()
    except Refused:
        raise
    except Exception as error:  # zipfile and zlib raise many kinds on a damaged file
        raise _not_word() from error


def _emphasised(text: str, bold: bool, italic: bool) -> str:
    if not text.strip() or not (bold or italic):
        return text
    marker = "*" * ((2 if bold else 0) + (1 if italic else 0))
    core = text.strip()
    lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
    return f"{lead}{marker}{core}{marker}{trail}"


def _paragraph_markdown(paragraph) -> str:
    """The paragraph's words as Markdown: bold and italic kept, links as links."""
    pieces: list[tuple[str, bool, bool]] = []
    for inner in paragraph.iter_inner_content():
        if isinstance(inner, Hyperlink):
            words = _MARKDOWN_SPECIAL.sub(r"\\\1", plain(inner.text))
            address = inner.url.replace(")", "%29").replace(" ", "%20")
            pieces.append((f"[{words}]({address})" if address else words, False, False))
        else:
            words = _MARKDOWN_SPECIAL.sub(r"\\\1", inner.text)
            pieces.append((words, bool(inner.bold), bool(inner.italic)))
    merged: list[list] = []
    for words, bold, italic in pieces:
        if merged and merged[-1][1:] == [bold, italic]:
            merged[-1][0] += words
        else:
            merged.append([words, bold, italic])
    lines = "".join(_emphasised(*piece) for piece in merged).split("\n")
    return "\\\n".join(line for line in map(plain, lines) if line)  # a break kept as one


def style_names(document) -> dict[str | None, list[str]]:
    """Each paragraph style's name and the names of the styles it is based on, nearest first,
    by style id (None for the document's default), looked up once for the whole document."""
    names: dict[str | None, list[str]] = {}
    paragraph_styles = (s for s in document.styles if s.type == WD_STYLE_TYPE.PARAGRAPH)
    for style in itertools.islice(paragraph_styles, MAX_STYLES):
        chain, base = [], style
        while base is not None and len(chain) < 5:
            chain.append(base.name or "")
            base = base.base_style
        names[style.style_id] = chain
    default = document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
    names[None] = names.get(default.style_id, []) if default is not None else []
    return names


def _value(element, path: str) -> str | None:
    """The ``w:val`` of the element at ``path`` (names like ``w:pPr``) under ``element``."""
    for name in path.split("/"):
        if element is None:
            return None
        element = element.find(qn(name))
    return element.get(qn("w:val")) if element is not None else None


def _word_block(paragraph, styles: dict[str | None, list[str]]) -> Block | None:
    text = plain(paragraph.text)
    if not text:
        return None
    element = paragraph.paragraph_format.element
    names = styles.get(_value(element, "w:pPr/w:pStyle")) or styles[None]
    if "Title" in names:
        return Block("title", text, text)
    for name in names:
        if found := _HEADING_STYLE.fullmatch(name):
            return Block("heading", text, text, level=int(found.group(1)))
    listed = [found for name in names if (found := _LIST_STYLE.fullmatch(name))]
    numbered = element.find(f"{qn('w:pPr')}/{qn('w:numPr')}") is not None
    if numbered or listed:
        depth = _value(element, "w:pPr/w:numPr/w:ilvl") or ""
        if depth.isdigit():
            level = int(depth)
        else:
            level = int(listed[0].group("depth") or 1) - 1 if listed else 0
        marker = "1." if any("Number" in name for name in names) else "-"
        markdown = f"{'  ' * min(level, 5)}{marker} {_paragraph_markdown(paragraph)}"
        return Block("item", text, markdown, level=level)
    return Block("paragraph", text, _paragraph_markdown(paragraph))


def _table_block(table) -> Block:
    rows = [" | ".join(plain(cell.text) for cell in row.cells) for row in table.rows]
    return Block("other", "", "\n\n".join(_MARKDOWN_SPECIAL.sub(r"\\\1", r) for r in rows))


def word_blocks(data: bytes) -> list[Block]:
    """The blocks of a Word document, in order: headings by their paragraph style, list
    items by a List style or numbering, tables as plain rows."""
    _check_package(data)
    try:
        document = docx.Document(io.BytesIO(data))
        styles = style_names(document)
        blocks: list[Block] = []
        list_id = 0
        for inner in document.iter_inner_content():
            if len(blocks) >= MAX_BLOCKS:
                raise _too_long()
            if isinstance(inner, Table):
                blocks.append(_table_block(inner))
                continue
            block = _word_block(inner, styles)
            if block is None:
                continue
            if block.kind == "item":
                if not (blocks and blocks[-1].kind == "item"):
                    list_id += 1
                block = replace(block, list_id=list_id)
            blocks.append(block)
        return blocks
    except Refused:
        raise
    except Exception as error:  # a damaged file can break the reader anywhere
        raise _not_word() from error


# Markdown

_PARSER = MarkdownIt("commonmark").disable("inline")
_LINK = re.compile(r"!?\[([^\[\]\n]*)\]\([^()\s]*\)")
_TAG = re.compile(r"</?[A-Za-z][^<>\n]*>")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_UNDERSCORES = re.compile(r"(?<!\w)_+|_+(?!\w)")


def inline_plain(source: str) -> str:
    """Markdown inline text as plain words: links' words kept, emphasis and code marks gone.
    Every pattern stops at the next bracket or mark, so a hostile line costs linear time."""
    text = _LINK.sub(r"\1", source)
    text = _TAG.sub("", text)
    text = text.replace("*", "").replace("`", "")
    text = _UNDERSCORES.sub("", text)
    return plain(html.unescape(_ESCAPE.sub(r"\1", text)))


def _decode(data: bytes) -> str:
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    try:
        text = data.decode("utf-16" if utf16 else "utf-8-sig")
    except UnicodeDecodeError as error:
        raise Refused(
            _(
                "This file is not in the UTF-8 encoding. Save it as UTF-8 (in most editors: "
                "Save as, then choose the UTF-8 encoding) and upload it again."
            )
        ) from error
    if "\x00" in text:
        raise Refused(_("This file is not a text file. Upload a Markdown or text file."))
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _source(lines: list[str], token) -> str:
    start, end = token.map
    return "\n".join(lines[start:end]).strip("\n")


def _inline_after(tokens, index: int):
    for token in tokens[index + 1 :]:
        if token.type == "inline":
            return token
        if token.type.endswith("_close") and token.level <= tokens[index].level:
            return None
    return None


def markdown_blocks(data: bytes) -> list[Block]:
    """The blocks of a Markdown (or plain text) file: headings, paragraphs and the items of
    lists at the top level; anything else (quotations, code, nested lists) rides along in the
    Markdown of the block it sits in."""
    text = _decode(data)
    lines = text.split("\n")
    if len(lines) > MAX_LINES:
        raise _too_long()
    tokens = _PARSER.parse(text)
    blocks, list_id = [], 0
    for index, token in enumerate(tokens):
        if token.nesting == -1 or token.map is None:
            continue
        if token.level == 0 and token.type in ("bullet_list_open", "ordered_list_open"):
            list_id += 1
        elif token.level == 1 and token.type == "list_item_open":
            inline = _inline_after(tokens, index)
            if words := inline_plain(inline.content) if inline else "":
                blocks.append(Block("item", words, _source(lines, token), list_id=list_id))
        elif token.level == 0 and token.type in ("heading_open", "paragraph_open"):
            words = inline_plain(_inline_after(tokens, index).content)
            if token.type == "heading_open":
                blocks.append(Block("heading", words, words, level=int(token.tag[1:])))
            elif words:
                blocks.append(Block("paragraph", words, _source(lines, token)))
        elif token.level == 0:
            blocks.append(Block("other", "", _source(lines, token)))
        if len(blocks) > MAX_BLOCKS:
            raise _too_long()
    return [block for block in blocks if block.text or block.markdown]
