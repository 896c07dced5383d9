"""Feedback on the day (a services module): the closing form's one service, and its results
as every page and format of the record gives them, loaded in two queries however many answer.

The results keep two rules. By sector, a sector of fewer than ``SMALLEST_CELL`` people who
answered is not shown on its own (``summit.event.measures.small_sectors_combined``). What
people wrote is listed without names or sectors, in the order of its words rather than of
its writing, so neither who nor when can pick out the writer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Feedback, Participant
from summit.event.measures import OTHER_SECTORS, small_sectors_combined
from summit.event.models import Summit
from summit.event.refusals import Refused
from summit.event.sectors import in_sector_order, sector_names

CHANGE_MAX_LENGTH = 2000
# While the summit is in one of these, people may give or change their feedback.
OPEN_FOR_FEEDBACK = (Summit.Status.LIVE, Summit.Status.CLOSED)

USEFUL_QUESTION = gettext_lazy("How useful was the day for you?")
HEARD_QUESTION = gettext_lazy("How far did you feel heard?")
CHANGE_QUESTION = gettext_lazy("What should change?")


def feedback_refusal(summit: Summit) -> str:
    """Why the summit takes no feedback now, or "" while it does."""
    if summit.status in OPEN_FOR_FEEDBACK:
        return ""
    if summit.status == Summit.Status.ARCHIVED:
        return _("This summit has been archived, so it no longer takes feedback.")
    return _("You can give feedback once the day has started.")


def feedback_of(participant: Participant) -> Feedback | None:
    return Feedback.objects.filter(participant=participant).first()


def give_feedback(participant: Participant, *, useful: int, heard: int, change: str) -> Feedback:
    """Keep the person's answers to the closing form, replacing any they gave before: one
    answer per person, never two (the unique constraint holds this against a double post).

    Refused while the summit is a draft or open for joining, and once it is archived.

    Side effects: one row written. Nothing is logged: the audit log records what
    facilitators and organisers do to the summit, and a person's own answer is data they
    give, not such an action; it would also name them beside a form whose results are kept
    anonymous. Nothing is pushed: no screen shows the answers live.
    """
    with transaction.atomic():
        summit = Summit.objects.select_for_update().get(pk=participant.summit_id)
        refusal = feedback_refusal(summit)
        if refusal:
            raise Refused(refusal)
        feedback, _created = Feedback.objects.update_or_create(
            participant=participant,
            defaults={"useful": useful, "heard": heard, "change": change.strip()},
        )
    return feedback


@dataclass
class FeedbackLevel:
    value: int
    label: str
    count: int


@dataclass
class FeedbackSector:
    """How a sector's people answered one question, a count per level; in a row of sectors
    too small to show, together too few as well, the counts are withheld (``None``)."""

    sector: str
    counts: list[int | None]
    answered: int | None

    @property
    def withheld(self) -> bool:
        return self.answered is None


@dataclass
class FeedbackQuestion:
    key: str
    question: str
    levels: list[FeedbackLevel]
    by_sector: list[FeedbackSector]

    @property
    def answered(self) -> int:
        return sum(level.count for level in self.levels)


@dataclass
class FeedbackResults:
    answered: int
    questions: list[FeedbackQuestion]
    changes: list[str] = field(default_factory=list)


def _combined(small: list[FeedbackSector], withheld: bool) -> FeedbackSector:
    if withheld:
        return FeedbackSector(str(OTHER_SECTORS), [None] * len(small[0].counts), None)
    counts = [sum(row.counts[n] for row in small) for n in range(len(small[0].counts))]
    return FeedbackSector(str(OTHER_SECTORS), counts, sum(counts))


def _question(key: str, question: str, choices, answers: list[tuple[str, int]], names):
    values = [value for value, _label in choices]
    by_key: dict[str, list[int]] = {}
    for sector, value in answers:
        by_key.setdefault(sector, [0] * len(values))[values.index(value)] += 1
    rows = [
        FeedbackSector(names.get(key, key), counts, sum(counts))
        for key, counts in ((k, by_key[k]) for k in in_sector_order(by_key, names))
    ]
    totals = [sum(counts[n] for counts in by_key.values()) for n in range(len(values))]
    return FeedbackQuestion(
        key,
        str(question),
        [FeedbackLevel(v, str(label), c) for (v, label), c in zip(choices, totals, strict=True)],
        small_sectors_combined(rows, lambda row: row.answered, _combined),
    )


def load_feedback(summit: Summit, names: dict[str, str] | None = None) -> FeedbackResults:
    """Everyone's answers in the summit, removed and erased people's too (their answers stay
    counted, as their contributions stay in the record), in one query, and one more for the
    sector names when ``names`` is not given."""
    if names is None:
        names = sector_names(summit)
    rows = list(
        Feedback.objects.filter(participant__summit=summit).values_list(
            "participant__sector", "useful", "heard", "change"
        )
    )
    return FeedbackResults(
        answered=len(rows),
        questions=[
            _question(
                "useful",
                USEFUL_QUESTION,
                Feedback.Useful.choices,
                [(s, u) for s, u, _h, _c in rows],
                names,
            ),
            _question(
                "heard",
                HEARD_QUESTION,
                Feedback.Heard.choices,
                [(s, h) for s, _u, h, _c in rows],
                names,
            ),
        ],
        changes=sorted((c for *_rest, c in rows if c), key=str.casefold),
    )
