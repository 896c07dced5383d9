"""Reading an organiser's stimulus document: what it proposes for a new summit, from Word and
Markdown, and the refusals for files that are damaged, hostile or of the wrong kind."""

from __future__ import annotations

import codecs
import copy
import io
import json
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.oxml.parser import parse_xml as docx_parse_xml
from lxml import etree

from summit.event.design import PLACE_SUMMIT_DATA
from summit.event.refusals import Refused
from summit.event.stimulus import MAX_ITEMS, MAX_UPLOAD, read_stimulus, subtheme_from
from summit.event.stimulus_files import MAX_BLOCKS, MAX_LINES

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PLACE = json.loads(PLACE_SUMMIT_DATA.read_text(encoding="utf-8"))


def _read(name: str) -> dict:
    return read_stimulus(name, (FIXTURES / name).read_bytes())


def _texts(items: list[dict]) -> list[str]:
    return [item["text"] for item in items]


def _docx_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _with_part(data: bytes, name: str, content: bytes | None) -> bytes:
    """The Word file ``data`` with its part ``name`` replaced (or left out when None)."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != name:
                target.writestr(info.filename, source.read(info))
        if content is not None:
            target.writestr(name, content)
    return out.getvalue()


PLAIN_DOCX = _docx_bytes(docx.Document())


# The Place Summit's own document


@pytest.mark.parametrize(
    "name",
    ["place_summit_stimulus.docx", "place_summit_stimulus.md", "place_summit_stimulus.txt"],
)
def test_place_summit_document_gives_its_parts_exactly(name):
    found = _read(name)

    assert found["summit"] == {
        "title": "Place Summit",
        "central_question": PLACE["summit"]["central_question"],
    }
    assert _texts(found["assumptions"]) == _texts(PLACE["assumptions"])
    assert _texts(found["obstacles"]) == _texts(PLACE["obstacles"])
    assert [s["question"] for s in found["subthemes"]] == [
        s["question"] for s in PLACE["subthemes"]
    ]
    assert _texts(found["areas"]) == _texts(PLACE["areas"])
    assert {area["subtheme"] for area in found["areas"]} == {None}


@pytest.mark.parametrize("name", ["place_summit_stimulus.docx", "place_summit_stimulus.md"])
def test_place_summit_document_every_heading_is_a_section(name):
    sections = _read(name)["pre_reading"]

    assert [s["title"] for s in sections] == [
        "Introduction",
        "Purpose",
        "Summit",
        "Context",
        "Obstacles to place",
        "Why place matters now",
        "New social contract",
        "Some areas to be addressed",
        "Other materials",
    ]
    body = {s["title"]: s["body"] for s in sections}
    assert body["Purpose"].startswith("Good governance at place level is a cornerstone")
    assert "\n\nBut now there is an opportunity." in body["Purpose"]
    assert "\n- *the Treasury's control over finances" in body["Obstacles to place"]
    assert "*Illuminations series on governance*" in body["Other materials"]
    assert "- ***What narratives are necessary" in body["Summit"]


def test_place_summit_subthemes_get_short_titles_to_confirm():
    subthemes = _read("place_summit_stimulus.docx")["subthemes"]

    assert [s["title"] for s in subthemes] == [
        "What narratives are necessary to support…",
        "What will help promote and enhance…",
        "What are the principles which should…",
    ]


# A document of another commission, in words of its own


@pytest.mark.parametrize("name", ["coastal_towns_stimulus.docx", "coastal_towns_stimulus.md"])
def test_other_document_with_its_own_headings_gives_its_parts(name):
    found = _read(name)

    assert found["summit"] == {
        "title": "Coastal Towns Roundtable",
        "central_question": (
            "How can coastal towns build a future that their own residents choose?"
        ),
    }
    assert _texts(found["assumptions"]) == [
        "Coastal towns face problems that inland towns of the same size do not.",
        "Residents know their towns better than any national programme does.",
        "Money alone will not turn a town round without local people leading.",
    ]
    # The point under "transport links" belongs to it, not to the list itself.
    assert _texts(found["obstacles"]) == [
        "seasonal work that leaves towns quiet and poor for half the year",
        "transport links that end at the edge of the town",
        "funding that arrives in short competitive rounds",
        "decisions taken in offices a hundred miles away",
        "young people leaving and not coming back",
    ]
    assert found["subthemes"] == [
        {
            "title": "Harbours and work",
            "question": "How can harbour towns keep skilled work close to home?",
        },
        {"title": "Homes", "question": "How do we house the people a town needs all year round?"},
        {
            "title": "Getting about",
            "question": "What would make it easy to reach jobs without a car?",
        },
        {
            "title": "Young people",
            "question": "What would make young people choose to stay or return?",
        },
    ]
    assert len(found["areas"]) == 8
    assert found["areas"][0] == {
        "text": "Who should own a town's plan for its seafront?",
        "subtheme": None,
    }
    offered = json.dumps({k: v for k, v in found.items() if k != "pre_reading"})
    assert "Tides of Change" not in offered  # further reading is not one of the lists


@pytest.mark.parametrize("name", ["coastal_towns_stimulus.docx", "coastal_towns_stimulus.md"])
def test_other_document_keeps_emphasis_and_nesting_in_its_pre_reading(name):
    body = {s["title"]: s["body"] for s in _read(name)["pre_reading"]}

    assert "**twelve coastal towns**" in body["About this roundtable"]
    assert "*proposals that someone will own*" in body["About this roundtable"]
    assert "\n  - trains that stop running in the early evening" in body["Barriers"]
    assert body["Further reading"].endswith("- Last Train Home: coastal transport in numbers")


def test_subtheme_title_taken_before_a_colon_or_made_from_the_first_words():
    assert subtheme_from("Homes: How do we house people?") == {
        "title": "Homes",
        "question": "How do we house people?",
    }
    assert subtheme_from("Homes — How do we house people?")["title"] == "Homes"
    long = subtheme_from("Why " + "very " * 40 + "long?")
    assert long["title"] == "Why very very very very very…"
    assert len(subtheme_from("W" * 500 + "?")["title"]) <= 80


# Word files without Word's heading styles, with numbering, with tables


def test_word_file_without_heading_styles_reads_short_lines_as_headings():
    document = docx.Document()
    document.add_paragraph().add_run("Working assumptions").bold = True
    document.add_paragraph("We start from these:")
    document.add_paragraph("people want to be heard", style="List Bullet")
    document.add_paragraph("places differ", style="List Bullet")

    found = read_stimulus("plain.docx", _docx_bytes(document))

    assert _texts(found["assumptions"]) == ["people want to be heard", "places differ"]
    assert found["summit"] == {}
    assert [s["title"] for s in found["pre_reading"]] == ["Working assumptions"]


def test_word_list_by_numbering_and_tables_kept_as_text():
    document = docx.Document()
    document.add_heading("Obstacles", level=1)
    for text in ("money", "time"):
        paragraph = document.add_paragraph(text, style="List Paragraph")
        numbering = parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>'
        )
        paragraph.paragraph_format.element.get_or_add_pPr().append(numbering)
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Budget", "£3m"

    found = read_stimulus("numbered.docx", _docx_bytes(document))

    assert _texts(found["obstacles"]) == ["money", "time"]
    body = "- money\n- time\n\nBudget | £3m"
    assert found["pre_reading"] == [{"title": "Obstacles", "body": body}]


def test_markdown_in_utf16_with_its_mark_is_read():
    data = codecs.BOM_UTF16_LE + "# Obstacles\n\n- money\n- time\n".encode("utf-16-le")

    assert _texts(read_stimulus("notes.md", data)["obstacles"]) == ["money", "time"]


def test_each_list_is_cut_at_its_limit():
    source = "## Barriers\n\n" + "".join(f"- barrier {n}\n" for n in range(MAX_ITEMS + 50))

    found = read_stimulus("long.md", source.encode())

    assert len(found["obstacles"]) == MAX_ITEMS
    assert found["obstacles"][-1] == {"text": f"barrier {MAX_ITEMS - 1}"}


# Refusals: every failure is a message for the organiser


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("notes.pdf", b"%PDF-1.7", "Upload a Word document (.docx)"),
        ("notes", b"# Title", "Upload a Word document (.docx)"),
        ("notes.md", b"", "The file is empty"),
        ("notes.md", b"#" * (MAX_UPLOAD + 1), "smaller than 2 MB"),
        ("notes.md", "café".encode("latin-1"), "UTF-8"),
        ("notes.md", "# Notes".encode("utf-16-le"), "not a text file"),
        ("notes.md", b" \n\n\t\n", "No text was found"),
        ("notes.txt", PLAIN_DOCX, "looks like a Word document"),
        ("notes.docx", b"not a zip at all", "cannot be read as a Word document"),
        ("notes.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "older Word document"),
        ("notes.docx", PLAIN_DOCX, "No text was found"),
        ("notes.docx", PLAIN_DOCX[: len(PLAIN_DOCX) // 2], "cannot be read"),
        (
            "notes.docx",
            _with_part(PLAIN_DOCX, "word/document.xml", None),
            "cannot be read as a Word document",
        ),
        (
            "notes.docx",
            _with_part(PLAIN_DOCX, "word/document.xml", b"<w:document><w:body><w:p>"),
            "cannot be read as a Word document",
        ),
        ("notes.md", ("line\n" * (MAX_LINES + 1)).encode(), "too long"),
    ],
)
def test_unusable_file_is_refused_with_what_to_do(name, data, words):
    with pytest.raises(Refused, match=words.replace("(", r"\(").replace(")", r"\)")):
        read_stimulus(name, data)


def test_word_file_with_too_many_paragraphs_is_refused():
    document = docx.Document()
    paragraph = document.add_paragraph("A paragraph.").paragraph_format.element
    for _ in range(MAX_BLOCKS):
        document.element.body.append(copy.deepcopy(paragraph))

    with pytest.raises(Refused, match="too long"):
        read_stimulus("long.docx", _docx_bytes(document))


def test_zip_bomb_is_refused_before_it_is_unpacked():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("[Content_Types].xml", b"<Types/>")
        bomb.writestr("word/document.xml", b"<" + b" " * (40 * 1024 * 1024) + b"/>")
    assert len(out.getvalue()) < 100_000

    with pytest.raises(Refused, match="too large once unpacked"):
        read_stimulus("bomb.docx", out.getvalue())


def test_zip_of_too_many_parts_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as many:
        for n in range(1001):
            many.writestr(f"part{n}.txt", b"")

    with pytest.raises(Refused, match="too large once unpacked"):
        read_stimulus("many.docx", out.getvalue())


LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE w:document [\n<!ENTITY lol "lol">\n'
    + b"".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">\n'.encode()
        for n in range(1, 10)
    )
    + b"]>\n"
    + f"<w:document {nsdecls('w')}><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>".encode()
    + b"</w:body></w:document>"
)


def _external_entity(path: Path) -> bytes:
    return (
        f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file://{path}">]>'
        f"<w:document {nsdecls('w')}><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p>"
        "</w:body></w:document>"
    ).encode()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_billion_laughs_in_a_word_file_is_refused_at_once(encoding):
    document = LAUGHS if encoding == "utf-8" else LAUGHS.decode().encode(encoding)
    data = _with_part(PLAIN_DOCX, "word/document.xml", document)

    with pytest.raises(Refused, match="cannot be read as a Word document"):
        read_stimulus("laughs.docx", data)


def test_external_entity_in_a_word_file_is_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-WORDS")
    data = _with_part(PLAIN_DOCX, "word/document.xml", _external_entity(secret))

    with pytest.raises(Refused, match="cannot be read as a Word document"):
        read_stimulus("entity.docx", data)


def test_picture_with_its_own_dtd_does_not_stop_a_word_file():
    document = docx.Document()
    document.add_heading("Barriers", level=1)
    document.add_paragraph("distance", style="List Bullet")
    svg = b'<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x.dtd"><svg/>'
    data = _with_part(_docx_bytes(document), "word/media/image1.svg", svg)

    assert _texts(read_stimulus("pictured.docx", data)["obstacles"]) == ["distance"]


def test_word_reader_itself_neither_expands_nor_fetches_entities(tmp_path):
    """Beneath the refusal above, python-docx's own XML parser keeps entities unresolved and
    libxml2 stops an expansion: a DTD that slipped past would still do no harm."""
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-WORDS")

    read = "".join(docx_parse_xml(_external_entity(secret)).itertext())
    assert "SECRET-WORDS" not in read
    try:
        expanded = "".join(docx_parse_xml(LAUGHS).itertext())
    except etree.XMLSyntaxError:
        expanded = ""
    assert len(expanded) < 1000


@pytest.mark.parametrize(
    "source",
    [
        "[" * 1_500_000,
        "[](" * 500_000,
        "a**" * 500_000,
        "<" * 1_500_000,
        "*a _b " * 250_000,
        "".join("  " * n + "- a\n" for n in range(1200)),
        "> " * 700_000,
    ],
    ids=["brackets", "links", "emphasis", "angles", "mixed", "deep list", "deep quote"],
)
def test_hostile_markdown_is_read_or_refused(source):
    # Read, or refused with a message; never an error. How long it takes: bench/design.py.
    try:
        found, said = read_stimulus("hostile.md", source.encode()), None
    except Refused as refused:
        found, said = None, str(refused)
    if found is None:
        assert said.strip()
    else:
        assert isinstance(found["pre_reading"], list)
        assert all(isinstance(item, dict) for item in found["assumptions"])
