from __future__ import annotations

from django import forms

from accounts.models import Participant
from breakouts.models import Breakout
from summit.event.models import Summit


class PersonForm(forms.Form):
    """An organiser's change to one person: their role and their breakout."""

    role = forms.ChoiceField(
        label="Role",
        choices=Participant.Role.choices,
        error_messages={"invalid_choice": "Select one of the roles listed"},
    )
    breakout = forms.ModelChoiceField(
        label="Breakout",
        queryset=Breakout.objects.none(),
        required=False,
        empty_label="None",
        error_messages={"invalid_choice": "Select one of this summit’s breakouts"},
    )

    def __init__(self, *args, summit: Summit, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["breakout"].queryset = Breakout.objects.filter(summit=summit)


class JoiningForm(forms.Form):
    status = forms.ChoiceField(
        label="Joining",
        choices=[
            (Summit.Status.DRAFT, "Not open yet: the code does not work"),
            (Summit.Status.OPEN, "Open: anyone with the code or link can join"),
            (Summit.Status.CLOSED, "Closed: the summit is over"),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether the summit is open for joining",
            "invalid_choice": "Select one of the options listed",
        },
    )
    joining_closes_at = forms.DateTimeField(
        label="Stop taking new people at (optional)",
        required=False,
        help_text="For example, 2026-12-03 17:00. Leave empty to take people until you close.",
        input_formats=["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"invalid": "Enter a date and time, like 2026-12-03 17:00"},
    )
    allow_anonymous = forms.BooleanField(
        label="Let attendees take part anonymously (the record shows only their sector)",
        required=False,
    )
    privacy_contact = forms.EmailField(
        label="Who attendees write to about their data (optional)",
        required=False,
        help_text="Shown in the summit’s privacy notice.",
        error_messages={"invalid": "Enter an email address, like dpo@example.org"},
    )
    retain_personal_data_until = forms.DateField(
        label="Erase people’s details after (optional)",
        required=False,
        help_text="After this date, names, organisations and emails are erased and the record "
        "is kept anonymised. For example, 2027-06-30.",
        widget=forms.DateInput(attrs={"type": "date"}),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"invalid": "Enter a real date, like 2027-06-30"},
    )


class NewSummitForm(forms.Form):
    BLANK = "blank"

    title = forms.CharField(
        label="Title",
        max_length=200,
        strip=True,
        error_messages={
            "required": "Enter a title for the summit",
            "max_length": "The title must be 200 characters or fewer",
        },
    )
    date = forms.DateField(
        label="Date (optional)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"invalid": "Enter a real date, like 2026-12-03"},
    )
    start_from = forms.ChoiceField(
        label="Start from",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select what the new summit starts from",
            "invalid_choice": "Select one of the options listed",
        },
    )
    central_question = forms.CharField(
        label="Central question",
        max_length=1000,
        required=False,
        strip=True,
        help_text="Leave empty when copying to keep the copied summit’s question.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "The question must be 1000 characters or fewer"},
    )

    def __init__(self, *args, sources, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.sources = {str(s.pk): s for s in sources}
        self.fields["start_from"].choices = [
            (self.BLANK, "A blank summit"),
            *((pk, f"A copy of {s.title}’s structure") for pk, s in self.sources.items()),
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start_from") == self.BLANK and not cleaned.get("central_question"):
            self.add_error("central_question", "Enter the summit’s central question")
        return cleaned

    @property
    def source(self) -> Summit | None:
        return self.sources.get(self.cleaned_data["start_from"])


class NewBreakoutForm(forms.Form):
    subtheme = forms.ModelChoiceField(
        label="Subtheme",
        queryset=None,
        empty_label=None,
        error_messages={"invalid_choice": "Choose one of the summit’s subthemes"},
    )
    name = forms.CharField(
        label="Name of the group",
        max_length=120,
        strip=True,
        error_messages={
            "required": "Enter a name for the group",
            "max_length": "The name must be 120 characters or fewer",
        },
    )

    def __init__(self, *args, summit: Summit, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subtheme"].queryset = summit.subthemes.filter(retired_at__isnull=True)
