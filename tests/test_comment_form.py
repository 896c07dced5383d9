"""A comment refused is answered by its own comment box: the message by the box and tied to it,
naming the idea, the text as typed and the token as sent; and one length limit, said by the box
and held by the server with a message, never by cutting the text short."""

from __future__ import annotations

import html
import re
import uuid

import pytest
from django.urls import reverse

from breakouts.models import COMMENT_MAX_LENGTH, Breakout, Comment, Idea
from tests.conftest import client_for


@pytest.fixture
def idea(breakout, facilitator) -> Idea:
    Breakout.objects.filter(pk=breakout.pk).update(phase=Breakout.Phase.BUILD)
    return Idea.objects.create(
        breakout=breakout, author=facilitator, text="Pool the data", client_token=uuid.uuid4()
    )


def _comment(attendee, idea: Idea, text: str, token: str | None = None, **extra):
    return client_for(attendee).post(
        reverse("breakouts:comment", args=[idea.breakout_id, idea.pk]),
        {"text": text, "client_token": token or str(uuid.uuid4()), **extra},
        HTTP_HX_REQUEST="true",
    )


def _box(response, idea: Idea) -> tuple[str, str, str]:
    """The refused box: its error message, the textarea's attributes and the text in it."""
    body = response.content.decode()
    assert response.status_code == 422
    assert response.headers["HX-Retarget"] == f"#comment-form-{idea.pk}"
    assert response.headers["HX-Reswap"] == "outerHTML"
    assert body.startswith(f'<form class="comment-form" id="comment-form-{idea.pk}"')
    error = re.search(
        rf'<p class="error-message" id="comment-{idea.pk}-error">(.*?)</p>', body, re.S
    )
    assert error, body
    textarea = re.search(
        rf'<textarea ([^>]*id="comment-{idea.pk}"[^>]*)>(.*?)</textarea>', body, re.S
    )
    assert textarea, body
    message = " ".join(re.sub(r"<[^>]+>", "", error[1]).split())
    return html.unescape(message), textarea[1], html.unescape(textarea[2])


def _tied(attributes: str, idea: Idea) -> bool:
    return (
        'aria-invalid="true"' in attributes
        and f'aria-describedby="comment-{idea.pk}-error"' in attributes
    )


@pytest.mark.parametrize("text", ["", "   "])
def test_comment_empty_is_refused_by_its_box_naming_the_idea(attendee, idea, text):
    response = _comment(attendee, idea, text)

    message, attributes, kept = _box(response, idea)
    assert message == "Error: Enter your comment on “Pool the data”"
    assert _tied(attributes, idea)
    assert kept == text
    assert not Comment.objects.exists()


def test_comment_over_the_limit_is_refused_with_the_limit_and_its_length_and_kept(attendee, idea):
    text = "x" * (COMMENT_MAX_LENGTH + 1)

    response = _comment(attendee, idea, text)

    message, attributes, kept = _box(response, idea)
    assert COMMENT_MAX_LENGTH == 300
    assert message == (
        "Error: Your comment on “Pool the data” must be 300 characters or fewer (it has 301)"
    )
    assert _tied(attributes, idea)
    assert kept == text
    assert not Comment.objects.exists()


def test_comment_at_the_limit_is_posted_whole(attendee, idea):
    text = "x" * COMMENT_MAX_LENGTH

    response = _comment(attendee, idea, text)

    assert response.status_code == 200
    assert Comment.objects.get().text == text


def test_comment_message_names_an_idea_with_a_percent_sign(attendee, breakout, facilitator):
    Breakout.objects.filter(pk=breakout.pk).update(phase=Breakout.Phase.BUILD)
    idea = Idea.objects.create(
        breakout=breakout, author=facilitator, text="Cut 50% of forms", client_token=uuid.uuid4()
    )

    message, _, _ = _box(_comment(attendee, idea, "y" * 400), idea)

    assert message == (
        "Error: Your comment on “Cut 50% of forms” must be 300 characters or fewer (it has 400)"
    )


def test_comment_with_a_nul_is_refused_by_its_box_without_the_nul(attendee, idea):
    message, attributes, kept = _box(_comment(attendee, idea, "Start with\x00 care"), idea)

    assert "Your comment on “Pool the data”" in message
    assert "cannot be stored" in message
    assert _tied(attributes, idea)
    assert kept == "Start with care"
    assert not Comment.objects.exists()


def test_comment_refused_keeps_its_token_so_sending_again_is_one_comment(attendee, idea):
    token = str(uuid.uuid4())

    refused = _comment(attendee, idea, "", token)
    _comment(attendee, idea, "Start with care", token)
    _comment(attendee, idea, "Start with care", token)

    assert f'name="client_token" value="{token}"' in refused.content.decode()
    assert list(Comment.objects.values_list("text", flat=True)) == ["Start with care"]


def test_comment_refused_by_the_phase_is_answered_by_its_box(
    attendee, idea, django_capture_on_commit_callbacks
):
    Breakout.objects.filter(pk=idea.breakout_id).update(phase=Breakout.Phase.VOTE)

    with django_capture_on_commit_callbacks(execute=True) as pushes:
        response = _comment(attendee, idea, "Too late")

    message, attributes, kept = _box(response, idea)
    assert message == "Error: The group is not taking comments in the “Vote” phase"
    assert _tied(attributes, idea)
    assert kept == "Too late"
    assert pushes == []
    assert not Comment.objects.exists()


def test_comment_refused_as_too_fast_is_answered_by_its_box(attendee, idea, settings):
    settings.POSTS_PER_MINUTE = 1
    _comment(attendee, idea, "Start with care")

    message, attributes, kept = _box(_comment(attendee, idea, "And housing"), idea)

    assert message == "Error: You are sending very quickly. Wait a few seconds, then send again."
    assert _tied(attributes, idea)
    assert kept == "And housing"
    assert list(Comment.objects.values_list("text", flat=True)) == ["Start with care"]


def test_comment_box_on_the_board_says_the_limit_and_cuts_nothing(attendee, idea):
    board = client_for(attendee).get(reverse("breakouts:board", args=[idea.breakout_id]))

    body = board.content.decode()
    box = re.search(
        rf'<form class="comment-form" id="comment-form-{idea.pk}".*?</form>', body, re.S
    )
    assert box, body
    assert 'Build on this idea <span class="hint">(up to 300 characters)</span>' in box[0]
    assert "maxlength" not in box[0]
    assert "aria-invalid" not in box[0]
    assert "error-message" not in box[0]
