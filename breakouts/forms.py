from __future__ import annotations

from django import forms
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from breakouts.models import COMMENT_MAX_LENGTH, IDEA_MAX_LENGTH, Breakout, Outcome
from summit.event.agreement import Agreement

EXPIRED = _("This form has expired. Reload the page and try again")
ENTER_IDEA = _("Enter your idea")
IDEA_TOO_LONG = _("Your idea must be %(limit_value)d characters or fewer (it has %(show_value)d)")


def _token() -> forms.UUIDField:
    return forms.UUIDField(error_messages={"required": EXPIRED, "invalid": EXPIRED})


def _text(label, max_length: int, required, too_long, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        strip=True,
        error_messages={"required": required, "max_length": too_long},
        **kwargs,
    )


class IdeaForm(forms.Form):
    text = _text(_("Your idea"), IDEA_MAX_LENGTH, ENTER_IDEA, IDEA_TOO_LONG)
    anonymous = forms.BooleanField(label=_("Post without my name"), required=False)
    client_token = forms.UUIDField(
        error_messages={
            "required": _("This form has expired. Post your idea again"),
            "invalid": _("This form has expired. Post your idea again"),
        },
    )


class FirstThoughtForm(forms.Form):
    """A first thought on one of the summit's subthemes, written before the day."""

    subtheme = forms.ChoiceField(
        label=_("Which subtheme is it about?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select the subtheme your thought is about"),
            "invalid_choice": _("Select one of the subthemes listed"),
        },
    )
    text = forms.CharField(
        label=_("Your first thought"),
        max_length=IDEA_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Enter your first thought"),
            "max_length": _(
                "Your first thought must be %(limit_value)d characters or fewer "
                "(it has %(show_value)d)"
            ),
            "null_characters_not_allowed": _("Your first thought cannot contain null characters"),
        },
    )
    client_token = _token()

    def __init__(self, *args, subthemes: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subtheme"].choices = subthemes


class EditIdeaForm(forms.Form):
    text = _text(_("Your idea"), IDEA_MAX_LENGTH, ENTER_IDEA, IDEA_TOO_LONG)


class CommentForm(forms.Form):
    """A comment on ``idea``: its refusals name the idea, since they are shown by that idea's
    own box, one of many on the wall."""

    text = _text(
        _("Your comment"),
        COMMENT_MAX_LENGTH,
        _("Enter your comment"),
        _("Your comment must be %(limit_value)d characters or fewer (it has %(show_value)d)"),
    )
    anonymous = forms.BooleanField(required=False)
    client_token = _token()

    def __init__(self, *args, idea, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.idea_name = Truncator(idea.text).chars(60)
        # Only a message with values (the length's) is %-formatted: a % in the idea is doubled.
        named = self.idea_name.replace("%", "%%")
        self.fields["text"].error_messages = {
            "required": gettext("Enter your comment on “%(idea)s”") % {"idea": self.idea_name},
            "max_length": gettext(
                "Your comment on “%(idea)s” must be %%(limit_value)d characters or fewer "
                "(it has %%(show_value)d)"
            )
            % {"idea": named},
            "null_characters_not_allowed": gettext(
                "Your comment on “%(idea)s” held a character that cannot be stored, now taken "
                "out: check it and send it again"
            )
            % {"idea": named},
        }


class DotsForm(forms.Form):
    dots = forms.IntegerField(
        min_value=0,
        max_value=20,
        error_messages=dict.fromkeys(("invalid", "required"), _("Choose how many dots")),
    )


class RatingForm(forms.Form):
    level = forms.TypedChoiceField(
        choices=Agreement.choices,
        coerce=int,
        error_messages={
            "required": _("Choose how far you agree"),
            "invalid_choice": _("Choose one of the levels of agreement listed"),
        },
    )


def _minutes(required: bool = False) -> forms.IntegerField:
    return forms.IntegerField(
        label=_("Timer (minutes)"),
        min_value=1,
        max_value=180,
        required=required,
        error_messages={
            "invalid": _("Enter the timer as a whole number of minutes"),
            "min_value": _("A timer runs for 1 to 180 minutes"),
            "max_value": _("A timer runs for 1 to 180 minutes"),
            "required": _("Enter how many minutes the timer runs for"),
        },
    )


class PhaseForm(forms.Form):
    phase = forms.ChoiceField(
        choices=Breakout.Phase.choices,
        error_messages={
            "required": _("Choose the phase to move the group to"),
            "invalid_choice": _("Choose one of the phases listed"),
        },
    )
    minutes = _minutes()


class TimerForm(forms.Form):
    minutes = _minutes()


class PromptForm(forms.Form):
    prompt = forms.IntegerField(
        required=False, error_messages={"invalid": _("Choose one of the summit’s questions")}
    )


class VotingRulesForm(forms.Form):
    dot_budget = forms.IntegerField(
        label=_("Dots each person has"),
        min_value=1,
        max_value=20,
        error_messages=dict.fromkeys(("invalid", "required"), _("Enter a number of dots")),
    )
    max_dots_per_idea = forms.IntegerField(
        label=_("Most dots on one idea"),
        min_value=1,
        max_value=20,
        error_messages=dict.fromkeys(("invalid", "required"), _("Enter a number of dots")),
    )
    vote_display = forms.ChoiceField(
        label=_("Vote totals"),
        choices=Breakout.VoteDisplay.choices,
        error_messages={"invalid_choice": _("Choose when vote totals are shown")},
    )


class HideForm(forms.Form):
    reason = forms.CharField(
        max_length=200,
        strip=True,
        error_messages={
            "required": _("Give a reason for hiding the idea: the record shows it"),
            "max_length": _("The reason must be 200 characters or fewer"),
        },
    )


class MergeForm(forms.Form):
    into = forms.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        error_messages={
            "required": _("Enter the number of the idea to merge into"),
            "invalid": _("Enter the number of the idea to merge into, like 12"),
            "min_value": _("Enter the number of the idea to merge into, like 12"),
            "max_value": _("There is no idea with that number in this breakout"),
        },
    )


class ClusterForm(forms.Form):
    name = forms.CharField(
        max_length=120,
        strip=True,
        error_messages={
            "required": _("Enter a name for the cluster"),
            "max_length": _("The cluster name must be 120 characters or fewer"),
        },
    )


class ClusterIdeaForm(forms.Form):
    cluster = forms.IntegerField(
        required=False, error_messages={"invalid": _("Choose one of the clusters listed")}
    )


class SpotlightForm(forms.Form):
    idea = forms.IntegerField(required=False, error_messages={"invalid": _("Choose an idea")})


class OnBehalfForm(forms.Form):
    """An idea typed by a facilitator for someone in the room without a device."""

    text = _text(_("Their idea"), IDEA_MAX_LENGTH, ENTER_IDEA, IDEA_TOO_LONG)
    speaker = forms.CharField(
        max_length=40,
        error_messages={"required": _("Choose who said it: a member, or a sector")},
    )
    client_token = _token()

    def __init__(self, *args, members=(), sectors=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.members = {str(m.pk): m for m in members}
        # The summit's sectors anyone may be from now (``sector_choices``): not retired ones.
        self.sectors = {key for key, _ in sectors}

    def clean_speaker(self) -> tuple[str, object]:
        value = self.cleaned_data["speaker"]
        kind, _, key = value.partition(":")
        if kind == "member" and key in self.members:
            return ("member", self.members[key])
        if kind == "sector" and key in self.sectors:
            return ("sector", key)
        raise forms.ValidationError(
            gettext("Choose who said it: a member of the group, or a sector")
        )


class OutcomeForm(forms.Form):
    proposal = forms.CharField(
        label=_("What the group proposes"),
        max_length=1000,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Enter what the group proposes"),
            "max_length": _("The proposal must be 1000 characters or fewer"),
        },
    )
    who_should_act = forms.CharField(
        label=_("Who should act"),
        max_length=300,
        strip=True,
        error_messages={
            "required": _("Enter who should act on it"),
            "max_length": _("Who should act must be 300 characters or fewer"),
        },
    )
    horizon = forms.ChoiceField(
        label=_("When"),
        choices=Outcome.Horizon.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose now or longer term"),
            "invalid_choice": _("Choose now or longer term"),
        },
    )
    ideas = forms.TypedMultipleChoiceField(
        label=_("The ideas it draws on"),
        coerce=int,
        required=False,
        error_messages={"invalid_choice": _("Choose ideas from this group’s wall")},
    )

    def __init__(self, *args, idea_choices=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ideas"].choices = idea_choices


class RankByForm(forms.Form):
    rank_by = forms.ChoiceField(
        choices=Breakout.RankBy.choices,
        error_messages={
            "required": _("Choose how to order the ideas"),
            "invalid_choice": _("Choose how to order the ideas"),
        },
    )
