"""Every change to the plenary: one function each, writing in a transaction and pushing to the
room's screens once it has committed."""

from __future__ import annotations

from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Participant
from breakouts.models import Breakout, Idea, Outcome
from plenary import live
from plenary.forms import Part, levels_for
from plenary.models import (
    TEXT_MAX_LENGTH,
    WORD_MAX_LENGTH,
    WORDS_PER_ANSWER,
    Answer,
    Plenary,
    Poll,
    PollOption,
    Response,
    new_screen_key,
)
from summit.event.agreement import Agreement
from summit.event.models import AgendaItem, Summit
from summit.event.refusals import Refused

ASSUMPTIONS_QUESTION = "How far do you agree with each of the working assumptions?"
OBSTACLES_QUESTION = "Rank the obstacles to place: the one that holds it back most, first"
WORDS_QUESTION = "In a word or two: what does good governance at place need most?"
CONSENSUS_QUESTION = "Consensus check: where do you stand on each group’s proposals?"


def plenary_for(summit: Summit) -> Plenary:
    """The summit's plenary, made on first use with the polls its own material suggests: a
    check of the working assumptions, a ranking of the obstacles, and a word cloud.

    Side effects: database writes the first time only.
    """
    plenary = Plenary.objects.filter(summit=summit).select_related("summit").first()
    if plenary is not None:
        return plenary
    try:
        with transaction.atomic():
            plenary = Plenary.objects.create(summit=summit)
            _standard_polls(plenary)
    except IntegrityError:
        # Another request made it first.
        plenary = Plenary.objects.select_related("summit").get(summit=summit)
    return plenary


def _standard_polls(plenary: Plenary) -> None:
    summit = plenary.summit
    plenaries = list(summit.agenda.filter(kind=AgendaItem.Kind.PLENARY))
    opening = plenaries[0] if plenaries else None
    assumptions = [a.text for a in summit.assumptions.all()]
    if assumptions:
        _make_poll(
            plenary,
            Poll.Kind.SCALE,
            ASSUMPTIONS_QUESTION,
            assumptions,
            allow_comment=True,
            agenda_item=opening,
        )
    obstacles = [o.text for o in summit.obstacles.all()]
    if len(obstacles) > 1:
        _make_poll(plenary, Poll.Kind.RANKING, OBSTACLES_QUESTION, obstacles, agenda_item=opening)
    _make_poll(plenary, Poll.Kind.WORDS, WORDS_QUESTION, [], agenda_item=opening)


def _make_poll(plenary: Plenary, kind: str, question: str, options: list[str], **fields) -> Poll:
    poll = Poll.objects.create(plenary=plenary, kind=kind, question=question, **fields)
    PollOption.objects.bulk_create(
        PollOption(poll=poll, order=n, text=text) for n, text in enumerate(options, start=1)
    )
    return poll


def _locked(poll: Poll) -> Poll:
    return Poll.objects.select_for_update().get(pk=poll.pk)


# Running polls


def create_poll(
    plenary: Plenary,
    *,
    kind: str,
    question: str,
    options: list[str],
    multiple: bool = False,
    allow_comment: bool = False,
) -> Poll:
    """A new poll, not yet open, filed under what is on the agenda now.

    Side effects: after commit, every console lists it.
    """
    if kind == Poll.Kind.CONSENSUS:
        raise Refused("Prepare the consensus check from the breakouts’ outcomes instead")
    with transaction.atomic():
        poll = _make_poll(
            plenary,
            kind,
            question,
            options if kind in {Poll.Kind.CHOICE, Poll.Kind.RANKING, Poll.Kind.SCALE} else [],
            multiple=multiple and kind == Poll.Kind.CHOICE,
            allow_comment=allow_comment and kind == Poll.Kind.SCALE,
            agenda_item_id=plenary.summit.agenda_now_id,
        )
        transaction.on_commit(partial(live.consoles_changed, plenary), robust=True)
    return poll


