"""The form of a follow-up action, after the GOV.UK pattern: every problem said in words by
its field, and what was typed kept."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from breakouts.models import ACTION_NOTES_MAX_LENGTH, ACTION_OWNER_MAX_LENGTH, Action


class ActionForm(forms.Form):
    owner = forms.CharField(
        label=_("Who is to act"),
        help_text=_("A person or an organisation."),
        max_length=ACTION_OWNER_MAX_LENGTH,
        strip=True,
        error_messages={
            "required": _("Say who is to act: a person or an organisation"),
            "max_length": _("Who is to act must be %(limit_value)d characters or fewer"),
        },
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=Action.Status.choices,
        initial=Action.Status.PROPOSED,
        error_messages={
            "required": _("Choose the action’s status"),
            "invalid_choice": _("Choose the action’s status from the list"),
        },
    )
    due_on = forms.DateField(
        label=_("Due date (optional)"),
        required=False,
        help_text=_("For example, 2026-09-30."),
        widget=forms.DateInput(attrs={"type": "date"}),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"invalid": _("Enter the due date as a real date, like 2026-09-30")},
    )
    notes = forms.CharField(
        label=_("Notes (optional)"),
        required=False,
        max_length=ACTION_NOTES_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": _("The notes must be %(limit_value)d characters or fewer"),
        },
    )

    def __init__(self, *args, action: Action | None = None, **kwargs):
        if action is not None:
            kwargs.setdefault(
                "initial",
                {
                    "owner": action.owner,
                    "status": action.status,
                    "due_on": action.due_on,
                    "notes": action.notes,
                },
            )
        super().__init__(*args, **kwargs)
