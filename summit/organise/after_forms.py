"""The organisers' choice of what participants see after the day, after the GOV.UK pattern."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from summit.event.models import Summit


class SharedAfterForm(forms.Form):
    shared_after = forms.ChoiceField(
        label=_("What participants see on their “what we did” page"),
        choices=Summit.SharedAfter.choices,
        widget=forms.RadioSelect,
        help_text=_("Everyone always sees their own contributions."),
        error_messages={
            "required": _("Choose what participants see after the day"),
            "invalid_choice": _("Choose what participants see after the day"),
        },
    )
