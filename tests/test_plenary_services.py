"""The plenary's console actions as services: each writes its rows, its audit entry (under
"Plenary", with the details the log has always given) and pushes to the room after commit,
all or nothing."""

from __future__ import annotations

import pytest

from accounts.models import AuditEntry
from breakouts.models import Outcome
from plenary import answers, polls, services, steering
from plenary.models import Plenary, Poll
from plenary.room import plenary_group, screen_key_group
from summit.event.refusals import Refused

Kind = Poll.Kind
ROOM = ("attendees", "facilitators", "screen")


@pytest.fixture
def pushed(monkeypatch):
    """The groups the plenary pushed to after commit, in order."""
    sent: list[str] = []
    monkeypatch.setattr(
        "plenary.live.push",
        lambda fragments, coalesce=None: sent.extend(group for group, _ in fragments),
    )
    monkeypatch.setattr("plenary.live.close_group", sent.append)
    return sent


@pytest.fixture
def plenary(summit) -> Plenary:
    return services.plenary_for(summit)


def _room(plenary: Plenary) -> list[str]:
    return [plenary_group(plenary.pk, audience) for audience in ROOM]


def _consoles(plenary: Plenary) -> list[str]:
    return [plenary_group(plenary.pk, "facilitators")]


def _entries() -> list[tuple]:
    return list(
        AuditEntry.objects.order_by("id").values_list(
            "actor_id", "actor_name", "action", "place", "detail"
        )
    )


def _logged(by, action: str, **detail) -> tuple:
    return (by.pk, by.attribution, action, "Plenary", detail)


def _words(plenary: Plenary) -> Poll:
    return Poll.objects.get(plenary=plenary, kind=Kind.WORDS)


def test_create_poll_by_a_facilitator_writes_logs_and_tells_the_consoles(
    plenary, facilitator, pushed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        poll = polls.create_poll(
            plenary,
            kind=Kind.CHOICE,
            question="Which first?",
            options=["Data", "Money"],
            by=facilitator,
        )

    assert [o.text for o in poll.options.all()] == ["Data", "Money"]
    assert _entries() == [_logged(facilitator, "Made a poll", question="Which first?")]
    assert pushed == _consoles(plenary)


def test_delete_poll_by_a_facilitator_logs_the_poll_it_removed(
    plenary, facilitator, pushed, django_capture_on_commit_callbacks
):
    poll = polls.create_poll(plenary, kind=Kind.TEXT, question="Anything else?", options=[])
    poll_id = poll.pk

    with django_capture_on_commit_callbacks(execute=True):
        polls.delete_poll(poll, by=facilitator)

    assert not Poll.objects.filter(pk=poll_id).exists()
    assert _entries() == [_logged(facilitator, "Deleted a poll", poll_id=poll_id)]
    assert pushed == _consoles(plenary)


def test_open_poll_by_a_facilitator_shows_it_logs_and_tells_the_room(
    plenary, facilitator, pushed, django_capture_on_commit_callbacks
):
    poll = _words(plenary)

    with django_capture_on_commit_callbacks(execute=True):
        polls.open_poll(poll, by=facilitator)

    plenary.refresh_from_db()
    assert Poll.objects.get(pk=poll.pk).state == Poll.State.OPEN
    assert (plenary.showing, plenary.shown_poll_id) == (Plenary.Showing.POLL, poll.pk)
    assert _entries() == [_logged(facilitator, "Opened a poll", poll_id=poll.pk)]
    assert pushed == _room(plenary)


def test_open_poll_already_open_logs_the_asking_and_pushes_nothing(
    plenary, facilitator, pushed, django_capture_on_commit_callbacks
):
    poll = polls.open_poll(_words(plenary))
    pushed.clear()

    with django_capture_on_commit_callbacks(execute=True):
        polls.open_poll(poll, by=facilitator)

    assert _entries() == [_logged(facilitator, "Opened a poll", poll_id=poll.pk)]
    assert pushed == []


def test_close_poll_by_a_facilitator_closes_logs_and_tells_the_room(
    plenary, facilitator, pushed, django_capture_on_commit_callbacks
):
    poll = polls.open_poll(_words(plenary))
    pushed.clear()

    with django_capture_on_commit_callbacks(execute=True):
        polls.close_poll(poll, by=facilitator)

    assert Poll.objects.get(pk=poll.pk).state == Poll.State.CLOSED
    assert _entries() == [_logged(facilitator, "Closed a poll", poll_id=poll.pk)]
    assert pushed == _room(plenary)


def test_close_poll_refused_logs_nothing_and_pushes_nothing(
    plenary, facilitator, pushed, django_capture_on_commit_callbacks
):
    poll = _words(plenary)

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Refused, match="This poll is not open"),
    ):
        polls.close_poll(poll, by=facilitator)

    assert Poll.objects.get(pk=poll.pk).state == Poll.State.DRAFT
    assert _entries() == []
    assert pushed == []


