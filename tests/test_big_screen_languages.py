"""The big screens in both languages: the organisers choose, on the summit's settings page,
whether the big screens show the summit's words in each screen's own language or in English
and Welsh side by side. Side by side, the organiser's words and the screens' own labels come in
two columns, each marked with its language; a text with one version only is shown once; people's
own words are shown once, as written; and what is pushed to a big screen is side by side too,
whichever language its socket joined in."""

from __future__ import annotations

import re
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext, ngettext

from accounts.models import AuditEntry
from breakouts.models import Idea
from plenary import live as plenary_live
from plenary.models import Plenary, Poll, PollOption
from plenary.room import ATTENDEES, SCREEN, plenary_group
from plenary.services import plenary_for
from summit.event.models import Summit
from summit.live.languages import joined
from summit.organise import summit_settings
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

BOTH = Summit.BigScreenLanguages.BOTH
ONE = Summit.BigScreenLanguages.ONE
QUESTION = "Where should the money go first?"
QUESTION_CY = "I ble dylai’r arian fynd yn gyntaf?"
OPTIONS = [("Prevention", "Atal"), ("Housing", "Tai"), ("Transport", "")]
IDEA = "Share one front door for every service"


def _side_by_side(english: str, welsh: str, *, markup: bool = False) -> str:
    """The two columns of a text as a big screen in both languages draws them (``markup``: the
    texts are HTML already)."""
    if not markup:
        english, welsh = escape(english), escape(welsh)
    return (
        '<span class="side-by-side">'
        f'<span class="side-by-side__version" lang="en-gb">{english}</span>'
        f'<span class="side-by-side__version" lang="cy">{welsh}</span>'
        "</span>"
    )


def _label(msgid: str, **values) -> str:
    """A label of the screen's own, in both its columns, with ``values`` put in (HTML)."""
    with translation.override("cy"):
        welsh = gettext(msgid)
    assert welsh != msgid, f"no Welsh for {msgid!r}"
    if values:
        return _side_by_side(gettext(msgid) % values, welsh % values, markup=True)
    return _side_by_side(gettext(msgid), welsh)


def _responses(n: int) -> str:
    """How many answered, in both columns."""
    english = ngettext("%(counter)s response", "%(counter)s responses", n) % {"counter": n}
    with translation.override("cy"):
        welsh = ngettext("%(counter)s response", "%(counter)s responses", n) % {"counter": n}
    return _side_by_side(english, welsh)


def _choose(summit: Summit, languages: str) -> Summit:
    Summit.objects.filter(pk=summit.pk).update(big_screen_languages=languages)
    summit.refresh_from_db()
    return summit


def _poll_on_screen(summit: Summit, **fields) -> Poll:
    """A choice poll with a Welsh question and Welsh options (but the last), open and on the
    plenary's big screen."""
    plenary = plenary_for(summit)
    poll = Poll.objects.create(
        plenary=plenary,
        kind=Poll.Kind.CHOICE,
        question=QUESTION,
        question_cy=QUESTION_CY,
        state=Poll.State.OPEN,
        **fields,
    )
    for order, (text, text_cy) in enumerate(OPTIONS, start=1):
        PollOption.objects.create(poll=poll, order=order, text=text, text_cy=text_cy)
    Plenary.objects.filter(pk=plenary.pk).update(showing=Plenary.Showing.POLL, shown_poll=poll)
    return poll


