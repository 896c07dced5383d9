"""The forms of the breakouts set-up page: how many groups on a subtheme, a group's name, and
a facilitator for a group. Many of each are on the page at once, so each is told which
subtheme or group it is for (``auto_id``), and its ids stay unique."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Participant
from summit.organise.groups import MOST_GROUPS, NAME_MAX_LENGTH


def _ids(kind: str, pk: int) -> str:
    return f"id_{kind}-{pk}-%s"


class GroupCountForm(forms.Form):
    groups = forms.IntegerField(
        label=_("Groups on this subtheme"),
        min_value=1,
        max_value=MOST_GROUPS,
        widget=forms.NumberInput(attrs={"class": "input input--short", "inputmode": "numeric"}),
        error_messages={
            "required": _("Enter how many groups work on this subtheme"),
            "invalid": _("Enter the number of groups as a whole number, like 3"),
            "min_value": _("There must be at least 1 group on a subtheme"),
            "max_value": _("There can be at most %(limit_value)s groups on a subtheme"),
        },
    )

    def __init__(self, *args, subtheme_id: int, **kwargs) -> None:
        super().__init__(*args, auto_id=_ids("groups", subtheme_id), **kwargs)


class RenameBreakoutForm(forms.Form):
    name = forms.CharField(
        label=_("New name"),
        max_length=NAME_MAX_LENGTH,
        strip=True,
        widget=forms.TextInput(attrs={"class": "input"}),
        error_messages={
            "required": _("Enter a name for the group"),
            "max_length": _("The name must be %(limit_value)d characters or fewer"),
            "null_characters_not_allowed": _("Enter the name without the null character"),
        },
    )

    def __init__(self, *args, breakout_id: int, **kwargs) -> None:
        super().__init__(*args, auto_id=_ids("name", breakout_id), **kwargs)


class FacilitatorForm(forms.Form):
    """A person to facilitate the group, chosen from ``people`` (the summit's facilitators
    and organisers not yet facilitating it), read once for every group on the page."""

    person = forms.ChoiceField(
        label=_("Add a facilitator"),
        error_messages={
            "required": _("Choose who is to facilitate the group"),
            "invalid_choice": _("Choose one of the facilitators and organisers listed"),
        },
    )

    def __init__(self, *args, breakout_id: int, people: list[Participant], **kwargs) -> None:
        super().__init__(*args, auto_id=_ids("facilitator", breakout_id), **kwargs)
        self.offer(people)

    def offer(self, people: list[Participant]) -> None:
        """The people to choose from, each shown by its ``facilitator_label``."""
        self.people = {str(p.pk): p for p in people}
        self.fields["person"].choices = [
            ("", _("Choose a person")),
            *(
                (pk, getattr(p, "facilitator_label", p.attribution))
                for pk, p in self.people.items()
            ),
        ]

    @property
    def chosen(self) -> Participant:
        return self.people[self.cleaned_data["person"]]
