"""Facilitators and organisers: signing in by email, resetting a password, and invites."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth import password_validation
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts import services
from accounts.models import Invite, Participant, User, hash_secret
from summit.event.models import Summit
from tests.conftest import client_for, make_participant

PASSWORD = "a-long-test-password"  # what make_participant gives every user
NEW_PASSWORD = "kettle-harbour-lantern-9"
WRONG_CREDENTIALS = "Enter a correct email address and password"
INVITE_REFUSED = "This invite link does not work"


def _with_email(participant: Participant, email: str) -> Participant:
    participant.user.email = email
    participant.user.save(update_fields=["email"])
    return participant


def _signed_in_user_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


def _sign_in(client: Client, email: str, password: str, next_url: str = ""):
    return client.post(reverse("login"), {"email": email, "password": password, "next": next_url})


def _invite(summit: Summit, by: Participant, email: str, role: str) -> tuple[Invite, str]:
    """An invite made the way the invites page makes one; its email is not sent."""
    return services.invite(
        summit=summit,
        by=by,
        email=email,
        role=role,
        accept_url_for=lambda token: f"http://testserver/invite/{token}/",
    )


def _invite_url(token: str) -> str:
    return reverse("accept_invite", args=[token])


def _main(response) -> str:
    """The page's <main>: everything the person reads, without per-session tokens."""
    return re.search(r"<main\b.*?</main>", response.content.decode(), re.DOTALL).group(0)


def _details(**changes) -> dict[str, str]:
    return {
        "first_name": "Priya",
        "last_name": "Shah",
        "organisation": "Testshire Council",
        "sector": "local_government",
        "password": NEW_PASSWORD,
        **changes,
    }


# Signing in


@pytest.mark.parametrize("typed", ["farah@example.org", "FARAH@Example.ORG", " farah@example.org"])
def test_sign_in_email_any_case_goes_to_next(facilitator, typed):
    _with_email(facilitator, "farah@example.org")
    client = Client()
    home = reverse("summit_home", args=[facilitator.summit.slug])

    response = _sign_in(client, typed, PASSWORD, next_url=home)

    assert response.status_code == 302
    assert response.url == home
    assert _signed_in_user_id(client) == str(facilitator.user.pk)


def test_sign_in_external_next_goes_home(facilitator):
    _with_email(facilitator, "farah@example.org")
    client = Client()

    response = _sign_in(client, "farah@example.org", PASSWORD, next_url="https://evil.example/")

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert _signed_in_user_id(client) == str(facilitator.user.pk)


def test_sign_in_page_ignores_external_next(db):
    response = Client().get(reverse("login"), {"next": "https://evil.example/"})

    assert response.status_code == 200
    assert "evil.example" not in response.content.decode()
    assert f'name="next" value="{reverse("home")}"' in response.content.decode()


@pytest.mark.parametrize(
    ("email", "password"),
    [("farah@example.org", "not-the-password"), ("nobody@example.org", PASSWORD)],
    ids=["wrong-password", "unknown-email"],
)
def test_sign_in_wrong_credentials_same_message(facilitator, email, password):
    _with_email(facilitator, "farah@example.org")
    client = Client()

    response = _sign_in(client, email, password)

    assert response.status_code == 422
    assert WRONG_CREDENTIALS in response.content.decode()
    assert _signed_in_user_id(client) is None


def test_sign_in_wrong_password_and_unknown_email_pages_match(facilitator):
    _with_email(facilitator, "farah@example.org")

    wrong = _sign_in(Client(), "farah@example.org", "not-the-password")
    unknown = _sign_in(Client(), "nobody@example.org", "not-the-password")

    # The typed email is echoed back into the form, so compare the error summaries.
    summary = re.compile(r'<div class="error-summary".*?</div>', re.DOTALL)
    assert summary.search(wrong.content.decode()).group(0) == summary.search(
        unknown.content.decode()
    ).group(0)


