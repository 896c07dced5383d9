"""The content editor's changes as services: each writes its rows and its audit entry in one
transaction and, where open screens show the part, redraws every breakout and the plenary in
one push after commit; refused, it writes, logs and pushes nothing. Nothing attendees have
contributed is lost by any edit."""

from __future__ import annotations

import datetime as dt
import uuid
from types import SimpleNamespace

import pytest

from accounts.models import AuditEntry, Participant
from breakouts import services as breakout_services
from breakouts import steering
from breakouts.board import AUDIENCES as BOARD_AUDIENCES
from breakouts.board import breakout_group
from breakouts.models import Breakout, Comment, Idea
from breakouts.views import console_forms
from plenary.models import Plenary
from plenary.room import AUDIENCES as ROOM_AUDIENCES
from plenary.room import plenary_group
from plenary.services import plenary_for
from summit.event.models import Material, Prompt, Sector, Subtheme
from summit.event.refusals import Refused
from summit.event.sectors import ensure_sectors
from summit.organise import design_services as design
from summit.organise.design import PARTS
from summit.organise.forms import NewBreakoutForm
from tests.conftest import in_english

pytestmark = pytest.mark.django_db

ASSUMPTIONS, SUBTHEMES, AREAS = PARTS["assumptions"], PARTS["subthemes"], PARTS["areas"]
SECTORS, MATERIALS, READING = PARTS["sectors"], PARTS["materials"], PARTS["pre-reading"]


@pytest.fixture
def pushes(monkeypatch) -> list[list[tuple[str, str]]]:
    """Each push the editor made after commit, as the (group, html) pairs it carried."""
    made: list[list[tuple[str, str]]] = []
    monkeypatch.setattr(design, "send", lambda fragments: made.append(in_english(fragments)))
    return made


def _logged() -> list[tuple[str, dict]]:
    return list(AuditEntry.objects.order_by("id").values_list("action", "detail"))


def _idea(breakout: Breakout, author: Participant, text: str = "Pool the budgets") -> Idea:
    idea, _ = breakout_services.post_idea(
        breakout=breakout, author=author, text=text, client_token=uuid.uuid4()
    )
    return idea


def _texts(summit, part=ASSUMPTIONS) -> list[str]:
    return [part.name_of(item) for item in part.items(summit)]


# Adding and changing


def test_adding_an_item_puts_it_last_logs_it_and_redraws_every_room_once(
    summit, breakouts, organiser, pushes, django_capture_on_commit_callbacks
):
    plenary = plenary_for(summit)
    with django_capture_on_commit_callbacks(execute=True):
        fields = {"text": "Trust is local", "text_cy": "Mae ymddiriedaeth yn lleol"}
        item = design.add_item(summit, ASSUMPTIONS, fields, by=organiser)

    assert _texts(summit)[-1] == "Trust is local"
    assert item.text_cy == "Mae ymddiriedaeth yn lleol"
    assert _logged() == [("Added a working assumption", {"id": item.pk, **fields})]
    assert len(pushes) == 1
    # Each group's screens hear it in their own language.
    groups = {group for group, _ in pushes[0]}
    assert groups == {
        *(breakout_group(b.pk, who) for b in breakouts for who in BOARD_AUDIENCES),
        *(plenary_group(plenary.pk, who) for who in ROOM_AUDIENCES),
    }
    html = dict(pushes[0])[breakout_group(breakouts[0].pk, "members")]
    assert "data-refresh-board" in html
    assert "The organisers have changed the working assumptions" in html


