"""The record as a reader meets it: a sequence of plain blocks (a heading, a paragraph, a
list, a table...) that ``walk`` makes from a ``Record`` once, and that the page, the Word
document and Markdown each draw in their own way.

Blocks hold words, never markup. Where the page says more than the documents (a link to
another part of the record, a caption read out by screen readers, a note under a cell), the
block carries it and the documents leave it out.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import Any, ClassVar

from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class Drawn:
    """What the page draws. Django's templates look each name up as a key before trying it
    as an attribute; answering the key spares them an exception for every name drawn, which
    in a long table is most of the page's time."""

    __slots__ = ()
    __getitem__ = object.__getattribute__


@dataclass(slots=True)
class Span(Drawn):
    """Words in a paragraph; with ``anchor``, they lead to that part of the record. ``lang``
    is the language of an organiser's text given in the other language than the record's
    (its Welsh or English missing), which the page marks; "" for words in the record's."""

    text: str
    anchor: str = ""
    lang: str = ""


@dataclass(slots=True)
class Title(Drawn):
    """What the record opens with: its title, who convened the summit, and its question."""

    kind: ClassVar[str] = "title"
    text: str
    summit: str
    convener: str
    question: str
    # The page's marks of language: the title's words (``text``) as spans, and the language
    # of the summit's title and of its question where they are in the other (``Span.lang``).
    spans: tuple[Span, ...] = ()
    summit_lang: str = ""
    question_lang: str = ""


@dataclass(slots=True)
class Contents(Drawn):
    """The record's sections, by title, each leading to its heading."""

    kind: ClassVar[str] = "contents"
    entries: list[Span]


@dataclass(slots=True)
class Open(Drawn):
    """Where a part of the record starts: a section (``section``, or ``breakout`` for a
    breakout's), or a group within one that belongs together (``outcome``, ``voice``,
    ``block``). Printed, a section with ``new_page`` starts a page; in Word, so does a
    ``chapter`` (each breakout, and the findings from the dissent register on)."""

    kind: ClassVar[str] = "open"
    part: str
    anchor: str = ""
    new_page: bool = False
    chapter: bool = False


@dataclass(slots=True)
class Close(Drawn):
    """Where the part that ``Open`` started ends."""

    kind: ClassVar[str] = "close"
    part: str


@dataclass(slots=True)
class Heading(Drawn):
    """A heading; level 1 is the record's title, 2 a section, and so on down. A heading
    with an organiser's text in it has ``spans`` too, for the page to mark its language."""

    kind: ClassVar[str] = "heading"
    level: int
    text: str
    anchor: str = ""
    spans: tuple[Span, ...] = ()


def joined(spans: Iterable[Span]) -> str:
    """Spans' words as one text, for where no mark of language can go."""
    return "".join(span.text for span in spans)


@dataclass(slots=True)
class Paragraph(Drawn):
    """A paragraph. ``look`` says what it is: "" plain; ``hint`` a note on what follows;
    ``reading`` the summit's own words; ``statement`` what was proposed or asked (in bold);
    ``meta`` facts about a poll; ``label`` a bold lead-in to a list."""

    kind: ClassVar[str] = "paragraph"
    spans: tuple[Span, ...]
    look: str = ""

    @property
    def text(self) -> str:
        return "".join(span.text for span in self.spans)


def paragraph(text: str | Span, look: str = "") -> Paragraph:
    return Paragraph((text if isinstance(text, Span) else Span(text),), look)


_LINKED = re.compile(r"(?P<before>.*?)\[(?P<words>[^\]]+)\](?P<after>.*)", re.DOTALL)


def linked(text: str, anchor: str) -> tuple[Span, ...]:
    """A sentence whose words in square brackets lead to ``anchor``: "The results are in
    [Working assumptions]." A sentence without brackets is one span, leading nowhere."""
    found = _LINKED.fullmatch(text)
    if found is None:
        return (Span(text),)
    spans = (Span(found["before"]), Span(found["words"], anchor), Span(found["after"]))
    return tuple(span for span in spans if span.text)


@dataclass(slots=True)
class Fact(Drawn):
    """A labelled line: "Members: 12". ``at`` is the time a value gives, to the minute;
    ``lang`` the language of a value in the other (``Span.lang``)."""

    label: str
    value: str
    at: dt.datetime | None = None
    lang: str = ""


@dataclass(slots=True)
class Facts(Drawn):
    """Labelled lines; the page sets them closer (``compact``) but for the record's own."""

    kind: ClassVar[str] = "facts"
    facts: list[Fact]
    compact: bool = True


@dataclass(slots=True)
class Item(Drawn):
    """An item in a list: ``lead`` opens it (a question's number, a cluster's name), and
    leads to ``link`` where given; what someone said is followed by who said it (``by``)
    and any ``detail`` (their position, an idea's dots). ``lang`` is the language of a text
    in the other (``Span.lang``)."""

    text: str
    lead: str = ""
    sep: str = " "
    by: str = ""
    detail: str = ""
    link: str = ""
    lang: str = ""


@dataclass(slots=True)
class Items(Drawn):
    """A list. ``look`` names what it lists (``prompts``, ``list``, ``sources``,
    ``remarks``); ``empty``, if given, is what it says when it has nothing."""

    kind: ClassVar[str] = "items"
    items: list[Item]
    look: str = "list"
    empty: str = ""


