"""The organiser's texts in the record, in the record's language.

Each text an organiser wrote (the summit's title, question and summary, the agenda, the
working assumptions, obstacles, subthemes and their questions, the polls' questions and
options) is held with its Welsh version beside it (``contents``). The page, Word and Markdown
give the one in the language the record is made in, and the other where that one is empty
(``summit.event.bilingual``): as a span of its own, whose ``lang`` the page marks. People's
own words are given as they wrote them.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from summit.event import bilingual
from summit.record.blocks import Heading, Span, joined

# Where an organiser's text goes in a sentence, while the sentence is split around it.
_PLACE = "\x00"


def words(item, field: str) -> Span:
    """The organiser's text ``item.field`` in the record's language: its Welsh version
    (``field_cy``) in a record in Welsh, the English where it has none, marked with its
    language when it is the other."""
    shown = bilingual.shown(item, field)
    return Span(shown.text, lang=shown.language if shown.other else "")


def around(message: str, key: str, text: Span, **values) -> tuple[Span, ...]:
    """A sentence of the record's (``message``, translated) with an organiser's text in it at
    ``%(key)s``: the sentence's own words, and the text as a span of its own, so that the
    page can mark its language. ``values`` fill the sentence's other placeholders."""
    before, _sep, after = (message % {**values, key: _PLACE}).partition(_PLACE)
    return tuple(span for span in (Span(before), text, Span(after)) if span.text)


def heading(level: int, spans: tuple[Span, ...], anchor: str = "") -> Heading:
    """A heading made of ``spans``: an organiser's text, or a sentence with one in it."""
    return Heading(level, joined(spans), anchor, spans)


def subtheme_heading(level: int, subtheme) -> Heading:
    """A subtheme's heading, "Subtheme 2: Narratives", its title (``subtheme.title``, with
    ``title_cy``) in the record's language."""
    message = _("Subtheme %(order)s: %(title)s")
    return heading(level, around(message, "title", words(subtheme, "title"), order=subtheme.order))
