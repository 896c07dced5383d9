"""The plenary's services. Each change to the plenary is one function that writes in a
transaction, logs a facilitator's action and pushes to the room's screens once committed;
they live by feature (``plenary.polls``, ``plenary.answers``, ``plenary.steering``) and every
one can be imported from here too. The plenary itself is made here, on first use."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from plenary.answers import answer_poll, check_parts
from plenary.models import Plenary, Poll
from plenary.polls import (
    ASSUMPTIONS_QUESTION,
    ASSUMPTIONS_QUESTION_CY,
    CONSENSUS_QUESTION,
    OBSTACLES_QUESTION,
    OBSTACLES_QUESTION_CY,
    WORDS_QUESTION,
    WORDS_QUESTION_CY,
    close_poll,
    create_poll,
    delete_poll,
    make_poll_of,
    open_poll,
    prepare_consensus_check,
    show_results,
    source_statements,
)
from plenary.run_sheet import change_prepared_poll, move_poll, prepare_poll
from plenary.steering import move_agenda, new_screen_link, next_report, show
from summit.event.models import AgendaItem, Summit

__all__ = [
    "ASSUMPTIONS_QUESTION",
    "CONSENSUS_QUESTION",
    "OBSTACLES_QUESTION",
    "WORDS_QUESTION",
    "answer_poll",
    "change_prepared_poll",
    "check_parts",
    "close_poll",
    "create_poll",
    "delete_poll",
    "move_agenda",
    "move_poll",
    "new_screen_link",
    "next_report",
    "open_poll",
    "plenary_for",
    "prepare_consensus_check",
    "prepare_poll",
    "show",
    "show_results",
]


def plenary_for(summit: Summit) -> Plenary:
    """The summit's plenary, made on first use with the polls its own material suggests, the
    start of its run sheet: a check of the working assumptions, a ranking of the obstacles
    (each taking in the summit's list as it stands when it opens), and a word cloud.

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
    polls = []
    assumptions = source_statements(summit.pk, Poll.Source.ASSUMPTIONS)
    if assumptions:
        polls.append(
            (
                Poll.Kind.SCALE,
                (ASSUMPTIONS_QUESTION, ASSUMPTIONS_QUESTION_CY),
                assumptions,
                {"allow_comment": True, "source": Poll.Source.ASSUMPTIONS},
            )
        )
    obstacles = source_statements(summit.pk, Poll.Source.OBSTACLES)
    if len(obstacles) > 1:
        polls.append(
            (
                Poll.Kind.RANKING,
                (OBSTACLES_QUESTION, OBSTACLES_QUESTION_CY),
                obstacles,
                {"source": Poll.Source.OBSTACLES},
            )
        )
    polls.append((Poll.Kind.WORDS, (WORDS_QUESTION, WORDS_QUESTION_CY), [], {}))
    for position, (kind, (question, question_cy), options, fields) in enumerate(polls, start=1):
        make_poll_of(
            plenary,
            kind,
            question,
            options,
            question_cy=question_cy,
            agenda_item=opening,
            position=position,
            **fields,
        )
