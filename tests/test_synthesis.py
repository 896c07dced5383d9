"""The themes across rooms, as services: who leads, the themes each subtheme keeps, and the
clusters and outcomes mapped to them by a person; every change refused where the rules say
so, logged, pushed after commit and safe to repeat. And what a theme adds up to: its ideas
(each once), rooms, dots, cross-sector support and supporters by sector, small sectors only
together, and the themes by sector."""

from __future__ import annotations

import uuid

import pytest
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext

from accounts.models import AuditEntry, Participant
from breakouts.models import Idea
from summit.event.measures import OTHER_SECTORS
from summit.event.refusals import Refused
from summit.event.sectors import sector_names
from summit.synthesis import services
from summit.synthesis.board import gather
from summit.synthesis.by_sector import themes_by_sector
from summit.synthesis.candidates import offer_candidates
from summit.synthesis.models import SynthesisLead, Theme, ThemeLink
from tests.conftest import in_english, make_participant
from tests.synthesis_day import Rooms, dot, people

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("lexical_engine")]
OTHER = str(OTHER_SECTORS)


@pytest.fixture
def pushed(monkeypatch) -> list[tuple[str, str]]:
    """What the synthesis pushed after commit: (group, html) pairs, in order."""
    sent: list[tuple[str, str]] = []
    monkeypatch.setattr(
        "summit.synthesis.live.push", lambda fragments, **_: sent.extend(in_english(fragments))
    )
    return sent


def _log() -> list[tuple[str, str, dict]]:
    return list(AuditEntry.objects.order_by("pk").values_list("action", "place", "detail"))


def _synthesis(rooms: Rooms):
    subtheme = rooms.first.subtheme
    names = sector_names(rooms.summit)
    found = gather(Theme.objects.filter(subtheme=subtheme), [rooms.first, rooms.second], names)
    return found[subtheme.pk]


def _theme(rooms: Rooms, name: str = "Money follows the place", **fields) -> Theme:
    return services.add_theme(rooms.first.subtheme, name, **fields, by=rooms.organiser)


# The leads


