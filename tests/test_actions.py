"""Follow-up actions: made from each outcome's "who should act", kept by the summit's
organisers whatever its status, every change audited and pushed to the screens that show the
actions' status; the organisers' page with its forms, and every format of the record giving
each outcome's actions; queries that do not grow with the outcomes."""

from __future__ import annotations

import datetime as dt
import json

import jsonschema
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AuditEntry
from breakouts import actions
from breakouts.models import Action, Outcome
from summit.event.models import Summit
from summit.event.refusals import Refused
from summit.record.build import build_record
from tests.conftest import client_for, in_english
from tests.test_record import every_format, json_of, schema

Status = Action.Status


@pytest.fixture
def pushed(monkeypatch):
    """What was pushed after commit: (group, html) pairs, in order."""
    sent: list[tuple[str, str]] = []
    monkeypatch.setattr(
        "breakouts.actions.push", lambda fragments: sent.extend(in_english(fragments))
    )
    return sent


def _outcome(breakout, proposal="Pool budgets", who="Councils and the NHS") -> Outcome:
    return Outcome.objects.create(breakout=breakout, proposal=proposal, who_should_act=who)


def _log() -> list[str]:
    return list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))


def _change(action, by, **fields):
    given = {"owner": action.owner, "status": action.status, "due_on": None, "notes": ""}
    return actions.change_action(action, **{**given, **fields}, by=by)


# Making actions from the outcomes


def test_actions_from_outcomes_makes_one_proposed_action_each_and_is_idempotent(
    breakout, other_breakout, organiser, pushed, django_capture_on_commit_callbacks
):
    first = _outcome(breakout)
    second = _outcome(other_breakout, "Share data", "  Local Government Association  ")

    with django_capture_on_commit_callbacks(execute=True):
        made = actions.actions_from_outcomes(breakout.summit, by=organiser)
    with django_capture_on_commit_callbacks(execute=True):
        again = actions.actions_from_outcomes(breakout.summit, by=organiser)

    assert (made, again) == (2, 0)
    assert [(a.outcome_id, a.owner, a.status) for a in Action.objects.order_by("outcome_id")] == [
        (first.pk, "Councils and the NHS", Status.PROPOSED),
        (second.pk, "Local Government Association", Status.PROPOSED),
    ]
    assert _log() == ["Made an action for each outcome that had none"]
    assert len(pushed) == 1
    group, html = pushed[0]
    assert group == f"summit-{breakout.summit.pk}-actions"
    assert html.count('hx-swap-oob="outerHTML"') == 2
    assert "Proposed" in html


def test_actions_from_outcomes_leaves_an_outcome_that_has_an_action(breakout, organiser):
    kept = _outcome(breakout)
    Action.objects.create(outcome=kept, owner="Someone else", status=Status.DONE)
    _outcome(breakout, "Share data", "Councils")

    assert actions.actions_from_outcomes(breakout.summit, by=organiser) == 1
    assert list(kept.actions.values_list("owner", "status")) == [("Someone else", Status.DONE)]


@pytest.mark.parametrize("status", [Summit.Status.CLOSED, Summit.Status.ARCHIVED])
def test_actions_are_kept_after_the_day_whatever_the_status(breakout, organiser, status):
    Summit.objects.filter(pk=breakout.summit_id).update(status=status)
    breakout.summit.refresh_from_db()
    outcome = _outcome(breakout)

    assert actions.actions_from_outcomes(breakout.summit, by=organiser) == 1
    action = outcome.actions.get()
    assert _change(action, organiser, status=Status.DONE).status == Status.DONE


# Changing and removing


def test_a_status_change_is_audited_in_words_and_pushed(
    breakout, organiser, pushed, django_capture_on_commit_callbacks
):
    action = Action.objects.create(outcome=_outcome(breakout), owner="Councils")

    with django_capture_on_commit_callbacks(execute=True):
        changed = _change(action, organiser, status=Status.IN_PROGRESS)

    assert changed.status == Status.IN_PROGRESS
    assert _log() == ["Changed an action's status from Proposed to In progress"]
    entry = AuditEntry.objects.get()
    assert (entry.actor_id, entry.place) == (organiser.pk, breakout.name)
    assert entry.detail["was"] == "proposed"
    assert entry.detail["now"] == "in_progress"
    [(_group, html)] = pushed
    assert f'id="action-{action.pk}-status"' in html
    assert "In progress" in html


