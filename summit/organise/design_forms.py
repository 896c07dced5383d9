"""The forms organisers fill in to design a summit, one per part of it. Each field is named as
the model's own field, so one service writes whichever part it is given."""

from __future__ import annotations

from django import forms
from django.core.validators import URLValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from summit.event.models import AgendaItem, Subtheme, Summit

TEXT_MAX = 1000
NOTE_MAX = 2000
BODY_MAX = 20_000
MARKDOWN_HELP = _(
    "In Markdown: leave a blank line between paragraphs, and start each item of a list with a "
    "dash and a space."
)


def _text(label, missing, too_long, *, max_length=TEXT_MAX, rows=3, **kwargs) -> forms.CharField:
    """Words to store; ``rows=0`` for a single line."""
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput
    return forms.CharField(
        label=label,
        max_length=max_length,
        strip=True,
        widget=widget,
        error_messages={"required": missing, "max_length": too_long},
        **kwargs,
    )


def _in_welsh(label, too_long, *, max_length=TEXT_MAX, rows=3, **kwargs) -> forms.CharField:
    """The Welsh version of a text beside it: optional, as long as the English may be, and
    marked as Welsh so that spelling is checked and it is read out in Welsh."""
    field = _text(label, "", too_long, max_length=max_length, rows=rows, required=False, **kwargs)
    field.widget.attrs["lang"] = "cy"
    return field


class DesignForm(forms.Form):
    """One item of a part: added to ``summit``, or changing ``item`` (its values to start)."""

    def __init__(self, *args, summit: Summit, item=None, **kwargs) -> None:
        if item is not None:
            kwargs.setdefault("initial", {name: getattr(item, name) for name in self.base_fields})
        super().__init__(*args, **kwargs)
        self.summit = summit
        self.item = item


class SectionForm(DesignForm):
    title = _text(
        _("Heading"),
        _("Enter the section’s heading"),
        _("The heading must be %(limit_value)d characters or fewer"),
        max_length=300,
        rows=0,
    )
    title_cy = _in_welsh(
        _("Heading in Welsh (optional)"),
        _("The heading in Welsh must be %(limit_value)d characters or fewer"),
        max_length=300,
        rows=0,
    )
    body = _text(
        _("Text"),
        _("Enter the section’s text"),
        _("The text must be %(limit_value)d characters or fewer"),
        max_length=BODY_MAX,
        rows=12,
        help_text=MARKDOWN_HELP,
    )
    body_cy = _in_welsh(
        _("Text in Welsh (optional)"),
        _("The text in Welsh must be %(limit_value)d characters or fewer"),
        max_length=BODY_MAX,
        rows=12,
        help_text=MARKDOWN_HELP,
    )


class AssumptionForm(DesignForm):
    text = _text(
        _("Working assumption"),
        _("Enter the working assumption"),
        _("The working assumption must be %(limit_value)d characters or fewer"),
    )
    text_cy = _in_welsh(
        _("Working assumption in Welsh (optional)"),
        _("The working assumption in Welsh must be %(limit_value)d characters or fewer"),
    )


class ObstacleForm(DesignForm):
    text = _text(
        _("Obstacle"),
        _("Enter the obstacle"),
        _("The obstacle must be %(limit_value)d characters or fewer"),
    )
    text_cy = _in_welsh(
        _("Obstacle in Welsh (optional)"),
        _("The obstacle in Welsh must be %(limit_value)d characters or fewer"),
    )


class SubthemeForm(DesignForm):
    title = _text(
        _("Title"),
        _("Enter the subtheme’s title"),
        _("The title must be %(limit_value)d characters or fewer"),
        max_length=80,
        rows=0,
    )
    title_cy = _in_welsh(
        _("Title in Welsh (optional)"),
        _("The title in Welsh must be %(limit_value)d characters or fewer"),
        max_length=80,
        rows=0,
    )
    question = _text(
        _("Question"),
        _("Enter the question the subtheme’s breakouts discuss"),
        _("The question must be %(limit_value)d characters or fewer"),
    )
    question_cy = _in_welsh(
        _("Question in Welsh (optional)"),
        _("The question in Welsh must be %(limit_value)d characters or fewer"),
    )


