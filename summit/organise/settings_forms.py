"""The form of the summit's own settings, after the GOV.UK pattern: every problem said in
words by its field, and what was typed kept."""

from __future__ import annotations

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from summit.event.models import Summit
from summit.organise.summit_settings import (
    DOT_BUDGET_MAX,
    DOT_BUDGET_MIN,
    SUPERMAJORITY_MAX,
    SUPERMAJORITY_MIN,
    known_time_zone,
)

WELCOME_MAX_LENGTH = 20_000
SUMMARY_MAX_LENGTH = 20_000
WELCOME_HELP = _(
    "What attendees read first on the summit’s home page. You can use Markdown: **bold**, a "
    "line starting “- ” for a list, [words](https://example.org) for a link."
)


def _between(refusal: str, low: int, high: int) -> str:
    return str(refusal) % {"low": low, "high": high}


def _whole_number(label: str, low: int, high: int, refusal: str, **kwargs) -> forms.IntegerField:
    """A number typed into a text box (GOV.UK's advice: a number input rounds and scrolls),
    refused outside ``low`` to ``high`` with ``refusal`` (which names both): put into words
    as each form is shown, in its reader's language."""
    between = lazy(_between, str)(refusal, low, high)
    return forms.IntegerField(
        label=label,
        min_value=low,
        max_value=high,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": between,
            "invalid": between,
            "min_value": between,
            "max_value": between,
        },
        **kwargs,
    )


class SettingsForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        strip=True,
        error_messages={
            "required": _("Enter a title for the summit"),
            "max_length": _("The title must be 200 characters or fewer"),
        },
    )
    title_cy = forms.CharField(
        label=_("Title in Welsh (optional)"),
        max_length=200,
        required=False,
        strip=True,
        widget=forms.TextInput(attrs={"lang": "cy"}),
        error_messages={"max_length": _("The title in Welsh must be 200 characters or fewer")},
    )
    central_question = forms.CharField(
        label=_("Central question"),
        max_length=1000,
        strip=True,
        help_text=_("The question the whole day works on. The big screen shows it."),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Enter the summit’s central question"),
            "max_length": _("The question must be 1000 characters or fewer"),
        },
    )
    central_question_cy = forms.CharField(
        label=_("Central question in Welsh (optional)"),
        max_length=1000,
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3, "lang": "cy"}),
        error_messages={
            "max_length": _("The question in Welsh must be 1000 characters or fewer"),
        },
    )
    summary = forms.CharField(
        label=_("Summary (optional)"),
        max_length=SUMMARY_MAX_LENGTH,
        required=False,
        strip=True,
        help_text=_("What the summit is about and why it matters, in a few sentences."),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": _("The summary must be %(limit_value)d characters or fewer"),
        },
    )
    summary_cy = forms.CharField(
        label=_("Summary in Welsh (optional)"),
        max_length=SUMMARY_MAX_LENGTH,
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 4, "lang": "cy"}),
        error_messages={
            "max_length": _("The summary in Welsh must be %(limit_value)d characters or fewer"),
        },
    )
    date = forms.DateField(
        label=_("Date (optional)"),
        required=False,
        help_text=_("For example, 2026-12-03."),
        widget=forms.DateInput(attrs={"type": "date"}),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"invalid": _("Enter a real date, like 2026-12-03")},
    )
    venue = forms.CharField(
        label=_("Venue (optional)"),
        max_length=200,
        required=False,
        strip=True,
        error_messages={"max_length": _("The venue must be 200 characters or fewer")},
    )
    time_zone = forms.CharField(
        label=_("Time zone"),
        max_length=64,
        strip=True,
        help_text=_(
            "The agenda’s times are in this zone. Type a place, like Europe/London or "
            "America/New_York, and choose from the suggestions."
        ),
        widget=forms.TextInput(
            attrs={"list": "time-zones", "autocomplete": "off", "spellcheck": "false"}
        ),
        error_messages={
            "required": _("Enter a time zone, like Europe/London"),
            "max_length": _("Enter a time zone from the suggestions, like Europe/London"),
        },
    )
    welcome = forms.CharField(
        label=_("Welcome (optional)"),
        max_length=WELCOME_MAX_LENGTH,
        required=False,
        strip=True,
        help_text=WELCOME_HELP,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "max_length": _("The welcome must be %(limit_value)d characters or fewer"),
        },
    )
    welcome_cy = forms.CharField(
        label=_("Welcome in Welsh (optional)"),
        max_length=WELCOME_MAX_LENGTH,
        required=False,
        strip=True,
        help_text=WELCOME_HELP,
        widget=forms.Textarea(attrs={"rows": 8, "lang": "cy"}),
        error_messages={
            "max_length": _("The welcome in Welsh must be %(limit_value)d characters or fewer"),
        },
    )
    dot_budget = _whole_number(
        _("Dots each person has in a new breakout"),
        DOT_BUDGET_MIN,
        DOT_BUDGET_MAX,
        _("Enter a number of dots from %(low)d to %(high)d"),
        help_text=_("Facilitators can change it for their own breakout."),
    )
    allow_anonymous = forms.BooleanField(
        label=_("Let attendees take part anonymously (the record shows only their sector)"),
        required=False,
    )
    supermajority = _whole_number(
        _("Supermajority, in per cent"),
        SUPERMAJORITY_MIN,
        SUPERMAJORITY_MAX,
        _("Enter a share in per cent from %(low)d to %(high)d"),
        help_text=_(
            "The share of support a proposal needs to pass under the supermajority rule. "
            "75 means three in every four."
        ),
    )

    big_screen_languages = forms.ChoiceField(
        label=_("How the big screens show the summit’s words"),
        help_text=_(
            "Side by side, every big screen shows the summit’s title, questions and polls, and "
            "the screen’s own headings, in English and in Welsh. People’s ideas and questions "
            "are shown once, as they wrote them."
        ),
        choices=Summit.BigScreenLanguages.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how the big screens show the summit’s words"),
            "invalid_choice": _("Choose one of the ways listed to show the summit’s words"),
        },
    )

    def clean_time_zone(self) -> str:
        name = known_time_zone(self.cleaned_data["time_zone"])
        if name is None:
            raise forms.ValidationError(
                _("Enter a time zone from the suggestions, like Europe/London")
            )
        return name
