"""Questions from the floor in the record: every session with every question, whatever
became of it (answered with a note, dismissed with a reason, merged, edited, awaiting
review), each with its support, its spread by sector (small sectors only together) and its
cross-sector support score, in every format and in the JSON schema; an anonymous or erased
asker named by sector alone everywhere; and the queries that do not grow with the
questions."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

import jsonschema
import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from accounts.models import Participant
from plenary import moderation
from plenary.models import QaSession, Question
from plenary.questions import ask_question, support_question
from plenary.services import plenary_for
from summit.event.measures import OTHER_SECTORS
from summit.organise.people import erase_participant
from summit.record.blocks import headings
from summit.record.build import build_record
from summit.record.summary import summary_of
from summit.record.walk import walk
from tests.conftest import make_participant
from tests.test_record import (
    bundle_of,
    docx_of,
    docx_text,
    json_of,
    markdown_of,
    page_of,
    schema,
    workbook_of,
)

S = Question.Status
OTHER = str(OTHER_SECTORS)
SECRET_NAME = "Harriet Hushwell"
SECRET_ORGANISATION = "Hushwell Foundation"
ERASED_NAME = "Edmund Erasable"
HEALTH = "Health and care (NHS)"
# Six of local government and five of health: both shown, each on its own.
BROAD = f"Local government 6, {HEALTH} 5"
BROAD_SCORE = "5.39"  # log2(7) + log2(6)
# Two of faith, one of business and the merged duplicate's asker (a resident): fewer than
# five together, so no count is given.
WITHHELD = f"{OTHER} fewer than 5"
ANSWER_NOTE = "The minister will write to every council by the end of the month"
DISMISS_REASON = "Already answered in the morning session"


@dataclass
class Floor:
    summit: object
    organiser: Participant
    session: QaSession
    reviewed: QaSession
    broad: Question
    anonymous: Question
    duplicate: Question
    edited: Question
    awaiting: Question
    erased: Question


def _ask(session: QaSession, person: Participant, text: str) -> Question:
    return ask_question(session, person, text, uuid.uuid4())[0]


def _people(summit, n: int, sector: str) -> list[Participant]:
    return [make_participant(summit, sector=sector) for _ in range(n)]


def _support(question: Question, people: list[Participant]) -> None:
    for person in people:
        support_question(question, person, True)


@pytest.fixture
def floor(summit, organiser, attendee) -> Floor:
    """Two sessions: one tied to the agenda's first item, its questions answered with a
    note, dismissed with a reason (asked anonymously), merged into another, edited, and
    asked by someone since erased; the other pre-moderated, its question awaiting review."""
    plenary = plenary_for(summit)
    item = summit.agenda.first()
    session = moderation.add_session(plenary, title="Ask the panel", agenda_item=item, by=organiser)
    session = moderation.change_session(session, state=QaSession.State.OPEN, by=organiser)
    hidden = make_participant(
        summit,
        name=SECRET_NAME,
        organisation=SECRET_ORGANISATION,
        sector="health",
        anonymous=True,
    )
    resident = make_participant(summit, name="Rita Resident", sector="resident")
    leaving = make_participant(summit, name=ERASED_NAME, sector="business")

    broad = _ask(session, attendee, "Who holds the budget for each place?")
    _support(broad, _people(summit, 6, "local_government") + _people(summit, 5, "health"))
    anonymous = _ask(session, hidden, "Why was the consultation so short?")
    _support(anonymous, _people(summit, 2, "faith") + _people(summit, 1, "business"))
    duplicate = _ask(session, resident, "How long was the consultation?")
    moderation.merge(duplicate, anonymous, by=organiser)
    moderation.dismiss(anonymous, DISMISS_REASON, by=organiser)
    moderation.answer_now(broad, by=organiser)
    moderation.mark_answered(broad, ANSWER_NOTE, by=organiser)
    edited = _ask(session, attendee, "What about rural plases?")
    moderation.edit_question(edited, "What about rural places?", by=organiser)
    moderation.queue(edited, by=organiser)
    erased = _ask(session, leaving, "Will the pilots be evaluated?")
    erase_participant(leaving)

    reviewed = moderation.add_session(
        plenary, title="Questions after lunch", premoderated=True, by=organiser
    )
    reviewed = moderation.change_session(reviewed, state=QaSession.State.OPEN, by=organiser)
    awaiting = _ask(reviewed, hidden, "Is the data published anywhere?")
    moderation.change_session(reviewed, state=QaSession.State.CLOSED, by=organiser)
    return Floor(
        summit,
        organiser,
        session,
        reviewed,
        broad,
        anonymous,
        duplicate,
        edited,
        awaiting,
        erased,
    )


def _unescaped(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)


def _in_every_document(floor: Floor) -> dict[str, str]:
    """The page, Markdown and Word as text, each holding the section."""
    html, _ = page_of(floor.organiser)
    return {
        "page": html,
        "markdown": _unescaped(markdown_of(floor.organiser)),
        "docx": docx_text(docx_of(floor.organiser)),
    }


def test_the_section_follows_how_views_moved_with_a_heading_for_each_session(floor):
    record = build_record(floor.summit)

    found = list(headings(walk(record)))
    titles = [text for level, text in found if level == 2]
    assert titles.index("Questions from the floor") == titles.index("How views moved") + 1
    assert (3, "Ask the panel") in found
    assert (3, "Questions after lunch") in found


def test_every_document_gives_each_question_with_what_became_of_it(floor):
    n = floor.anonymous.pk
    for name, text in _in_every_document(floor).items():
        assert "Questions from the floor" in text, name
        assert floor.summit.agenda.first().title in text, name
        assert "Who holds the budget for each place?" in text, name
        assert "Aisha Rahman, Testshire Council" in text, name
        assert f"Anonymous ({HEALTH})" in text, name
        assert "Anonymous (Business)" in text, name  # the erased asker
        assert "What about rural places? (edited by a moderator)" in text, name
        assert "rural plases" not in text, name
        assert "Answered at" in text, name
        assert ANSWER_NOTE in text, name
        assert DISMISS_REASON in text, name
        assert f"Merged into #{n}" in text, name
        assert "Awaiting review" in text, name
        assert "Queued" in text, name
        assert "Dismissed" in text, name


def test_every_document_gives_the_support_by_sector_and_the_score(floor):
    for name, text in _in_every_document(floor).items():
        assert BROAD in text, name
        assert BROAD_SCORE in text, name
        assert WITHHELD in text, name
        assert "By cross-sector support" in text, name


def test_the_spreadsheet_and_csv_give_a_row_for_each_question(floor):
    sheets = workbook_of(floor.organiser)
    tables = bundle_of(floor.organiser)
    assert [row["title"] for row in sheets["Sessions of questions"]] == [
        "Ask the panel",
        "Questions after lunch",
    ]
    assert [row["state"] for row in tables["qa_sessions"]] == ["open", "closed"]
    for rows in (sheets["Questions from the floor"], tables["questions"]):
        by_id = {int(row["id"]): row for row in rows}
        assert set(by_id) == {
            q.pk
            for q in (
                floor.broad,
                floor.anonymous,
                floor.duplicate,
                floor.edited,
                floor.erased,
                floor.awaiting,
            )
        }
        broad = by_id[floor.broad.pk]
        assert (broad["status"], broad["answer_note"]) == ("answered", ANSWER_NOTE)
        assert str(broad["supporters"]) == "11"
        assert str(broad["support_score"]) == BROAD_SCORE
        assert broad["supporters_by_sector"] == BROAD.replace(", ", "; ")
        assert broad["answered_at"]
        anonymous = by_id[floor.anonymous.pk]
        assert anonymous["by"] == f"Anonymous ({HEALTH})"
        assert (anonymous["status"], anonymous["dismiss_reason"]) == ("dismissed", DISMISS_REASON)
        assert anonymous["supporters_by_sector"] == WITHHELD
        duplicate = by_id[floor.duplicate.pk]
        assert duplicate["status"] == "merged"
        assert str(duplicate["merged_into"]) == str(floor.anonymous.pk)
        assert by_id[floor.edited.pk]["edited_at"]
        assert by_id[floor.awaiting.pk]["status"] == "awaiting"
        assert by_id[floor.erased.pk]["by"] == "Anonymous (Business)"


def test_the_json_document_validates_and_nests_the_questions_in_their_sessions(floor):
    document = json_of(floor.organiser)

    jsonschema.Draft202012Validator(schema()).validate(document)
    first, second = document["qa_sessions"]
    assert first["agenda_item"] == floor.summit.agenda.first().title
    assert (first["state"], first["premoderated"]) == ("open", False)
    assert (second["state"], second["premoderated"]) == ("closed", True)
    assert first["by_support"][0] == floor.broad.pk
    questions = {q["id"]: q for q in first["questions"]}
    broad = questions[floor.broad.pk]
    assert broad["supporters_by_sector"] == [
        {"sector": "Local government", "supporters": 6},
        {"sector": HEALTH, "supporters": 5},
    ]
    assert (broad["supporters"], broad["support_score"]) == (11, 5.39)
    assert broad["answer_note"] == ANSWER_NOTE
    anonymous = questions[floor.anonymous.pk]
    assert anonymous["supporters_by_sector"] == [{"sector": OTHER, "supporters": None}]
    assert anonymous["dismiss_reason"] == DISMISS_REASON
    assert questions[floor.duplicate.pk]["merged_into"] == floor.anonymous.pk
    assert questions[floor.edited.pk]["edited_at"] is not None
    assert [q["status"] for q in second["questions"]] == ["awaiting"]


def test_an_anonymous_or_erased_asker_is_named_in_no_format(floor):
    outputs = {
        **_in_every_document(floor),
        "xlsx": repr(workbook_of(floor.organiser)),
        "csv": repr(bundle_of(floor.organiser)),
        "json": repr(json_of(floor.organiser)),
    }
    for name, text in outputs.items():
        for secret in (SECRET_NAME, SECRET_ORGANISATION, ERASED_NAME):
            assert secret not in text, (name, secret)
        assert "Aisha Rahman" in text, name  # a named asker is named


def test_a_facilitators_record_has_the_plenarys_questions(floor, facilitator):
    record = build_record(floor.summit, breakouts=[])

    assert [s.title for s in record.floor] == ["Ask the panel", "Questions after lunch"]
    assert len(record.floor[0].questions) == 5


def test_the_summary_counts_the_questions_and_names_nobody(floor):
    summary = summary_of(build_record(floor.summit, contributions=False))

    [said] = [block.text for block in summary.floor]
    assert said == "6 questions were asked from the floor in 2 sessions; 1 was answered."
    shown = render_to_string("summit/summary.html#summary", {"summary": summary})
    assert "Questions from the floor" in shown
    assert "6 questions were asked from the floor in 2 sessions; 1 was answered." in shown
    for words in ("Aisha Rahman", "Who holds the budget", ANSWER_NOTE, DISMISS_REASON):
        assert words not in shown


def test_a_record_without_questions_says_so(summit):
    record = build_record(summit)

    assert record.floor == []
    assert summary_of(record).floor == []
    text = " ".join(getattr(b, "text", "") for b in walk(record))
    assert "No session of questions from the floor was held." in text


def test_the_record_takes_the_same_queries_however_many_questions(floor):
    with CaptureQueriesContext(connection) as few:
        build_record(floor.summit)
    for n in range(20):
        question = _ask(floor.session, make_participant(floor.summit), f"More {n}")
        _support(question, _people(floor.summit, 3, "voluntary"))

    with CaptureQueriesContext(connection) as many:
        record = build_record(floor.summit)

    assert len(record.floor[0].questions) == 25
    assert len(many) == len(few)
