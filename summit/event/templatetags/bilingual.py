"""The organiser's words in the reader's language (``summit.event.bilingual``), for any app's
page:

- ``{% shown summit "title" %}``: the text, in a ``<span lang>`` when it is in the other
  language;
- ``{% shown_markdown material "body" 3 %}``: Markdown the same way, in a ``<div lang>``;
- ``{{ summit|text_in:"title" }}``: the plain text, where no mark can go (``<title>``, an
  attribute).

A big screen that shows both languages side by side sets ``both_languages`` (from the summit's
setting: ``{% with both_languages=summit|shows_both:room.audience %}``). Within it ``shown``
gives both versions, each in its column and marked with its language, and
``{% in_both %}...{% endin_both %}`` draws what it holds (the screen's own headings and labels)
once in each language, the same way. Elsewhere both draw what they always do.
"""

from __future__ import annotations

from django import template
from django.template.loader import get_template
from django.utils import translation

from summit.event import bilingual
from summit.web.markdown import TOP_HEADING

register = template.Library()

# The variable a big screen in both languages sets for what it draws.
BOTH = "both_languages"


@register.inclusion_tag("includes/shown.html", takes_context=True)
def shown(context, item, field: str) -> dict:
    if context.get(BOTH):
        return {"both": True, "versions": bilingual.side_by_side(item, field)}
    return {"shown": bilingual.shown(item, field)}


@register.inclusion_tag("includes/shown_markdown.html")
def shown_markdown(item, field: str, top: int = TOP_HEADING) -> dict:
    return {"shown": bilingual.shown(item, field), "top": top}


@register.filter(name="text_in")
def text_in(item, field: str) -> str:
    return bilingual.text_in(item, field)


@register.filter(name="shows_both")
def shows_both(summit, audience: str = bilingual.BIG_SCREEN) -> bool:
    return bilingual.shows_both(summit, audience)


class InBothNode(template.Node):
    def __init__(self, nodelist, block: bool) -> None:
        self.nodelist = nodelist
        self.block = block

    def render(self, context) -> str:
        if not context.get(BOTH):
            return self.nodelist.render(context)
        versions = []
        # Within each version, the organiser's words are the version's language alone.
        with context.push(**{BOTH: False}):
            for code in bilingual.SIDE_BY_SIDE:
                with translation.override(code):
                    text = self.nodelist.render(context)
                versions.append(bilingual.Shown(text, code, False))
        return get_template("includes/side_by_side.html").render(
            {"versions": versions, "element": "div" if self.block else "span"}
        )


@register.tag(name="in_both")
def in_both(parser, token) -> InBothNode:
    """``{% in_both %}...{% endin_both %}``: what it holds, drawn in each language side by
    side on a big screen that shows both, and as it is everywhere else. Each version is a
    ``<span>``, to go wherever text goes; ``{% in_both block %}`` makes it a ``<div>``, for what
    holds a list or a paragraph."""
    bits = token.split_contents()
    if bits[1:] not in ([], ["block"]):
        raise template.TemplateSyntaxError("in_both takes nothing, or block")
    nodelist = parser.parse(("endin_both",))
    parser.delete_first_token()
    return InBothNode(nodelist, block=len(bits) == 2)
