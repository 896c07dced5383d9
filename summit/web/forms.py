"""Form rendering shared by every app: each field after the GOV.UK Design System's pattern."""

from __future__ import annotations

import re

from django import forms
from django.forms.renderers import TemplatesSetting


class SummitFormRenderer(TemplatesSetting):
    field_template_name = "forms/field.html"


# Names and organisations appear on screens and in the record: plain words only.
_MARKUP = re.compile(r"[<>{}\[\]\\]|[\x00-\x1f\x7f]")


def plain_text_field(label: str, max_length: int, *, required: bool = True, **kwargs):
    """A one-line text field that refuses markup and control characters."""
    noun = label[0].lower() + label[1:]

    def no_markup(value: str) -> None:
        if _MARKUP.search(value):
            raise forms.ValidationError(
                f"Enter your {noun} without the characters < > {{ }} [ ] or \\"
            )

    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        strip=True,
        validators=[no_markup],
        error_messages={
            "required": f"Enter your {noun}",
            "max_length": f"Your {noun} must be %(limit_value)d characters or fewer",
        },
        **kwargs,
    )
