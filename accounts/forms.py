from __future__ import annotations

from django import forms
from django.contrib.auth import authenticate, password_validation
from django.utils.translation import gettext_lazy as _

from accounts.models import Invite, User
from summit.event.models import Summit
from summit.event.sectors import sectors_of
from summit.web.forms import plain_text_field


def sectors_offered(summit: Summit, current: str = "") -> list[tuple[str, str]]:
    """The sectors a person may choose at the summit, in its order: those not retired, and
    the person's ``current`` one even if it has been retired since, so that a form about
    someone already in it shows it as theirs and saving it keeps it. One query."""
    return [
        (sector.key, sector.name)
        for sector in sectors_of(summit)
        if sector.retired_at is None or (current and sector.key == current)
    ]


def sector_field(label: str, required_message: str) -> forms.ChoiceField:
    """The summit's sectors as radios, given to the form as ``sectors`` (``sectors_offered``):
    nothing outside them is accepted."""
    return forms.ChoiceField(
        label=label,
        widget=forms.RadioSelect,
        error_messages={
            "required": required_message,
            "invalid_choice": "Select one of the sectors listed",
        },
    )


NO_PREFERENCE = ""


def subthemes_offered(summit: Summit) -> list[tuple[str, str]]:
    """The subthemes a person may say they would prefer, with "no preference" first. One
    query."""
    offered = [(NO_PREFERENCE, str(_("No preference")))]
    return offered + [
        (str(s.pk), s.title) for s in summit.subthemes.filter(retired_at__isnull=True)
    ]


def preference_field() -> forms.ChoiceField:
    """Which subtheme the person would rather work on, given to the form as ``subthemes``
    (``subthemes_offered``); optional."""
    return forms.ChoiceField(
        label=_("Which subtheme would you prefer to work on? (optional)"),
        required=False,
        widget=forms.RadioSelect,
        help_text=_(
            "Groups are mixed across sectors first, so you may be placed in another. Read "
            "the subthemes in the pre-reading."
        ),
        error_messages={"invalid_choice": _("Select one of the subthemes listed")},
    )


class PreferenceForm(forms.Form):
    """A person's preferred subtheme, changed on the summit's home page."""

    preferred_subtheme = preference_field()

    def __init__(self, *args, subthemes: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["preferred_subtheme"].choices = subthemes

    @property
    def preferred_subtheme_id(self) -> int | None:
        chosen = self.cleaned_data.get("preferred_subtheme")
        return int(chosen) if chosen else None


class JoinCodeForm(forms.Form):
    code = forms.CharField(
        label="Join code",
        max_length=20,
        strip=True,
        help_text="The 6 letters and numbers on the screen or in your invitation, like K7QM2X.",
        error_messages={
            "required": "Enter the join code",
            "max_length": "A join code is 6 letters and numbers, like K7QM2X",
        },
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class JoinForm(forms.Form):
    """What an attendee tells the summit about themselves."""

    NAMED, ANONYMOUS = "named", "anonymous"

    display_name = plain_text_field(
        "Name",
        80,
        help_text="As you would like other people in your group to see it.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    organisation = plain_text_field(
        "Organisation",
        120,
        required=False,
        help_text="Optional. Leave this empty if you are taking part as a resident.",
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    sector = sector_field("Which sector are you here from?", "Select the sector you are here from")
    attribution = forms.ChoiceField(
        label="How may the summit record name you?",
        choices=[
            (NAMED, "Name me with my organisation"),
            (ANONYMOUS, "Keep me anonymous: show only my sector"),
        ],
        widget=forms.RadioSelect,
        help_text="Anonymous contributions still count; nobody else sees who made them.",
        error_messages={
            "required": "Select how the record may name you",
            "invalid_choice": "Select one of the options listed",
        },
    )
    preferred_subtheme = preference_field()
    join_token = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={
            "required": "This form has expired. Fill it in again",
            "invalid": "This form has expired. Fill it in again",
        },
    )

    def __init__(
        self,
        *args,
        sectors: list[tuple[str, str]],
        allow_anonymous: bool = True,
        subthemes: list[tuple[str, str]] | None = None,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = sectors
        if not allow_anonymous:
            del self.fields["attribution"]
        # Asked only where there is a choice to make.
        if subthemes is None or len(subthemes) < 3:
            del self.fields["preferred_subtheme"]
        else:
            self.fields["preferred_subtheme"].choices = subthemes

    @property
    def preferred_subtheme_id(self) -> int | None:
        chosen = self.cleaned_data.get("preferred_subtheme")
        return int(chosen) if chosen else None

    @property
    def anonymous(self) -> bool:
        return self.cleaned_data.get("attribution") == self.ANONYMOUS


class SignInForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label="Password",
        max_length=200,
        strip=False,
        error_messages={"required": "Enter your password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, request=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.user = None

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        self.user = authenticate(
            self.request, username=cleaned["email"], password=cleaned["password"]
        )
        if self.user is None:
            # The same words whether the email is unknown or the password wrong.
            raise forms.ValidationError("Enter a correct email address and password")
        return cleaned


class InviteForm(forms.Form):
    email = forms.EmailField(
        label="Their email address",
        max_length=254,
        help_text="The invitation link is sent here. It works once, for 7 days.",
        error_messages={
            "required": "Enter the email address to send the invitation to",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    role = forms.ChoiceField(
        label="Invite them as",
        choices=Invite.ROLES,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the role to invite them as",
            "invalid_choice": "Select one of the roles listed",
        },
    )


class StaffDetailsForm(forms.Form):
    """Who a newly invited facilitator or organiser is, and a password for signing in."""

    first_name = plain_text_field(
        "First name", 60, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = plain_text_field(
        "Last name", 60, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    organisation = plain_text_field(
        "Organisation",
        120,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    sector = sector_field("Sector", "Select your sector")
    password = forms.CharField(
        label="Create a password",
        max_length=200,
        strip=False,
        help_text="At least 12 characters. A few unrelated words make a strong one.",
        error_messages={"required": "Create a password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, sectors: list[tuple[str, str]], email: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = sectors
        self.email = email

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        # The validators compare the password with the person's own name and email.
        user = User(
            email=self.email,
            first_name=self.data.get("first_name", ""),
            last_name=self.data.get("last_name", ""),
        )
        password_validation.validate_password(password, user)
        return password
