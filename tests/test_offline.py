"""Installing the app and keeping a phone going offline: the manifest, the service worker, the
offline page, and what a page tells static/js/offline.js (the key its waiting posts are kept
under, and the texts it shows)."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.test import Client
from django.urls import reverse

from breakouts import services as breakout_services
from breakouts.models import Breakout
from plenary import services as plenary_services
from summit.organise.offline import PRECACHED_STATIC
from tests.conftest import client_for


def _offline_script(html: str) -> str:
    found = re.search(r'<script src="[^"]*js/offline\.js"[^>]*>', html)
    assert found, "the page does not load offline.js"
    return found.group(0)


def _queue_key(html: str) -> str:
    return re.search(r'data-queue-key="([^"]*)"', _offline_script(html)).group(1)


@pytest.mark.django_db
def test_manifest_makes_the_app_installable():
    response = Client().get(reverse("manifest"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "Summit"
    assert manifest["short_name"] == "Summit"
    assert manifest["start_url"] == reverse("home")
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#1d4f91"
    assert manifest["background_color"] == "#ffffff"
    icons = {icon["sizes"]: icon for icon in manifest["icons"]}
    assert set(icons) == {"192x192", "512x512"}
    for size, icon in icons.items():
        assert icon["src"] == static(f"img/icon-{size.partition('x')[0]}.png")
        assert icon["type"] == "image/png"
        assert icon["purpose"] == "any"
    assert "max-age=3600" in response["Cache-Control"]


@pytest.mark.django_db
def test_icons_are_pngs_of_their_stated_size():
    for size in (192, 512):
        data = Path(finders.find(f"img/icon-{size}.png")).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        assert int.from_bytes(data[16:20]) == size
        assert int.from_bytes(data[20:24]) == size


@pytest.mark.django_db
def test_service_worker_is_served_from_the_root_and_never_cached_for_long():
    response = Client().get(reverse("service_worker"))

    assert reverse("service_worker") == "/sw.js"
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    cache = response["Cache-Control"]
    assert "no-cache" in cache
    assert "max-age=0" in cache
    script = response.content.decode()
    # It keeps the offline page and the files that draw it, by their served names.
    assert f'var OFFLINE_URL = "{reverse("offline")}";' in script
    for path in PRECACHED_STATIC:
        assert f'"{static(path)}"' in script
    assert f'var STATIC_URL = "{static("")}";' in script
    assert re.search(r'var CACHE = "summit-[0-9a-f]{12}";', script)
    # Nothing HTML-escaped into the script.
    assert "&quot;" not in script
    assert "&#x27;" not in script


@pytest.mark.django_db
def test_service_worker_names_a_new_cache_when_the_files_change(settings):
    before = Client().get(reverse("service_worker")).content.decode()
    settings.STATIC_URL = "/static-next/"

    after = Client().get(reverse("service_worker")).content.decode()

    cache = re.compile(r'var CACHE = "(summit-[0-9a-f]+)";')
    assert cache.search(before).group(1) != cache.search(after).group(1)


def test_offline_page_says_what_happens_and_holds_nothing_personal(attendee):
    response = client_for(attendee).get(reverse("offline"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>You are offline</h1>" in html
    assert "What you typed is kept and will be sent when the connection returns." in html
    assert "data-try-again>Try again</a>" in html
    assert '<html lang="en-GB">' in html
    # A copy is kept on the device for whoever uses it next.
    assert attendee.display_name not in html
    assert "csrfmiddlewaretoken" not in html
    assert "Sign out" not in html
    assert "Cookie" not in response.get("Vary", "")
    assert "max-age=3600" in response["Cache-Control"]
    assert "<script>" not in html
    assert "style=" not in html


def test_policy_lets_the_worker_and_manifest_come_from_the_site_only(summit, attendee):
    response = client_for(attendee).get(reverse("summit_home", args=[summit.slug]))

    policy = response.headers["Content-Security-Policy"]
    assert "worker-src 'self';" in policy or policy.endswith("worker-src 'self'")
    assert "manifest-src 'self'" in policy
    assert "http" not in policy


def test_pages_link_the_manifest_and_load_offline_js_with_their_texts(summit, attendee):
    html = client_for(attendee).get(reverse("summit_home", args=[summit.slug])).content.decode()

    assert f'<link rel="manifest" href="{reverse("manifest")}">' in html
    script = _offline_script(html)
    assert " defer" in script
    assert f'data-service-worker="{reverse("service_worker")}"' in script
    assert 'data-waiting="Waiting to send: there is no connection just now.' in script
    assert 'data-sent="Sent: what was waiting has reached the summit."' in script
    assert re.fullmatch(r"[0-9a-f]{32}", _queue_key(html))
    assert "data-sign-out" in html


def test_queue_key_is_one_persons_one_session(summit, attendee, organiser):
    url = reverse("summit_home", args=[summit.slug])
    first = _queue_key(client_for(attendee).get(url).content.decode())
    same_session = client_for(attendee)
    again = [_queue_key(same_session.get(url).content.decode()) for _ in range(2)]
    other_person = _queue_key(client_for(organiser).get(url).content.decode())

    assert again[0] == again[1]
    # A new sign-in (another session) and another person each get keys of their own.
    assert first != again[0]
    assert other_person not in {first, again[0]}


@pytest.mark.django_db
def test_signed_out_pages_have_no_queue_key():
    html = Client().get(reverse("home")).content.decode()

    assert _queue_key(html) == ""


def test_forms_that_may_wait_are_marked(breakout, attendee):
    breakout_services.post_idea(
        breakout=breakout, author=attendee, text="Shared minibus", client_token=uuid.uuid4()
    )
    Breakout.objects.filter(pk=breakout.pk).update(phase=Breakout.Phase.VOTE)
    poll = plenary_services.plenary_for(breakout.summit).polls.first()
    plenary_services.open_poll(poll)
    client = client_for(attendee)

    board = client.get(reverse("breakouts:breakout", args=[breakout.pk])).content.decode()
    room = client.get(reverse("plenary:room", args=[breakout.summit.slug])).content.decode()

    dots_forms = re.findall(r'<form hx-post="[^"]*/dots/"[^>]*>', board)
    assert dots_forms
    assert all("data-offline-queue" in form for form in dots_forms)
    answer_forms = re.findall(r'<form class="answer-form".*?>', room, re.S)
    assert len(answer_forms) == 1
    assert "data-offline-queue" in answer_forms[0]
