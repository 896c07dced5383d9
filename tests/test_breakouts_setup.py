"""Organisers setting up breakout groups, and attendees choosing one where allowed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Participant
from breakouts.models import Breakout
from tests.conftest import client_for, make_participant


def test_setup_page_lists_groups_with_sector_spread(breakouts, attendee, facilitator, organiser):
    html = client_for(organiser).get(reverse("breakouts_setup", args=["place-summit"]))

    page = html.content.decode()
    assert html.status_code == 200
    for breakout in breakouts:
        assert breakout.name in page
    assert "1 Local government" in page
    assert "Farah Hussain" in page


def test_setup_adds_a_second_group_on_a_subtheme(breakouts, organiser):
    subtheme = breakouts[0].subtheme

    response = client_for(organiser).post(
        reverse("breakouts_setup", args=["place-summit"]),
        {"subtheme": subtheme.pk, "name": "Narratives (second room)"},
        follow=True,
    )

    assert "Added the breakout Narratives (second room)" in response.content.decode()
    assert Breakout.objects.filter(subtheme=subtheme).count() == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "Narratives"}, "There is already a breakout called"),
        ({"name": ""}, "Enter a name for the group"),
    ],
)
def test_setup_refuses_a_bad_group_and_keeps_the_input(breakouts, organiser, data, message):
    response = client_for(organiser).post(
        reverse("breakouts_setup", args=["place-summit"]),
        {"subtheme": breakouts[0].subtheme.pk, **data},
    )

    assert response.status_code == 422
    assert message in response.content.decode()
    assert Breakout.objects.count() == 3


def test_mix_shares_everyone_out_by_sector(summit, breakouts, organiser):
    sectors = ["health", "faith", "business"]
    people = [make_participant(summit, sector=s) for s in sectors for _ in range(3)]
    for person in people:
        breakouts[0].members.add(person)

    response = client_for(organiser).post(reverse("mix_breakouts", args=[summit.slug]))

    assert response.status_code == 302
    for breakout in breakouts:
        assert sorted(m.sector for m in breakout.members.all()) == sorted(sectors)


def test_attendees_choose_only_when_allowed(summit, breakout, other_breakout, attendee, organiser):
    choose = reverse("breakouts:choose", args=[other_breakout.pk])
    client = client_for(attendee)

    refused = client.post(choose, follow=True)
    assert "Your organisers place people in groups" in refused.content.decode()
    assert list(attendee.breakouts.all()) == [breakout]

    client_for(organiser).post(reverse("breakout_choice", args=[summit.slug]), {"choose": "on"})
    home = client.get(reverse("summit_home", args=[summit.slug])).content.decode()
    assert f"Move to {other_breakout.name}" in home

    moved = client.post(choose, follow=True)
    assert f"You are now in {other_breakout.name}" in moved.content.decode()
    assert list(attendee.breakouts.all()) == [other_breakout]


def test_facilitators_cannot_choose_a_group(summit, other_breakout, facilitator):
    summit.attendees_choose_breakout = True
    summit.save()

    client_for(facilitator).post(reverse("breakouts:choose", args=[other_breakout.pk]))

    assert not other_breakout.members.filter(pk=facilitator.pk).exists()
    assert facilitator.role == Participant.Role.FACILITATOR
