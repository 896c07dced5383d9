from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from accounts.models import Participant, User


def test_create_organiser_signs_in_and_organises_the_summit(summit, monkeypatch):
    monkeypatch.setenv("SUMMIT_ORGANISER_PASSWORD", "a-long-and-unusual-passphrase")

    call_command(
        "create_organiser", "Lead@Example.org", "--name", "Lena Ode", "--summit", "place-summit"
    )

    user = User.objects.get(email="Lead@Example.org")
    assert user.is_staff
    assert Participant.objects.get(user=user, summit=summit).role == Participant.Role.ORGANISER
    client = Client()
    response = client.post(
        reverse("login"),
        {"email": "lead@example.org", "password": "a-long-and-unusual-passphrase"},
    )
    assert response.status_code == 302
    assert client.get(reverse("people", args=[summit.slug])).status_code == 200
    assert client.get(reverse("new_summit")).status_code == 200


def test_create_organiser_refuses_a_weak_password(summit, monkeypatch):
    monkeypatch.setenv("SUMMIT_ORGANISER_PASSWORD", "password")

    with pytest.raises(CommandError, match=r"too short|too common"):
        call_command("create_organiser", "lead@example.org")

    assert not User.objects.filter(email="lead@example.org").exists()


def test_create_organiser_refuses_an_unknown_summit(db, monkeypatch):
    monkeypatch.setenv("SUMMIT_ORGANISER_PASSWORD", "a-long-and-unusual-passphrase")

    with pytest.raises(CommandError, match=r"no summit 'nowhere'"):
        call_command("create_organiser", "lead@example.org", "--summit", "nowhere")
