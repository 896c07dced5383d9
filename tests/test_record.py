"""The summit record: every format made from one summit's day and read back (DOCX with
python-docx, XLSX with openpyxl, CSV with the csv module, JSON against its schema, Markdown
and the page for the same sections and counts), anonymity in every format, each outcome's
sources in every format, both orders of the ideas with their supporters by sector, voice
balance without the names of the quiet, the moderation and facilitation log and the audit
entry each download leaves, who may have which record, and query counts that do not grow
with the ideas."""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
import uuid
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser

import docx
import jsonschema
import openpyxl
import pytest
from django.db import connections
from django.test import AsyncClient, Client
from django.urls import reverse
from docx.table import Table as DocxTable

from accounts.audit import log_action
from accounts.models import AuditEntry, Participant
from breakouts.models import Breakout, Cluster, Comment, Idea, Outcome, Rating, Vote
from plenary.models import Answer, Poll, PollOption, Response
from plenary.services import plenary_for
from summit.event.agreement import Agreement
from summit.event.measures import OTHER_SECTORS
from summit.event.models import Summit
from summit.record.as_json import SCHEMA_PATH
from summit.record.build import build_record
from summit.record.rows import CHUNK_SIZE
from tests.conftest import client_for, make_participant

FORMATS = ("record", "record_docx", "record_markdown", "record_xlsx", "record_csv", "record_json")
CSV_TABLES = {
    "summit",
    "participants",
    "ideas",
    "comments",
    "votes",
    "clusters",
    "rankings",
    "outcomes",
    "themes",
    "actions",
    "consensus",
    "dissent",
    "polls",
    "shift",
    "shift_by_sector",
    "qa_sessions",
    "questions",
    "responses",
    "voice_balance",
    "voice_by_sector",
    "audit_log",
    "feedback",
    "feedback_changes",
}
SECRET_NAME = "Zara Quietly"
SECRET_ORGANISATION = "Quiet Harbour Trust"
QUIET_NAME = "Quentin Stillwater"
OTHER = str(OTHER_SECTORS)


@dataclass
class Day:
    """One summit's day, with a name for everything the tests look for."""

    summit: object
    breakout: Breakout
    other: Breakout
    organiser: Participant
    facilitator: Participant
    other_facilitator: Participant
    attendee: Participant
    hidden_person: Participant
    open_person: Participant
    pooled: Idea
    panel: Idea
    framework: Idea
    duplicate: Idea
    rude: Idea
    withdrawn: Idea
    spoken: Idea
    other_idea: Idea
    budgets: Outcome
    panels: Outcome
    other_outcome: Outcome


def _idea(breakout, author, text, **fields) -> Idea:
    return Idea.objects.create(
        breakout=breakout, author=author, text=text, client_token=uuid.uuid4(), **fields
    )


def _comment(idea, author, text, **fields) -> Comment:
    return Comment.objects.create(
        idea=idea, author=author, text=text, client_token=uuid.uuid4(), **fields
    )


def _answer(poll, person, *parts) -> Response:
    response = Response.objects.create(poll=poll, participant=person)
    Answer.objects.bulk_create(
        Answer(response=response, option=option, value=value, text=text)
        for option, value, text in parts
    )
    return response


@pytest.fixture
def day(summit, breakout, other_breakout, organiser, facilitator, attendee, other_member) -> Day:
    """A day in the Place Summit: ideas of every status, comments, dots, a cluster, outcomes
    rated in the group and in the plenary's consensus check, the assumptions check with a
    challenge, the obstacles ranked and an open-text poll. One attendee chose anonymity, and
    another named one posted an idea and a comment anonymously."""
    hidden_person = make_participant(
        summit,
        name=SECRET_NAME,
        organisation=SECRET_ORGANISATION,
        sector="health",
        anonymous=True,
    )
    open_person = make_participant(
        summit, name="Tomasz Open", organisation="Open Works Ltd", sector="business"
    )
    breakout.members.add(hidden_person, open_person)
    other_facilitator = make_participant(
        summit, Participant.Role.FACILITATOR, name="Obi Other", sector="academia"
    )
    other_breakout.facilitators.add(other_facilitator)

    pooled = _idea(breakout, attendee, "Pool budgets across councils and the NHS for each place")
    panel = _idea(breakout, hidden_person, "Give every place a standing citizens’ panel")
    framework = _idea(
        breakout, open_person, "Publish one shared outcomes framework", anonymous=True
    )
    duplicate = _idea(
        breakout,
        attendee,
        "Pool the money locally",
        status=Idea.Status.MERGED,
    )
    duplicate.merged_into = pooled
    duplicate.save(update_fields=["merged_into"])
    rude = _idea(
        breakout,
        open_person,
        "A remark about one officer by name",
        status=Idea.Status.HIDDEN,
        hidden_reason="Personal remark about a named officer",
    )
    withdrawn = _idea(
        breakout, attendee, "Rotate the chair every year", status=Idea.Status.WITHDRAWN
    )
    spoken = _idea(
        breakout,
        facilitator,
        "Faith groups hold spaces people already trust",
        added_by=facilitator,
        spoken_sector="faith",
    )
    _comment(pooled, hidden_person, "Start with adult social care")
    _comment(panel, open_person, "Pay panel members for their time", anonymous=True)
    _comment(framework, attendee, "Measure what residents value")
    money = Cluster.objects.create(breakout=breakout, name="Money")
    Idea.objects.filter(pk__in=[pooled.pk, duplicate.pk]).update(cluster=money)
    Vote.objects.bulk_create(
        [
            Vote(idea=pooled, voter=attendee, dots=3),
            Vote(idea=pooled, voter=hidden_person, dots=2),
            Vote(idea=panel, voter=open_person, dots=1),
            Vote(idea=framework, voter=hidden_person, dots=1),
        ]
    )
    budgets = Outcome.objects.create(
        breakout=breakout,
        proposal="Councils and NHS bodies pool a share of their budgets for each place",
        who_should_act="Councils and integrated care boards",
        drafted_by=facilitator,
    )
    budgets.ideas.set([pooled, framework])
    panels = Outcome.objects.create(
        breakout=breakout,
        proposal="Every place convenes a standing citizens’ panel",
        who_should_act="Councils with the voluntary sector",
        horizon=Outcome.Horizon.LONGER,
        drafted_by=facilitator,
    )
    panels.ideas.set([panel, spoken])
    Rating.objects.bulk_create(
        [
            Rating(outcome=budgets, rater=attendee, level=Agreement.FULL),
            Rating(outcome=budgets, rater=hidden_person, level=Agreement.BLOCK),
            Rating(outcome=panels, rater=open_person, level=Agreement.DISAGREE),
            Rating(outcome=panels, rater=attendee, level=Agreement.RESERVATIONS),
        ]
    )
    Breakout.objects.filter(pk=breakout.pk).update(phase=Breakout.Phase.CLOSED)

    other_idea = _idea(other_breakout, other_member, "Share data between services by default")
    other_outcome = Outcome.objects.create(
        breakout=other_breakout,
        proposal="Agree one data-sharing agreement per place",
        who_should_act="Data controllers",
    )
    other_outcome.ideas.set([other_idea])

    plenary = plenary_for(summit)
    closed = {"state": Poll.State.CLOSED}
    assumptions = plenary.polls.get(kind=Poll.Kind.SCALE)
    ranking = plenary.polls.get(kind=Poll.Kind.RANKING)
    Poll.objects.filter(pk__in=[assumptions.pk, ranking.pk]).update(**closed)
    first, *rest = assumptions.options.all()
    _answer(
        assumptions,
        hidden_person,
        (first, 1, "Place is not one size fits all"),
        *((option, 4, "") for option in rest),
    )
    _answer(assumptions, attendee, *((option, 5, "") for option in [first, *rest]))
    obstacles = list(ranking.options.all())
    _answer(ranking, attendee, *((o, n, "") for n, o in enumerate(obstacles, start=1)))
    _answer(ranking, hidden_person, *((o, n, "") for n, o in enumerate(reversed(obstacles), 1)))
    consensus = Poll.objects.create(
        plenary=plenary,
        kind=Poll.Kind.CONSENSUS,
        question="Consensus check: where do you stand on each group’s proposals?",
        **closed,
    )
    options = {
        outcome: PollOption.objects.create(
            poll=consensus, order=n, text=outcome.proposal, outcome=outcome
        )
        for n, outcome in enumerate([budgets, panels, other_outcome], start=1)
    }
    _answer(
        consensus,
        hidden_person,
        (options[budgets], Agreement.BLOCK, "Pooling without a vote bypasses councillors"),
        (options[panels], Agreement.FULL, ""),
        (options[other_outcome], Agreement.DISAGREE, "Other group dissent reason"),
    )
    _answer(
        consensus,
        attendee,
        (options[budgets], Agreement.FULL, ""),
        (options[panels], Agreement.DISAGREE, "Panels duplicate existing forums"),
        (options[other_outcome], Agreement.STAND_ASIDE, ""),
    )
    _answer(
        consensus,
        other_member,
        *((option, Agreement.FULL, "") for option in options.values()),
    )
    text_poll = Poll.objects.create(
        plenary=plenary,
        kind=Poll.Kind.TEXT,
        question="What should the guidance say first?",
        **closed,
    )
    _answer(text_poll, hidden_person, (None, None, "Trust local leaders with the money"))
    _answer(text_poll, open_person, (None, None, "Fund the long term"))
    return Day(
        summit=summit,
        breakout=breakout,
        other=other_breakout,
        organiser=organiser,
        facilitator=facilitator,
        other_facilitator=other_facilitator,
        attendee=attendee,
        hidden_person=hidden_person,
        open_person=open_person,
        pooled=pooled,
        panel=panel,
        framework=framework,
        duplicate=duplicate,
        rude=rude,
        withdrawn=withdrawn,
        spoken=spoken,
        other_idea=other_idea,
        budgets=budgets,
        panels=panels,
        other_outcome=other_outcome,
    )