def delete_poll(poll: Poll) -> None:
    """Remove a poll nobody has seen. Side effects: after commit, consoles drop it."""
    with transaction.atomic():
        poll = _locked(poll)
        if poll.state != Poll.State.DRAFT or poll.responses.exists():
            raise Refused("Only a poll that has never been opened can be deleted")
        plenary = poll.plenary
        poll.delete()
        transaction.on_commit(partial(live.consoles_changed, plenary), robust=True)


def open_poll(poll: Poll) -> Poll:
    """Open (or reopen) a poll for answers, and put it on the big screen.

    Side effects: after commit, it appears on every attendee's phone and the big screen.
    """
    with transaction.atomic():
        poll = _locked(poll)
        if poll.is_open:
            return poll
        if poll.has_options and not poll.options.exists():
            raise Refused("This poll has nothing to choose from yet")
        poll.state = Poll.State.OPEN
        poll.opened_at = timezone.now()
        poll.closed_at = None
        poll.save(update_fields=["state", "opened_at", "closed_at"])
        Plenary.objects.filter(pk=poll.plenary_id).update(
            showing=Plenary.Showing.POLL, shown_poll=poll
        )
        transaction.on_commit(
            partial(live.room_changed, poll.plenary, f"A poll is open: {poll.question}"),
            robust=True,
        )
    return poll


def close_poll(poll: Poll) -> Poll:
    """Stop taking answers; answers already given stay as they are.

    Side effects: after commit, it leaves attendees' phones (unless its results are shown).
    """
    with transaction.atomic():
        poll = _locked(poll)
        if poll.state != Poll.State.OPEN:
            raise Refused("This poll is not open")
        poll.state = Poll.State.CLOSED
        poll.closed_at = timezone.now()
        poll.save(update_fields=["state", "closed_at"])
        transaction.on_commit(
            partial(live.room_changed, poll.plenary, f"The poll has closed: {poll.question}"),
            robust=True,
        )
    return poll


def show_results(poll: Poll, shown: bool) -> Poll:
    """Reveal a poll's results to attendees and the big screen, or hide them again.

    Side effects: after commit, every screen of the room refreshes.
    """
    with transaction.atomic():
        poll = _locked(poll)
        if poll.results_shown == shown:
            return poll
        poll.results_shown = shown
        poll.save(update_fields=["results_shown"])
        said = "Results are shown" if shown else "Results are hidden"
        transaction.on_commit(
            partial(live.room_changed, poll.plenary, f"{said}: {poll.question}"), robust=True
        )
    return poll


def answer_poll(poll: Poll, participant: Participant, parts: list[Part]) -> Response:
    """Record the attendee's answer, replacing any they gave before: one response each.

    ``parts`` come from a valid ``AnswerForm`` for this poll. Raises ``Refused`` for anyone
    but an attendee of the poll's summit, and once the poll is not open. Side effects: after
    commit, the new tally goes to the consoles, and to every screen if results are shown.
    """
    if participant.role != Participant.Role.ATTENDEE:
        raise Refused("Only attendees answer polls: facilitators and organisers run them")
    if participant.summit_id != poll.plenary.summit_id or participant.removed_at is not None:
        raise Refused("This poll belongs to another summit")
    with transaction.atomic():
        # Locked so that a poll closing meanwhile takes no answer after it has closed.
        poll = _locked(poll)
        if poll.state != Poll.State.OPEN:
            raise Refused(
                "This poll is closed, so answers can no longer be changed"
                if poll.state == Poll.State.CLOSED
                else "This poll is not open yet"
            )
        check_parts(poll, list(poll.options.values_list("pk", flat=True)), parts)
        response, made = Response.objects.get_or_create(poll=poll, participant=participant)
        if not made:
            response.answers.all().delete()
            response.save(update_fields=["updated_at"])
        Answer.objects.bulk_create(
            Answer(response=response, option_id=p.option_id, value=p.value, text=p.text)
            for p in parts
        )
        transaction.on_commit(partial(live.results_changed, poll), robust=True)
    return response


