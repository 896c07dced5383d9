"""Every page a person can reach, full of a summit's day, checked by axe-core against WCAG 2.2
AA and its best practices at a phone's, a laptop's and a projector's size: no finding of any
impact, no console error or warning, and no failed request, with demonstration mode on."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations
from tests.e2e.summit_day import (  # noqa: F401
    SIZES,
    day,
    findings_at_every_size,
    findings_on,
    live_day,
    people_of,
    settled,
)

pytestmark = pytest.mark.e2e


def pages_by_person(live) -> dict[str, list[tuple[str, str]]]:
    """Each person's pages, as (name, path), in the order they visit them."""
    today = live.day
    slug = today.summit.slug
    summit = [slug]
    return {
        "visitor": [
            ("home", reverse("home")),
            ("join", reverse("join")),
            ("join this summit", reverse("join_summit", args=[today.summit.join_code])),
            ("sign-in", reverse("login")),
            ("password reset", reverse("password_reset")),
            ("demo sign-in", reverse("demo_login")),
            ("privacy", reverse("privacy")),
        ],
        "attendee": [
            ("home, signed in", reverse("home")),
            ("summit home", reverse("summit_home", args=summit)),
            ("pre-reading", reverse("pre_reading", args=summit)),
            ("breakout, closed", reverse("breakouts:breakout", args=[today.breakout.pk])),
            ("plenary room", reverse("plenary:room", args=summit)),
            ("my data", reverse("my_data", args=summit)),
            ("summit privacy", reverse("summit_privacy", args=summit)),
        ],
        "facilitator": [
            ("summit home, facilitator", reverse("summit_home", args=summit)),
            ("console, closed", reverse("breakouts:console", args=[today.breakout.pk])),
            ("record, facilitator", reverse("record", args=summit)),
            ("join screen", reverse("join_screen", args=summit)),
        ],
        "organiser": [
            ("home, organiser", reverse("home")),
            ("summit home, organiser", reverse("summit_home", args=summit)),
            ("people", reverse("people", args=summit)),
            ("invites", reverse("invites", args=summit)),
            ("joining", reverse("joining", args=summit)),
            ("breakouts set-up", reverse("breakouts_setup", args=summit)),
            ("voice", reverse("voice", args=summit)),
            ("how views moved", reverse("shift", args=summit)),
            ("audit", reverse("audit_log", args=summit)),
            ("record", reverse("record", args=summit)),
            ("new summit", reverse("new_summit")),
            ("plenary console", reverse("plenary:console", args=summit)),
        ],
        "other facilitator": [
            ("console, gathering", reverse("breakouts:console", args=[today.other.pk])),
        ],
        "other member": [
            ("breakout, gathering", reverse("breakouts:breakout", args=[today.other.pk])),
        ],
        "projector": [
            ("breakout big screen", reverse("breakouts:screen", args=[today.other.screen_key])),
            ("plenary big screen", reverse("plenary:screen", args=[live.plenary.screen_key])),
        ],
    }


def error_pages(live) -> list[tuple[str, str, int]]:
    """Pages that answer with an error, on purpose: (person, path, status)."""
    today = live.day
    return [
        ("visitor", "/no-such-page/", 404),
        ("attendee", reverse("breakouts:console", args=[today.breakout.pk]), 403),
        ("attendee", reverse("breakouts:breakout", args=[today.other.pk]), 403),
    ]


# The people, in three groups of about as many pages each, so the groups run side by side.
GROUPS = {
    "visitor and attendee": ("visitor", "attendee"),
    "organiser": ("organiser",),
    "facilitators, members and projector": (
        "facilitator",
        "other facilitator",
        "other member",
        "newcomer",
        "projector",
    ),
}


@pytest.mark.parametrize("group", GROUPS)
def test_every_page_is_clean_at_every_size(
    group,
    live_day,  # noqa: F811
    live_url,
    context_for,
    browser_problems,
):
    """Every page at every size in English, then again in Welsh (as the language switch
    leaves it) at a phone's size, where the longer words have least room."""
    assert settings.DEMO_LOGIN, "demonstration mode is on, with its banner on every page"
    visitors = set(pages_by_person(live_day)) | {name for name, _, _ in error_pages(live_day)}
    assert visitors <= set().union(*GROUPS.values()), "everyone with a page is in a group"
    people = {name: person for name, person in people_of(live_day).items() if name in GROUPS[group]}
    contexts = {name: context_for(person) for name, person in people.items()}
    pages = {name: context.new_page() for name, context in contexts.items()}
    found = []

    for name, visits in pages_by_person(live_day).items():
        if name in pages:
            for label, path in visits:
                found += findings_on(pages[name], label, path)

    for name, path, status in error_pages(live_day):
        if name in pages:
            found += findings_on(pages[name], f"{status} at {path}", path, status, browser_problems)

    welsh = {"name": settings.LANGUAGE_COOKIE_NAME, "value": "cy", "url": live_url}
    for name, context in contexts.items():
        context.add_cookies([welsh])
        for label, path in pages_by_person(live_day).get(name, []):
            found += _findings_in_welsh(pages[name], f"{label} (Cymraeg)", path)

    found += browser_problems.found
    assert found == [], "\n".join(found)
    browser_problems.found.clear()


def _findings_in_welsh(page, label: str, path: str) -> list[str]:
    """What axe finds on the page in Welsh at a phone's size, and whether it says it is."""
    page.set_viewport_size({"width": SIZES["phone"][0], "height": SIZES["phone"][1]})
    page.goto(path)
    settled(page)
    found = [f"{label}: {violation}" for violation in axe_violations(page)]
    if page.locator("html").get_attribute("lang") != "cy":
        found.append(f"{label}: not in Welsh")
    return found


def _answer(status: int, body: str):
    """A route's handler that answers with this page, as the server would."""

    def fulfil(route) -> None:
        route.fulfill(status=status, body=body, content_type="text/html; charset=utf-8")

    return fulfil


def test_pages_for_when_things_go_wrong_are_clean_at_every_size(
    live_url, context_for, browser_problems
):
    """The offline page a phone keeps, the page the server answers when it fails (500) and
    the one it answers while the database is away (503), each as the app renders it."""
    from django.contrib.auth.models import AnonymousUser
    from django.shortcuts import render
    from django.template import loader
    from django.test import RequestFactory

    server_error = loader.get_template("500.html").render()  # as Django's own handler does
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    unavailable = render(request, "503.html", status=503).content.decode()  # as outages does
    page = context_for().new_page()
    for path, status, body in (("/failed/", 500, server_error), ("/away/", 503, unavailable)):
        browser_problems.expect_status(status, path)
        page.route(f"{live_url}{path}", _answer(status, body))
    found = []

    for label, path, status in (
        ("offline page", reverse("offline"), 200),
        ("server error", "/failed/", 500),
        ("database away", "/away/", 503),
    ):
        response = page.goto(path)
        assert response.status == status
        settled(page)
        expect(page.locator("main h1")).to_be_visible()
        found += findings_at_every_size(page, label)

    found += browser_problems.found
    assert found == [], "\n".join(found)
    browser_problems.found.clear()
