"""Running the plenary's polls: making one, opening and closing it, showing its results,
deleting one nobody has seen, and preparing the consensus check. Each writes in a transaction,
with the facilitator's action in the audit log, and pushes to the room's screens on commit.

``by`` is the facilitator or organiser acting: their action goes in the audit log. A script or
the demo's set-up passes none, and nothing is logged.
"""

from __future__ import annotations

from functools import partial
from itertools import zip_longest

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy

from accounts.models import Participant
from breakouts.models import Outcome
from plenary import audit, live
from plenary.models import LISTED_KINDS, OPTION_MAX_LENGTH, Plenary, Poll, PollOption
from summit.event.bilingual import text_when_shown
from summit.event.models import Assumption, Obstacle
from summit.event.refusals import Refused

# The questions of the polls the app makes, stored with each poll in English and in Welsh
# (``Poll.question`` and ``question_cy``), as an organiser's own would be.
ASSUMPTIONS_QUESTION = "How far do you agree with each of the working assumptions?"
ASSUMPTIONS_QUESTION_CY = "I ba raddau rydych chi'n cytuno â phob un o'r rhagdybiaethau gweithio?"
OBSTACLES_QUESTION = "Rank the obstacles to place: the one that holds it back most, first"
OBSTACLES_QUESTION_CY = (
    "Rhowch y rhwystrau i le yn eu trefn: yr un sy'n ei ddal yn ôl fwyaf, yn gyntaf"
)
WORDS_QUESTION = "In a word or two: what does good governance at place need most?"
WORDS_QUESTION_CY = "Mewn gair neu ddau: beth sydd ei angen fwyaf ar lywodraethu da ar lefel lle?"
CONSENSUS_QUESTION = "Consensus check: where do you stand on each group’s proposals?"
CONSENSUS_QUESTION_CY = "Gwiriad consensws: ble rydych chi'n sefyll ar gynigion pob grŵp?"

SOURCES = {Poll.Source.ASSUMPTIONS: Assumption, Poll.Source.OBSTACLES: Obstacle}


def next_position(plenary: Plenary) -> int:
    """The place at the end of the run sheet."""
    last = Poll.objects.filter(plenary=plenary).aggregate(last=Max("position"))["last"]
    return (last or 0) + 1


def make_poll(
    plenary: Plenary,
    kind: str,
    question: str,
    options: list[str],
    *,
    options_cy: list[str] = (),
    **fields,
) -> Poll:
    """The poll and its options, written as they are (at the end of the run sheet unless a
    ``position`` is given), each option with its Welsh version from ``options_cy``, in the
    same order, where it has one: no checks, no push."""
    pairs = list(zip_longest(options, options_cy[: len(options)], fillvalue=""))
    return make_poll_of(plenary, kind, question, pairs, **fields)


def make_poll_of(
    plenary: Plenary, kind: str, question: str, pairs: list[tuple[str, str]], **fields
) -> Poll:
    """``make_poll`` for options given as they are kept: each its English and its Welsh."""
    fields.setdefault("position", next_position(plenary))
    poll = Poll.objects.create(plenary=plenary, kind=kind, question=question, **fields)
    write_options(poll, pairs)
    return poll


def paired(options: list[str], options_cy: list[str]) -> list[tuple[str, str]]:
    """Each option with its Welsh version, in order, refused unless none, or one for each, of
    the Welsh is given."""
    if not any(options_cy):
        return [(text, "") for text in options]
    if len(options_cy) != len(options):
        raise Refused(gettext("Give one answer in Welsh for each answer in English, or none"))
    return list(zip(options, options_cy, strict=True))


def write_options(poll: Poll, pairs: list[tuple[str, str]]) -> None:
    """``poll``'s options, numbered in order, each given as its English and its Welsh."""
    PollOption.objects.bulk_create(
        PollOption(poll=poll, order=n, text=text, text_cy=text_cy)
        for n, (text, text_cy) in enumerate(pairs, start=1)
    )


def source_statements(summit_id: int, source: str) -> list[tuple[str, str]]:
    """The statements a poll with ``source`` asks about, as the summit has them now, each in
    English and in Welsh (empty where it has no Welsh version)."""
    model = SOURCES.get(source)
    if model is None:
        return []
    rows = model.objects.filter(summit_id=summit_id)
    # A statement retired once people have answered it is no longer asked about.
    if any(field.name == "retired_at" for field in model._meta.get_fields()):
        rows = rows.filter(retired_at__isnull=True)
    return [
        (text[:OPTION_MAX_LENGTH], text_cy[:OPTION_MAX_LENGTH])
        for text, text_cy in rows.values_list("text", "text_cy")
    ]


def source_options(summit_id: int, source: str) -> list[str]:
    """The statements a poll with ``source`` asks about, as the summit has them now."""
    return [text for text, _ in source_statements(summit_id, source)]


