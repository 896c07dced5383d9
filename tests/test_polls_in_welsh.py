"""Polls written in the app in Welsh as well as English: the console's new poll and the run
sheet take an optional Welsh question and Welsh options, one for each English option in its
order, refused with what was typed kept when the counts differ; the polls the app makes take
the Welsh of the assumptions and obstacles they ask about, and of their usual questions; and
the consoles and the run sheet show a Welsh reader the organiser's Welsh."""

from __future__ import annotations

import pytest
from django import forms
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from accounts.models import AuditEntry
from breakouts.models import Outcome
from plenary import polls, run_sheet, services
from plenary.models import Plenary, Poll
from plenary.poll_forms import option_lines
from summit.event.refusals import Refused
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

Kind = Poll.Kind
QUESTION, QUESTION_CY = "Which comes first?", "Pa un sydd gyntaf?"


@pytest.fixture
def plenary(summit) -> Plenary:
    return services.plenary_for(summit)


def _in(language: str, person) -> Client:
    """``person``'s browser, reading in ``language``, chosen with the switch."""
    client = client_for(person)
    client.post(reverse("switch_language"), {"language": language, "next": "/"})
    return client


def _page(client: Client, name: str, *args) -> str:
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return response.content.decode()


def _new_poll(person, summit, **data):
    url = reverse("plenary:new_poll", args=[summit.slug])
    return client_for(person).post(url, data, HTTP_HX_REQUEST="true")


def _pairs(poll: Poll) -> list[tuple[str, str]]:
    return list(poll.options.order_by("order").values_list("text", "text_cy"))


# The console's new poll


def test_a_poll_made_on_the_console_keeps_its_welsh_and_a_welsh_attendee_reads_it(
    plenary, summit, facilitator, attendee
):
    response = _new_poll(
        facilitator,
        summit,
        kind="choice",
        question=QUESTION,
        question_cy=QUESTION_CY,
        options="Money\nData\n\nPeople",
        # Blank lines are nothing, in Welsh as in English.
        options_cy="Arian\n\nData\nPobl\n",
    )

    assert response.status_code == 200
    poll = Poll.objects.get(plenary=plenary, question=QUESTION)
    assert poll.question_cy == QUESTION_CY
    assert _pairs(poll) == [("Money", "Arian"), ("Data", "Data"), ("People", "Pobl")]
    entry = AuditEntry.objects.get(action="Made a poll")
    assert entry.detail == {
        "question": QUESTION,
        "question_cy": QUESTION_CY,
        "options_cy": ["Arian", "Data", "Pobl"],
    }

    polls.open_poll(poll)
    welsh = _page(_in("cy", attendee), "plenary:room", summit.slug)
    assert f'id="poll-{poll.pk}-question">{QUESTION_CY}</h2>' in welsh
    for text in ("Arian", "Pobl"):
        assert f">{text}</label>" in welsh
    assert QUESTION not in welsh
    assert "Money" not in welsh
    english = _page(_in("en-gb", attendee), "plenary:room", summit.slug)
    assert f'id="poll-{poll.pk}-question">{QUESTION}</h2>' in english
    assert ">Money</label>" in english
    assert "Arian" not in english


def test_a_poll_without_welsh_shows_its_english_to_a_welsh_reader_marked_as_english(
    plenary, summit, facilitator, attendee
):
    _new_poll(facilitator, summit, kind="choice", question=QUESTION, options="Money\nData")
    poll = Poll.objects.get(plenary=plenary, question=QUESTION)
    assert (poll.question_cy, _pairs(poll)) == ("", [("Money", ""), ("Data", "")])
    assert AuditEntry.objects.get(action="Made a poll").detail == {"question": QUESTION}

    polls.open_poll(poll)
    welsh = _page(_in("cy", attendee), "plenary:room", summit.slug)
    assert f'<span lang="en-gb">{QUESTION}</span>' in welsh
    assert f'<label for="poll-{poll.pk}-option-' in welsh
    assert '<span lang="en-gb">Money</span></label>' in welsh


def test_welsh_options_not_one_for_each_english_are_refused_keeping_what_was_typed(
    plenary, summit, facilitator
):
    before = Poll.objects.count()

    response = _new_poll(
        facilitator,
        summit,
        kind="ranking",
        question=QUESTION,
        question_cy="Pa un yn gyntaf",
        options="Money\nData\nPeople",
        options_cy="Arian\nData",
    )

    assert response.status_code == 422
    assert Poll.objects.count() == before
    page = response.content.decode()
    said = (
        "Give 3 lines in Welsh, one for each line in English in the same order, or leave the "
        "Welsh empty: there are 2"
    )
    assert said in page
    assert "Arian\nData</textarea>" in page
    assert "Money\nData\nPeople</textarea>" in page
    assert 'value="Pa un yn gyntaf"' in page