def test_sign_in_passwordless_attendee_refused(attendee):
    user = _with_email(attendee, "aisha@example.org").user
    user.set_unusable_password()
    user.save()
    client = Client()

    for password in ["", "!", PASSWORD]:
        response = _sign_in(client, "aisha@example.org", password)

        assert response.status_code == 422
        assert _signed_in_user_id(client) is None


def test_sign_in_inactive_user_refused(facilitator):
    user = _with_email(facilitator, "farah@example.org").user
    user.is_active = False
    user.save()
    client = Client()

    response = _sign_in(client, "farah@example.org", PASSWORD)

    assert response.status_code == 422
    assert WRONG_CREDENTIALS in response.content.decode()
    assert _signed_in_user_id(client) is None


def test_sign_in_after_too_many_failures_refused(facilitator, settings):
    settings.ATTEMPT_LIMIT = 3
    _with_email(facilitator, "farah@example.org")
    client = Client()
    failures = [_sign_in(client, "farah@example.org", f"guess-{i}") for i in range(3)]

    response = _sign_in(client, "farah@example.org", PASSWORD)

    assert [f.status_code for f in failures] == [422, 422, 422]
    assert response.status_code == 429
    assert "too many unsuccessful attempts" in response.content.decode()
    assert "Wait 10 minutes, then try again." in response.content.decode()
    assert _signed_in_user_id(client) is None


# Resetting a password


def test_password_reset_email_link_sets_new_password(facilitator):
    _with_email(facilitator, "farah@example.org")
    client = Client()

    asked = client.post(reverse("password_reset"), {"email": "Farah@example.org"})

    assert asked.status_code == 302
    assert asked.url == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["farah@example.org"]
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", mail.outbox[0].body)
    assert link is not None

    form_page = client.get(link.group(1), follow=True)

    assert form_page.status_code == 200
    assert "Choose a new password" in form_page.content.decode()
    assert 'name="new_password1"' in form_page.content.decode()

    saved = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert saved.status_code == 302
    assert saved.url == reverse("password_reset_complete")
    fresh = Client()
    assert _sign_in(fresh, "farah@example.org", NEW_PASSWORD).status_code == 302
    assert _signed_in_user_id(fresh) == str(facilitator.user.pk)
    assert _sign_in(Client(), "farah@example.org", PASSWORD).status_code == 422


def test_password_reset_unknown_email_sends_nothing(facilitator):
    _with_email(facilitator, "farah@example.org")

    response = Client().post(reverse("password_reset"), {"email": "nobody@example.org"})

    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []


def test_password_reset_passwordless_attendee_sends_nothing(attendee):
    user = _with_email(attendee, "aisha@example.org").user
    user.set_unusable_password()
    user.save()

    response = Client().post(reverse("password_reset"), {"email": "aisha@example.org"})

    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []


# Inviting


def test_invites_organiser_invites_facilitator_by_email(
    organiser, django_capture_on_commit_callbacks
):
    client = client_for(organiser)
    url = reverse("invites", args=[organiser.summit.slug])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"email": "new.person@example.org", "role": "facilitator"})

    assert response.status_code == 200
    record = Invite.objects.get()
    assert (record.summit, record.email, record.role) == (
        organiser.summit,
        "new.person@example.org",
        Participant.Role.FACILITATOR,
    )
    assert record.created_by == organiser
    assert record.state(timezone.now()) == "open"
    shown = re.search(r"http://testserver/invite/([\w-]+)/", response.content.decode())
    assert shown is not None
    assert record.token_hash == hash_secret(shown.group(1))
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.person@example.org"]
    assert shown.group(0) in mail.outbox[0].body
    assert organiser.display_name in mail.outbox[0].body


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"email": "not-an-email", "role": "facilitator"},
            "Enter an email address in the correct format, like name@example.org",
        ),
        ({"email": "new.person@example.org"}, "Select the role to invite them as"),
        (
            {"email": "new.person@example.org", "role": "attendee"},
            "Select one of the roles listed",
        ),
    ],
    ids=["bad-email", "no-role", "attendee-role"],
)
def test_invites_invalid_form_refused(organiser, django_capture_on_commit_callbacks, data, message):
    client = client_for(organiser)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("invites", args=[organiser.summit.slug]), data)

    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Invite.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("who", "status"),
    [("organiser", 200), ("facilitator", 403), ("attendee", 403), ("outsider", 404)],
)
def test_invites_page_by_role(request, summit, who, status):
    person = request.getfixturevalue(who)

    response = client_for(person).get(reverse("invites", args=[summit.slug]))

    assert response.status_code == status
    assert ("Invite facilitators and organisers" in response.content.decode()) == (status == 200)


