from __future__ import annotations

from django.test import Client
from django.urls import reverse

from accounts.models import User


def test_demo_login_lists_demo_people_and_enters_as_one(summit, settings):
    from django.core.management import call_command

    call_command("setup_demo")
    client = Client()

    page = client.get(reverse("demo_login"))
    response = client.post(reverse("demo_login"), {"username": "demo-facilitator-1"})

    assert "Farah Hussain" in page.content.decode()
    assert "Demonstration mode" in page.content.decode()
    assert response.status_code == 302
    assert response.url == reverse("summit_home", args=["place-summit"])
    assert client.get(response.url).context["participant"].display_name == "Farah Hussain"


def test_demo_login_refuses_a_real_account(summit, attendee):
    client = Client()

    response = client.post(reverse("demo_login"), {"username": attendee.user.username})

    assert response.status_code == 422
    assert "Choose one of the demo accounts listed" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_demo_login_is_off_when_disabled(db, settings):
    settings.DEMO_LOGIN = False
    User.objects.create(username="demo-x", is_demo=True)

    assert Client().get(reverse("demo_login")).status_code == 404
    assert Client().post(reverse("demo_login"), {"username": "demo-x"}).status_code == 404