def test_a_welsh_option_too_long_is_refused_like_an_english_one(plenary, summit, facilitator):
    response = _new_poll(
        facilitator,
        summit,
        kind="choice",
        question=QUESTION,
        options="Money\nData",
        options_cy="Arian\n" + "x" * 1001,
    )

    assert response.status_code == 422
    assert "Keep each line in Welsh to 1000 characters or fewer" in response.content.decode()
    assert not Poll.objects.filter(question=QUESTION).exists()


def test_the_service_refuses_welsh_options_that_do_not_pair_with_the_english(plenary):
    with pytest.raises(Refused, match="one answer in Welsh for each answer in English"):
        polls.create_poll(
            plenary, kind=Kind.CHOICE, question=QUESTION, options=["A", "B"], options_cy=["Un"]
        )
    with pytest.raises(Refused, match="one answer in Welsh for each answer in English"):
        run_sheet.prepare_poll(
            plenary, kind=Kind.CHOICE, question=QUESTION, options=["A", "B"], options_cy=["Un"]
        )


def test_repeated_options_are_dropped_with_their_welsh():
    form = forms.Form()
    form.cleaned_data = {}

    lines, welsh = option_lines(form, Kind.CHOICE, "Money\nData\nMoney", "Arian\nData\nPres")

    assert (lines, welsh) == (["Money", "Data"], ["Arian", "Data"])
    assert not form.errors


def test_the_welsh_question_and_options_of_a_word_cloud_keep_only_the_question(
    plenary, summit, facilitator
):
    _new_poll(
        facilitator,
        summit,
        kind="words",
        question=QUESTION,
        question_cy=QUESTION_CY,
        options_cy="Arian\nData",
    )

    poll = Poll.objects.get(plenary=plenary, question=QUESTION)
    assert poll.question_cy == QUESTION_CY
    assert not poll.options.exists()


# The polls the app makes


def test_the_assumptions_and_obstacles_polls_take_their_welsh_and_follow_it(plenary, summit):
    assumptions = Poll.objects.get(plenary=plenary, source=Poll.Source.ASSUMPTIONS)
    obstacles = Poll.objects.get(plenary=plenary, source=Poll.Source.OBSTACLES)
    words = Poll.objects.get(plenary=plenary, kind=Kind.WORDS)

    assert _pairs(assumptions) == list(summit.assumptions.values_list("text", "text_cy"))
    assert _pairs(obstacles) == list(summit.obstacles.values_list("text", "text_cy"))
    assert all(text_cy for _, text_cy in _pairs(assumptions))
    assert assumptions.question_cy == polls.ASSUMPTIONS_QUESTION_CY
    assert obstacles.question_cy == polls.OBSTACLES_QUESTION_CY
    assert words.question_cy == polls.WORDS_QUESTION_CY

    # Only the Welsh changed before the day: the poll takes it in as it opens.
    first = summit.assumptions.first()
    first.text_cy = "Rhagdybiaeth newydd"
    first.save()
    polls.open_poll(assumptions)

    assert _pairs(assumptions)[0] == (first.text, "Rhagdybiaeth newydd")


def test_a_run_sheet_assumptions_check_and_its_closing_round_carry_the_welsh(
    plenary, summit, organiser
):
    url = reverse("run_sheet", args=[summit.slug])
    response = client_for(organiser).post(url, {"kind": "assumptions", "ask_again": "on"})

    assert response.status_code == 302
    made = Poll.objects.filter(plenary=plenary, source=Poll.Source.ASSUMPTIONS).last()
    assert (made.question, made.question_cy) == (
        polls.ASSUMPTIONS_QUESTION,
        polls.ASSUMPTIONS_QUESTION_CY,
    )
    expected = list(summit.assumptions.values_list("text", "text_cy"))
    assert _pairs(made) == expected
    closing = Poll.objects.get(baseline=made)
    assert closing.question_cy == polls.ASSUMPTIONS_QUESTION_CY
    assert _pairs(closing) == expected


def test_an_own_question_for_the_assumptions_check_is_not_given_the_usual_welsh(
    plenary, summit, organiser
):
    url = reverse("run_sheet", args=[summit.slug])
    client_for(organiser).post(url, {"kind": "assumptions", "question": "Still true?"})

    made = Poll.objects.get(plenary=plenary, question="Still true?")
    assert made.question_cy == ""


def test_the_consensus_check_is_asked_in_welsh_too(plenary, breakout):
    Outcome.objects.create(breakout=breakout, proposal="Pool the budgets")

    poll = polls.prepare_consensus_check(plenary)

    assert poll.question_cy == polls.CONSENSUS_QUESTION_CY
    assert _pairs(poll) == [("Pool the budgets", "")]


