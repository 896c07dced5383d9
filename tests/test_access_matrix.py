"""Every URL of the project, asked for by every kind of person.

A new view must be added to ``CASES`` or the first test fails: no page ships without a
decision about who may see it.
"""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts import services as account_services
from accounts.models import Invite, Participant
from tests.conftest import client_for, make_participant

WHO = ["anonymous", "outsider", "attendee", "facilitator", "organiser"]

# Statuses, in the order of WHO.
PUBLIC = (200, 200, 200, 200, 200)
MEMBERS = (302, 404, 200, 200, 200)  # anyone in the summit (or the breakout)
FACILITATORS = (302, 404, 403, 200, 200)
ORGANISERS = (302, 404, 403, 403, 200)


def _invite_token(ctx) -> str:
    _, token = account_services.invite(
        summit=ctx["summit"],
        by=ctx["organiser"],
        email="new.facilitator@example.org",
        role=Participant.Role.FACILITATOR,
        accept_url_for=lambda t: f"http://testserver/invite/{t}/",
    )
    return token


def _invite_id(ctx) -> int:
    _invite_token(ctx)
    return Invite.objects.get().pk


# name: (method, data, kwargs from the context, statuses in the order of WHO)
CASES = {
    "home": ("get", None, lambda c: {}, PUBLIC),
    "privacy": ("get", None, lambda c: {}, PUBLIC),
    "join": ("get", None, lambda c: {}, PUBLIC),
    "login": ("get", None, lambda c: {}, PUBLIC),
    "demo_login": ("get", None, lambda c: {}, PUBLIC),
    "password_reset": ("get", None, lambda c: {}, PUBLIC),
    "password_reset_done": ("get", None, lambda c: {}, PUBLIC),
    "password_reset_complete": ("get", None, lambda c: {}, PUBLIC),
    "password_reset_confirm": (
        "get",
        None,
        lambda c: {"uidb64": "MQ", "token": "forged-token"},
        PUBLIC,
    ),
    # Signing out only by POST, so a link or image cannot sign anyone out.
    "logout": ("get", None, lambda c: {}, (405, 405, 405, 405, 405)),
    # People already in the summit go straight to it; anyone else gets the form.
    "join_summit": (
        "get",
        None,
        lambda c: {"code": c["summit"].join_code},
        (200, 200, 302, 302, 302),
    ),
    "return_link": ("get", None, lambda c: {"key": c["return_key"]}, PUBLIC),
    "accept_invite": ("get", None, lambda c: {"token": _invite_token(c)}, PUBLIC),
    "new_summit": ("get", None, lambda c: {}, (302, 403, 403, 403, 200)),
    "summit_home": ("get", None, lambda c: {"slug": c["summit"].slug}, MEMBERS),
    "pre_reading": ("get", None, lambda c: {"slug": c["summit"].slug}, MEMBERS),
    "new_return_link": ("post", {}, lambda c: {"slug": c["summit"].slug}, MEMBERS),
    "people": ("get", None, lambda c: {"slug": c["summit"].slug}, ORGANISERS),
    "update_person": (
        "post",
        {"role": "facilitator"},
        lambda c: {"slug": c["summit"].slug, "person_id": c["someone"].pk},
        (302, 404, 403, 403, 302),
    ),
    "remove_person": (
        "get",
        None,
        lambda c: {"slug": c["summit"].slug, "person_id": c["someone"].pk},
        ORGANISERS,
    ),
    "invites": ("get", None, lambda c: {"slug": c["summit"].slug}, ORGANISERS),
    "withdraw_invite": (
        "post",
        {},
        lambda c: {"slug": c["summit"].slug, "invite_id": _invite_id(c)},
        (302, 404, 403, 403, 302),
    ),
    "joining": ("get", None, lambda c: {"slug": c["summit"].slug}, ORGANISERS),
    "new_join_code": (
        "post",
        {},
        lambda c: {"slug": c["summit"].slug},
        (302, 404, 403, 403, 302),
    ),
    "join_screen": ("get", None, lambda c: {"slug": c["summit"].slug}, FACILITATORS),
    "breakouts:breakout": ("get", None, lambda c: {"breakout_id": c["breakout"].pk}, MEMBERS),
    "breakouts:idea_list": ("get", None, lambda c: {"breakout_id": c["breakout"].pk}, MEMBERS),
    "breakouts:console": (
        "get",
        None,
        lambda c: {"breakout_id": c["breakout"].pk},
        FACILITATORS,
    ),
    # An empty idea is refused with the form and its errors, to members only.
    "breakouts:post_idea": (
        "post",
        {"text": "", "client_token": str(uuid.uuid4())},
        lambda c: {"breakout_id": c["breakout"].pk},
        (302, 404, 422, 422, 422),
    ),
}


def _names(patterns, prefix: str = "") -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            names |= _names(pattern.url_patterns, namespace)
        elif isinstance(pattern, URLPattern):
            assert pattern.name, f"every URL needs a name: {pattern.pattern}"
            names.add(prefix + pattern.name)
    return names


def test_every_url_pattern_is_in_the_access_table():
    assert _names(get_resolver().url_patterns) == set(CASES)


@pytest.fixture
def ctx(breakout, attendee, facilitator, organiser, outsider):
    someone = make_participant(breakout.summit, name="Sam Someone")
    breakout.members.add(someone)
    return {
        "summit": breakout.summit,
        "breakout": breakout,
        "attendee": attendee,
        "facilitator": facilitator,
        "organiser": organiser,
        "outsider": outsider,
        "someone": someone,
        "return_key": account_services.make_return_link_key(someone),
    }


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("who", WHO)
def test_url_answers_each_kind_of_person(ctx, name, who):
    method, data, kwargs, statuses = CASES[name]
    expected = statuses[WHO.index(who)]
    client = Client() if who == "anonymous" else client_for(ctx[who])
    url = reverse(name, kwargs=kwargs(ctx))

    response = getattr(client, method)(url, data) if data is not None else client.get(url)

    assert response.status_code == expected, f"{method.upper()} {url} as {who}"
    body = response.content.decode()
    if expected in (403, 404):
        # A refusal says nothing of the summit behind it.
        assert ctx["summit"].join_code not in body
        assert "Sam Someone" not in body
    if expected == 302 and who == "anonymous":
        assert response.url.startswith(reverse("login"))