# Reading each format back


def _get(person: Participant, name: str):
    response = client_for(person).get(reverse(name, args=[person.summit.slug]))
    assert response.status_code == 200, name
    return response


def _body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


class _Text(HTMLParser):
    """The page's headings and the text of each element with an id, as a reader meets it."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[tuple[int, str]] = []
        self.text: list[str] = []
        self._heading: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = []
            self._level = int(tag[1])

    def handle_endtag(self, tag):
        if re.fullmatch(r"h[1-6]", tag) and self._heading is not None:
            self.headings.append((self._level, " ".join("".join(self._heading).split())))
            self._heading = None

    def handle_data(self, data):
        self.text.append(data)
        if self._heading is not None:
            self._heading.append(data)


def page_of(person: Participant) -> tuple[str, _Text]:
    html = _body(_get(person, "record")).decode()
    parsed = _Text()
    parsed.feed(html)
    return html, parsed


def markdown_of(person: Participant) -> str:
    return _body(_get(person, "record_markdown")).decode()


def docx_of(person: Participant):
    return docx.Document(io.BytesIO(_body(_get(person, "record_docx"))))


def docx_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def workbook_of(person: Participant) -> dict[str, list[dict]]:
    book = openpyxl.load_workbook(io.BytesIO(_body(_get(person, "record_xlsx"))), read_only=True)
    sheets = {}
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        # A write-only sheet leaves out empty cells at the end of a row.
        sheets[sheet.title] = [dict(itertools.zip_longest(rows[0], row)) for row in rows[1:]]
    book.close()
    return sheets


def bundle_of(person: Participant) -> dict[str, list[dict]]:
    response = _get(person, "record_csv")
    assert response.streaming
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(_body(response))) as bundle:
        assert bundle.testzip() is None
        return {
            name.removesuffix(".csv"): list(
                csv.DictReader(io.StringIO(bundle.read(name).decode("utf-8-sig")))
            )
            for name in bundle.namelist()
        }


def json_of(person: Participant) -> dict:
    response = _get(person, "record_json")
    assert response.streaming
    return json.loads(_body(response))


def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text())


def md_headings(text: str) -> list[tuple[int, str]]:
    headings = []
    for line in text.splitlines():
        match = re.match(r"(#{1,6}) (.+)", line)
        if match:
            headings.append((len(match[1]), re.sub(r"\\(.)", r"\1", match[2])))
    return headings


def test_record_page_has_contents_and_every_section(day):
    html, page = page_of(day.organiser)

    titles = [title for level, title in page.headings if level == 2]
    assert titles[:3] == ["Take the record away", "Contents", "About this record"]
    for section in (
        "Agenda",
        "Attendance by sector",
        "Working assumptions",
        "Obstacles ranked",
        "Subthemes and questions",
        f"Breakout: {day.breakout.name}",
        f"Breakout: {day.other.name}",
        "Dissent register",
        "Plenary polls",
        "Participation",
        "Moderation and facilitation log",
        "Who took part",
    ):
        assert section in titles
        assert f">{section}</a>" in html  # in the table of contents
    assert "Place is not one size fits all" in html  # a challenge to an assumption
    assert "Personal remark about a named officer" in html  # moderation on the record
    assert f"#{day.duplicate.pk} “Pool the money locally”" in html
    assert f"was merged into #{day.pooled.pk}" in html
    assert "Said in the room (Faith)" in html
    assert "Pooling without a vote bypasses councillors" in html  # a block's reason
    assert "Trust local leaders with the money" in html  # an open-text answer
    assert 'class="panel record-screen-only"' in html  # left out of print by the stylesheet
    assert "style=" not in html
    assert "<script>" not in html


def test_docx_reads_back_with_headings_tables_and_numbered_outcomes(day):
    document = docx_of(day.organiser)

    headings = [
        (p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")
    ]
    assert ("Heading 1", f"Breakout: {day.breakout.name}") in headings
    assert ("Heading 1", "Dissent register") in headings
    # The title is the document's first level, so the page's fourth is Word's third.
    assert ("Heading 3", "Outcome 1") in headings
    assert ("Heading 3", "Outcome 3") in headings
    assert ("Heading 4", "Draws on") in headings
    text = docx_text(document)
    assert day.budgets.proposal in text
    assert "Pooling without a vote bypasses councillors" in text
    assert any("Attendees" in table.rows[0].cells[1].text for table in document.tables)
    assert document.core_properties.title == f"The record of {day.summit.title}"


def test_xlsx_has_one_sheet_per_table(day):
    sheets = workbook_of(day.organiser)

    assert list(sheets) == [
        "Summit",
        "Participants",
        "Ideas",
        "Comments",
        "Votes",
        "Clusters",
        "Ideas ranked two ways",
        "Outcomes",
        "Themes across rooms",
        "Follow-up actions",
        "Consensus check",
        "Dissent register",
        "Polls",
        "How views moved",
        "How views moved by sector",
        "Sessions of questions",
        "Questions from the floor",
        "Poll responses",
        "Voice balance",
        "Voice balance by sector",
        "Moderation and facilitation log",
        "Feedback on the day",
        "What should change",
    ]
    assert len(sheets["Ideas"]) == Idea.objects.filter(breakout__summit=day.summit).count()
    pooled = next(row for row in sheets["Ideas"] if row["id"] == day.pooled.pk)
    assert (pooled["dots"], pooled["voters"], pooled["cluster"]) == (5, 2, "Money")
    assert len(sheets["Votes"]) == 4
    assert len(sheets["Comments"]) == 3
    assert {row["name"] for row in sheets["Participants"]} >= {"Aisha Rahman, Testshire Council"}


def test_csv_bundle_has_every_table(day):
    tables = bundle_of(day.organiser)

    assert set(tables) == CSV_TABLES
    ideas = {int(row["id"]): row for row in tables["ideas"]}
    assert ideas[day.rude.pk]["status"] == "hidden"
    assert ideas[day.rude.pk]["hidden_reason"] == "Personal remark about a named officer"
    assert ideas[day.duplicate.pk]["merged_into"] == str(day.pooled.pk)
    assert ideas[day.withdrawn.pk]["status"] == "withdrawn"
    assert ideas[day.spoken.pk]["by"] == "Said in the room (Faith)"
    assert len(tables["comments"]) == 3
    assert len(tables["votes"]) == 4
    assert tables["clusters"] == [
        {
            "id": str(Cluster.objects.get().pk),
            "breakout": day.breakout.name,
            "name": "Money",
            "ideas": f"#{day.pooled.pk} #{day.duplicate.pk}",
        }
    ]
    blocks = [row for row in tables["dissent"] if row["position"] == "Block"]
    assert {row["where"] for row in blocks} == {
        "The group’s own ratings",
        "Consensus check in the plenary, round 1",
    }
    everyone = [r for r in tables["consensus"] if r["where"].startswith("Consensus check")]
    # Three people rated each outcome: too few to show any sector.
    assert {r["sector"] for r in everyone} == {"All sectors", OTHER}
    texts = [r for r in tables["responses"] if r["question"].startswith("What should")]
    assert len(texts) == 2
    assert {row["kind"] for row in tables["polls"]} >= {"Agreement scale", "Ranking"}


def test_who_voted_how_is_never_named_in_any_table(day):
    tables = bundle_of(day.organiser)
    document = json_of(day.organiser)
    voters = Participant.objects.filter(votes__isnull=False).distinct()
    names = {v.display_name for v in voters}

    for rows in (tables["votes"], document["votes"]):
        assert rows
        assert all("by" not in row for row in rows)
        assert all(row["sector"] for row in rows)
        assert not any(name in str(row) for row in rows for name in names)
    # A position alone is by sector; what someone wrote with it is theirs, named as chosen.
    for row in document["responses"]:
        assert (row["by"] is None) == (row["text"] == "")


def test_json_is_valid_against_its_schema(day):
    document = json_of(day.organiser)

    jsonschema.Draft202012Validator.check_schema(schema())
    jsonschema.Draft202012Validator(schema()).validate(document)
    assert document["version"] == "1"
    assert document["scope"] == {"whole_summit": True, "breakouts": []}
    assert len(document["ideas"]) == Idea.objects.filter(breakout__summit=day.summit).count()
    assert len(document["comments"]) == 3
    assert len(document["votes"]) == 4
    assert document["obstacles"]["responses"] == 2
    first = document["assumptions"]["items"][0]
    assert first["challenges"][0]["text"] == "Place is not one size fits all"
    budgets = document["breakouts"][0]["outcomes"][0]
    assert [c["where"] for c in budgets["checks"]] == [
        "The group’s own ratings",
        "Consensus check in the plenary, round 1",
    ]
    assert budgets["checks"][1]["passes"] == {
        "consensus": False,
        "supermajority": False,
        "majority": True,
    }


def test_json_names_its_schema_which_anyone_fetches_from_that_address(day):
    document = json_of(day.organiser)
    url = document["$schema"]

    response = Client().get(url)

    assert url == "http://testserver/record/schema/record-v1.schema.json"
    assert response.status_code == 200
    assert response["Content-Type"] == "application/schema+json"
    assert "public" in response["Cache-Control"]
    assert "max-age=3600" in response["Cache-Control"]
    fetched = json.loads(response.content)
    assert fetched["$id"] == url
    assert {**fetched, "$id": None} == {**schema(), "$id": None}
    jsonschema.Draft202012Validator.check_schema(fetched)
    jsonschema.Draft202012Validator(fetched).validate(document)


def test_json_schema_answers_an_unchanged_copy_with_not_modified(db):
    url = reverse("record_schema")
    first = Client().get(url)

    again = Client().get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert first["ETag"]
    assert again.status_code == 304
    assert again.content == b""


def test_record_page_links_the_json_schema_by_the_downloads(day):
    html, _ = page_of(day.organiser)

    downloads = html[html.index('id="downloads-heading"') : html.index('id="contents-heading"')]
    assert f'<a href="{reverse("record_schema")}">' in downloads
    assert "$schema" in downloads


def test_json_schema_rejects_a_document_of_another_shape(day):
    document = json_of(day.organiser)
    document["ideas"][0]["author_id"] = day.attendee.pk

    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, schema(), cls=jsonschema.Draft202012Validator)


def test_markdown_and_page_have_the_same_sections_and_counts(day):
    html, page = page_of(day.organiser)
    text = markdown_of(day.organiser)

    shown = [h for h in page.headings if h[1] != "Take the record away"]
    assert md_headings(text) == shown
    ideas_in_md = re.findall(r"^- \*\*#(\d+)\*\*", text, flags=re.MULTILINE)
    ideas_in_html = re.findall(r'<tr id="idea-(\d+)">', html)
    assert ideas_in_md == ideas_in_html
    assert (
        len(ideas_in_md)
        == Idea.objects.filter(breakout__summit=day.summit, status=Idea.Status.VISIBLE).count()
    )
    assert text.count("\n#### Outcome ") == html.count('<h4 id="outcome-') == 3
    checked = re.findall(r"^\| Consensus check in the plenary, round 1 \|", text, re.MULTILINE)
    assert len(checked) == 3


def test_markdown_escapes_what_people_wrote(day):
    _idea(day.breakout, day.attendee, "# not a heading *or bold* <b>or HTML</b> | pipe")

    text = markdown_of(day.organiser)

    assert r"\# not a heading \*or bold\* \<b\>or HTML\</b\> \| pipe" in text


def test_text_a_spreadsheet_would_run_stays_text(day):
    formula = '=HYPERLINK("http://example.com","click")'
    idea = _idea(day.breakout, day.attendee, formula)

    ideas = {int(row["id"]): row for row in bundle_of(day.organiser)["ideas"]}
    book = openpyxl.load_workbook(io.BytesIO(_body(_get(day.organiser, "record_xlsx"))))
    cell = next(row[3] for row in book["Ideas"].iter_rows(min_row=2) if row[0].value == idea.pk)

    assert ideas[idea.pk]["text"] == "'" + formula
    assert (cell.value, cell.data_type) == (formula, "s")


# Attribution as chosen


def every_format(person: Participant) -> dict[str, str]:
    """Each format, as text to search."""
    workbook = workbook_of(person)
    bundle = bundle_of(person)
    return {
        "page": page_of(person)[0],
        "markdown": markdown_of(person),
        "docx": docx_text(docx_of(person)),
        "xlsx": json.dumps(workbook, ensure_ascii=False, default=str),
        "csv": json.dumps(bundle, ensure_ascii=False),
        "json": json.dumps(json_of(person), ensure_ascii=False),
    }


def test_anonymous_people_are_named_in_no_format(day):
    for name, text in every_format(day.organiser).items():
        assert SECRET_NAME not in text, name
        assert SECRET_ORGANISATION not in text, name
        assert "Anonymous (Health and care (NHS))" in text, name
        assert "Tomasz Open, Open Works Ltd" in text, name  # a named person is named


def test_what_was_posted_anonymously_is_never_attributed(day):
    document = json_of(day.organiser)
    ideas = {i["id"]: i for i in document["ideas"]}
    comments = {c["text"]: c for c in document["comments"]}
    bundle = bundle_of(day.organiser)
    html = page_of(day.organiser)[0]
    lines = markdown_of(day.organiser).splitlines()
    paragraphs = [p.text for p in docx_of(day.organiser).paragraphs]

    assert ideas[day.framework.pk]["by"] == "Anonymous (Business)"
    assert comments["Pay panel members for their time"]["by"] == "Anonymous (Business)"
    row = next(r for r in bundle["ideas"] if r["id"] == str(day.framework.pk))
    assert row["by"] == "Anonymous (Business)"
    framework_row = re.search(rf'<tr id="idea-{day.framework.pk}">.*?</tr>', html, re.S)[0]
    assert "Tomasz" not in framework_row
    assert "Anonymous (Business)" in framework_row
    for where in (lines, paragraphs):
        for text in (day.framework.text, "Pay panel members for their time"):
            line = next(line for line in where if text in line)
            assert "Tomasz" not in line
            assert "Anonymous (Business)" in line


# Traceability


def _outcome_sections(kind: str, person: Participant) -> dict[int, str]:
    """Each outcome's part of a document, by the outcome's number."""
    if kind == "page":
        html = page_of(person)[0]
        return {
            int(m[1]): m[0]
            for m in re.finditer(r'<article[^>]*outcome-(\d+)".*?</article>', html, re.S)
        }
    if kind == "markdown":
        parts = re.split(r"^#### Outcome (\d+)$", markdown_of(person), flags=re.MULTILINE)
        return {
            int(n): re.split(r"^#{1,4} ", part, flags=re.MULTILINE)[0]
            for n, part in zip(parts[1::2], parts[2::2], strict=True)
        }
    document = docx_of(person)
    sections: dict[int, str] = {}
    current = None
    for p in document.paragraphs:
        if p.style.name in {"Title", "Heading 1", "Heading 2", "Heading 3"}:
            match = re.fullmatch(r"Outcome (\d+)", p.text)
            current = int(match[1]) if match else None
            if current:
                sections[current] = ""
        elif current:
            sections[current] += p.text + "\n"
    return sections


@pytest.mark.parametrize("kind", ["page", "markdown", "docx"])
def test_each_outcome_lists_the_ideas_it_draws_on_in_documents(day, kind):
    sections = _outcome_sections(kind, day.organiser)

    expected = {
        1: [day.pooled, day.framework],
        2: [day.panel, day.spoken],
        3: [day.other_idea],
    }
    assert set(sections) == set(expected)
    for number, ideas in expected.items():
        for idea in ideas:
            assert f"Idea #{idea.pk}" in sections[number], (kind, number)
            assert idea.text in sections[number], (kind, number)


def test_each_outcome_lists_the_ideas_it_draws_on_in_data(day):
    expected = {
        day.budgets.pk: [day.pooled.pk, day.framework.pk],
        day.panels.pk: [day.panel.pk, day.spoken.pk],
        day.other_outcome.pk: [day.other_idea.pk],
    }
    document = json_of(day.organiser)
    bundle = bundle_of(day.organiser)
    sheets = workbook_of(day.organiser)

    in_json = {
        o["id"]: [s["idea"] for s in o["draws_on"]]
        for b in document["breakouts"]
        for o in b["outcomes"]
    }
    assert in_json == expected
    for rows in (bundle["outcomes"], sheets["Outcomes"]):
        cited = {int(r["id"]): r["draws_on"] for r in rows}
        assert cited == {k: " ".join(f"#{i}" for i in v) for k, v in expected.items()}
        texts = {int(r["id"]): r["draws_on_text"] for r in rows}
        assert day.pooled.text in texts[day.budgets.pk]


# Cross-sector support: both orders, and who supported each idea by sector


@dataclass
class Ranked:
    """Two ideas the orders disagree on: more dots from one sector, fewer from three."""

    concentrated: Idea  # 3 people of one sector, 6 dots: support 2.00
    bridging: Idea  # 1 person from each of 3 sectors, 3 dots: support 3.00
    by_dots: list[int]
    by_support: list[int]


@pytest.fixture
def ranked(day) -> Ranked:
    """Two more ideas in the day's breakout, and three more people to vote on them."""
    councillors = [
        make_participant(day.summit, name=f"Councillor {n}", sector="local_government")
        for n in (1, 2)
    ]
    faith = make_participant(day.summit, name="Fatima Faith", sector="faith")
    day.breakout.members.add(*councillors, faith)
    concentrated = _idea(day.breakout, day.attendee, "Let the council hold the pooled budget")
    bridging = _idea(day.breakout, faith, "Open every place board to faith and business")
    Vote.objects.bulk_create(
        [
            *(Vote(idea=concentrated, voter=p, dots=2) for p in [day.attendee, *councillors]),
            *(Vote(idea=bridging, voter=p, dots=1) for p in [day.hidden_person, day.open_person]),
            Vote(idea=bridging, voter=faith, dots=1),
        ]
    )
    return Ranked(
        concentrated=concentrated,
        bridging=bridging,
        # Dots: 6, 5, 3, then 1 and 1 (more supporters first, then the earlier idea), then 0.
        by_dots=[
            concentrated.pk,
            day.pooled.pk,
            bridging.pk,
            day.panel.pk,
            day.framework.pk,
            day.spoken.pk,
        ],
        # Support: 3.00, then 2.00 from three people before 2.00 from two, then 1.00, 1.00, 0.
        by_support=[
            bridging.pk,
            concentrated.pk,
            day.pooled.pk,
            day.panel.pk,
            day.framework.pk,
            day.spoken.pk,
        ],
    )


