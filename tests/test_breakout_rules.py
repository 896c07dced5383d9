"""The rules of a breakout, tested at the service layer: what each phase allows, the dot
budget, merging, hiding, clusters, outcomes and how groups are formed, with the push each
change makes after commit."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import OperationalError, connection, models, transaction
from django.db.models import Sum
from django.utils import timezone

from accounts.models import Participant
from breakouts import services, steering, voting
from breakouts.models import Breakout, Cluster, Comment, Idea, Outcome, Rating, Vote
from summit.event.agreement import Agreement
from summit.event.refusals import Refused
from tests.conftest import make_participant

Phase = Breakout.Phase
PUSHES = ("idea_added", "idea_changed", "comment_added", "totals_changed", "board_changed")


@pytest.fixture
def pushes(monkeypatch):
    """Every push the services make, as ``(name, *arguments)`` with rows given by their pk."""
    sent: list[tuple] = []

    def recorder(name: str):
        def record(*args) -> None:
            sent.append((name, *(arg.pk if isinstance(arg, models.Model) else arg for arg in args)))
            if name == "totals_changed":
                # The totals the push would show: read, as the push does, after commit.
                votes = Vote.objects.filter(idea=args[0])
                sent[-1] += (votes.aggregate(n=Sum("dots", default=0))["n"], votes.count())

        return record

    for name in PUSHES:
        monkeypatch.setattr(f"breakouts.live.{name}", recorder(name))
    return sent


def _move(breakout: Breakout, phase: str) -> Breakout:
    """Arrange: put the breakout in ``phase`` and refresh the caller's copy of it."""
    Breakout.objects.filter(pk=breakout.pk).update(phase=phase)
    breakout.refresh_from_db()
    return breakout


def _idea(breakout: Breakout, author: Participant, text: str = "Pool the data", **fields) -> Idea:
    return Idea.objects.create(
        breakout=breakout, author=author, text=text, client_token=uuid.uuid4(), **fields
    )


def _member(breakout: Breakout, name: str, sector: str = "health") -> Participant:
    person = make_participant(breakout.summit, name=name, sector=sector)
    breakout.members.add(person)
    return person


def _dots_of(voter: Participant) -> int:
    return Vote.objects.filter(voter=voter).aggregate(total=Sum("dots", default=0))["total"]


def _post(breakout: Breakout, author: Participant, token: uuid.UUID | None = None, **extra):
    return services.post_idea(
        breakout=breakout,
        author=author,
        text=extra.pop("text", "Share one budget across partners"),
        client_token=token or uuid.uuid4(),
        **extra,
    )


# Phases and timers


def test_set_phase_forwards_through_every_phase_pushes_each_move(
    breakout, pushes, django_capture_on_commit_callbacks
):
    for phase in [Phase.BUILD, Phase.CLUSTER, Phase.VOTE, Phase.AGREE, Phase.CLOSED]:
        with django_capture_on_commit_callbacks(execute=True):
            steering.set_phase(breakout, phase)

        breakout.refresh_from_db()
        assert breakout.phase == phase
        assert breakout.timer_ends_at is None
        assert pushes[-1] == (
            "board_changed",
            breakout.pk,
            f"The group moved to: {Phase(phase).label}",
        )
    assert len(pushes) == 5


@pytest.mark.parametrize(
    ("start", "back_to"),
    [
        (Phase.CLOSED, Phase.AGREE),
        (Phase.CLOSED, Phase.GATHER),
        (Phase.VOTE, Phase.BUILD),
        (Phase.AGREE, Phase.CLUSTER),
    ],
)
def test_set_phase_back_to_any_earlier_phase_is_allowed(
    breakout, pushes, django_capture_on_commit_callbacks, start, back_to
):
    _move(breakout, start)

    with django_capture_on_commit_callbacks(execute=True):
        returned = steering.set_phase(breakout, back_to)

    breakout.refresh_from_db()
    assert breakout.phase == back_to == returned.phase
    assert pushes == [("board_changed", breakout.pk, f"The group moved to: {back_to.label}")]


@pytest.mark.parametrize(
    ("minutes", "clock"), [(1, "1 minute"), (10, "10 minutes"), (180, "180 minutes")]
)
def test_set_phase_with_minutes_starts_the_timer(
    breakout, pushes, django_capture_on_commit_callbacks, minutes, clock
):
    before = timezone.now()

    with django_capture_on_commit_callbacks(execute=True):
        steering.set_phase(breakout, Phase.BUILD, minutes)

    after = timezone.now()
    breakout.refresh_from_db()
    assert breakout.phase == Phase.BUILD
    wanted = dt.timedelta(minutes=minutes)
    assert before + wanted <= breakout.timer_ends_at <= after + wanted
    assert pushes == [
        (
            "board_changed",
            breakout.pk,
            f"The group moved to: Build on ideas, {clock} on the clock",
        )
    ]


def test_set_phase_without_minutes_clears_a_running_timer(
    breakout, pushes, django_capture_on_commit_callbacks
):
    steering.set_phase(breakout, Phase.BUILD, 15)

    with django_capture_on_commit_callbacks(execute=True):
        steering.set_phase(breakout, Phase.CLUSTER)

    breakout.refresh_from_db()
    assert (breakout.phase, breakout.timer_ends_at) == (Phase.CLUSTER, None)
    assert pushes == [("board_changed", breakout.pk, "The group moved to: Cluster")]


@pytest.mark.parametrize("minutes", [0, -5, 181, 1000])
def test_set_phase_timer_out_of_range_is_refused_and_changes_nothing(
    breakout, pushes, django_capture_on_commit_callbacks, minutes
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Refused, match="A timer runs for 1 to 180 minutes"),
    ):
        steering.set_phase(breakout, Phase.BUILD, minutes)

    breakout.refresh_from_db()
    assert (breakout.phase, breakout.timer_ends_at) == (Phase.GATHER, None)
    assert callbacks == []
    assert pushes == []


@pytest.mark.parametrize("phase", ["voting", "", "GATHER", "open"])
def test_set_phase_unknown_phase_is_refused(
    breakout, pushes, django_capture_on_commit_callbacks, phase
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Refused, match="Choose one of the phases listed"),
    ):
        steering.set_phase(breakout, phase)

    breakout.refresh_from_db()
    assert breakout.phase == Phase.GATHER
    assert pushes == []


def test_set_phase_rolled_back_pushes_nothing(breakout, pushes, django_capture_on_commit_callbacks):
    class Interrupted(Exception):
        pass

    def move_then_fail() -> None:
        with transaction.atomic():
            steering.set_phase(breakout, Phase.VOTE, 5)
            raise Interrupted  # a later step of the same request fails

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Interrupted),
    ):
        move_then_fail()

    breakout.refresh_from_db()
    assert (breakout.phase, breakout.timer_ends_at) == (Phase.GATHER, None)
    assert callbacks == []
    assert pushes == []


def test_set_timer_starts_and_stops_the_countdown(
    breakout, pushes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        steering.set_timer(breakout, 7)
    breakout.refresh_from_db()
    started = breakout.timer_ends_at

    with django_capture_on_commit_callbacks(execute=True):
        steering.set_timer(breakout, None)

    breakout.refresh_from_db()
    assert started is not None
    assert breakout.timer_ends_at is None
    assert breakout.phase == Phase.GATHER
    assert pushes == [
        ("board_changed", breakout.pk, "Timer set: 7 minutes"),
        ("board_changed", breakout.pk, "Timer stopped"),
    ]


# Ideas


@pytest.mark.parametrize("phase", [Phase.GATHER, Phase.BUILD])
def test_post_idea_in_gather_or_build_records_the_current_prompt_and_pushes(
    breakout, attendee, pushes, django_capture_on_commit_callbacks, phase
):
    prompt = breakout.summit.prompts.exclude(pk=breakout.current_prompt_id).first()
    steering.set_prompt(breakout, prompt.pk)
    breakout.refresh_from_db()
    _move(breakout, phase)

    with django_capture_on_commit_callbacks(execute=True):
        idea, created = _post(breakout, attendee, text="A shared data charter")

    assert created is True
    stored = Idea.objects.get()
    assert stored == idea
    assert (stored.breakout, stored.author, stored.prompt, stored.text) == (
        breakout,
        attendee,
        prompt,
        "A shared data charter",
    )
    assert stored.status == Idea.Status.VISIBLE
    assert pushes == [("idea_added", idea.pk)]


@pytest.mark.parametrize(
    ("phase", "label"),
    [
        (Phase.CLUSTER, "Cluster"),
        (Phase.VOTE, "Vote"),
        (Phase.AGREE, "Agree outcomes"),
        (Phase.CLOSED, "Closed"),
    ],
)
def test_post_idea_outside_gather_and_build_is_refused_naming_the_phase(
    breakout, attendee, pushes, django_capture_on_commit_callbacks, phase, label
):
    _move(breakout, phase)

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Refused) as refusal,
    ):
        _post(breakout, attendee)

    assert str(refusal.value) == f"The group is not taking new ideas in the “{label}” phase"
    assert not Idea.objects.exists()
    assert pushes == []