def test_a_part_no_open_screen_shows_is_changed_without_a_push(
    summit, organiser, pushes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        design.add_item(
            summit, READING, {"title": "Why place", "body": "Places differ."}, by=organiser
        )

    assert callbacks == []
    assert pushes == []
    assert Material.objects.filter(summit=summit, title="Why place", kind="section").exists()


def test_a_new_material_is_numbered_after_every_section_and_link(summit, organiser):
    last = max(Material.objects.filter(summit=summit).values_list("order", flat=True))

    link = design.add_item(
        summit,
        MATERIALS,
        {"title": "Report", "url": "https://example.org/", "body": ""},
        by=organiser,
    )

    assert (link.kind, link.order) == (Material.Kind.LINK, last + 1)


def test_changing_an_items_words_logs_both_and_redraws(
    summit, breakouts, organiser, pushes, django_capture_on_commit_callbacks
):
    item = ASSUMPTIONS.items(summit).first()
    before = item.text

    with django_capture_on_commit_callbacks(execute=True):
        design.change_item(ASSUMPTIONS, item, {"text": "Places differ a lot"}, by=organiser)

    item.refresh_from_db()
    assert item.text == "Places differ a lot"
    assert _logged() == [
        (
            "Changed a working assumption",
            {"id": item.pk, "text": "Places differ a lot", "text_cy": item.text_cy, "was": before},
        )
    ]
    assert len(pushes) == 1


def test_changing_an_area_an_idea_answers_keeps_the_idea_with_it(
    summit, breakout, attendee, organiser, django_capture_on_commit_callbacks
):
    idea = _idea(breakout, attendee)
    area = idea.prompt

    with django_capture_on_commit_callbacks(execute=True):
        design.change_item(
            AREAS, area, {"text": "Who holds the purse?", "subtheme": None}, by=organiser
        )

    idea.refresh_from_db()
    assert idea.prompt_id == area.pk
    assert idea.prompt.text == "Who holds the purse?"
    assert idea.text == "Pool the budgets"


def test_an_agenda_items_times_are_logged_as_written(summit, organiser):
    fields = {
        "kind": "plenary",
        "title": "Closing",
        "title_cy": "Cloi",
        "starts_at": dt.time(16, 0),
        "ends_at": dt.time(16, 45),
        "description": "",
        "description_cy": "",
    }

    item = design.add_item(summit, PARTS["agenda"], fields, by=organiser)

    assert _logged()[-1][1] == {
        **fields,
        "id": item.pk,
        "starts_at": "16:00:00",
        "ends_at": "16:45:00",
    }


# Moving


def test_moving_an_item_up_swaps_it_with_the_one_before_and_logs_it(
    summit, breakouts, organiser, pushes, django_capture_on_commit_callbacks
):
    first, second, *rest = _texts(summit)
    item = ASSUMPTIONS.items(summit)[1]

    with django_capture_on_commit_callbacks(execute=True):
        position = design.move_item(ASSUMPTIONS, item, design.UP, by=organiser)

    assert position == 1
    assert _texts(summit) == [second, first, *rest]
    assert _logged() == [
        ("Moved a working assumption up", {"id": item.pk, "text": second, "position": 1})
    ]
    assert len(pushes) == 1


def test_moving_an_item_down_and_back_restores_the_order(summit, organiser):
    before = _texts(summit)
    item = ASSUMPTIONS.items(summit).first()

    design.move_item(ASSUMPTIONS, item, design.DOWN, by=organiser)
    design.move_item(ASSUMPTIONS, item, design.UP, by=organiser)

    assert _texts(summit) == before


@pytest.mark.parametrize(("at", "direction", "said"), [(0, "up", "first"), (-1, "down", "last")])
def test_moving_past_either_end_is_refused_and_changes_nothing(
    summit, breakouts, organiser, pushes, django_capture_on_commit_callbacks, at, direction, said
):
    before = _texts(summit)
    item = list(ASSUMPTIONS.items(summit))[at]

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Refused, match=said):
        design.move_item(ASSUMPTIONS, item, direction, by=organiser)

    assert _texts(summit) == before
    assert _logged() == []
    assert pushes == []


def test_moving_sideways_is_refused(summit, organiser):
    with pytest.raises(Refused, match="up or down"):
        design.move_item(ASSUMPTIONS, ASSUMPTIONS.items(summit)[1], "left", by=organiser)


