"""After the day: each participant's "what we did" page, open once the summit closes, showing
what the organisers share (the summary, the full record, or nothing) and always the person's
own contributions; the summary at a public link that can be withdrawn and names nobody."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from accounts import services as account_services
from accounts.models import AuditEntry
from breakouts.models import Action, Comment, FirstThought, Idea, Outcome, Rating
from summit.event.agreement import Agreement
from summit.event.models import Summit
from summit.event.refusals import Refused
from summit.organise import after
from tests.conftest import client_for, make_participant

Shared = Summit.SharedAfter


def _close(summit, shared=Shared.SUMMARY):
    Summit.objects.filter(pk=summit.pk).update(status=Summit.Status.CLOSED, shared_after=shared)


def _outcome(breakout, drafted_by=None, proposal="Pool the place budgets") -> Outcome:
    outcome = Outcome.objects.create(
        breakout=breakout, proposal=proposal, who_should_act="Councils", drafted_by=drafted_by
    )
    Action.objects.create(outcome=outcome, owner="Testshire Council", status="in_progress")
    return outcome


@pytest.fixture
def day(breakout, attendee, organiser):
    """A summit whose day is done: an outcome rated and given an action, and the attendee's
    ideas, a comment and a first thought, one of the ideas posted anonymously."""
    shy = make_participant(breakout.summit, name="Quentin Quiet", anonymous=True)
    breakout.members.add(shy)
    named = Idea.objects.create(
        breakout=breakout, author=attendee, text="Shared data hubs", client_token=uuid.uuid4()
    )
    Idea.objects.create(
        breakout=breakout,
        author=shy,
        text="A secret plan",
        anonymous=True,
        client_token=uuid.uuid4(),
    )
    Comment.objects.create(
        idea=named, author=attendee, text="Start with health", client_token=uuid.uuid4()
    )
    FirstThought.objects.create(
        summit=breakout.summit,
        subtheme=breakout.subtheme,
        author=attendee,
        text="Money follows people",
        client_token=uuid.uuid4(),
    )
    outcome = _outcome(breakout, drafted_by=attendee)
    outcome.ideas.add(named)
    for person in (attendee, shy):
        Rating.objects.create(outcome=outcome, rater=person, level=Agreement.FULL)
    return breakout.summit


def _page(person) -> str:
    response = client_for(person).get(reverse("what_we_did", args=[person.summit.slug]))
    assert response.status_code == 200
    return response.content.decode()


def test_what_we_did_before_closing_says_it_opens_when_the_summit_closes(day, attendee):
    html = _page(attendee)

    assert "opens when the summit closes" in html
    assert "Pool the place budgets" not in html
    assert "Shared data hubs" not in html


def test_what_we_did_after_closing_shows_the_summary_and_own_contributions(day, attendee):
    _close(day)

    html = _page(attendee)

    assert "Pool the place budgets" in html
    assert "Consensus check" in html
    assert "How views moved" in html
    assert "Testshire Council" in html
    assert 'id="action-' in html
    assert "In progress" in html
    assert f'ws-connect="/ws/summits/{day.slug}/actions/"' in html
    # Their own: ideas, comments, first thoughts; nobody else's.
    assert "Shared data hubs" in html
    assert "Start with health" in html
    assert "Money follows people" in html
    assert "A secret plan" not in html
    assert "Quentin Quiet" not in html


def test_what_we_did_full_record_shows_the_record_with_anonymous_kept_anonymous(day, attendee):
    _close(day, Shared.FULL)

    html = _page(attendee)

    assert "Dissent register" in html
    assert "Follow-up actions as they stand" in html
    assert "A secret plan" in html  # the record's ideas, as the record gives them
    assert "Quentin Quiet" not in html
    assert "Anonymous" in html


def test_what_we_did_nothing_shared_shows_only_own_contributions(day, attendee):
    _close(day, Shared.NOTHING)

    html = _page(attendee)

    assert "have not shared the summit’s record" in html
    assert "Pool the place budgets" not in html
    assert "Shared data hubs" in html


def test_what_we_did_is_not_for_outsiders_or_the_signed_out(day, outsider):
    _close(day)
    url = reverse("what_we_did", args=[day.slug])

    assert client_for(outsider).get(url).status_code == 404
    assert Client().get(url).status_code == 302


def test_return_link_after_closing_leads_to_what_we_did(day, attendee):
    _close(day)
    key = account_services.make_return_link_key(attendee)

    response = Client().post(reverse("return_link", args=[key]))

    assert response.status_code == 302
    assert response["Location"] == reverse("what_we_did", args=[day.slug])


def test_return_link_before_closing_leads_to_the_summit_home(day, attendee):
    key = account_services.make_return_link_key(attendee)

    response = Client().post(reverse("return_link", args=[key]))

    assert response["Location"] == reverse("summit_home", args=[day.slug])


# The organisers' choice


def test_choose_shared_saves_the_choice_and_logs_it(day, organiser):
    url = reverse("choose_shared", args=[day.slug])

    response = client_for(organiser).post(url, {"shared_after": "full"})

    assert response.status_code == 302
    assert Summit.objects.get(pk=day.pk).shared_after == Shared.FULL
    assert AuditEntry.objects.filter(action="Chose what is shared after the day").count() == 1


def test_choose_shared_with_a_bad_choice_is_refused_with_the_error(day, organiser):
    url = reverse("choose_shared", args=[day.slug])

    response = client_for(organiser).post(url, {"shared_after": "<b>everything</b>"})

    assert response.status_code == 422
    html = response.content.decode()
    assert "Error:" in html
    assert "Choose what participants see after the day" in html
    assert Summit.objects.get(pk=day.pk).shared_after == Shared.SUMMARY


def test_share_after_refuses_anyone_but_an_organiser(day, attendee):
    with pytest.raises(Refused):
        after.share_after(day, Shared.NOTHING, by=attendee)


# The public link


def test_public_link_publish_shows_the_summary_without_names_then_withdraw_404(day, organiser):
    _close(day)
    organising = client_for(organiser)
    organising.post(reverse("publish_summary", args=[day.slug]))
    key = Summit.objects.get(pk=day.pk).public_key
    assert key
    assert len(key) == 43
    url = reverse("public_summary", args=[key])

    response = Client().get(url)

    assert response.status_code == 200
    html = response.content.decode()
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert "Pool the place budgets" in html
    assert "In progress" in html
    for name in ("Aisha Rahman", "Quentin Quiet", "Olivia Okafor", "Testshire Council."):
        assert name not in html
    assert "A secret plan" not in html
    assert "Shared data hubs" not in html
    assert "What is shared after the day" not in html  # no organiser controls

    organising.post(reverse("withdraw_summary", args=[day.slug]))

    assert Client().get(url).status_code == 404
    assert Summit.objects.get(pk=day.pk).public_key is None
    assert list(
        AuditEntry.objects.filter(action__contains="public link")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["Published the summary at a public link", "Withdrew the summary's public link"]


def test_what_we_did_and_the_public_summary_read_in_welsh_give_the_organisers_welsh(
    day, attendee, organiser
):
    _close(day)
    key = after.publish_summary(day, by=organiser)
    subtheme = FirstThought.objects.get(author=attendee).subtheme

    welsh = client_for(attendee)
    welsh.post(reverse("switch_language"), {"language": "cy", "next": "/"})
    page = welsh.get(reverse("what_we_did", args=[day.slug])).content.decode()
    public = welsh.get(reverse("public_summary", args=[key])).content.decode()

    assert f">{day.title_cy}</a></p>" in page
    assert f"<strong>{subtheme.title_cy}</strong>: Money follows people" in page
    assert f"<title>Yr hyn a wnaethom: {day.title_cy} – " in page
    assert escape(day.central_question_cy) in public
    assert day.central_question not in public
    assert day.title_cy in public


@pytest.mark.parametrize("key", ["nope", "x" * 43, "..%2F..%2Fetc", "a" * 500])
def test_public_link_with_a_wrong_key_is_404(day, key):
    assert Client().get(reverse("public_summary", args=[key])).status_code == 404


def test_publish_twice_keeps_the_same_link(day, organiser):
    first = after.publish_summary(day, by=organiser)
    assert after.publish_summary(day, by=organiser) == first


# Queries

# The record's loaders (a fixed set), the person's own contributions, the session and the page.
QUERIES = 39


@pytest.mark.parametrize("outcomes", [1, 12])
def test_what_we_did_queries_do_not_grow_with_outcomes(
    day, attendee, breakout, other_breakout, outcomes, django_assert_num_queries
):
    _close(day)
    for n in range(outcomes - 1):
        _outcome(other_breakout if n % 2 else breakout, proposal=f"Outcome {n}")
    client = client_for(attendee)
    url = reverse("what_we_did", args=[day.slug])
    client.get(url)

    with django_assert_num_queries(QUERIES):
        client.get(url)
