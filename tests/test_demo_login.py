from __future__ import annotations

import io
import uuid

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import Participant, User
from breakouts.demo import DEMO_PASSWORD
from breakouts.models import Breakout


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


def _setup_demo_output() -> str:
    out = io.StringIO()
    call_command("setup_demo", "--url", "http://127.0.0.1:8000/", stdout=out)
    return out.getvalue()


def test_setup_demo_prints_every_breakout_with_its_facilitator_console_and_big_screen(summit):
    output = _setup_demo_output()

    breakouts = list(Breakout.objects.filter(summit=summit))
    assert len(breakouts) == 3
    for breakout in breakouts:
        facilitator = breakout.facilitators.get()
        block = output[output.index(f"    {breakout.name}\n") :]
        block = block[: block.index("demo attendees:")]
        assert facilitator.user.email in block, breakout.name
        assert f"http://127.0.0.1:8000/breakouts/{breakout.pk}/console/" in block
        assert f"http://127.0.0.1:8000/breakouts/screen/{breakout.screen_key}/" in block
        for member in breakout.members.all():
            assert member.display_name in output
    assert f"http://127.0.0.1:8000/j/{summit.join_code}/" in output
    assert DEMO_PASSWORD in output


def _join(client: Client, summit, sector: str) -> Participant:
    response = client.post(
        reverse("join_summit", args=[summit.join_code]),
        {
            "display_name": "Priya Shah",
            "organisation": "Testshire NHS Trust",
            "sector": sector,
            "attribution": "named",
            "join_token": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 302
    return Participant.objects.get(display_name="Priya Shah")


def test_summit_home_in_demo_names_the_facilitator_watching_the_attendees_own_breakout(summit):
    _setup_demo_output()
    client = Client()
    # Health is placed where there is the least health so far: not the first breakout.
    priya = _join(client, summit, "health")
    (placed,) = priya.breakouts.all()
    others = Breakout.objects.filter(summit=summit).exclude(pk=placed.pk)

    page = client.get(reverse("summit_home", args=[summit.slug])).content.decode()

    assert placed != Breakout.objects.filter(summit=summit).first()
    watcher = placed.facilitators.get().display_name
    assert f"enter as {watcher}, its facilitator" in page
    assert f'href="{reverse("demo_login")}"' in page
    for other in others:
        assert other.facilitators.get().display_name not in page
    # Entered as that facilitator, the console of the attendee's breakout is theirs.
    watching = Client()
    watching.post(reverse("demo_login"), {"username": placed.facilitators.get().user.username})
    console = watching.get(reverse("breakouts:console", args=[placed.pk]))
    assert console.status_code == 200


def test_summit_home_without_demo_names_no_facilitator_to_enter_as(summit, settings):
    _setup_demo_output()
    client = Client()
    priya = _join(client, summit, "health")
    settings.DEMO_LOGIN = False

    page = client.get(reverse("summit_home", args=[summit.slug])).content.decode()

    (placed,) = priya.breakouts.all()
    assert placed.name in page
    assert "its facilitator" not in page
    assert placed.facilitators.get().display_name not in page
