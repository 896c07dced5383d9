"""The run sheet's forms: a poll prepared before the day, and changes to one not yet opened.
They keep the console's rules for a poll (``plenary.poll_forms``): the question's length, how
many options each kind takes, written one per line, and the Welsh of each, optional."""

from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from plenary.models import LISTED_KINDS, Poll, PollOption
from plenary.poll_forms import (
    MAX_OPTIONS,
    option_lines,
    options_field,
    options_in_welsh,
    question_field,
    question_in_welsh,
)
from plenary.polls import (
    ASSUMPTIONS_QUESTION,
    ASSUMPTIONS_QUESTION_CY,
    CONSENSUS_QUESTION,
    CONSENSUS_QUESTION_CY,
    OBSTACLES_QUESTION,
    OBSTACLES_QUESTION_CY,
)
from summit.event.bilingual import text_in
from summit.event.models import AgendaItem

ASSUMPTIONS = "assumptions"
OBSTACLES = "obstacles"
CONSENSUS = "consensus"

# The three polls the summit's own material makes: (kind, source, allow_comment, question in
# English and in Welsh).
SPECIAL = {
    ASSUMPTIONS: (
        Poll.Kind.SCALE,
        Poll.Source.ASSUMPTIONS,
        True,
        (ASSUMPTIONS_QUESTION, ASSUMPTIONS_QUESTION_CY),
    ),
    OBSTACLES: (
        Poll.Kind.RANKING,
        Poll.Source.OBSTACLES,
        False,
        (OBSTACLES_QUESTION, OBSTACLES_QUESTION_CY),
    ),
    CONSENSUS: (
        Poll.Kind.CONSENSUS,
        Poll.Source.OWN,
        False,
        (CONSENSUS_QUESTION, CONSENSUS_QUESTION_CY),
    ),
}

KINDS = [
    (Poll.Kind.CHOICE, _("Multiple choice")),
    (Poll.Kind.SCALE, _("Agreement scale: statements each person agrees or disagrees with")),
    (Poll.Kind.RANKING, _("Ranking: items each person puts in order")),
    (Poll.Kind.WORDS, _("Word cloud")),
    (Poll.Kind.TEXT, _("Open text")),
    (ASSUMPTIONS, _("Assumptions check: the working assumptions on the agreement scale")),
    (OBSTACLES, _("Obstacles ranking: the obstacles, ranked")),
    (CONSENSUS, _("Consensus check: the breakouts’ outcomes, filled in on the day")),
]


def agenda_label(item: AgendaItem) -> str:
    """An agenda item as a list names it: its time and its title, in the reader's language."""
    title = text_in(item, "title")
    return f"{item.starts_at:%H:%M} {title}" if item.starts_at else title


def _agenda_item(agenda: list[AgendaItem]) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=_("Agenda item (optional)"),
        choices=[("", _("None")), *((str(item.pk), agenda_label(item)) for item in agenda)],
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": _("Choose one of the agenda items listed")},
    )


