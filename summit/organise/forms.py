from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Participant
from breakouts.models import Breakout
from summit.event.bilingual import text_in
from summit.event.models import Summit
from summit.event.refusals import Refused
from summit.organise.design_file import MAX_FILE_BYTES, read_design_file


class PersonForm(forms.Form):
    """An organiser's change to one person: their role and their breakout."""

    role = forms.ChoiceField(
        label=_("Role"),
        choices=Participant.Role.choices,
        error_messages={"invalid_choice": _("Select one of the roles listed")},
    )
    breakout = forms.ModelChoiceField(
        label=_("Breakout"),
        queryset=Breakout.objects.none(),
        required=False,
        empty_label=_("None"),
        error_messages={"invalid_choice": _("Select one of this summit’s breakouts")},
    )
    moderates_questions = forms.BooleanField(
        label=_("Moderates questions from the floor"), required=False
    )

    def __init__(self, *args, summit: Summit, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["breakout"].queryset = Breakout.objects.filter(summit=summit)


class JoiningForm(forms.Form):
    """How people join: until when, who they write to about their data and when it is
    erased. (Whether the summit takes people follows its status, on the settings page.)"""

    joining_opens_at = forms.DateTimeField(
        label=_("Start taking people at (optional)"),
        required=False,
        help_text=_(
            "For example, 2026-11-20 09:00, in the summit’s time zone. Before then the join "
            "code and link say when to come back. Leave empty to take people as soon as the "
            "summit is open."
        ),
        input_formats=["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"invalid": _("Enter a date and time, like 2026-11-20 09:00")},
    )
    joining_closes_at = forms.DateTimeField(
        label=_("Stop taking new people at (optional)"),
        required=False,
        help_text=_("For example, 2026-12-03 17:00. Leave empty to take people until you close."),
        input_formats=["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"invalid": _("Enter a date and time, like 2026-12-03 17:00")},
    )
    privacy_contact = forms.EmailField(
        label=_("Who attendees write to about their data (optional)"),
        required=False,
        help_text=_("Shown in the summit’s privacy notice."),
        error_messages={"invalid": _("Enter an email address, like dpo@example.org")},
    )
    retain_personal_data_until = forms.DateField(
        label=_("Erase people’s details after (optional)"),
        required=False,
        help_text=_(
            "After this date, names, organisations and emails are erased and the record "
            "is kept anonymised. For example, 2027-06-30."
        ),
        widget=forms.DateInput(attrs={"type": "date"}),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"invalid": _("Enter a real date, like 2027-06-30")},
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        opens, closes = cleaned.get("joining_opens_at"), cleaned.get("joining_closes_at")
        if opens and closes and opens >= closes:
            self.add_error(
                "joining_closes_at",
                _("Enter a time to stop taking people after the time to start"),
            )
        return cleaned


class NewSummitForm(forms.Form):
    BLANK = "blank"
    DESIGN = "design"

    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        strip=True,
        help_text=_("Leave empty when starting from a design file to keep the file’s title."),
        error_messages={"max_length": _("The title must be 200 characters or fewer")},
    )
    date = forms.DateField(
        label=_("Date (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"invalid": _("Enter a real date, like 2026-12-03")},
    )
    start_from = forms.ChoiceField(
        label=_("Start from"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select what the new summit starts from"),
            "invalid_choice": _("Select one of the options listed"),
        },
    )
    design_file = forms.FileField(
        label=_("Design file (.json)"),
        required=False,
        help_text=_(
            "A summit’s design file, downloaded from its settings or written to the published "
            "schema. Up to 1 MB."
        ),
        widget=forms.FileInput(attrs={"accept": ".json,application/json"}),
        error_messages={
            "invalid": _("The selected file could not be read: choose it again"),
            "empty": _("The selected file is empty"),
        },
    )
    central_question = forms.CharField(
        label=_("Central question"),
        max_length=1000,
        required=False,
        strip=True,
        help_text=_(
            "Leave empty when copying or starting from a design file to keep its question."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("The question must be 1000 characters or fewer")},
    )

    def __init__(self, *args, sources, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.sources = {str(s.pk): s for s in sources}
        self.design: dict | None = None
        self.fields["start_from"].choices = [
            (self.BLANK, _("A blank summit")),
            (self.DESIGN, _("A design file you upload")),
            *(
                (pk, _("A copy of %(title)s’s design") % {"title": s.title})
                for pk, s in self.sources.items()
            ),
        ]

    def clean(self):
        cleaned = super().clean()
        start_from = cleaned.get("start_from")
        if start_from != self.DESIGN and not cleaned.get("title") and "title" not in self.errors:
            self.add_error("title", _("Enter a title for the summit"))
        if start_from == self.BLANK and not cleaned.get("central_question"):
            self.add_error("central_question", _("Enter the summit’s central question"))
        if start_from == self.DESIGN and "design_file" not in self.errors:
            self._read_design(cleaned.get("design_file"))
        return cleaned

    def _read_design(self, upload) -> None:
        if not upload:
            self.add_error("design_file", _("Select a design file"))
            return
        if upload.size > MAX_FILE_BYTES:
            self.add_error("design_file", _("The selected file must be smaller than 1 MB"))
            return
        try:
            self.design = read_design_file(upload.read(MAX_FILE_BYTES + 1))
        except Refused as refusal:
            self.add_error("design_file", str(refusal))

    @property
    def source(self) -> Summit | None:
        return self.sources.get(self.cleaned_data["start_from"])


class NewBreakoutForm(forms.Form):
    subtheme = forms.ModelChoiceField(
        label=_("Subtheme"),
        queryset=None,
        empty_label=None,
        error_messages={"invalid_choice": _("Choose one of the summit’s subthemes")},
    )
    name = forms.CharField(
        label=_("Name of the group"),
        max_length=120,
        strip=True,
        error_messages={
            "required": _("Enter a name for the group"),
            "max_length": _("The name must be 120 characters or fewer"),
        },
    )

    def __init__(self, *args, summit: Summit, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subtheme"].queryset = summit.subthemes.filter(retired_at__isnull=True)
        self.fields["subtheme"].label_from_instance = lambda subtheme: text_in(subtheme, "title")
