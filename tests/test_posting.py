from __future__ import annotations

import re
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from breakouts.models import Breakout, Idea
from tests.conftest import client_for

HTMX = {"HTTP_HX_REQUEST": "true"}


def _post(
    client: Client, breakout: Breakout, text: str, token: uuid.UUID | str | None = None, **extra
):
    data = {"text": text, "client_token": str(token or uuid.uuid4())}
    return client.post(reverse("breakouts:post_idea", args=[breakout.pk]), data, **extra)


def test_post_idea_valid_creates_it_and_returns_a_fresh_form(breakout, attendee):
    response = _post(
        client_for(attendee), breakout, "  Pool the partners' data in one place  ", **HTMX
    )

    assert response.status_code == 200
    idea = Idea.objects.get()
    assert idea.text == "Pool the partners' data in one place"
    assert (idea.breakout, idea.author, idea.prompt) == (
        breakout,
        attendee,
        breakout.current_prompt,
    )
    html = response.content.decode()
    assert "Your idea was posted" in html
    assert f'id="idea-{idea.pk}"' in html
    assert 'hx-swap-oob="afterbegin"' in html
    assert "Pool the partners" in html
    assert "data in one place</textarea>" not in html  # the fresh form is empty


@pytest.mark.parametrize("ideas_before", [0, 60])
def test_post_idea_costs_the_same_however_full_the_board(
    breakout, attendee, ideas_before, django_assert_max_num_queries
):
    Idea.objects.bulk_create(
        Idea(
            breakout=breakout, author=attendee, text=f"Earlier idea {n}", client_token=uuid.uuid4()
        )
        for n in range(ideas_before)
    )
    client = client_for(attendee)

    with django_assert_max_num_queries(30):
        response = _post(client, breakout, "Pool the budgets", **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Pool the budgets" in html
    assert "Earlier idea" not in html  # the response is the form and the new card, not the board


def test_post_idea_new_card_never_asks_for_its_comments(
    breakout, attendee, django_capture_on_commit_callbacks
):
    """A new idea has none: neither the poster's card nor the card pushed to each audience
    looks them up."""
    client = client_for(attendee)

    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=True) as pushes,
    ):
        response = _post(client, breakout, "Pool the budgets", **HTMX)

    assert response.status_code == 200
    assert len(pushes) == 1  # the cards went out to the screens
    by_idea = re.compile(r'"breakouts_comment"\."idea_id" (= \d|IN \()')
    asked = [q["sql"] for q in queries.captured_queries if by_idea.search(q["sql"])]
    assert asked == []


def test_post_idea_exactly_500_characters_is_accepted(breakout, attendee):
    response = _post(client_for(attendee), breakout, "x" * 500, **HTMX)

    assert response.status_code == 200
    assert Idea.objects.get().text == "x" * 500


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Enter your idea"),
        ("   \n\t  ", "Enter your idea"),
        ("y" * 501, "Your idea must be 500 characters or fewer (it has 501)"),
    ],
)
def test_post_idea_invalid_text_is_refused_and_kept(breakout, attendee, text, message):
    token = uuid.uuid4()

    response = _post(client_for(attendee), breakout, text, token, **HTMX)

    assert response.status_code == 422
    assert not Idea.objects.exists()
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in html
    assert 'aria-describedby="id_text-hint id_text-error"' in html
    assert f'value="{token}"' in html  # fixing and resending stays one idea
    if text.strip():
        assert f">{text}</textarea>" in html


def test_post_idea_keeps_markup_as_text(breakout, attendee):
    response = _post(client_for(attendee), breakout, "<script>alert(1)</script> & more", **HTMX)

    assert Idea.objects.get().text == "<script>alert(1)</script> & more"
    html = response.content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html


def test_post_idea_retry_with_same_token_makes_one_idea(breakout, attendee):
    client = client_for(attendee)
    token = uuid.uuid4()

    first = _post(client, breakout, "Shared aims first", token, **HTMX)
    second = _post(client, breakout, "Shared aims first", token, **HTMX)

    assert first.status_code == second.status_code == 200
    assert Idea.objects.count() == 1
    assert f'id="idea-{Idea.objects.get().pk}"' in second.content.decode()


