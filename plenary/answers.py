"""An attendee's answer to a poll: one response each, replaced when they change their mind,
and refused whatever its shape when the poll does not allow it."""

from __future__ import annotations

from functools import partial

from django.db import transaction

from accounts.models import Participant
from plenary import live
from plenary.forms import Part, levels_for
from plenary.models import (
    TEXT_MAX_LENGTH,
    WORD_MAX_LENGTH,
    WORDS_PER_ANSWER,
    Answer,
    Poll,
    Response,
)
from plenary.polls import locked
from summit.event.agreement import Agreement
from summit.event.refusals import Refused


def answer_poll(poll: Poll, participant: Participant, parts: list[Part]) -> Response:
    """Record the attendee's answer, replacing any they gave before: one response each.

    ``parts`` come from a valid ``AnswerForm`` for this poll. Raises ``Refused`` for anyone
    but an attendee of the poll's summit, and once the poll is not open. Side effects: the
    response and its answers written (an attendee's answer is not audited); after commit, the
    new tally goes to the consoles, and to every screen if results are shown.
    """
    if participant.role != Participant.Role.ATTENDEE:
        raise Refused("Only attendees answer polls: facilitators and organisers run them")
    if participant.summit_id != poll.plenary.summit_id or participant.removed_at is not None:
        raise Refused("This poll belongs to another summit")
    with transaction.atomic():
        # Locked so that a poll closing meanwhile takes no answer after it has closed.
        plenary = poll.plenary
        poll = locked(poll)
        poll.plenary = plenary  # with its summit, for the tally pushed after commit
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
