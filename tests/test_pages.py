from __future__ import annotations

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from breakouts.models import Idea
from tests.conftest import client_for, make_participant


def _ideas(breakout, author, count: int) -> None:
    Idea.objects.bulk_create(
        Idea(breakout=breakout, author=author, text=f"Idea {i}", client_token=uuid.uuid4())
        for i in range(count)
    )


# Each page, as each kind of person: (url name, who, expected status).
ROLE_MATRIX = [
    ("breakouts:breakout", "attendee", 200),
    ("breakouts:breakout", "facilitator", 200),
    ("breakouts:breakout", "organiser", 200),
    ("breakouts:breakout", "other_member", 403),
    ("breakouts:breakout", "outsider", 404),
    ("breakouts:console", "attendee", 403),
    ("breakouts:console", "facilitator", 200),
    ("breakouts:console", "organiser", 200),
    ("breakouts:console", "other_member", 403),
    ("breakouts:console", "outsider", 404),
    ("breakouts:board", "attendee", 200),
    ("breakouts:board", "facilitator", 200),
    ("breakouts:board", "organiser", 200),
    ("breakouts:board", "other_member", 403),
    ("breakouts:board", "outsider", 404),
]


@pytest.mark.parametrize(("name", "who", "status"), ROLE_MATRIX)
def test_breakout_pages_by_role(request, breakout, name, who, status):
    person = request.getfixturevalue(who)
    _ideas(breakout, request.getfixturevalue("attendee"), 2)

    response = client_for(person).get(reverse(name, args=[breakout.pk]))

    assert response.status_code == status
    if status == 200:
        assert "Idea 1" in response.content.decode()
    else:
        assert "Idea 1" not in response.content.decode()


@pytest.mark.parametrize("name", ["breakouts:breakout", "breakouts:console", "breakouts:board"])
def test_breakout_pages_signed_out_go_to_sign_in(breakout, name):
    response = Client().get(reverse(name, args=[breakout.pk]))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_console_lists_ideas_members_and_connects_its_socket(breakout, facilitator, attendee):
    _ideas(breakout, attendee, 3)

    html = client_for(facilitator).get(reverse("breakouts:console", args=[breakout.pk])).content
    html = html.decode()

    assert f'ws-connect="/ws/breakouts/{breakout.pk}/"' in html
    assert f'data-board-url="/breakouts/{breakout.pk}/board/?view=facilitators"' in html
    assert html.count('class="idea"') == 3
    assert "Aisha Rahman" in html
    # The voice balance lists the group's one member, who has posted.
    assert "1 of 1</strong> member has contributed" in html


def test_attendee_page_shows_question_prompt_and_form(breakout, attendee):
    html = client_for(attendee).get(reverse("breakouts:breakout", args=[breakout.pk])).content
    html = html.decode()

    assert breakout.subtheme.question in html
    assert breakout.current_prompt.text.replace("'", "&#x27;") in html
    assert 'name="client_token"' in html
    assert "Open the facilitator console" not in html


def test_idea_list_hides_withdrawn_and_hidden_ideas(breakout, attendee):
    _ideas(breakout, attendee, 2)
    Idea.objects.filter(text="Idea 0").update(status=Idea.Status.HIDDEN)

    html = client_for(attendee).get(reverse("breakouts:board", args=[breakout.pk])).content

    assert b"Idea 1" in html
    assert b"Idea 0" not in html


@pytest.mark.parametrize("count", [1, 40])
def test_console_queries_do_not_grow_with_ideas(
    breakout, facilitator, attendee, count, django_assert_max_num_queries
):
    for _ in range(count):
        breakout.members.add(make_participant(breakout.summit))
    _ideas(breakout, attendee, count)
    client = client_for(facilitator)

    # The console's board, its voice balance panel and its possible duplicates.
    with django_assert_max_num_queries(18):
        response = client.get(reverse("breakouts:console", args=[breakout.pk]))

    assert response.content.decode().count('class="idea"') == count


@pytest.mark.parametrize("count", [1, 40])
def test_idea_list_queries_do_not_grow_with_ideas(
    breakout, attendee, count, django_assert_max_num_queries
):
    _ideas(breakout, attendee, count)
    client = client_for(attendee)

    with django_assert_max_num_queries(13):
        response = client.get(reverse("breakouts:board", args=[breakout.pk]))

    assert response.content.decode().count('class="idea"') == count