def test_post_idea_without_token_is_refused_with_a_new_token(breakout, attendee):
    url = reverse("breakouts:post_idea", args=[breakout.pk])

    response = client_for(attendee).post(
        url, {"text": "An idea", "client_token": "nonsense"}, **HTMX
    )

    assert response.status_code == 422
    assert not Idea.objects.exists()
    html = response.content.decode()
    assert "This form has expired. Post your idea again" in html
    assert ">An idea</textarea>" in html
    assert 'value="nonsense"' not in html


def test_post_idea_without_htmx_redirects_back_to_the_breakout(breakout, attendee):
    response = _post(client_for(attendee), breakout, "Plain form post")

    assert response.status_code == 302
    assert response.url == reverse("breakouts:breakout", args=[breakout.pk])
    assert Idea.objects.filter(text="Plain form post").exists()


def test_post_idea_without_htmx_invalid_renders_the_whole_page(breakout, attendee):
    response = _post(client_for(attendee), breakout, "")

    assert response.status_code == 422
    html = response.content.decode()
    assert "<html" in html
    assert "Enter your idea" in html


def test_post_idea_missing_breakout_is_404(breakout, attendee):
    url = reverse("breakouts:post_idea", args=[breakout.pk + 999])

    response = client_for(attendee).post(url, {"text": "x", "client_token": str(uuid.uuid4())})

    assert response.status_code == 404
    assert not Idea.objects.exists()


def test_post_idea_wrong_method_is_405(breakout, attendee):
    response = client_for(attendee).get(reverse("breakouts:post_idea", args=[breakout.pk]))

    assert response.status_code == 405


def test_post_idea_without_csrf_token_is_403(breakout, attendee):
    client = Client(enforce_csrf_checks=True)
    client.force_login(attendee.user)

    response = _post(client, breakout, "No token")

    assert response.status_code == 403
    assert not Idea.objects.exists()


def test_post_idea_with_csrf_header_as_htmx_sends_it(breakout, attendee):
    client = Client(enforce_csrf_checks=True)
    client.force_login(attendee.user)
    page = client.get(reverse("breakouts:breakout", args=[breakout.pk]))
    token = page.context["csrf_token"]

    response = _post(client, breakout, "With the header", HTTP_X_CSRFTOKEN=str(token), **HTMX)

    assert response.status_code == 200
    assert Idea.objects.filter(text="With the header").exists()


def test_post_idea_outside_gather_and_build_is_refused_and_kept(breakout, attendee):
    Breakout.objects.filter(pk=breakout.pk).update(phase=Breakout.Phase.VOTE)

    response = _post(client_for(attendee), breakout, "Too late", **HTMX)

    assert response.status_code == 422
    assert not Idea.objects.exists()
    html = response.content.decode()
    assert "not taking new ideas in the “Vote” phase" in html
    assert ">Too late</textarea>" in html


def test_post_idea_anonymous_hides_the_name(breakout, attendee):
    url = reverse("breakouts:post_idea", args=[breakout.pk])
    data = {"text": "Quiet idea", "client_token": str(uuid.uuid4()), "anonymous": "on"}

    response = client_for(attendee).post(url, data, **HTMX)

    idea = Idea.objects.get()
    assert idea.anonymous
    html = response.content.decode()
    assert "Anonymous (Local government)" in html
    assert attendee.display_name not in html.split('id="idea-list"')[1]


def test_post_idea_anonymous_ignored_when_summit_forbids_it(breakout, attendee):
    breakout.summit.allow_anonymous = False
    breakout.summit.save()
    url = reverse("breakouts:post_idea", args=[breakout.pk])
    data = {"text": "Named idea", "client_token": str(uuid.uuid4()), "anonymous": "on"}

    client_for(attendee).post(url, data, **HTMX)

    assert not Idea.objects.get().anonymous


@pytest.mark.parametrize("who", ["other_member", "outsider"])
def test_post_idea_by_a_non_member_is_refused(request, breakout, who):
    person = request.getfixturevalue(who)

    response = _post(client_for(person), breakout, "Not my group", **HTMX)

    assert response.status_code == (403 if who == "other_member" else 404)
    assert not Idea.objects.exists()


def test_post_idea_signed_out_as_htmx_is_403_not_a_redirect(breakout):
    response = _post(Client(), breakout, "Typed before the session ended", **HTMX)

    assert response.status_code == 403
    assert not Idea.objects.exists()


def test_post_idea_signed_out_goes_to_sign_in(breakout):
    response = _post(Client(), breakout, "Who am I")

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert not Idea.objects.exists()