def test_post_idea_same_token_twice_makes_one_idea(
    breakout, attendee, pushes, django_capture_on_commit_callbacks
):
    token = uuid.uuid4()
    with django_capture_on_commit_callbacks(execute=True):
        first, first_created = _post(breakout, attendee, token, text="Joint commissioning")

    with django_capture_on_commit_callbacks(execute=True):
        again, again_created = _post(breakout, attendee, token, text="Joint commissioning")

    assert (first_created, again_created) == (True, False)
    assert again == first
    assert list(Idea.objects.values_list("text", flat=True)) == ["Joint commissioning"]
    assert pushes == [("idea_added", first.pk)]


def test_post_idea_retried_after_the_phase_moved_on_gets_the_idea_it_made(
    breakout, attendee, pushes, django_capture_on_commit_callbacks
):
    token = uuid.uuid4()
    with django_capture_on_commit_callbacks(execute=True):
        first, _ = _post(breakout, attendee, token, text="Joint commissioning")
    _move(breakout, Phase.VOTE)

    again, created = _post(breakout, attendee, token, text="Joint commissioning")

    assert (again, created) == (first, False)
    assert Idea.objects.count() == 1
    assert pushes == [("idea_added", first.pk)]


def test_post_idea_typed_by_a_facilitator_twice_makes_one_idea(
    breakout, attendee, facilitator, pushes, django_capture_on_commit_callbacks
):
    token = uuid.uuid4()
    with django_capture_on_commit_callbacks(execute=True):
        first, _ = _post(breakout, attendee, token, added_by=facilitator)
        again, created = _post(breakout, attendee, token, added_by=facilitator)

    assert (again, created) == (first, False)
    assert Idea.objects.get().added_by == facilitator
    assert pushes == [("idea_added", first.pk)]


@pytest.mark.parametrize(("allowed", "stored"), [(True, True), (False, False)])
def test_post_idea_anonymous_only_if_the_summit_allows_it(
    breakout, attendee, summit, allowed, stored
):
    summit.allow_anonymous = allowed
    summit.save(update_fields=["allow_anonymous"])
    breakout.refresh_from_db()

    idea, _ = _post(breakout, attendee, anonymous=True)

    assert Idea.objects.get(pk=idea.pk).anonymous is stored


def test_edit_idea_by_its_author_sets_edited_at_and_pushes(
    breakout, attendee, pushes, django_capture_on_commit_callbacks
):
    idea = _idea(breakout, attendee, "Pool the data")
    before = timezone.now()

    with django_capture_on_commit_callbacks(execute=True):
        services.edit_idea(idea, attendee, "Pool the partners' data")

    idea.refresh_from_db()
    assert idea.text == "Pool the partners' data"
    assert idea.edited_at is not None
    assert idea.edited_at >= before
    assert idea.status == Idea.Status.VISIBLE
    assert pushes == [("idea_changed", idea.pk)]


@pytest.mark.parametrize("who", ["other_attendee", "facilitator", "organiser"])
def test_edit_idea_by_someone_else_is_refused_and_changes_nothing(
    breakout, attendee, facilitator, organiser, pushes, django_capture_on_commit_callbacks, who
):
    idea = _idea(breakout, attendee, "Pool the data")
    someone = {
        "other_attendee": _member(breakout, "Chidi Obi"),
        "facilitator": facilitator,
        "organiser": organiser,
    }[who]

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Refused, match="You can only change ideas you posted yourself"),
    ):
        services.edit_idea(idea, someone, "Something else entirely")

    stored = Idea.objects.get(pk=idea.pk)
    assert (stored.text, stored.edited_at, stored.status) == (
        "Pool the data",
        None,
        Idea.Status.VISIBLE,
    )
    assert pushes == []


@pytest.mark.parametrize("phase", [Phase.CLUSTER, Phase.VOTE, Phase.AGREE, Phase.CLOSED])
def test_edit_idea_outside_gather_and_build_is_refused(
    breakout, attendee, pushes, django_capture_on_commit_callbacks, phase
):
    idea = _idea(breakout, attendee, "Pool the data")
    _move(breakout, phase)

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Refused, match="only be changed while the group is gathering"),
    ):
        services.edit_idea(idea, attendee, "Reworded")

    assert Idea.objects.get(pk=idea.pk).text == "Pool the data"
    assert pushes == []


@pytest.mark.parametrize("status", [Idea.Status.HIDDEN, Idea.Status.WITHDRAWN, Idea.Status.MERGED])
def test_edit_idea_not_on_the_wall_is_refused(
    breakout, attendee, pushes, django_capture_on_commit_callbacks, status
):
    idea = _idea(breakout, attendee, "Pool the data", status=status)

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Refused, match="This idea can no longer be changed"),
    ):
        services.edit_idea(idea, attendee, "Reworded")

    assert Idea.objects.get(pk=idea.pk).text == "Pool the data"
    assert pushes == []


@pytest.mark.parametrize("phase", [Phase.GATHER, Phase.BUILD])
def test_withdraw_idea_by_its_author_marks_it_withdrawn_and_pushes(
    breakout, attendee, pushes, django_capture_on_commit_callbacks, phase
):
    idea = _idea(breakout, attendee)
    _move(breakout, phase)

    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw_idea(idea, attendee)

    assert Idea.objects.get(pk=idea.pk).status == Idea.Status.WITHDRAWN
    assert pushes == [("idea_changed", idea.pk)]


def test_withdraw_idea_by_someone_else_is_refused(
    breakout, attendee, pushes, django_capture_on_commit_callbacks
):
    idea = _idea(breakout, attendee)
    someone = _member(breakout, "Chidi Obi")

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Refused, match="You can only change ideas you posted yourself"),
    ):
        services.withdraw_idea(idea, someone)

    assert Idea.objects.get(pk=idea.pk).status == Idea.Status.VISIBLE
    assert pushes == []


@pytest.mark.parametrize("phase", [Phase.CLUSTER, Phase.VOTE, Phase.AGREE, Phase.CLOSED])
def test_withdraw_idea_outside_gather_and_build_is_refused(
    breakout, attendee, pushes, django_capture_on_commit_callbacks, phase
):
    idea = _idea(breakout, attendee)
    _move(breakout, phase)

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Refused, match="only be changed while the group is gathering"),
    ):
        services.withdraw_idea(idea, attendee)

    assert Idea.objects.get(pk=idea.pk).status == Idea.Status.VISIBLE
    assert pushes == []


@pytest.mark.parametrize("status", [Idea.Status.HIDDEN, Idea.Status.WITHDRAWN, Idea.Status.MERGED])
def test_withdraw_idea_not_on_the_wall_is_refused(breakout, attendee, pushes, status):
    idea = _idea(breakout, attendee, status=status)

    with pytest.raises(Refused, match="This idea can no longer be changed"):
        services.withdraw_idea(idea, attendee)

    assert Idea.objects.get(pk=idea.pk).status == status
    assert pushes == []


# Comments


def _comment(idea: Idea, author: Participant, token: uuid.UUID | None = None, **extra):
    return services.comment(
        idea=idea,
        author=author,
        text=extra.pop("text", "Who would hold the budget?"),
        client_token=token or uuid.uuid4(),
        **extra,
    )


@pytest.mark.parametrize("phase", [Phase.GATHER, Phase.BUILD, Phase.CLUSTER])
def test_comment_in_gather_build_or_cluster_is_added_and_pushed(
    breakout, attendee, pushes, django_capture_on_commit_callbacks, phase
):
    idea = _idea(breakout, attendee)
    other = _member(breakout, "Chidi Obi")
    _move(breakout, phase)

    with django_capture_on_commit_callbacks(execute=True):
        made, created = _comment(idea, other, text="Who would hold the budget?")

    assert created is True
    stored = Comment.objects.get()
    assert stored == made
    assert (stored.idea, stored.author, stored.text) == (idea, other, "Who would hold the budget?")
    assert pushes == [("comment_added", made.pk)]


