from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.utils.translation import gettext_lazy as _

from accounts.models import Invite, User
from summit.event.bilingual import text_in
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
            "invalid_choice": _("Select one of the sectors listed"),
        },
    )


NO_PREFERENCE = ""

# Each text field's errors in whole sentences (summit.web.forms.plain_text_field).
NAME_MESSAGES = {
    "required": _("Enter your name"),
    "max_length": _("Your name must be %(limit_value)d characters or fewer"),
    "markup": _("Enter your name without the characters < > { } [ ] or \\"),
}
ORGANISATION_MESSAGES = {
    "required": _("Enter your organisation"),
    "max_length": _("Your organisation must be %(limit_value)d characters or fewer"),
    "markup": _("Enter your organisation without the characters < > { } [ ] or \\"),
}
FIRST_NAME_MESSAGES = {
    "required": _("Enter your first name"),
    "max_length": _("Your first name must be %(limit_value)d characters or fewer"),
    "markup": _("Enter your first name without the characters < > { } [ ] or \\"),
}
LAST_NAME_MESSAGES = {
    "required": _("Enter your last name"),
    "max_length": _("Your last name must be %(limit_value)d characters or fewer"),
    "markup": _("Enter your last name without the characters < > { } [ ] or \\"),
}


def subthemes_offered(summit: Summit) -> list[tuple[str, str]]:
    """The subthemes a person may say they would prefer, with "no preference" first. One
    query."""
    offered = [(NO_PREFERENCE, str(_("No preference")))]
    return offered + [
        (str(s.pk), text_in(s, "title")) for s in summit.subthemes.filter(retired_at__isnull=True)
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
        label=_("Join code"),
        max_length=20,
        strip=True,
        help_text=_("The 6 letters and numbers on the screen or in your invitation, like K7QM2X."),
        error_messages={
            "required": _("Enter the join code"),
            "max_length": _("A join code is 6 letters and numbers, like K7QM2X"),
        },
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class JoinForm(forms.Form):
    """What an attendee tells the summit about themselves."""

    NAMED, ANONYMOUS = "named", "anonymous"

    display_name = plain_text_field(
        _("Name"),
        80,
        messages=NAME_MESSAGES,
        help_text=_("As you would like other people in your group to see it."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    organisation = plain_text_field(
        _("Organisation"),
        120,
        messages=ORGANISATION_MESSAGES,
        required=False,
        help_text=_("Optional. Leave this empty if you are taking part as a resident."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    sector = sector_field(
        _("Which sector are you here from?"), _("Select the sector you are here from")
    )
    attribution = forms.ChoiceField(
        label=_("How may the summit record name you?"),
        choices=[
            (NAMED, _("Name me with my organisation")),
            (ANONYMOUS, _("Keep me anonymous: show only my sector")),
        ],
        widget=forms.RadioSelect,
        help_text=_("Anonymous contributions still count; nobody else sees who made them."),
        error_messages={
            "required": _("Select how the record may name you"),
            "invalid_choice": _("Select one of the options listed"),
        },
    )
    preferred_subtheme = preference_field()
    join_token = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={
            "required": _("This form has expired. Fill it in again"),
            "invalid": _("This form has expired. Fill it in again"),
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
        label=_("Email address"),
        max_length=254,
        error_messages={
            "required": _("Enter your email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.org"),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label=_("Password"),
        max_length=200,
        strip=False,
        error_messages={"required": _("Enter your password")},
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
            raise forms.ValidationError(_("Enter a correct email address and password"))
        return cleaned


class LanguageRadios(forms.RadioSelect):
    """The languages offered, each named in itself and marked so, for a screen reader."""

    option_template_name = "accounts/forms/language_option.html"


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Their email address"),
        max_length=254,
        help_text=_("The invitation link is sent here. It works once, for 7 days."),
        error_messages={
            "required": _("Enter the email address to send the invitation to"),
            "invalid": _("Enter an email address in the correct format, like name@example.org"),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    role = forms.ChoiceField(
        label=_("Invite them as"),
        choices=Invite.ROLES,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select the role to invite them as"),
            "invalid_choice": _("Select one of the roles listed"),
        },
    )
    language = forms.ChoiceField(
        label=_("Language of the invitation"),
        help_text=_(
            "The invitation and its reminder the day before the summit are sent in this language."
        ),
        choices=settings.LANGUAGES,
        # A form sent without one (never from the page, whose radios start with one chosen)
        # takes the organiser's page language, as the page does.
        required=False,
        widget=LanguageRadios,
        error_messages={"invalid_choice": _("Select English or Cymraeg for the invitation")},
    )

    def __init__(self, *args, language: str = settings.LANGUAGE_CODE, **kwargs) -> None:
        """``language``: the one chosen until the organiser chooses another (their page's)."""
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = language

    def clean_language(self) -> str:
        return self.cleaned_data["language"] or self.fields["language"].initial


class StaffDetailsForm(forms.Form):
    """Who a newly invited facilitator or organiser is, and a password for signing in."""

    first_name = plain_text_field(
        _("First name"),
        60,
        messages=FIRST_NAME_MESSAGES,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = plain_text_field(
        _("Last name"),
        60,
        messages=LAST_NAME_MESSAGES,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    organisation = plain_text_field(
        _("Organisation"),
        120,
        messages=ORGANISATION_MESSAGES,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    sector = sector_field(_("Sector"), _("Select your sector"))
    password = forms.CharField(
        label=_("Create a password"),
        max_length=200,
        strip=False,
        help_text=_("At least 12 characters. A few unrelated words make a strong one."),
        error_messages={"required": _("Create a password")},
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