def test_moving_a_material_keeps_to_the_materials_own_order_values(summit, organiser):
    sections = list(
        Material.objects.filter(summit=summit, kind="section").values_list("pk", "order")
    )
    links = list(MATERIALS.items(summit))
    orders = sorted(link.order for link in links)

    design.move_item(MATERIALS, links[1], design.UP, by=organiser)

    moved = list(MATERIALS.items(summit))
    assert [m.pk for m in moved[:2]] == [links[1].pk, links[0].pk]
    assert [m.order for m in moved] == orders
    assert (
        list(Material.objects.filter(summit=summit, kind="section").values_list("pk", "order"))
        == sections
    )


def test_moving_among_equal_order_values_still_moves(summit, organiser):
    from summit.event.models import Assumption

    Assumption.objects.filter(summit=summit).update(order=1)
    before = _texts(summit)

    design.move_item(ASSUMPTIONS, ASSUMPTIONS.items(summit)[2], design.UP, by=organiser)

    assert _texts(summit) == [before[0], before[2], before[1], *before[3:]]


# Removing, and what it is refused for


def test_removing_an_item_nobody_used_deletes_it_and_logs_it(
    summit, breakouts, organiser, pushes, django_capture_on_commit_callbacks
):
    item = ASSUMPTIONS.items(summit).first()
    pk = item.pk

    with django_capture_on_commit_callbacks(execute=True):
        design.remove_item(ASSUMPTIONS, item, by=organiser)

    assert item.text not in _texts(summit)
    assert _logged() == [
        ("Removed a working assumption", {"id": pk, "text": item.text, "text_cy": item.text_cy})
    ]
    assert len(pushes) == 1


def _refused(part, item, by, pushes, capture, match: str) -> None:
    """The removal is refused with ``match`` in its words; the item, the log and the screens
    are as they were."""
    with capture(execute=True), pytest.raises(Refused, match=match):
        design.remove_item(part, item, by=by)
    assert part.items(item.summit).filter(pk=item.pk).exists()
    assert _logged() == []
    assert pushes == []


def test_removing_a_subtheme_with_ideas_is_refused_and_retiring_offered(
    summit, breakout, attendee, organiser, pushes, django_capture_on_commit_callbacks
):
    _idea(breakout, attendee)

    _refused(
        SUBTHEMES,
        breakout.subtheme,
        organiser,
        pushes,
        django_capture_on_commit_callbacks,
        "People have posted ideas in the breakouts on .*Retire it instead",
    )


def test_removing_a_subtheme_with_breakouts_but_no_ideas_asks_for_them_to_go_first(
    summit, breakout, organiser, pushes, django_capture_on_commit_callbacks
):
    _refused(
        SUBTHEMES,
        breakout.subtheme,
        organiser,
        pushes,
        django_capture_on_commit_callbacks,
        "has a breakout. Remove that breakout or move it to another subtheme first, or retire",
    )


def test_removing_a_subtheme_without_breakouts_removes_it_and_frees_its_areas(summit, organiser):
    subtheme = Subtheme.objects.filter(summit=summit).first()
    areas = list(subtheme.prompts.values_list("pk", flat=True))

    design.remove_item(SUBTHEMES, subtheme, by=organiser)

    assert not Subtheme.objects.filter(pk=subtheme.pk).exists()
    assert set(Prompt.objects.filter(pk__in=areas).values_list("subtheme", flat=True)) == {None}


def test_removing_an_area_ideas_answer_is_refused(
    summit, breakout, attendee, organiser, pushes, django_capture_on_commit_callbacks
):
    area = _idea(breakout, attendee).prompt
    Breakout.objects.filter(pk=breakout.pk).update(current_prompt=None)

    _refused(
        AREAS,
        area,
        organiser,
        pushes,
        django_capture_on_commit_callbacks,
        "Ideas have been posted in answer to this area.*Retire it instead",
    )


def test_removing_the_area_a_breakout_works_on_is_refused(
    summit, breakout, organiser, pushes, django_capture_on_commit_callbacks
):
    _refused(
        AREAS,
        breakout.current_prompt,
        organiser,
        pushes,
        django_capture_on_commit_callbacks,
        "A breakout is working on this area now.*Retire it instead",
    )