def _plenary_screen(summit: Summit, language: str = "en-gb", name: str = "plenary:screen") -> str:
    key = plenary_for(summit).screen_key
    response = Client().get(reverse(name, args=[key]), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


# The setting


def _settings_data(summit: Summit, **changes) -> dict:
    names = (
        *("title", "title_cy", "central_question", "central_question_cy", "summary"),
        *("summary_cy", "venue", "time_zone", "welcome", "welcome_cy", "big_screen_languages"),
    )
    data = {name: getattr(summit, name) for name in names}
    data.update(date="", dot_budget=str(summit.dot_budget), supermajority="75")
    data["allow_anonymous"] = "on" if summit.allow_anonymous else ""
    return {**data, **changes}


@pytest.fixture
def screens_told(monkeypatch) -> list[int]:
    """The summits whose every screen was told to fetch what it shows again."""
    told: list[int] = []
    monkeypatch.setattr(summit_settings, "screens_follow", lambda pk, _: told.append(pk))
    return told


def test_the_settings_page_offers_both_ways_and_starts_with_one_language(summit, organiser):
    html = client_for(organiser).get(reverse("summit_settings", args=[summit.slug])).content
    html = html.decode()

    assert "How the big screens show the summit’s words" in html
    assert re.search(r'name="big_screen_languages" value="one"[^>]*checked', html)
    assert re.search(r'name="big_screen_languages" value="both"(?![^>]*checked)', html)
    assert "In English and Welsh side by side" in html


def test_choosing_side_by_side_is_saved_audited_and_redraws_every_screen(
    summit, organiser, screens_told, django_capture_on_commit_callbacks
):
    url = reverse("summit_settings", args=[summit.slug])

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(organiser).post(
            url, _settings_data(summit, big_screen_languages=BOTH)
        )

    assert response.status_code == 302
    assert Summit.objects.get(pk=summit.pk).big_screen_bilingual
    entry = AuditEntry.objects.get(action="Changed the summit's settings")
    assert entry.detail == {"big_screen_languages": "both"}
    assert entry.actor_id == organiser.pk
    assert screens_told == [summit.pk]


def test_a_change_that_leaves_the_screens_alone_does_not_redraw_them(
    summit, organiser, screens_told, django_capture_on_commit_callbacks
):
    url = reverse("summit_settings", args=[summit.slug])

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(organiser).post(url, _settings_data(summit, venue="Guildhall"))

    assert response.status_code == 302
    assert Summit.objects.get(pk=summit.pk).venue == "Guildhall"
    assert screens_told == []


def test_a_way_not_offered_is_refused_with_a_clear_message(summit, organiser):
    url = reverse("summit_settings", args=[summit.slug])

    response = client_for(organiser).post(url, _settings_data(summit, big_screen_languages="all"))

    assert response.status_code == 422
    assert "Choose one of the ways listed to show the summit’s words" in response.content.decode()
    assert Summit.objects.get(pk=summit.pk).big_screen_languages == ONE
    assert not AuditEntry.objects.filter(action="Changed the summit's settings").exists()


def test_facilitators_read_how_the_big_screens_show_the_summits_words(summit, facilitator):
    _choose(summit, BOTH)

    html = client_for(facilitator).get(reverse("summit_settings", args=[summit.slug])).content

    assert "<dd>In English and Welsh side by side</dd>" in html.decode()


# The plenary's big screen


def test_in_one_language_the_plenary_screen_shows_its_own_language_alone(summit):
    _poll_on_screen(summit)

    english = _plenary_screen(summit)
    welsh = _plenary_screen(summit, "cy")

    assert escape(QUESTION) in english
    assert escape(QUESTION_CY) not in english
    assert "Answer on your phone" in english
    assert escape(QUESTION_CY) in welsh
    assert escape(QUESTION) not in welsh
    assert "Atebwch ar eich ffôn" in welsh
    assert "Answer on your phone" not in welsh
    for html in (english, welsh):
        assert "side-by-side" not in html


@pytest.mark.parametrize("language", ["en-gb", "cy"])
def test_side_by_side_the_plenary_screen_shows_the_poll_in_both_languages(summit, language):
    _choose(summit, BOTH)
    _poll_on_screen(summit)

    html = _plenary_screen(summit, language)

    # The same on a screen opened in either language: English first, then Welsh.
    assert _side_by_side(QUESTION, QUESTION_CY) in html
    for text, text_cy in OPTIONS[:2]:
        assert f"<li>{_side_by_side(text, text_cy)}</li>" in html
    assert _side_by_side(summit.title, summit.title_cy) in html
    assert _label("Answer on your phone") in html
    assert _label("Join: <strong>%(code)s</strong>", code=summit.join_code) in html


def test_side_by_side_a_text_with_no_welsh_is_shown_once_marked_as_english(summit):
    _choose(summit, BOTH)
    _poll_on_screen(summit)

    html = _plenary_screen(summit, "cy")

    # "Transport" has no Welsh: once, in English, said to be English.
    assert '<li><span lang="en-gb">Transport</span></li>' in html
    assert html.count(">Transport<") == 1


def test_side_by_side_the_central_question_and_how_to_join_come_in_both(summit):
    _choose(summit, BOTH)

    html = _plenary_screen(summit)

    assert _side_by_side(summit.central_question, summit.central_question_cy) in html
    assert _label("The question for the day") in html
    join_url = f"http://testserver/j/{summit.join_code}/"
    how = (
        "Join at <strong>%(url)s</strong><br>"
        'or type the code <strong class="join-code">%(code)s</strong>'
    )
    assert _label(how, url=join_url, code=summit.join_code) in html


def test_side_by_side_peoples_own_words_are_shown_once_as_written(summit, breakout, attendee):
    _choose(summit, BOTH)
    idea = Idea.objects.create(
        breakout=breakout, author=attendee, text=IDEA, client_token=uuid.uuid4()
    )
    Plenary.objects.filter(pk=plenary_for(summit).pk).update(
        showing=Plenary.Showing.IDEA, shown_idea=idea
    )

    html = _plenary_screen(summit)

    assert html.count(IDEA) == 1
    assert f'<p class="screen-idea__text">{IDEA}</p>' in html
    assert _label("In the spotlight, from %(name)s", name=breakout.name) in html


def test_side_by_side_what_is_on_now_heads_the_screen_in_both(summit):
    item = summit.agenda.exclude(title_cy="").first()
    Summit.objects.filter(pk=summit.pk).update(agenda_now=item)
    _choose(summit, BOTH)

    html = _plenary_screen(summit, "cy")

    heading = html.split('class="big-screen__question">')[1].split("</p>")[0]
    assert heading == _label("Now") + _side_by_side(item.title, item.title_cy)


def test_in_one_language_what_is_on_now_is_in_the_screens_own(summit):
    item = summit.agenda.exclude(title_cy="").first()
    Summit.objects.filter(pk=summit.pk).update(agenda_now=item)

    html = _plenary_screen(summit, "cy")

    assert f"Nawr: {escape(item.title_cy)}" in html
    assert escape(item.title) not in html


def test_the_room_fetched_again_redraws_the_heading_in_both_languages(summit):
    _choose(summit, BOTH)
    _poll_on_screen(summit)

    html = _plenary_screen(summit, name="plenary:screen_panel")

    heading = html.split('id="screen-heading" hx-swap-oob="true"')[1]
    assert heading.startswith(">")
    assert _side_by_side(summit.title, summit.title_cy) in heading
    assert _side_by_side(QUESTION, QUESTION_CY) in html


# A breakout's big screen and the join screen


def test_side_by_side_a_breakouts_big_screen_shows_its_question_and_labels_in_both(breakout):
    summit = _choose(breakout.summit, BOTH)
    subtheme = breakout.subtheme
    assert subtheme.question_cy

    for language in ("en-gb", "cy"):
        response = Client().get(
            reverse("breakouts:screen", args=[breakout.screen_key]), HTTP_ACCEPT_LANGUAGE=language
        )
        html = response.content.decode()
        assert _side_by_side(subtheme.question, subtheme.question_cy) in html
        assert _label("Ideas from the group") in html
        assert _label("Join: <strong>%(code)s</strong>", code=summit.join_code) in html

    board = Client().get(reverse("breakouts:screen_board", args=[breakout.screen_key]))
    assert 'id="screen-heading" hx-swap-oob="true"' in board.content.decode()
    assert _side_by_side(subtheme.question, subtheme.question_cy) in board.content.decode()


def test_in_one_language_a_breakouts_big_screen_asks_its_question_in_the_screens_own(breakout):
    subtheme = breakout.subtheme

    response = Client().get(
        reverse("breakouts:screen", args=[breakout.screen_key]), HTTP_ACCEPT_LANGUAGE="cy"
    )

    html = response.content.decode()
    assert escape(subtheme.question_cy) in html
    assert escape(subtheme.question) not in html
    assert "side-by-side" not in html


def test_side_by_side_the_join_screen_shows_the_summit_and_its_labels_in_both(summit, organiser):
    _choose(summit, BOTH)

    html = client_for(organiser).get(reverse("join_screen", args=[summit.slug])).content.decode()

    assert _side_by_side(summit.title, summit.title_cy) in html
    assert _side_by_side(summit.central_question, summit.central_question_cy) in html
    assert _label("Scan the code, or go to") in html
    assert _label("Join code") in html


def test_in_one_language_the_join_screen_is_in_the_screens_language(summit, organiser):
    url = reverse("join_screen", args=[summit.slug])
    english = client_for(organiser).get(url).content.decode()
    organiser.language = "cy"
    organiser.save()
    welsh = client_for(organiser).get(url).content.decode()

    assert "Join code" in english
    assert escape(summit.central_question) in english
    assert "Cod ymuno" in welsh
    assert escape(summit.central_question_cy) in welsh
    for html in (english, welsh):
        assert "side-by-side" not in html


# What is pushed to a big screen


@pytest.fixture
def pushed(monkeypatch) -> list[tuple[str, object]]:
    """What the plenary pushes, as given to push: a text for every language, or one each."""
    sent: list[tuple[str, object]] = []
    monkeypatch.setattr(plenary_live, "push", lambda fragments, **_: sent.extend(fragments))
    return sent


@pytest.mark.parametrize("results_shown", [True, False], ids=["results", "count"])
def test_a_tally_pushed_to_the_big_screens_is_side_by_side_in_every_language(
    summit, pushed, results_shown
):
    _choose(summit, BOTH)
    poll = _poll_on_screen(summit, results_shown=results_shown)
    screens = plenary_group(poll.plenary_id, SCREEN)
    # A screen in Welsh has joined: the push is drawn in both languages.
    joined([screens], "cy")
    poll = Poll.objects.select_related("plenary__summit").get(pk=poll.pk)

    plenary_live.results_changed(poll)

    fragments = dict(pushed)
    on_screens = fragments[screens]
    assert set(on_screens) == {"en-gb", "cy"}
    for html in on_screens.values():
        assert _responses(0) in html
        if results_shown:
            assert _label("No answers yet.") in html
    attendees = fragments[plenary_group(poll.plenary_id, ATTENDEES)]
    for html in attendees.values():
        assert "side-by-side" not in html


def test_a_tally_pushed_with_answers_shows_each_option_in_both(summit, pushed, attendee):
    from plenary.answers import answer_poll
    from plenary.forms import Part

    _choose(summit, BOTH)
    poll = _poll_on_screen(summit, results_shown=True)
    option = poll.options.get(text="Prevention")
    answer_poll(poll, attendee, [Part(option_id=option.pk)])
    poll = Poll.objects.select_related("plenary__summit").get(pk=poll.pk)

    plenary_live.results_changed(poll)

    html = dict(pushed)[plenary_group(poll.plenary_id, SCREEN)]["en-gb"]
    assert f'<span class="chart__label">{_side_by_side("Prevention", "Atal")}</span>' in html
    assert '<span class="chart__label"><span lang="en-gb">Transport</span></span>' in html


def test_in_one_language_the_big_screens_share_the_attendees_tally(summit, pushed):
    poll = _poll_on_screen(summit, results_shown=True)
    poll = Poll.objects.select_related("plenary__summit").get(pk=poll.pk)

    plenary_live.results_changed(poll)

    fragments = dict(pushed)
    screen = fragments[plenary_group(poll.plenary_id, SCREEN)]
    assert screen == fragments[plenary_group(poll.plenary_id, ATTENDEES)]
    assert "side-by-side" not in screen["en-gb"]
