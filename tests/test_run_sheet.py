"""The run sheet: polls prepared before the day in running order, changed, moved and removed
while nobody has seen them, options taken from the summit's lists when a poll opens, the
consensus check prepared empty and filled on the day, the console following the same order,
and the page's access, forms and query counts."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from accounts.models import AuditEntry
from breakouts.models import Outcome
from plenary import polls, run_sheet, services
from plenary.models import Plenary, Poll, PollOption, Response
from plenary.room import plenary_group
from summit.event.models import AgendaItem, Assumption, Obstacle
from summit.event.refusals import Refused
from tests.conftest import client_for

Kind = Poll.Kind


@pytest.fixture
def pushed(monkeypatch):
    """The groups the plenary pushed to after commit, in order."""
    sent: list[str] = []
    monkeypatch.setattr(
        "plenary.live.push",
        lambda fragments, coalesce=None: sent.extend(group for group, _ in fragments),
    )
    return sent


@pytest.fixture
def plenary(summit) -> Plenary:
    return services.plenary_for(summit)


def _order(plenary: Plenary) -> list[str]:
    return [p.question for p in run_sheet.in_running_order(plenary)]


def _texts(poll: Poll) -> list[str]:
    return list(poll.options.values_list("text", flat=True))


def _entries() -> list[tuple]:
    return list(AuditEntry.objects.order_by("id").values_list("actor_id", "action", "detail"))


def _prepared(plenary: Plenary, question: str, kind: str = Kind.TEXT, **fields) -> Poll:
    return run_sheet.prepare_poll(plenary, kind=kind, question=question, **fields)


def _answered(poll: Poll, person) -> None:
    Response.objects.create(poll=poll, participant=person)


def _url(name: str, summit, poll: Poll | None = None) -> str:
    return reverse(name, args=[summit.slug, *([poll.pk] if poll else [])])


# The standard polls, and polls made on the day


def test_plenary_for_makes_the_standard_polls_in_order_from_the_summits_lists(plenary, summit):
    found = list(run_sheet.in_running_order(plenary))

    assert [(p.position, p.kind, p.source) for p in found] == [
        (1, Kind.SCALE, Poll.Source.ASSUMPTIONS),
        (2, Kind.RANKING, Poll.Source.OBSTACLES),
        (3, Kind.WORDS, Poll.Source.OWN),
    ]
    assert _texts(found[0]) == [a.text for a in summit.assumptions.all()]
    assert found[0].allow_comment is True
    assert _texts(found[1]) == [o.text for o in summit.obstacles.all()]


def test_create_poll_on_the_day_goes_to_the_end_of_the_run_sheet(plenary):
    made = services.create_poll(plenary, kind=Kind.TEXT, question="Anything else?", options=[])

    assert made.position == 4
    assert _order(plenary)[-1] == "Anything else?"


# Preparing polls


@pytest.mark.parametrize(
    ("kind", "options", "kept"),
    [
        (Kind.CHOICE, ["Mayors", "Councils"], ["Mayors", "Councils"]),
        (Kind.SCALE, ["Place matters"], ["Place matters"]),
        (Kind.RANKING, ["Data", "Money", "Time"], ["Data", "Money", "Time"]),
        (Kind.WORDS, ["ignored"], []),
        (Kind.TEXT, ["ignored"], []),
    ],
)
def test_prepare_poll_of_each_kind_goes_to_the_end_not_yet_open_logged_and_pushed(
    plenary, organiser, pushed, django_capture_on_commit_callbacks, kind, options, kept
):
    item = plenary.summit.agenda.last()

    with django_capture_on_commit_callbacks(execute=True):
        poll = run_sheet.prepare_poll(
            plenary,
            kind=kind,
            question="Which way?",
            options=options,
            multiple=True,
            allow_comment=True,
            agenda_item=item,
            by=organiser,
        )

    poll.refresh_from_db()
    assert (poll.kind, poll.state, poll.position, poll.agenda_item) == (
        kind,
        Poll.State.DRAFT,
        4,
        item,
    )
    assert _texts(poll) == kept
    assert poll.multiple is (kind == Kind.CHOICE)
    assert poll.allow_comment is (kind == Kind.SCALE)
    assert _entries() == [
        (organiser.pk, "Prepared a poll", {"kind": kind, "question": "Which way?"})
    ]
    assert pushed == [plenary_group(plenary.pk, "facilitators")]


def test_prepare_poll_assumptions_check_from_the_form_asks_the_usual_question(
    plenary, organiser, summit
):
    response = client_for(organiser).post(_url("run_sheet", summit), {"kind": "assumptions"})

    poll = Poll.objects.get(plenary=plenary, position=4)
    assert response.status_code == 302
    assert response.url.endswith(f"#poll-{poll.pk}")
    assert (poll.kind, poll.source, poll.allow_comment, poll.question) == (
        Kind.SCALE,
        Poll.Source.ASSUMPTIONS,
        True,
        services.ASSUMPTIONS_QUESTION,
    )
    assert _texts(poll) == [a.text for a in summit.assumptions.all()]


def test_prepare_poll_obstacles_ranking_from_the_form_keeps_a_question_of_its_own(
    plenary, organiser, summit
):
    client_for(organiser).post(
        _url("run_sheet", summit),
        {"kind": "obstacles", "question": "Which holds us back most?", "options": "Ignored\nToo"},
    )

    poll = Poll.objects.get(plenary=plenary, position=4)
    assert (poll.kind, poll.source, poll.question) == (
        Kind.RANKING,
        Poll.Source.OBSTACLES,
        "Which holds us back most?",
    )
    assert _texts(poll) == [o.text for o in summit.obstacles.all()]


def test_prepare_poll_consensus_check_is_empty_until_the_day_then_filled_not_doubled(
    plenary, organiser, summit, breakout
):
    client_for(organiser).post(_url("run_sheet", summit), {"kind": "consensus"})
    prepared = Poll.objects.get(plenary=plenary, kind=Kind.CONSENSUS)
    services.create_poll(plenary, kind=Kind.TEXT, question="Made on the day", options=[])
    Outcome.objects.create(breakout=breakout, proposal="Pool budgets", who_should_act="Us")

    filled = services.prepare_consensus_check(plenary)

    assert (prepared.question, prepared.position, _texts(prepared)) == (
        services.CONSENSUS_QUESTION,
        4,
        ["Pool budgets"],
    )
    assert filled.pk == prepared.pk
    assert Poll.objects.filter(kind=Kind.CONSENSUS).count() == 1


def test_prepare_consensus_check_fills_the_prepared_ones_in_running_order(
    plenary, breakout, attendee
):
    first = _prepared(plenary, "Morning round", Kind.CONSENSUS)
    second = _prepared(plenary, "Afternoon round", Kind.CONSENSUS)
    run_sheet.move_poll(second, run_sheet.UP)
    Outcome.objects.create(breakout=breakout, proposal="Pool budgets", who_should_act="Us")

    assert services.prepare_consensus_check(plenary).pk == second.pk
    polls.open_poll(second)
    with pytest.raises(Refused, match="The consensus check is open"):
        services.prepare_consensus_check(plenary)
    _answered(second, attendee)
    polls.close_poll(second)
    assert services.prepare_consensus_check(plenary).pk == first.pk
    assert Poll.objects.filter(kind=Kind.CONSENSUS).count() == 2


def test_open_prepared_consensus_check_before_it_is_filled_refused(plenary):
    poll = _prepared(plenary, "Where do we stand?", Kind.CONSENSUS)

    with pytest.raises(Refused, match="Prepare the consensus check"):
        polls.open_poll(poll)

    assert Poll.objects.get(pk=poll.pk).state == Poll.State.DRAFT


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "poll"}, "Choose one of the kinds"),
        ({"kind": Kind.WORDS, "source": Poll.Source.ASSUMPTIONS}, "can ask about the summit"),
        ({"kind": Kind.CHOICE, "source": "elsewhere"}, "can ask about the summit"),
    ],
)
def test_prepare_poll_refuses_what_cannot_be_run(plenary, fields, message):
    with pytest.raises(Refused, match=message):
        run_sheet.prepare_poll(plenary, question="Which?", options=["A", "B"], **fields)

    assert Poll.objects.filter(plenary=plenary).count() == 3


def test_prepare_poll_agenda_item_of_another_summit_refused(plenary, outsider):
    theirs = AgendaItem.objects.create(
        summit=outsider.summit, order=1, kind=AgendaItem.Kind.PLENARY, title="Theirs"
    )

    with pytest.raises(Refused, match="this summit’s agenda"):
        _prepared(plenary, "Which?", agenda_item=theirs)

    assert Poll.objects.filter(plenary=plenary).count() == 3


# Options from the summit's lists, taken in when the poll opens


def test_open_poll_takes_in_the_assumptions_as_they_stand_now(plenary, summit):
    poll = Poll.objects.get(plenary=plenary, source=Poll.Source.ASSUMPTIONS)
    kept = summit.assumptions.all()[1]
    summit.assumptions.first().delete()
    Assumption.objects.filter(pk=kept.pk).update(text="Place is where power meets people")
    Assumption.objects.create(summit=summit, order=99, text="A fifth, added late")

    polls.open_poll(poll)

    assert _texts(poll) == [a.text for a in summit.assumptions.all()]
    assert "Place is where power meets people" in _texts(poll)
    assert _texts(poll)[-1] == "A fifth, added late"


def test_open_poll_unchanged_source_keeps_its_options(plenary):
    poll = Poll.objects.get(plenary=plenary, source=Poll.Source.OBSTACLES)
    before = list(poll.options.values_list("pk", flat=True))

    polls.open_poll(poll)

    assert list(poll.options.values_list("pk", flat=True)) == before


def test_reopen_poll_with_answers_keeps_the_options_they_answered(plenary, summit, attendee):
    poll = Poll.objects.get(plenary=plenary, source=Poll.Source.OBSTACLES)
    polls.open_poll(poll)
    _answered(poll, attendee)
    polls.close_poll(poll)
    before = _texts(poll)
    Obstacle.objects.create(summit=summit, order=99, text="One more")

    polls.open_poll(poll)

    assert _texts(poll) == before


def test_open_poll_from_an_empty_list_refused(plenary, summit):
    poll = Poll.objects.get(plenary=plenary, source=Poll.Source.ASSUMPTIONS)
    summit.assumptions.all().delete()

    with pytest.raises(Refused, match="no working assumptions"):
        polls.open_poll(poll)

    assert Poll.objects.get(pk=poll.pk).state == Poll.State.DRAFT


# Changing, moving and removing


def test_change_prepared_poll_writes_logs_and_pushes(
    plenary, organiser, pushed, django_capture_on_commit_callbacks
):
    poll = _prepared(plenary, "Which first?", Kind.CHOICE, options=["Data", "Money"])
    kept = poll.options.get(text="Money").pk
    item = plenary.summit.agenda.first()

    with django_capture_on_commit_callbacks(execute=True):
        changed = run_sheet.change_prepared_poll(
            poll,
            question="Which comes first?",
            options=["Money", "Time"],
            multiple=True,
            allow_comment=True,
            agenda_item=item,
            by=organiser,
        )

    changed.refresh_from_db()
    assert (changed.question, changed.multiple, changed.allow_comment, changed.agenda_item) == (
        "Which comes first?",
        True,
        False,
        item,
    )
    assert _texts(changed) == ["Money", "Time"]
    assert not PollOption.objects.filter(pk=kept).exists()
    assert _entries() == [
        (
            organiser.pk,
            "Changed a prepared poll",
            {"poll_id": poll.pk, "question": "Which comes first?"},
        )
    ]
    assert pushed == [plenary_group(plenary.pk, "facilitators")]


def test_change_prepared_poll_with_a_source_keeps_its_options(plenary):
    poll = Poll.objects.get(plenary=plenary, source=Poll.Source.ASSUMPTIONS)
    before = _texts(poll)

    run_sheet.change_prepared_poll(poll, question="Where do you stand?", options=["Mine"])

    assert _texts(poll) == before
    assert Poll.objects.get(pk=poll.pk).question == "Where do you stand?"


@pytest.mark.parametrize("closed", [False, True])
def test_change_prepared_poll_once_opened_refused(plenary, closed):
    poll = polls.open_poll(Poll.objects.get(plenary=plenary, kind=Kind.WORDS))
    if closed:
        polls.close_poll(poll)

    with pytest.raises(Refused, match="can no longer be changed"):
        run_sheet.change_prepared_poll(poll, question="Changed?")

    assert Poll.objects.get(pk=poll.pk).question == services.WORDS_QUESTION


def test_move_poll_up_and_down_numbers_the_run_sheet_again(
    plenary, organiser, pushed, django_capture_on_commit_callbacks
):
    words = Poll.objects.get(plenary=plenary, kind=Kind.WORDS)
    names = _order(plenary)

    with django_capture_on_commit_callbacks(execute=True):
        place = run_sheet.move_poll(words, run_sheet.UP, by=organiser)

    assert place == 2
    assert _order(plenary) == [names[0], names[2], names[1]]
    assert [p.position for p in run_sheet.in_running_order(plenary)] == [1, 2, 3]
    assert _entries() == [
        (organiser.pk, "Moved a poll in the run sheet", {"poll_id": words.pk, "position": 2})
    ]
    assert pushed == [plenary_group(plenary.pk, "facilitators")]
    assert run_sheet.move_poll(words, run_sheet.DOWN) == 3
    assert _order(plenary) == names


@pytest.mark.parametrize(
    ("kind", "direction", "message"),
    [
        (Kind.SCALE, run_sheet.UP, "already first"),
        (Kind.WORDS, run_sheet.DOWN, "already last"),
        (Kind.WORDS, "sideways", "up or down"),
    ],
)
def test_move_poll_past_an_end_or_nowhere_refused(plenary, kind, direction, message):
    names = _order(plenary)

    with pytest.raises(Refused, match=message):
        run_sheet.move_poll(Poll.objects.get(plenary=plenary, kind=kind), direction)

    assert _order(plenary) == names


def test_move_poll_once_opened_refused(plenary):
    poll = polls.open_poll(Poll.objects.get(plenary=plenary, kind=Kind.WORDS))
    names = _order(plenary)

    with pytest.raises(Refused, match="never been opened"):
        run_sheet.move_poll(poll, run_sheet.UP)

    assert _order(plenary) == names


# The console follows the run sheet


def test_console_lists_polls_in_running_order_and_offers_the_next_prepared(
    plenary, facilitator, summit
):
    scale = Poll.objects.get(plenary=plenary, kind=Kind.SCALE)
    words = Poll.objects.get(plenary=plenary, kind=Kind.WORDS)
    polls.open_poll(scale)
    run_sheet.move_poll(words, run_sheet.UP)

    page = client_for(facilitator).get(_url("plenary:console", summit)).content.decode()

    ids = [
        int(n)
        for n in re.findall(r'<article class="poll poll--console[^"]*" id="poll-(\d+)"', page)
    ]
    assert ids == [p.pk for p in run_sheet.in_running_order(plenary)]
    assert ids[1] == words.pk
    next_on = page[page.index("Next on the run sheet") :]
    assert next_on.index(services.WORDS_QUESTION) < next_on.index("Open the next prepared poll")
    assert reverse("plenary:open_poll", args=[summit.slug, words.pk]) in page


# The page


def test_run_sheet_page_lists_each_poll_with_kind_options_agenda_and_state(
    plenary, organiser, summit
):
    opening = summit.agenda.filter(kind=AgendaItem.Kind.PLENARY).first()
    polls.open_poll(Poll.objects.get(plenary=plenary, kind=Kind.RANKING))
    _prepared(plenary, "Which first?", Kind.CHOICE, options=["Data", "Money"], multiple=True)

    response = client_for(organiser).get(_url("run_sheet", summit))

    page = response.content.decode()
    assert response.status_code == 200
    assert f"the working assumptions ({summit.assumptions.count()})" in page
    assert "Which first?" in page
    assert "<li>Money</li>" in page
    assert "several answers" in page
    assert opening.title in page
    assert "Not tied to an agenda item" in page
    for obstacle in summit.obstacles.all():  # opened: the options it was asked with
        assert f"<li>{escape(obstacle.text)}</li>" in page
    words = Poll.objects.get(plenary=plenary, kind=Kind.WORDS)
    ranking = Poll.objects.get(plenary=plenary, kind=Kind.RANKING)
    assert _url("run_sheet_poll", summit, words) in page
    assert _url("run_sheet_poll", summit, ranking) not in page
    assert _url("run_sheet_remove", summit, ranking) not in page
    assert "Add the poll" in page


def test_run_sheet_page_for_a_facilitator_reads_without_forms(plenary, facilitator, summit):
    client = client_for(facilitator)

    page = client.get(_url("run_sheet", summit)).content.decode()
    refused = client.post(_url("run_sheet", summit), {"kind": Kind.TEXT, "question": "Mine?"})

    assert services.WORDS_QUESTION in page
    assert "Add the poll" not in page
    assert "/run-sheet/" not in page.replace(_url("run_sheet", summit), "")
    assert refused.status_code == 403
    assert Poll.objects.filter(plenary=plenary).count() == 3


ADD_REFUSED = [
    ({"question": "Which?"}, "kind", "Choose a kind of poll"),
    ({"kind": Kind.CHOICE, "options": "A\nB"}, "question", "Enter the question"),
    ({"kind": Kind.CHOICE, "question": "Which?", "options": "One"}, "options", "at least two"),
    ({"kind": Kind.TEXT, "question": "Q" * 301}, "question", "300 characters or fewer"),
    (
        {"kind": Kind.TEXT, "question": "Which?", "agenda_item": "999999"},
        "agenda_item",
        "agenda items listed",
    ),
]


@pytest.mark.parametrize(("form", "field", "message"), ADD_REFUSED)
def test_run_sheet_add_refused_with_errors_and_the_text_kept(
    plenary, organiser, summit, form, field, message
):
    response = client_for(organiser).post(_url("run_sheet", summit), form)

    page = response.content.decode()
    assert response.status_code == 422
    assert "<title>Error:" in page
    assert f'href="#id_{field}' in page
    assert message in page
    if form.get("options"):
        assert form["options"].split("\n")[0] in page
    assert Poll.objects.filter(plenary=plenary).count() == 3


def test_run_sheet_change_page_shows_the_poll_then_saves_it(plenary, organiser, summit):
    poll = _prepared(plenary, "Which first?", Kind.CHOICE, options=["Data", "Money"])
    client = client_for(organiser)
    url = _url("run_sheet_poll", summit, poll)

    shown = client.get(url).content.decode()
    saved = client.post(url, {"question": "Which comes first?", "options": "Money\nTime"})

    assert "Which first?" in shown
    assert "Data\nMoney</textarea>" in shown
    assert saved.status_code == 302
    assert saved.url.endswith(f"#poll-{poll.pk}")
    assert _texts(poll) == ["Money", "Time"]
    assert "Saved the changes to “Which comes first?”" in client.get(saved.url).content.decode()


def test_run_sheet_change_refused_keeps_the_text(plenary, organiser, summit):
    poll = _prepared(plenary, "Which first?", Kind.CHOICE, options=["Data", "Money"])

    response = client_for(organiser).post(
        _url("run_sheet_poll", summit, poll), {"question": "", "options": "Kept line"}
    )

    page = response.content.decode()
    assert response.status_code == 422
    assert "<title>Error:" in page
    assert "Enter the question" in page
    assert "Kept line</textarea>" in page
    assert _texts(poll) == ["Data", "Money"]


def test_run_sheet_change_page_of_an_opened_poll_goes_back_with_why(plenary, organiser, summit):
    poll = polls.open_poll(Poll.objects.get(plenary=plenary, kind=Kind.WORDS))
    client = client_for(organiser)

    response = client.post(_url("run_sheet_poll", summit, poll), {"question": "Changed?"})

    assert response.status_code == 302
    assert "can no longer be changed" in client.get(response.url).content.decode()
    assert Poll.objects.get(pk=poll.pk).question == services.WORDS_QUESTION


def test_run_sheet_move_from_the_page_script_returns_the_list_in_its_new_order(
    plenary, organiser, summit
):
    words = Poll.objects.get(plenary=plenary, kind=Kind.WORDS)

    response = client_for(organiser).post(
        _url("run_sheet_move", summit, words), {"direction": "up"}, HTTP_HX_REQUEST="true"
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<section id="run-sheet"')
    assert f"Moved “{services.WORDS_QUESTION}” to place 2." in page
    assert page.index(f'id="poll-{words.pk}"') < page.index(services.OBSTACLES_QUESTION)
    assert f'id="move-up-{words.pk}"' in page


def test_run_sheet_move_past_the_top_says_why(plenary, organiser, summit):
    scale = Poll.objects.get(plenary=plenary, kind=Kind.SCALE)
    client = client_for(organiser)
    url = _url("run_sheet_move", summit, scale)

    htmx = client.post(url, {"direction": "up"}, HTTP_HX_REQUEST="true")
    plain = client.post(url, {"direction": "up"})

    assert htmx.status_code == 422
    assert "already first" in htmx.content.decode()
    assert plain.status_code == 302
    assert "already first" in client.get(plain.url).content.decode()


def test_run_sheet_remove_takes_off_a_prepared_poll_only(plenary, organiser, summit):
    words = Poll.objects.get(plenary=plenary, kind=Kind.WORDS)
    opened = polls.open_poll(Poll.objects.get(plenary=plenary, kind=Kind.SCALE))
    client = client_for(organiser)

    removed = client.get(client.post(_url("run_sheet_remove", summit, words)).url)
    refused = client.get(client.post(_url("run_sheet_remove", summit, opened)).url)

    assert not Poll.objects.filter(pk=words.pk).exists()
    assert f"Removed “{escape(services.WORDS_QUESTION)}”" in removed.content.decode()
    assert Poll.objects.filter(pk=opened.pk).exists()
    assert "never been opened" in refused.content.decode()


@pytest.mark.parametrize("page", ["run_sheet", "plenary:console"])
def test_query_count_flat_however_many_prepared_polls(
    plenary, organiser, summit, django_assert_num_queries, page
):
    item = summit.agenda.first()
    client = client_for(organiser)
    url = _url(page, summit)
    _prepared(plenary, "One more?", Kind.CHOICE, options=["A", "B"], agenda_item=item)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for n in range(49):
        _prepared(plenary, f"Poll {n}?", Kind.CHOICE, options=["A", "B"], agenda_item=item)

    with django_assert_num_queries(len(one)):
        response = client.get(url)

    assert response.content.decode().count("Poll 48?") >= 1
