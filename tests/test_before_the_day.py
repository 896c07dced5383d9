"""Before the day: the time a summit opens for joining, preferred subthemes honoured when
people are shared out, and first thoughts brought onto the breakouts' walls when the summit
goes live."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.audit import AuditEntry
from accounts.models import Participant
from breakouts.first_thoughts import (
    place_first_thoughts,
    post_first_thought,
    withdraw_first_thought,
)
from breakouts.models import Breakout, FirstThought, Idea
from breakouts.placing import Spot, choose_spot, preferences_honoured
from summit.event.models import Subtheme, Summit
from summit.event.refusals import Refused
from summit.organise import setup, summit_settings
from summit.organise.design import _subtheme_in_use
from summit.organise.my_data import personal_data
from tests.conftest import client_for, make_participant


@pytest.fixture
def boards_changed(monkeypatch) -> list[int]:
    calls: list[int] = []
    monkeypatch.setattr("breakouts.live.board_changed", lambda b, said: calls.append(b.pk))
    return calls


def _thought(author, subtheme, text="Start from the high street") -> FirstThought:
    return post_first_thought(
        author=author, subtheme=subtheme, text=text, client_token=uuid.uuid4()
    )[0]


# Opening time


def test_joining_refusal_before_the_opening_time_gives_it_in_the_summit_time_zone(summit):
    summit.joining_opens_at = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
    summit.time_zone = "America/New_York"

    said = summit.joining_refusal(dt.datetime(2026, 11, 20, 8, 59, tzinfo=dt.UTC))

    assert said == (
        f"{summit.title} opens for joining on 20 November 2026, 04:00 "
        "(America/New_York time). Come back then."
    )
    assert summit.joining_refusal(dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)) is None


def test_joining_refusal_once_live_ignores_an_opening_time_still_to_come(summit):
    summit.status = Summit.Status.LIVE
    summit.joining_opens_at = timezone.now() + dt.timedelta(days=1)

    assert summit.joining_refusal(timezone.now()) is None


def test_join_link_once_the_opening_time_has_passed_offers_the_join_form(client, summit):
    summit.joining_opens_at = timezone.now() - dt.timedelta(minutes=1)
    summit.save()

    page = client.get(reverse("join_summit", args=[summit.join_code]))

    assert page.status_code == 200
    assert "Join the summit" in page.content.decode()


def test_join_link_before_the_opening_time_is_refused_with_the_time(client, summit):
    summit.joining_opens_at = dt.datetime(2036, 11, 20, 9, 0, tzinfo=dt.UTC)
    summit.save()

    page = client.get(reverse("join_summit", args=[summit.join_code]))

    assert page.status_code == 403
    assert "opens for joining on 20 November 2036, 09:00" in page.content.decode()


def test_open_now_clears_the_time_and_opens_a_draft(summit, organiser):
    Summit.objects.filter(pk=summit.pk).update(
        status=Summit.Status.DRAFT, joining_opens_at=timezone.now() + dt.timedelta(days=5)
    )
    summit.refresh_from_db()

    summit_settings.open_now(summit, by=organiser)

    stored = Summit.objects.get(pk=summit.pk)
    assert (stored.status, stored.joining_opens_at) == (Summit.Status.OPEN, None)
    assert stored.joining_refusal(timezone.now()) is None
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions == [
        "Opened the summit for joining now",
        "Moved the summit from Draft to Open for joining",
    ]


def test_open_now_of_a_live_summit_is_refused(summit, organiser):
    Summit.objects.filter(pk=summit.pk).update(status=Summit.Status.LIVE)

    with pytest.raises(Refused, match="nothing to open"):
        summit_settings.open_now(summit, by=organiser)

    assert not AuditEntry.objects.exists()


def test_open_now_button_lets_people_join_at_once(client, summit, organiser):
    Summit.objects.filter(pk=summit.pk).update(
        joining_opens_at=timezone.now() + dt.timedelta(days=5)
    )
    page = client_for(organiser).get(reverse("joining", args=[summit.slug]))
    assert "Open now" in page.content.decode()

    client_for(organiser).post(reverse("open_now", args=[summit.slug]))

    assert client.get(reverse("join_summit", args=[summit.join_code])).status_code == 200


def test_joining_page_saves_an_opening_time_in_the_summit_time_zone(summit, organiser):
    Summit.objects.filter(pk=summit.pk).update(time_zone="Asia/Tokyo")

    page = client_for(organiser).post(
        reverse("joining", args=[summit.slug]), {"joining_opens_at": "2026-11-20 09:00"}
    )

    assert page.status_code == 302
    opens = Summit.objects.get(pk=summit.pk).joining_opens_at
    assert opens == dt.datetime(2026, 11, 20, 0, 0, tzinfo=dt.UTC)
    # The settings page gives it back as the summit's clock reads it, naming the clock.
    shown = client_for(organiser).get(reverse("summit_settings", args=[summit.slug]))
    assert "20 November 2026, 09:00 (Asia/Tokyo time)" in shown.content.decode()


def test_joining_page_refuses_a_closing_time_before_the_opening_and_keeps_the_text(
    summit, organiser
):
    page = client_for(organiser).post(
        reverse("joining", args=[summit.slug]),
        {"joining_opens_at": "2026-11-20 09:00", "joining_closes_at": "2026-11-19 09:00"},
    )

    body = page.content.decode()
    assert page.status_code == 422
    assert "<title>Error:" in body
    assert "Enter a time to stop taking people after the time to start" in body
    assert 'value="2026-11-20 09:00"' in body
    assert Summit.objects.get(pk=summit.pk).joining_opens_at is None


# Preferences


def test_choose_spot_prefers_the_subtheme_only_among_the_groups_fewest_of_the_sector():
    spots = [Spot(1, 10, 1, {"health": 1}), Spot(2, 20, 1, {"faith": 1}), Spot(3, 30, 0, {})]

    assert choose_spot(spots, "health", 10).breakout_id == 3  # would be two of health there
    assert choose_spot(spots, "faith", 10).breakout_id == 1
    assert choose_spot(spots, "faith", None).breakout_id == 3


def test_choose_spot_lets_a_preference_give_way_to_a_group_two_smaller():
    spots = [Spot(1, 10, 2, {}), Spot(2, 20, 0, {})]

    assert choose_spot(spots, "health", 10).breakout_id == 2
    spots[0].size = 1
    assert choose_spot(spots, "health", 10).breakout_id == 1


def test_mix_everyone_honours_preferences_and_says_how_many(summit, breakouts, organiser):
    first, second = breakouts[0], breakouts[1]
    people = []
    for sector in ("health", "faith", "business"):
        for wants in (first, second):
            person = make_participant(summit, sector=sector)
            person.preferred_subtheme = wants.subtheme
            person.save()
            people.append((person, wants))
    # Two of a sector wanting the first subtheme: only one can have it, sectors mixed first.
    extra = make_participant(summit, sector="health")
    extra.preferred_subtheme = first.subtheme
    extra.save()

    honoured = setup.mix_breakouts(summit, by=organiser)

    for person, wants in people:
        assert wants.members.filter(pk=person.pk).exists()
    assert not first.members.filter(pk=extra.pk).exists()
    assert (honoured.honoured, honoured.stated) == (6, 7)
    entry = AuditEntry.objects.get()
    assert entry.detail == {"preferences_honoured": 6, "preferences": 7}


def test_joining_with_a_preference_places_the_person_on_that_subtheme(client, summit, breakouts):
    wanted = breakouts[2]
    form = {
        "display_name": "Dev Patel",
        "organisation": "",
        "sector": "resident",
        "attribution": "named",
        "preferred_subtheme": str(wanted.subtheme_id),
        "join_token": str(uuid.uuid4()),
    }

    client.post(reverse("join_summit", args=[summit.join_code]), form)

    person = Participant.objects.get(display_name="Dev Patel")
    assert person.preferred_subtheme_id == wanted.subtheme_id
    assert list(person.breakouts.all()) == [wanted]


def test_breakouts_page_says_how_many_preferences_were_met(summit, breakouts, organiser):
    met = make_participant(summit)
    met.preferred_subtheme = breakouts[0].subtheme
    met.save()
    breakouts[0].members.add(met)
    unmet = make_participant(summit)
    unmet.preferred_subtheme = breakouts[0].subtheme
    unmet.save()
    breakouts[1].members.add(unmet)

    page = client_for(organiser).get(reverse("breakouts_setup", args=[summit.slug]))

    assert "1 of 2 people with a preference got it" in page.content.decode()
    assert preferences_honoured(summit.pk).honoured == 1


def test_summit_home_changes_the_preference(summit, breakouts, attendee):
    wanted = breakouts[1].subtheme
    home = client_for(attendee).get(reverse("summit_home", args=[summit.slug]))
    assert "Which subtheme would you prefer to work on?" in home.content.decode()

    client_for(attendee).post(
        reverse("preference", args=[summit.slug]), {"preferred_subtheme": str(wanted.pk)}
    )

    attendee.refresh_from_db()
    assert attendee.preferred_subtheme == wanted


def test_summit_home_refuses_a_subtheme_not_listed_with_422(summit, breakouts, attendee):
    page = client_for(attendee).post(
        reverse("preference", args=[summit.slug]), {"preferred_subtheme": "999999"}
    )

    assert page.status_code == 422
    assert "Select one of the subthemes listed" in page.content.decode()
    attendee.refresh_from_db()
    assert attendee.preferred_subtheme is None


# First thoughts


def test_first_thought_is_refused_once_the_summit_is_live(summit, breakouts, attendee):
    Summit.objects.filter(pk=summit.pk).update(status=Summit.Status.LIVE)
    attendee.summit.refresh_from_db()

    with pytest.raises(Refused, match="before the day"):
        _thought(attendee, breakouts[0].subtheme)

    assert not FirstThought.objects.exists()


def test_first_thought_of_an_anonymous_person_is_anonymous_and_posted_once(summit, breakouts):
    person = make_participant(summit, anonymous=True)
    token = uuid.uuid4()
    said = {"author": person, "subtheme": breakouts[0].subtheme, "text": "More benches"}

    first, made = post_first_thought(**said, client_token=token)
    again, made_again = post_first_thought(**said, client_token=token)

    assert (made, made_again, again) == (True, False, first)
    assert first.anonymous


def test_going_live_puts_first_thoughts_on_the_members_walls_marked_once(
    summit,
    breakouts,
    attendee,
    other_member,
    organiser,
    boards_changed,
    django_capture_on_commit_callbacks,
):
    mine = _thought(attendee, breakouts[0].subtheme, "Ask the people who live there")
    theirs = _thought(other_member, breakouts[1].subtheme, "Fund it for ten years")

    with django_capture_on_commit_callbacks(execute=True):
        summit_settings.move_summit(summit, Summit.Status.LIVE, by=organiser)

    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.idea.breakout, theirs.idea.breakout) == (breakouts[0], breakouts[1])
    assert mine.idea.posted_beforehand
    assert mine.idea.text == "Ask the people who live there"
    assert sorted(boards_changed) == sorted([breakouts[0].pk, breakouts[1].pk])
    entry = AuditEntry.objects.get()
    assert entry.detail["first_thoughts_placed"] == 2
    assert place_first_thoughts(summit) == 0
    assert Idea.objects.count() == 2

    wall = client_for(attendee).get(reverse("breakouts:breakout", args=[breakouts[0].pk]))
    assert "Posted beforehand" in wall.content.decode()


def test_unplaced_first_thoughts_are_shared_out_across_the_subtheme_groups(
    summit, breakouts, attendee, organiser
):
    subtheme = breakouts[0].subtheme
    second = setup.add_breakout(subtheme, "Second group", by=organiser)
    outsiders = [make_participant(summit) for _ in range(4)]  # in no group on the subtheme
    for n, person in enumerate(outsiders):
        _thought(person, subtheme, f"Thought {n}")
    _thought(attendee, subtheme, "Mine")

    assert place_first_thoughts(summit) == 5

    placed = dict(Idea.objects.filter(posted_beforehand=True).values_list("text", "breakout_id"))
    assert placed["Mine"] == breakouts[0].pk
    shared = [placed[f"Thought {n}"] for n in range(4)]
    assert sorted(shared) == sorted([breakouts[0].pk, second.pk] * 2)


def test_first_thoughts_wait_while_their_subtheme_has_no_open_group(summit, breakouts, attendee):
    thought = _thought(attendee, breakouts[0].subtheme)
    Breakout.objects.filter(pk=breakouts[0].pk).update(phase=Breakout.Phase.CLOSED)

    assert place_first_thoughts(summit) == 0

    Breakout.objects.filter(pk=breakouts[0].pk).update(phase=Breakout.Phase.GATHER)
    assert place_first_thoughts(summit) == 1
    thought.refresh_from_db()
    assert thought.idea.breakout_id == breakouts[0].pk


def test_first_thoughts_page_posts_and_lists_the_person_own(summit, breakouts, attendee):
    url = reverse("first_thoughts", args=[summit.slug])
    subtheme = breakouts[0].subtheme

    posted = client_for(attendee).post(
        url,
        {"subtheme": str(subtheme.pk), "text": "Shared spaces", "client_token": uuid.uuid4()},
    )
    page = client_for(attendee).get(url)

    assert posted.status_code == 302
    assert "Shared spaces" in page.content.decode()
    assert FirstThought.objects.get().author == attendee


def test_first_thoughts_page_refuses_a_thought_too_long_keeping_the_text_and_choice(
    summit, breakouts, attendee
):
    subtheme = breakouts[0].subtheme
    text = "Long " * 101
    page = client_for(attendee).post(
        reverse("first_thoughts", args=[summit.slug]),
        {"subtheme": str(subtheme.pk), "text": text, "client_token": uuid.uuid4()},
    )

    body = page.content.decode()
    assert page.status_code == 422
    assert "<title>Error:" in body
    assert "Your first thought must be 500 characters or fewer" in body
    assert text.strip() in body
    assert f'value="{subtheme.pk}" required id="id_subtheme_0" checked' in body
    assert not FirstThought.objects.exists()


def test_withdrawing_a_first_thought_puts_its_words_back_in_the_form(summit, breakouts, attendee):
    subtheme = breakouts[1].subtheme
    thought = _thought(attendee, subtheme, "Start from the library")
    url = reverse("withdraw_first_thought", args=[summit.slug, thought.pk])

    page = client_for(attendee).post(url)
    again = client_for(attendee).post(url, follow=True)

    body = page.content.decode()
    assert page.status_code == 200
    assert not FirstThought.objects.exists()
    assert "First thought withdrawn" in body
    assert "Start from the library</textarea>" in body
    assert f'value="{subtheme.pk}" required id="id_subtheme_1" checked' in body
    # Asked twice (a retried request), it is withdrawn once and says so.
    assert "That first thought is withdrawn already" in again.content.decode()


def test_withdrawing_someone_elses_first_thought_withdraws_nothing(
    summit, breakouts, attendee, other_member
):
    theirs = _thought(other_member, breakouts[0].subtheme)

    assert withdraw_first_thought(author=attendee, thought_id=theirs.pk) is None
    client_for(attendee).post(reverse("withdraw_first_thought", args=[summit.slug, theirs.pk]))

    assert FirstThought.objects.get() == theirs


def test_first_thought_on_a_wall_is_not_withdrawn_here(summit, breakouts, attendee, organiser):
    thought = _thought(attendee, breakouts[0].subtheme)
    summit_settings.move_summit(summit, Summit.Status.LIVE, by=organiser)
    attendee.summit.refresh_from_db()

    with pytest.raises(Refused, match="withdraw your first thought from your breakout"):
        withdraw_first_thought(author=attendee, thought_id=thought.pk)
    page = client_for(attendee).get(reverse("first_thoughts", args=[summit.slug]))

    assert FirstThought.objects.get(pk=thought.pk).idea is not None
    assert "Withdraw to change or remove" not in page.content.decode()


def test_my_data_holds_the_first_thoughts_and_the_preference(summit, breakouts, attendee):
    attendee.preferred_subtheme = breakouts[1].subtheme
    attendee.save()
    _thought(attendee, breakouts[0].subtheme, "Libraries as anchors")

    data = personal_data(attendee)

    assert data["you"]["preferred_subtheme"] == breakouts[1].subtheme.title
    assert [t["text"] for t in data["first_thoughts"]] == ["Libraries as anchors"]
    page = client_for(attendee).get(reverse("my_data", args=[summit.slug]))
    assert "Libraries as anchors" in page.content.decode()


def test_a_subtheme_with_first_thoughts_is_retired_rather_than_removed(summit, attendee):
    subtheme = Subtheme.objects.create(summit=summit, order=99, title="Spare", question="?")
    _thought(attendee, subtheme)

    assert "first thoughts" in _subtheme_in_use(subtheme)
