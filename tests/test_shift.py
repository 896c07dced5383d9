"""How views moved: an agreement scale asked again at the close (prepared so on the run sheet,
or asked again later), its closing round asking the same statements, and the shift worked out
from both rounds: the aggregate beside the paired, by sector with small sectors withheld, on
the organisers' page and in every format of the record."""

from __future__ import annotations

import jsonschema
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AuditEntry, Participant
from plenary import polls, run_sheet, services
from plenary.answers import answer_poll
from plenary.forms import Part
from plenary.models import Plenary, Poll
from plenary.shift import load_shifts, signed
from summit.event.measures import OTHER_SECTORS
from summit.event.models import Assumption
from summit.event.refusals import Refused
from summit.record.blocks import headings
from summit.record.build import build_record
from summit.record.walk import walk
from tests.conftest import client_for, make_participant
from tests.test_record import (
    bundle_of,
    docx_of,
    docx_text,
    json_of,
    markdown_of,
    schema,
    workbook_of,
)

Kind = Poll.Kind


@pytest.fixture
def plenary(summit) -> Plenary:
    return services.plenary_for(summit)


def _asked_twice(plenary: Plenary, statements=("Places need pooled budgets", "Trust leaders")):
    first = run_sheet.prepare_poll(
        plenary,
        kind=Kind.SCALE,
        question="How far do you agree?",
        options=list(statements),
        ask_again=True,
    )
    return first, Poll.objects.get(baseline=first)


def _people(summit, n: int, sector: str = "local_government") -> list[Participant]:
    return [make_participant(summit, sector=sector) for _ in range(n)]


def _round(poll: Poll, answers: dict[Participant, tuple[int, ...]]) -> None:
    """Open the poll, take each person's levels (one per statement), and close it."""
    polls.open_poll(poll)
    options = list(poll.options.all())
    for person, levels in answers.items():
        answer_poll(
            poll,
            person,
            [Part(option_id=o.pk, value=v) for o, v in zip(options, levels, strict=True)],
        )
    polls.close_poll(poll)


# Asking again