# No sector gave five supporters or more: none is named, and no count is given.
BRIDGING_SECTORS = f"{OTHER} fewer than 5"


def _breakout_part(text: str, day: Day) -> str:
    """The part of the page or Markdown about the day's breakout, up to the next breakout."""
    if text.startswith("<"):
        start = text.index(f'<h2 id="breakout-{day.breakout.id}">')
        return text[start : text.index(f'<h2 id="breakout-{day.other.id}">', start)]
    start = text.index(f"## Breakout: {day.breakout.name}")
    return text[start : text.index(f"## Breakout: {day.other.name}", start)]


def test_json_gives_both_orders_and_supporters_by_sector(day, ranked):
    document = json_of(day.organiser)

    jsonschema.Draft202012Validator(schema()).validate(document)
    breakout = document["breakouts"][0]
    assert breakout["by_dots"] == ranked.by_dots
    assert breakout["by_support"] == ranked.by_support
    assert breakout["by_dots"] != breakout["by_support"]
    ideas = {i["id"]: i for i in document["ideas"]}
    assert ideas[ranked.bridging.pk]["support_score"] == 3.0
    assert ideas[ranked.bridging.pk]["supporters_by_sector"] == [
        {"sector": OTHER, "supporters": None}
    ]
    assert ideas[ranked.concentrated.pk]["support_score"] == 2.0
    assert ideas[ranked.concentrated.pk]["dots"] == 6
    assert ideas[ranked.concentrated.pk]["supporters_by_sector"] == [
        {"sector": OTHER, "supporters": None}
    ]
    assert ideas[day.spoken.pk]["supporters_by_sector"] == []
    assert ideas[day.spoken.pk]["support_score"] == 0


