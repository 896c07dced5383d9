"""Form rendering shared by every app: each field after the GOV.UK Design System's pattern."""

from __future__ import annotations

import re

from django import forms
from django.forms.renderers import TemplatesSetting


class SummitFormRenderer(TemplatesSetting):
    field_template_name = "forms/field.html"


# Names and organisations appear on screens and in the record: plain words only.
_MARKUP = re.compile(r"[<>{}\[\]\\]|[\x00-\x1f\x7f]")


def plain_text_field(
    label: str, max_length: int, *, messages: dict[str, str], required: bool = True, **kwargs
):
    """A one-line text field that refuses markup and control characters.

    ``messages`` holds each error in whole words, as translated: ``required``, ``max_length``
    (with ``%(limit_value)d``) and ``markup``, for text with one of the refused characters.
    """
    markup_message = messages["markup"]

    def no_markup(value: str) -> None:
        if _MARKUP.search(value):
            raise forms.ValidationError(markup_message)

    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        strip=True,
        validators=[no_markup],
        error_messages={"required": messages["required"], "max_length": messages["max_length"]},
        **kwargs,
    )
