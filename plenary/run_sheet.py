"""The run sheet: the plenary's polls prepared before the day, in the order they are to run,
and opened from the console on the day. Organisers prepare a poll, change one nobody has
seen yet and move it up or down; removing one is ``plenary.polls.delete_poll``. Each writes in
a transaction, logs the organiser's action and, once committed, tells the consoles.

``by`` is the organiser acting: their action goes in the audit log. A script or an import
passes none, and nothing is logged.
"""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Participant
from plenary import audit, live
from plenary.models import LISTED_KINDS, Plenary, Poll
from plenary.polls import (
    in_welsh,
    locked,
    make_poll_of,
    paired,
    refresh_from_source,
    source_statements,
    write_options,
)
from summit.event.models import AgendaItem
from summit.event.refusals import Refused

UP = "up"
DOWN = "down"
# The kinds whose options are written out, by hand or from the summit's lists.


def in_running_order(plenary: Plenary):
    return Poll.objects.filter(plenary=plenary).order_by("position", "created_at", "id")


def _check_agenda_item(plenary: Plenary, agenda_item: AgendaItem | None) -> None:
    if agenda_item is not None and agenda_item.summit_id != plenary.summit_id:
        raise Refused(_("Choose an item of this summit’s agenda"))


def _options_for(
    plenary: Plenary, kind: str, source: str, options: list[str], options_cy: list[str]
) -> list[tuple[str, str]]:
    """The options a new poll is written with, each in English and in Welsh."""
    if kind not in LISTED_KINDS:
        return []
    if source:
        return source_statements(plenary.summit_id, source)
    return paired(options, options_cy)


def prepare_poll(
    plenary: Plenary,
    *,
    kind: str,
    question: str,
    options: list[str] = (),
    question_cy: str = "",
    options_cy: list[str] = (),
    multiple: bool = False,
    allow_comment: bool = False,
    source: str = "",
    agenda_item: AgendaItem | None = None,
    ask_again: bool = False,
    by: Participant | None = None,
) -> Poll:
    """A poll prepared for the day, at the end of the run sheet and not yet open. A poll
    with a ``source`` lists the working assumptions or obstacles as they are now and takes
    them in again when it opens; a consensus check is filled with the breakouts' outcomes on
    the day (``prepare_consensus_check``). An agreement scale to be asked again at the close
    (``ask_again``) has its closing round prepared with it, after it at the end of the run
    sheet, where organisers move it to the closing plenary. ``question_cy`` and
    ``options_cy`` are its Welsh, where it has one; a poll with a source takes its
    statements' Welsh with them.

    Side effects: the poll and its options written (and its closing round's), "Prepared a
    poll" logged with its kind and question (and its Welsh, when given); after commit, every
    console lists it.
    """
    if ask_again and kind != Poll.Kind.SCALE:
        raise Refused(_("Only an agreement scale can be asked again at the close"))
    if kind not in Poll.Kind.values:
        raise Refused(_("Choose one of the kinds of poll listed"))
    if source not in Poll.Source.values or (source and kind not in LISTED_KINDS):
        raise Refused(
            _(
                "Only a multiple choice, a ranking or an agreement scale can ask about the "
                "summit’s lists"
            )
        )
    _check_agenda_item(plenary, agenda_item)
    pairs = _options_for(plenary, kind, source, options, options_cy)
    with transaction.atomic():
        Plenary.objects.select_for_update().filter(pk=plenary.pk).first()
        poll = make_poll_of(
            plenary,
            kind,
            question,
            pairs,
            question_cy=question_cy,
            multiple=multiple and kind == Poll.Kind.CHOICE,
            allow_comment=allow_comment and kind == Poll.Kind.SCALE,
            source=source,
            agenda_item=agenda_item,
            ask_again=ask_again,
        )
        if ask_again:
            closing_round(poll)
        welsh = in_welsh(question_cy, [] if source else [text_cy for _, text_cy in pairs])
        audit.log(by, "Prepared a poll", kind=kind, question=question, **welsh)
        transaction.on_commit(partial(live.consoles_changed, plenary), robust=True)
    return poll