def test_tables_give_both_orders_and_supporters_by_sector(day, ranked):
    bundle = bundle_of(day.organiser)
    sheets = workbook_of(day.organiser)

    for rankings, ideas in (
        (bundle["rankings"], bundle["ideas"]),
        (sheets["Ideas ranked two ways"], sheets["Ideas"]),
    ):
        mine = [r for r in rankings if r["breakout"] == day.breakout.name]
        assert [int(r["place"]) for r in mine] == list(range(1, 7))
        assert [int(r["by_dots"]) for r in mine] == ranked.by_dots
        assert [int(r["by_support"]) for r in mine] == ranked.by_support
        assert [float(r["support_score"]) for r in mine][:3] == [3.0, 2.0, 2.0]
        assert [int(r["dots"]) for r in mine][:3] == [6, 5, 3]
        by_id = {int(r["id"]): r for r in ideas}
        bridging = by_id[ranked.bridging.pk]
        assert bridging["supporters_by_sector"] == BRIDGING_SECTORS
        assert float(bridging["support_score"]) == 3.0
        concentrated = by_id[ranked.concentrated.pk]
        assert concentrated["supporters_by_sector"] == BRIDGING_SECTORS
        assert float(concentrated["support_score"]) == 2.0


def _orders_in(kind: str, person: Participant, day: Day) -> tuple[list[int], list[int], str]:
    """The breakout's ideas most dots first and by cross-sector support, as a document
    lists them, and the text around them."""
    if kind == "page":
        part = _breakout_part(page_of(person)[0], day)
        support = re.search(r'<table class="[^"]*record-support.*?</table>', part, re.S)[0]
        by_dots = re.findall(r'<tr id="idea-(\d+)">', part)
        by_support = re.findall(r'<a href="#idea-(\d+)">', support)
    elif kind == "markdown":
        part = _breakout_part(markdown_of(person), day)
        by_dots = re.findall(r"^- \*\*#(\d+)\*\*", part, re.MULTILINE)
        by_support = re.findall(r"^\| \d+ \| \\#(\d+) ", part, re.MULTILINE)
    else:
        text = docx_text_in_order(docx_of(person), "\t")
        part = text[text.index(f"Breakout: {day.breakout.name}") :]
        part = part[: part.index(f"Breakout: {day.other.name}")]
        ideas, _, rest = part.partition("\nIdeas by cross-sector support\n")
        by_dots = re.findall(r"^#(\d+) ", ideas[ideas.index("\nIdeas (") :], re.MULTILINE)
        by_support = re.findall(r"^\d+\t#(\d+) ", rest[: rest.index("\nClusters (")], re.M)
    return [int(i) for i in by_dots], [int(i) for i in by_support], part