def test_other_changes_are_audited_apart_and_nothing_changed_writes_nothing(
    breakout, organiser, pushed, django_capture_on_commit_callbacks
):
    action = Action.objects.create(outcome=_outcome(breakout), owner="Councils")

    with django_capture_on_commit_callbacks(execute=True):
        _change(action, organiser, owner="  Testshire Council ", due_on=dt.date(2026, 9, 30))
        _change(action, organiser, owner="Testshire Council", due_on=dt.date(2026, 9, 30))

    action.refresh_from_db()
    assert (action.owner, action.due_on, action.status) == (
        "Testshire Council",
        dt.date(2026, 9, 30),
        Status.PROPOSED,
    )
    assert _log() == ["Changed an action"]
    assert len(pushed) == 1


def test_adding_and_removing_are_audited_and_pushed(
    breakout, organiser, pushed, django_capture_on_commit_callbacks
):
    outcome = _outcome(breakout)
    with django_capture_on_commit_callbacks(execute=True):
        action = actions.add_action(outcome, owner="NHS England", notes="Ask in June", by=organiser)
        actions.remove_action(action, by=organiser)

    assert not Action.objects.exists()
    assert _log() == ["Added an action", "Removed an action"]
    assert f'id="action-{action.pk}-status"' in pushed[1][1]
    assert "Removed" in pushed[1][1]


@pytest.mark.parametrize(
    ("fields", "said"),
    [
        ({"owner": "   "}, "Say who is to act"),
        ({"owner": "x" * 301}, "300 characters or fewer"),
        ({"status": "finished"}, "Choose the action’s status"),
    ],
)
def test_a_change_refused_changes_nothing(breakout, organiser, fields, said):
    action = Action.objects.create(outcome=_outcome(breakout), owner="Councils")

    with pytest.raises(Refused, match=said):
        _change(action, organiser, **fields)

    action.refresh_from_db()
    assert (action.owner, action.status) == ("Councils", Status.PROPOSED)
    assert not AuditEntry.objects.exists()


def test_only_the_summits_organisers_keep_its_actions(breakout, facilitator, outsider):
    action = Action.objects.create(outcome=_outcome(breakout), owner="Councils")

    for person in (facilitator, outsider):
        with pytest.raises(Refused, match="organisers"):
            actions.actions_from_outcomes(breakout.summit, by=person)
        with pytest.raises(Refused, match="organisers"):
            _change(action, person, status=Status.DONE)
        with pytest.raises(Refused, match="organisers"):
            actions.remove_action(action, by=person)
    assert Action.objects.get().status == Status.PROPOSED


def test_removing_twice_is_refused(breakout, organiser):
    action = Action.objects.create(outcome=_outcome(breakout), owner="Councils")
    actions.remove_action(action, by=organiser)

    with pytest.raises(Refused, match="removed already"):
        actions.remove_action(action, by=organiser)


# The page and its forms


def test_the_page_lists_outcomes_by_breakout_with_their_actions(breakout, organiser):
    outcome = _outcome(breakout)
    Action.objects.create(
        outcome=outcome, owner="Councils", status=Status.ACCEPTED, due_on=dt.date(2026, 9, 30)
    )

    response = client_for(organiser).get(reverse("actions", args=[breakout.summit.slug]))

    body = response.content.decode()
    assert response.status_code == 200
    assert breakout.name in body
    assert "Pool budgets" in body
    assert "Accepted" in body
    assert "30 September 2026" in body
    assert "Make an action for each outcome that has none" in body


def test_facilitators_read_the_page_with_no_forms(breakout, facilitator):
    Action.objects.create(outcome=_outcome(breakout), owner="Councils")

    body = client_for(facilitator).get(reverse("actions", args=[breakout.summit.slug]))
    text = body.content.decode()

    assert "Councils" in text
    assert "Make an action" not in text
    assert "Remove" not in text


def test_the_button_makes_the_actions_and_says_how_many(breakout, organiser):
    _outcome(breakout)
    client = client_for(organiser)
    url = reverse("make_actions", args=[breakout.summit.slug])

    first = client.post(url, follow=True)
    second = client.post(url, follow=True)

    assert "Made 1 action." in first.content.decode()
    assert "none was made" in second.content.decode()
    assert Action.objects.count() == 1