def test_ask_again_copies_the_question_and_the_same_statements(
    plenary, organiser, django_capture_on_commit_callbacks
):
    first = run_sheet.prepare_poll(
        plenary, kind=Kind.SCALE, question="Agree?", options=["One", "Two"], allow_comment=True
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        closing = run_sheet.ask_again(first, by=organiser)

    first.refresh_from_db()
    assert first.ask_again
    assert closing.baseline == first
    assert (closing.kind, closing.question, closing.allow_comment) == (Kind.SCALE, "Agree?", True)
    assert list(closing.options.values_list("text", flat=True)) == ["One", "Two"]
    assert closing.position > first.position
    assert closing.state == Poll.State.DRAFT
    assert AuditEntry.objects.filter(action="Asked a poll again at the close").count() == 1
    assert callbacks


def test_console_and_phones_tell_the_closing_round_from_the_first(
    plenary, summit, facilitator, attendee
):
    first, closing = _asked_twice(plenary)
    _round(first, {})
    polls.open_poll(closing)

    console = client_for(facilitator).get(reverse("plenary:console", args=[summit.slug]))
    phone = client_for(attendee).get(reverse("plenary:room", args=[summit.slug]))

    console = console.content.decode()
    assert "first round: asked again at the close" in console
    assert "closing round of “How far do you agree?”" in console
    assert "answer as you see it now" in phone.content.decode()


def test_ask_again_refuses_a_poll_that_is_not_an_agreement_scale(plenary):
    choice = run_sheet.prepare_poll(plenary, kind=Kind.CHOICE, question="Which?", options=["A"])

    with pytest.raises(Refused, match="Only an agreement scale"):
        run_sheet.ask_again(choice)
    assert not Poll.objects.filter(baseline=choice).exists()


def test_ask_again_refuses_a_poll_already_asked_again_or_a_closing_round(plenary):
    first, closing = _asked_twice(plenary)

    with pytest.raises(Refused, match="already asked again"):
        run_sheet.ask_again(first)
    with pytest.raises(Refused, match="already the closing round"):
        run_sheet.ask_again(closing)
    assert Poll.objects.filter(question=first.question).count() == 2


def test_prepare_poll_asked_again_refuses_other_kinds(plenary):
    before = Poll.objects.count()
    with pytest.raises(Refused, match="Only an agreement scale"):
        run_sheet.prepare_poll(
            plenary, kind=Kind.RANKING, question="Rank", options=["A", "B"], ask_again=True
        )
    assert Poll.objects.count() == before


def test_the_assumptions_check_asked_again_asks_the_assumptions_as_first_asked(plenary, summit):
    first = run_sheet.prepare_poll(
        plenary,
        kind=Kind.SCALE,
        source=Poll.Source.ASSUMPTIONS,
        question="How far?",
        ask_again=True,
    )
    closing = Poll.objects.get(baseline=first)
    # Changed before the day: the first round takes it in as it opens, and so the closing.
    Assumption.objects.create(summit=summit, order=99, text="Budgets should be pooled")

    with pytest.raises(Refused, match="Open the first round"):
        polls.open_poll(closing)
    polls.open_poll(first)
    polls.open_poll(closing)

    texts = polls.source_options(summit.pk, Poll.Source.ASSUMPTIONS)
    assert texts[-1] == "Budgets should be pooled"
    assert list(first.options.values_list("text", flat=True)) == texts
    assert list(closing.options.values_list("text", flat=True)) == texts


def test_removing_the_closing_round_means_the_poll_is_no_longer_asked_again(plenary):
    first, closing = _asked_twice(plenary)

    polls.delete_poll(closing)

    first.refresh_from_db()
    assert not first.ask_again


# The shift


def test_the_shift_pairs_each_person_who_answered_both_rounds(plenary, summit):
    first, closing = _asked_twice(plenary)
    people = _people(summit, 6)
    only_first, only_closing = _people(summit, 2)
    _round(first, {**dict.fromkeys(people, (2, 3)), only_first: (1, 1)})
    _round(
        closing,
        {
            **dict.fromkeys(people[:3], (4, 3)),
            **dict.fromkeys(people[3:5], (5, 3)),
            people[5]: (1, 3),
            only_closing: (5, 5),
        },
    )

    [shift] = load_shifts(summit.pk)
    assert (shift.before, shift.after, shift.both) == (7, 7, 6)
    moved = shift.statements[0]
    # The aggregate: everyone who answered each round.
    assert (moved.before, moved.after) == (7, 7)
    assert moved.mean_before == round((2 * 6 + 1) / 7, 2)
    assert moved.mean_after == round((4 * 3 + 5 * 2 + 1 + 5) / 7, 2)
    # Paired: only the six who answered both, each against their own first answer.
    assert moved.moved.people == 6
    assert moved.moved.shift == round((2 * 3 + 3 * 2 - 1) / 6, 2)
    assert (moved.moved.up, moved.moved.down, moved.moved.same) == (5, 1, 0)
    assert [(level.value, level.before, level.after) for level in moved.levels] == [
        (5, 0, 3),
        (4, 0, 3),
        (3, 0, 0),
        (2, 6, 0),
        (1, 1, 1),
    ]
    stayed = shift.statements[1]
    assert (stayed.moved.up, stayed.moved.down, stayed.moved.same) == (0, 0, 6)
    assert stayed.moved.shift == 0
    assert signed(moved.moved.shift) == "+1.83"


def test_the_aggregate_moves_while_the_paired_does_not(plenary, summit):
    first, closing = _asked_twice(plenary, ["One"])
    stay = _people(summit, 5)
    late = _people(summit, 5)
    _round(first, dict.fromkeys(stay, (3,)))
    _round(closing, {**dict.fromkeys(stay, (3,)), **dict.fromkeys(late, (5,))})

    [statement] = load_shifts(summit.pk)[0].statements
    assert statement.shift == 1.0  # from 3 to 4, by those who came late
    assert (statement.moved.shift, statement.moved.same) == (0, 5)


def test_movement_of_fewer_than_five_people_is_withheld(plenary, summit):
    first, closing = _asked_twice(plenary, ["One"])
    people = _people(summit, 4)
    _round(first, dict.fromkeys(people, (2,)))
    _round(closing, dict.fromkeys(people, (4,)))

    [statement] = load_shifts(summit.pk)[0].statements
    assert statement.moved.withheld
    assert (statement.moved.up, statement.moved.shift) == (None, None)
    assert statement.shift == 2.0  # the aggregate of each round is still given
    # By sector too: everyone together is fewer than five, so the one row gives nothing.
    [others] = statement.sectors
    assert (others.sector, others.withheld) == (str(OTHER_SECTORS), True)
    assert (others.before, others.after, others.mean_before, others.moved.people) == (
        None,
        None,
        None,
        None,
    )


def test_by_sector_a_sector_of_fewer_than_five_is_not_shown_on_its_own(plenary, summit):
    first, closing = _asked_twice(plenary, ["One"])
    council = _people(summit, 6, "local_government")
    health = _people(summit, 4, "health")
    _round(first, dict.fromkeys(council + health, (2,)))
    _round(closing, {**dict.fromkeys(council, (3,)), **dict.fromkeys(health, (1,))})

    [statement] = load_shifts(summit.pk)[0].statements
    # Nor is local government's six: the statement's ten less six would give health's four,
    # and how they moved. All ten are given together.
    [others] = statement.sectors
    assert others.sector == str(OTHER_SECTORS)
    assert not others.withheld
    assert (others.before, others.after, others.mean_before, others.mean_after) == (
        10,
        10,
        2.0,
        2.2,
    )
    assert (others.moved.people, others.moved.up, others.moved.down) == (10, 6, 4)
    assert not any(
        row.sector in ("Health and care (NHS)", "Local government") for row in statement.sectors
    )


def test_by_sector_two_sectors_of_six_are_both_shown(plenary, summit):
    first, closing = _asked_twice(plenary, ["One"])
    council = _people(summit, 6, "local_government")
    health = _people(summit, 6, "health")
    _round(first, dict.fromkeys(council + health, (2,)))
    _round(closing, {**dict.fromkeys(council, (3,)), **dict.fromkeys(health, (1,))})

    [statement] = load_shifts(summit.pk)[0].statements
    assert [(row.sector, row.moved.shift, row.moved.down) for row in statement.sectors] == [
        ("Local government", 1.0, 0),
        ("Health and care (NHS)", -1.0, 6),
    ]


@pytest.mark.parametrize("many", [1, 12])
def test_the_shift_loads_in_four_queries_however_many_answered(
    plenary, summit, many, django_assert_num_queries
):
    first, closing = _asked_twice(plenary)
    people = _people(summit, many)
    _round(first, dict.fromkeys(people, (1, 2)))
    _round(closing, dict.fromkeys(people, (5, 4)))
    run_sheet.ask_again(
        run_sheet.prepare_poll(plenary, kind=Kind.SCALE, question="More?", options=["X"])
    )

    with django_assert_num_queries(4):
        shifts = load_shifts(summit.pk)
    assert [s.baseline.question for s in shifts] == ["How far do you agree?", "More?"]


# The organisers' page


def test_the_page_shows_each_statement_before_and_after_without_anyones_pair(
    plenary, summit, organiser, facilitator
):
    first, closing = _asked_twice(plenary)
    people = _people(summit, 6)
    people[0].display_name = "Zed Pairwise"
    people[0].save()
    _round(first, dict.fromkeys(people, (2, 3)))
    _round(closing, dict.fromkeys(people, (4, 3)))

    page = client_for(organiser).get(reverse("shift", args=[summit.slug])).content.decode()
    assert "How views moved" in page
    assert "Places need pooled budgets" in page
    assert "Moved towards agreement" in page
    assert "+2.00" in page
    assert "Local government" in page
    assert "Zed Pairwise" not in page
    assert "style=" not in page
    assert client_for(facilitator).get(reverse("shift", args=[summit.slug])).status_code == 200


def test_the_page_says_when_no_poll_is_asked_again(summit, organiser):
    page = client_for(organiser).get(reverse("shift", args=[summit.slug])).content.decode()

    assert "No poll is asked again at the close yet." in page


def test_the_run_sheet_prepares_the_closing_round_when_ticked(plenary, summit, organiser):
    response = client_for(organiser).post(
        reverse("run_sheet", args=[summit.slug]),
        {"kind": "assumptions", "question": "", "ask_again": "on"},
    )

    assert response.status_code == 302
    first = Poll.objects.get(ask_again=True)
    assert first.source == Poll.Source.ASSUMPTIONS
    assert Poll.objects.get(baseline=first).question == first.question
    page = client_for(organiser).get(reverse("run_sheet", args=[summit.slug])).content.decode()
    assert "The closing round of" in page
    assert "The first round: asked again at the close" in page


def test_the_run_sheet_refuses_asking_again_a_ranking(plenary, summit, organiser):
    before = Poll.objects.count()
    response = client_for(organiser).post(
        reverse("run_sheet", args=[summit.slug]),
        {"kind": "obstacles", "question": "", "ask_again": "on"},
    )

    assert response.status_code == 422
    assert "Only an agreement scale or the assumptions check can be asked again" in (
        response.content.decode()
    )
    assert Poll.objects.count() == before


def test_the_ask_again_button_adds_the_closing_round(plenary, summit, organiser):
    first = run_sheet.prepare_poll(plenary, kind=Kind.SCALE, question="Agree?", options=["One"])
    client = client_for(organiser)
    page = client.get(reverse("run_sheet", args=[summit.slug])).content.decode()
    assert reverse("run_sheet_ask_again", args=[summit.slug, first.pk]) in page

    response = client.post(reverse("run_sheet_ask_again", args=[summit.slug, first.pk]))

    closing = Poll.objects.get(baseline=first)
    assert response.status_code == 302
    assert response.url.endswith(f"#poll-{closing.pk}")
    page = client.get(reverse("run_sheet", args=[summit.slug])).content.decode()
    assert reverse("run_sheet_ask_again", args=[summit.slug, first.pk]) not in page


# The record


@pytest.fixture
def moved(plenary, summit):
    """Six of local government, four of health and one of business, who all answered both
    rounds: local government is shown on its own, health and business only together."""
    first, closing = _asked_twice(plenary)
    council = _people(summit, 6, "local_government")
    others = _people(summit, 4, "health") + _people(summit, 1, "business")
    _round(first, dict.fromkeys(council + others, (2, 3)))
    _round(closing, dict.fromkeys(council + others, (4, 3)))
    return first


def test_the_record_has_a_section_on_how_views_moved(moved, summit):
    record = build_record(summit)

    titles = [text for level, text in headings(walk(record)) if level == 2]
    assert titles.index("How views moved") == titles.index("Plenary polls") + 1
    assert "Statement 1" in [text for _, text in headings(walk(record))]


def test_every_format_of_the_record_says_how_views_moved(moved, organiser):
    markdown = markdown_of(organiser)
    assert "## How views moved" in markdown
    assert "Moved towards agreement" in markdown
    section = markdown.split("## How views moved")[1].split("\n## ")[0]
    assert f"| {OTHER_SECTORS} | 5 |" in section
    assert "Health and care (NHS)" not in section

    assert "How views moved" in docx_text(docx_of(organiser))

    sheets = workbook_of(organiser)
    assert [row["text"] for row in sheets["How views moved"]] == [
        "Places need pooled budgets",
        "Trust leaders",
    ]
    assert sheets["How views moved"][0]["up"] == 11

    tables = bundle_of(organiser)
    by_sector = [row for row in tables["shift_by_sector"] if row["statement"] == "1"]
    assert [(row["sector"], row["both"]) for row in by_sector] == [
        ("Local government", "6"),
        (str(OTHER_SECTORS), "5"),
    ]

    document = json_of(organiser)
    jsonschema.Draft202012Validator(schema()).validate(document)
    [shift] = document["opinion_shift"]
    statement = shift["statements"][0]
    assert statement["paired"] == {"people": 11, "mean_move": 2.0, "up": 11, "down": 0, "same": 0}
    assert statement["by_sector"][1]["paired"]["people"] == 5


def test_the_record_takes_one_query_more_however_many_answered(
    plenary, summit, django_assert_num_queries
):
    first, closing = _asked_twice(plenary)
    person = _people(summit, 1)[0]
    _round(first, {person: (2, 3)})
    _round(closing, {person: (4, 3)})
    with CaptureQueriesContext(connection) as one:
        build_record(summit)
    more = _people(summit, 12)
    for poll in (first, closing):
        Poll.objects.filter(pk=poll.pk).update(state=Poll.State.OPEN)
        for p in more:
            answer_poll(poll, p, [Part(option_id=o.pk, value=3) for o in poll.options.all()])

    with django_assert_num_queries(len(one)):
        build_record(summit)