@pytest.mark.parametrize(
    ("phase", "label"),
    [(Phase.VOTE, "Vote"), (Phase.AGREE, "Agree outcomes"), (Phase.CLOSED, "Closed")],
)
def test_comment_in_vote_agree_or_closed_is_refused_naming_the_phase(
    breakout, attendee, pushes, django_capture_on_commit_callbacks, phase, label
):
    idea = _idea(breakout, attendee)
    _move(breakout, phase)

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Refused) as refusal,
    ):
        _comment(idea, attendee)

    assert str(refusal.value) == f"The group is not taking comments in the “{label}” phase"
    assert not Comment.objects.exists()
    assert pushes == []


@pytest.mark.parametrize("status", [Idea.Status.HIDDEN, Idea.Status.WITHDRAWN, Idea.Status.MERGED])
def test_comment_on_an_idea_off_the_wall_is_refused(
    breakout, attendee, pushes, django_capture_on_commit_callbacks, status
):
    idea = _idea(breakout, attendee, status=status, hidden_reason="Off topic")

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Refused, match="This idea is no longer on the wall"),
    ):
        _comment(idea, attendee)

    assert not Comment.objects.exists()
    assert pushes == []


def test_comment_same_token_twice_makes_one_comment(
    breakout, attendee, pushes, django_capture_on_commit_callbacks
):
    idea = _idea(breakout, attendee)
    token = uuid.uuid4()
    with django_capture_on_commit_callbacks(execute=True):
        first, first_created = _comment(idea, attendee, token)

    with django_capture_on_commit_callbacks(execute=True):
        again, again_created = _comment(idea, attendee, token)

    assert (first_created, again_created) == (True, False)
    assert again == first
    assert Comment.objects.count() == 1
    assert pushes == [("comment_added", first.pk)]


# Dots


@pytest.fixture
def wall(breakout, attendee):
    """Four visible ideas in the breakout, by a member other than the voter."""
    author = _member(breakout, "Priya Shah", "business")
    return [_idea(breakout, author, f"Idea {n}") for n in range(1, 5)]


@pytest.mark.parametrize(
    "phase", [Phase.GATHER, Phase.BUILD, Phase.CLUSTER, Phase.AGREE, Phase.CLOSED]
)
def test_set_dots_outside_the_vote_phase_is_refused(
    breakout, attendee, wall, pushes, django_capture_on_commit_callbacks, phase
):
    _move(breakout, phase)

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Refused, match="Voting is not open"),
    ):
        voting.set_dots(wall[0], attendee, 1)

    assert not Vote.objects.exists()
    assert pushes == []


def test_set_dots_after_the_vote_phase_ends_is_refused(breakout, attendee, wall, pushes):
    _move(breakout, Phase.VOTE)
    voting.set_dots(wall[0], attendee, 2)
    steering.set_phase(breakout, Phase.AGREE)
    breakout.refresh_from_db()

    with pytest.raises(Refused, match="Voting is not open"):
        voting.set_dots(wall[0], attendee, 3)
    with pytest.raises(Refused, match="Voting is not open"):
        voting.set_dots(wall[0], attendee, 0)

    assert list(Vote.objects.values_list("idea", "voter", "dots")) == [(wall[0].pk, attendee.pk, 2)]


def test_set_dots_fourth_dot_on_one_idea_is_refused(
    breakout, attendee, wall, pushes, django_capture_on_commit_callbacks
):
    _move(breakout, Phase.VOTE)
    voting.set_dots(wall[0], attendee, 3)

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Refused, match="You can put at most 3 dots on one idea"),
    ):
        voting.set_dots(wall[0], attendee, 4)

    assert Vote.objects.get().dots == 3
    assert pushes == []


def test_set_dots_sixth_dot_overall_is_refused(breakout, attendee, wall, pushes):
    _move(breakout, Phase.VOTE)
    voting.set_dots(wall[0], attendee, 3)
    voting.set_dots(wall[1], attendee, 2)

    with pytest.raises(Refused) as refusal:
        voting.set_dots(wall[2], attendee, 1)

    assert str(refusal.value) == "You have used all your 5 dots"
    assert _dots_of(attendee) == 5
    assert not Vote.objects.filter(idea=wall[2]).exists()


@pytest.mark.parametrize(
    ("spent", "asked", "message"),
    [
        ([3], 3, "You have only 2 dots left"),
        ([3, 1], 2, "You have only 1 dot left"),
        ([2, 2], 3, "You have only 1 dot left"),
    ],
)
def test_set_dots_beyond_the_budget_says_how_many_are_left(
    breakout, attendee, wall, pushes, spent, asked, message
):
    _move(breakout, Phase.VOTE)
    for idea, dots in zip(wall, spent, strict=False):
        voting.set_dots(idea, attendee, dots)
    target = wall[len(spent)]

    with pytest.raises(Refused) as refusal:
        voting.set_dots(target, attendee, asked)

    assert str(refusal.value) == message
    assert _dots_of(attendee) == sum(spent)
    assert not Vote.objects.filter(idea=target).exists()


def test_set_dots_raising_on_an_idea_counts_the_dots_already_there(
    breakout, attendee, wall, pushes
):
    _move(breakout, Phase.VOTE)
    voting.set_dots(wall[0], attendee, 2)
    voting.set_dots(wall[1], attendee, 2)

    left = voting.set_dots(wall[0], attendee, 3)

    with pytest.raises(Refused, match="You have used all your 5 dots"):
        voting.set_dots(wall[1], attendee, 3)
    assert left == 0
    assert _dots_of(attendee) == 5


def test_set_dots_fewer_dots_are_always_allowed_and_return_dots_left(
    breakout, attendee, wall, pushes, django_capture_on_commit_callbacks
):
    _move(breakout, Phase.VOTE)
    assert voting.set_dots(wall[0], attendee, 3) == 2
    assert voting.set_dots(wall[1], attendee, 2) == 0

    with django_capture_on_commit_callbacks(execute=True):
        left = voting.set_dots(wall[0], attendee, 1)

    assert left == 2
    assert Vote.objects.get(idea=wall[0]).dots == 1
    assert _dots_of(attendee) == 3
    assert pushes == [("totals_changed", wall[0].pk, 1, 1)]


def test_set_dots_same_number_twice_is_a_no_op_the_second_time(
    breakout, attendee, wall, pushes, django_capture_on_commit_callbacks
):
    _move(breakout, Phase.VOTE)
    with django_capture_on_commit_callbacks(execute=True):
        first = voting.set_dots(wall[0], attendee, 2)
    vote = Vote.objects.get()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        second = voting.set_dots(wall[0], attendee, 2)

    assert first == second == 3
    again = Vote.objects.get()
    assert (again.pk, again.dots, again.updated_at) == (vote.pk, 2, vote.updated_at)
    assert callbacks == []
    assert pushes == [("totals_changed", wall[0].pk, 2, 1)]


def test_set_dots_zero_deletes_the_vote(
    breakout, attendee, wall, pushes, django_capture_on_commit_callbacks
):
    _move(breakout, Phase.VOTE)
    voting.set_dots(wall[0], attendee, 2)
    pushes.clear()

    with django_capture_on_commit_callbacks(execute=True):
        left = voting.set_dots(wall[0], attendee, 0)

    assert left == 5
    assert not Vote.objects.exists()
    assert pushes == [("totals_changed", wall[0].pk, 0, 0)]


def test_set_dots_zero_with_no_vote_changes_nothing(breakout, attendee, wall, pushes):
    _move(breakout, Phase.VOTE)

    left = voting.set_dots(wall[0], attendee, 0)

    assert left == 5
    assert not Vote.objects.exists()


def test_set_dots_negative_is_refused(breakout, attendee, wall, pushes):
    _move(breakout, Phase.VOTE)
    voting.set_dots(wall[0], attendee, 2)

    with pytest.raises(Refused, match="Dots cannot go below none"):
        voting.set_dots(wall[0], attendee, -1)

    assert Vote.objects.get().dots == 2


@pytest.mark.parametrize("status", [Idea.Status.HIDDEN, Idea.Status.WITHDRAWN, Idea.Status.MERGED])
def test_set_dots_on_an_idea_off_the_wall_is_refused(
    breakout, attendee, pushes, django_capture_on_commit_callbacks, status
):
    idea = _idea(breakout, _member(breakout, "Priya Shah"), status=status)
    _move(breakout, Phase.VOTE)

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Refused, match="This idea is no longer on the wall"),
    ):
        voting.set_dots(idea, attendee, 1)

    assert not Vote.objects.exists()
    assert pushes == []