def test_removing_an_area_nobody_used_removes_it(summit, breakouts, organiser):
    used = {b.current_prompt_id for b in breakouts}
    area = Prompt.objects.filter(summit=summit).exclude(pk__in=used).first()

    design.remove_item(AREAS, area, by=organiser)

    assert not Prompt.objects.filter(pk=area.pk).exists()


def test_removing_a_sector_somebody_has_is_refused(
    summit, attendee, organiser, pushes, django_capture_on_commit_callbacks
):
    ensure_sectors(summit)
    theirs = Sector.objects.get(summit=summit, key=attendee.sector)

    _refused(
        SECTORS,
        theirs,
        organiser,
        pushes,
        django_capture_on_commit_callbacks,
        "People in the summit are from .*Retire it instead",
    )


def test_removing_a_sector_nobody_has_removes_it(summit, organiser):
    ensure_sectors(summit)
    unused = Sector.objects.get(summit=summit, key="faith")

    design.remove_item(SECTORS, unused, by=organiser)

    assert "faith" not in set(Sector.objects.filter(summit=summit).values_list("key", flat=True))


def test_a_new_sectors_key_is_made_from_its_name_and_never_taken_twice(summit, organiser):
    ensure_sectors(summit)

    housing = design.add_item(summit, SECTORS, {"name": "Housing associations"}, by=organiser)
    again = design.add_item(summit, SECTORS, {"name": "Local Government!"}, by=organiser)
    foreign = design.add_item(summit, SECTORS, {"name": "Ελλάδα"}, by=organiser)

    assert housing.key == "housing_associations"
    assert again.key == "local_government_2"
    assert foreign.key == "sector"


def test_a_sectors_name_is_its_own_in_the_summit(summit, organiser):
    ensure_sectors(summit)
    business = Sector.objects.get(summit=summit, key="business")

    with pytest.raises(Refused, match="There is already a sector called “faith”"):
        design.add_item(summit, SECTORS, {"name": "faith"}, by=organiser)
    with pytest.raises(Refused, match="already a sector"):
        design.change_item(SECTORS, business, {"name": "Faith"}, by=organiser)

    renamed = design.change_item(
        SECTORS, business, {"name": "Business and enterprise"}, by=organiser
    )
    assert (renamed.key, renamed.name) == ("business", "Business and enterprise")


def test_the_last_open_sector_can_be_neither_retired_nor_removed(summit, organiser):
    ensure_sectors(summit)
    *others, last = list(Sector.objects.filter(summit=summit))
    for sector in others:
        design.retire_item(SECTORS, sector, by=organiser)

    with pytest.raises(Refused, match="Keep at least one sector open"):
        design.retire_item(SECTORS, last, by=organiser)
    with pytest.raises(Refused, match="Keep at least one sector open"):
        design.remove_item(SECTORS, last, by=organiser)


# Retiring and bringing back


def test_retiring_and_bringing_back_a_subtheme_logs_both_and_redraws(
    summit, breakout, attendee, organiser, pushes, django_capture_on_commit_callbacks
):
    _idea(breakout, attendee)
    subtheme = breakout.subtheme

    with django_capture_on_commit_callbacks(execute=True):
        design.retire_item(SUBTHEMES, subtheme, by=organiser)
    subtheme.refresh_from_db()
    assert subtheme.retired_at is not None

    with django_capture_on_commit_callbacks(execute=True):
        design.restore_item(SUBTHEMES, subtheme, by=organiser)
    subtheme.refresh_from_db()
    assert subtheme.retired_at is None

    named = {"id": subtheme.pk, "title": subtheme.title}
    assert _logged() == [("Retired a subtheme", named), ("Brought back a subtheme", named)]
    assert len(pushes) == 2
    assert Idea.objects.filter(breakout=breakout).count() == 1


