"""The moderators' forms for questions from the floor: a new session, a change to one, and
what some moves of a question need (the reason it is dismissed, the answer note, the question
a duplicate is merged into, a moderator's wording). Every value checked before a service
sees it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from plenary.models import (
    ANSWER_NOTE_MAX_LENGTH,
    DISMISS_REASON_MAX_LENGTH,
    FLOOR_QUESTION_MAX_LENGTH,
    SESSION_TITLE_MAX_LENGTH,
)
from summit.event.bilingual import text_in
from summit.event.models import AgendaItem, Summit

SESSION_CHANGES = {
    "open": {"state": "open"},
    "close": {"state": "closed"},
    "premoderate": {"premoderated": True},
    "publish-at-once": {"premoderated": False},
}


def _text(label, max_length: int, *, required, too_long) -> forms.CharField:
    """A text a moderator writes: ``required`` is what an empty one is told (or ``None``
    when it may be empty), ``too_long`` what one over ``max_length`` is."""
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required is not None,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": required,
            "max_length": too_long,
            "null_characters_not_allowed": _("Remove the null characters"),
        },
    )


class SessionForm(forms.Form):
    """A new session of questions from the floor."""

    title = forms.CharField(
        label=_("Title of the session"),
        max_length=SESSION_TITLE_MAX_LENGTH,
        strip=True,
        error_messages={
            "required": _("Enter a title for the session"),
            "max_length": _("The title must be %(limit_value)d characters or fewer"),
            "null_characters_not_allowed": _("Remove the null characters"),
        },
    )
    agenda_item = forms.ModelChoiceField(
        label=_("Agenda item (optional)"),
        queryset=AgendaItem.objects.none(),
        required=False,
        empty_label=_("None"),
        error_messages={"invalid_choice": _("Select one of the summit’s agenda items")},
    )
    premoderated = forms.BooleanField(
        label=_("Review each question before others see it"), required=False
    )

    def __init__(self, *args, summit: Summit, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = AgendaItem.objects.filter(summit=summit)
        self.fields["agenda_item"].label_from_instance = lambda item: text_in(item, "title")


class SessionChangeForm(forms.Form):
    change = forms.ChoiceField(
        choices=[(key, key) for key in SESSION_CHANGES],
        error_messages={
            "required": _("Choose a change to the session"),
            "invalid_choice": _("Choose a change to the session"),
        },
    )


class DismissForm(forms.Form):
    reason = _text(
        _("Why is it dismissed?"),
        DISMISS_REASON_MAX_LENGTH,
        required=_("Say why the question is dismissed"),
        too_long=_("The reason must be %(limit_value)d characters or fewer"),
    )


class AnsweredForm(forms.Form):
    note = _text(
        _("Answer note for the record (optional)"),
        ANSWER_NOTE_MAX_LENGTH,
        required=None,
        too_long=_("The answer note must be %(limit_value)d characters or fewer"),
    )


class EditForm(forms.Form):
    text = _text(
        _("The question’s words"),
        FLOOR_QUESTION_MAX_LENGTH,
        required=_("Enter the question"),
        too_long=_("The question must be %(limit_value)d characters or fewer"),
    )


def _listed(label: str, required: str) -> forms.IntegerField:
    """One of the questions a form lists, by its number."""
    listed = _("Choose one of the questions listed")
    return forms.IntegerField(
        label=label,
        min_value=1,
        error_messages={"required": required, "invalid": listed, "min_value": listed},
    )


class MergeForm(forms.Form):
    """The lanes' one merge form: the duplicate, and the question it is merged into, each
    chosen from the questions still to answer (read with access when the form is valid)."""

    question = _listed(_("The duplicate"), _("Choose the duplicate question"))
    into = _listed(_("Merge it into"), _("Choose the question to merge it into"))

    def clean(self) -> dict:
        data = super().clean()
        if data.get("question") and data.get("question") == data.get("into"):
            raise forms.ValidationError(_("Choose two different questions"))
        return data