def refresh_from_source(poll: Poll, summit_id: int) -> None:
    """Take in the summit's statements as they stand, for a poll nobody has answered: what
    organisers changed before the day is what the room is asked, in English and in Welsh. A
    closing round takes its baseline's statements as they were asked, so that each answer
    pairs with the baseline's option by option. Options that already match, in both
    languages, are kept as they are."""
    if not (poll.source or poll.baseline_id) or poll.responses.exists():
        return
    if poll.baseline_id:
        pairs = list(
            PollOption.objects.filter(poll_id=poll.baseline_id).values_list("text", "text_cy")
        )
    else:
        pairs = source_statements(summit_id, poll.source)
    if list(poll.options.values_list("text", "text_cy")) == pairs:
        return
    poll.options.all().delete()
    write_options(poll, pairs)


def locked(poll: Poll) -> Poll:
    """The poll read again and locked, so that two facilitators acting at once take turns."""
    return Poll.objects.select_for_update().get(pk=poll.pk)


def create_poll(
    plenary: Plenary,
    *,
    kind: str,
    question: str,
    options: list[str],
    question_cy: str = "",
    options_cy: list[str] = (),
    multiple: bool = False,
    allow_comment: bool = False,
    by: Participant | None = None,
) -> Poll:
    """A new poll, not yet open, filed under what is on the agenda now, at the end of the
    run sheet; ``question_cy`` and ``options_cy`` are its Welsh, where it has one (the
    options' in their order, one for each).

    Side effects: the poll and its options written, "Made a poll" logged with the question
    (and its Welsh, when given); after commit, every console lists it.
    """
    if kind == Poll.Kind.CONSENSUS:
        raise Refused(gettext("Prepare the consensus check from the breakouts’ outcomes instead"))
    listed = kind in LISTED_KINDS
    options_cy = list(options_cy) if listed else []
    pairs = paired(list(options), options_cy) if listed else []
    with transaction.atomic():
        poll = make_poll_of(
            plenary,
            kind,
            question,
            pairs,
            question_cy=question_cy,
            multiple=multiple and kind == Poll.Kind.CHOICE,
            allow_comment=allow_comment and kind == Poll.Kind.SCALE,
            agenda_item_id=plenary.summit.agenda_now_id,
        )
        audit.log(by, "Made a poll", question=question, **in_welsh(question_cy, options_cy))
        transaction.on_commit(partial(live.consoles_changed, plenary), robust=True)
    return poll


def in_welsh(question_cy: str, options_cy: list[str]) -> dict:
    """What an audit entry adds of a poll's Welsh: the question and the options in Welsh,
    each only when given."""
    detail = {}
    if question_cy:
        detail["question_cy"] = question_cy
    if any(options_cy):
        detail["options_cy"] = list(options_cy)
    return detail


def delete_poll(poll: Poll, *, by: Participant | None = None) -> None:
    """Remove a poll nobody has seen.

    Side effects: the poll deleted, "Deleted a poll" logged; after commit, consoles drop it.
    """
    poll_id = poll.pk
    with transaction.atomic():
        poll = locked(poll)
        if poll.state != Poll.State.DRAFT or poll.responses.exists():
            raise Refused(gettext("Only a poll that has never been opened can be deleted"))
        plenary = poll.plenary
        if poll.baseline_id:
            # The baseline is no longer asked again once its closing round is gone.
            Poll.objects.filter(pk=poll.baseline_id).update(ask_again=False)
        poll.delete()
        audit.log(by, "Deleted a poll", poll_id=poll_id)
        transaction.on_commit(partial(live.consoles_changed, plenary), robust=True)


def open_poll(poll: Poll, *, by: Participant | None = None) -> Poll:
    """Open (or reopen) a poll for answers, and put it on the big screen. Opening an open
    poll changes nothing, though the facilitator's asking is still logged. A poll that takes
    its options from the working assumptions or obstacles takes them in as they stand now,
    unless someone has answered it already.

    Side effects: the poll, its options (from its source) and the plenary written, "Opened a
    poll" logged; after commit, it appears on every attendee's phone and the big screen.
    """
    with transaction.atomic():
        poll = locked(poll)
        if not poll.is_open:
            _check_baseline_asked(poll)
            refresh_from_source(poll, poll.plenary.summit_id)
            if poll.has_options and not poll.options.exists():
                raise Refused(_nothing_to_choose(poll))
            poll.state = Poll.State.OPEN
            poll.opened_at = timezone.now()
            poll.closed_at = None
            poll.save(update_fields=["state", "opened_at", "closed_at"])
            Plenary.objects.filter(pk=poll.plenary_id).update(
                showing=Plenary.Showing.POLL, shown_poll=poll
            )
            said = format_lazy(
                gettext_lazy("A poll is open: {question}"),
                question=text_when_shown(poll, "question"),
            )
            transaction.on_commit(partial(live.room_changed, poll.plenary, said), robust=True)
        audit.log(by, "Opened a poll", poll_id=poll.pk)
    return poll


