"""The record page printed to PDF by Chromium, as an organiser would with "Print / Save as
PDF": several pages, no navigation chrome, and every outcome's text in the document, with the
ideas in both orders, the voice balance and the moderation and facilitation log."""

from __future__ import annotations

import re
import unicodedata
import zlib

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations
from tests.test_record import day  # noqa: F401  (the fixture summit's day)

pytestmark = pytest.mark.e2e


def _stream(body: bytes) -> bytes:
    # The end-of-line before "endstream" is left on the data: compressed data may itself end
    # in a byte that looks like one, and the decompressor leaves what follows its end unused.
    match = re.search(rb"stream\r?\n(.*?)endstream", body, re.S)
    data = match[1]
    if b"/FlateDecode" in body[: match.start()]:
        return zlib.decompressobj().decompress(data)
    return data.removesuffix(b"\n").removesuffix(b"\r")


def _to_unicode(cmap: bytes) -> dict[int, str]:
    """A font's ToUnicode map: glyph code to the text it stands for."""
    mapping = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, text in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            mapping[int(code, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        ranges = re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block)
        for low, high, first in ranges:
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                mapping[code] = chr(int(first, 16) + offset)
    return mapping


def pdf_pages(data: bytes) -> list[str]:
    """The text of each page of a PDF as Chromium writes it: objects in the clear, content
    compressed, two-byte glyph codes mapped to text by each font's ToUnicode map. Words are
    placed one by one, so the text comes without the spaces between them."""
    objects = {int(n): body for n, body in re.findall(rb"(\d+) 0 obj(.*?)endobj", data, re.S)}
    pages = []
    for body in objects.values():
        if not re.search(rb"/Type\s*/Page\b(?!s)", body):
            continue
        fonts: dict[bytes, dict[int, str]] = {}
        for block in re.findall(rb"/Font\s*<<(.*?)>>", body, re.S):
            for name, ref in re.findall(rb"/(\w+)\s+(\d+) 0 R", block):
                cmap = re.search(rb"/ToUnicode (\d+) 0 R", objects[int(ref)])
                fonts[name] = _to_unicode(_stream(objects[int(cmap[1])])) if cmap else {}
        content = _stream(objects[int(re.search(rb"/Contents (\d+) 0 R", body)[1])])
        font: dict[int, str] = {}
        text = []
        shown = rb"/(\w+)\s+[\d.]+\s+Tf|<([0-9A-Fa-f]*)>\s*Tj|\[(.*?)\]\s*TJ"
        for op in re.finditer(shown, content, re.S):
            if op[1]:
                font = fonts.get(op[1], {})
                continue
            for codes in [op[2]] if op[2] is not None else re.findall(rb"<([0-9A-Fa-f]*)>", op[3]):
                text += [font.get(int(codes[i : i + 4], 16), "") for i in range(0, len(codes), 4)]
        pages.append("".join(text))
    return pages


def squeezed(text: str) -> str:
    """Text compared as the PDF holds it: ligatures undone and no spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def test_record_prints_to_a_pdf_of_several_pages_with_every_outcome(day, page_for):  # noqa: F811
    page = page_for(day.organiser, reverse("record", args=[day.summit.slug]))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"The record of {day.summit.title}")
    assert axe_violations(page) == []

    pdf = page.pdf(format="A4")

    pages = pdf_pages(pdf)
    assert len(pages) > 5  # the sections that start a page do so
    text = squeezed("".join(pages))
    for outcome in (day.budgets, day.panels, day.other_outcome):
        assert squeezed(outcome.proposal) in text
        assert squeezed(outcome.proposal) in squeezed(page.content())
    assert squeezed(f"Idea #{day.pooled.pk}: {day.pooled.text}") in text
    assert squeezed("Breakout: " + day.breakout.name) in text
    # Both orders of the ideas, the voice balance and the log print with the rest.
    for heading in (
        "Ideas by cross-sector support",
        "Voice balance",
        "Voice balance across the breakouts",
        "Moderation and facilitation log",
    ):
        assert squeezed(heading) in text
    # One supporter from each of two sectors: too few to name either, as on every screen.
    assert (
        squeezed(
            "Other sectors together (no sector of fewer than 5 people is shown alone) fewer than 5"
        )
        in text
    )
    # No navigation chrome: the site's header, the download links and the instructions.
    assert squeezed("Sign out") not in text
    assert squeezed("Take the record away") not in text
    assert squeezed("Demonstration mode") not in text
    # The title and the question open the first page.
    assert squeezed(day.summit.central_question) in squeezed(pages[0])


def test_a_facilitator_prints_their_own_breakouts(day, page_for):  # noqa: F811
    page = page_for(day.facilitator, reverse("record", args=[day.summit.slug]))

    text = squeezed("".join(pdf_pages(page.pdf(format="A4"))))

    assert squeezed(day.budgets.proposal) in text
    assert squeezed(day.other_outcome.proposal) not in text
    assert axe_violations(page) == []
