"""The organisers' content editor as people use it: every part's page, where organisers add,
change, move, remove, retire and bring back items with plain forms, and facilitators read;
refusals and bad input answered with the GOV.UK error pattern, the typed text kept; and each
page's queries the same with one item as with two hundred."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from breakouts import services as breakout_services
from summit.event.models import (
    AgendaItem,
    Assumption,
    Material,
    Obstacle,
    Prompt,
    Sector,
    Subtheme,
    Summit,
)
from summit.organise.design import PARTS
from tests.conftest import client_for, make_participant

pytestmark = pytest.mark.django_db

# What an organiser types to add an item of each part, and then to change it.
TYPED = {
    "pre-reading": (
        {"title": "Why place matters", "body": "Places differ.\n\n- people\n- money"},
        {"title": "Why place matters now", "body": "Places differ more than ever."},
    ),
    "assumptions": ({"text": "Trust is built locally"}, {"text": "Trust is built locally, slowly"}),
    "obstacles": ({"text": "Annual budgets"}, {"text": "Annual budget cycles"}),
    "subthemes": (
        {"title": "Money", "question": "How do we pool budgets?"},
        {"title": "Funding", "question": "How do we pool budgets across partners?"},
    ),
    "areas": (
        {"text": "Who holds the purse?", "subtheme": ""},
        {"text": "Who holds the shared budget?", "subtheme": "FIRST_SUBTHEME"},
    ),
    "agenda": (
        {
            "kind": "plenary",
            "title": "Closing plenary",
            "starts_at": "16:00",
            "ends_at": "16:45",
            "description": "",
        },
        {
            "kind": "break",
            "title": "Tea",
            "starts_at": "16:00",
            "ends_at": "16.15",
            "description": "In the atrium",
        },
    ),
    "materials": (
        {"title": "Annual report", "url": "https://example.org/report", "body": "Section 2"},
        {"title": "Annual report 2025", "url": "http://example.org/2025", "body": ""},
    ),
    "sectors": ({"name": "Housing associations"}, {"name": "Housing"}),
}


def _typed(summit: Summit, values: dict) -> dict:
    first = Subtheme.objects.filter(summit=summit).first()
    return {k: (str(first.pk) if v == "FIRST_SUBTHEME" else v) for k, v in values.items()}


def _part_url(summit: Summit, slug: str) -> str:
    return reverse("design_part", args=[summit.slug, slug])


def _item_url(name: str, summit: Summit, slug: str, item) -> str:
    return reverse(name, args=[summit.slug, slug, item.pk])


def _newest(summit: Summit, slug: str):
    return PARTS[slug].items(summit).order_by("-pk").first()


def _names(summit: Summit, slug: str) -> list[str]:
    part = PARTS[slug]
    return [part.name_of(item) for item in part.items(summit)]


def _followed(client, response) -> str:
    assert response.status_code == 302
    page = client.get(response.url)
    assert page.status_code == 200
    return page.content.decode()


# The overview


def test_the_overview_links_every_part_with_its_count(summit, organiser):
    page = client_for(organiser).get(reverse("design", args=[summit.slug])).content.decode()

    for part in PARTS.values():
        assert f'href="{_part_url(summit, part.slug)}">{part.title}</a>' in page
    assert "4 items" in page  # working assumptions
    assert "9 items" in page  # the nine default sectors, before any is changed
    assert f'href="/s/{summit.slug}/settings/"' in page
    assert f'href="/s/{summit.slug}/run-sheet/"' in page
    assert f'href="{reverse("breakouts_setup", args=[summit.slug])}"' in page


def test_the_overview_counts_retired_items(summit, organiser):
    Subtheme.objects.filter(pk=Subtheme.objects.filter(summit=summit).first().pk).update(
        retired_at=dt.datetime(2026, 3, 5, tzinfo=dt.UTC)
    )

    page = client_for(organiser).get(reverse("design", args=[summit.slug])).content.decode()

    assert "3 items, 1 retired" in page


def test_the_summit_home_links_to_the_design_for_organisers_and_facilitators(
    summit, organiser, facilitator, attendee
):
    url = reverse("design", args=[summit.slug])
    home = reverse("summit_home", args=[summit.slug])

    assert url in client_for(organiser).get(home).content.decode()
    assert url in client_for(facilitator).get(home).content.decode()
    assert url not in client_for(attendee).get(home).content.decode()


# Each part: add, change, move, remove


@pytest.mark.parametrize("slug", sorted(PARTS))
def test_an_organiser_adds_an_item_at_the_end(summit, organiser, slug):
    client = client_for(organiser)
    added, _ = TYPED[slug]

    response = client.post(_part_url(summit, slug), _typed(summit, added))

    item = _newest(summit, slug)
    name = PARTS[slug].name_of(item)
    assert _names(summit, slug)[-1] == name == added[PARTS[slug].name_field]
    assert response.url.endswith(f"#item-{item.pk}")
    page = _followed(client, response)
    assert f"Added “{name}”." in page
    assert f'id="item-{item.pk}"' in page


@pytest.mark.parametrize("slug", sorted(PARTS))
def test_an_organiser_changes_an_item_on_its_own_page(summit, organiser, slug):
    client = client_for(organiser)
    added, changed = (_typed(summit, values) for values in TYPED[slug])
    client.post(_part_url(summit, slug), added)
    item = _newest(summit, slug)
    url = _item_url("design_item", summit, slug, item)

    form = client.get(url).content.decode()
    response = client.post(url, changed)

    named = PARTS[slug].name_field
    assert added[named] in form  # the form starts with what the item says
    item.refresh_from_db()
    assert PARTS[slug].name_of(item) == changed[named]
    assert "Saved the changes to" in _followed(client, response)


@pytest.mark.parametrize("slug", sorted(PARTS))
def test_an_organiser_moves_an_item_up_and_down(summit, organiser, slug):
    client = client_for(organiser)
    client.post(_part_url(summit, slug), _typed(summit, TYPED[slug][0]))
    item = _newest(summit, slug)
    before = _names(summit, slug)
    url = _item_url("design_move", summit, slug, item)

    up = client.post(url, {"direction": "up"})
    assert _names(summit, slug) == [*before[:-2], before[-1], before[-2]]
    client.post(url, {"direction": "down"})

    assert _names(summit, slug) == before
    assert up.url.endswith(f"#item-{item.pk}")
    assert "Moved “" in _followed(client, up)


@pytest.mark.parametrize("slug", sorted(PARTS))
def test_an_organiser_removes_an_item_nobody_has_used(summit, organiser, slug):
    client = client_for(organiser)
    client.post(_part_url(summit, slug), _typed(summit, TYPED[slug][0]))
    item = _newest(summit, slug)

    response = client.post(_item_url("design_remove", summit, slug, item))

    assert not PARTS[slug].items(summit).filter(pk=item.pk).exists()
    assert response.url == _part_url(summit, slug)
    assert "Removed “" in _followed(client, response)


@pytest.mark.parametrize("slug", sorted(slug for slug, part in PARTS.items() if part.retirable))
def test_an_organiser_retires_an_item_and_brings_it_back(summit, organiser, slug):
    client = client_for(organiser)
    client.post(_part_url(summit, slug), _typed(summit, TYPED[slug][0]))
    item = _newest(summit, slug)

    page = _followed(client, client.post(_item_url("design_retire", summit, slug, item)))
    item.refresh_from_db()
    assert item.retired_at is not None
    assert "Retired “" in page
    assert "Bring back" in page
    assert '<span class="tag">Retired</span>' in page

    client.post(_item_url("design_restore", summit, slug, item))
    item.refresh_from_db()
    assert item.retired_at is None


@pytest.mark.parametrize("slug", sorted(slug for slug, part in PARTS.items() if not part.retirable))
def test_a_part_that_is_never_retired_offers_no_retiring(summit, organiser, slug):
    client = client_for(organiser)
    item = PARTS[slug].items(summit).first()

    page = client.get(_part_url(summit, slug)).content.decode()
    response = client.post(_item_url("design_retire", summit, slug, item))

    assert ">Retire<" not in page
    assert response.status_code == 404


def test_a_refused_removal_says_why_and_offers_retiring(summit, breakout, attendee, organiser):
    breakout_services.post_idea(
        breakout=breakout, author=attendee, text="Pool budgets", client_token=uuid.uuid4()
    )
    client = client_for(organiser)
    subtheme = breakout.subtheme

    response = client.post(_item_url("design_remove", summit, "subthemes", subtheme))

    page = _followed(client, response)
    assert response.url.endswith(f"#item-{subtheme.pk}")
    assert "People have posted ideas in the breakouts on" in page
    assert "Retire it instead" in page
    assert Subtheme.objects.filter(pk=subtheme.pk).exists()


def test_moving_neither_up_nor_down_says_so(summit, organiser):
    client = client_for(organiser)
    item = PARTS["assumptions"].items(summit)[1]
    before = _names(summit, "assumptions")

    page = _followed(client, client.post(_item_url("design_move", summit, "assumptions", item), {}))

    assert "Choose whether to move it up or down" in page
    assert _names(summit, "assumptions") == before


def test_the_first_item_offers_no_move_up_and_the_last_no_move_down(summit, organiser):
    page = client_for(organiser).get(_part_url(summit, "assumptions")).content.decode()
    items = re.findall(r'<li class="design-item[^"]*" id="item-\d+".*?</li>', page, re.S)

    assert "Move up" not in items[0]
    assert "Move down" in items[0]
    assert "Move up" in items[-1]
    assert "Move down" not in items[-1]


def test_an_item_of_another_summit_or_part_is_not_found(summit, organiser, outsider):
    client = client_for(organiser)
    elsewhere = Assumption.objects.create(summit=outsider.summit, order=1, text="Elsewhere")
    obstacle = (
        Obstacle.objects.filter(summit=summit)
        .exclude(pk__in=Assumption.objects.values("pk"))
        .first()
    )

    assert client.get(_item_url("design_item", summit, "assumptions", elsewhere)).status_code == 404
    assert client.get(_item_url("design_item", summit, "assumptions", obstacle)).status_code == 404
    assert client.get(f"/s/{summit.slug}/design/nothing/").status_code == 404
    section = Material.objects.filter(summit=summit, kind="section").first()
    assert client.get(_item_url("design_item", summit, "materials", section)).status_code == 404


# Errors, after the GOV.UK pattern


BAD = {
    "pre-reading": ({"title": "", "body": "Kept words"}, "title", "Enter the section’s heading"),
    "assumptions": ({"text": "x" * 1001}, "text", "must be 1000 characters or fewer"),
    "obstacles": ({"text": "   "}, "text", "Enter the obstacle"),
    "subthemes": ({"title": "Money", "question": ""}, "question", "Enter the question"),
    "areas": ({"text": "Kept words", "subtheme": "999999"}, "subtheme", "Choose one of"),
    "agenda": (
        {"kind": "plenary", "title": "Kept words", "starts_at": "16:00", "ends_at": "15:00"},
        "ends_at",
        "The end must be after the start",
    ),
    "materials": (
        {"title": "Kept words", "url": "javascript:alert(1)", "body": ""},
        "url",
        "Enter a web address starting https:// or http://",
    ),
    "sectors": ({"name": "Faith"}, "name", "There is already a sector called “Faith”"),
}


@pytest.mark.parametrize("slug", sorted(PARTS))
def test_a_refused_item_is_explained_by_its_field_with_the_typed_text_kept(summit, organiser, slug):
    client = client_for(organiser)
    typed, field, message = BAD[slug]
    before = PARTS[slug].items(summit).count() if slug != "sectors" else 9

    response = client.post(_part_url(summit, slug), typed)

    page = response.content.decode()
    assert response.status_code == 422
    assert "<title>Error: " in page
    assert 'class="error-summary"' in page
    assert f'href="#id_{field}' in page  # the summary links to the field
    assert f'id="id_{field}_error"' in page
    assert message in page
    for name, kept in typed.items():
        if kept.strip() and name != "subtheme":  # a choice not offered is not kept
            assert kept in page
    assert PARTS[slug].items(summit).count() == before


def test_a_refused_change_keeps_what_was_typed_and_changes_nothing(summit, organiser):
    client = client_for(organiser)
    item = AgendaItem.objects.filter(summit=summit).first()
    title = item.title

    response = client.post(
        _item_url("design_item", summit, "agenda", item),
        {"kind": "party", "title": "A new title", "starts_at": "25:00", "ends_at": ""},
    )

    page = response.content.decode()
    assert response.status_code == 422
    assert "<title>Error: " in page
    assert "Select one of the kinds listed" in page
    assert "Enter a time of day, like 09:30 or 14:15" in page
    assert "Enter the time it ends" in page
    assert 'value="A new title"' in page
    item.refresh_from_db()
    assert item.title == title


# Who may do what


def test_a_facilitator_reads_every_part_without_a_form(summit, facilitator):
    client = client_for(facilitator)

    for slug, part in PARTS.items():
        page = client.get(_part_url(summit, slug)).content.decode()
        item = part.items(summit).first()
        own = client.get(_item_url("design_item", summit, slug, item)).content.decode()
        assert escape(part.name_of(item)) in page
        assert escape(part.name_of(item)) in own
        for shown in (page, own):
            assert shown.count("<form") == 2  # signing out and the language, and no other
            assert 'class="design-item__actions"' not in shown
        assert str(part.add_title) not in page


def test_a_facilitators_change_is_refused(summit, facilitator):
    client = client_for(facilitator)
    item = PARTS["assumptions"].items(summit).first()

    added = client.post(_part_url(summit, "assumptions"), {"text": "Mine"})
    moved = client.post(
        _item_url("design_move", summit, "assumptions", item), {"direction": "down"}
    )
    removed = client.post(_item_url("design_remove", summit, "assumptions", item))

    assert (added.status_code, moved.status_code, removed.status_code) == (403, 403, 403)
    assert Assumption.objects.filter(pk=item.pk, order=item.order).exists()
    assert not Assumption.objects.filter(text="Mine").exists()


# Queries: the same with one item as with two hundred


def _fill(summit: Summit, slug: str, n: int) -> None:
    """``n`` items of the part in ``summit``, made in one go."""
    subtheme = None
    if slug == "areas":
        subtheme = Subtheme.objects.filter(summit=summit).first() or Subtheme.objects.create(
            summit=summit, order=1, title="Only", question="?"
        )
    makers = {
        "pre-reading": lambda i: Material(summit=summit, order=i, title=f"S{i}", body="Text"),
        "assumptions": lambda i: Assumption(summit=summit, order=i, text=f"A{i}"),
        "obstacles": lambda i: Obstacle(summit=summit, order=i, text=f"O{i}"),
        "subthemes": lambda i: Subtheme(summit=summit, order=i, title=f"T{i}", question="?"),
        "areas": lambda i: Prompt(summit=summit, order=i, text=f"P{i}", subtheme=subtheme),
        "agenda": lambda i: AgendaItem(
            summit=summit,
            order=i,
            kind="plenary",
            title=f"G{i}",
            starts_at=dt.time(9),
            ends_at=dt.time(10),
        ),
        "materials": lambda i: Material(
            summit=summit, order=i, kind="link", title=f"M{i}", url="https://example.org/"
        ),
        "sectors": lambda i: Sector(summit=summit, order=i, key=f"k{i}", name=f"N{i}"),
    }
    rows = [makers[slug](i) for i in range(1, n + 1)]
    type(rows[0]).objects.bulk_create(rows)


def _organising(n: int, *slugs: str):
    """A summit with ``n`` items of each part named, and its organiser's browser, settled."""
    summit = Summit.objects.create(slug=f"s{n}", title=f"S{n}", central_question="?")
    for slug in slugs:
        _fill(summit, slug, n)
    return summit, client_for(make_participant(summit, "organiser"))


