"""Every change organisers make to a summit's design: adding, changing, moving, removing,
retiring and bringing back an item of any part (``summit.organise.design.PARTS``).

Each function is one transaction that writes the change and its audit entry, and, where open
screens show the part, tells the summit's breakouts and plenary to redraw once it has
committed. The summit's row is locked first, so two organisers' edits of one list take turns
and its order stays whole. Nothing people have contributed is removed: an item they have
used is refused removal (it may be retired instead), and wording changes keep every link.
"""

from __future__ import annotations

from functools import partial

from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext

from accounts.audit import log_action
from accounts.models import Participant
from breakouts.live import summit_boards_changed
from plenary.live import summit_room_changed
from summit.event.models import Summit
from summit.event.refusals import Refused
from summit.live import in_languages, send
from summit.organise.design import Part

UP, DOWN = "up", "down"


def add_item(summit: Summit, part: Part, fields: dict, *, by: Participant) -> models.Model:
    """A new item at the end of the part, with ``fields`` (the part's form, cleaned).

    Side effects: the item written; "Added <a thing>" logged with its fields; after commit,
    the summit's open screens redraw if they show the part. Refused as the part's own checks
    refuse (a sector's name already taken).
    """
    with transaction.atomic():
        _lock(summit)
        item = part.model(summit=summit, order=_next_order(summit, part), **fields)
        if part.kind:
            item.kind = part.kind
        part.check(item, adding=True)
        item.save()
        log_action(by, f"Added {part.logged_as}", detail=_detail(part, item))
        _screens_follow(summit, part)
    return item


def change_item(part: Part, item: models.Model, fields: dict, *, by: Participant) -> models.Model:
    """New wording (or times, kind, link, subtheme) for an item; whatever people have
    contributed to it stays with it.

    Side effects: the item written; "Changed <a thing>" logged with its fields and its name
    before; after commit, the summit's open screens redraw if they show the part.
    """
    with transaction.atomic():
        _lock(item.summit)
        before = part.name_of(item)
        for name, value in fields.items():
            setattr(item, name, value)
        part.check(item, adding=False)
        item.save(update_fields=list(fields))
        log_action(by, f"Changed {part.logged_as}", detail={**_detail(part, item), "was": before})
        _screens_follow(item.summit, part)
    return item


def move_item(part: Part, item: models.Model, direction: str, *, by: Participant) -> int:
    """Swap the item with the one before it (``UP``) or after it (``DOWN``) in the part's
    order. Refused at either end. Returns its new position, counted from 1.

    Side effects: the part's orders written; "Moved <a thing> up/down" logged with its name
    and position; after commit, the summit's open screens redraw if they show the part.
    """
    if direction not in {UP, DOWN}:
        raise Refused(gettext("Choose whether to move it up or down"))
    with transaction.atomic():
        _lock(item.summit)
        items = list(part.items(item.summit).select_related(None).only("pk", "order"))
        at = next(n for n, row in enumerate(items) if row.pk == item.pk)
        to = at - 1 if direction == UP else at + 1
        if not 0 <= to < len(items):
            if direction == UP:
                raise Refused(gettext("It is already first."))
            raise Refused(gettext("It is already last."))
        items[at], items[to] = items[to], items[at]
        _renumber(part, items)
        log_action(
            by,
            f"Moved {part.logged_as} {direction}",
            detail={"id": item.pk, part.name_field: part.name_of(item), "position": to + 1},
        )
        _screens_follow(item.summit, part)
    return to + 1


def remove_item(part: Part, item: models.Model, *, by: Participant) -> None:
    """Remove an item nobody has contributed to; refused, with what to do instead (retire
    it), for one they have, and for the last of a part that must keep one.

    Side effects: the item deleted; "Removed <a thing>" logged with its fields; after
    commit, the summit's open screens redraw if they show the part.
    """
    with transaction.atomic():
        _lock(item.summit)
        refusal = part.in_use(item)
        if refusal:
            raise Refused(refusal)
        if part.keep_one and item.retired_at is None:
            _refuse_the_last(part, item)
        detail = _detail(part, item)
        item.delete()
        log_action(by, f"Removed {part.logged_as}", detail=detail)
        _screens_follow(item.summit, part)


def retire_item(part: Part, item: models.Model, *, by: Participant) -> models.Model:
    """Keep the item and everything contributed to it in the record, but offer it for no new
    work (no new breakout, question or joiner). Refused for a part that cannot be retired,
    an item already retired, and the last open item of a part that must keep one.

    Side effects: the item written; "Retired <a thing>" logged with its name; after commit,
    the summit's open screens redraw.
    """
    return _set_retired(part, item, retire=True, by=by)


def restore_item(part: Part, item: models.Model, *, by: Participant) -> models.Model:
    """Offer a retired item for new work again.

    Side effects: the item written; "Brought back <a thing>" logged with its name; after
    commit, the summit's open screens redraw.
    """
    return _set_retired(part, item, retire=False, by=by)


def _set_retired(part: Part, item: models.Model, *, retire: bool, by: Participant):
    if not part.retirable:
        raise Refused(gettext("This cannot be retired."))
    with transaction.atomic():
        _lock(item.summit)
        item.refresh_from_db(fields=["retired_at"])
        if (item.retired_at is not None) == retire:
            raise Refused(
                gettext("It is already retired.") if retire else gettext("It is not retired.")
            )
        if retire and part.keep_one:
            _refuse_the_last(part, item)
        item.retired_at = timezone.now() if retire else None
        item.save(update_fields=["retired_at"])
        action = "Retired" if retire else "Brought back"
        log_action(
            by,
            f"{action} {part.logged_as}",
            detail={"id": item.pk, part.name_field: part.name_of(item)},
        )
        _screens_follow(item.summit, part)
    return item


def _lock(summit: Summit) -> None:
    Summit.objects.select_for_update().filter(pk=summit.pk).first()


def _next_order(summit: Summit, part: Part) -> int:
    """After every item of the model in the summit, whatever its kind: sections and
    materials share one numbering, so the order values of one never collide with the other's."""
    last = part.model.objects.filter(summit=summit).aggregate(last=Max("order"))["last"]
    return (last or 0) + 1


def _renumber(part: Part, items: list[models.Model]) -> None:
    """Give the items, in their new order, the order values the part already had (made to
    rise strictly if any were equal), and write only those that changed."""
    slots: list[int] = []
    for value in sorted(row.order for row in items):
        slots.append(max(value, slots[-1] + 1) if slots else value)
    changed = []
    for row, slot in zip(items, slots, strict=True):
        if row.order != slot:
            row.order = slot
            changed.append(row)
    part.model.objects.bulk_update(changed, ["order"])


def _refuse_the_last(part: Part, item: models.Model) -> None:
    others = part.items(item.summit).filter(retired_at__isnull=True).exclude(pk=item.pk)
    if not others.exists():
        raise Refused(str(part.keep_one))


def _detail(part: Part, item: models.Model) -> dict:
    return {"id": item.pk, **part.values_of(item)}


def _screens_follow(summit: Summit, part: Part) -> None:
    if part.announcement:
        # Still to be put into words: each screen hears it in its own language.
        transaction.on_commit(partial(screens_follow, summit.pk, part.announcement), robust=True)


def screens_follow(summit_id: int, announcement: str) -> None:
    """Every open screen of the summit's breakouts and plenary fetches what it shows again,
    and hears ``announcement``: one push, after the change has committed."""
    fragments = [
        *summit_boards_changed(summit_id, announcement),
        *in_languages(summit_room_changed(summit_id, announcement)),
    ]
    if fragments:
        send(fragments)