@pytest.mark.parametrize("who", ["facilitator", "attendee"])
def test_invites_post_by_non_organiser_refused(request, summit, who):
    person = request.getfixturevalue(who)

    response = client_for(person).post(
        reverse("invites", args=[summit.slug]),
        {"email": "new.person@example.org", "role": "organiser"},
    )

    assert response.status_code == 403
    assert not Invite.objects.exists()


def test_invites_signed_out_go_to_sign_in(summit):
    response = Client().get(reverse("invites", args=[summit.slug]))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# Accepting an invite as a new person


def test_accept_invite_new_person_sees_registration_form(organiser):
    _, token = _invite(organiser.summit, organiser, "priya@example.org", "facilitator")

    response = Client().get(_invite_url(token))

    assert response.status_code == 200
    page = response.content.decode()
    assert f"Join {organiser.summit.title} as facilitator" in page
    assert "You will sign in with priya@example.org" in page
    assert 'name="first_name"' in page
    assert 'name="password"' in page


def test_accept_invite_new_person_registers_and_enters(organiser):
    record, token = _invite(organiser.summit, organiser, "priya@example.org", "facilitator")
    client = Client()

    response = client.post(_invite_url(token), _details())

    assert response.status_code == 302
    assert response.url == reverse("summit_home", args=[organiser.summit.slug])
    user = User.objects.get(email="priya@example.org")
    assert user.has_usable_password()
    assert user.check_password(NEW_PASSWORD)
    assert (user.first_name, user.last_name) == ("Priya", "Shah")
    participant = Participant.objects.get(user=user)
    assert participant.summit == organiser.summit
    assert participant.role == Participant.Role.FACILITATOR
    assert participant.display_name == "Priya Shah"
    assert participant.organisation == "Testshire Council"
    assert participant.sector == "local_government"
    assert _signed_in_user_id(client) == str(user.pk)
    record.refresh_from_db()
    assert record.used_at is not None
    assert record.used_by == participant
    assert record.state(timezone.now()) == "used"
    assert client.get(response.url).status_code == 200


def test_accept_invite_new_person_can_then_sign_in(organiser):
    _, token = _invite(organiser.summit, organiser, "priya@example.org", "organiser")
    Client().post(_invite_url(token), _details())
    client = Client()

    response = _sign_in(client, "Priya@Example.org", NEW_PASSWORD)

    assert response.status_code == 302
    assert Participant.objects.get(user_id=_signed_in_user_id(client)).is_organiser


def test_accept_invite_weak_password_refused(organiser):
    record, token = _invite(organiser.summit, organiser, "priya@example.org", "facilitator")
    participants_before = Participant.objects.count()
    client = Client()
    with pytest.raises(ValidationError) as refused:
        password_validation.validate_password("password", User(email="priya@example.org"))

    response = client.post(_invite_url(token), _details(password="password"))

    assert response.status_code == 422
    page = response.content.decode()
    assert "This password is too short" in page
    for message in refused.value.messages:
        assert escape(message) in page
    assert not User.objects.filter(email__iexact="priya@example.org").exists()
    assert Participant.objects.count() == participants_before
    assert _signed_in_user_id(client) is None
    record.refresh_from_db()
    assert record.state(timezone.now()) == "open"
    assert record.used_by is None


