"""What the plenary's screens show, loaded in a number of queries that does not grow with the
number of people answering: the attendees' page, the console and the big screen."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch

from accounts.models import Participant, give_sector_names
from breakouts.models import Breakout, Idea, Outcome
from plenary.forms import AnswerForm, levels_for
from plenary.models import (
    WORDS_PER_ANSWER,
    Answer,
    Plenary,
    Poll,
    PollOption,
    Question,
    Response,
)
from plenary.results import Results, tally
from summit.event.models import AgendaItem
from summit.event.sectors import sector_names
from summit.synthesis.board import ThemeEntry
from summit.synthesis.screen import theme_for_screen

ATTENDEES = "attendees"
FACILITATORS = "facilitators"
SCREEN = "screen"
AUDIENCES = (ATTENDEES, FACILITATORS, SCREEN)
# Attendees an organiser has named as moderators hear, besides what every attendee hears,
# the questions from the floor that await review (the facilitators hear them on the console).
MODERATORS = "moderators"


def plenary_group(plenary_id: int, audience: str) -> str:
    return f"plenary-{plenary_id}-{audience}"


def moderators_group(plenary_id: int) -> str:
    return plenary_group(plenary_id, MODERATORS)


def screen_key_group(key: str) -> str:
    """The big screens open on one link, closed together when the link is replaced."""
    return f"plenary-screen-{key}"


@dataclass
class PollView:
    """A poll as one screen shows it: its options, results when this audience may see them,
    and for an attendee their own answer as a form they can change."""

    poll: Poll
    options: list[PollOption]
    results: Results | None = None
    form: AnswerForm | None = None
    answered: bool = False
    count: int = 0

    @property
    def levels(self) -> list[tuple[int, str]]:
        return levels_for(self.poll)

    @property
    def entered(self) -> Entered | None:
        """What the form holds: as sent when it comes back refused, else the saved answer."""
        form = self.form
        if form is None:
            return None
        if form.is_bound:
            data = form.data
            values = {key: data.getlist(key) for key in data}
        else:
            values = {
                key: value if isinstance(value, list) else [value]
                for key, value in form.initial.items()
                if value is not None
            }

        def one(key: str) -> str:
            found = values.get(key) or [""]
            return str(found[-1])

        # What was sent is matched as text against the options and levels on offer, never
        # turned into a number: a number of thousands of digits, or a digit such as "²", is
        # text that int() refuses.
        by_id = {str(o.pk): o for o in self.options}
        chosen = {by_id[str(v)].pk for v in values.get("choice", []) if str(v) in by_id}
        ranked = [by_id[str(v)] for v in values.get("ranking", []) if str(v) in by_id]
        order = list(dict.fromkeys([*ranked, *self.options]))
        levels = {str(value): value for value, _ in self.levels}
        rows = [
            Row(
                option=o,
                level=levels.get(one(f"level-{o.pk}")),
                text=one(f"text-{o.pk}"),
                errors=[
                    *form.errors.get(f"level-{o.pk}", []),
                    *form.errors.get(f"text-{o.pk}", []),
                ],
            )
            for o in self.options
        ]
        words = [str(w) for w in values.get("word", [])][:WORDS_PER_ANSWER]
        words += [""] * (WORDS_PER_ANSWER - len(words))
        return Entered(chosen, order, rows, words, one("text"))


@dataclass
class Row:
    option: PollOption
    level: int | None
    text: str
    errors: list[str]


@dataclass
class Entered:
    chosen: set[int]
    order: list[PollOption]
    rows: list[Row]
    words: list[str]
    text: str


@dataclass
class Report:
    """A breakout's outcomes, each with the ideas it draws on, for the report-back."""

    breakout: Breakout
    outcomes: list[Outcome]


@dataclass
class Room:
    plenary: Plenary
    audience: str
    agenda: list[AgendaItem]
    polls: list[PollView] = field(default_factory=list)
    shown: PollView | None = None
    report: Report | None = None
    idea: Idea | None = None
    # The question from the floor being answered, with its ``support``, when it is shown.
    floor: Question | None = None
    # A theme across rooms shown over the rest on the big screen (and named on the console).
    theme: ThemeEntry | None = None
    breakouts: list[Breakout] = field(default_factory=list)
    viewer: Participant | None = None

    @property
    def console(self) -> bool:
        return self.audience == FACILITATORS

    @property
    def summit(self):
        return self.plenary.summit

    @property
    def now_on(self) -> AgendaItem | None:
        return next((i for i in self.agenda if i.pk == self.summit.agenda_now_id), None)

    @property
    def open_polls(self) -> list[PollView]:
        return [view for view in self.polls if view.poll.is_open]

    @property
    def revealed_polls(self) -> list[PollView]:
        """Closed polls whose results the facilitators have shown."""
        return [
            view
            for view in self.polls
            if view.poll.state == Poll.State.CLOSED and view.poll.results_shown
        ]

    @property
    def spotlights(self) -> list[Breakout]:
        """Breakouts with an idea in their spotlight, which the big screen can show too."""
        return [
            b
            for b in self.breakouts
            if b.spotlight_id and b.spotlight.status == Idea.Status.VISIBLE
        ]

    @property
    def outcome_total(self) -> int:
        return sum(b.outcome_count for b in self.breakouts)

    @property
    def consensus_polls(self) -> list[PollView]:
        """Consensus checks already filled with outcomes (one prepared before the day waits
        empty until then)."""
        return [
            view for view in self.polls if view.poll.kind == Poll.Kind.CONSENSUS and view.options
        ]

    @property
    def next_prepared(self) -> PollView | None:
        """The first poll of the run sheet not yet opened: the polls come in running order."""
        return next((view for view in self.polls if view.poll.state == Poll.State.DRAFT), None)