def test_retiring_twice_or_bringing_back_what_is_open_is_refused(summit, organiser):
    subtheme = Subtheme.objects.filter(summit=summit).first()

    with pytest.raises(Refused, match="not retired"):
        design.restore_item(SUBTHEMES, subtheme, by=organiser)
    design.retire_item(SUBTHEMES, subtheme, by=organiser)
    with pytest.raises(Refused, match="already retired"):
        design.retire_item(SUBTHEMES, subtheme, by=organiser)


def test_a_part_that_cannot_be_retired_refuses_it(summit, organiser):
    with pytest.raises(Refused, match="cannot be retired"):
        design.retire_item(ASSUMPTIONS, ASSUMPTIONS.items(summit).first(), by=organiser)


def test_a_retired_area_is_not_offered_to_steer_a_breakout_but_stays_where_chosen(
    summit, breakout, other_breakout, organiser, facilitator
):
    current = breakout.current_prompt
    spare = Prompt.objects.filter(summit=summit).exclude(pk=current.pk).first()
    design.retire_item(AREAS, current, by=organiser)
    design.retire_item(AREAS, spare, by=organiser)
    breakout.refresh_from_db()

    offered = {p.pk for p in console_forms(SimpleNamespace(breakout=breakout))["prompts"]}
    assert current.pk in offered  # still the group's question
    assert spare.pk not in offered
    with pytest.raises(Refused, match="retired that question"):
        steering.set_prompt(other_breakout, spare.pk, by=facilitator)
    assert steering.set_prompt(breakout, current.pk, by=facilitator).current_prompt == current


def test_a_retired_subtheme_takes_no_new_breakouts(summit, breakouts, organiser):
    subtheme = breakouts[0].subtheme
    design.retire_item(SUBTHEMES, subtheme, by=organiser)
    subtheme.refresh_from_db()

    form = NewBreakoutForm(summit=summit)
    assert subtheme not in form.fields["subtheme"].queryset
    with pytest.raises(Refused, match="is retired"):
        breakout_services.add_breakout(subtheme, "Another group")
    fresh = Subtheme.objects.create(summit=summit, order=9, title="Later", question="?")
    design.retire_item(SUBTHEMES, fresh, by=organiser)
    assert all(b.subtheme_id != fresh.pk for b in breakout_services.ensure_breakouts(summit))


# Nothing contributed is lost


def test_no_edit_loses_anything_an_attendee_contributed(
    summit, breakout, attendee, other_member, organiser
):
    ensure_sectors(summit)
    idea = _idea(breakout, attendee)
    breakout_services.comment(
        idea=idea, author=other_member, text="And share staff", client_token=uuid.uuid4()
    )
    before = (Idea.objects.count(), Comment.objects.count(), Participant.objects.count())

    for part in PARTS.values():
        items = list(part.items(summit))
        first = items[0]
        design.change_item(part, first, part.values_of(first), by=organiser)
        design.move_item(part, items[1], design.UP, by=organiser)
        for item in items:
            try:
                design.remove_item(part, item, by=organiser)
            except Refused:
                if part.retirable and part.items(summit).filter(retired_at=None).count() > 1:
                    design.retire_item(part, item, by=organiser)

    idea.refresh_from_db()
    assert (Idea.objects.count(), Comment.objects.count(), Participant.objects.count()) == before
    assert idea.prompt.retired_at is not None
    assert Breakout.objects.get(pk=breakout.pk).subtheme.retired_at is not None
    attendee.refresh_from_db()
    assert Sector.objects.get(summit=summit, key=attendee.sector).retired_at is not None


def test_a_summit_with_no_room_open_yet_is_pushed_nothing(
    summit, organiser, pushes, django_capture_on_commit_callbacks
):
    # The Place Summit's plenary is made with its run sheet; here nobody has opened a room.
    Plenary.objects.filter(summit=summit).delete()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        design.add_item(summit, ASSUMPTIONS, {"text": "Trust is local"}, by=organiser)

    assert len(callbacks) == 1
    assert pushes == []
