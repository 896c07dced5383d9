"""Organisers setting up breakout groups, and attendees choosing one where allowed."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry, Participant
from breakouts import live
from breakouts.models import Breakout, Idea, Outcome
from summit.event.models import Subtheme, Summit
from summit.event.refusals import Refused
from summit.organise import groups
from tests.conftest import client_for, in_english, make_participant

OTHER = "Other sectors together (no sector of fewer than 5 people is shown alone)"

# The set-up page's queries, however many groups and people.
QUERIES = 12  # with the summit's sector names, read once, and the preferences honoured


def test_setup_page_lists_groups_with_sector_spread(breakouts, attendee, facilitator, organiser):
    html = client_for(organiser).get(reverse("breakouts_setup", args=["place-summit"]))

    page = html.content.decode()
    assert html.status_code == 200
    for breakout in breakouts:
        assert breakout.name in page
    # One member (Aisha, local government): too few to show by sector, or to count at all.
    assert f"<strong>1</strong>: fewer than 5 {OTHER}</td>" in page
    assert "1 Local government" not in page
    assert "Farah Hussain" in page


def test_setup_page_is_read_by_facilitators_without_a_form(breakouts, facilitator):
    client = client_for(facilitator)
    url = reverse("breakouts_setup", args=["place-summit"])

    response = client.get(url)
    refused = client.post(url, {"subtheme": breakouts[0].subtheme_id, "name": "Theirs"})

    page = response.content.decode()
    assert response.status_code == 200
    for breakout in breakouts:
        assert breakout.name in page
    assert "<form" not in page.split('id="main"')[-1]
    assert "Only organisers change them" in page
    assert refused.status_code == 403
    assert not Breakout.objects.filter(name="Theirs").exists()


def test_setup_page_shows_no_sector_of_fewer_than_five_members_on_its_own(breakouts, organiser):
    group = breakouts[0]
    group.members.add(*(make_participant(group.summit, sector="health") for _ in range(6)))
    group.members.add(*(make_participant(group.summit, sector="faith") for _ in range(4)))
    url = reverse("breakouts_setup", args=["place-summit"])

    page = client_for(organiser).get(url).content.decode()

    # Faith's four are not shown on their own, nor health's six: ten less six would say four.
    assert f"<strong>10</strong>: 10 {OTHER}</td>" in page
    assert "6 Health and care (NHS)" not in page

    group.members.add(make_participant(group.summit, sector="faith"))
    page = client_for(organiser).get(url).content.decode()

    assert "<strong>11</strong>: 5 Faith, 6 Health and care (NHS)</td>" in page

    # One of business, alone: the smallest sector shown, faith, joins it to make six.
    group.members.add(make_participant(group.summit, sector="business"))
    page = client_for(organiser).get(url).content.decode()

    assert f"<strong>12</strong>: 6 Health and care (NHS), 6 {OTHER}</td>" in page
    assert "5 Faith" not in page


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


# How many groups on each subtheme, their names and facilitators


def _setup(client, slug: str = "place-summit"):
    return client.get(reverse("breakouts_setup", args=[slug]))


def _count(client, subtheme, groups) -> object:
    url = reverse("set_group_count", args=[subtheme.summit.slug, subtheme.pk])
    return client.post(url, {"groups": groups}, follow=True)


def _names(subtheme) -> list[str]:
    return list(subtheme.breakouts.order_by("pk").values_list("name", flat=True))


@pytest.fixture
def pushed(monkeypatch) -> list[tuple]:
    """What the set-up's changes push after commit, with the breakout or person by id (the
    tests run each change inside ``django_capture_on_commit_callbacks(execute=True)``)."""
    sent: list[tuple] = []
    for name in ("board_changed", "breakout_renamed", "breakout_removed"):
        monkeypatch.setattr(
            f"breakouts.live.{name}",
            lambda *args, name=name: sent.append((name, *(getattr(a, "pk", a) for a in args))),
        )
    monkeypatch.setattr(groups, "close_screens", lambda pk: sent.append(("close_screens", pk)))
    return sent


def _entries() -> list[tuple]:
    return list(AuditEntry.objects.order_by("pk").values_list("action", "place", "detail"))


def test_group_count_adds_numbered_groups_with_the_summits_dot_budget(summit, breakouts, organiser):
    Summit.objects.filter(pk=summit.pk).update(dot_budget=2)
    subtheme = breakouts[0].subtheme

    response = _count(client_for(organiser), subtheme, "3")

    page = response.content.decode()
    assert "Added 2 groups on Narratives: Narratives 2, Narratives 3." in page
    assert _names(subtheme) == ["Narratives", "Narratives 2", "Narratives 3"]
    for made in subtheme.breakouts.exclude(pk=breakouts[0].pk):
        assert (made.dot_budget, made.max_dots_per_idea) == (2, 2)
        assert made.current_prompt == subtheme.prompts.first()
        assert made.name in page
    assert _entries() == [
        (
            "Set the number of groups on a subtheme",
            "Narratives",
            {"groups": 3, "added": "Narratives 2, Narratives 3", "removed": "", "kept": ""},
        )
    ]


def test_group_count_names_skip_a_name_the_summit_has(summit, breakouts, organiser):
    subtheme = breakouts[0].subtheme
    Breakout.objects.filter(pk=breakouts[1].pk).update(name="narratives 2")

    _count(client_for(organiser), subtheme, "2")

    assert _names(subtheme) == ["Narratives", "Narratives 3"]


def test_group_count_fills_the_gap_a_removed_group_left(summit, breakouts, organiser):
    subtheme = breakouts[0].subtheme
    client = client_for(organiser)
    _count(client, subtheme, "3")
    second = subtheme.breakouts.get(name="Narratives 2")
    client.post(reverse("remove_breakout", args=[summit.slug, second.pk]))

    _count(client, subtheme, "3")

    assert sorted(_names(subtheme)) == ["Narratives", "Narratives 2", "Narratives 3"]


def test_group_count_on_a_subtheme_without_groups_numbers_from_one(summit, organiser):
    subtheme = summit.subthemes.first()

    _count(client_for(organiser), subtheme, "2")

    assert _names(subtheme) == ["Narratives 1", "Narratives 2"]


def test_group_count_fewer_removes_the_newest_empty_groups_and_keeps_busy_ones(
    summit, breakouts, organiser, pushed, django_capture_on_commit_callbacks
):
    subtheme = breakouts[0].subtheme
    client = client_for(organiser)
    _count(client, subtheme, "5")
    second, third, fourth, fifth = subtheme.breakouts.order_by("pk")[1:]
    fifth.members.add(make_participant(summit))
    Idea.objects.create(
        breakout=fourth, author=organiser, text="Pool budgets", client_token=uuid.uuid4()
    )
    pushed.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = _count(client, subtheme, "3")

    page = response.content.decode()
    assert _names(subtheme) == ["Narratives", "Narratives 4", "Narratives 5"]
    assert "Removed 2 groups on Narratives: Narratives 3, Narratives 2." in page
    assert "Kept Narratives 5 (1 member); Narratives 4 (1 idea)" in page
    assert "Narratives has 3 groups" in page
    assert pushed == [("breakout_removed", third.pk), ("breakout_removed", second.pk)]
    assert _entries()[-1][2] == {
        "groups": 3,
        "added": "",
        "removed": "Narratives 3, Narratives 2",
        "kept": "Narratives 5, Narratives 4",
    }


def test_group_count_keeps_a_group_with_a_facilitator_or_an_outcome(
    summit, breakouts, organiser, facilitator
):
    subtheme = breakouts[0].subtheme  # the facilitator's
    client = client_for(organiser)
    _count(client, subtheme, "2")
    newest = subtheme.breakouts.latest("pk")
    Outcome.objects.create(breakout=newest, proposal="A data pact", who_should_act="Councils")

    response = _count(client, subtheme, "1")

    assert "Kept Narratives 2 (1 outcome); Narratives (1 facilitator)" in (
        response.content.decode()
    )
    assert subtheme.breakouts.count() == 2


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0", "There must be at least 1 group on a subtheme"),
        ("31", "There can be at most 30 groups on a subtheme"),
        ("three", "Enter the number of groups as a whole number, like 3"),
        ("", "Enter how many groups work on this subtheme"),
    ],
)
def test_group_count_refuses_a_bad_number_and_keeps_it(
    summit, breakouts, organiser, typed, message
):
    subtheme = breakouts[0].subtheme

    response = client_for(organiser).post(
        reverse("set_group_count", args=[summit.slug, subtheme.pk]), {"groups": typed}
    )

    page = response.content.decode()
    assert response.status_code == 422
    assert "<title>Error:" in page
    assert page.count(message) == 2  # in the summary and by the field
    assert f'href="#id_groups-{subtheme.pk}-groups"' in page
    assert f'value="{typed}"' in page if typed else True
    assert subtheme.breakouts.count() == 1


def test_group_count_of_a_retired_subtheme_is_not_found(summit, breakouts, organiser):
    subtheme = breakouts[0].subtheme
    Subtheme.objects.filter(pk=subtheme.pk).update(retired_at=timezone.now())

    response = _count(client_for(organiser), subtheme, "2")

    assert response.status_code == 404
    assert subtheme.breakouts.count() == 1


def test_setup_page_shows_no_count_for_a_retired_subtheme_but_keeps_its_groups(
    summit, breakouts, organiser
):
    subtheme = breakouts[0].subtheme
    Subtheme.objects.filter(pk=subtheme.pk).update(retired_at=timezone.now())

    page = _setup(client_for(organiser)).content.decode()

    assert "This subtheme is retired" in page
    assert reverse("set_group_count", args=[summit.slug, subtheme.pk]) not in page
    assert breakouts[0].name in page


def test_rename_breakout_writes_logs_and_redraws_its_screens(
    breakout, organiser, pushed, django_capture_on_commit_callbacks
):
    url = reverse("rename_breakout", args=["place-summit", breakout.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(organiser).post(url, {"name": "  Stories of place  "}, follow=True)

    assert "Narratives is now called Stories of place." in response.content.decode()
    breakout.refresh_from_db()
    assert breakout.name == "Stories of place"
    assert _entries() == [
        (
            "Renamed a breakout",
            "Stories of place",
            {"breakout_id": breakout.pk, "was": "Narratives", "now": "Stories of place"},
        )
    ]
    assert pushed == [
        ("breakout_renamed", breakout.pk, "This group is now called Stories of place")
    ]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("power AND PURPOSE", "There is already a breakout called “power AND PURPOSE”"),
        ("", "Enter a name for the group"),
        ("x" * 121, "The name must be 120 characters or fewer"),
    ],
)
def test_rename_breakout_refuses_a_bad_name_and_keeps_it(
    breakouts, organiser, pushed, django_capture_on_commit_callbacks, typed, message
):
    Breakout.objects.filter(pk=breakouts[1].pk).update(name="Power and purpose")
    breakout = breakouts[0]

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(organiser).post(
            reverse("rename_breakout", args=["place-summit", breakout.pk]), {"name": typed}
        )

    page = response.content.decode()
    assert response.status_code == 422
    assert message in page
    assert f'href="#id_name-{breakout.pk}-name"' in page
    assert f'value="{typed}"' in page if typed else True
    assert '<details class="group-name" open>' in page
    breakout.refresh_from_db()
    assert breakout.name == "Narratives"
    assert pushed == []


def test_rename_breakout_of_another_summit_is_not_found(organiser, outsider):
    theirs = outsider.breakouts.get()

    response = client_for(organiser).post(
        reverse("rename_breakout", args=["place-summit", theirs.pk]), {"name": "Mine now"}
    )

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.name == "Other"


def test_breakout_renamed_push_names_it_in_every_screens_heading(breakout, monkeypatch):
    sent = []
    monkeypatch.setattr(live, "_push", lambda fragments, **_: sent.extend(in_english(fragments)))
    breakout.name = "<b>Stories</b>"

    live.breakout_renamed(breakout, "This group is now called <b>Stories</b>")

    assert len(sent) == 3
    for _group, html in sent:
        assert (
            '<span id="breakout-name" hx-swap-oob="true">&lt;b&gt;Stories&lt;/b&gt;</span>' in html
        )
        assert "data-refresh-board" in html


def test_remove_breakout_removes_an_empty_group(
    summit, breakouts, organiser, pushed, django_capture_on_commit_callbacks
):
    subtheme = breakouts[0].subtheme
    client = client_for(organiser)
    _count(client, subtheme, "2")
    empty = subtheme.breakouts.latest("pk")
    empty.facilitators.add(make_participant(summit, Participant.Role.FACILITATOR))
    AuditEntry.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("remove_breakout", args=[summit.slug, empty.pk]), follow=True
        )

    assert "Removed the group Narratives 2." in response.content.decode()
    assert not Breakout.objects.filter(pk=empty.pk).exists()
    assert _entries() == [("Removed a breakout", "Narratives 2", {"breakout_id": empty.pk})]
    assert pushed == [("breakout_removed", empty.pk)]


@pytest.mark.parametrize("holding", ["member", "idea", "outcome"])
def test_remove_breakout_refuses_a_group_holding_anything(
    summit, breakouts, organiser, pushed, django_capture_on_commit_callbacks, holding
):
    group = breakouts[1]
    if holding == "member":
        group.members.add(make_participant(summit))
    elif holding == "idea":
        Idea.objects.create(breakout=group, author=organiser, text="A", client_token=uuid.uuid4())
    else:
        Outcome.objects.create(breakout=group, proposal="A data pact", who_should_act="Us")

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(organiser).post(
            reverse("remove_breakout", args=[summit.slug, group.pk])
        )

    page = response.content.decode()
    assert response.status_code == 422
    assert f"{group.name} stays: it has 1 {holding}." in page
    assert "There is a problem" in page
    assert Breakout.objects.filter(pk=group.pk).exists()
    assert AuditEntry.objects.count() == 0
    assert pushed == []


def test_add_facilitator_makes_them_facilitate_and_redraws_the_board(
    summit, breakouts, organiser, facilitator, pushed, django_capture_on_commit_callbacks
):
    group = breakouts[1]
    url = reverse("add_facilitator", args=[summit.slug, group.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(organiser).post(url, {"person": facilitator.pk}, follow=True)

    assert (
        "Farah Hussain, Testshire Council now facilitates Citizen agency."
        in response.content.decode()
    )
    assert set(group.facilitators.all()) == {facilitator}
    assert set(facilitator.facilitated_breakouts.all()) == {breakouts[0], group}  # both
    assert _entries() == [
        (
            "Made a person a facilitator of a breakout",
            group.name,
            {"breakout_id": group.pk, "person": "Farah Hussain, Testshire Council"},
        )
    ]
    assert pushed == [("board_changed", group.pk, "This group has a new facilitator")]


def test_add_facilitator_takes_an_organiser_too(summit, breakouts, organiser):
    group = breakouts[1]

    client_for(organiser).post(
        reverse("add_facilitator", args=[summit.slug, group.pk]), {"person": organiser.pk}
    )

    assert list(group.facilitators.all()) == [organiser]


@pytest.mark.parametrize("who", ["attendee", "facilitator", "nobody", "outsider"])
def test_add_facilitator_refuses_anyone_not_offered(
    request,
    summit,
    breakouts,
    organiser,
    facilitator,
    pushed,
    django_capture_on_commit_callbacks,
    who,
):
    person = {
        "attendee": lambda: request.getfixturevalue("attendee").pk,
        "facilitator": lambda: facilitator.pk,  # already facilitates the first group
        "nobody": lambda: "",
        "outsider": lambda: request.getfixturevalue("outsider").pk,
    }[who]()
    group = breakouts[0]

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(organiser).post(
            reverse("add_facilitator", args=[summit.slug, group.pk]), {"person": person}
        )

    page = response.content.decode()
    assert response.status_code == 422
    message = (
        "Choose who is to facilitate the group"
        if who == "nobody"
        else ("Choose one of the facilitators and organisers listed")
    )
    assert page.count(message) == 2
    assert f'href="#id_facilitator-{group.pk}-person"' in page
    assert list(group.facilitators.all()) == [facilitator]
    assert pushed == []


def test_add_facilitator_service_refuses_an_attendee(breakout, attendee, organiser):
    with pytest.raises(Refused, match="Only the summit’s facilitators and organisers"):
        groups.add_facilitator(breakout, attendee, by=organiser)

    assert not breakout.facilitators.exists()


def test_remove_facilitator_stops_them_and_closes_their_screens(
    summit, breakout, organiser, facilitator, pushed, django_capture_on_commit_callbacks
):
    url = reverse("remove_facilitator", args=[summit.slug, breakout.pk, facilitator.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(organiser).post(url, follow=True)

    assert (
        "Farah Hussain, Testshire Council no longer facilitates Narratives."
        in response.content.decode()
    )
    assert not breakout.facilitators.exists()
    assert _entries() == [
        (
            "Stopped a person facilitating a breakout",
            "Narratives",
            {"breakout_id": breakout.pk, "person": "Farah Hussain, Testshire Council"},
        )
    ]
    assert pushed == [
        ("board_changed", breakout.pk, "This group’s facilitators have changed"),
        ("close_screens", facilitator.pk),
    ]


def test_remove_facilitator_who_does_not_facilitate_is_refused(
    summit, other_breakout, organiser, facilitator, pushed, django_capture_on_commit_callbacks
):
    url = reverse("remove_facilitator", args=[summit.slug, other_breakout.pk, facilitator.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(organiser).post(url)

    assert response.status_code == 422
    assert (
        "Farah Hussain, Testshire Council does not facilitate Citizen agency"
        in response.content.decode()
    )
    assert pushed == []


def test_setup_offers_each_group_the_people_who_may_facilitate_it(
    summit, breakouts, organiser, facilitator, attendee
):
    page = _setup(client_for(organiser)).content.decode()

    first, second = (f'id="id_facilitator-{b.pk}-person"' for b in breakouts[:2])
    first_select = page[page.index(first) : page.index("</select>", page.index(first))]
    second_select = page[page.index(second) : page.index("</select>", page.index(second))]
    assert "Farah Hussain" not in first_select  # facilitates it already
    assert "Farah Hussain, Testshire Council (facilitates Narratives)" in second_select
    assert "Olivia Okafor, Testshire Council (organiser)" in second_select
    assert "Aisha Rahman" not in second_select


@pytest.mark.parametrize("extra", [0, 9])
def test_setup_page_queries_do_not_grow_with_groups_and_facilitators(
    summit, breakouts, organiser, extra, django_assert_num_queries
):
    for subtheme in summit.subthemes.all():
        groups.set_group_count(subtheme, 1 + extra, by=organiser)
    for n, group in enumerate(Breakout.objects.filter(summit=summit)):
        for _ in range(2 if extra else 1):
            person = make_participant(summit, Participant.Role.FACILITATOR, name=f"F{n}-{_}")
            group.facilitators.add(person)
        group.members.add(make_participant(summit, sector="health"))
    client = client_for(organiser)

    with django_assert_num_queries(QUERIES):
        response = _setup(client)

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('class="group-name"') == 3 * (1 + extra)


def test_setup_says_where_to_find_facilitators_when_nobody_is_left_to_offer(
    summit, breakouts, organiser
):
    for group in breakouts:
        group.facilitators.add(organiser)

    page = _setup(client_for(organiser)).content.decode()

    assert page.count("Nobody else can facilitate it yet") == 3
    assert reverse("invites", args=[summit.slug]) in page
    assert "Add a facilitator" not in page