def test_summit_home_shows_question_agenda_and_own_breakout(breakout, other_breakout, attendee):
    response = client_for(attendee).get(reverse("summit_home", args=[breakout.summit.slug]))

    html = response.content.decode()
    assert response.status_code == 200
    assert breakout.summit.central_question in html
    assert "Opening plenary" in html
    assert "Closing plenary" in html
    assert reverse("breakouts:breakout", args=[breakout.pk]) in html
    assert reverse("breakouts:breakout", args=[other_breakout.pk]) not in html
    assert "Facilitator console" not in html


def test_summit_home_for_organiser_lists_every_breakout_console(breakouts, organiser):
    html = client_for(organiser).get(reverse("summit_home", args=["place-summit"])).content.decode()

    for breakout in breakouts:
        assert reverse("breakouts:console", args=[breakout.pk]) in html


def test_summit_pages_refuse_outsiders(summit, outsider):
    client = client_for(outsider)

    assert client.get(reverse("summit_home", args=[summit.slug])).status_code == 404
    assert client.get(reverse("pre_reading", args=[summit.slug])).status_code == 404


def test_pre_reading_shows_the_document(summit, attendee):
    html = client_for(attendee).get(reverse("pre_reading", args=[summit.slug])).content.decode()

    assert "Obstacles to place" in html
    assert "the Treasury's control over finances" in html
    assert "Does decision making at place require consensus?" in html
    assert "Partnering for success" in html


def test_home_lists_the_signed_in_persons_summits(summit, attendee):
    html = client_for(attendee).get(reverse("home")).content.decode()

    assert reverse("summit_home", args=[summit.slug]) in html


def test_pages_send_a_strict_content_security_policy(summit, attendee):
    response = client_for(attendee).get(reverse("summit_home", args=[summit.slug]))

    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert "style=" not in response.content.decode()
    assert "<script>" not in response.content.decode()


def test_refusals_use_the_summits_own_pages(breakout, other_member, outsider):
    forbidden = client_for(other_member).get(reverse("breakouts:console", args=[breakout.pk]))
    missing = client_for(outsider).get(reverse("breakouts:breakout", args=[breakout.pk]))

    assert "You cannot open this page" in forbidden.content.decode()
    assert "Page not found" in missing.content.decode()


def test_idea_cards_post_where_the_urls_say(breakout, facilitator, attendee):
    # Cards build their forms' paths from the board's, not by reversing each one: they must
    # still post to the views the URL names give.
    _ideas(breakout, attendee, 2)
    shown, hidden = Idea.objects.filter(breakout=breakout).order_by("pk")
    Idea.objects.filter(pk=hidden.pk).update(status=Idea.Status.HIDDEN)
    board = reverse("breakouts:board", args=[breakout.pk])
    ids = [breakout.pk, shown.pk]

    breakout.phase = breakout.Phase.BUILD
    breakout.save(update_fields=["phase"])
    building = client_for(attendee).get(board, headers={"HX-Request": "true"}).content.decode()
    breakout.phase = breakout.Phase.VOTE
    breakout.save(update_fields=["phase"])
    voting = client_for(attendee).get(board, headers={"HX-Request": "true"}).content.decode()
    console = client_for(facilitator).get(f"{board}?view=facilitators").content.decode()

    assert f'hx-post="{reverse("breakouts:comment", args=ids)}"' in building
    assert f'hx-post="{reverse("breakouts:dots", args=ids)}"' in voting
    for name in ("cluster_idea", "merge", "hide"):
        assert f'hx-post="{reverse(f"breakouts:{name}", args=ids)}"' in console, name
    restore = reverse("breakouts:restore", args=[breakout.pk, hidden.pk])
    assert f'hx-post="{restore}"' in console
    spotlight = reverse("breakouts:spotlight", args=[breakout.pk])
    spotlit = f'<input type="hidden" name="idea" value="{shown.pk}">'
    assert f'hx-post="{spotlight}" class="inline-form">{spotlit}' in console
    # Every form on the board swaps the board, said once on the board itself.
    assert 'hx-target="#board" hx-swap="outerHTML">' in console


def test_pages_name_their_icon_from_the_apps_own_files(summit, attendee):
    """Browsers otherwise ask for /favicon.ico, which the app does not serve."""
    from django.contrib.staticfiles import finders

    html = client_for(attendee).get(reverse("summit_home", args=[summit.slug])).content.decode()

    assert '<link rel="icon" href="/static/img/favicon.svg"' in html
    assert finders.find("img/favicon.svg")
