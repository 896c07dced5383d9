"""The forms a poll is written with: the plenary console's new poll, and the rules the run
sheet's forms share with it (``plenary.run_sheet_forms``): the question's length, how many
options each kind takes, written one per line, and the Welsh version of each, optional, beside
the English."""

from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from plenary.models import LISTED_KINDS, OPTION_MAX_LENGTH, QUESTION_MAX_LENGTH, Poll

MAX_OPTIONS = 12


def question_field(*, required: bool = True) -> forms.CharField:
    """A poll's question."""
    return forms.CharField(
        label=_("Question"),
        max_length=QUESTION_MAX_LENGTH,
        required=required,
        strip=True,
        error_messages={
            "required": _("Enter the question"),
            "max_length": _("Keep the question to %(limit_value)d characters or fewer"),
        },
    )


def question_in_welsh() -> forms.CharField:
    """A poll's question in Welsh: optional, as long as the English may be."""
    return forms.CharField(
        label=_("Question in Welsh (optional)"),
        max_length=QUESTION_MAX_LENGTH,
        required=False,
        strip=True,
        error_messages={
            "max_length": _("The question in Welsh must be %(limit_value)d characters or fewer"),
        },
    )


def options_field(help_text) -> forms.CharField:
    """A poll's options, one a line, with ``help_text`` saying which kinds take them."""
    return _option_lines(_("Answers, items or statements, one per line"), help_text)


def options_in_welsh() -> forms.CharField:
    """A poll's options in Welsh: optional, one a line in the order of the English."""
    return _option_lines(
        _("Answers, items or statements in Welsh (optional), one per line"),
        _(
            "In the same order as the English, one line in Welsh for each line in English. "
            "Leave it empty to show the English to everyone."
        ),
    )


def _option_lines(label, help_text) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=MAX_OPTIONS * (OPTION_MAX_LENGTH + 1),
        error_messages={
            "max_length": format_lazy(
                _("Keep to {most} lines of up to {longest} characters each"),
                most=MAX_OPTIONS,
                longest=OPTION_MAX_LENGTH,
            )
        },
    )


class NewPollForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of poll"),
        choices=[(k, label) for k, label in Poll.Kind.choices if k != Poll.Kind.CONSENSUS],
        error_messages={
            "required": _("Choose a kind of poll"),
            "invalid_choice": _("Choose one of the kinds listed"),
        },
    )
    question = question_field()
    question_cy = question_in_welsh()
    options = options_field(
        format_lazy(
            _(
                "For multiple choice, ranking and agreement scales. Not needed for a word cloud "
                "or open text. Up to {most}."
            ),
            most=MAX_OPTIONS,
        )
    )
    options_cy = options_in_welsh()
    multiple = forms.BooleanField(label=_("People may choose several answers"), required=False)
    allow_comment = forms.BooleanField(
        label=_("People may add a challenge in their own words"), required=False
    )

    def clean(self):
        data = super().clean()
        data["option_lines"], data["option_lines_cy"] = option_lines(
            self, data.get("kind"), data.get("options", ""), data.get("options_cy", "")
        )
        return data


def _lines(text: str) -> list[str]:
    """Each line of ``text`` with its spaces tidied, blank lines dropped."""
    lines = (" ".join(line.split()) for line in text.splitlines())
    return [line for line in lines if line]


def option_lines(
    form: forms.Form, kind: str | None, text: str, welsh: str = ""
) -> tuple[list[str], list[str]]:
    """The options written one per line in ``form``'s field "options", and their Welsh
    versions from its field "options_cy": spaces tidied, blank lines and repeats dropped (a
    repeat with its Welsh), and an error on the field when the kind needs more or fewer, or
    when the Welsh, given, is not one line for each line of the English. With no Welsh, the
    second list is empty."""
    if kind not in LISTED_KINDS:
        return [], []
    english, in_welsh = _lines(text), _lines(welsh)
    if in_welsh and english and len(in_welsh) != len(english):
        form.add_error("options_cy", _welsh_count_error(len(english), len(in_welsh)))
        in_welsh = []
    paired = {}
    for n, line in enumerate(english):
        paired.setdefault(line, in_welsh[n] if in_welsh else "")
    lines = list(paired)
    least = 1 if kind == Poll.Kind.SCALE else 2
    if len(lines) < least:
        form.add_error(
            "options",
            gettext("Give at least one statement, one per line")
            if kind == Poll.Kind.SCALE
            else gettext("Give at least two answers or items, one per line"),
        )
    elif len(lines) > MAX_OPTIONS:
        form.add_error(
            "options", gettext("Give at most %(most)d, one per line") % {"most": MAX_OPTIONS}
        )
    elif any(len(line) > OPTION_MAX_LENGTH for line in lines):
        form.add_error(
            "options",
            gettext("Keep each line to %(most)d characters or fewer") % {"most": OPTION_MAX_LENGTH},
        )
    if any(len(line) > OPTION_MAX_LENGTH for line in in_welsh):
        form.add_error(
            "options_cy",
            gettext("Keep each line in Welsh to %(most)d characters or fewer")
            % {"most": OPTION_MAX_LENGTH},
        )
    return lines, list(paired.values()) if in_welsh else []


def _welsh_count_error(count: int, given: int) -> str:
    return ngettext(
        "Give %(count)d line in Welsh, for the %(count)d line in English, or leave the Welsh "
        "empty: there are %(given)d",
        "Give %(count)d lines in Welsh, one for each line in English in the same order, or "
        "leave the Welsh empty: there are %(given)d",
        count,
    ) % {"count": count, "given": given}