@pytest.mark.parametrize("kind", ["page", "markdown", "docx"])
def test_documents_give_both_orders_and_supporters_by_sector(day, ranked, kind):
    by_dots, by_support, part = _orders_in(kind, day.organiser, day)

    assert by_dots == ranked.by_dots
    assert by_support == ranked.by_support
    assert "Ideas by cross-sector support" in part
    assert BRIDGING_SECTORS in part
    assert "Local government 3" not in part
    assert "3.00" in part
    assert "Here the order is the same as by dots" not in part


def test_documents_say_when_both_orders_agree(day):
    for kind in ("page", "markdown", "docx"):
        by_dots, by_support, part = _orders_in(kind, day.organiser, day)

        assert (
            by_dots == by_support == [day.pooled.pk, day.panel.pk, day.framework.pk, day.spoken.pk]
        )
        assert "Here the order is the same as by dots." in part
        assert f"{OTHER} fewer than 5" in part  # the pooled budgets


# Voice balance: figures for each breakout and the summit, never the names of the quiet


@pytest.fixture
def quiet(day) -> Participant:
    """Five residents in the day's breakout, one of them named, who contributed nothing:
    enough for their sector to be shown on its own. Two of academia, quiet too, make the
    breakout's small sectors five people together, so that the residents stay on their own."""
    person = make_participant(day.summit, name=QUIET_NAME, sector="resident")
    others = [
        make_participant(day.summit, name=f"Resident {n}", sector="resident") for n in range(4)
    ]
    academics = [
        make_participant(day.summit, name=f"Academic {n}", sector="academia") for n in range(2)
    ]
    day.breakout.members.add(person, *others, *academics)
    return person


