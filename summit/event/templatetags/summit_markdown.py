"""``{{ text|markdown }}``: the organiser's Markdown as safe HTML, for any app's page.

``{{ text|markdown:3 }}`` starts its headings at h3, for text shown under a heading of the
page's own at h2 (a pre-reading section under its title), so the page's headings keep their
order.
"""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from summit.web.markdown import TOP_HEADING, render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown(text: str | None, top: int = TOP_HEADING) -> SafeString:
    return render_markdown(text or "", top)