# Every part's page asks this many queries, however many items it lists: the session, the
# person in the summit with the summit, the items; and the subthemes an area may be tied to,
# or the sector rows made sure of (in a savepoint, with the summit locked).
QUERIES = {
    "pre-reading": 4,
    "assumptions": 4,
    "obstacles": 4,
    "subthemes": 4,
    "areas": 5,
    "agenda": 4,
    "materials": 4,
    "sectors": 9,
}


@pytest.mark.parametrize("n", [1, 200])
@pytest.mark.parametrize("slug", sorted(PARTS))
def test_a_parts_page_asks_as_many_queries_for_two_hundred_items_as_for_one(
    db, slug, n, django_assert_num_queries
):
    summit, client = _organising(n, slug)

    with django_assert_num_queries(QUERIES[slug]):
        response = client.get(_part_url(summit, slug))

    assert response.content.decode().count('<li class="design-item') == n


@pytest.mark.parametrize("n", [1, 200])
def test_the_overview_asks_as_many_queries_however_many_items(db, n, django_assert_num_queries):
    summit, client = _organising(n, *PARTS)

    # The session, the person, one count for each part (the sectors read whole).
    with django_assert_num_queries(3 + len(PARTS)):
        response = client.get(reverse("design", args=[summit.slug]))

    assert response.content.decode().count(f"{n} item") == len(PARTS)


