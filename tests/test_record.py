"""The summit record: every format made from one summit's day and read back (DOCX with
python-docx, XLSX with openpyxl, CSV with the csv module, JSON against its schema, Markdown
and the page for the same sections and counts), anonymity in every format, each outcome's
sources in every format, who may have which record, and query counts that do not grow with
the ideas."""

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

from accounts.models import Participant, Sector
from breakouts.models import Breakout, Cluster, Comment, Idea, Outcome, Rating, Vote
from plenary.models import Answer, Poll, PollOption, Response
from plenary.services import plenary_for
from summit.agreement import Agreement
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
    "outcomes",
    "consensus",
    "dissent",
    "polls",
    "responses",
}
SECRET_NAME = "Zara Quietly"
SECRET_ORGANISATION = "Quiet Harbour Trust"


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
        sector=Sector.HEALTH,
        anonymous=True,
    )
    open_person = make_participant(
        summit, name="Tomasz Open", organisation="Open Works Ltd", sector=Sector.BUSINESS
    )
    breakout.members.add(hidden_person, open_person)
    other_facilitator = make_participant(
        summit, Participant.Role.FACILITATOR, name="Obi Other", sector=Sector.ACADEMIA
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
        spoken_sector=Sector.FAITH,
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
        "Outcomes",
        "Consensus check",
        "Dissent register",
        "Polls",
        "Poll responses",
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
    assert {r["sector"] for r in everyone} >= {"All sectors", "Health and care (NHS)"}
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


# The most queries each format may take, whatever the number of ideas.
MAX_QUERIES = {
    "record": 45,
    "record_docx": 45,
    "record_markdown": 45,
    "record_xlsx": 45,
    "record_csv": 45,
    "record_json": 45,
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
    with django_assert_max_num_queries(40) as whole:
        build_record(day.summit)
    counted = len(whole)
    with django_assert_max_num_queries(40) as theirs:
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