def check_parts(poll: Poll, option_ids: list[int], parts: list[Part]) -> None:
    """Refuse an answer whose shape the poll does not allow, whoever built it: the form
    checks the same for people, and this keeps every tally sound for any other caller."""
    chosen = [p.option_id for p in parts]
    if any(pk is not None and pk not in option_ids for pk in chosen):
        raise Refused("Choose from the answers listed")
    named = [pk for pk in chosen if pk is not None]
    if len(set(named)) != len(named):
        raise Refused("Give each answer once")
    kind = poll.kind
    if kind == Poll.Kind.CHOICE:
        if not parts or None in chosen:
            raise Refused("Choose an answer")
        if len(parts) > 1 and not poll.multiple:
            raise Refused("Choose only one answer")
    elif kind == Poll.Kind.RANKING:
        places = [p.value for p in parts]
        if sorted(chosen) != sorted(option_ids) or places != list(range(1, len(parts) + 1)):
            raise Refused("Rank every item once, and only once")
    elif poll.rated:
        levels = {level for level, _ in levels_for(poll)}
        if not parts or None in chosen or any(p.value not in levels for p in parts):
            raise Refused("Choose one of the positions listed")
        consensus = kind == Poll.Kind.CONSENSUS
        if any(p.text for p in parts) and not (consensus or poll.allow_comment):
            raise Refused("This poll does not take comments")
        if consensus and any(p.value == Agreement.BLOCK and not p.text for p in parts):
            raise Refused("Say why you block")
        if any(len(p.text) > TEXT_MAX_LENGTH for p in parts):
            raise Refused(f"Keep what you write to {TEXT_MAX_LENGTH} characters or fewer")
    elif kind == Poll.Kind.WORDS:
        words = [p.text for p in parts]
        if not 1 <= len(words) <= WORDS_PER_ANSWER or not all(words):
            raise Refused(f"Give one to {WORDS_PER_ANSWER} words or short phrases")
        if any(len(w) > WORD_MAX_LENGTH for w in words):
            raise Refused(f"Keep each word or phrase to {WORD_MAX_LENGTH} characters or fewer")
        if len({w.casefold() for w in words}) != len(words):
            raise Refused("Give each word once")
    elif len(parts) != 1 or not parts[0].text or len(parts[0].text) > TEXT_MAX_LENGTH:
        raise Refused(f"Write an answer of up to {TEXT_MAX_LENGTH} characters")


def prepare_consensus_check(plenary: Plenary) -> Poll:
    """The consensus check: every breakout's outcomes, as statements each attendee places on
    the gradient of agreement. Prepared again, it takes in outcomes drafted since; once opened
    its statements are fixed, and preparing after it has closed starts a second round.

    Side effects: after commit, consoles list it.
    """
    outcomes = list(
        Outcome.objects.filter(breakout__summit_id=plenary.summit_id)
        .select_related("breakout")
        .order_by("breakout__subtheme__order", "breakout__name", "created_at", "id")
    )
    if not outcomes:
        raise Refused("No breakout has drafted an outcome yet")
    with transaction.atomic():
        poll = (
            Poll.objects.select_for_update()
            .filter(plenary=plenary, kind=Poll.Kind.CONSENSUS)
            .exclude(state=Poll.State.CLOSED)
            .order_by("-created_at", "-id")
            .first()
        )
        if poll is not None and poll.state == Poll.State.OPEN:
            raise Refused("The consensus check is open: close it before preparing another")
        if poll is None:
            poll = Poll.objects.create(
                plenary=plenary,
                kind=Poll.Kind.CONSENSUS,
                question=CONSENSUS_QUESTION,
                agenda_item_id=plenary.summit.agenda_now_id,
            )
        poll.options.all().delete()
        PollOption.objects.bulk_create(
            PollOption(poll=poll, order=n, text=outcome.proposal, outcome=outcome)
            for n, outcome in enumerate(outcomes, start=1)
        )
        transaction.on_commit(partial(live.consoles_changed, plenary), robust=True)
    return poll