def change_prepared_poll(
    poll: Poll,
    *,
    question: str,
    options: list[str] = (),
    question_cy: str = "",
    options_cy: list[str] = (),
    multiple: bool = False,
    allow_comment: bool = False,
    agenda_item: AgendaItem | None = None,
    by: Participant | None = None,
) -> Poll:
    """New wording (in English, and in Welsh: ``question_cy``, ``options_cy``), options or
    agenda item for a poll that has never been opened. Its kind and where its options come
    from stay as they are: a poll with a source, or a consensus check, keeps the options it
    is given on the day.

    Side effects: the poll written and its options replaced if they changed in either
    language, "Changed a prepared poll" logged (with the Welsh, when given); after commit,
    every console shows it.
    """
    plenary = poll.plenary
    _check_agenda_item(plenary, agenda_item)
    pairs = paired(list(options), list(options_cy))
    with transaction.atomic():
        poll = locked(poll)
        if poll.state != Poll.State.DRAFT:
            raise Refused(_("This poll has been opened, so it can no longer be changed"))
        poll.question = question
        poll.question_cy = question_cy
        poll.multiple = multiple and poll.kind == Poll.Kind.CHOICE
        poll.allow_comment = allow_comment and poll.kind == Poll.Kind.SCALE
        poll.agenda_item = agenda_item
        fields = ["question", "question_cy", "multiple", "allow_comment", "agenda_item"]
        poll.save(update_fields=fields)
        own = poll.kind in LISTED_KINDS and not poll.source and not poll.baseline_id
        if own and list(poll.options.values_list("text", "text_cy")) != pairs:
            poll.options.all().delete()
            write_options(poll, pairs)
        _closing_follows(poll)
        welsh = in_welsh(question_cy, [text_cy for _, text_cy in pairs] if own else [])
        audit.log(by, "Changed a prepared poll", poll_id=poll.pk, question=question, **welsh)
        transaction.on_commit(partial(live.consoles_changed, plenary), robust=True)
    return poll


def move_poll(poll: Poll, direction: str, *, by: Participant | None = None) -> int:
    """Move a prepared poll one place up or down the run sheet; its new place (1 is first).

    Side effects: every poll of the plenary numbered again in running order, "Moved a poll
    in the run sheet" logged; after commit, every console lists the new order.
    """
    if direction not in {UP, DOWN}:
        raise Refused(_("Choose whether to move the poll up or down"))
    plenary = poll.plenary
    with transaction.atomic():
        # One reordering at a time, so that two organisers moving polls take turns.
        Plenary.objects.select_for_update().filter(pk=plenary.pk).first()
        polls = list(in_running_order(plenary))
        at = next((n for n, p in enumerate(polls) if p.pk == poll.pk), None)
        if at is None or polls[at].state != Poll.State.DRAFT:
            raise Refused(_("Only a poll that has never been opened can be moved"))
        to = at - 1 if direction == UP else at + 1
        if not 0 <= to < len(polls):
            raise Refused(
                _("This poll is already first in the running order")
                if direction == UP
                else _("This poll is already last in the running order")
            )
        polls[at], polls[to] = polls[to], polls[at]
        renumbered = []
        for position, each in enumerate(polls, start=1):
            if each.position != position:
                each.position = position
                renumbered.append(each)
        Poll.objects.bulk_update(renumbered, ["position"])
        audit.log(by, "Moved a poll in the run sheet", poll_id=poll.pk, position=to + 1)
        transaction.on_commit(partial(live.consoles_changed, plenary), robust=True)
    return to + 1


def closing_round(baseline: Poll) -> Poll:
    """The closing round of ``baseline``, written at the end of the run sheet: the same
    question and the same statements in the same order, in English and in Welsh, so that
    each answer pairs with the baseline's option by option. No checks, no log, no push: the
    caller's transaction."""
    pairs = list(baseline.options.values_list("text", "text_cy"))
    return make_poll_of(
        baseline.plenary,
        baseline.kind,
        baseline.question,
        pairs,
        question_cy=baseline.question_cy,
        allow_comment=baseline.allow_comment,
        baseline=baseline,
    )


def _closing_follows(baseline: Poll) -> None:
    """A closing round nobody has answered asks what its baseline now asks."""
    closing = Poll.objects.filter(baseline=baseline, state=Poll.State.DRAFT).first()
    if closing is not None:
        refresh_from_source(closing, baseline.plenary.summit_id)


def ask_again(poll: Poll, *, by: Participant | None = None) -> Poll:
    """Ask an agreement scale again at the close: its closing round, at the end of the run
    sheet, whose answers the organisers' page on how views moved and the record set beside
    the first round's. Refused for any other kind of poll, for a closing round, and for a
    poll already asked again.

    Side effects: the closing round and its statements written, the poll marked as asked
    again, "Asked a poll again at the close" logged; after commit, every console lists it.
    """
    with transaction.atomic():
        Plenary.objects.select_for_update().filter(pk=poll.plenary_id).first()
        poll = locked(poll)
        if poll.kind != Poll.Kind.SCALE:
            raise Refused(_("Only an agreement scale can be asked again at the close"))
        if poll.baseline_id:
            raise Refused(_("This poll is already the closing round of another"))
        if Poll.objects.filter(baseline=poll).exists():
            raise Refused(_("This poll is already asked again at the close"))
        closing = closing_round(poll)
        poll.ask_again = True
        poll.save(update_fields=["ask_again"])
        audit.log(by, "Asked a poll again at the close", poll_id=poll.pk, closing_id=closing.pk)
        transaction.on_commit(partial(live.consoles_changed, poll.plenary), robust=True)
    return closing
