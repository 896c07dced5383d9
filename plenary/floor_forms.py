"""The forms on an attendee's phone for the questions from the floor: asking one, and
supporting one (or taking the support back). Every value checked before a service sees it,
with messages written for the person who sent it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from plenary.models import FLOOR_QUESTION_MAX_LENGTH

EXPIRED = _("This form has expired. Reload the page and ask your question again")


class AskForm(forms.Form):
    text = forms.CharField(
        label=_("Your question"),
        max_length=FLOOR_QUESTION_MAX_LENGTH,
        strip=True,
        error_messages={
            "required": _("Enter your question"),
            "max_length": _(
                "Your question must be %(limit_value)d characters or fewer (it has %(show_value)d)"
            ),
            "null_characters_not_allowed": _("Your question cannot contain null characters"),
        },
    )
    # Generated with the form, so a question sent twice (a retry, a double tap) is asked once.
    client_token = forms.UUIDField(error_messages={"required": EXPIRED, "invalid": EXPIRED})


class SupportForm(forms.Form):
    """ "1" to support the question, "0" to take the support back."""

    supported = forms.TypedChoiceField(
        choices=[("1", _("Support")), ("0", _("Take back support"))],
        coerce=lambda value: value == "1",
        error_messages={
            "required": _("Choose whether you support the question"),
            "invalid_choice": _("Choose whether you support the question"),
        },
    )