def _check_baseline_asked(poll: Poll) -> None:
    """A closing round asks its baseline's statements as they were asked, so it waits for
    the baseline to have been opened."""
    if poll.baseline_id and poll.baseline.state == Poll.State.DRAFT:
        raise Refused(
            gettext("Open the first round of this poll before asking it again at the close")
        )


def _nothing_to_choose(poll: Poll) -> str:
    if poll.kind == Poll.Kind.CONSENSUS:
        return gettext("Prepare the consensus check from the breakouts’ outcomes before opening it")
    if poll.source == Poll.Source.ASSUMPTIONS:
        return gettext("The summit has no working assumptions to ask about yet")
    if poll.source == Poll.Source.OBSTACLES:
        return gettext("The summit has no obstacles to ask about yet")
    return gettext("This poll has nothing to choose from yet")


def close_poll(poll: Poll, *, by: Participant | None = None) -> Poll:
    """Stop taking answers; answers already given stay as they are.

    Side effects: the poll written, "Closed a poll" logged; after commit, it leaves
    attendees' phones (unless its results are shown).
    """
    with transaction.atomic():
        poll = locked(poll)
        if poll.state != Poll.State.OPEN:
            raise Refused(gettext("This poll is not open"))
        poll.state = Poll.State.CLOSED
        poll.closed_at = timezone.now()
        poll.save(update_fields=["state", "closed_at"])
        audit.log(by, "Closed a poll", poll_id=poll.pk)
        said = format_lazy(
            gettext_lazy("The poll has closed: {question}"),
            question=text_when_shown(poll, "question"),
        )
        transaction.on_commit(partial(live.room_changed, poll.plenary, said), robust=True)
    return poll


def show_results(poll: Poll, shown: bool, *, by: Participant | None = None) -> Poll:
    """Reveal a poll's results to attendees and the big screen, or hide them again. Asking
    for what is already so changes nothing, though the asking is still logged.

    Side effects: the poll written, the showing or hiding logged; after commit, every screen
    of the room refreshes.
    """
    with transaction.atomic():
        poll = locked(poll)
        if poll.results_shown != shown:
            poll.results_shown = shown
            poll.save(update_fields=["results_shown"])
            said = format_lazy(
                gettext_lazy("Results are shown: {question}")
                if shown
                else gettext_lazy("Results are hidden: {question}"),
                question=text_when_shown(poll, "question"),
            )
            transaction.on_commit(partial(live.room_changed, poll.plenary, said), robust=True)
        audit.log(by, "Showed or hid a poll’s results", poll_id=poll.pk)
    return poll


def prepare_consensus_check(plenary: Plenary, *, by: Participant | None = None) -> Poll:
    """The consensus check: every breakout's outcomes, as statements each attendee places on
    the gradient of agreement. It fills the next consensus check of the run sheet not yet
    run (one prepared before the day included); prepared again, it takes in outcomes drafted
    since; once opened its statements are fixed, and preparing after it has closed starts a
    second round at the end of the run sheet.

    Side effects: the poll and its statements written, "Prepared the consensus check" logged;
    after commit, consoles list it.
    """
    outcomes = list(
        Outcome.objects.filter(breakout__summit_id=plenary.summit_id)
        .select_related("breakout")
        .order_by("breakout__subtheme__order", "breakout__name", "created_at", "id")
    )
    if not outcomes:
        raise Refused(gettext("No breakout has drafted an outcome yet"))
    with transaction.atomic():
        waiting = list(
            Poll.objects.select_for_update()
            .filter(plenary=plenary, kind=Poll.Kind.CONSENSUS)
            .exclude(state=Poll.State.CLOSED)
            .order_by("position", "created_at", "id")
        )
        if any(poll.is_open for poll in waiting):
            raise Refused(gettext("The consensus check is open: close it before preparing another"))
        poll = waiting[0] if waiting else None
        if poll is None:
            poll = Poll.objects.create(
                plenary=plenary,
                kind=Poll.Kind.CONSENSUS,
                question=CONSENSUS_QUESTION,
                question_cy=CONSENSUS_QUESTION_CY,
                agenda_item_id=plenary.summit.agenda_now_id,
                position=next_position(plenary),
            )
        poll.options.all().delete()
        PollOption.objects.bulk_create(
            PollOption(poll=poll, order=n, text=outcome.proposal, outcome=outcome)
            for n, outcome in enumerate(outcomes, start=1)
        )
        audit.log(by, "Prepared the consensus check")
        transaction.on_commit(partial(live.consoles_changed, plenary), robust=True)
    return poll