def _share(sector, members, member_share, contributions, contribution_share) -> dict:
    return {
        "sector": sector,
        "members": members,
        "member_share": member_share,
        "contributions": contributions,
        "contribution_share": contribution_share,
    }


# The day's breakout: Aisha 5 (3 ideas, 1 comment, 1 vote), Zara 4, Tomasz 2 (his anonymous
# idea and comment count for Business only), the five quiet residents and two quiet academics
# 0; the idea said in the room counts for Faith. Gini of 5, 4, 2 and seven 0s: 0.75. The
# residents are enough to be shown; local government, health, faith, business and academia,
# with five members between them, only together.
BREAKOUT_VOICE = {
    "members": 10,
    "contributors": 3,
    "did_not_contribute": 7,
    "contributions": 14,
    "evenness": 0.75,
    "unheard_sectors": ["Resident or citizen"],
    "by_sector": [
        _share("Resident or citizen", 5, 50.0, 0, 0.0),
        _share(OTHER, 5, 50.0, 14, 100.0),
    ],
}
# With the other breakout's one member (health) and one idea: Gini of 5, 4, 2, 1 and seven 0s.
SUMMIT_VOICE = {
    "members": 11,
    "contributors": 4,
    "did_not_contribute": 7,
    "contributions": 15,
    "evenness": 0.74,
    "unheard_sectors": ["Resident or citizen"],
    "by_sector": [
        _share("Resident or citizen", 5, 45.5, 0, 0.0),
        _share(OTHER, 6, 54.5, 15, 100.0),
    ],
}


def _people_or_none(value: str | int | None) -> int | None:
    """A count of people from a CSV file or a sheet: "fewer than 5" where withheld."""
    return None if value == "fewer than 5" else int(value)


def _share_or_none(value: str | float | None) -> float | None:
    return None if value in ("", None) else float(value)


def test_voice_balance_in_data_for_each_breakout_and_the_summit(day, quiet):
    document = json_of(day.organiser)
    bundle = bundle_of(day.organiser)
    sheets = workbook_of(day.organiser)

    jsonschema.Draft202012Validator(schema()).validate(document)
    assert document["breakouts"][0]["voice_balance"] == BREAKOUT_VOICE
    assert document["participation"]["voice_balance"] == SUMMIT_VOICE
    for balance, shares in (
        (bundle["voice_balance"], bundle["voice_by_sector"]),
        (sheets["Voice balance"], sheets["Voice balance by sector"]),
    ):
        rows = {r["breakout"]: r for r in balance}
        for name, expected in (
            (day.breakout.name, BREAKOUT_VOICE),
            ("All breakouts", SUMMIT_VOICE),
        ):
            row = rows[name]
            for key in ("members", "contributors", "did_not_contribute", "contributions"):
                assert int(row[key]) == expected[key], (name, key)
            assert float(row["evenness"]) == expected["evenness"]
            assert row["unheard_sectors"] == "Resident or citizen"
            mine = [r for r in shares if r["breakout"] == name]
            assert [
                _share(
                    r["sector"],
                    _people_or_none(r["members"]),
                    _share_or_none(r["member_share"]),
                    int(r["contributions"]),
                    float(r["contribution_share"]),
                )
                for r in mine
            ] == expected["by_sector"]
        every_breakout = Breakout.objects.filter(summit=day.summit).values_list("name", flat=True)
        assert set(rows) == {*every_breakout, "All breakouts"}


def _voice_part(kind: str, person: Participant, day: Day, whole: bool = False) -> str:
    """The voice balance of the day's breakout (or across the breakouts) in a document."""
    heading = "Voice balance across the breakouts" if whole else "Voice balance"
    if kind == "page":
        html = page_of(person)[0]
        key = "all" if whole else day.breakout.id
        return re.search(
            rf'<div class="record-voice" id="voice-{key}">.*?</div>\s*(?=</section>|$)', html, re.S
        )[0]
    if kind == "markdown":
        text = markdown_of(person)
        part = text if whole else _breakout_part(text, day)
        start = part.index(f"### {heading}\n")
        end = part.find("\n## ", start)
        return part[start : end if end > 0 else None]
    text = docx_text_in_order(docx_of(person))
    part = text if whole else text[text.index(f"Breakout: {day.breakout.name}") :]
    start = part.index(f"{heading}\n")
    return part[
        start : part.index(
            "\nBreakout: " if not whole else "\nModeration and facilitation log", start
        )
    ]


def docx_text_in_order(document, between_cells: str = " | ") -> str:
    """Paragraphs and table rows in the order a reader meets them."""
    lines = []
    for block in document.iter_inner_content():
        if isinstance(block, DocxTable):
            lines += [between_cells.join(c.text for c in row.cells) for row in block.rows]
        else:
            lines.append(block.text)
    return "\n".join(lines)