def test_accept_invite_missing_details_refused(organiser):
    record, token = _invite(organiser.summit, organiser, "priya@example.org", "facilitator")

    response = Client().post(_invite_url(token), _details(first_name="", sector=""))

    assert response.status_code == 422
    assert "Select your sector" in response.content.decode()
    assert not User.objects.filter(email__iexact="priya@example.org").exists()
    record.refresh_from_db()
    assert record.state(timezone.now()) == "open"


# Links that do not work


def _refusal_parts(response) -> tuple[str, str]:
    page = response.content.decode()
    h1 = re.search(r"<h1>(.*?)</h1>", page, re.DOTALL).group(1)
    lead = re.search(r'<p class="lead">(.*?)</p>', page, re.DOTALL).group(1)
    return h1, lead


def test_accept_invite_used_link_refused(organiser):
    _, token = _invite(organiser.summit, organiser, "priya@example.org", "facilitator")
    Client().post(_invite_url(token), _details())
    users_before = User.objects.count()

    again = Client().get(_invite_url(token))
    resent = Client().post(_invite_url(token), _details(password="another-strong-pass-77"))

    assert again.status_code == 404
    assert INVITE_REFUSED in again.content.decode()
    assert resent.status_code == 404
    assert User.objects.count() == users_before


def test_accept_invite_used_and_forged_links_look_the_same(organiser):
    _, token = _invite(organiser.summit, organiser, "priya@example.org", "facilitator")
    Client().post(_invite_url(token), _details())

    used = Client().get(_invite_url(token))
    forged = Client().get(_invite_url("x" * len(token)))

    assert forged.status_code == used.status_code == 404
    assert _refusal_parts(forged) == _refusal_parts(used)
    assert INVITE_REFUSED in _refusal_parts(used)[0]
    assert _main(forged) == _main(used)


def test_accept_invite_withdrawn_link_refused(organiser):
    record, token = _invite(organiser.summit, organiser, "priya@example.org", "facilitator")
    forged = Client().get(_invite_url("forged-token"))
    organiser_client = client_for(organiser)

    withdrawn = organiser_client.post(
        reverse("withdraw_invite", args=[organiser.summit.slug, record.pk])
    )
    response = Client().get(_invite_url(token))

    assert withdrawn.status_code == 302
    assert withdrawn.url == reverse("invites", args=[organiser.summit.slug])
    record.refresh_from_db()
    assert record.state(timezone.now()) == "withdrawn"
    assert response.status_code == 404
    assert _main(response) == _main(forged)
    listing = organiser_client.get(withdrawn.url).content.decode()
    assert "Withdrawn" in listing