def test_show_results_by_a_facilitator_reveals_logs_and_tells_the_room(
    plenary, facilitator, pushed, django_capture_on_commit_callbacks
):
    poll = polls.open_poll(_words(plenary))
    pushed.clear()

    with django_capture_on_commit_callbacks(execute=True):
        polls.show_results(poll, True, by=facilitator)

    assert Poll.objects.get(pk=poll.pk).results_shown is True
    assert _entries() == [_logged(facilitator, "Showed or hid a poll’s results", poll_id=poll.pk)]
    assert pushed == _room(plenary)


def test_prepare_consensus_check_by_a_facilitator_writes_logs_and_tells_the_consoles(
    plenary, breakout, facilitator, pushed, django_capture_on_commit_callbacks
):
    Outcome.objects.create(breakout=breakout, proposal="Pool budgets", who_should_act="Us")

    with django_capture_on_commit_callbacks(execute=True):
        poll = polls.prepare_consensus_check(plenary, by=facilitator)

    assert [o.text for o in poll.options.all()] == ["Pool budgets"]
    assert _entries() == [_logged(facilitator, "Prepared the consensus check")]
    assert pushed == _consoles(plenary)


def test_show_by_a_facilitator_logs_everything_asked_for(
    plenary, facilitator, pushed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        steering.show(plenary, Plenary.Showing.MESSAGE, message="Back at 2pm", by=facilitator)

    plenary.refresh_from_db()
    assert (plenary.showing, plenary.message) == (Plenary.Showing.MESSAGE, "Back at 2pm")
    assert _entries() == [
        _logged(
            facilitator,
            "Changed what the big screen shows",
            showing="message",
            poll=None,
            breakout=None,
            idea=None,
            message="Back at 2pm",
        )
    ]
    assert pushed == _room(plenary)


def test_next_report_by_a_facilitator_is_logged_once_as_the_report_back(
    plenary, breakouts, facilitator, pushed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        steering.next_report(plenary, by=facilitator)

    plenary.refresh_from_db()
    assert (plenary.showing, plenary.shown_breakout_id) == ("report", breakouts[0].pk)
    assert _entries() == [_logged(facilitator, "Moved the report-back on")]
    assert pushed == _room(plenary)


def test_move_agenda_by_a_facilitator_moves_the_day_logs_and_tells_the_room(
    plenary, summit, facilitator, pushed, django_capture_on_commit_callbacks
):
    item = summit.agenda.last()

    with django_capture_on_commit_callbacks(execute=True):
        steering.move_agenda(plenary, item.pk, by=facilitator)

    summit.refresh_from_db()
    assert summit.agenda_now_id == item.pk
    assert _entries() == [_logged(facilitator, "Moved the agenda on", item=item.pk)]
    assert pushed == _room(plenary)


def test_new_screen_link_by_a_facilitator_logs_and_closes_the_old_screens(
    plenary, facilitator, pushed, django_capture_on_commit_callbacks
):
    old = plenary.screen_key

    with django_capture_on_commit_callbacks(execute=True):
        steering.new_screen_link(plenary, by=facilitator)

    assert Plenary.objects.get(pk=plenary.pk).screen_key not in {old, ""}
    assert _entries() == [_logged(facilitator, "Made a new big-screen link")]
    assert pushed == [screen_key_group(old)]


def test_console_action_without_a_person_acting_logs_nothing(
    plenary, pushed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        polls.open_poll(_words(plenary))
        steering.show(plenary, Plenary.Showing.QUESTION)

    assert _entries() == []
    assert pushed == [*_room(plenary), *_room(plenary)]


def test_services_module_offers_every_service_of_the_plenary():
    offered = {name: getattr(services, name) for name in services.__all__}

    assert offered["open_poll"] is polls.open_poll
    assert offered["show"] is steering.show
    assert offered["answer_poll"] is answers.answer_poll