class AreaForm(DesignForm):
    text = _text(
        _("Area to be addressed"),
        _("Enter the area to be addressed, as a question"),
        _("The area must be %(limit_value)d characters or fewer"),
    )
    text_cy = _in_welsh(
        _("Area to be addressed in Welsh (optional)"),
        _("The area in Welsh must be %(limit_value)d characters or fewer"),
    )
    subtheme = forms.ModelChoiceField(
        label=_("Subtheme (optional)"),
        queryset=Subtheme.objects.none(),
        required=False,
        empty_label=_("None: for any breakout"),
        error_messages={"invalid_choice": _("Choose one of the summit’s subthemes")},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # A retired subtheme takes no new areas, but one already tied to it stays so.
        keep = self.item.subtheme_id if self.item is not None else None
        self.fields["subtheme"].queryset = self.summit.subthemes.filter(
            Q(retired_at__isnull=True) | Q(pk=keep)
        )


def _time(label, missing) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        help_text=_("For example, 09:30 or 14:15."),
        input_formats=["%H:%M", "%H.%M", "%H:%M:%S"],
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={
            "required": missing,
            "invalid": _("Enter a time of day, like 09:30 or 14:15"),
        },
    )


class AgendaItemForm(DesignForm):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=AgendaItem.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select what kind of item it is"),
            "invalid_choice": _("Select one of the kinds listed"),
        },
    )
    title = _text(
        _("Title"),
        _("Enter the item’s title"),
        _("The title must be %(limit_value)d characters or fewer"),
        max_length=200,
        rows=0,
    )
    title_cy = _in_welsh(
        _("Title in Welsh (optional)"),
        _("The title in Welsh must be %(limit_value)d characters or fewer"),
        max_length=200,
        rows=0,
    )
    starts_at = _time(_("Starts at"), _("Enter the time it starts"))
    ends_at = _time(_("Ends at"), _("Enter the time it ends"))
    description = _text(
        _("Description (optional)"),
        "",
        _("The description must be %(limit_value)d characters or fewer"),
        max_length=NOTE_MAX,
        required=False,
    )
    description_cy = _in_welsh(
        _("Description in Welsh (optional)"),
        _("The description in Welsh must be %(limit_value)d characters or fewer"),
        max_length=NOTE_MAX,
    )

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts is not None and ends is not None and ends <= starts:
            self.add_error("ends_at", _("The end must be after the start"))
        return cleaned


class WebAddressField(forms.URLField):
    """A link to read on the web: http or https, never a script or a file on the device."""

    default_validators = [URLValidator(schemes=["http", "https"])]


class MaterialForm(DesignForm):
    title = _text(
        _("Title"),
        _("Enter the material’s title"),
        _("The title must be %(limit_value)d characters or fewer"),
        max_length=300,
        rows=0,
    )
    title_cy = _in_welsh(
        _("Title in Welsh (optional)"),
        _("The title in Welsh must be %(limit_value)d characters or fewer"),
        max_length=300,
        rows=0,
    )
    url = WebAddressField(
        label=_("Link"),
        max_length=200,
        assume_scheme="https",
        help_text=_("The web address, starting https://"),
        error_messages={
            "required": _("Enter the link to the material"),
            "invalid": _("Enter a web address starting https:// or http://"),
            "max_length": _("The link must be %(limit_value)d characters or fewer"),
        },
    )
    body = _text(
        _("Note (optional)"),
        "",
        _("The note must be %(limit_value)d characters or fewer"),
        max_length=NOTE_MAX,
        required=False,
        help_text=_("What it is, or why to read it."),
    )
    body_cy = _in_welsh(
        _("Note in Welsh (optional)"),
        _("The note in Welsh must be %(limit_value)d characters or fewer"),
        max_length=NOTE_MAX,
        help_text=_("What it is, or why to read it."),
    )


class SectorForm(DesignForm):
    name = _text(
        _("Name"),
        _("Enter the sector’s name"),
        _("The name must be %(limit_value)d characters or fewer"),
        max_length=80,
        rows=0,
    )
    name_cy = _in_welsh(
        _("Name in Welsh (optional)"),
        _("The name in Welsh must be %(limit_value)d characters or fewer"),
        max_length=80,
        rows=0,
    )
