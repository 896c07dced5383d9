"""The forms of the synthesis pages: a theme (added, or renamed and described), the theme a
cluster or outcome is mapped to, and a synthesis lead. Several of a kind are on a page at
once, so each is told what it is for (``auto_id``) and its ids stay unique."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Participant
from summit.synthesis.models import THEME_DESCRIPTION_MAX_LENGTH, THEME_NAME_MAX_LENGTH
from summit.synthesis.services import NEW


def _ids(kind: str, pk: int | str) -> str:
    return f"id_{kind}-{pk}-%s"


class ThemeForm(forms.Form):
    """A theme's name and description: a new theme (``pk`` "new"), or one changed."""

    name = forms.CharField(
        label=_("Theme"),
        max_length=THEME_NAME_MAX_LENGTH,
        strip=True,
        widget=forms.TextInput(attrs={"class": "input", "autocomplete": "off"}),
        error_messages={
            "required": _("Enter a name for the theme"),
            "max_length": _("The theme’s name must be %(limit_value)d characters or fewer"),
            "null_characters_not_allowed": _("Enter the name without the null character"),
        },
    )
    description = forms.CharField(
        label=_("Short description (optional)"),
        max_length=THEME_DESCRIPTION_MAX_LENGTH,
        required=False,
        strip=True,
        widget=forms.TextInput(attrs={"class": "input", "autocomplete": "off"}),
        error_messages={
            "max_length": _("The description must be %(limit_value)d characters or fewer"),
            "null_characters_not_allowed": _("Enter the description without the null character"),
        },
    )

    def __init__(self, *args, pk: int | str = "new", **kwargs) -> None:
        super().__init__(*args, auto_id=_ids("theme", pk), **kwargs)


class NewThemeForm(ThemeForm):
    """A new theme, with the token that makes a retried post find the theme it made."""

    client_token = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Reload the page and add the theme again"),
            "invalid": _("Reload the page and add the theme again"),
        },
    )


class MapForm(forms.Form):
    """The theme a cluster or outcome goes in: a theme's number, or "new" for a theme made
    from a cluster's name."""

    theme = forms.CharField(
        label=_("Or choose a theme"),
        max_length=20,
        error_messages={
            "required": _("Choose a theme"),
            "max_length": _("Choose one of the themes listed"),
            "null_characters_not_allowed": _("Choose one of the themes listed"),
        },
    )

    def __init__(self, *args, key: str = "item", **kwargs) -> None:
        super().__init__(*args, auto_id=_ids("map", key), **kwargs)

    def clean_theme(self) -> int | str:
        chosen = self.cleaned_data["theme"].strip()
        if chosen == NEW:
            return NEW
        if not chosen.isascii() or not chosen.isdigit() or not 0 < int(chosen) < 2**63:
            raise forms.ValidationError(_("Choose one of the themes listed"))
        return int(chosen)


class LeadForm(forms.Form):
    """A facilitator to name a synthesis lead, from those who are not yet."""

    person = forms.ChoiceField(
        label=_("Name a facilitator as a synthesis lead"),
        error_messages={
            "required": _("Choose who is to lead the synthesis"),
            "invalid_choice": _("Choose one of the facilitators listed"),
        },
    )

    def __init__(self, *args, people: list[Participant], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.people = {str(p.pk): p for p in people}
        self.fields["person"].choices = [
            ("", _("Choose a facilitator")),
            *((pk, p.attribution) for pk, p in self.people.items()),
        ]

    @property
    def chosen(self) -> Participant:
        return self.people[self.cleaned_data["person"]]
