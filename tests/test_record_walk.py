"""The record's one walk: the page, the Word document and Markdown are drawn from the same
blocks, so each gives the walk's sections and headings, in the walk's order."""

from __future__ import annotations

from plenary.models import Answer, Poll, Response
from plenary.services import plenary_for
from summit.record.blocks import Contents, Heading, Title, headings
from summit.record.build import build_record
from summit.record.walk import walk
from tests.test_record import Day, day, docx_of, markdown_of, md_headings, page_of  # noqa: F401


def _word_headings(document) -> list[tuple[int, str]]:
    """The document's headings at the page's levels: Word's title is the page's first."""
    found = []
    for p in document.paragraphs:
        style = p.style.name
        if style == "Title":
            found.append((1, p.text))
        elif style.startswith("Heading "):
            found.append((int(style.removeprefix("Heading ")) + 1, p.text))
    return found


def test_word_and_markdown_give_the_walks_headings_in_its_order(day):  # noqa: F811
    walked = list(headings(walk(build_record(day.summit))))

    in_word = _word_headings(docx_of(day.organiser))
    in_markdown = md_headings(markdown_of(day.organiser))

    assert len(walked) > 40
    assert in_word == walked
    # Markdown lists the sections first under a heading of its own; Word leaves that to its
    # navigation pane.
    assert in_markdown == [*walked[:1], (2, "Contents"), *walked[1:]]


def test_the_page_gives_the_walks_headings_in_its_order(day):  # noqa: F811
    walked = list(headings(walk(build_record(day.summit))))

    _, page = page_of(day.organiser)

    shown = [h for h in page.headings if h[1] not in {"Take the record away", "Contents"}]
    assert shown == walked


def test_a_facilitators_documents_give_the_walk_of_their_record(day):  # noqa: F811
    mine = day.summit.breakouts.filter(facilitators=day.facilitator)
    walked = list(headings(walk(build_record(day.summit, mine))))

    assert (2, f"Breakout: {day.breakout.name}") in walked
    assert (2, f"Breakout: {day.other.name}") not in walked
    assert _word_headings(docx_of(day.facilitator)) == walked
    assert [h for h in md_headings(markdown_of(day.facilitator)) if h[1] != "Contents"] == walked


def test_the_contents_name_each_section_that_follows(day):  # noqa: F811
    blocks = list(walk(build_record(day.summit)))
    contents = next(b for b in blocks if isinstance(b, Contents))
    sections = [b for b in blocks if isinstance(b, Heading) and b.level == 2]

    assert [(e.text, e.anchor) for e in contents.entries] == [(s.text, s.anchor) for s in sections]
    assert isinstance(blocks[0], Title)
    markdown = markdown_of(day.organiser)
    listed = markdown[markdown.index("## Contents") : markdown.index("## About this record")]
    for n, section in enumerate(sections, start=1):
        assert f"\n{n}. {section.text}\n" in listed


def _word_cloud(the_day: Day) -> Poll:
    """A word cloud in the day's plenary, answered twice with one word."""
    poll = Poll.objects.create(
        plenary=plenary_for(the_day.summit),
        question="One word for the day?",
        kind=Poll.Kind.WORDS,
        state=Poll.State.CLOSED,
    )
    for person in (the_day.attendee, the_day.open_person):
        response = Response.objects.create(poll=poll, participant=person)
        Answer.objects.create(response=response, text="Trust")
    return poll


def test_the_walk_of_a_day_holds_every_kind_of_block(day):  # noqa: F811
    _word_cloud(day)

    kinds = {block.kind for block in walk(build_record(day.summit))}

    # So the tests of each format above draw every kind of block there is.
    assert kinds == {
        "title",
        "contents",
        "open",
        "close",
        "heading",
        "paragraph",
        "facts",
        "items",
        "table",
        "ideas",
        "ranking",
        "words",
    }


def test_every_document_draws_the_words_of_a_word_cloud(day):  # noqa: F811
    _word_cloud(day)

    html, _ = page_of(day.organiser)
    word = "\n".join(p.text for p in docx_of(day.organiser).paragraphs)

    assert '<li>Trust <span class="record-by">×2</span></li>' in html
    assert "\nTrust (×2)\n" in markdown_of(day.organiser)
    assert "\nTrust (×2)\n" in word
