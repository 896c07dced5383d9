"""Who may use a breakout, read in one query written out once: what it gives back is what the
models hold, and what the same question asked of the ORM answers, field by field.

The query is written out rather than built by the ORM on each request because building it cost
about 3.6 ms of a worker's CPU a call, against 0.25 ms for running the written one: a third of
what a post costs the workers in the breakout day (bench/README.md, "Who may use a breakout")."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, FilteredRelation, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from breakouts.access import BreakoutAccess, get_breakout_for
from breakouts.models import Breakout
from tests.conftest import make_participant


def test_the_breakout_comes_with_its_summit_subtheme_and_prompt_read_as_django_would(
    breakout, attendee, django_assert_num_queries
):
    prompt = breakout.summit.prompts.order_by("order").first()
    ends = timezone.now() + dt.timedelta(minutes=5)
    Breakout.objects.filter(pk=breakout.pk).update(current_prompt=prompt, timer_ends_at=ends)
    expected = Breakout.objects.select_related("summit", "subtheme", "current_prompt").get(
        pk=breakout.pk
    )

    with django_assert_num_queries(1):
        access = get_breakout_for(attendee.user, breakout.pk)
        got = access.breakout
        # All of it read in that one query.
        related = (got.summit, got.subtheme, got.current_prompt)
    assert related == (expected.summit, expected.subtheme, prompt)
    assert got.timer_ends_at == ends  # a date, even from SQLite's text
    assert isinstance(got.summit.created_at, dt.datetime)
    for model in (got, *related):
        original = type(model).objects.get(pk=model.pk)
        for field in type(model)._meta.concrete_fields:
            assert getattr(model, field.attname) == getattr(original, field.attname)
    assert access.participant == attendee
    assert access.participant.user_id == attendee.user_id
    assert access.participant.belongs is True
    assert access.participant.facilitates is False
    assert access.can_facilitate is False
    assert got._state.db == "default"
    assert not got._state.adding


def test_a_breakout_without_a_prompt_has_none(breakout, attendee, django_assert_num_queries):
    Breakout.objects.filter(pk=breakout.pk).update(current_prompt=None)

    with django_assert_num_queries(1):
        assert get_breakout_for(attendee.user, breakout.pk).breakout.current_prompt is None


def test_the_facilitator_is_told_apart(breakout, facilitator, organiser):
    access = get_breakout_for(facilitator.user, breakout.pk, facilitate=True)
    assert access.can_facilitate
    assert access.participant.facilitates
    assert not access.participant.belongs

    assert get_breakout_for(organiser.user, breakout.pk, facilitate=True).can_facilitate


def test_a_removed_participant_is_not_found(breakout, attendee):
    attendee.removed_at = timezone.now()
    attendee.save(update_fields=["removed_at"])

    with pytest.raises(Http404):
        get_breakout_for(attendee.user, breakout.pk)


def test_another_groups_member_is_refused(breakout, other_member):
    with pytest.raises(PermissionDenied):
        get_breakout_for(other_member.user, breakout.pk)


@pytest.mark.parametrize("breakout_id", [0, -1, 2**63, 10**30])
def test_an_id_no_row_can_have_is_not_found(attendee, breakout_id):
    with pytest.raises(Http404):
        get_breakout_for(attendee.user, breakout_id)


def test_a_breakout_of_another_summit_is_not_found(breakout, outsider):
    with pytest.raises(Http404):
        get_breakout_for(outsider.user, breakout.pk)


def orm_breakout_for(user, breakout_id: int, *, facilitate: bool = False) -> BreakoutAccess:
    """The same question asked of the ORM in one query: the breakout with its summit, subtheme
    and prompt, the asker's active participant in its summit as a filtered relation, and
    whether they facilitate and belong to the breakout."""
    if not user.is_authenticated:
        raise PermissionDenied
    if not 0 < breakout_id < 2**63:
        raise Http404
    in_breakout = {"breakout_id": OuterRef("pk"), "participant_id": OuterRef("asker__pk")}
    asker = Q(summit__participants__user=user.pk, summit__participants__removed_at=None)
    try:
        breakout = (
            Breakout.objects.annotate(
                asker=FilteredRelation("summit__participants", condition=asker),
                facilitates=Exists(Breakout.facilitators.through.objects.filter(**in_breakout)),
                belongs=Exists(Breakout.members.through.objects.filter(**in_breakout)),
            )
            .select_related("summit", "subtheme", "current_prompt", "asker")
            .get(pk=breakout_id)
        )
    except Breakout.DoesNotExist:
        raise Http404 from None
    participant = getattr(breakout, "asker", None)
    if participant is None:
        raise Http404
    participant.facilitates, participant.belongs = breakout.facilitates, breakout.belongs
    can_facilitate = participant.is_organiser or participant.facilitates
    if (facilitate and not can_facilitate) or not (can_facilitate or participant.belongs):
        raise PermissionDenied
    return BreakoutAccess(breakout, participant, can_facilitate)


def _answer(ask, user, breakout_id: int, facilitate: bool):
    """What ``ask`` answers, as plain values: every field of everything it read, or the kind
    of refusal."""
    try:
        access = ask(user, breakout_id, facilitate=facilitate)
    except (Http404, PermissionDenied) as refusal:
        return type(refusal).__name__
    read = [access.breakout, access.breakout.summit, access.breakout.subtheme]
    read += [access.breakout.current_prompt, access.participant]
    fields = [
        (type(model).__name__, field.attname, getattr(model, field.attname))
        for model in read
        if model is not None
        for field in type(model)._meta.concrete_fields
    ]
    person = access.participant
    return fields, person.facilitates, person.belongs, access.can_facilitate


@pytest.mark.parametrize("facilitate", [False, True])
def test_the_query_written_out_answers_as_the_orm_does_for_everyone(
    breakout, other_breakout, attendee, facilitator, organiser, other_member, outsider, facilitate
):
    prompt = breakout.summit.prompts.order_by("order").first()
    ends = timezone.now() + dt.timedelta(minutes=5)
    Breakout.objects.filter(pk=breakout.pk).update(current_prompt=prompt, timer_ends_at=ends)
    removed = make_participant(breakout.summit, name="Removed Person")
    breakout.members.add(removed)
    removed.removed_at = timezone.now()
    removed.save(update_fields=["removed_at"])
    people = [attendee, facilitator, organiser, other_member, outsider, removed]

    for person in people:
        for breakout_id in (breakout.pk, other_breakout.pk, 0, 10**6):
            written = _answer(get_breakout_for, person.user, breakout_id, facilitate)
            asked = _answer(orm_breakout_for, person.user, breakout_id, facilitate)
            assert written == asked, (person.name, breakout_id)
    # Both kinds of answer were compared, not only refusals.
    assert not isinstance(_answer(get_breakout_for, organiser.user, breakout.pk, facilitate), str)
