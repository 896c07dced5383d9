"""The organiser's words in each reader's language.

Every text an organiser writes (the summit's title, central question, summary and welcome;
subthemes, areas to be addressed, working assumptions, obstacles, the agenda, the pre-reading,
poll questions and options) has a Welsh version beside it, in a field of the same name ending
``_cy``. A page shows the one in the reader's language, and the other where that one is
empty, marked with the language it is in (``lang``) so a screen reader says it rightly.
People's own words (ideas, comments, questions) are shown as written: nothing is ever
translated by machine.

A summit's big screens may show its words in both languages side by side instead
(``Summit.big_screen_bilingual``): each text in two columns, each version as written, and
only the one there is where the other is empty (``side_by_side``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import get_language

WELSH = "cy"
# The language of the fields without a suffix.
ENGLISH = settings.LANGUAGE_CODE
# The two columns of a big screen that shows both languages, in order.
SIDE_BY_SIDE = (ENGLISH, WELSH)
# The big screen's name among each room's audiences (``plenary.room.SCREEN``,
# ``breakouts.board.SCREEN``).
BIG_SCREEN = "screen"


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


# ``text_in`` put off until the text is shown: in the language of the page, the push or the
# record then being drawn (an announcement, a sector's name read once for both languages).
text_when_shown = lazy(text_in, str)


def side_by_side(item, field: str) -> list[Shown]:
    """``item.field`` as a big screen showing both languages gives it: each version there
    is, as written, in the order of ``SIDE_BY_SIDE``; one alone, not the same text twice,
    where the other is empty; none where both are."""
    texts = versions(item, field)
    return [Shown(texts[code], code, False) for code in SIDE_BY_SIDE if texts[code]]


def shows_both(summit, audience: str = BIG_SCREEN) -> bool:
    """Whether ``audience`` of ``summit``'s rooms sees its words in both languages side by
    side: its big screens do, when its organisers choose it."""
    return audience == BIG_SCREEN and bool(getattr(summit, "big_screen_bilingual", False))