def test_set_dots_taken_back_from_an_idea_hidden_during_the_vote(breakout, attendee, wall, pushes):
    _move(breakout, Phase.VOTE)
    voting.set_dots(wall[0], attendee, 3)
    voting.set_dots(wall[1], attendee, 2)
    steering.hide_idea(breakout, wall[0].pk, "Names a member of staff")
    hidden = Idea.objects.get(pk=wall[0].pk)

    # Fewer dots are always allowed: otherwise the 3 dots are stranded on an idea nobody sees.
    left = voting.set_dots(hidden, attendee, 0)

    assert left == 3
    assert list(Vote.objects.filter(voter=attendee).values_list("idea", "dots")) == [
        (wall[1].pk, 2)
    ]
    with pytest.raises(Refused, match="This idea is no longer on the wall"):
        voting.set_dots(hidden, attendee, 1)  # but no new dots go on it


def test_set_dots_pushes_the_idea_total_and_voter_count(
    breakout, attendee, wall, pushes, django_capture_on_commit_callbacks
):
    other = _member(breakout, "Chidi Obi")
    _move(breakout, Phase.VOTE)
    voting.set_dots(wall[1], attendee, 1)  # another idea's dots are not in this total

    with django_capture_on_commit_callbacks(execute=True):
        voting.set_dots(wall[0], attendee, 2)
    with django_capture_on_commit_callbacks(execute=True):
        voting.set_dots(wall[0], other, 3)
    with django_capture_on_commit_callbacks(execute=True):
        voting.set_dots(wall[0], attendee, 1)

    assert pushes == [
        ("totals_changed", wall[0].pk, 2, 1),
        ("totals_changed", wall[0].pk, 5, 2),
        ("totals_changed", wall[0].pk, 4, 2),
    ]


def test_set_voting_rules_custom_budget_binds_the_vote(
    breakout, attendee, wall, pushes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        steering.set_voting_rules(breakout, dot_budget=2, max_dots_per_idea=1, vote_display="live")
    breakout.refresh_from_db()
    _move(breakout, Phase.VOTE)

    with pytest.raises(Refused, match="You can put at most 1 dot on one idea"):
        voting.set_dots(wall[0], attendee, 2)
    assert voting.set_dots(wall[0], attendee, 1) == 1
    assert voting.set_dots(wall[1], attendee, 1) == 0
    with pytest.raises(Refused) as refusal:
        voting.set_dots(wall[2], attendee, 1)

    assert str(refusal.value) == "You have used all your 2 dots"
    assert (breakout.dot_budget, breakout.max_dots_per_idea, breakout.vote_display) == (
        2,
        1,
        Breakout.VoteDisplay.LIVE,
    )
    assert _dots_of(attendee) == 2
    assert pushes[0] == (
        "board_changed",
        breakout.pk,
        "Each person has 2 dots, at most 1 on one idea",
    )


@pytest.mark.parametrize("phase", [Phase.VOTE, Phase.AGREE, Phase.CLOSED])
def test_set_voting_rules_once_voting_has_started_is_refused(
    breakout, pushes, django_capture_on_commit_callbacks, phase
):
    _move(breakout, phase)

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Refused, match="The voting rules are fixed once voting has started"),
    ):
        steering.set_voting_rules(breakout, dot_budget=2, max_dots_per_idea=1, vote_display="live")

    breakout.refresh_from_db()
    assert (breakout.dot_budget, breakout.max_dots_per_idea, breakout.vote_display) == (
        5,
        3,
        Breakout.VoteDisplay.AFTER,
    )
    assert pushes == []


@pytest.mark.parametrize(
    ("budget", "most", "display", "message"),
    [
        (2, 3, "live", "between 1 and the dots each person has"),
        (5, 0, "live", "between 1 and the dots each person has"),
        (0, 1, "live", "Give each person between 1 and 20 dots"),
        (21, 3, "live", "Give each person between 1 and 20 dots"),
        (5, 3, "never", "Choose when vote totals are shown"),
    ],
)
def test_set_voting_rules_out_of_range_is_refused(breakout, pushes, budget, most, display, message):
    with pytest.raises(Refused, match=message):
        steering.set_voting_rules(
            breakout, dot_budget=budget, max_dots_per_idea=most, vote_display=display
        )

    breakout.refresh_from_db()
    assert (breakout.dot_budget, breakout.max_dots_per_idea) == (5, 3)


@pytest.mark.django_db(transaction=True)
def test_set_dots_concurrent_requests_never_exceed_the_budget(breakout, attendee, monkeypatch):
    sent: list[tuple] = []
    monkeypatch.setattr("breakouts.live.totals_changed", lambda idea: sent.append(idea.pk))
    author = _member(breakout, "Priya Shah", "business")
    ideas = [_idea(breakout, author, f"Idea {n}") for n in range(8)]
    _move(breakout, Phase.VOTE)
    start = threading.Barrier(len(ideas))

    def vote(idea: Idea) -> str:
        try:
            start.wait(timeout=10)
            voting.set_dots(idea, attendee, 1)
        except Refused:
            return "refused"
        except OperationalError as error:
            if "locked" not in str(error):
                raise
            return "locked"  # SQLite refusing a second writer: the dot was not placed
        finally:
            connection.close()
        return "placed"

    with ThreadPoolExecutor(max_workers=len(ideas)) as pool:
        results = Counter(pool.map(vote, ideas))

    stored = _dots_of(attendee)
    assert sum(results.values()) == len(ideas)
    assert 1 <= results["placed"] == stored <= 5
    assert Vote.objects.filter(voter=attendee).count() == stored
    assert len(sent) == stored
    if connection.vendor == "postgresql":
        # The voter's row lock queues the requests: exactly the budget gets through.
        assert results == Counter(placed=5, refused=3)


# Merging


def _snapshot() -> tuple:
    """Everything a merge could change."""
    return (
        sorted(Idea.objects.values_list("pk", "status", "merged_into", "cluster")),
        sorted(Vote.objects.values_list("idea", "voter", "dots")),
        sorted(Comment.objects.values_list("pk", "idea")),
        sorted(Outcome.ideas.through.objects.values_list("outcome", "idea")),
        sorted(Breakout.objects.values_list("pk", "spotlight")),
    )


@pytest.fixture
def pair(breakout, attendee):
    """A duplicate (source) and the idea it should fold into (target)."""
    source = _idea(breakout, attendee, "Pool data across partners")
    target = _idea(breakout, _member(breakout, "Priya Shah"), "Share data between partners")
    return source, target


def test_merge_ideas_adds_dots_of_voters_on_both_and_moves_the_rest(
    breakout, pair, pushes, django_capture_on_commit_callbacks
):
    source, target = pair
    voter_a = _member(breakout, "Voter A")
    voter_b = _member(breakout, "Voter B")
    elsewhere = _idea(breakout, voter_a, "Something else")
    Vote.objects.create(idea=source, voter=voter_a, dots=2)
    Vote.objects.create(idea=target, voter=voter_a, dots=1)
    Vote.objects.create(idea=elsewhere, voter=voter_a, dots=1)
    Vote.objects.create(idea=source, voter=voter_b, dots=3)
    totals_before = {voter_a.pk: _dots_of(voter_a), voter_b.pk: _dots_of(voter_b)}

    with django_capture_on_commit_callbacks(execute=True):
        kept = steering.merge_ideas(breakout, source.pk, target.pk)

    assert kept == target
    assert Vote.objects.get(idea=target, voter=voter_a).dots == 3
    assert Vote.objects.get(idea=target, voter=voter_b).dots == 3
    assert Vote.objects.filter(idea=target).aggregate(t=Sum("dots"))["t"] == 6
    assert Vote.objects.filter(idea=target).count() == 2
    assert not Vote.objects.filter(idea=source).exists()
    assert Vote.objects.get(idea=elsewhere).dots == 1
    assert {voter_a.pk: _dots_of(voter_a), voter_b.pk: _dots_of(voter_b)} == totals_before
    source.refresh_from_db()
    assert (source.status, source.merged_into) == (Idea.Status.MERGED, target)
    assert Idea.objects.get(pk=target.pk).status == Idea.Status.VISIBLE
    assert pushes == [
        (
            "board_changed",
            breakout.pk,
            "Two ideas were merged into one: Share data between partners",
        )
    ]


def test_merge_ideas_moves_comments_outcomes_spotlight_and_cluster(breakout, pair, attendee):
    source, target = pair
    cluster = Cluster.objects.create(breakout=breakout, name="Data")
    Idea.objects.filter(pk=source.pk).update(cluster=cluster)
    on_source = Comment.objects.create(
        idea=source, author=attendee, text="Which partners?", client_token=uuid.uuid4()
    )
    on_target = Comment.objects.create(
        idea=target, author=attendee, text="Start with health", client_token=uuid.uuid4()
    )
    outcome = Outcome.objects.create(
        breakout=breakout, proposal="A data pact", who_should_act="ICB"
    )
    outcome.ideas.add(source)
    Breakout.objects.filter(pk=breakout.pk).update(spotlight=source)

    steering.merge_ideas(breakout, source.pk, target.pk)

    assert set(target.comments.values_list("pk", flat=True)) == {on_source.pk, on_target.pk}
    assert not source.comments.exists()
    assert list(outcome.ideas.all()) == [target]  # the outcome now cites the idea that stays
    breakout.refresh_from_db()
    assert breakout.spotlight == target
    source.refresh_from_db()
    target.refresh_from_db()
    assert (source.cluster, target.cluster) == (None, cluster)
    assert (source.status, source.merged_into) == (Idea.Status.MERGED, target)