def test_accept_invite_expired_link_refused(organiser):
    record, token = _invite(organiser.summit, organiser, "priya@example.org", "facilitator")
    Invite.objects.filter(pk=record.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    forged = Client().get(_invite_url("forged-token"))

    response = Client().post(_invite_url(token), _details())

    assert response.status_code == 404
    assert _main(response) == _main(forged)
    assert not User.objects.filter(email__iexact="priya@example.org").exists()


@pytest.mark.parametrize(
    ("who", "status"), [("facilitator", 403), ("attendee", 403), ("outsider", 404)]
)
def test_withdraw_invite_by_non_organiser_refused(request, organiser, who, status):
    record, token = _invite(organiser.summit, organiser, "priya@example.org", "facilitator")
    person = request.getfixturevalue(who)

    response = client_for(person).post(
        reverse("withdraw_invite", args=[organiser.summit.slug, record.pk])
    )

    assert response.status_code == status
    record.refresh_from_db()
    assert record.state(timezone.now()) == "open"
    assert Client().get(_invite_url(token)).status_code == 200


# Accepting with an account that already exists


def test_accept_invite_existing_account_signed_out_asked_to_sign_in(organiser, facilitator):
    _with_email(facilitator, "farah@example.org")
    _, token = _invite(organiser.summit, organiser, "Farah@Example.org", "organiser")
    users_before = User.objects.count()
    client = Client()

    shown = client.get(_invite_url(token))
    posted = client.post(_invite_url(token), _details())

    assert shown.status_code == 200
    page = shown.content.decode()
    assert "There is already an account for Farah@Example.org" in page
    assert f'href="{reverse("login")}?next={_invite_url(token)}"' in page
    assert 'name="password"' not in page
    assert posted.status_code == 200
    assert User.objects.count() == users_before
    assert User.objects.filter(email__iexact="farah@example.org").count() == 1
    assert _signed_in_user_id(client) is None
    facilitator.refresh_from_db()
    assert facilitator.role == Participant.Role.FACILITATOR


def test_accept_invite_existing_account_signs_in_then_accepts(organiser, facilitator):
    _with_email(facilitator, "farah@example.org")
    record, token = _invite(organiser.summit, organiser, "farah@example.org", "organiser")
    client = Client()

    signed_in = _sign_in(client, "farah@example.org", PASSWORD, next_url=_invite_url(token))
    confirm = client.get(signed_in.url)
    accepted = client.post(_invite_url(token))

    assert signed_in.url == _invite_url(token)
    assert confirm.status_code == 200
    assert "Accept the invitation" in confirm.content.decode()
    assert accepted.status_code == 302
    assert accepted.url == reverse("summit_home", args=[organiser.summit.slug])
    facilitator.refresh_from_db()
    assert facilitator.role == Participant.Role.ORGANISER
    record.refresh_from_db()
    assert record.used_by == facilitator


def test_accept_invite_signed_in_staff_confirms_first(organiser, facilitator):
    record, token = _invite(organiser.summit, organiser, "farah@example.org", "organiser")
    client = client_for(facilitator)

    response = client.get(_invite_url(token))

    assert response.status_code == 200
    assert "Accept the invitation" in response.content.decode()
    facilitator.refresh_from_db()
    assert facilitator.role == Participant.Role.FACILITATOR
    record.refresh_from_db()
    assert record.state(timezone.now()) == "open"


def test_accept_invite_organiser_keeps_organiser_role(summit, organiser):
    inviter = make_participant(summit, Participant.Role.ORGANISER, name="Ivy Inviter")
    record, token = _invite(summit, inviter, "olivia@example.org", "facilitator")

    response = client_for(organiser).post(_invite_url(token))

    assert response.status_code == 302
    assert response.url == reverse("summit_home", args=[summit.slug])
    organiser.refresh_from_db()
    assert organiser.role == Participant.Role.ORGANISER
    assert Participant.objects.filter(user=organiser.user).count() == 1
    record.refresh_from_db()
    assert record.used_by == organiser
    assert record.state(timezone.now()) == "used"


def test_accept_invite_role_is_per_summit(facilitator):
    summit_a = facilitator.summit
    user = _with_email(facilitator, "farah@example.org").user
    user.first_name, user.last_name = "Farah", "Hussain"
    user.save()
    summit_b = Summit.objects.create(slug="summit-b", title="Summit B", central_question="How?")
    inviter = make_participant(summit_b, Participant.Role.ORGANISER, name="Bea Organiser")
    _, token = _invite(summit_b, inviter, "farah@example.org", "organiser")
    client = client_for(facilitator)

    response = client.post(_invite_url(token))

    assert response.status_code == 302
    assert response.url == reverse("summit_home", args=[summit_b.slug])
    in_b = Participant.objects.get(user=facilitator.user, summit=summit_b)
    assert in_b.role == Participant.Role.ORGANISER
    assert in_b.display_name == "Farah Hussain"
    facilitator.refresh_from_db()
    assert facilitator.summit == summit_a
    assert facilitator.role == Participant.Role.FACILITATOR
    assert client.get(reverse("invites", args=[summit_b.slug])).status_code == 200
    assert client.get(reverse("invites", args=[summit_a.slug])).status_code == 403
