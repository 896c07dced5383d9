"""The organiser's words in each reader's language.

Every text an organiser writes (the summit's title, central question, summary and welcome;
subthemes, areas to be addressed, working assumptions, obstacles, the agenda, the pre-reading,
poll questions and options) has a Welsh version beside it, in a field of the same name ending
``_cy``. A page shows the one in the reader's language, and the other where that one is
empty, marked with the language it is in (``lang``) so a screen reader says it rightly.
People's own words (ideas, comments, questions) are shown as written: nothing is ever
translated by machine.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import get_language

WELSH = "cy"
# The language of the fields without a suffix.
ENGLISH = settings.LANGUAGE_CODE


@dataclass(frozen=True)
class Shown:
    """A text as a reader sees it: in ``language``; ``other`` when that is not theirs."""

    text: str
    language: str
    other: bool

    def __str__(self) -> str:
        return self.text


def versions(item, field: str) -> dict[str, str]:
    """Both versions of ``item.field``, by language."""
    return {ENGLISH: getattr(item, field) or "", WELSH: getattr(item, f"{field}_cy", "") or ""}


def shown(item, field: str, language: str | None = None) -> Shown:
    """``item.field`` for a reader of ``language`` (the active one unless given)."""
    reader = WELSH if (language or get_language()) == WELSH else ENGLISH
    texts = versions(item, field)
    if texts[reader]:
        return Shown(texts[reader], reader, False)
    other = ENGLISH if reader == WELSH else WELSH
    return Shown(texts[other], other, bool(texts[other]))


def text_in(item, field: str, language: str | None = None) -> str:
    """``shown`` as plain text, for where no mark of its language can go (a page's title)."""
    return shown(item, field, language).text