@pytest.mark.parametrize("kind", ["page", "markdown", "docx"])
def test_voice_balance_in_documents_for_each_breakout_and_the_summit(day, quiet, kind):
    for whole, expected in ((False, BREAKOUT_VOICE), (True, SUMMIT_VOICE)):
        part = re.sub(r"<[^>]+>", " ", _voice_part(kind, day.organiser, day, whole))
        part = re.sub(r"\\(.)", r"\1", part)  # Markdown's escapes undone
        words = " ".join(part.replace("|", " ").replace("*", " ").split())

        for label, key in (
            ("Members", "members"),
            ("Members who contributed", "contributors"),
            ("Members who did not contribute", "did_not_contribute"),
            ("Contributions (ideas, comments and votes)", "contributions"),
        ):
            assert re.search(rf"{re.escape(label)}:? {expected[key]}\b", words), (kind, label)
        assert re.search(rf"Evenness \(Gini\):? {expected['evenness']:.2f}", words), kind
        assert re.search(r"Sectors present but unheard:? Resident or citizen", words), kind
        for share in expected["by_sector"]:
            members = (
                f"{share['members']} {share['member_share']:.1f}%"
                if share["members"] is not None
                else "fewer than 5"
            )
            row = (
                f"{share['sector']} {members} "
                f"{share['contributions']} {share['contribution_share']:.1f}%"
            )
            assert row in words, (kind, row)
        assert QUIET_NAME not in part


def test_the_quiet_are_named_only_among_those_who_took_part(day, quiet):
    for name, text in every_format(day.organiser).items():
        # Once: in the list of everyone in the summit, never as someone who stayed quiet.
        assert text.count(QUIET_NAME) == 1, name


def test_a_facilitators_voice_balance_covers_their_breakouts_alone(day, quiet):
    document = json_of(day.facilitator)

    assert document["breakouts"][0]["voice_balance"] == BREAKOUT_VOICE
    assert document["participation"]["voice_balance"] == BREAKOUT_VOICE
    rows = {r["breakout"] for r in bundle_of(day.facilitator)["voice_balance"]}
    assert rows == {day.breakout.name, "All breakouts in this record"}


# The moderation and facilitation log


@pytest.fixture
def logged(day) -> list[AuditEntry]:
    """What the facilitators and organisers did, as the views write it down."""
    return [
        log_action(
            day.facilitator,
            "Hid an idea",
            place=day.breakout.name,
            detail={"idea_id": day.rude.pk, "reason": "Personal remark about a named officer"},
        ),
        log_action(
            day.other_facilitator,
            "Merged two ideas",
            place=day.other.name,
            detail={"idea_id": day.other_idea.pk, "into": 1},
        ),
        log_action(day.organiser, "Opened a poll", place="Plenary", detail={"poll_id": 7}),
        log_action(
            day.organiser,
            "Invited someone",
            detail={"email": "newcomer@example.org", "role": "facilitator"},
        ),
        log_action(
            day.facilitator,
            "Moved the group to another phase",
            place=day.breakout.name,
            detail={"phase": "vote", "minutes": None},
        ),
    ]


def test_the_log_lists_every_entry_oldest_first_in_every_format(day, logged):
    expected = [e.action for e in logged]
    document = json_of(day.organiser)
    bundle = bundle_of(day.organiser)

    assert [e["action"] for e in document["audit_log"]][:5] == expected
    first = document["audit_log"][0]
    assert first["actor_name"] == "Farah Hussain, Testshire Council"
    assert first["place"] == day.breakout.name
    assert first["detail"] == {
        "idea_id": day.rude.pk,
        "reason": "Personal remark about a named officer",
    }
    assert [r["action"] for r in bundle["audit_log"]][:5] == expected
    assert bundle["audit_log"][0]["details"] == (
        f"idea: {day.rude.pk}; reason: Personal remark about a named officer"
    )
    assert bundle["audit_log"][4]["details"] == "phase: vote"
    assert bundle["audit_log"][5]["action"] == "Exported the record (json)"
    for name, text in every_format(day.organiser).items():
        assert "Moderation and facilitation log" in text or '"audit_log"' in text, name
        positions = [text.index(action) for action in expected]
        assert positions == sorted(positions), name
        if name != "json":  # which gives the details as they were logged, checked above
            details = f"idea: {day.rude.pk}; reason: Personal remark about a named officer"
            assert details in text, name
            assert "role: facilitator" in text, name
        assert "Farah Hussain, Testshire Council" in text, name
        assert "newcomer@example.org" not in text, name  # contact details stay out


def test_a_facilitators_log_holds_only_their_breakouts(day, logged):
    for name, text in every_format(day.facilitator).items():
        assert "Hid an idea" in text, name
        assert "Moved the group to another phase" in text, name
        assert "Merged two ideas" not in text, name
        assert "Opened a poll" not in text, name
        assert "Invited someone" not in text, name
        assert "Exported the record" not in text, name  # logged, but not in a breakout
    document = json_of(day.facilitator)
    assert [e["action"] for e in document["audit_log"]] == [
        "Hid an idea",
        "Moved the group to another phase",
    ]


def test_the_log_never_gives_who_spoke_by_their_id(day):
    said = "Faith groups hold spaces people already trust"
    for speaker in (("member", day.hidden_person), ("sector", "faith")):
        log_action(
            day.facilitator,
            "Added an idea said in the room",
            place=day.breakout.name,
            detail={"text": said, "speaker": speaker},
        )

    document = json_of(day.organiser)
    bundle = bundle_of(day.organiser)

    assert AuditEntry.objects.filter(detail__speaker=["member", day.hidden_person.pk]).exists()
    details = [e["detail"] for e in document["audit_log"] if "speaker" in e["detail"]]
    assert details == [
        {"text": said, "speaker": "a member of the group"},
        {"text": said, "speaker": "Faith"},
    ]
    # In the order of their names, whatever order the database keeps them in.
    assert [r["details"] for r in bundle["audit_log"][:2]] == [
        f"speaker: a member of the group; text: {said}",
        f"speaker: Faith; text: {said}",
    ]


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("record", "page"),
        ("record_docx", "docx"),
        ("record_markdown", "markdown"),
        ("record_xlsx", "xlsx"),
        ("record_csv", "csv"),
        ("record_json", "json"),
    ],
)
def test_each_download_and_the_page_are_written_to_the_audit_log(day, name, kind):
    _body(_get(day.facilitator, name))
    _body(_get(day.organiser, name))

    theirs, organisers = AuditEntry.objects.order_by("created_at", "pk")
    action = "Opened the record page" if kind == "page" else f"Exported the record ({kind})"
    assert (theirs.actor, theirs.action, theirs.place) == (day.facilitator, action, "")
    assert theirs.actor_name == "Farah Hussain, Testshire Council"
    assert theirs.detail == {"format": kind, "breakouts": [day.breakout.name]}
    assert (organisers.actor, organisers.action) == (day.organiser, action)
    assert organisers.detail == {"format": kind, "breakouts": "all"}


def test_nothing_is_logged_for_who_may_not_have_the_record(day, outsider):
    for name in FORMATS:
        client_for(day.attendee).get(reverse(name, args=[day.summit.slug]))
        client_for(outsider).get(reverse(name, args=[day.summit.slug]))

    assert not AuditEntry.objects.exists()


# Who may have which record