def test_a_form_with_problems_says_so_by_each_field_and_keeps_what_was_typed(breakout, organiser):
    action = Action.objects.create(outcome=_outcome(breakout), owner="Councils")
    url = reverse("action", args=[breakout.summit.slug, action.pk])

    response = client_for(organiser).post(
        url, {"owner": "", "status": "done", "due_on": "2026-02-30", "notes": "Kept notes"}
    )

    body = response.content.decode()
    assert response.status_code == 422
    assert "<title>Error:" in body
    assert "There is a problem" in body
    assert "Say who is to act" in body
    assert "Enter the due date as a real date" in body
    assert "Kept notes" in body
    assert Action.objects.get().status == Status.PROPOSED


def test_a_status_changed_on_the_page_is_saved_and_audited(breakout, organiser):
    action = Action.objects.create(
        outcome=_outcome(breakout), owner="Councils", due_on=dt.date(2026, 9, 30)
    )
    url = reverse("action", args=[breakout.summit.slug, action.pk])

    response = client_for(organiser).post(
        url, {"owner": "Councils", "status": "done", "due_on": "30/09/2026", "notes": ""}
    )

    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.due_on) == (Status.DONE, dt.date(2026, 9, 30))
    assert _log() == ["Changed an action's status from Proposed to Done"]


def test_an_action_of_another_summit_is_not_found(breakout, organiser, outsider):
    elsewhere = _outcome(outsider.breakouts.get())
    theirs = Action.objects.create(outcome=elsewhere, owner="Them")
    client = client_for(organiser)
    slug = breakout.summit.slug

    assert client.get(reverse("action", args=[slug, theirs.pk])).status_code == 404
    assert client.post(reverse("remove_action", args=[slug, theirs.pk])).status_code == 404
    assert client.get(reverse("add_action", args=[slug, elsewhere.pk])).status_code == 404
    assert Action.objects.filter(pk=theirs.pk).exists()


def _outcomes_with_actions(breakout, n: int) -> None:
    for i in range(n):
        outcome = _outcome(breakout, f"Proposal {i}", f"Body {i}")
        Action.objects.create(outcome=outcome, owner=f"Owner {i}", notes="Some notes")


def _page_queries(client, slug) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("actions", args=[slug])).status_code == 200
    return len(queries)


def test_the_page_takes_the_same_queries_for_one_outcome_or_thirty(
    breakout, other_breakout, organiser
):
    client = client_for(organiser)
    slug = breakout.summit.slug
    _outcomes_with_actions(breakout, 1)
    one = _page_queries(client, slug)
    _outcomes_with_actions(breakout, 20)
    _outcomes_with_actions(other_breakout, 9)

    assert _page_queries(client, slug) == one


# The record


def test_every_format_of_the_record_gives_each_outcomes_actions(breakout, organiser):
    outcome = _outcome(breakout)
    Action.objects.create(
        outcome=outcome,
        owner="Testshire Council",
        status=Status.IN_PROGRESS,
        due_on=dt.date(2026, 9, 30),
        notes="Waiting for the budget round",
    )

    for name, text in every_format(organiser).items():
        assert "Testshire Council" in text, name
        assert "In progress" in text, name
        assert "Waiting for the budget round" in text, name
    document = json_of(organiser)
    jsonschema.Draft202012Validator(schema()).validate(document)
    [made] = [o for b in document["breakouts"] for o in b["outcomes"]]
    assert made["actions"] == [
        {
            "id": outcome.actions.get().pk,
            "owner": "Testshire Council",
            "status": "In progress",
            "due": "2026-09-30",
            "notes": "Waiting for the budget round",
        }
    ]
    assert "30 September 2026" in every_format(organiser)["page"]
    assert json.dumps(made["actions"])


def test_the_record_says_so_when_an_outcome_has_no_actions(breakout, organiser):
    _outcome(breakout)

    formats = every_format(organiser)

    assert "No follow-up actions were recorded." in formats["page"]
    assert "No follow-up actions were recorded." in formats["markdown"]


def _record_queries(summit) -> int:
    with CaptureQueriesContext(connection) as queries:
        build_record(summit)
    return len(queries)


def test_the_record_takes_the_same_queries_for_one_outcome_or_thirty(
    breakout, other_breakout, organiser
):
    summit = Summit.objects.get(pk=breakout.summit_id)
    _outcomes_with_actions(breakout, 1)
    one = _record_queries(summit)
    _outcomes_with_actions(breakout, 20)
    _outcomes_with_actions(other_breakout, 9)

    assert _record_queries(summit) == one
    record = build_record(summit)
    assert sum(len(o.actions) for o in record.outcomes) == 30