def _options_prefetch():
    return Prefetch(
        "options",
        queryset=PollOption.objects.select_related("outcome__breakout").order_by("order", "id"),
    )


def may_see_results(poll: Poll, audience: str) -> bool:
    return audience == FACILITATORS or poll.results_shown


def report_for(breakout: Breakout, names: dict[str, str]) -> Report:
    """``names``: the summit's sector names, for the ideas' anonymous authors."""
    outcomes = list(
        Outcome.objects.filter(breakout=breakout).prefetch_related(
            Prefetch(
                "ideas",
                queryset=Idea.objects.select_related("author").order_by("pk"),
            )
        )
    )
    give_sector_names((i.author for o in outcomes for i in o.ideas.all()), names)
    return Report(breakout, outcomes)


def load_room(plenary: Plenary, audience: str, viewer: Participant | None = None) -> Room:
    """Everything one screen of the plenary shows, for one audience (and attendee)."""
    summit = plenary.summit
    room = Room(plenary, audience, list(summit.agenda.all()), viewer=viewer)
    polls = (
        Poll.objects.filter(plenary=plenary)
        .select_related("agenda_item", "baseline")
        .prefetch_related(_options_prefetch())
    )
    if audience == ATTENDEES:
        polls = polls.filter(state__in=[Poll.State.OPEN, Poll.State.CLOSED])
    elif audience == SCREEN:
        polls = polls.filter(pk=plenary.shown_poll_id)
    views = [PollView(poll, list(poll.options.all())) for poll in polls]
    names = sector_names(summit)  # once, for every poll's results and idea shown
    counts = dict(
        Response.objects.filter(poll__in=[v.poll for v in views])
        .values("poll_id")
        .annotate(n=Count("id"))
        .values_list("poll_id", "n")
    )
    for view in views:
        view.count = counts.get(view.poll.pk, 0)
        poll = view.poll
        if poll.state != Poll.State.DRAFT and may_see_results(poll, audience):
            view.results = tally(poll, view.options, names, supermajority=summit.supermajority)
    if audience == ATTENDEES:
        views = [v for v in views if v.poll.is_open or v.results is not None]
        _attach_answers(views, viewer)
    room.polls = views
    if plenary.showing == Plenary.Showing.POLL:
        room.shown = next((v for v in views if v.poll.pk == plenary.shown_poll_id), None)
    elif plenary.showing == Plenary.Showing.REPORT and plenary.shown_breakout_id:
        room.report = report_for(plenary.shown_breakout, names)
    elif plenary.showing == Plenary.Showing.IDEA and plenary.shown_idea_id:
        idea = plenary.shown_idea
        room.idea = idea if idea.status == Idea.Status.VISIBLE else None
        if room.idea is not None:
            give_sector_names([idea.author], names)
    elif plenary.showing == Plenary.Showing.FLOOR and plenary.shown_question_id:
        room.floor = shown_question(plenary, names)
    if plenary.shown_theme_id and audience in (SCREEN, FACILITATORS):
        room.theme = theme_for_screen(plenary.shown_theme_id, names)
    if audience == FACILITATORS:
        room.breakouts = list(
            Breakout.objects.filter(summit=summit)
            .select_related("subtheme", "spotlight__author")
            .annotate(outcome_count=Count("outcomes", distinct=True))
        )
    return room


def shown_question(plenary: Plenary, names: dict[str, str]) -> Question | None:
    """The question from the floor the panel is answering, as the big screen and the phones
    show it: its asker and how many support it, in one query."""
    question = (
        Question.objects.filter(pk=plenary.shown_question_id, status=Question.Status.ANSWERING)
        .select_related("author")
        .annotate(support=Count("supports"))
        .first()
    )
    if question is not None:
        give_sector_names([question.author], names)
    return question


def _attach_answers(views: list[PollView], viewer: Participant | None) -> None:
    """Each open poll's form, holding the viewer's answer if they have given one."""
    mine: dict[int, list[Answer]] = {}
    if viewer is not None:
        for answer in Answer.objects.filter(
            response__participant=viewer, response__poll__in=[v.poll for v in views]
        ).select_related("response"):
            mine.setdefault(answer.response.poll_id, []).append(answer)
    for view in views:
        answers = mine.get(view.poll.pk, [])
        view.answered = bool(answers)
        if view.poll.is_open:
            view.form = AnswerForm(view.poll, view.options, initial=initial_for(view.poll, answers))


def initial_for(poll: Poll, answers: list[Answer]) -> dict:
    """A form's initial values from a stored answer, so a person sees and can change it."""
    if poll.kind == Poll.Kind.CHOICE:
        chosen = [str(a.option_id) for a in answers]
        return {"choice": chosen if poll.multiple else (chosen[0] if chosen else None)}
    if poll.kind == Poll.Kind.RANKING:
        return {"ranking": [str(a.option_id) for a in sorted(answers, key=lambda a: a.value)]}
    if poll.rated:
        initial = {}
        for a in answers:
            initial[f"level-{a.option_id}"] = a.value
            initial[f"text-{a.option_id}"] = a.text
        return initial
    if poll.kind == Poll.Kind.WORDS:
        return {"word": [a.text for a in answers]}
    return {"text": answers[0].text if answers else ""}
