"""Follow-up actions: what is to be done about each outcome after the day, and by whom. The
summit's organisers keep them whatever the summit's status, closed and archived included,
so that the record and the "what we did" page say how far each outcome has got.

A services module: each change is one function that writes in a transaction, logs itself in
the audit log and, once committed, pushes the action's status to the screens that show it
(the group ``actions_group(summit_id)``, each status drawn by
``breakouts/action_status.html#status`` with its element's id, so that a page showing the
partial is swapped in place). The "what we did" page and the public summary join that
group through ``summit.organise.consumers``."""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.utils.translation import gettext, override

from accounts.audit import log_action
from accounts.models import Participant
from breakouts import audit
from breakouts.models import ACTION_OWNER_MAX_LENGTH, Action, Breakout, Outcome
from summit.event.models import Summit
from summit.event.refusals import Refused
from summit.live import push, rendered, wanted

STATUS_LABELS = dict(Action.Status.choices)
STATUS_PARTIAL = "breakouts/action_status.html#status"
REMOVED_PARTIAL = "breakouts/action_status.html#removed"


def actions_group(summit_id: int) -> str:
    """Every screen that shows the summit's actions' status as it changes."""
    return f"summit-{summit_id}-actions"


def _pushed(summit_id: int, actions: list[Action], removed: list[int]) -> None:
    if not actions and not removed:
        return
    group = actions_group(summit_id)

    def drawn() -> str:
        fragments = [
            render_to_string(STATUS_PARTIAL, {"action": action, "oob": True}) for action in actions
        ]
        fragments += [render_to_string(REMOVED_PARTIAL, {"action_id": pk}) for pk in removed]
        return "".join(fragments)

    push([(group, rendered(drawn, wanted(group)))])


def _check(summit_id: int, by: Participant) -> None:
    if by.summit_id != summit_id or not by.is_organiser:
        raise Refused(gettext("Only the summit’s organisers keep its actions."))


def _cleaned(owner: str, status: str, notes: str) -> tuple[str, str, str]:
    owner, notes = (owner or "").strip(), (notes or "").strip()
    if not owner:
        raise Refused(gettext("Say who is to act: a person or an organisation."))
    if len(owner) > ACTION_OWNER_MAX_LENGTH:
        said = gettext("Say who is to act in %(n)d characters or fewer.")
        raise Refused(said % {"n": ACTION_OWNER_MAX_LENGTH})
    if status not in STATUS_LABELS:
        raise Refused(gettext("Choose the action’s status from the list."))
    return owner, status, notes


def actions_from_outcomes(summit: Summit, by: Participant) -> int:
    """One proposed action for each of the summit's outcomes that has none, its owner the
    outcome's "who should act"; how many were made. Run again, it makes none.

    Side effects: writes the actions; one audit entry (when any were made); a push of their
    status after commit."""
    _check(summit.pk, by)
    with transaction.atomic():
        # Held while counting, so that two organisers pressing at once make one set.
        Summit.objects.select_for_update().filter(pk=summit.pk).first()
        bare = (
            Outcome.objects.filter(breakout__summit=summit)
            .exclude(Exists(Action.objects.filter(outcome=OuterRef("pk"))))
            .order_by("breakout_id", "created_at", "pk")
        )
        made = Action.objects.bulk_create(
            [
                Action(outcome=o, owner=o.who_should_act.strip()[:ACTION_OWNER_MAX_LENGTH])
                for o in bare
            ]
        )
        if made:
            log_action(
                by,
                "Made an action for each outcome that had none",
                detail={"actions": len(made)},
            )
            transaction.on_commit(partial(_pushed, summit.pk, made, []), robust=True)
    return len(made)


def add_action(
    outcome: Outcome,
    *,
    owner: str,
    status: str = Action.Status.PROPOSED,
    due_on: dt.date | None = None,
    notes: str = "",
    by: Participant,
) -> Action:
    """Another action for ``outcome``. Side effects: a write, an audit entry, a push after
    commit."""
    summit_id = outcome.breakout.summit_id
    _check(summit_id, by)
    owner, status, notes = _cleaned(owner, status, notes)
    with transaction.atomic():
        action = Action.objects.create(
            outcome=outcome, owner=owner, status=status, due_on=due_on, notes=notes
        )
        audit.log(by, "Added an action", outcome.breakout, action_id=action.pk, owner=owner)
        transaction.on_commit(partial(_pushed, summit_id, [action], []), robust=True)
    return action


def change_action(
    action: Action,
    *,
    owner: str,
    status: str,
    due_on: dt.date | None,
    notes: str,
    by: Participant,
) -> Action:
    """The action's owner, status, due date and notes as given. A change of status is logged
    in its own words ("Changed an action's status from Proposed to Done"), anything else as
    a change to the action. Side effects: a write, an audit entry (none when nothing
    changed), a push after commit."""
    breakout: Breakout = action.outcome.breakout
    _check(breakout.summit_id, by)
    owner, status, notes = _cleaned(owner, status, notes)
    with transaction.atomic():
        current = Action.objects.select_for_update().get(pk=action.pk)
        was = current.status
        others = (current.owner, current.due_on, current.notes) != (owner, due_on, notes)
        if was == status and not others:
            return current
        current.owner, current.status, current.due_on, current.notes = (
            owner,
            status,
            due_on,
            notes,
        )
        current.save()
        if was != status:
            # Logged in English, the source language, whatever language the page was in.
            with override(settings.LANGUAGE_CODE):
                was_said, now_said = str(STATUS_LABELS[was]), str(STATUS_LABELS[status])
            said = f"Changed an action's status from {was_said} to {now_said}"
            audit.log(by, said, breakout, action_id=current.pk, was=was, now=status)
        if others:
            audit.log(by, "Changed an action", breakout, action_id=current.pk, owner=owner)
        transaction.on_commit(partial(_pushed, breakout.summit_id, [current], []), robust=True)
    return current


def remove_action(action: Action, *, by: Participant) -> None:
    """Take the action off its outcome. Side effects: a delete, an audit entry, a push after
    commit."""
    breakout: Breakout = action.outcome.breakout
    _check(breakout.summit_id, by)
    with transaction.atomic():
        pk = action.pk
        deleted, _ = Action.objects.filter(pk=pk).delete()
        if not deleted:
            raise Refused(gettext("That action has been removed already."))
        audit.log(by, "Removed an action", breakout, action_id=pk, owner=action.owner)
        transaction.on_commit(partial(_pushed, breakout.summit_id, [], [pk]), robust=True)
