"""An attendee's answer to a poll: one response each, replaced when they change their mind,
and refused whatever its shape when the poll does not allow it."""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.utils.translation import gettext as _

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
        raise Refused(_("Only attendees answer polls: facilitators and organisers run them"))
    if participant.summit_id != poll.plenary.summit_id or participant.removed_at is not None:
        raise Refused(_("This poll belongs to another summit"))
    with transaction.atomic():
        # Locked so that a poll closing meanwhile takes no answer after it has closed.
        plenary = poll.plenary
        poll = locked(poll)
        poll.plenary = plenary  # with its summit, for the tally pushed after commit
        if poll.state != Poll.State.OPEN:
            raise Refused(
                _("This poll is closed, so answers can no longer be changed")
                if poll.state == Poll.State.CLOSED
                else _("This poll is not open yet")
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
        raise Refused(_("Choose from the answers listed"))
    named = [pk for pk in chosen if pk is not None]
    if len(set(named)) != len(named):
        raise Refused(_("Give each answer once"))
    kind = poll.kind
    if kind == Poll.Kind.CHOICE:
        if not parts or None in chosen:
            raise Refused(_("Choose an answer"))
        if len(parts) > 1 and not poll.multiple:
            raise Refused(_("Choose only one answer"))
    elif kind == Poll.Kind.RANKING:
        places = [p.value for p in parts]
        if sorted(chosen) != sorted(option_ids) or places != list(range(1, len(parts) + 1)):
            raise Refused(_("Rank every item once, and only once"))
    elif poll.rated:
        levels = {level for level, _label in levels_for(poll)}
        if not parts or None in chosen or any(p.value not in levels for p in parts):
            raise Refused(_("Choose one of the positions listed"))
        consensus = kind == Poll.Kind.CONSENSUS
        if any(p.text for p in parts) and not (consensus or poll.allow_comment):
            raise Refused(_("This poll does not take comments"))
        if consensus and any(p.value == Agreement.BLOCK and not p.text for p in parts):
            raise Refused(_("Say why you block"))
        if any(len(p.text) > TEXT_MAX_LENGTH for p in parts):
            raise Refused(
                _("Keep what you write to %(most)d characters or fewer") % {"most": TEXT_MAX_LENGTH}
            )
    elif kind == Poll.Kind.WORDS:
        words = [p.text for p in parts]
        if not 1 <= len(words) <= WORDS_PER_ANSWER or not all(words):
            raise Refused(
                _("Give one to %(most)d words or short phrases") % {"most": WORDS_PER_ANSWER}
            )
        if any(len(w) > WORD_MAX_LENGTH for w in words):
            raise Refused(
                _("Keep each word or phrase to %(most)d characters or fewer")
                % {"most": WORD_MAX_LENGTH}
            )
        if len({w.casefold() for w in words}) != len(words):
            raise Refused(_("Give each word once"))
    elif len(parts) != 1 or not parts[0].text or len(parts[0].text) > TEXT_MAX_LENGTH:
        raise Refused(_("Write an answer of up to %(most)d characters") % {"most": TEXT_MAX_LENGTH})