class RunSheetForm(forms.Form):
    """The fields every poll of the run sheet has; ``agenda`` is the summit's agenda."""

    def __init__(self, *args, agenda: list[AgendaItem], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.agenda = {item.pk: item for item in agenda}
        self.fields["agenda_item"] = _agenda_item(agenda)

    def chosen_agenda_item(self) -> AgendaItem | None:
        return self.agenda.get(self.cleaned_data.get("agenda_item"))


class PreparePollForm(RunSheetForm):
    """A new poll for the run sheet: one of the five kinds, or one of the three the summit's
    own material makes (its question may be left for the one they usually ask)."""

    kind = forms.ChoiceField(
        label=_("Kind of poll"),
        help_text=_(
            "The assumptions check and the obstacles ranking ask about the summit’s lists as "
            "they stand when the poll opens, in English and in Welsh. Leave their question "
            "empty to ask the usual one."
        ),
        choices=KINDS,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a kind of poll"),
            "invalid_choice": _("Choose one of the kinds listed"),
        },
    )
    question = question_field(required=False)
    question_cy = question_in_welsh()
    options = options_field(
        format_lazy(
            _("For multiple choice, ranking and agreement scales. Up to {most}."),
            most=MAX_OPTIONS,
        )
    )
    options_cy = options_in_welsh()
    multiple = forms.BooleanField(
        label=_("People may choose several answers (multiple choice)"), required=False
    )
    allow_comment = forms.BooleanField(
        label=_("People may add a challenge in their own words (agreement scale)"),
        required=False,
    )

    ask_again = forms.BooleanField(
        label=_("Ask again at the close, to see how views moved (agreement scale)"),
        help_text=_(
            "A closing round with the same statements goes at the end of the run sheet. "
            "Each person’s two answers are compared, and only totals are shown."
        ),
        required=False,
    )

    field_order = [
        "kind",
        "question",
        "question_cy",
        "options",
        "options_cy",
        "multiple",
        "allow_comment",
        "ask_again",
        "agenda_item",
    ]

    def clean(self):
        data = super().clean()
        chosen = data.get("kind")
        kind, source, comment, usual = SPECIAL.get(chosen, (chosen, Poll.Source.OWN, None, None))
        if data.get("ask_again") and chosen and kind != Poll.Kind.SCALE:
            self.add_error(
                "ask_again",
                _("Only an agreement scale or the assumptions check can be asked again"),
            )
        if chosen in SPECIAL:
            if not data.get("question") and not data.get("question_cy"):
                data["question"], data["question_cy"] = usual
            data["allow_comment"] = comment
            if not data.get("question") and "question" not in self.errors:
                self.add_error("question", _("Enter the question"))
        elif chosen and not data.get("question") and "question" not in self.errors:
            self.add_error("question", _("Enter the question"))
        lines, welsh = [], []
        if not source:
            lines, welsh = option_lines(
                self, kind, data.get("options", ""), data.get("options_cy", "")
            )
        data["prepared"] = {
            "kind": kind,
            "source": source,
            "question": data.get("question", ""),
            "question_cy": data.get("question_cy", ""),
            "options": lines,
            "options_cy": welsh,
            "multiple": data.get("multiple", False),
            "allow_comment": data.get("allow_comment", False),
            "ask_again": data.get("ask_again", False),
        }
        return data


class ChangePollForm(RunSheetForm):
    """A prepared poll's question, options (written by hand only), choices and agenda item;
    only the fields its kind has."""

    question = question_field()
    question_cy = question_in_welsh()
    options = options_field(
        format_lazy(
            _("For multiple choice, ranking and agreement scales. Up to {most}."),
            most=MAX_OPTIONS,
        )
    )
    options_cy = options_in_welsh()
    multiple = forms.BooleanField(label=_("People may choose several answers"), required=False)
    allow_comment = forms.BooleanField(
        label=_("People may add a challenge in their own words"), required=False
    )

    field_order = [
        "question",
        "question_cy",
        "options",
        "options_cy",
        "multiple",
        "allow_comment",
        "agenda_item",
    ]

    def __init__(self, *args, poll: Poll, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.poll = poll
        if poll.kind not in LISTED_KINDS or poll.source or poll.baseline_id:
            del self.fields["options"]
            del self.fields["options_cy"]
        if poll.kind != Poll.Kind.CHOICE:
            del self.fields["multiple"]
        if poll.kind != Poll.Kind.SCALE:
            del self.fields["allow_comment"]

    def clean(self):
        data = super().clean()
        lines, welsh = [], []
        if "options" in self.fields:
            lines, welsh = option_lines(
                self, self.poll.kind, data.get("options", ""), data.get("options_cy", "")
            )
        data["changed"] = {
            "question": data.get("question", ""),
            "question_cy": data.get("question_cy", ""),
            "options": lines,
            "options_cy": welsh,
            "multiple": data.get("multiple", False),
            "allow_comment": data.get("allow_comment", False),
        }
        return data


def initial_for(poll: Poll, options: list[PollOption]) -> dict:
    """The change form's fields as the poll has them now: the options' Welsh only when one
    has a Welsh version, so that saving leaves it as it is."""
    welsh = [option.text_cy for option in options]
    return {
        "question": poll.question,
        "question_cy": poll.question_cy,
        "options": "\n".join(option.text for option in options),
        "options_cy": "\n".join(welsh) if any(welsh) else "",
        "multiple": poll.multiple,
        "allow_comment": poll.allow_comment,
        "agenda_item": str(poll.agenda_item_id) if poll.agenda_item_id else "",
    }