def test_a_poll_opening_is_announced_in_each_screens_language(
    plenary, monkeypatch, django_capture_on_commit_callbacks
):
    said = []
    monkeypatch.setattr("plenary.live.room_changed", lambda room, words: said.append(words))
    poll = polls.create_poll(
        plenary, kind=Kind.TEXT, question=QUESTION, question_cy=QUESTION_CY, options=[]
    )

    with django_capture_on_commit_callbacks(execute=True):
        polls.open_poll(poll)

    [announcement] = said
    with translation.override("cy"):
        assert str(announcement).endswith(QUESTION_CY)
    with translation.override("en-gb"):
        assert str(announcement) == f"A poll is open: {QUESTION}"


# The consoles and the run sheet, read in Welsh


def test_the_plenary_console_in_welsh_shows_the_welsh_and_asks_for_it(plenary, summit, facilitator):
    polls.create_poll(
        plenary,
        kind=Kind.CHOICE,
        question=QUESTION,
        question_cy=QUESTION_CY,
        options=["Money", "Data"],
        options_cy=["Arian", "Data"],
    )

    welsh = _page(_in("cy", facilitator), "plenary:console", summit.slug)

    assert f"<title>Consol y sesiwn lawn: {summit.title_cy}" in welsh
    assert f'">{summit.title_cy}</a> · Consol y sesiwn lawn</p>' in welsh
    assert f'<p class="subtheme-question">{escape(summit.central_question_cy)}</p>' in welsh
    assert f">{QUESTION_CY}</h3>" in welsh
    assert "<li>Arian</li>" in welsh
    assert 'name="question_cy"' in welsh
    assert 'name="options_cy"' in welsh
    assert summit.central_question not in welsh


def test_the_breakout_console_in_welsh_shows_the_welsh_subtheme_question(breakout, facilitator):
    subtheme = breakout.subtheme
    assert subtheme.question_cy

    welsh = _page(_in("cy", facilitator), "breakouts:console", breakout.pk)

    assert f'<p class="subtheme-question">{escape(subtheme.question_cy)}</p>' in welsh
    assert escape(breakout.summit.title_cy) in welsh
    english = _page(_in("en-gb", facilitator), "breakouts:console", breakout.pk)
    assert f'<p class="subtheme-question">{escape(subtheme.question)}</p>' in english


def test_the_run_sheet_shows_a_welsh_organiser_the_welsh_question_and_options(
    plenary, summit, organiser
):
    poll = run_sheet.prepare_poll(
        plenary,
        kind=Kind.CHOICE,
        question=QUESTION,
        question_cy=QUESTION_CY,
        options=["Money", "Data"],
        options_cy=["Arian", "Data"],
    )

    welsh = _page(_in("cy", organiser), "run_sheet", summit.slug)
    assert f'<h3 class="card__title">{QUESTION_CY}</h3>' in welsh
    assert "<li>Arian</li>" in welsh
    assert f"<title>Taflen drefn: {summit.title_cy}" in welsh
    english = _page(_in("en-gb", organiser), "run_sheet", summit.slug)
    assert f'<h3 class="card__title">{QUESTION}</h3>' in english
    assert "Arian" not in english

    change = _page(_in("en-gb", organiser), "run_sheet_poll", summit.slug, poll.pk)
    assert f'value="{QUESTION_CY}"' in change
    assert "Arian\nData</textarea>" in change


def test_the_run_sheet_adds_and_changes_a_polls_welsh_and_logs_it(plenary, summit, organiser):
    client = client_for(organiser)
    client.post(
        reverse("run_sheet", args=[summit.slug]),
        {
            "kind": "choice",
            "question": QUESTION,
            "question_cy": QUESTION_CY,
            "options": "Money\nData",
            "options_cy": "Arian\nData",
        },
    )
    poll = Poll.objects.get(plenary=plenary, question=QUESTION)
    assert (poll.question_cy, _pairs(poll)) == (QUESTION_CY, [("Money", "Arian"), ("Data", "Data")])
    logged = AuditEntry.objects.get(action="Prepared a poll").detail
    assert (logged["question_cy"], logged["options_cy"]) == (QUESTION_CY, ["Arian", "Data"])

    url = reverse("run_sheet_poll", args=[summit.slug, poll.pk])
    refused = client.post(
        url, {"question": QUESTION, "options": "Money\nData\nPeople", "options_cy": "Arian"}
    )
    assert refused.status_code == 422
    assert "Arian</textarea>" in refused.content.decode()
    assert _pairs(poll) == [("Money", "Arian"), ("Data", "Data")]

    changed = client.post(url, {"question": QUESTION, "options": "Money\nPeople", "options_cy": ""})
    assert changed.status_code == 302
    poll.refresh_from_db()
    # The Welsh left empty: none now, and the English shown to everyone.
    assert (poll.question_cy, _pairs(poll)) == ("", [("Money", ""), ("People", "")])
