"""The organiser's words in the reader's language (``summit.event.bilingual``), for any app's
page:

- ``{% shown summit "title" %}``: the text, in a ``<span lang>`` when it is in the other
  language;
- ``{% shown_markdown material "body" 3 %}``: Markdown the same way, in a ``<div lang>``;
- ``{{ summit|text_in:"title" }}``: the plain text, where no mark can go (``<title>``, an
  attribute).
"""

from __future__ import annotations

from django import template

from summit.event import bilingual
from summit.web.markdown import TOP_HEADING

register = template.Library()


@register.inclusion_tag("includes/shown.html")
def shown(item, field: str) -> dict:
    return {"shown": bilingual.shown(item, field)}


@register.inclusion_tag("includes/shown_markdown.html")
def shown_markdown(item, field: str, top: int = TOP_HEADING) -> dict:
    return {"shown": bilingual.shown(item, field), "top": top}


@register.filter(name="text_in")
def text_in(item, field: str) -> str:
    return bilingual.text_in(item, field)