def test_merge_ideas_outcome_citing_the_source_can_still_be_redrafted(breakout, pair, facilitator):
    source, target = pair
    _move(breakout, Phase.AGREE)
    outcome = _draft(breakout, facilitator, [source])
    steering.merge_ideas(breakout, source.pk, target.pk)
    cited = list(outcome.ideas.all())

    # What the console's redraft form sends back: the ideas the outcome cites now.
    _draft(breakout, facilitator, cited, outcome=outcome, proposal="A data pact, redrafted")

    outcome.refresh_from_db()
    assert outcome.proposal == "A data pact, redrafted"
    assert list(outcome.ideas.all()) == [target]


def test_merge_ideas_target_keeps_its_own_cluster(breakout, pair):
    source, target = pair
    theirs = Cluster.objects.create(breakout=breakout, name="Data")
    ours = Cluster.objects.create(breakout=breakout, name="Money")
    Idea.objects.filter(pk=source.pk).update(cluster=theirs)
    Idea.objects.filter(pk=target.pk).update(cluster=ours)

    steering.merge_ideas(breakout, source.pk, target.pk)

    assert Idea.objects.get(pk=target.pk).cluster == ours
    assert Idea.objects.get(pk=source.pk).cluster is None


def test_merge_ideas_over_the_limit_per_idea_can_only_be_reduced(breakout, pair, attendee):
    source, target = pair
    Vote.objects.create(idea=source, voter=attendee, dots=3)
    Vote.objects.create(idea=target, voter=attendee, dots=2)
    steering.merge_ideas(breakout, source.pk, target.pk)
    _move(breakout, Phase.VOTE)
    target = Idea.objects.get(pk=target.pk)

    with pytest.raises(Refused, match="at most 3"):
        voting.set_dots(target, attendee, 6)  # more than what the merge left there
    assert voting.set_dots(target, attendee, 5) == 0  # setting what is kept changes nothing
    left = voting.set_dots(target, attendee, 4)

    assert left == 1
    assert Vote.objects.get(idea=target, voter=attendee).dots == 4


def _merge_refusal(case: str, breakout, other_breakout, source, target) -> tuple[int, int, str]:
    """Arrange one refused merge: returns (source id, target id, message)."""
    if case == "itself":
        return source.pk, source.pk, "Choose two different ideas to merge"
    if case == "other_breakout":
        theirs = _idea(other_breakout, _member(other_breakout, "Ben Carter"), "Elsewhere")
        return source.pk, theirs.pk, f"There is no idea {theirs.pk} in {breakout.name}"
    if case == "from_other_breakout":
        theirs = _idea(other_breakout, _member(other_breakout, "Ben Carter"), "Elsewhere")
        return theirs.pk, target.pk, f"There is no idea {theirs.pk} in {breakout.name}"
    if case == "missing":
        return source.pk, 999_999, f"There is no idea 999999 in {breakout.name}"
    if case in {"hidden_target", "merged_target", "withdrawn_target"}:
        status = case.removesuffix("_target")
        Idea.objects.filter(pk=target.pk).update(status=status)
        return source.pk, target.pk, f"Idea {target.pk} is not on the wall"
    if case == "hidden_source":
        Idea.objects.filter(pk=source.pk).update(status=Idea.Status.HIDDEN)
        return source.pk, target.pk, f"Idea {source.pk} is not on the wall"
    assert case == "closed"
    _move(breakout, Phase.CLOSED)
    return source.pk, target.pk, "The breakout has closed"


@pytest.mark.parametrize(
    "case",
    [
        "itself",
        "other_breakout",
        "from_other_breakout",
        "missing",
        "hidden_target",
        "merged_target",
        "withdrawn_target",
        "hidden_source",
        "closed",
    ],
)
def test_merge_ideas_refused_changes_nothing(
    breakout,
    other_breakout,
    pair,
    attendee,
    pushes,
    django_capture_on_commit_callbacks,
    case,
):
    source, target = pair
    Vote.objects.create(idea=source, voter=attendee, dots=2)
    Comment.objects.create(idea=source, author=attendee, text="Why?", client_token=uuid.uuid4())
    Breakout.objects.filter(pk=breakout.pk).update(spotlight=source)
    source_id, target_id, message = _merge_refusal(case, breakout, other_breakout, source, target)
    before = _snapshot()

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Refused, match=message),
    ):
        steering.merge_ideas(breakout, source_id, target_id)

    assert _snapshot() == before
    assert pushes == []


# Hiding and restoring


@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_hide_idea_without_a_reason_is_refused(breakout, attendee, pushes, reason):
    idea = _idea(breakout, attendee)

    with pytest.raises(Refused, match="Give a reason for hiding the idea"):
        steering.hide_idea(breakout, idea.pk, reason)

    stored = Idea.objects.get(pk=idea.pk)
    assert (stored.status, stored.hidden_reason) == (Idea.Status.VISIBLE, "")
    assert pushes == []


def test_hide_idea_keeps_the_reason_clears_the_spotlight_and_pushes(
    breakout, attendee, pushes, django_capture_on_commit_callbacks
):
    idea = _idea(breakout, attendee)
    Breakout.objects.filter(pk=breakout.pk).update(spotlight=idea)

    with django_capture_on_commit_callbacks(execute=True):
        steering.hide_idea(breakout, idea.pk, "  Names a member of staff  ")

    stored = Idea.objects.get(pk=idea.pk)
    assert (stored.status, stored.hidden_reason) == (Idea.Status.HIDDEN, "Names a member of staff")
    breakout.refresh_from_db()
    assert breakout.spotlight is None
    assert pushes == [("board_changed", breakout.pk, "An idea was hidden by the facilitator")]


def test_hide_idea_leaves_a_spotlight_on_another_idea(breakout, attendee):
    idea = _idea(breakout, attendee)
    lit = _idea(breakout, attendee, "In the spotlight")
    Breakout.objects.filter(pk=breakout.pk).update(spotlight=lit)

    steering.hide_idea(breakout, idea.pk, "Off topic")

    breakout.refresh_from_db()
    assert breakout.spotlight == lit


@pytest.mark.parametrize("status", [Idea.Status.HIDDEN, Idea.Status.WITHDRAWN, Idea.Status.MERGED])
def test_hide_idea_not_on_the_wall_is_refused(breakout, attendee, pushes, status):
    reason = "First reason" if status == Idea.Status.HIDDEN else ""
    idea = _idea(breakout, attendee, status=status, hidden_reason=reason)

    with pytest.raises(Refused, match="Only an idea on the wall can be hidden"):
        steering.hide_idea(breakout, idea.pk, "Second reason")

    stored = Idea.objects.get(pk=idea.pk)
    assert (stored.status, stored.hidden_reason) == (status, reason)
    assert pushes == []


def test_hide_idea_of_another_breakout_is_refused(breakout, other_breakout, other_member, pushes):
    theirs = _idea(other_breakout, other_member)

    with pytest.raises(Refused, match=f"There is no idea {theirs.pk} in {breakout.name}"):
        steering.hide_idea(breakout, theirs.pk, "Off topic")

    assert Idea.objects.get(pk=theirs.pk).status == Idea.Status.VISIBLE


def test_restore_idea_puts_a_hidden_idea_back(
    breakout, attendee, pushes, django_capture_on_commit_callbacks
):
    idea = _idea(breakout, attendee)
    steering.hide_idea(breakout, idea.pk, "Off topic")

    with django_capture_on_commit_callbacks(execute=True):
        steering.restore_idea(breakout, idea.pk)

    stored = Idea.objects.get(pk=idea.pk)
    assert (stored.status, stored.hidden_reason) == (Idea.Status.VISIBLE, "")
    assert pushes == [("board_changed", breakout.pk, "A hidden idea is back on the wall")]


@pytest.mark.parametrize("status", [Idea.Status.VISIBLE, Idea.Status.WITHDRAWN, Idea.Status.MERGED])
def test_restore_idea_that_is_not_hidden_is_refused(breakout, attendee, pushes, status):
    idea = _idea(breakout, attendee, status=status)

    with pytest.raises(Refused, match="Only a hidden idea can be put back"):
        steering.restore_idea(breakout, idea.pk)

    assert Idea.objects.get(pk=idea.pk).status == status
    assert pushes == []


