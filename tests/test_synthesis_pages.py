"""The synthesis pages: who sees what and may do what on them, the candidates offered for what
is not mapped, a refused theme kept as typed with the problem by its field, and queries that
do not grow with the themes, breakouts, clusters and ideas."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from breakouts.models import Cluster
from summit.synthesis import services
from summit.synthesis.models import SynthesisLead, Theme, ThemeLink
from tests.conftest import client_for
from tests.synthesis_day import Rooms, more_rooms

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("lexical_engine")]


def _page(rooms: Rooms) -> str:
    return reverse("synthesis_subtheme", args=[rooms.summit.slug, rooms.first.subtheme_id])


def _board(rooms: Rooms) -> str:
    return reverse("synthesis_board", args=[rooms.summit.slug, rooms.first.subtheme_id])


def _map(rooms: Rooms, item, kind: str = "cluster") -> str:
    return reverse("synthesis_map", args=[rooms.summit.slug, kind, item.pk])


def _theme(rooms: Rooms, name: str = "Joint and pooled budgets", **fields) -> Theme:
    return services.add_theme(rooms.first.subtheme, name, **fields, by=rooms.organiser)


def test_the_page_offers_candidates_a_lead_confirms(rooms):
    money = _theme(rooms, description="Money for councils and the NHS together")
    _theme(rooms, "Residents decide")
    client = client_for(rooms.organiser)

    page = client.get(_page(rooms)).content.decode()

    assert "Joint and pooled budgets" in page
    assert "Map to “Joint and pooled budgets” (" in page
    assert "% alike)" in page
    assert "Make a new theme, “Pooled budgets”, from this cluster" in page
    response = client.post(_map(rooms, rooms.joint), {"theme": money.pk}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.headers["HX-Retarget"] == "#board"
    assert ThemeLink.objects.get().cluster == rooms.joint
    board = response.content.decode()
    article = board[board.index(f'id="theme-{money.pk}"') :]
    article = article[: article.index("</article>")]
    assert "Rooms</dt><dd>Second room</dd>" in article
    assert "Joint budgets between the council and the NHS" in article


def test_a_facilitator_maps_their_own_breakouts_clusters_only(rooms):
    theme = _theme(rooms)
    client = client_for(rooms.facilitator)

    page = client.get(_page(rooms)).content.decode()
    theirs = client.post(_map(rooms, rooms.budgets), {"theme": theme.pk}, HTTP_HX_REQUEST="true")
    others = client.post(_map(rooms, rooms.joint), {"theme": theme.pk}, HTTP_HX_REQUEST="true")

    assert theirs.status_code == 200
    assert others.status_code == 403
    assert list(ThemeLink.objects.values_list("cluster", flat=True)) == [rooms.budgets.pk]
    # Not a lead: no theme kept from here, no new theme from a cluster.
    assert "Add a theme" not in page
    assert "Make a new theme" not in page
    assert (
        client.post(
            reverse("synthesis_add_theme", args=[rooms.summit.slug, rooms.first.subtheme_id]),
            {"name": "Mine", "client_token": str(uuid.uuid4())},
        ).status_code
        == 403
    )


def test_a_named_lead_keeps_the_themes(rooms):
    services.name_lead(rooms.summit, rooms.facilitator.pk, by=rooms.organiser)
    client = client_for(rooms.facilitator)
    url = reverse("synthesis_add_theme", args=[rooms.summit.slug, rooms.first.subtheme_id])

    response = client.post(url, {"name": "Trust", "client_token": str(uuid.uuid4())})
    mapped = client.post(_map(rooms, rooms.joint), {"theme": "new"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 302
    assert mapped.status_code == 200
    assert sorted(Theme.objects.values_list("name", flat=True)) == ["Joint budgets", "Trust"]


def test_a_refused_theme_keeps_what_was_typed_with_the_problem_by_its_field(rooms):
    _theme(rooms, "Trust")
    url = reverse("synthesis_add_theme", args=[rooms.summit.slug, rooms.first.subtheme_id])
    client = client_for(rooms.organiser)
    form = {"name": "trust", "description": "People believe the council", "client_token": ""}

    page = client.post(url, {**form, "client_token": str(uuid.uuid4())})
    htmx = client.post(url, {**form, "name": ""}, HTTP_HX_REQUEST="true")

    assert page.status_code == 422
    body = page.content.decode()
    assert "There is a problem" in body
    assert "There is already a theme called “trust” on this subtheme" in body
    assert 'value="trust"' in body
    assert 'value="People believe the council"' in body
    assert htmx.status_code == 422
    part = htmx.content.decode().strip()
    assert part.startswith('<form id="new-theme"')
    assert "Enter a name for the theme" in part
    assert "Reload the page and add the theme again" in part
    assert 'value="People believe the council"' in part
    assert Theme.objects.count() == 1


def test_a_refused_rename_comes_back_with_its_form(rooms):
    theme, _ = _theme(rooms, "Trust"), _theme(rooms, "Money")
    url = reverse("synthesis_change_theme", args=[rooms.summit.slug, theme.pk])

    response = client_for(rooms.organiser).post(
        url, {"name": "money", "description": "Kept"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 422
    part = response.content.decode().strip()
    assert part.startswith(f'<form id="theme-{theme.pk}-form"')
    assert "There is already a theme called “money”" in part
    assert 'value="Kept"' in part


def test_a_refused_mapping_says_why_where_the_person_looks(rooms):
    theme, other = _theme(rooms), _theme(rooms, "Trust")
    services.map_item(rooms.budgets, theme.pk, by=rooms.organiser)

    response = client_for(rooms.organiser).post(
        _map(rooms, rooms.budgets), {"theme": other.pk}, HTTP_HX_REQUEST="true"
    )
    junk = client_for(rooms.organiser).post(
        _map(rooms, rooms.budgets), {"theme": "²"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 422
    assert response.headers["HX-Retarget"] == "#synthesis-message"
    assert "unmap it there first" in response.content.decode()
    assert junk.status_code == 422
    assert "Choose one of the themes listed" in junk.content.decode()


def test_unknown_kinds_and_items_of_other_summits_are_not_found(rooms, outsider):
    theme = _theme(rooms)
    elsewhere = Cluster.objects.create(breakout=outsider.breakouts.get(), name="Elsewhere")
    client = client_for(rooms.organiser)
    slug = rooms.summit.slug

    for kind, pk in (("idea", rooms.ideas[0].pk), ("cluster", elsewhere.pk), ("cluster", 0)):
        url = reverse("synthesis_map", args=[slug, kind, pk])
        assert client.post(url, {"theme": theme.pk}).status_code == 404


def test_attendees_and_outsiders_see_no_synthesis(rooms, outsider):
    url = _page(rooms)

    assert client_for(rooms.attendee).get(url).status_code == 403
    assert client_for(outsider).get(url).status_code == 404


def test_the_index_lists_subthemes_and_leads_and_an_organiser_names_one(rooms):
    theme = _theme(rooms)
    services.map_item(rooms.budgets, theme.pk, by=rooms.organiser)
    client = client_for(rooms.organiser)
    url = reverse("synthesis", args=[rooms.summit.slug])

    page = client.get(url).content.decode()
    refused = client.post(reverse("synthesis_add_lead", args=[rooms.summit.slug]), {"person": ""})
    named = client.post(
        reverse("synthesis_add_lead", args=[rooms.summit.slug]),
        {"person": rooms.other_facilitator.pk},
    )

    assert rooms.first.subtheme.title in page
    assert "Olivia Okafor" in page
    assert "Femi Okoro, Testshire Council" in page  # offered
    assert refused.status_code == 422
    assert "Choose who is to lead the synthesis" in refused.content.decode()
    assert named.status_code == 302
    assert SynthesisLead.objects.get().participant == rooms.other_facilitator
    facilitators_view = client_for(rooms.facilitator).get(url).content.decode()
    assert "Name as a lead" not in facilitators_view
    assert "Femi Okoro" in facilitators_view


# Queries that do not grow


@pytest.mark.parametrize("name", ["page", "board", "index"])
def test_pages_take_the_same_queries_however_much_is_mapped(rooms, name):
    url = {
        "page": _page(rooms),
        "board": _board(rooms),
        "index": reverse("synthesis", args=[rooms.summit.slug]),
    }[name]
    client = client_for(rooms.organiser)
    counts = []
    for n in (1, 8):
        more_rooms(rooms, n)
        client.get(url)  # the session's first reads
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_pages_read_in_welsh_give_the_subthemes_welsh_title_and_question(rooms):
    subtheme = rooms.first.subtheme
    client = client_for(rooms.organiser)
    client.post(reverse("switch_language"), {"language": "cy", "next": "/"})

    page = client.get(_page(rooms)).content.decode()
    index = client.get(reverse("synthesis", args=[rooms.summit.slug])).content.decode()

    assert f"<h1>{subtheme.title_cy}</h1>" in page
    assert f'<p class="subtheme-question">{escape(subtheme.question_cy)}</p>' in page
    assert f">{subtheme.title_cy}</a>" in index
    assert f">{rooms.summit.title_cy}</a>" in index