def test_attendees_and_outsiders_get_no_format(day, outsider):
    for name in FORMATS:
        url = reverse(name, args=[day.summit.slug])
        assert client_for(day.attendee).get(url).status_code == 403
        assert client_for(outsider).get(url).status_code == 404
        response = Client().get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_facilitators_get_only_their_own_breakouts(day):
    texts = every_format(day.facilitator)
    document = json_of(day.facilitator)

    for name, text in texts.items():
        assert day.pooled.text in text, name
        assert day.budgets.proposal in text, name
        assert day.other_idea.text not in text, name
        assert day.other_outcome.proposal not in text, name
        assert "Other group dissent reason" not in text, name
        assert "Trust local leaders with the money" in text, name  # the plenary is theirs too
    assert document["scope"] == {"whole_summit": False, "breakouts": [day.breakout.name]}
    assert [b["name"] for b in document["breakouts"]] == [day.breakout.name]
    consensus = next(p for p in document["polls"] if p["kind"] == "consensus")
    assert [s["outcome"] for s in consensus["statements"]] == [1, 2]
    assert {r["item"] for r in document["responses"] if r["poll"] == consensus["id"]} == {
        day.budgets.proposal,
        day.panels.proposal,
    }
    assert "attachment;" in _get(day.facilitator, "record_json")["Content-Disposition"]


def test_a_facilitator_without_a_breakout_gets_the_plenary_alone(day):
    spare = make_participant(day.summit, Participant.Role.FACILITATOR, name="Sam Spare")

    document = json_of(spare)

    assert document["scope"] == {"whole_summit": False, "breakouts": []}
    assert document["breakouts"] == []
    assert document["ideas"] == []
    assert document["polls"]
    jsonschema.validate(document, schema(), cls=jsonschema.Draft202012Validator)


def test_summit_home_links_to_the_record_for_organisers_and_facilitators(day):
    url = reverse("record", args=[day.summit.slug])
    home = reverse("summit_home", args=[day.summit.slug])

    for person in (day.organiser, day.facilitator):
        assert f'href="{url}"' in client_for(person).get(home).content.decode()
    assert f'href="{url}"' not in client_for(day.attendee).get(home).content.decode()


# Queries that do not grow with the day


def _more_ideas(day: Day, n: int) -> None:
    """Arrange: ``n`` more ideas in the breakout, each with a comment, dots and a word."""
    ideas = Idea.objects.bulk_create(
        Idea(
            breakout=day.breakout,
            author=day.attendee,
            text=f"Extra idea {i}",
            client_token=uuid.uuid4(),
        )
        for i in range(n)
    )
    Comment.objects.bulk_create(
        Comment(idea=idea, author=day.hidden_person, text="More", client_token=uuid.uuid4())
        for idea in ideas
    )
    Vote.objects.bulk_create(Vote(idea=idea, voter=day.open_person, dots=1) for idea in ideas)


# The most queries each format may take, whatever the number of ideas: the record's own
# (about 40, with one for cross-sector support, four for voice balance, one for the log, one
# for the sessions of questions from the floor, and six for the themes across rooms, one when
# none was kept), and one more to write the download to the audit log.
MAX_QUERIES = {
    "record": 60,
    "record_docx": 60,
    "record_markdown": 60,
    "record_xlsx": 60,
    "record_csv": 60,
    "record_json": 60,
}


def test_queries_do_not_grow_with_the_ideas(day, django_assert_max_num_queries):
    assert CHUNK_SIZE > 300  # so that chunks are not counted as extra queries here
    client = client_for(day.organiser)
    counts = {}
    for total in (10, 300):
        _more_ideas(day, total - Idea.objects.filter(breakout=day.breakout).count())
        for name in FORMATS:
            with django_assert_max_num_queries(MAX_QUERIES[name]) as queries:
                _body(client.get(reverse(name, args=[day.summit.slug])))
            counts[name, total] = len(queries)
    for name in FORMATS:
        assert counts[name, 10] == counts[name, 300], name


def test_building_the_record_takes_the_same_queries_for_a_facilitator(
    day, django_assert_max_num_queries
):
    with django_assert_max_num_queries(52) as whole:
        build_record(day.summit)
    counted = len(whole)
    with django_assert_max_num_queries(52) as theirs:
        build_record(day.summit, Breakout.objects.filter(facilitators=day.facilitator))

    assert len(theirs) == counted


@pytest.mark.django_db(transaction=True)
async def test_downloads_stream_over_asgi(day):
    """Served by daphne, the CSV bundle and JSON arrive in pieces from an asynchronous
    iterator, not read whole into memory first (which Django would warn about)."""
    from asgiref.sync import sync_to_async

    client = AsyncClient()
    await sync_to_async(client.force_login)(day.organiser.user)

    try:
        for name in ("record_json", "record_csv"):
            response = await client.get(reverse(name, args=[day.summit.slug]))
            assert response.status_code == 200
            assert response.is_async
            body = b"".join([chunk async for chunk in response.streaming_content])
            if name == "record_json":
                assert json.loads(body)["version"] == "1"
            else:
                assert "ideas.csv" in zipfile.ZipFile(io.BytesIO(body)).namelist()
    finally:
        # The views ran in the sync thread; its connection must close for the test database
        # to be dropped at the end of the run.
        await sync_to_async(connections.close_all)()


# The summit's own supermajority


@pytest.mark.parametrize(("threshold", "passes"), [(60, True), (75, False)])
def test_record_reads_and_states_the_summits_supermajority_in_every_format(day, threshold, passes):
    Summit.objects.filter(pk=day.summit.pk).update(supermajority=threshold)
    rule = f"supermajority (at least {threshold}% of those who rated it support it)"

    formats = every_format(day.organiser)
    document = json_of(day.organiser)

    for name in ("page", "markdown", "docx", "xlsx", "csv"):
        assert rule in formats[name], name
    assert f"Supermajority ({threshold}% support)" in formats["page"]  # the tables' heads
    assert document["summit"]["supermajority"] == threshold
    jsonschema.Draft202012Validator(schema()).validate(document)
    # Two of the three in the plenary support the pooled budgets: 67%.
    plenary_check = document["breakouts"][0]["outcomes"][0]["checks"][1]
    assert plenary_check["passes"]["supermajority"] is passes
    consensus = bundle_of(day.organiser)["consensus"]
    in_plenary = [r for r in consensus if r["outcome"] == "1" and r["sector"] == "All sectors"]
    assert in_plenary[1]["supermajority"] == ("yes" if passes else "no")
    for rows in (bundle_of(day.organiser)["summit"], workbook_of(day.organiser)["Summit"]):
        given = {row["field"]: row["value"] for row in rows}
        assert str(given["Supermajority (per cent)"]) == str(threshold)