# Clusters


def test_add_cluster_creates_it_and_pushes(breakout, pushes, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        cluster = steering.add_cluster(breakout, "Money")

    assert list(Cluster.objects.values_list("pk", "breakout", "name")) == [
        (cluster.pk, breakout.pk, "Money")
    ]
    assert pushes == [("board_changed", breakout.pk, "New cluster: Money")]


@pytest.mark.parametrize("again", ["Money", "money", "MONEY"])
def test_add_cluster_duplicate_name_is_refused_whatever_the_case(
    breakout, pushes, django_capture_on_commit_callbacks, again
):
    steering.add_cluster(breakout, "Money")

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Refused, match="There is already a cluster called"),
    ):
        steering.add_cluster(breakout, again)

    assert list(Cluster.objects.values_list("name", flat=True)) == ["Money"]
    assert pushes == []


def test_add_cluster_same_name_in_another_breakout_is_allowed(breakout, other_breakout):
    steering.add_cluster(breakout, "Money")

    steering.add_cluster(other_breakout, "Money")

    assert sorted(Cluster.objects.values_list("breakout", "name")) == sorted(
        [(breakout.pk, "Money"), (other_breakout.pk, "Money")]
    )


def test_rename_cluster_changes_its_name_and_pushes(
    breakout, pushes, django_capture_on_commit_callbacks
):
    cluster = steering.add_cluster(breakout, "Money")
    pushes.clear()

    with django_capture_on_commit_callbacks(execute=True):
        steering.rename_cluster(breakout, cluster.pk, "Pooled budgets")

    assert Cluster.objects.get(pk=cluster.pk).name == "Pooled budgets"
    assert pushes == [("board_changed", breakout.pk, "Cluster renamed: Pooled budgets")]


def test_rename_cluster_of_another_breakout_is_refused(breakout, other_breakout, pushes):
    theirs = steering.add_cluster(other_breakout, "Money")

    with pytest.raises(Refused, match="That cluster is not in this breakout"):
        steering.rename_cluster(breakout, theirs.pk, "Ours now")

    assert Cluster.objects.get(pk=theirs.pk).name == "Money"


def test_remove_cluster_keeps_its_ideas_in_no_cluster(
    breakout, attendee, pushes, django_capture_on_commit_callbacks
):
    cluster = steering.add_cluster(breakout, "Money")
    ideas = [_idea(breakout, attendee, f"Idea {n}", cluster=cluster) for n in range(2)]
    pushes.clear()

    with django_capture_on_commit_callbacks(execute=True):
        steering.remove_cluster(breakout, cluster.pk)

    assert not Cluster.objects.exists()
    assert sorted(Idea.objects.values_list("pk", "status", "cluster")) == sorted(
        (idea.pk, Idea.Status.VISIBLE, None) for idea in ideas
    )
    assert pushes == [
        ("board_changed", breakout.pk, "A cluster was removed; its ideas are still on the wall")
    ]


def test_remove_cluster_of_another_breakout_is_refused(breakout, other_breakout, pushes):
    theirs = steering.add_cluster(other_breakout, "Money")

    with pytest.raises(Refused, match="That cluster is not in this breakout"):
        steering.remove_cluster(breakout, theirs.pk)

    assert Cluster.objects.filter(pk=theirs.pk).exists()


def test_cluster_idea_puts_it_in_a_cluster_and_back_out(
    breakout, attendee, pushes, django_capture_on_commit_callbacks
):
    cluster = steering.add_cluster(breakout, "Money")
    idea = _idea(breakout, attendee)
    pushes.clear()

    with django_capture_on_commit_callbacks(execute=True):
        steering.cluster_idea(breakout, idea.pk, cluster.pk)
    assert Idea.objects.get(pk=idea.pk).cluster == cluster

    with django_capture_on_commit_callbacks(execute=True):
        steering.cluster_idea(breakout, idea.pk, None)

    assert Idea.objects.get(pk=idea.pk).cluster is None
    assert pushes == [("board_changed", breakout.pk, ""), ("board_changed", breakout.pk, "")]


def test_cluster_idea_with_another_breakouts_cluster_is_refused(
    breakout, other_breakout, attendee, pushes, django_capture_on_commit_callbacks
):
    ours = steering.add_cluster(breakout, "Money")
    theirs = steering.add_cluster(other_breakout, "Money")
    idea = _idea(breakout, attendee, cluster=ours)
    pushes.clear()

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Refused, match="That cluster is not in this breakout"),
    ):
        steering.cluster_idea(breakout, idea.pk, theirs.pk)

    assert Idea.objects.get(pk=idea.pk).cluster == ours
    assert pushes == []


def test_cluster_idea_of_another_breakout_is_refused(breakout, other_breakout, other_member):
    ours = steering.add_cluster(breakout, "Money")
    theirs = _idea(other_breakout, other_member)

    with pytest.raises(Refused, match=f"There is no idea {theirs.pk} in {breakout.name}"):
        steering.cluster_idea(breakout, theirs.pk, ours.pk)

    assert Idea.objects.get(pk=theirs.pk).cluster is None


# Spotlight


def test_spotlight_a_visible_idea_then_off(
    breakout, attendee, pushes, django_capture_on_commit_callbacks
):
    idea = _idea(breakout, attendee)

    with django_capture_on_commit_callbacks(execute=True):
        steering.spotlight(breakout, idea.pk)
    breakout.refresh_from_db()
    lit = breakout.spotlight

    with django_capture_on_commit_callbacks(execute=True):
        steering.spotlight(breakout, None)

    breakout.refresh_from_db()
    assert lit == idea
    assert breakout.spotlight is None
    assert pushes == [
        ("board_changed", breakout.pk, "An idea is in the spotlight"),
        ("board_changed", breakout.pk, "Spotlight off"),
    ]


@pytest.mark.parametrize("status", [Idea.Status.HIDDEN, Idea.Status.WITHDRAWN, Idea.Status.MERGED])
def test_spotlight_an_idea_off_the_wall_is_refused(breakout, attendee, pushes, status):
    idea = _idea(breakout, attendee, status=status)

    with pytest.raises(Refused, match="Only an idea on the wall can be in the spotlight"):
        steering.spotlight(breakout, idea.pk)

    breakout.refresh_from_db()
    assert breakout.spotlight is None
    assert pushes == []


def test_spotlight_another_breakouts_idea_is_refused(
    breakout, other_breakout, other_member, pushes
):
    theirs = _idea(other_breakout, other_member)

    with pytest.raises(Refused, match=f"There is no idea {theirs.pk} in {breakout.name}"):
        steering.spotlight(breakout, theirs.pk)

    breakout.refresh_from_db()
    assert breakout.spotlight is None
    assert pushes == []


# A closed breakout


def _steer(action: str, breakout: Breakout, ideas: list[Idea], cluster: Cluster) -> None:
    match action:
        case "hide":
            steering.hide_idea(breakout, ideas[0].pk, "Off topic")
        case "restore":
            steering.restore_idea(breakout, ideas[2].pk)
        case "merge":
            steering.merge_ideas(breakout, ideas[0].pk, ideas[1].pk)
        case "add_cluster":
            steering.add_cluster(breakout, "Governance")
        case "rename_cluster":
            steering.rename_cluster(breakout, cluster.pk, "Pooled budgets")
        case "remove_cluster":
            steering.remove_cluster(breakout, cluster.pk)
        case "cluster_idea":
            steering.cluster_idea(breakout, ideas[0].pk, cluster.pk)


@pytest.mark.parametrize(
    "action",
    [
        "hide",
        "restore",
        "merge",
        "add_cluster",
        "rename_cluster",
        "remove_cluster",
        "cluster_idea",
    ],
)
def test_closed_breakout_refuses_steering_until_moved_back(
    breakout, attendee, pushes, django_capture_on_commit_callbacks, action
):
    ideas = [_idea(breakout, attendee, f"Idea {n}") for n in range(2)]
    ideas.append(_idea(breakout, attendee, "Hidden one", status=Idea.Status.HIDDEN))
    cluster = Cluster.objects.create(breakout=breakout, name="Money")
    _move(breakout, Phase.CLOSED)
    before = (
        sorted(Idea.objects.values_list("pk", "status", "cluster", "merged_into")),
        sorted(Cluster.objects.values_list("pk", "name")),
    )

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Refused, match="The breakout has closed"),
    ):
        _steer(action, breakout, ideas, cluster)

    after = (
        sorted(Idea.objects.values_list("pk", "status", "cluster", "merged_into")),
        sorted(Cluster.objects.values_list("pk", "name")),
    )
    assert after == before
    assert pushes == []

    steering.set_phase(breakout, Phase.AGREE)
    breakout.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        _steer(action, breakout, ideas, cluster)

    changed = (
        sorted(Idea.objects.values_list("pk", "status", "cluster", "merged_into")),
        sorted(Cluster.objects.values_list("pk", "name")),
    )
    assert changed != before
    assert len(pushes) == 1
    assert pushes[0][:2] == ("board_changed", breakout.pk)


