"""The forms for starting a summit from the organiser's stimulus document: the upload, and
the page where they confirm or change what was found in it.

The pre-reading found in the document goes from the one page to the other signed, in a
hidden field, so nothing is kept on the server between them and nothing can be slipped in."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.core import signing
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from summit.event.refusals import Refused
from summit.event.stimulus import MAX_ITEMS, MAX_UPLOAD, TITLE_LENGTH, read_stimulus

SALT = "summit.organise.stimulus.sections"
SECTIONS_LAST = dt.timedelta(days=1)  # time to check and confirm what was found
LINE_LENGTH = 1000
ACCEPT = ".docx,.md,.markdown,.txt"
_AREA_SUBTHEME = re.compile(r"\[(\d{1,3})\]\s*(.*)")

# Each list's refusals: too many lines, and one line too long.
TOO_MANY = {
    "subthemes": gettext_lazy("Keep to %(max)s subthemes or fewer"),
    "areas": gettext_lazy("Keep to %(max)s areas to be addressed or fewer"),
    "assumptions": gettext_lazy("Keep to %(max)s working assumptions or fewer"),
    "obstacles": gettext_lazy("Keep to %(max)s obstacles or fewer"),
}
TOO_LONG = {
    "subthemes": gettext_lazy("Line %(n)s of the subthemes is over %(max)s characters: shorten it"),
    "areas": gettext_lazy(
        "Line %(n)s of the areas to be addressed is over %(max)s characters: shorten it"
    ),
    "assumptions": gettext_lazy(
        "Line %(n)s of the working assumptions is over %(max)s characters: shorten it"
    ),
    "obstacles": gettext_lazy("Line %(n)s of the obstacles is over %(max)s characters: shorten it"),
}


class StimulusUploadForm(forms.Form):
    document = forms.FileField(
        label=gettext_lazy("Your stimulus document"),
        help_text=gettext_lazy(
            "A Word document (.docx), or a Markdown or text file (.md, .markdown, .txt), "
            "smaller than 2 MB."
        ),
        max_length=255,
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
        error_messages={
            "required": gettext_lazy("Choose your stimulus document"),
            "empty": gettext_lazy("The file is empty. Upload your stimulus document."),
            "invalid": gettext_lazy("Choose a file to upload"),
            "missing": gettext_lazy("Choose a file to upload"),
            "max_length": gettext_lazy("The file’s name must be 255 characters or fewer"),
        },
    )

    def clean_document(self):
        """Read the document for what it proposes (kept as ``found``)."""
        upload = self.cleaned_data["document"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file must be smaller than 2 MB."))
        try:
            self.found = read_stimulus(upload.name, upload.read(MAX_UPLOAD + 1))
        except Refused as refusal:
            raise forms.ValidationError(str(refusal)) from refusal
        return upload


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


def _words(section: dict) -> str:
    """A pre-reading section to keep or not: its title and how long it is."""
    words = len(section["body"].split())
    return ngettext("%(title)s (%(words)s word)", "%(title)s (%(words)s words)", words) % {
        "title": section["title"],
        "words": words,
    }


def _list_field(label, help_text) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        strip=True,
        max_length=MAX_ITEMS * (LINE_LENGTH + 10),
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"max_length": gettext_lazy("This list is too long: shorten it")},
    )


class StimulusConfirmForm(forms.Form):
    """What the new summit starts with, as the organiser confirms it: one item a line."""

    sections = forms.CharField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=200,
        strip=True,
        error_messages={
            "required": gettext_lazy("Enter a title for the summit"),
            "max_length": gettext_lazy("The title must be 200 characters or fewer"),
        },
    )
    central_question = forms.CharField(
        label=gettext_lazy("Central question"),
        max_length=LINE_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": gettext_lazy("Enter the summit’s central question"),
            "max_length": gettext_lazy("The question must be 1000 characters or fewer"),
        },
    )
    subthemes = _list_field(
        gettext_lazy("Subthemes"),
        gettext_lazy(
            "One a line: a short title, a colon, then the subtheme’s question. For example: "
            "“Homes: How do we house the people a town needs?” Each subtheme gets a breakout."
        ),
    )
    areas = _list_field(
        gettext_lazy("Areas to be addressed"),
        gettext_lazy(
            "One question a line. To give a question to a subtheme, start its line with the "
            "subtheme’s number in square brackets, like “[2] How do we…?”"
        ),
    )
    assumptions = _list_field(gettext_lazy("Working assumptions"), gettext_lazy("One a line."))
    obstacles = _list_field(gettext_lazy("Obstacles"), gettext_lazy("One a line."))
    keep = forms.MultipleChoiceField(
        label=gettext_lazy("Pre-reading sections to keep"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": gettext_lazy("Select sections from the list")},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        signed = self.data.get("sections") if self.is_bound else self.initial.get("sections")
        self.pre_reading = self._unsigned(signed)
        self.fields["keep"].choices = [
            (
                str(n),
                _words(section),
            )
            for n, section in enumerate(self.pre_reading)
        ]
        if not self.pre_reading:
            del self.fields["keep"]
        for name in ("subthemes", "areas", "assumptions", "obstacles"):
            text = self.data.get(name) if self.is_bound else self.initial.get(name)
            lines = _lines(text if isinstance(text, str) else "")
            wrapped = sum(1 + len(line) // 70 for line in lines)  # a line wraps in the box
            self.fields[name].widget.attrs["rows"] = min(max(wrapped + 1, 4), 20)

    @classmethod
    def from_stimulus(cls, found: dict) -> StimulusConfirmForm:
        """The form filled in with what ``read_stimulus`` found, every section kept."""
        areas = (
            f"[{a['subtheme']}] {a['text']}" if a.get("subtheme") else a["text"]
            for a in found["areas"]
        )
        sections = found["pre_reading"]
        subthemes = (f"{s['title']}: {s['question']}" for s in found["subthemes"])
        return cls(
            initial={
                "title": found["summit"].get("title", ""),
                "central_question": found["summit"].get("central_question", ""),
                "subthemes": "\n".join(subthemes),
                "areas": "\n".join(areas),
                "assumptions": "\n".join(a["text"] for a in found["assumptions"]),
                "obstacles": "\n".join(o["text"] for o in found["obstacles"]),
                "sections": signing.dumps(sections, salt=SALT, compress=True),
                "keep": [str(n) for n in range(len(sections))],
            }
        )

    @staticmethod
    def _unsigned(signed) -> list[dict]:
        if not signed or not isinstance(signed, str):
            return []
        try:
            sections = signing.loads(signed, salt=SALT, max_age=SECTIONS_LAST)
        except signing.BadSignature:
            return []
        if not isinstance(sections, list):
            return []
        return [
            {"title": str(section.get("title", "")), "body": str(section.get("body", ""))}
            for section in sections
            if isinstance(section, dict)
        ]

    def _items(self, name: str) -> list[str]:
        lines = _lines(self.cleaned_data.get(name, ""))
        if len(lines) > MAX_ITEMS:
            raise forms.ValidationError(str(TOO_MANY[name]) % {"max": MAX_ITEMS})
        for number, line in enumerate(lines, start=1):
            if len(line) > LINE_LENGTH:
                raise forms.ValidationError(
                    str(TOO_LONG[name]) % {"n": number, "max": f"{LINE_LENGTH:,}"}
                )
        return lines

    def clean_assumptions(self) -> list[str]:
        return self._items("assumptions")

    def clean_obstacles(self) -> list[str]:
        return self._items("obstacles")

    def clean_subthemes(self) -> list[dict]:
        subthemes, titles = [], set()
        for number, line in enumerate(self._items("subthemes"), start=1):
            title, colon, question = (part.strip() for part in line.partition(":"))
            if not (colon and title and question):
                raise forms.ValidationError(
                    _(
                        "Write line %(n)s of the subthemes as a short title, a colon, then the "
                        "question"
                    )
                    % {"n": number}
                )
            if len(title) > TITLE_LENGTH:
                raise forms.ValidationError(
                    _(
                        "Shorten the title on line %(n)s of the subthemes (before the colon) "
                        "to %(max)s characters or fewer"
                    )
                    % {"n": number, "max": TITLE_LENGTH}
                )
            if title.casefold() in titles:
                raise forms.ValidationError(
                    _("Give each subtheme its own title: “%(title)s” is there twice")
                    % {"title": title}
                )
            titles.add(title.casefold())
            subthemes.append({"title": title, "question": question})
        return subthemes

    def clean_areas(self) -> list[dict]:
        areas = []
        for line in self._items("areas"):
            found = _AREA_SUBTHEME.fullmatch(line)
            if found and found.group(2):
                areas.append({"text": found.group(2), "subtheme": int(found.group(1))})
            else:
                areas.append({"text": line, "subtheme": None})
        return areas

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("sections") and not self.pre_reading:
            self.add_error(
                None,
                _(
                    "The pre-reading found in your document has expired or could not be read "
                    "back. Upload the document again."
                ),
            )
        subthemes = cleaned.get("subthemes")
        for number, area in enumerate(cleaned.get("areas") or [], start=1):
            tied = area["subtheme"]
            if subthemes is not None and tied is not None and not 1 <= tied <= len(subthemes):
                self.add_error(
                    "areas",
                    _("Line %(n)s of the areas names subtheme [%(tied)s], which is not listed")
                    % {"n": number, "tied": tied},
                )
                break
        return cleaned

    def design(self) -> dict:
        """The new summit, in the design file's shape."""
        data = self.cleaned_data
        kept = {int(n) for n in data.get("keep", [])}
        return {
            "format": "summit-design",
            "version": 1,
            "summit": {"title": data["title"], "central_question": data["central_question"]},
            "subthemes": data["subthemes"],
            "areas": data["areas"],
            "assumptions": [{"text": text} for text in data["assumptions"]],
            "obstacles": [{"text": text} for text in data["obstacles"]],
            "pre_reading": [s for n, s in enumerate(self.pre_reading) if n in kept],
        }