@dataclass(slots=True)
class Cell(Drawn):
    """A table's cell. ``header`` heads its row; ``look`` is ``nowrap`` for a time and
    ``text`` for what someone wrote; ``link`` opens it and leads to ``anchor``; ``note`` is
    said under it on the page (in brackets, in a table's head); ``at`` is the time it gives;
    ``lang`` and ``note_lang`` the language of its text and its note in the other
    (``Span.lang``)."""

    text: object
    header: bool = False
    look: str = ""
    link: str = ""
    anchor: str = ""
    note: str = ""
    at: dt.datetime | None = None
    lang: str = ""
    note_lang: str = ""

    @property
    def plain(self) -> bool:
        """Only words, as most cells are."""
        return not (self.header or self.look or self.link or self.note or self.at or self.lang)

    @property
    def words(self) -> str:
        """The cell as the documents give it."""
        text = "" if self.text is None else str(self.text)
        if not self.link:
            return text
        return f"{self.link} {text}" if text else self.link


class Rows:
    """A long table's rows, each made from its item as it is drawn and then let go, so that
    a table of thousands of rows (the dissent register, the log) never holds all its cells
    at once."""

    __slots__ = ("items", "row")

    def __init__(self, items: Sequence[Any], row: Callable[[Any], list[Cell]]) -> None:
        self.items = items
        self.row = row

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[list[Cell]]:
        return map(self.row, self.items)


@dataclass(slots=True)
class Table(Drawn):
    """A table. ``caption`` says what it holds for those who cannot see it; ``title`` is
    shown above it. ``foot`` is a last row of totals; ``empty`` is said in the page's table
    when it has no rows (the documents give the head alone). ``look`` holds ``compact``,
    ``numbers`` (a table of figures), ``log``, and ``headless`` where the page gives no head;
    ``scroll`` names the headings of a table the page lets scroll on its own."""

    kind: ClassVar[str] = "table"
    head: list[Cell]
    rows: list[list[Cell]] | Rows
    caption: str = ""
    title: str = ""
    foot: list[Cell] | None = None
    empty: str = ""
    look: tuple[str, ...] = ()
    scroll: str = ""

    @property
    def groups(self) -> list[tuple[bool, list[list[Cell]] | Rows]]:
        """The rows, and then the totals if any, each marked whether it is the totals."""
        return [(False, self.rows), (True, [self.foot])] if self.foot else [(False, self.rows)]

    @property
    def lines(self) -> Iterator[list[Cell]]:
        """Every row the documents give: the rows, then the totals."""
        return chain(self.rows, [self.foot] if self.foot else [])


@dataclass(slots=True)
class IdeaLine(Drawn):
    """An idea on the wall, with the comments that built on it."""

    number: int
    text: str
    by: str
    question: str  # "Q3", or "" for none
    cluster: str
    dots: int
    voters: int
    score: str  # cross-sector support, to two decimals
    supporters: str  # by sector: "Health and care (NHS) 2, Faith 1"
    place_by_dots: int | None
    place_by_support: int | None
    comments: list[Item] = field(default_factory=list)

    @property
    def details(self) -> list[str]:
        """What the documents say of the idea after who it came from."""
        details = [self.question] if self.question else []
        if self.cluster:
            details.append(_("Cluster: %(name)s") % {"name": self.cluster})
        details.append(dots_from(self.dots, self.voters))
        if self.supporters:
            details.append(
                _("cross-sector support %(score)s (%(supporters)s)")
                % {"score": self.score, "supporters": self.supporters}
            )
        else:
            details.append(_("cross-sector support %(score)s") % {"score": self.score})
        return details


@dataclass(slots=True)
class Ideas(Drawn):
    """A breakout's ideas on the wall, most dots first."""

    kind: ClassVar[str] = "ideas"
    ideas: list[IdeaLine]
    caption: str


@dataclass(slots=True)
class Ranking(Drawn):
    """A breakout's ideas on the wall in order of cross-sector support, each with its place
    in both orders: a table of its own, as long as the wall."""

    kind: ClassVar[str] = "ranking"
    ideas: list[IdeaLine]
    head: list[str]
    caption: str

    @property
    def rows(self) -> list[list[str]]:
        """The table's rows as the documents give them."""
        return [
            [
                str(i.place_by_support),
                f"#{i.number} {i.text}",
                i.score,
                i.supporters or _("None"),
                f"{i.dots} ({i.voters})",
                str(i.place_by_dots),
            ]
            for i in self.ideas
        ]


@dataclass(slots=True)
class Words(Drawn):
    """A word cloud's words, each with how many gave it."""

    kind: ClassVar[str] = "words"
    words: list[tuple[str, int]]


Block = (
    Title | Contents | Open | Close | Heading | Paragraph | Facts | Items | Table | Ideas | Words
)


def head(*labels: str) -> list[Cell]:
    """A table's head, from its columns' labels (in the language of the record)."""
    return [Cell(str(label)) for label in labels]


def people(n: int) -> str:
    """A count of people: "1 person", "12 people"."""
    return ngettext("%(count)s person", "%(count)s people", n) % {"count": n}


def dots_from(dots: int, voters: int) -> str:
    """An idea's dots and how many people placed them: "3 dots from 2 people"."""
    return ngettext("%(count)s dot from %(people)s", "%(count)s dots from %(people)s", dots) % {
        "count": dots,
        "people": people(voters),
    }


def headings(blocks: Iterable[Block]) -> Iterator[tuple[int, str]]:
    """Each heading's level and words, the title's at level 1, in the record's order."""
    for block in blocks:
        if isinstance(block, Title):
            yield 1, block.text
        elif isinstance(block, Heading):
            yield block.level, block.text
