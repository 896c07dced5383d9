"""The forms of ideas alike (``breakouts.alike``): the look-up as an attendee types, and the
console's possible duplicates and suggested clusters."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from breakouts.models import CLUSTER_NAME_MAX_LENGTH


class LookupForm(forms.Form):
    """What an attendee has typed so far, to find ideas like it: never stored, and anything
    it cannot read finds nothing."""

    text = forms.CharField(required=False, strip=True)


class IdeaNumbers(forms.Field):
    """Ideas by their numbers, several of the same name (ticked boxes, hidden fields), as a
    list of ints: the service checks that each is this breakout's."""

    widget = forms.MultipleHiddenInput
    NUMBER = re.compile(r"[1-9][0-9]{0,9}")

    def to_python(self, value) -> list[int]:
        if value in self.empty_values:
            return []
        if not isinstance(value, list | tuple):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        numbers = []
        for one in value:
            if not isinstance(one, str) or not self.NUMBER.fullmatch(one) or int(one) >= 2**31:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            numbers.append(int(one))
        return numbers


def _idea_number(label: str) -> forms.IntegerField:
    said = _("Choose a pair from the list")
    return forms.IntegerField(
        label=label,
        min_value=1,
        max_value=2**31 - 1,
        error_messages=dict.fromkeys(("required", "invalid", "min_value", "max_value"), said),
    )


class PairForm(forms.Form):
    """A possible duplicate, as the console lists it: the two ideas' numbers."""

    first = _idea_number(_("One idea"))
    second = _idea_number(_("The other idea"))


class SuggestionForm(forms.Form):
    """A suggested cluster: its name, the ideas ticked, and the ideas it proposed (which a
    discard names, and a refusal draws again)."""

    name = forms.CharField(
        label=_("Name of the cluster"),
        max_length=CLUSTER_NAME_MAX_LENGTH,
        strip=True,
        required=False,
        error_messages={
            "max_length": _("The cluster name must be %(limit_value)d characters or fewer"),
            "null_characters_not_allowed": _("The cluster name cannot contain null characters"),
        },
    )
    ideas = IdeaNumbers(
        required=False,
        error_messages={"invalid": _("Tick ideas from the suggestion")},
    )
    proposal = IdeaNumbers(
        error_messages={
            "required": _("That suggestion is no longer offered: the list has been refreshed"),
            "invalid": _("That suggestion is no longer offered: the list has been refreshed"),
        },
    )
