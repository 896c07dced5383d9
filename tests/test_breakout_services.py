"""Every change a facilitator makes to a breakout is one service that writes, logs itself in
the audit log and pushes after commit: tested at the service with the commit's callbacks run,
so the row, the audit entry and the push are each asserted. And the console's one table of
actions keeps every action's name and path."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import connection, models
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry, Participant
from breakouts import services, steering, voting
from breakouts.board import MEMBERS, Board
from breakouts.console_views import ACTIONS
from breakouts.models import Breakout, Cluster, Comment, Idea, Outcome
from summit.event.models import Prompt, Summit
from summit.event.refusals import Refused
from tests.conftest import in_english, make_participant

pytestmark = pytest.mark.django_db

Phase = Breakout.Phase
PUSHES = ("idea_added", "idea_changed", "comment_added", "totals_changed", "board_changed")


@pytest.fixture
def pushes(monkeypatch):
    """Every push the services make, as ``(name, *arguments)`` with rows given by their pk;
    closing the big screens on a replaced link included."""
    sent: list[tuple] = []

    def recorder(name: str):
        def record(*args) -> None:
            sent.append((name, *(arg.pk if isinstance(arg, models.Model) else arg for arg in args)))

        return record

    for name in PUSHES:
        monkeypatch.setattr(f"breakouts.live.{name}", recorder(name))
    monkeypatch.setattr("breakouts.steering.close_group", recorder("close_group"))
    return sent


@dataclass
class Room:
    """A breakout as a facilitator finds it: two ideas on the wall, one hidden, a cluster, an
    outcome citing the first idea, and another question of the summit to move to."""

    breakout: Breakout
    facilitator: Participant
    attendee: Participant
    one: Idea
    two: Idea
    hidden: Idea
    cluster: Cluster
    outcome: Outcome
    prompt: Prompt


@pytest.fixture
def room(breakout, facilitator, attendee) -> Room:
    def idea(text: str, **fields) -> Idea:
        return Idea.objects.create(
            breakout=breakout, author=attendee, text=text, client_token=uuid.uuid4(), **fields
        )

    one, two = idea("One"), idea("Two")
    hidden = idea("Hidden", status=Idea.Status.HIDDEN, hidden_reason="Repeated")
    outcome = Outcome.objects.create(
        breakout=breakout, proposal="A data pact", who_should_act="The council"
    )
    outcome.ideas.add(one)
    return Room(
        breakout=breakout,
        facilitator=facilitator,
        attendee=attendee,
        one=one,
        two=two,
        hidden=hidden,
        cluster=Cluster.objects.create(breakout=breakout, name="Money"),
        outcome=outcome,
        prompt=breakout.summit.prompts.exclude(pk=breakout.current_prompt_id).first(),
    )


def _move(room: Room, phase: str) -> Breakout:
    Breakout.objects.filter(pk=room.breakout.pk).update(phase=phase)
    room.breakout.refresh_from_db()
    return room.breakout


def _entries() -> list[tuple]:
    return list(
        AuditEntry.objects.order_by("id").values_list("actor_id", "action", "place", "detail")
    )


@dataclass(frozen=True)
class Case:
    """A service called as a facilitator: the phase it is called in, the call, what it wrote
    (read back after), and the audit entry's action and details (beside the breakout's id)
    and the push it makes, each worked out from the room."""

    phase: str
    call: Callable[[Room], object]
    wrote: Callable[[Room], object]
    expected: Callable[[Room], object]
    action: str
    detail: Callable[[Room], dict]
    push: Callable[[Room], tuple]


def _board(announcement: str) -> Callable[[Room], tuple]:
    return lambda r: ("board_changed", r.breakout.pk, announcement)


def _breakout(r: Room) -> Breakout:
    return Breakout.objects.get(pk=r.breakout.pk)


def _idea(idea: Callable[[Room], Idea]) -> Callable[[Room], Idea]:
    return lambda r: Idea.objects.get(pk=idea(r).pk)


def _said_in_room(r: Room):
    return services.add_idea_said_in_room(
        breakout=r.breakout,
        by=r.facilitator,
        speaker=("member", r.attendee),
        text="Use the church halls",
        client_token=uuid.uuid4(),
    )[0]


def _draft(r: Room, **which):
    return voting.save_outcome(
        r.breakout,
        drafted_by=r.facilitator,
        proposal="Pool budgets",
        who_should_act="The place board",
        horizon=Outcome.Horizon.LONGER,
        idea_ids=[r.two.pk],
        **which,
    )


DRAFTED = {
    "proposal": "Pool budgets",
    "who_should_act": "The place board",
    "horizon": "longer",
}

CASES = {
    "rank_by": Case(
        Phase.AGREE,
        lambda r: steering.set_rank_by(r.breakout, "dots", by=r.facilitator),
        lambda r: _breakout(r).rank_by,
        lambda r: "dots",
        "Changed how voted ideas are ordered",
        lambda r: {"rank_by": "dots"},
        _board("Ideas are ordered by dots"),
    ),
    "phase": Case(
        Phase.GATHER,
        lambda r: steering.set_phase(r.breakout, Phase.BUILD, 10, by=r.facilitator),
        lambda r: (_breakout(r).phase, _breakout(r).timer_ends_at is not None),
        lambda r: (Phase.BUILD, True),
        "Moved the group to another phase",
        lambda r: {"phase": "build", "minutes": 10},
        _board("The group moved to: Build on ideas, 10 minutes on the clock"),
    ),
    "timer": Case(
        Phase.GATHER,
        lambda r: steering.set_timer(r.breakout, 7, by=r.facilitator),
        lambda r: _breakout(r).timer_ends_at is not None,
        lambda r: True,
        "Set the timer",
        lambda r: {"minutes": 7},
        _board("Timer set: 7 minutes"),
    ),
    "prompt": Case(
        Phase.GATHER,
        lambda r: steering.set_prompt(r.breakout, r.prompt.pk, by=r.facilitator),
        lambda r: _breakout(r).current_prompt_id,
        lambda r: r.prompt.pk,
        "Set the question the group works on",
        lambda r: {"prompt": r.prompt.pk},
        _board("The group is working on a new question"),
    ),
    "voting_rules": Case(
        Phase.CLUSTER,
        lambda r: steering.set_voting_rules(
            r.breakout, dot_budget=4, max_dots_per_idea=2, vote_display="live", by=r.facilitator
        ),
        lambda r: (
            _breakout(r).dot_budget,
            _breakout(r).max_dots_per_idea,
            _breakout(r).vote_display,
        ),
        lambda r: (4, 2, "live"),
        "Set the voting rules",
        lambda r: {"dot_budget": 4, "max_dots_per_idea": 2, "vote_display": "live"},
        _board("Each person has 4 dots, at most 2 on one idea"),
    ),
    "hide": Case(
        Phase.BUILD,
        lambda r: steering.hide_idea(r.breakout, r.one.pk, " Off topic ", by=r.facilitator),
        lambda r: (_idea(lambda r: r.one)(r).status, _idea(lambda r: r.one)(r).hidden_reason),
        lambda r: (Idea.Status.HIDDEN, "Off topic"),
        "Hid an idea",
        lambda r: {"idea_id": r.one.pk, "reason": "Off topic"},
        _board("An idea was hidden by the facilitator"),
    ),
    "restore": Case(
        Phase.BUILD,
        lambda r: steering.restore_idea(r.breakout, r.hidden.pk, by=r.facilitator),
        lambda r: _idea(lambda r: r.hidden)(r).status,
        lambda r: Idea.Status.VISIBLE,
        "Restored a hidden idea",
        lambda r: {"idea_id": r.hidden.pk},
        _board("A hidden idea is back on the wall"),
    ),
    "merge": Case(
        Phase.CLUSTER,
        lambda r: steering.merge_ideas(r.breakout, r.one.pk, r.two.pk, by=r.facilitator),
        lambda r: (_idea(lambda r: r.one)(r).status, _idea(lambda r: r.one)(r).merged_into_id),
        lambda r: (Idea.Status.MERGED, r.two.pk),
        "Merged two ideas",
        lambda r: {"idea_id": r.one.pk, "into": r.two.pk},
        _board("Two ideas were merged into one: Two"),
    ),
    "add_cluster": Case(
        Phase.CLUSTER,
        lambda r: steering.add_cluster(r.breakout, "Housing", by=r.facilitator),
        lambda r: sorted(Cluster.objects.values_list("name", flat=True)),
        lambda r: ["Housing", "Money"],
        "Added a cluster",
        lambda r: {"name": "Housing"},
        _board("New cluster: Housing"),
    ),
    "rename_cluster": Case(
        Phase.CLUSTER,
        lambda r: steering.rename_cluster(r.breakout, r.cluster.pk, "Budgets", by=r.facilitator),
        lambda r: list(Cluster.objects.values_list("pk", "name")),
        lambda r: [(r.cluster.pk, "Budgets")],
        "Renamed a cluster",
        lambda r: {"cluster_id": r.cluster.pk, "name": "Budgets"},
        _board("Cluster renamed: Budgets"),
    ),
    "remove_cluster": Case(
        Phase.CLUSTER,
        lambda r: steering.remove_cluster(r.breakout, r.cluster.pk, by=r.facilitator),
        lambda r: Cluster.objects.exists(),
        lambda r: False,
        "Removed a cluster",
        lambda r: {"cluster_id": r.cluster.pk},
        _board("A cluster was removed; its ideas are still on the wall"),
    ),
    "cluster_idea": Case(
        Phase.CLUSTER,
        lambda r: steering.cluster_idea(r.breakout, r.one.pk, r.cluster.pk, by=r.facilitator),
        lambda r: _idea(lambda r: r.one)(r).cluster_id,
        lambda r: r.cluster.pk,
        "Put an idea in a cluster",
        lambda r: {"idea_id": r.one.pk, "cluster": r.cluster.pk},
        _board(""),
    ),
    "spotlight": Case(
        Phase.BUILD,
        lambda r: steering.spotlight(r.breakout, r.two.pk, by=r.facilitator),
        lambda r: _breakout(r).spotlight_id,
        lambda r: r.two.pk,
        "Changed the spotlight",
        lambda r: {"idea": r.two.pk},
        _board("An idea is in the spotlight"),
    ),
    "new_screen_link": Case(
        Phase.GATHER,
        lambda r: steering.new_screen_link(r.breakout, by=r.facilitator),
        lambda r: _breakout(r).screen_key != r.breakout.screen_key,
        lambda r: True,
        "Made a new big-screen link",
        lambda r: {},
        lambda r: ("close_group", f"screen-{r.breakout.screen_key}"),
    ),
    "on_behalf": Case(
        Phase.GATHER,
        _said_in_room,
        lambda r: list(
            Idea.objects.filter(added_by=r.facilitator).values_list("author", "text", "anonymous")
        ),
        lambda r: [(r.attendee.pk, "Use the church halls", False)],
        "Added an idea said in the room",
        lambda r: {"text": "Use the church halls", "speaker": ["member", r.attendee.pk]},
        lambda r: ("idea_added", Idea.objects.get(added_by=r.facilitator).pk),
    ),
    "add_outcome": Case(
        Phase.AGREE,
        _draft,
        lambda r: list(Outcome.objects.exclude(pk=r.outcome.pk).values_list("proposal", "ideas")),
        lambda r: [("Pool budgets", r.two.pk)],
        "Drafted an outcome",
        lambda r: {**DRAFTED, "ideas": [r.two.pk]},
        _board("Outcome drafted: Pool budgets"),
    ),
    "edit_outcome": Case(
        Phase.VOTE,
        lambda r: _draft(r, outcome_id=r.outcome.pk),
        lambda r: list(Outcome.objects.values_list("pk", "proposal", "horizon", "ideas")),
        lambda r: [(r.outcome.pk, "Pool budgets", "longer", r.two.pk)],
        "Redrafted an outcome",
        lambda r: {"outcome_id": r.outcome.pk, **DRAFTED, "ideas": [r.two.pk]},
        _board("Outcome drafted: Pool budgets"),
    ),
    "delete_outcome": Case(
        Phase.AGREE,
        lambda r: voting.delete_outcome(r.breakout, r.outcome.pk, by=r.facilitator),
        lambda r: Outcome.objects.exists(),
        lambda r: False,
        "Deleted an outcome",
        lambda r: {"outcome_id": r.outcome.pk},
        _board("An outcome was withdrawn"),
    ),
}


def test_every_console_action_has_a_service_case():
    assert set(CASES) == {action.name for action in ACTIONS}


@pytest.mark.parametrize("name", sorted(CASES))
def test_facilitator_service_writes_logs_and_pushes_on_commit(
    room, pushes, django_capture_on_commit_callbacks, name
):
    case = CASES[name]
    _move(room, case.phase)

    with django_capture_on_commit_callbacks(execute=True):
        case.call(room)

    assert case.wrote(room) == case.expected(room)
    assert _entries() == [
        (
            room.facilitator.pk,
            case.action,
            room.breakout.name,
            {"breakout_id": room.breakout.pk, **case.detail(room)},
        )
    ]
    assert pushes == [case.push(room)]


def test_facilitator_service_pushes_only_after_commit(
    room, pushes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        steering.set_phase(room.breakout, Phase.BUILD, by=room.facilitator)

        assert len(_entries()) == 1  # written in the transaction, with the change
        assert pushes == []

    assert len(callbacks) == 1
    assert pushes == []


def _elsewhere() -> Prompt:
    """A question of another summit."""
    summit = Summit.objects.create(slug="elsewhere", title="Elsewhere", central_question="Why?")
    return Prompt.objects.create(summit=summit, order=1, text="Theirs?")


REFUSED = {
    "hide without a reason": (
        Phase.BUILD,
        lambda r: steering.hide_idea(r.breakout, r.one.pk, "  ", by=r.facilitator),
        "Give a reason for hiding the idea",
    ),
    "a question of another summit": (
        Phase.GATHER,
        lambda r: steering.set_prompt(r.breakout, _elsewhere().pk, by=r.facilitator),
        "Choose one of this summit’s questions",
    ),
    "a question that does not exist": (
        Phase.GATHER,
        lambda r: steering.set_prompt(r.breakout, 2**31 - 1, by=r.facilitator),
        "Choose one of this summit’s questions",
    ),
    "rules once voting started": (
        Phase.VOTE,
        lambda r: steering.set_voting_rules(
            r.breakout, dot_budget=4, max_dots_per_idea=2, vote_display="live", by=r.facilitator
        ),
        "The voting rules are fixed once voting has started",
    ),
    "merge into a hidden idea": (
        Phase.CLUSTER,
        lambda r: steering.merge_ideas(r.breakout, r.one.pk, r.hidden.pk, by=r.facilitator),
        "is not on the wall, so cannot be merged",
    ),
    "redraft of an outcome elsewhere": (
        Phase.AGREE,
        lambda r: _draft(r, outcome_id=r.outcome.pk + 1000),
        "That outcome is not in this breakout",
    ),
    "outcome outside vote and agree": (
        Phase.GATHER,
        _draft,
        "Outcomes are drafted in the vote and agree phases",
    ),
    "idea said in the room while voting": (
        Phase.VOTE,
        _said_in_room,
        "The group is not taking new ideas",
    ),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_facilitator_service_refused_writes_logs_and_pushes_nothing(
    room, pushes, django_capture_on_commit_callbacks, name
):
    phase, call, message = REFUSED[name]
    _move(room, phase)
    before = (
        sorted(Idea.objects.values_list("pk", "status", "cluster", "text")),
        sorted(Outcome.objects.values_list("pk", "proposal")),
        Breakout.objects.filter(pk=room.breakout.pk).values().get(),
    )

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Refused, match=message):
        call(room)

    after = (
        sorted(Idea.objects.values_list("pk", "status", "cluster", "text")),
        sorted(Outcome.objects.values_list("pk", "proposal")),
        Breakout.objects.filter(pk=room.breakout.pk).values().get(),
    )
    assert after == before
    assert _entries() == []
    assert pushes == []


def test_facilitator_service_without_anyone_acting_logs_nothing_but_still_pushes(
    room, pushes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        steering.set_phase(room.breakout, Phase.BUILD)

    assert _breakout(room).phase == Phase.BUILD
    assert _entries() == []
    assert pushes == [("board_changed", room.breakout.pk, "The group moved to: Build on ideas")]


def test_idea_said_in_room_by_sector_is_the_facilitators_with_the_sector_logged(
    room, pushes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        idea, made = services.add_idea_said_in_room(
            breakout=room.breakout,
            by=room.facilitator,
            speaker=("sector", "faith"),
            text="Open the church halls",
            client_token=uuid.uuid4(),
        )

    assert made is True
    stored = Idea.objects.get(pk=idea.pk)
    assert (stored.author, stored.added_by, stored.spoken_sector) == (
        room.facilitator,
        room.facilitator,
        "faith",
    )
    assert [detail for _, _, _, detail in _entries()] == [
        {
            "breakout_id": room.breakout.pk,
            "text": "Open the church halls",
            "speaker": ["sector", "faith"],
        }
    ]
    assert pushes == [("idea_added", idea.pk)]


def test_idea_said_in_room_sent_twice_is_one_idea_logged_once(
    room, django_capture_on_commit_callbacks
):
    token = uuid.uuid4()
    said = {
        "breakout": room.breakout,
        "by": room.facilitator,
        "speaker": ("sector", "faith"),
        "text": "Open the church halls",
        "client_token": token,
    }
    with django_capture_on_commit_callbacks(execute=True):
        first, made = services.add_idea_said_in_room(**said)
        again, made_again = services.add_idea_said_in_room(**said)

    assert (made, made_again) == (True, False)
    assert again.pk == first.pk
    assert Idea.objects.filter(breakout=room.breakout, text="Open the church halls").count() == 1
    assert len(_entries()) == 1


def test_idea_said_in_room_for_an_anonymous_member_is_posted_anonymously(
    room, django_capture_on_commit_callbacks
):
    quiet = make_participant(room.breakout.summit, name="Quinn Quiet", anonymous=True)
    room.breakout.members.add(quiet)

    with django_capture_on_commit_callbacks(execute=True):
        idea, _ = services.add_idea_said_in_room(
            breakout=room.breakout,
            by=room.facilitator,
            speaker=("member", quiet),
            text="Ask the youth council",
            client_token=uuid.uuid4(),
        )

    stored = Idea.objects.get(pk=idea.pk)
    assert (stored.author, stored.anonymous, stored.added_by) == (quiet, True, room.facilitator)


def test_post_idea_new_card_lists_no_comments_without_a_query(
    breakout, attendee, django_assert_num_queries, pushes
):
    idea, _ = services.post_idea(
        breakout=breakout, author=attendee, text="A shared charter", client_token=uuid.uuid4()
    )
    board = Board(breakout, MEMBERS, [], [], [], viewer=attendee)

    with django_assert_num_queries(0):
        card = render_to_string(
            "breakouts/board.html#idea",
            {"idea": idea, "breakout": breakout, "board": board, "token": uuid.uuid4()},
        )

    assert idea.card_comments == []
    assert f'<span id="comments-{idea.pk}-count">0</span>' in card
    assert 'class="comment-form"' in card


def test_edit_idea_pushed_card_keeps_its_comments_read_once_for_every_audience(
    breakout, attendee, monkeypatch, django_capture_on_commit_callbacks
):
    idea = Idea.objects.create(
        breakout=breakout, author=attendee, text="Pool the data", client_token=uuid.uuid4()
    )
    for text in ("Start with care", "And housing"):
        Comment.objects.create(idea=idea, author=attendee, text=text, client_token=uuid.uuid4())
    sent: list[tuple[str, str]] = []
    monkeypatch.setattr(
        "breakouts.live.send", lambda fragments, **_: sent.extend(in_english(fragments))
    )

    # The callbacks run as their block ends, so the queries are counted around it.
    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.edit_idea(idea, attendee, "Pool the budgets")

    cards = {group.rpartition("-")[2]: html for group, html in sent}
    assert set(cards) == {"members", "facilitators", "screen"}
    for audience in ("members", "facilitators"):
        html = cards[audience]
        assert "Pool the budgets" in html, audience
        assert f'<span id="comments-{idea.pk}-count">2</span>' in html, audience
        assert html.index("Start with care") < html.index("And housing"), audience
    assert "Start with care" not in cards["screen"]
    comment_reads = [q["sql"] for q in queries if '"breakouts_comment"' in q["sql"]]
    assert len(comment_reads) == 1


# The console's table of actions

CONSOLE_PATHS = {
    "rank_by": ("console/rank-by/", {}),
    "phase": ("console/phase/", {}),
    "timer": ("console/timer/", {}),
    "prompt": ("console/prompt/", {}),
    "voting_rules": ("console/voting-rules/", {}),
    "hide": ("console/ideas/7/hide/", {"idea_id": 7}),
    "restore": ("console/ideas/7/restore/", {"idea_id": 7}),
    "merge": ("console/ideas/7/merge/", {"idea_id": 7}),
    "cluster_idea": ("console/ideas/7/cluster/", {"idea_id": 7}),
    "add_cluster": ("console/clusters/", {}),
    "rename_cluster": ("console/clusters/8/", {"cluster_id": 8}),
    "remove_cluster": ("console/clusters/8/remove/", {"cluster_id": 8}),
    "spotlight": ("console/spotlight/", {}),
    "on_behalf": ("console/on-behalf/", {}),
    "add_outcome": ("console/outcomes/", {}),
    "edit_outcome": ("console/outcomes/9/", {"outcome_id": 9}),
    "delete_outcome": ("console/outcomes/9/delete/", {"outcome_id": 9}),
    "new_screen_link": ("console/screen-link/", {}),
}


@pytest.mark.parametrize("name", sorted(CONSOLE_PATHS))
def test_console_action_keeps_its_name_and_path(name):
    path, ids = CONSOLE_PATHS[name]

    url = reverse(f"breakouts:{name}", kwargs={"breakout_id": 3, **ids})

    assert url == f"/breakouts/3/{path}"


def test_console_table_names_each_action_once():
    names = [action.name for action in ACTIONS]

    assert sorted(names) == sorted(CONSOLE_PATHS)
    assert len(set(names)) == len(names)


@pytest.mark.parametrize(("budget", "most_on_one"), [(2, 2), (8, 3)])
def test_new_breakouts_take_the_summits_dot_budget(summit, budget, most_on_one):
    Summit.objects.filter(pk=summit.pk).update(dot_budget=budget)
    summit.refresh_from_db()

    made = [*services.ensure_breakouts(summit)]
    made.append(services.add_breakout(summit.subthemes.first(), "Narratives, second room"))

    assert len(made) == 4
    for breakout in made:
        breakout.refresh_from_db()
        assert (breakout.dot_budget, breakout.max_dots_per_idea) == (budget, most_on_one)


def test_ensure_breakouts_makes_none_for_a_retired_subtheme(summit):
    summit.subthemes.filter(order=1).update(retired_at=timezone.now())

    made = services.ensure_breakouts(summit)

    assert [b.subtheme.order for b in made] == [2, 3]
