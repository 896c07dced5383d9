"""The closing feedback form, after the GOV.UK pattern: every problem said in words by its
field, and what was typed kept."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.feedback import CHANGE_MAX_LENGTH, CHANGE_QUESTION, HEARD_QUESTION, USEFUL_QUESTION
from accounts.models import Feedback


class FeedbackForm(forms.Form):
    useful = forms.TypedChoiceField(
        label=USEFUL_QUESTION,
        choices=Feedback.Useful.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select how useful the day was for you"),
            "invalid_choice": _("Select how useful the day was for you"),
        },
    )
    heard = forms.TypedChoiceField(
        label=HEARD_QUESTION,
        choices=Feedback.Heard.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select how far you felt heard"),
            "invalid_choice": _("Select how far you felt heard"),
        },
    )
    change = forms.CharField(
        label=CHANGE_QUESTION,
        required=False,
        max_length=CHANGE_MAX_LENGTH,
        strip=True,
        help_text=_(
            "Optional. Organisers read this without your name or sector. Up to 2,000 characters."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "max_length": _("What should change must be 2,000 characters or fewer"),
        },
    )