# Outcomes


def _draft(breakout: Breakout, by: Participant, ideas: list[Idea], **extra) -> Outcome:
    return voting.save_outcome(
        breakout,
        drafted_by=by,
        proposal=extra.pop("proposal", "Pool a share of each partner's budget"),
        who_should_act=extra.pop("who_should_act", "The council and the ICB"),
        horizon=extra.pop("horizon", Outcome.Horizon.NOW),
        idea_ids=[idea.pk for idea in ideas],
        **extra,
    )


@pytest.mark.parametrize(
    ("phase", "horizon"),
    [(Phase.VOTE, Outcome.Horizon.NOW), (Phase.AGREE, Outcome.Horizon.LONGER)],
)
def test_save_outcome_in_vote_or_agree_drafts_it_citing_its_ideas(
    breakout, facilitator, wall, pushes, django_capture_on_commit_callbacks, phase, horizon
):
    _move(breakout, phase)

    with django_capture_on_commit_callbacks(execute=True):
        outcome = _draft(breakout, facilitator, wall[:2], proposal="A data pact", horizon=horizon)

    stored = Outcome.objects.get()
    assert stored == outcome
    assert (
        stored.breakout,
        stored.drafted_by,
        stored.proposal,
        stored.who_should_act,
        stored.horizon,
    ) == (breakout, facilitator, "A data pact", "The council and the ICB", horizon)
    assert set(stored.ideas.all()) == set(wall[:2])
    assert pushes == [("board_changed", breakout.pk, "Outcome drafted: A data pact")]


@pytest.mark.parametrize("phase", [Phase.GATHER, Phase.BUILD, Phase.CLUSTER, Phase.CLOSED])
def test_save_outcome_outside_vote_and_agree_is_refused(breakout, facilitator, wall, pushes, phase):
    _move(breakout, phase)

    with pytest.raises(Refused, match="Outcomes are drafted in the vote and agree phases"):
        _draft(breakout, facilitator, wall[:1])

    assert not Outcome.objects.exists()
    assert pushes == []


def test_save_outcome_citing_another_breakouts_idea_is_refused(
    breakout, other_breakout, other_member, facilitator, wall, pushes
):
    theirs = _idea(other_breakout, other_member)
    _move(breakout, Phase.AGREE)

    with pytest.raises(Refused, match="only draw on ideas on this group’s wall"):
        _draft(breakout, facilitator, [wall[0], theirs])

    assert not Outcome.objects.exists()
    assert pushes == []


@pytest.mark.parametrize("status", [Idea.Status.HIDDEN, Idea.Status.WITHDRAWN, Idea.Status.MERGED])
def test_save_outcome_citing_an_idea_off_the_wall_is_refused(
    breakout, facilitator, wall, pushes, status
):
    Idea.objects.filter(pk=wall[1].pk).update(status=status)
    _move(breakout, Phase.AGREE)

    with pytest.raises(Refused, match="only draw on ideas on this group’s wall"):
        _draft(breakout, facilitator, wall[:2])

    assert not Outcome.objects.exists()


@pytest.mark.parametrize("horizon", ["", "soon", "NOW"])
def test_save_outcome_unknown_horizon_is_refused(breakout, facilitator, wall, horizon):
    _move(breakout, Phase.AGREE)

    with pytest.raises(Refused, match="Choose now or longer term"):
        _draft(breakout, facilitator, wall[:1], horizon=horizon)

    assert not Outcome.objects.exists()


def test_save_outcome_redraft_replaces_its_text_and_ideas(
    breakout, facilitator, wall, pushes, django_capture_on_commit_callbacks
):
    _move(breakout, Phase.AGREE)
    outcome = _draft(breakout, facilitator, wall[:2])

    with django_capture_on_commit_callbacks(execute=True):
        redrafted = _draft(
            breakout,
            facilitator,
            [wall[2]],
            outcome=outcome,
            proposal="Pool budgets from April",
            who_should_act="The place board",
            horizon=Outcome.Horizon.LONGER,
        )

    stored = Outcome.objects.get()
    assert stored.pk == outcome.pk == redrafted.pk
    assert (stored.proposal, stored.who_should_act, stored.horizon) == (
        "Pool budgets from April",
        "The place board",
        Outcome.Horizon.LONGER,
    )
    assert list(stored.ideas.all()) == [wall[2]]
    assert pushes[-1] == ("board_changed", breakout.pk, "Outcome drafted: Pool budgets from April")


def test_save_outcome_redrafting_another_breakouts_outcome_is_refused(
    breakout, other_breakout, facilitator, wall
):
    theirs = Outcome.objects.create(
        breakout=other_breakout, proposal="Their pact", who_should_act="Them"
    )
    _move(breakout, Phase.AGREE)

    with pytest.raises(Refused, match="That outcome belongs to another group"):
        _draft(breakout, facilitator, wall[:1], outcome=theirs, proposal="Taken over")

    theirs.refresh_from_db()
    assert (theirs.breakout, theirs.proposal) == (other_breakout, "Their pact")
    assert not theirs.ideas.exists()


def test_delete_outcome_removes_it_and_pushes(
    breakout, facilitator, wall, pushes, django_capture_on_commit_callbacks
):
    _move(breakout, Phase.AGREE)
    outcome = _draft(breakout, facilitator, wall[:2])
    pushes.clear()

    with django_capture_on_commit_callbacks(execute=True):
        voting.delete_outcome(breakout, outcome.pk)

    assert not Outcome.objects.exists()
    assert Idea.objects.filter(pk__in=[i.pk for i in wall[:2]]).count() == 2
    assert pushes == [("board_changed", breakout.pk, "An outcome was withdrawn")]


def test_delete_outcome_of_another_breakout_is_refused(breakout, other_breakout, pushes):
    theirs = Outcome.objects.create(
        breakout=other_breakout, proposal="Their pact", who_should_act="Them"
    )
    _move(breakout, Phase.AGREE)

    with pytest.raises(Refused, match="That outcome is not in this breakout"):
        voting.delete_outcome(breakout, theirs.pk)

    assert Outcome.objects.filter(pk=theirs.pk).exists()
    assert pushes == []


@pytest.fixture
def drafted(breakout, facilitator, wall):
    _move(breakout, Phase.AGREE)
    return _draft(breakout, facilitator, wall[:1])


@pytest.mark.parametrize("level", [1, 2, 3, 4, 5])
def test_rate_outcome_in_agree_records_the_level_and_pushes(
    breakout, attendee, drafted, pushes, django_capture_on_commit_callbacks, level
):
    pushes.clear()

    with django_capture_on_commit_callbacks(execute=True):
        rating = voting.rate_outcome(drafted, attendee, level)

    assert list(Rating.objects.values_list("pk", "outcome", "rater", "level")) == [
        (rating.pk, drafted.pk, attendee.pk, level)
    ]
    assert pushes == [("board_changed", breakout.pk, "")]


def test_rate_outcome_again_updates_the_rating(breakout, attendee, drafted):
    first = voting.rate_outcome(drafted, attendee, Agreement.BLOCK)

    second = voting.rate_outcome(drafted, attendee, Agreement.STAND_ASIDE)

    assert second.pk == first.pk
    assert list(Rating.objects.values_list("rater", "level")) == [(attendee.pk, 3)]


@pytest.mark.parametrize("level", [0, 6, -1])
def test_rate_outcome_level_outside_one_to_five_is_refused(attendee, drafted, level):
    with pytest.raises(Refused, match="Choose one of the levels of agreement listed"):
        voting.rate_outcome(drafted, attendee, level)

    assert not Rating.objects.exists()


@pytest.mark.parametrize("phase", [Phase.VOTE, Phase.CLOSED, Phase.GATHER])
def test_rate_outcome_outside_agree_is_refused(breakout, attendee, drafted, pushes, phase):
    voting.rate_outcome(drafted, attendee, Agreement.FULL)
    _move(breakout, phase)
    drafted.refresh_from_db()
    pushes.clear()

    with pytest.raises(Refused, match="Outcomes are rated in the agree phase"):
        voting.rate_outcome(drafted, attendee, Agreement.BLOCK)

    assert list(Rating.objects.values_list("level", flat=True)) == [Agreement.FULL]
    assert pushes == []