@pytest.mark.parametrize(("who", "status"), [("attendee", 403), ("outsider", 404)])
def test_adding_or_changing_is_refused_to_attendees_and_outsiders(
    summit, breakout, request, who, status
):
    client = client_for(request.getfixturevalue(who))
    item = PARTS["assumptions"].items(summit).first()

    added = client.post(_part_url(summit, "assumptions"), {"text": "Mine"})
    changed = client.post(_item_url("design_item", summit, "assumptions", item), {"text": "Mine"})
    read = client.get(_part_url(summit, "assumptions"))

    assert (added.status_code, changed.status_code, read.status_code) == (status,) * 3
    assert not Assumption.objects.filter(text="Mine").exists()


def test_a_signed_out_visitor_is_sent_to_sign_in(summit):
    response = Client().post(_part_url(summit, "assumptions"), {"text": "Mine"})

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert not Assumption.objects.filter(text="Mine").exists()


def test_a_refused_rename_keeps_the_typed_name_and_the_page_keeps_the_saved_one(summit, organiser):
    client = client_for(organiser)
    client.get(_part_url(summit, "sectors"))  # the summit's own rows, from the nine defaults
    business = Sector.objects.get(summit=summit, key="business")

    response = client.post(_item_url("design_item", summit, "sectors", business), {"name": "Faith"})

    page = response.content.decode()
    assert response.status_code == 422
    assert "<title>Error: Business: Sectors – Summit</title>" in page
    assert 'id="id_name_error"' in page
    assert "There is already a sector called “Faith”" in page
    assert 'value="Faith"' in page
    business.refresh_from_db()
    assert business.name == "Business"