# The big screen and the day


def show(
    plenary: Plenary,
    showing: str,
    *,
    poll_id: int | None = None,
    breakout_id: int | None = None,
    idea_id: int | None = None,
    message: str = "",
) -> Plenary:
    """Choose what the big screen shows: the question, a poll, a breakout's report, an idea
    or a message. Everything named must belong to this summit.

    Side effects: after commit, the big screen and every phone follow.
    """
    summit_id = plenary.summit_id
    changes: dict = {"showing": showing}
    if showing == Plenary.Showing.POLL:
        poll = Poll.objects.filter(pk=poll_id, plenary=plenary).first()
        if poll is None:
            raise Refused("Choose one of this plenary’s polls")
        changes["shown_poll"] = poll
    elif showing == Plenary.Showing.REPORT:
        breakout = Breakout.objects.filter(pk=breakout_id, summit_id=summit_id).first()
        if breakout is None:
            raise Refused("Choose one of this summit’s breakouts")
        changes["shown_breakout"] = breakout
    elif showing == Plenary.Showing.IDEA:
        idea = Idea.objects.filter(
            pk=idea_id, breakout__summit_id=summit_id, status=Idea.Status.VISIBLE
        ).first()
        if idea is None:
            raise Refused("Choose an idea that is on one of this summit’s walls")
        changes["shown_idea"] = idea
    elif showing == Plenary.Showing.MESSAGE:
        if not message:
            raise Refused("Write the message to show")
        changes["message"] = message
    elif showing != Plenary.Showing.QUESTION:
        raise Refused("Choose one of the things the big screen can show")
    with transaction.atomic():
        Plenary.objects.filter(pk=plenary.pk).update(**changes)
        for name, value in changes.items():
            setattr(plenary, name, value)
        transaction.on_commit(
            partial(live.room_changed, plenary, "The big screen has changed"), robust=True
        )
    return plenary


def next_report(plenary: Plenary) -> Plenary:
    """The report-back moves on to the next breakout, in the summit's order, from the first
    when none is showing. Side effects: as ``show``."""
    breakouts = list(Breakout.objects.filter(summit_id=plenary.summit_id).values_list("pk"))
    if not breakouts:
        raise Refused("This summit has no breakouts to report")
    ids = [pk for (pk,) in breakouts]
    current = plenary.shown_breakout_id if plenary.showing == Plenary.Showing.REPORT else None
    at = ids.index(current) + 1 if current in ids else 0
    if at >= len(ids):
        raise Refused("Every breakout has reported")
    return show(plenary, Plenary.Showing.REPORT, breakout_id=ids[at])


def move_agenda(plenary: Plenary, item_id: int | None) -> None:
    """Move the day on to an agenda item (or back to the clock, with none).

    Side effects: after commit, every screen of the room refreshes.
    """
    summit = plenary.summit
    item = None
    if item_id is not None:
        item = AgendaItem.objects.filter(pk=item_id, summit=summit).first()
        if item is None:
            raise Refused("Choose an item of this summit’s agenda")
    with transaction.atomic():
        Summit.objects.filter(pk=summit.pk).update(agenda_now=item)
        summit.agenda_now = item
        said = f"Now: {item.title}" if item else "The agenda follows the clock again"
        transaction.on_commit(partial(live.room_changed, plenary, said), robust=True)


def new_screen_link(plenary: Plenary) -> Plenary:
    """Replace the big screen's link; screens open on the old one close.

    Side effects: after commit, big screens on the old link are closed.
    """
    old = plenary.screen_key
    with transaction.atomic():
        plenary.screen_key = new_screen_key()
        plenary.save(update_fields=["screen_key"])
        transaction.on_commit(partial(live.screens_closed, old), robust=True)
    return plenary