# Forming groups


def _people(summit, counts: dict[str, int]) -> list[Participant]:
    return [
        make_participant(summit, name=f"{sector} {n}", sector=sector)
        for sector, count in counts.items()
        for n in range(count)
    ]


def _groups(breakouts: list[Breakout]) -> dict[int, list[Participant]]:
    return {b.pk: list(Breakout.objects.get(pk=b.pk).members.all()) for b in breakouts}


def test_mix_everyone_nine_people_of_three_sectors_puts_one_of_each_in_every_breakout(
    summit, breakouts, pushes, django_capture_on_commit_callbacks
):
    people = _people(summit, {"local_government": 3, "health": 3, "voluntary": 3})
    for person in people:  # everyone starts in the first group
        breakouts[0].members.add(person)
    facilitator = make_participant(summit, Participant.Role.FACILITATOR, name="Farah Hussain")
    breakouts[0].facilitators.add(facilitator)
    organiser = make_participant(summit, Participant.Role.ORGANISER, name="Olivia Okafor")

    with django_capture_on_commit_callbacks(execute=True):
        returned = services.mix_everyone(summit)

    groups = _groups(breakouts)
    assert {pk: sorted(p.pk for p in people) for pk, people in returned.items()} == {
        pk: sorted(p.pk for p in people) for pk, people in groups.items()
    }
    for members in groups.values():
        assert sorted(p.sector for p in members) == sorted(
            ["local_government", "health", "voluntary"]
        )
    assert sorted(p.pk for members in groups.values() for p in members) == sorted(
        p.pk for p in people
    )
    assert list(facilitator.facilitated_breakouts.all()) == [breakouts[0]]
    assert not facilitator.breakouts.exists()
    assert not organiser.breakouts.exists()
    assert sorted(pushes) == sorted(
        ("board_changed", b.pk, "Groups have been mixed again") for b in breakouts
    )


@pytest.mark.parametrize(
    "counts",
    [
        {"local_government": 4, "health": 3, "voluntary": 2, "faith": 1},
        {"health": 5, "business": 2},
        {"local_government": 2, "health": 2, "resident": 1, "academia": 1},
        {"resident": 7, "voluntary": 4, "national_government": 2},
    ],
)
def test_mix_everyone_uneven_numbers_keeps_sizes_and_sectors_balanced(summit, breakouts, counts):
    people = _people(summit, counts)

    services.mix_everyone(summit)

    groups = _groups(breakouts)
    sizes = [len(members) for members in groups.values()]
    assert sum(sizes) == len(people)
    assert max(sizes) - min(sizes) <= 1
    for sector in counts:
        per_group = [sum(p.sector == sector for p in members) for members in groups.values()]
        assert not (max(per_group) >= 2 and min(per_group) == 0), (sector, per_group)
        assert max(per_group) - min(per_group) <= 1, (sector, per_group)


def test_mix_everyone_puts_nobody_in_a_closed_breakout(summit, breakouts):
    closed = _move(breakouts[2], Phase.CLOSED)
    people = _people(summit, {"health": 2, "business": 2})
    closed.members.add(people[0])

    groups = services.mix_everyone(summit)

    assert not closed.members.exists()
    assert closed.pk not in groups
    assert sorted(len(m) for m in _groups(breakouts[:2]).values()) == [2, 2]
    assert all(p.breakouts.count() == 1 for p in people)


def test_a_group_on_a_retired_subtheme_takes_nobody_new(summit, breakouts):
    retired = breakouts[2]
    type(retired.subtheme).objects.filter(pk=retired.subtheme_id).update(retired_at=timezone.now())
    people = _people(summit, {"health": 3, "business": 3})

    placed = [services.place_new_member(person) for person in people]
    groups = services.mix_everyone(summit)

    assert retired not in placed
    assert retired.pk not in groups
    assert not retired.members.exists()
    assert sorted(len(m) for m in _groups(breakouts[:2]).values()) == [3, 3]


def test_mix_everyone_with_every_breakout_closed_is_refused(summit, breakouts):
    person = _people(summit, {"health": 1})[0]
    breakouts[0].members.add(person)
    for breakout in breakouts:
        _move(breakout, Phase.CLOSED)

    with pytest.raises(Refused, match="There is no open breakout"):
        services.mix_everyone(summit)

    assert list(person.breakouts.all()) == [breakouts[0]]


def test_choose_breakout_is_refused_unless_the_summit_lets_attendees_choose(
    attendee, breakout, other_breakout
):
    with pytest.raises(Refused, match="Your organisers place people in groups"):
        services.choose_breakout(attendee, other_breakout)

    assert list(attendee.breakouts.all()) == [breakout]


def test_choose_breakout_moves_the_attendee_to_that_breakout_only(
    summit, attendee, breakout, other_breakout
):
    summit.attendees_choose_breakout = True
    summit.save(update_fields=["attendees_choose_breakout"])
    other_breakout.refresh_from_db()

    services.choose_breakout(attendee, other_breakout)

    assert list(attendee.breakouts.all()) == [other_breakout]
    assert not breakout.members.filter(pk=attendee.pk).exists()


def test_choose_breakout_closed_breakout_is_refused(summit, attendee, breakout, other_breakout):
    summit.attendees_choose_breakout = True
    summit.save(update_fields=["attendees_choose_breakout"])
    _move(other_breakout, Phase.CLOSED)

    with pytest.raises(Refused, match="has finished"):
        services.choose_breakout(attendee, other_breakout)

    assert list(attendee.breakouts.all()) == [breakout]


@pytest.mark.parametrize("who", ["facilitator", "organiser", "outsider"])
def test_choose_breakout_by_anyone_but_an_attendee_of_the_summit_is_refused(
    summit, facilitator, organiser, outsider, breakout, other_breakout, who
):
    summit.attendees_choose_breakout = True
    summit.save(update_fields=["attendees_choose_breakout"])
    other_breakout.refresh_from_db()
    person = {"facilitator": facilitator, "organiser": organiser, "outsider": outsider}[who]
    before = (list(person.breakouts.all()), list(person.facilitated_breakouts.all()))

    with pytest.raises(Refused, match="Only attendees of this summit can choose its groups"):
        services.choose_breakout(person, other_breakout)

    assert (list(person.breakouts.all()), list(person.facilitated_breakouts.all())) == before


def test_add_breakout_makes_a_second_group_on_a_subtheme(breakout):
    subtheme = breakout.subtheme

    second = services.add_breakout(subtheme, "Narratives (room 2)")

    assert sorted(Breakout.objects.filter(subtheme=subtheme).values_list("pk", flat=True)) == (
        sorted([breakout.pk, second.pk])
    )
    second.refresh_from_db()
    assert (second.summit, second.name, second.phase) == (
        breakout.summit,
        "Narratives (room 2)",
        Phase.GATHER,
    )
    assert second.current_prompt == subtheme.prompts.first()
    assert second.screen_key != breakout.screen_key


def test_add_breakout_duplicate_name_is_refused_whatever_the_case(breakouts):
    subtheme = breakouts[1].subtheme
    count = Breakout.objects.count()

    with pytest.raises(Refused, match="There is already a breakout called"):
        services.add_breakout(subtheme, breakouts[0].name.upper())

    assert Breakout.objects.count() == count


@pytest.mark.django_db(transaction=True)
def test_merge_ideas_two_facilitators_at_once_leave_consistent_data(
    breakout, attendee, facilitator, monkeypatch
):
    monkeypatch.setattr("breakouts.live.board_changed", lambda *args: None)
    author = _member(breakout, "Priya Shah", "business")
    first, second = _idea(breakout, author, "Pool budgets"), _idea(breakout, author, "Pool money")
    _move(breakout, Phase.VOTE)
    voting.set_dots(first, attendee, 2)
    voting.set_dots(second, attendee, 3)
    start = threading.Barrier(2)

    def merge(source: Idea, target: Idea) -> str:
        try:
            start.wait(timeout=10)
            steering.merge_ideas(breakout, source.pk, target.pk)
        except Refused:
            return "refused"
        finally:
            connection.close()
        return "merged"

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = Counter(pool.map(merge, [first, second], [second, first]))

    assert results == Counter(merged=1, refused=1)
    survivors = Idea.objects.filter(status=Idea.Status.VISIBLE)
    assert survivors.count() == 1
    assert Idea.objects.get(status=Idea.Status.MERGED).merged_into == survivors.get()
    assert list(Vote.objects.values_list("idea", "dots")) == [(survivors.get().pk, 5)]
