from __future__ import annotations

from django import forms

from breakouts.models import IDEA_MAX_LENGTH


class IdeaForm(forms.Form):
    text = forms.CharField(
        label="Your idea",
        max_length=IDEA_MAX_LENGTH,
        strip=True,
        error_messages={
            "required": "Enter your idea",
            "max_length": (
                "Your idea must be %(limit_value)d characters or fewer (it has %(show_value)d)"
            ),
        },
    )
    anonymous = forms.BooleanField(label="Post without my name", required=False)
    client_token = forms.UUIDField(
        error_messages={
            "required": "This form has expired. Post your idea again",
            "invalid": "This form has expired. Post your idea again",
        },
    )
