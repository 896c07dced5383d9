"""Answers to polls, and the plenary console's forms (a new poll's is in
``plenary.poll_forms``): every value checked before a service sees it, with messages written
for the person who sent it."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from plenary.models import (
    MESSAGE_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    WORD_MAX_LENGTH,
    WORDS_PER_ANSWER,
    Plenary,
    Poll,
    PollOption,
)
from summit.event.agreement import Agreement

SCALE = [
    (5, _("Strongly agree")),
    (4, _("Agree")),
    (3, _("Neither agree nor disagree")),
    (2, _("Disagree")),
    (1, _("Strongly disagree")),
]


def lazy_levels_for(poll: Poll) -> list[tuple[int, Promise]]:
    """The gradient a rated poll's statements are placed on, strongest first, each level's
    name put into words only when it is drawn: for what is pushed to every screen."""
    return Agreement.choices if poll.kind == Poll.Kind.CONSENSUS else SCALE


def levels_for(poll: Poll) -> list[tuple[int, str]]:
    """The gradient a rated poll's statements are placed on, strongest first, each level's
    name in the language in use."""
    return [(value, str(label)) for value, label in lazy_levels_for(poll)]


@dataclass(frozen=True)
class Part:
    """One part of an answer, as stored: see ``Answer``."""

    option_id: int | None = None
    value: int | None = None
    text: str = ""


# What a text field is told, by what the text is: a reason for a block, a challenge to a
# statement, or an answer in the person's own words.
TEXT_ERRORS = {
    "reason": {
        "required": _("Enter your reason"),
        "max_length": _(
            "Your reason must be %(limit_value)d characters or fewer (it has %(show_value)d)"
        ),
    },
    "challenge": {
        "required": _("Enter your challenge"),
        "max_length": _(
            "Your challenge must be %(limit_value)d characters or fewer (it has %(show_value)d)"
        ),
    },
    "answer": {
        "required": _("Enter your answer"),
        "max_length": _(
            "Your answer must be %(limit_value)d characters or fewer (it has %(show_value)d)"
        ),
    },
}


def _text(max_length: int, noun: str, *, required: bool = False) -> forms.CharField:
    return forms.CharField(
        max_length=max_length,
        required=required,
        strip=True,
        error_messages=TEXT_ERRORS[noun],
    )


class AnswerForm(forms.Form):
    """An answer to one poll, whatever its kind; ``parts`` holds it once valid.

    Field names are the same for every poll of a kind, so the page can keep what was typed:
    ``choice`` (one or several option ids), ``ranking`` (every option id, first to last),
    ``level-<option>`` and ``text-<option>`` (a statement's level, and a challenge or reason),
    ``word`` (up to three), and ``text``.
    """

    def __init__(self, poll: Poll, options: list[PollOption], *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.poll = poll
        self.options = options
        self.parts: list[Part] = []
        ids = [(str(o.pk), o.text) for o in options]
        kind = poll.kind
        if kind == Poll.Kind.CHOICE:
            field = forms.MultipleChoiceField if poll.multiple else forms.ChoiceField
            self.fields["choice"] = field(
                choices=ids,
                error_messages={
                    "required": _("Choose an answer")
                    if not poll.multiple
                    else _("Choose one or more"),
                    "invalid_choice": _("Choose from the answers listed"),
                },
            )
        elif kind == Poll.Kind.RANKING:
            self.fields["ranking"] = forms.MultipleChoiceField(
                choices=ids,
                error_messages={
                    "required": _("Put the items in order"),
                    "invalid_choice": _("Rank only the items listed"),
                },
            )
        elif poll.rated:
            noun = "reason" if kind == Poll.Kind.CONSENSUS else "challenge"
            for option in options:
                self.fields[f"level-{option.pk}"] = forms.TypedChoiceField(
                    choices=levels_for(poll),
                    coerce=int,
                    required=False,
                    empty_value=None,
                    error_messages={"invalid_choice": _("Choose one of the positions listed")},
                )
                if kind == Poll.Kind.CONSENSUS or poll.allow_comment:
                    self.fields[f"text-{option.pk}"] = _text(TEXT_MAX_LENGTH, noun)
        elif kind == Poll.Kind.WORDS:
            self.fields["word"] = forms.CharField(required=False)
        else:
            self.fields["text"] = _text(TEXT_MAX_LENGTH, "answer", required=True)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        kind = self.poll.kind
        if kind == Poll.Kind.CHOICE:
            chosen = self.data.getlist("choice") if hasattr(self.data, "getlist") else []
            if not self.poll.multiple and len(chosen) > 1:
                raise forms.ValidationError(_("Choose only one answer"), code="one")
            picked = data["choice"] if self.poll.multiple else [data["choice"]]
            self.parts = [Part(option_id=int(pk)) for pk in dict.fromkeys(picked)]
        elif kind == Poll.Kind.RANKING:
            order = data["ranking"]
            if sorted(order) != sorted(str(o.pk) for o in self.options):
                raise forms.ValidationError(_("Rank every item once, and only once"), code="perm")
            self.parts = [
                Part(option_id=int(pk), value=place) for place, pk in enumerate(order, start=1)
            ]
        elif self.poll.rated:
            self._clean_rated(data)
        elif kind == Poll.Kind.WORDS:
            self._clean_words()
        else:
            self.parts = [Part(text=data["text"])]
        return data

    def _clean_rated(self, data) -> None:
        consensus = self.poll.kind == Poll.Kind.CONSENSUS
        for n, option in enumerate(self.options, start=1):
            level = data.get(f"level-{option.pk}")
            text = data.get(f"text-{option.pk}", "")
            if level is None:
                if text:
                    self.add_error(
                        f"level-{option.pk}",
                        gettext(
                            "Choose your position on statement %(number)d as well as writing "
                            "about it"
                        )
                        % {"number": n},
                    )
                continue
            if consensus and level == Agreement.BLOCK and not text:
                self.add_error(
                    f"text-{option.pk}",
                    gettext("Say why you block proposal %(number)d") % {"number": n},
                )
                continue
            self.parts.append(Part(option_id=option.pk, value=level, text=text))
        if not self.parts and not self.errors:
            raise forms.ValidationError(
                _("Choose your position on at least one statement"), code="none"
            )

    def _clean_words(self) -> None:
        raw = self.data.getlist("word") if hasattr(self.data, "getlist") else []
        words = [" ".join(w.split()) for w in raw if w.strip()]
        if any(not w.isprintable() for w in words):
            self.add_error("word", _("Use letters, numbers and punctuation only"))
        elif len(raw) > WORDS_PER_ANSWER:
            self.add_error(
                "word",
                gettext("Give at most %(most)d words or short phrases")
                % {"most": WORDS_PER_ANSWER},
            )
        elif not words:
            self.add_error("word", _("Enter a word or a short phrase"))
        elif any(len(w) > WORD_MAX_LENGTH for w in words):
            self.add_error(
                "word",
                gettext("Keep each word or phrase to %(most)d characters or fewer")
                % {"most": WORD_MAX_LENGTH},
            )
        else:
            # One person counts once for a word, however they cased it.
            unique = {}
            for word in words:
                unique.setdefault(word.casefold(), word)
            self.parts = [Part(text=w) for w in unique.values()]

    def first_error(self) -> str:
        for errors in self.errors.values():
            return errors[0]
        return ""


class ShowForm(forms.Form):
    """What the big screen shows: the kind, and the poll, breakout, idea or message."""

    showing = forms.ChoiceField(
        choices=Plenary.Showing.choices,
        error_messages={
            "required": _("Choose what the big screen shows"),
            "invalid_choice": _("Choose one of the things the big screen can show"),
        },
    )
    poll = forms.IntegerField(required=False, min_value=1)
    breakout = forms.IntegerField(required=False, min_value=1)
    idea = forms.IntegerField(required=False, min_value=1)
    message = forms.CharField(
        max_length=MESSAGE_MAX_LENGTH,
        required=False,
        strip=True,
        error_messages={"max_length": _("Keep the message to %(limit_value)d characters or fewer")},
    )


class ThemeChoiceForm(forms.Form):
    """A theme across rooms to put on the big screen."""

    theme = forms.IntegerField(
        min_value=1,
        max_value=2**63 - 1,
        error_messages={
            "required": _("Choose a theme to put on the big screen"),
            "invalid": _("Choose one of this summit’s themes"),
            "min_value": _("Choose one of this summit’s themes"),
            "max_value": _("Choose one of this summit’s themes"),
        },
    )


class AgendaForm(forms.Form):
    item = forms.IntegerField(
        required=False,
        min_value=1,
        error_messages={"invalid": _("Choose an item of the agenda")},
    )
