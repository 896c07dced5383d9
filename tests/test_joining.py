"""Attendees joining without a password: the code, the form, the device cookie, return links."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.models import Participant, User, hash_secret
from breakouts.models import Breakout
from summit.event.models import Summit
from summit.organise.people import remove_participant
from tests.conftest import SECTOR_KEYS, client_for, make_participant

UNKNOWN_CODE = "NOPE00"  # 0 and O are never in a join code, so this one never exists


def _join_url(summit: Summit) -> str:
    return reverse("join_summit", args=[summit.join_code])


def _home_url(summit: Summit) -> str:
    return reverse("summit_home", args=[summit.slug])


def _details(**overrides) -> dict:
    data = {
        "display_name": "Priya Shah",
        "organisation": "Testshire Council",
        "sector": "health",
        "attribution": "named",
        "join_token": str(uuid.uuid4()),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def _member_counts(summit: Summit) -> dict[int, int]:
    return {b.pk: b.members.count() for b in Breakout.objects.filter(summit=summit)}


def _signed_in_user_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


def _text_value(html: str, name: str) -> str | None:
    match = re.search(rf'<input type="(?:text|hidden)" name="{name}" value="([^"]*)"', html)
    return match.group(1) if match else None


def _radio_values(html: str, name: str) -> list[str]:
    return re.findall(rf'<input type="radio" name="{name}" value="([^"]*)"', html)


def _checked_value(html: str, name: str) -> str | None:
    match = re.search(rf'<input type="radio" name="{name}" value="([^"]*)"[^>]*\bchecked\b', html)
    return match.group(1) if match else None


def _device_cookie_participant(response, summit: Summit) -> str:
    """The participant id that the response's device cookie vouches for, checked as the
    app checks it."""
    name = f"summit-{summit.pk}"
    request = RequestFactory().get("/")
    request.COOKIES[name] = response.cookies[name].value
    return request.get_signed_cookie(name, salt="summit.device")


def _return_key(html: str) -> str:
    match = re.search(r"http://testserver/r/([^/\"<]+)/", html)
    assert match, "the return link is not on the page"
    return match.group(1)


# Typing a code


def test_join_code_page_shows_code_form(db):
    response = Client().get(reverse("join"))

    assert response.status_code == 200
    assert 'name="code"' in response.content.decode()


def test_join_code_known_redirects_to_join_form(summit):
    response = Client().post(reverse("join"), {"code": summit.join_code})

    assert response.status_code == 302
    assert response.url == _join_url(summit)


@pytest.mark.parametrize(
    "typed",
    [
        lambda code: code.lower(),
        lambda code: f"  {code[:3]}-{code[3:]} ",
        lambda code: f"{code[:3].lower()} {code[3:]}",
    ],
    ids=["lower-case", "dash-and-spaces", "mixed-case-with-space"],
)
def test_join_code_typed_loosely_is_accepted(summit, typed):
    response = Client().post(reverse("join"), {"code": typed(summit.join_code)})

    assert response.status_code == 302
    assert response.url == _join_url(summit)


def test_join_code_unknown_is_refused_and_kept(summit):
    response = Client().post(reverse("join"), {"code": UNKNOWN_CODE})

    assert response.status_code == 422
    html = response.content.decode()
    assert "There is no summit with that code" in html
    assert _text_value(html, "code") == UNKNOWN_CODE


# The join form


def test_join_form_shows_every_detail_asked_for(summit):
    response = Client().get(_join_url(summit))

    assert response.status_code == 200
    html = response.content.decode()
    assert f"Join {summit.title}" in html
    assert 'name="display_name"' in html
    assert 'name="organisation"' in html
    assert _radio_values(html, "sector") == SECTOR_KEYS
    assert len(_radio_values(html, "sector")) == 9
    assert _radio_values(html, "attribution") == ["named", "anonymous"]
    token = _text_value(html, "join_token")
    assert token is not None
    assert uuid.UUID(token)


def test_join_form_gives_each_visit_its_own_token(summit):
    first = _text_value(Client().get(_join_url(summit)).content.decode(), "join_token")
    second = _text_value(Client().get(_join_url(summit)).content.decode(), "join_token")

    assert first != second


def test_join_summit_valid_details_makes_attendee_and_enters(summit, breakouts):
    client = Client()
    before = _member_counts(summit)
    users_before = User.objects.count()
    data = _details()

    response = client.post(_join_url(summit), data)

    assert response.status_code == 302
    assert response.url == _home_url(summit)
    assert User.objects.count() == users_before + 1
    participant = Participant.objects.get(summit=summit)
    assert participant.display_name == "Priya Shah"
    assert participant.organisation == "Testshire Council"
    assert participant.sector == "health"
    assert participant.role == Participant.Role.ATTENDEE
    assert participant.anonymous is False
    assert participant.join_token == uuid.UUID(data["join_token"])
    assert not participant.user.has_usable_password()
    assert participant.user.email == ""
    assert _signed_in_user_id(client) == str(participant.user.pk)
    cookie = response.cookies[f"summit-{summit.pk}"]
    assert cookie["httponly"]
    assert _device_cookie_participant(response, summit) == str(participant.pk)
    after = _member_counts(summit)
    grown = [pk for pk in after if after[pk] != before[pk]]
    assert len(grown) == 1
    assert after[grown[0]] == before[grown[0]] + 1
    assert list(participant.breakouts.values_list("pk", flat=True)) == grown
    home = client.get(_home_url(summit))
    assert home.status_code == 200
    assert Breakout.objects.get(pk=grown[0]).name in home.content.decode()


def test_join_summit_without_breakouts_still_enters(summit):
    client = Client()

    response = client.post(_join_url(summit), _details())

    assert response.status_code == 302
    participant = Participant.objects.get(summit=summit)
    assert participant.breakouts.count() == 0
    assert client.get(_home_url(summit)).status_code == 200


def test_join_summit_places_attendee_with_fewest_of_their_sector(summit, breakouts):
    crowded, mixed, small = breakouts
    # crowded: 2 health, 2 people; mixed: 1 health, 4 people; small: 1 health, 2 people.
    # Fewest people alone would pick crowded; fewest health alone (then pk) would pick mixed.
    for _ in range(2):
        crowded.members.add(make_participant(summit, sector="health"))
    mixed.members.add(make_participant(summit, sector="health"))
    for sector in ("faith", "business", "resident"):
        mixed.members.add(make_participant(summit, sector=sector))
    small.members.add(make_participant(summit, sector="health"))
    small.members.add(make_participant(summit, sector="voluntary"))

    response = Client().post(_join_url(summit), _details(sector="health"))

    assert response.status_code == 302
    newcomer = Participant.objects.get(summit=summit, display_name="Priya Shah")
    assert list(newcomer.breakouts.all()) == [small]
    assert _member_counts(summit) == {crowded.pk: 2, mixed.pk: 4, small.pk: 3}


def test_join_summit_new_sector_goes_to_smallest_breakout(summit, breakouts):
    first, second, third = breakouts
    for _ in range(3):
        first.members.add(make_participant(summit, sector="health"))
    second.members.add(make_participant(summit, sector="health"))
    for _ in range(2):
        third.members.add(make_participant(summit, sector="health"))

    Client().post(_join_url(summit), _details(sector="faith"))

    newcomer = Participant.objects.get(summit=summit, display_name="Priya Shah")
    assert list(newcomer.breakouts.all()) == [second]


# The same form twice, the same browser again


def test_join_summit_same_form_twice_makes_one_participant(summit, breakouts):
    data = _details()
    first, second = Client(), Client()
    users_before = User.objects.count()

    first_response = first.post(_join_url(summit), data)
    second_response = second.post(_join_url(summit), data)

    assert first_response.status_code == 302
    assert second_response.status_code == 302
    assert second_response.url == _home_url(summit)
    participant = Participant.objects.get(summit=summit)
    assert User.objects.count() == users_before + 1
    assert _signed_in_user_id(first) == str(participant.user.pk)
    assert _signed_in_user_id(second) == str(participant.user.pk)
    assert sum(_member_counts(summit).values()) == 1
    assert second.get(_home_url(summit)).status_code == 200


def test_join_summit_signed_in_participant_goes_straight_home(summit, attendee):
    client = client_for(attendee)
    count = Participant.objects.count()

    response = client.get(_join_url(summit))

    assert response.status_code == 302
    assert response.url == _home_url(summit)
    assert Participant.objects.count() == count
    assert _device_cookie_participant(response, summit) == str(attendee.pk)


def test_join_summit_after_logout_leads_back_to_same_participant(summit, breakouts):
    client = Client()
    client.post(_join_url(summit), _details())
    participant = Participant.objects.get(summit=summit)
    logout = client.post(reverse("logout"))
    assert logout.status_code == 302
    assert _signed_in_user_id(client) is None
    assert client.get(_home_url(summit)).status_code == 302

    response = client.get(_join_url(summit))

    assert response.status_code == 302
    assert response.url == _home_url(summit)
    assert Participant.objects.filter(summit=summit).count() == 1
    assert User.objects.filter(participations__summit=summit).count() == 1
    assert _signed_in_user_id(client) == str(participant.user.pk)
    assert client.get(_home_url(summit)).status_code == 200


def test_join_summit_after_logout_new_details_still_same_participant(summit, breakouts):
    client = Client()
    client.post(_join_url(summit), _details())
    participant = Participant.objects.get(summit=summit)
    client.post(reverse("logout"))

    response = client.post(_join_url(summit), _details(display_name="Someone Else"))

    assert response.status_code == 302
    assert list(Participant.objects.filter(summit=summit)) == [participant]
    assert _signed_in_user_id(client) == str(participant.user.pk)


@pytest.mark.parametrize(
    "tamper",
    [
        lambda value, other_pk: f"{other_pk}{value[value.index(':') :]}",
        lambda value, other_pk: str(other_pk),
        lambda value, other_pk: value[:-2] + ("AA" if not value.endswith("AA") else "BB"),
    ],
    ids=["other-id-same-signature", "unsigned-id", "broken-signature"],
)
def test_join_summit_tampered_device_cookie_is_ignored(summit, breakouts, tamper):
    joiner = Client()
    response = joiner.post(_join_url(summit), _details())
    value = response.cookies[f"summit-{summit.pk}"].value
    victim = make_participant(summit, name="Victor Victim")
    stranger = Client()
    stranger.cookies[f"summit-{summit.pk}"] = tamper(value, victim.pk)

    page = stranger.get(_join_url(summit))

    assert page.status_code == 200
    assert 'name="display_name"' in page.content.decode()
    assert _signed_in_user_id(stranger) is None
    assert Participant.objects.filter(summit=summit).count() == 2


def test_join_summit_device_cookie_of_other_summit_is_ignored(summit, outsider):
    elsewhere = outsider.summit
    home = Client()
    home.cookies[f"summit-{elsewhere.pk}"] = (
        client_for(outsider).get(_join_url(elsewhere)).cookies[f"summit-{elsewhere.pk}"].value
    )

    page = home.get(_join_url(summit))

    assert page.status_code == 200
    assert _signed_in_user_id(home) is None


def test_join_summit_removed_person_signed_in_is_refused(
    summit, attendee, django_capture_on_commit_callbacks
):
    client = client_for(attendee)
    with django_capture_on_commit_callbacks(execute=True):
        remove_participant(attendee)

    response = client.get(_join_url(summit))

    assert response.status_code == 403
    assert "You have been removed from this summit" in response.content.decode()
    assert Participant.objects.filter(summit=summit).count() == 1


def test_join_summit_removed_person_device_cookie_is_refused(
    summit, breakouts, django_capture_on_commit_callbacks
):
    client = Client()
    client.post(_join_url(summit), _details())
    participant = Participant.objects.get(summit=summit)
    client.post(reverse("logout"))
    with django_capture_on_commit_callbacks(execute=True):
        remove_participant(participant)

    page = client.get(_join_url(summit))
    sent = client.post(_join_url(summit), _details(display_name="Priya Again"))

    assert page.status_code == 403
    assert "You have been removed from this summit" in page.content.decode()
    assert sent.status_code == 403
    assert list(Participant.objects.filter(summit=summit)) == [participant]
    assert _signed_in_user_id(client) is None


# Refusals


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"status": Summit.Status.DRAFT}, "not open for joining yet"),
        ({"status": Summit.Status.CLOSED}, "has closed"),
        ({"joining_closes_at": dt.timedelta(minutes=-1)}, "has expired"),
    ],
    ids=["draft", "closed", "expired"],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_join_summit_refused_with_clear_words(summit, breakouts, change, words, method):
    for field, value in change.items():
        setattr(summit, field, timezone.now() + value if isinstance(value, dt.timedelta) else value)
    summit.save()
    users_before = User.objects.count()

    response = getattr(Client(), method)(_join_url(summit), _details())

    assert response.status_code == 403
    html = response.content.decode()
    assert words in html
    assert summit.title in html
    assert not Participant.objects.filter(summit=summit).exists()
    assert User.objects.count() == users_before


def test_join_summit_open_until_future_close(summit, breakouts):
    summit.joining_closes_at = timezone.now() + dt.timedelta(hours=1)
    summit.save()

    response = Client().post(_join_url(summit), _details())

    assert response.status_code == 302
    assert Participant.objects.filter(summit=summit).count() == 1


def test_join_summit_refused_while_form_was_open(summit, breakouts):
    client = Client()
    token = _text_value(client.get(_join_url(summit)).content.decode(), "join_token")
    summit.status = Summit.Status.CLOSED
    summit.save()

    response = client.post(_join_url(summit), _details(join_token=token))

    assert response.status_code == 403
    assert "has closed" in response.content.decode()
    assert not Participant.objects.filter(summit=summit).exists()


def test_join_summit_unknown_code_shows_code_form(db):
    response = Client().get(reverse("join_summit", args=[UNKNOWN_CODE]))

    assert response.status_code == 404
    html = response.content.decode()
    assert "There is no summit with that code" in html
    assert _text_value(html, "code") == UNKNOWN_CODE


def test_join_summit_link_in_lower_case_works(summit, breakouts):
    response = Client().post(reverse("join_summit", args=[summit.join_code.lower()]), _details())

    assert response.status_code == 302
    assert Participant.objects.filter(summit=summit).count() == 1


# Rate limits


def test_join_attempts_block_even_the_right_code_after_limit(summit, breakouts, settings):
    settings.ATTEMPT_LIMIT = 3
    client = Client(REMOTE_ADDR="203.0.113.5")
    for _ in range(3):
        assert client.post(reverse("join"), {"code": UNKNOWN_CODE}).status_code == 422

    typed = client.post(reverse("join"), {"code": summit.join_code})
    opened = client.get(_join_url(summit))
    sent = client.post(_join_url(summit), _details())

    for response in (typed, opened, sent):
        assert response.status_code == 429
        assert "too many unsuccessful attempts" in response.content.decode().lower()
    assert not Participant.objects.filter(summit=summit).exists()
    assert _signed_in_user_id(client) is None


def test_join_attempts_unknown_links_count_too(summit, settings):
    settings.ATTEMPT_LIMIT = 3
    client = Client(REMOTE_ADDR="203.0.113.5")
    for n in range(3):
        response = client.get(reverse("join_summit", args=[f"NOPE0{n}"]))
        assert response.status_code == 404

    response = client.get(_join_url(summit))

    assert response.status_code == 429
    assert "too many unsuccessful attempts" in response.content.decode().lower()


def test_join_attempts_below_limit_still_join(summit, breakouts, settings):
    settings.ATTEMPT_LIMIT = 3
    client = Client(REMOTE_ADDR="203.0.113.5")
    for _ in range(2):
        client.post(reverse("join"), {"code": UNKNOWN_CODE})

    response = client.post(_join_url(summit), _details())

    assert response.status_code == 302
    assert Participant.objects.filter(summit=summit).count() == 1


def test_join_attempts_successful_joins_do_not_count(summit, breakouts, settings):
    settings.ATTEMPT_LIMIT = 3

    statuses = [
        Client(REMOTE_ADDR="203.0.113.5")
        .post(_join_url(summit), _details(display_name=f"Venue Person {n}"))
        .status_code
        for n in range(8)
    ]

    assert statuses == [302] * 8
    assert Participant.objects.filter(summit=summit).count() == 8
    assert (
        Client(REMOTE_ADDR="203.0.113.5")
        .post(reverse("join"), {"code": summit.join_code})
        .status_code
        == 302
    )


def test_join_attempts_other_address_not_blocked(summit, breakouts, settings):
    settings.ATTEMPT_LIMIT = 3
    guesser = Client(REMOTE_ADDR="203.0.113.5")
    for _ in range(3):
        guesser.post(reverse("join"), {"code": UNKNOWN_CODE})
    neighbour = Client(REMOTE_ADDR="198.51.100.20")

    response = neighbour.post(_join_url(summit), _details())

    assert response.status_code == 302
    assert Participant.objects.filter(summit=summit).count() == 1
    assert guesser.get(_join_url(summit)).status_code == 429


def test_join_attempts_trusted_proxy_uses_last_forwarded_address(summit, breakouts, settings):
    settings.ATTEMPT_LIMIT = 3
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.1"
    guesser = Client(REMOTE_ADDR=proxy, headers={"X-Forwarded-For": "192.0.2.1, 203.0.113.5"})
    for _ in range(3):
        guesser.post(reverse("join"), {"code": UNKNOWN_CODE})
    # The same client through another proxy; then a neighbour who spoofs the first entry.
    same_client = Client(REMOTE_ADDR="10.0.0.2", headers={"X-Forwarded-For": "203.0.113.5"})
    neighbour = Client(REMOTE_ADDR=proxy, headers={"X-Forwarded-For": "192.0.2.1, 203.0.113.6"})

    blocked = same_client.get(_join_url(summit))
    allowed = neighbour.post(_join_url(summit), _details())

    assert blocked.status_code == 429
    assert allowed.status_code == 302
    assert Participant.objects.filter(summit=summit).count() == 1


def test_join_attempts_forwarded_header_ignored_without_trusted_proxy(summit, breakouts, settings):
    settings.ATTEMPT_LIMIT = 3
    settings.TRUSTED_PROXY_COUNT = 0
    for n in range(3):
        # Each guess claims another address; none of it is believed.
        Client(REMOTE_ADDR="203.0.113.5", headers={"X-Forwarded-For": f"192.0.2.{n}"}).post(
            reverse("join"), {"code": UNKNOWN_CODE}
        )
    dodger = Client(REMOTE_ADDR="203.0.113.5", headers={"X-Forwarded-For": "192.0.2.99"})
    neighbour = Client(REMOTE_ADDR="198.51.100.20", headers={"X-Forwarded-For": "192.0.2.0"})

    blocked = dodger.get(_join_url(summit))
    allowed = neighbour.post(_join_url(summit), _details())

    assert blocked.status_code == 429
    assert allowed.status_code == 302


# Bad input


BAD_INPUT = [
    ({"display_name": ""}, "Enter your name"),
    ({"display_name": "   "}, "Enter your name"),
    ({"display_name": "A" * 81}, "Your name must be 80 characters or fewer"),
    ({"display_name": "Priya <script>alert(1)</script>"}, "Enter your name without the"),
    ({"organisation": "Testshire {Council}"}, "Enter your organisation without the"),
    ({"organisation": "O" * 121}, "Your organisation must be 120 characters or fewer"),
    ({"sector": "mayor"}, "Select one of the sectors listed"),
    ({"sector": None}, "Select the sector you are here from"),
    ({"attribution": None}, "Select how the record may name you"),
    ({"attribution": "famous"}, "Select one of the options listed"),
    ({"join_token": "forged-token"}, "This form has expired. Fill it in again"),
    ({"join_token": None}, "This form has expired. Fill it in again"),
]


@pytest.mark.parametrize(("bad", "message"), BAD_INPUT, ids=[m for _, m in BAD_INPUT])
def test_join_summit_bad_input_keeps_what_was_typed(summit, breakouts, bad, message):
    client = Client()
    users_before = User.objects.count()
    data = _details(**bad)

    response = client.post(_join_url(summit), data)

    assert response.status_code == 422
    html = response.content.decode()
    assert message in html
    assert "<script>alert" not in html
    assert not Participant.objects.filter(summit=summit).exists()
    assert User.objects.count() == users_before
    assert _signed_in_user_id(client) is None
    if "display_name" not in bad:
        assert _text_value(html, "display_name") == "Priya Shah"
    if "organisation" not in bad:
        assert _text_value(html, "organisation") == "Testshire Council"
    if "sector" not in bad:
        assert _checked_value(html, "sector") == "health"
    if "attribution" not in bad:
        assert _checked_value(html, "attribution") == "named"


def test_join_summit_bad_input_then_corrected_joins_once(summit, breakouts):
    client = Client()
    data = _details(display_name="")
    client.post(_join_url(summit), data)

    response = client.post(_join_url(summit), {**data, "display_name": "Priya Shah"})

    assert response.status_code == 302
    assert Participant.objects.get(summit=summit).display_name == "Priya Shah"


def test_join_summit_strips_spaces_around_details(summit, breakouts):
    Client().post(
        _join_url(summit), _details(display_name="  Priya Shah ", organisation=" Testshire  ")
    )

    participant = Participant.objects.get(summit=summit)
    assert participant.display_name == "Priya Shah"
    assert participant.organisation == "Testshire"


def test_join_summit_organisation_is_optional(summit, breakouts):
    response = Client().post(_join_url(summit), _details(organisation="", sector="resident"))

    assert response.status_code == 302
    participant = Participant.objects.get(summit=summit)
    assert participant.organisation == ""
    assert participant.attribution == "Priya Shah"


# Anonymity


def test_join_summit_anonymous_choice_is_recorded(summit, breakouts):
    response = Client().post(_join_url(summit), _details(attribution="anonymous"))

    assert response.status_code == 302
    participant = Participant.objects.get(summit=summit)
    assert participant.anonymous is True
    assert participant.attribution == "Anonymous (Health and care (NHS))"


def test_join_summit_without_anonymity_offers_no_choice(summit):
    summit.allow_anonymous = False
    summit.save()

    response = Client().get(_join_url(summit))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="attribution"' not in html
    assert "Keep me anonymous" not in html
    assert len(_radio_values(html, "sector")) == 9


@pytest.mark.parametrize("attribution", [None, "anonymous"], ids=["not-sent", "forged"])
def test_join_summit_without_anonymity_names_everyone(summit, breakouts, attribution):
    summit.allow_anonymous = False
    summit.save()

    response = Client().post(_join_url(summit), _details(attribution=attribution))

    assert response.status_code == 302
    participant = Participant.objects.get(summit=summit)
    assert participant.anonymous is False
    assert participant.attribution == "Priya Shah, Testshire Council"


# Return links


def _make_link(participant: Participant, *, htmx: bool = True):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client_for(participant).post(
        reverse("new_return_link", args=[participant.summit.slug]), **headers
    )


def test_new_return_link_htmx_gives_fragment_with_link_and_qr(attendee):
    response = _make_link(attendee)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="return-link"' in html
    assert "<svg" in html
    assert "<html" not in html
    assert "Aisha Rahman" in html
    key = _return_key(html)
    attendee.refresh_from_db()
    assert attendee.return_key_hash == hash_secret(key)


def test_new_return_link_full_page_without_htmx(attendee):
    response = _make_link(attendee, htmx=False)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Your return link</h1>" in html
    assert "<svg" in html
    assert _return_key(html)


def test_new_return_link_signed_out_is_refused(summit):
    page = Client().post(reverse("new_return_link", args=[summit.slug]))
    fragment = Client().post(reverse("new_return_link", args=[summit.slug]), HTTP_HX_REQUEST="true")

    assert page.status_code == 302
    assert page.url.startswith(reverse("login"))
    assert fragment.status_code == 403
    assert not Participant.objects.exclude(return_key_hash="").exists()


def test_new_return_link_outsider_gets_404(summit, outsider):
    response = client_for(outsider).post(reverse("new_return_link", args=[summit.slug]))

    assert response.status_code == 404
    outsider.refresh_from_db()
    assert outsider.return_key_hash == ""


def test_return_link_asks_before_signing_in(attendee):
    key = _return_key(_make_link(attendee).content.decode())
    other_device = Client()

    response = other_device.get(reverse("return_link", args=[key]))

    assert response.status_code == 200
    assert "Continue as Aisha Rahman" in response.content.decode()
    assert _signed_in_user_id(other_device) is None
    assert other_device.get(_home_url(attendee.summit)).status_code == 302


def test_return_link_post_signs_in_as_same_participant(attendee):
    key = _return_key(_make_link(attendee).content.decode())
    other_device = Client()
    count = Participant.objects.count()

    response = other_device.post(reverse("return_link", args=[key]))

    assert response.status_code == 302
    assert response.url == _home_url(attendee.summit)
    assert _signed_in_user_id(other_device) == str(attendee.user.pk)
    assert _device_cookie_participant(response, attendee.summit) == str(attendee.pk)
    assert other_device.get(_home_url(attendee.summit)).status_code == 200
    assert Participant.objects.count() == count


def test_return_link_older_link_stops_working(attendee):
    first = _return_key(_make_link(attendee).content.decode())
    second = _return_key(_make_link(attendee).content.decode())

    old = Client().get(reverse("return_link", args=[first]))
    old_post = Client().post(reverse("return_link", args=[first]))
    new = Client().get(reverse("return_link", args=[second]))

    assert first != second
    assert old.status_code == 404
    assert "This link does not work" in old.content.decode()
    assert old_post.status_code == 404
    assert new.status_code == 200


def test_return_link_random_key_is_404(attendee):
    _make_link(attendee)
    client = Client()

    response = client.get(reverse("return_link", args=["not-a-real-key-at-all"]))

    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()
    assert _signed_in_user_id(client) is None


def test_return_link_of_removed_participant_is_404(attendee, django_capture_on_commit_callbacks):
    key = _return_key(_make_link(attendee).content.decode())
    with django_capture_on_commit_callbacks(execute=True):
        remove_participant(attendee)
    client = Client()

    shown = client.get(reverse("return_link", args=[key]))
    sent = client.post(reverse("return_link", args=[key]))

    assert shown.status_code == 404
    assert "This link does not work" in shown.content.decode()
    assert sent.status_code == 404
    assert _signed_in_user_id(client) is None


def test_return_link_guesses_are_rate_limited(attendee, settings):
    settings.ATTEMPT_LIMIT = 3
    key = _return_key(_make_link(attendee).content.decode())
    client = Client(REMOTE_ADDR="203.0.113.5")
    for n in range(3):
        assert client.get(reverse("return_link", args=[f"guess-{n}"])).status_code == 404

    response = client.post(reverse("return_link", args=[key]))

    assert response.status_code == 429
    assert "too many unsuccessful attempts" in response.content.decode().lower()
    assert _signed_in_user_id(client) is None
    assert (
        Client(REMOTE_ADDR="198.51.100.20").get(reverse("return_link", args=[key])).status_code
        == 200
    )
