"""A theme across rooms on the plenary's big screen: put there and taken off by a facilitator,
logged and pushed; shown in large type with its rooms, ideas, dots and sectors over whatever
the screen showed, which comes back when it is taken off; kept current as what is mapped to
it changes; and read in queries that do not grow with the theme."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AuditEntry
from plenary import steering, themes
from plenary.models import Plenary
from plenary.services import plenary_for
from summit.event.refusals import Refused
from summit.synthesis import services
from summit.synthesis.models import Theme
from tests.conftest import client_for, in_english
from tests.synthesis_day import Rooms, more_rooms

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("lexical_engine")]


@pytest.fixture
def money(rooms: Rooms) -> Theme:
    theme = services.add_theme(rooms.first.subtheme, "Money follows the place", by=rooms.organiser)
    services.map_item(rooms.budgets, theme.pk, by=rooms.organiser)
    services.map_item(rooms.joint, theme.pk, by=rooms.organiser)
    return theme


@pytest.fixture
def pushed(monkeypatch) -> list[tuple[str, str]]:
    sent: list[tuple[str, str]] = []
    monkeypatch.setattr("plenary.live.push", lambda fragments, **_: sent.extend(fragments))
    return sent


def _plenary_log() -> list[str]:
    return list(
        AuditEntry.objects.filter(place="Plenary").order_by("pk").values_list("action", flat=True)
    )


def _screen(plenary: Plenary) -> str:
    plenary.refresh_from_db()
    return client_for_screen(plenary)


def client_for_screen(plenary: Plenary) -> str:
    from django.test import Client

    response = Client().get(reverse("plenary:screen", args=[plenary.screen_key]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_theme_on_the_big_screen_shows_its_rooms_ideas_dots_and_sectors(
    rooms, money, pushed, django_capture_on_commit_callbacks
):
    plenary = plenary_for(rooms.summit)
    steering.show(plenary, Plenary.Showing.MESSAGE, message="Back at two")

    with django_capture_on_commit_callbacks(execute=True):
        themes.show_theme(plenary, money.pk, by=rooms.facilitator)

    screen = _screen(plenary)
    assert "A theme across the rooms" in screen
    assert "Money follows the place" in screen
    assert f"{rooms.first.name}, Second room" in screen
    assert "<dt>Ideas</dt><dd>3</dd>" in screen
    assert "<dt>Dots</dt><dd>18</dd>" in screen
    assert "Supported from 3 sectors: Local government 6, Other sectors together" in screen
    assert "Back at two" not in screen
    assert _plenary_log() == ["Put a theme on the big screen"]
    assert {group for group, _ in pushed} >= {f"plenary-{plenary.pk}-screen"}

    with django_capture_on_commit_callbacks(execute=True):
        themes.clear_theme(plenary, by=rooms.facilitator)
        themes.clear_theme(plenary, by=rooms.facilitator)  # nothing more

    screen = _screen(plenary)
    assert "Back at two" in screen  # what it showed before
    assert "Money follows the place" not in screen
    assert _plenary_log() == ["Put a theme on the big screen", "Took the theme off the big screen"]


def test_a_theme_of_another_summit_is_refused(rooms, outsider):
    subtheme = outsider.summit.subthemes.get()
    elsewhere = services.add_theme(subtheme, "Elsewhere", by=None)

    with pytest.raises(Refused, match="Choose one of this summit’s themes"):
        themes.show_theme(plenary_for(rooms.summit), elsewhere.pk, by=rooms.organiser)

    assert plenary_for(rooms.summit).shown_theme is None


def test_choosing_what_the_screen_shows_takes_the_theme_off(rooms, money):
    plenary = plenary_for(rooms.summit)
    themes.show_theme(plenary, money.pk, by=rooms.organiser)

    steering.show(plenary, Plenary.Showing.MESSAGE, message="Lunch", by=rooms.organiser)

    plenary.refresh_from_db()
    assert plenary.shown_theme is None
    assert "Lunch" in _screen(plenary)


def test_the_console_names_the_theme_and_takes_it_off(rooms, money):
    plenary = plenary_for(rooms.summit)
    themes.show_theme(plenary, money.pk, by=rooms.organiser)
    client = client_for(rooms.facilitator)

    console = client.get(reverse("plenary:console", args=[rooms.summit.slug])).content.decode()
    response = client.post(
        reverse("plenary:clear_theme", args=[rooms.summit.slug]),
        {"view": "facilitators"},
        HTTP_HX_REQUEST="true",
    )

    assert "the theme across rooms “Money follows the place”" in console
    assert response.status_code == 200
    assert 'id="board"' in response.content.decode()
    plenary.refresh_from_db()
    assert plenary.shown_theme is None


def test_from_the_synthesis_page_the_answer_says_what_is_on_the_screen(rooms, money):
    client = client_for(rooms.facilitator)
    url = reverse("plenary:show_theme", args=[rooms.summit.slug])

    shown = client.post(url, {"theme": money.pk}, HTTP_HX_REQUEST="true")
    refused = client.post(url, {"theme": "nothing"}, HTTP_HX_REQUEST="true")
    plain = client.post(url, {"theme": money.pk})

    assert shown.status_code == 200
    assert "“Money follows the place” is on the big screen." in shown.content.decode()
    assert refused.status_code == 422
    assert "Choose one of this summit’s themes" in refused.content.decode()
    assert plain.status_code == 302
    assert plain.url == reverse(
        "synthesis_subtheme", args=[rooms.summit.slug, rooms.first.subtheme_id]
    )


def test_a_change_to_the_themes_mapping_is_pushed_to_the_screens(
    rooms, money, monkeypatch, django_capture_on_commit_callbacks
):
    sent: list[tuple[str, str]] = []
    monkeypatch.setattr(
        "summit.synthesis.live.push", lambda fragments, **_: sent.extend(in_english(fragments))
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.map_item(rooms.voice, money.pk, by=rooms.organiser)

    screens = [html for group, html in sent if group == f"synthesis-screens-{rooms.summit.pk}"]
    [html] = screens
    assert f'<section class="screen-theme" id="screen-theme-{money.pk}"' in html
    assert 'hx-swap-oob="outerHTML" data-if-shown' in html
    assert "<dt>Ideas</dt><dd>4</dd>" in html


def test_a_removed_theme_signals_the_screens_to_fetch_again(
    rooms, monkeypatch, django_capture_on_commit_callbacks
):
    theme = services.add_theme(rooms.first.subtheme, "Short lived", by=rooms.organiser)
    plenary = plenary_for(rooms.summit)
    themes.show_theme(plenary, theme.pk, by=rooms.organiser)
    sent: list[tuple[str, str]] = []
    monkeypatch.setattr(
        "summit.synthesis.live.push", lambda fragments, **_: sent.extend(in_english(fragments))
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.remove_theme(theme, by=rooms.organiser)

    [html] = [html for group, html in sent if group.startswith("synthesis-screens-")]
    assert f'id="screen-theme-{theme.pk}"' in html
    assert "data-refresh-board" in html
    plenary.refresh_from_db()
    assert plenary.shown_theme is None


def test_the_big_screen_takes_the_same_queries_however_big_the_theme(rooms, money):
    plenary = plenary_for(rooms.summit)
    themes.show_theme(plenary, money.pk, by=rooms.organiser)
    url = reverse("plenary:screen_panel", args=[plenary.screen_key])
    from django.test import Client

    counts = []
    for n in (1, 10):
        more_rooms(rooms, n, money)
        with CaptureQueriesContext(connection) as queries:
            assert Client().get(url).status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1]
