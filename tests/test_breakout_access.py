"""Who may use a breakout, read in one query: what it gives back is what the models hold."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from breakouts.access import get_breakout_for
from breakouts.models import Breakout


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