def test_an_organiser_names_a_facilitator_lead_once_logged_and_pushed(
    rooms, pushed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.name_lead(rooms.summit, rooms.other_facilitator.pk, by=rooms.organiser)
        services.name_lead(rooms.summit, rooms.other_facilitator.pk, by=rooms.organiser)

    assert SynthesisLead.objects.get().participant == rooms.other_facilitator
    assert _log() == [
        (
            "Named a synthesis lead",
            "Themes across rooms",
            {"person": "Femi Okoro, Testshire Council"},
        )
    ]
    groups = {group for group, _ in pushed}
    assert groups == {f"synthesis-{s.pk}" for s in rooms.summit.subthemes.all()}
    assert all("data-refresh-board" in html for _, html in pushed)


@pytest.mark.parametrize("who", ["attendee", "organiser", "outsider"])
def test_only_a_facilitator_of_the_summit_is_named_a_lead(rooms, outsider, who):
    person = {"attendee": rooms.attendee, "organiser": rooms.organiser, "outsider": outsider}[who]

    with pytest.raises(Refused):
        services.name_lead(rooms.summit, person.pk, by=rooms.organiser)

    assert not SynthesisLead.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_lead_no_longer_leading_is_logged_once(rooms):
    services.name_lead(rooms.summit, rooms.other_facilitator.pk, by=rooms.organiser)

    services.remove_lead(rooms.summit, rooms.other_facilitator.pk, by=rooms.organiser)
    services.remove_lead(rooms.summit, rooms.other_facilitator.pk, by=rooms.organiser)

    assert not SynthesisLead.objects.exists()
    assert [action for action, _, _ in _log()] == [
        "Named a synthesis lead",
        "No longer a synthesis lead",
    ]


# The themes


def test_a_theme_added_is_logged_pushed_and_put_last(
    rooms, pushed, django_capture_on_commit_callbacks
):
    first = _theme(rooms, "Money follows the place")
    with django_capture_on_commit_callbacks(execute=True):
        second = _theme(rooms, "Residents decide", description="Power to neighbourhoods")

    assert (first.position, second.position) == (1, 2)
    assert _log()[-1] == (
        "Added a theme",
        f"Themes: {rooms.first.subtheme.title}",
        {"theme": second.pk, "name": "Residents decide", "description": "Power to neighbourhoods"},
    )
    [(group, html)] = pushed
    assert group == f"synthesis-{rooms.first.subtheme_id}"
    assert "New theme: Residents decide" in html


def test_a_retried_theme_with_its_token_is_made_once(rooms):
    token = uuid.uuid4()

    made = _theme(rooms, "Money follows the place", client_token=token)
    again = _theme(rooms, "Money follows the place", client_token=token)

    assert again == made
    assert Theme.objects.count() == 1
    assert len(_log()) == 1


def test_a_name_the_subtheme_has_is_refused_in_any_case(rooms):
    _theme(rooms, "Money follows the place")

    with pytest.raises(Refused, match="already a theme called “money FOLLOWS the place”"):
        _theme(rooms, "money FOLLOWS the place")
    # Another subtheme may have a theme of the same name.
    services.add_theme(rooms.third.subtheme, "Money follows the place", by=rooms.organiser)

    assert Theme.objects.count() == 2


def test_a_theme_renamed_and_described_is_logged_with_what_it_was(rooms):
    theme = _theme(rooms, "Money")
    _theme(rooms, "Residents decide")

    with pytest.raises(Refused, match="already a theme"):
        services.change_theme(theme, "Residents decide", "", by=rooms.organiser)
    services.change_theme(theme, "Money follows the place", "Pooled budgets", by=rooms.organiser)
    services.change_theme(theme, "Money follows the place", "Pooled budgets", by=rooms.organiser)

    theme.refresh_from_db()
    assert (theme.name, theme.description) == ("Money follows the place", "Pooled budgets")
    changed = [entry for entry in _log() if entry[0] == "Changed a theme"]
    assert [detail["was"] for _, _, detail in changed] == ["Money / "]


def test_a_theme_with_anything_mapped_is_removed_only_once_unmapped(rooms):
    theme = _theme(rooms)
    services.map_item(rooms.budgets, theme.pk, by=rooms.facilitator)

    with pytest.raises(Refused, match="has 1 clusters and outcomes mapped to it: unmap them"):
        services.remove_theme(theme, by=rooms.organiser)
    assert Theme.objects.filter(pk=theme.pk).exists()

    services.unmap_item(rooms.budgets, by=rooms.organiser)
    services.remove_theme(theme, by=rooms.organiser)

    assert not Theme.objects.exists()
    assert _log()[-1][0] == "Removed a theme"


# Mapping


def test_mapping_is_logged_pushed_and_the_same_again_changes_nothing(
    rooms, pushed, django_capture_on_commit_callbacks
):
    theme = _theme(rooms)
    with django_capture_on_commit_callbacks(execute=True):
        link = services.map_item(rooms.joint, theme.pk, by=rooms.other_facilitator)
        again = services.map_item(rooms.joint, theme.pk, by=rooms.other_facilitator)

    assert again == link
    assert ThemeLink.objects.get().cluster == rooms.joint
    assert _log()[-1] == (
        "Mapped a cluster to a theme",
        f"Themes: {rooms.first.subtheme.title}",
        {
            "cluster": rooms.joint.pk,
            "breakout": rooms.second.pk,
            "theme": theme.pk,
            "name": theme.name,
        },
    )
    assert len(_log()) == 2  # the theme, and one mapping
    page, screen = pushed
    assert page[0] == f"synthesis-{rooms.first.subtheme_id}"
    assert "“Joint budgets” from Second room is now in “Money follows the place”" in page[1]
    assert screen[0] == f"synthesis-screens-{rooms.summit.pk}"
    assert f'id="screen-theme-{theme.pk}"' in screen[1]
    assert "data-if-shown" in screen[1]


def test_what_a_page_hears_of_a_change_is_put_in_its_language_as_it_is_drawn(
    rooms, monkeypatch, django_capture_on_commit_callbacks
):
    heard = []
    monkeypatch.setattr(
        "summit.synthesis.live.synthesis_changed", lambda pages, said: heard.append(said)
    )
    theme = _theme(rooms)
    with django_capture_on_commit_callbacks(execute=True):
        services.map_item(rooms.joint, theme.pk, by=rooms.other_facilitator)

    said = heard[-1]
    words = {"item": "Joint budgets", "breakout": "Second room", "theme": theme.name}
    assert isinstance(said, Promise)
    assert str(said) == "“Joint budgets” from Second room is now in “Money follows the place”"
    with translation.override("cy"):
        assert str(said) == gettext("“{item}” from {breakout} is now in “{theme}”").format(**words)


def test_an_item_in_another_theme_is_refused_until_unmapped(rooms):
    money, residents = _theme(rooms), _theme(rooms, "Residents decide")
    services.map_item(rooms.outcome, money.pk, by=rooms.facilitator)

    with pytest.raises(Refused, match="mapped to “Money follows the place” just now"):
        services.map_item(rooms.outcome, residents.pk, by=rooms.organiser)
    services.unmap_item(rooms.outcome, by=rooms.facilitator)
    services.map_item(rooms.outcome, residents.pk, by=rooms.organiser)

    assert ThemeLink.objects.get().theme == residents
    assert [action for action, _, _ in _log()][-3:] == [
        "Mapped an outcome to a theme",
        "Unmapped an outcome from a theme",
        "Mapped an outcome to a theme",
    ]


def test_a_theme_of_another_subtheme_is_refused(rooms):
    elsewhere = services.add_theme(rooms.third.subtheme, "Elsewhere", by=rooms.organiser)

    with pytest.raises(Refused, match="Choose one of the themes of"):
        services.map_item(rooms.budgets, elsewhere.pk, by=rooms.organiser)

    assert not ThemeLink.objects.exists()


def test_a_lead_makes_a_theme_from_a_clusters_name_once_however_often_asked(rooms):
    link = services.map_item(rooms.budgets, services.NEW, may_make=True, by=rooms.organiser)
    again = services.map_item(rooms.budgets, services.NEW, may_make=True, by=rooms.organiser)

    assert again == link
    assert link.theme.name == "Pooled budgets"
    assert Theme.objects.count() == 1
    assert [action for action, _, _ in _log()] == ["Added a theme", "Mapped a cluster to a theme"]


def test_a_new_theme_is_refused_to_a_facilitator_who_does_not_lead_and_for_an_outcome(rooms):
    with pytest.raises(Refused, match="Only a synthesis lead"):
        services.map_item(rooms.budgets, services.NEW, by=rooms.facilitator)
    with pytest.raises(Refused, match="from a cluster’s name"):
        services.map_item(rooms.outcome, services.NEW, may_make=True, by=rooms.organiser)

    assert not Theme.objects.exists()


def test_unmapping_what_is_in_no_theme_changes_nothing(rooms):
    services.unmap_item(rooms.budgets, by=rooms.organiser)

    assert not AuditEntry.objects.exists()


# What a theme adds up to


def test_a_theme_counts_each_idea_once_with_its_rooms_dots_and_support(rooms):
    theme = _theme(rooms)
    for item in (rooms.budgets, rooms.outcome, rooms.joint):
        services.map_item(item, theme.pk, by=rooms.organiser)

    [entry] = _synthesis(rooms).themes

    assert [i.id for i in entry.ideas] == [i.pk for i in rooms.ideas[:3]]  # #1 once, not twice
    assert entry.room_names == [rooms.first.name, "Second room"]
    assert entry.dots == 6 + 5 * 2 + 2
    assert entry.supporters == 13
    assert entry.supporting_sectors == 3
    assert round(entry.score, 2) == 6.98  # log2(7) + log2(6) + log2(3)
    # Two of faith are fewer than five: health's five join them, so neither can be worked
    # out from the total.
    assert [(c.label, c.count) for c in entry.sectors] == [("Local government", 6), (OTHER, 7)]


def test_a_person_with_dots_on_two_of_its_ideas_supports_it_once(rooms):
    theme = _theme(rooms)
    services.map_item(rooms.budgets, theme.pk, by=rooms.organiser)
    someone = make_participant(rooms.summit, sector="faith")
    dot(rooms.ideas[0], [someone])
    dot(rooms.ideas[1], [someone])

    [entry] = _synthesis(rooms).themes

    assert entry.supporters == 12
    assert entry.dots == 6 + 10 + 2


def test_hidden_ideas_are_not_in_a_theme(rooms):
    theme = _theme(rooms)
    services.map_item(rooms.budgets, theme.pk, by=rooms.organiser)
    Idea.objects.filter(pk=rooms.ideas[1].pk).update(status=Idea.Status.HIDDEN)

    [entry] = _synthesis(rooms).themes

    assert [i.id for i in entry.ideas] == [rooms.ideas[0].pk]


def test_candidates_rank_the_closest_themes_first_with_how_alike(rooms):
    money = _theme(rooms, "Joint and pooled budgets", description="Money for council and NHS")
    _theme(rooms, "Residents decide", description="Neighbourhood choices")
    _theme(rooms, "Digital services")
    services.map_item(rooms.budgets, money.pk, by=rooms.organiser)
    synthesis = _synthesis(rooms)

    offer_candidates(synthesis)

    by_key = {item.key: item for item in synthesis.unmapped}
    joint = by_key[f"cluster-{rooms.joint.pk}"].candidates
    voice = by_key[f"cluster-{rooms.voice.pk}"].candidates
    assert joint[0].name == "Joint and pooled budgets"
    assert 0 < joint[0].percent <= 100
    assert voice[0].name == "Residents decide"
    assert all(len(item.candidates) <= 3 for item in synthesis.unmapped)
    assert not ThemeLink.objects.exclude(cluster=rooms.budgets).exists()  # nothing mapped


def test_themes_by_sector_give_shares_and_withhold_small_sectors(rooms):
    money, residents = _theme(rooms), _theme(rooms, "Residents decide")
    services.map_item(rooms.budgets, money.pk, by=rooms.organiser)
    services.map_item(rooms.voice, residents.pk, by=rooms.organiser)

    table = themes_by_sector(_synthesis(rooms), sector_names(rooms.summit))

    # Local government: the attendee and six voters. Health (Ben and five voters), faith
    # (two) and business (one): faith and business are fewer than five together, so health,
    # the smallest sector shown, joins them.
    assert [(c.label, c.people) for c in table.columns] == [("Local government", 7), (OTHER, 9)]
    money_row, residents_row = table.rows
    assert [s.text for s in money_row.ideas] == ["100%", "0%", "50%"]
    assert [s.text for s in money_row.dots] == ["100%", "77%", "84%"]
    assert [s.text for s in residents_row.ideas] == ["0%", "50%", "25%"]
    assert [s.text for s in residents_row.dots] == ["0%", "8%", "5%"]


def test_themes_by_sector_withhold_a_column_of_fewer_than_five_people(rooms):
    breakout = rooms.third
    idea = Idea.objects.create(
        breakout=breakout, author=rooms.attendee, text="Trust", client_token=uuid.uuid4()
    )
    dot(idea, people(rooms.summit, 2, "faith"))
    cluster = breakout.clusters.create(name="Trust")
    Idea.objects.filter(pk=idea.pk).update(cluster=cluster)
    theme = services.add_theme(breakout.subtheme, "Trust", by=rooms.organiser)
    services.map_item(cluster, theme.pk, by=rooms.organiser)
    names = sector_names(rooms.summit)
    synthesis = gather([theme], [breakout], names)[breakout.subtheme_id]

    table = themes_by_sector(synthesis, names)

    assert [(c.label, c.people) for c in table.columns] == [(OTHER, None)]
    [row] = table.rows
    assert [s.text for s in row.ideas] == ["fewer than 5", "100%"]
    assert [s.text for s in row.dots] == ["fewer than 5", "100%"]


def test_people_of_the_summit_who_are_not_leads_cannot_be_leads_by_role(rooms):
    services.name_lead(rooms.summit, rooms.other_facilitator.pk, by=rooms.organiser)
    Participant.objects.filter(pk=rooms.other_facilitator.pk).update(role="attendee")

    with pytest.raises(Refused):
        services.name_lead(rooms.summit, rooms.other_facilitator.pk, by=rooms.organiser)
