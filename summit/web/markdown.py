"""The organiser's Markdown (pre-reading, the welcome, a material's note) made into HTML a
page can show: parsed as CommonMark with raw HTML off, then sanitised to a short list of tags,
so nothing the organiser types (or pastes) reaches a page as markup of its own.

Two layers on purpose: markdown-it never passes raw HTML through (it shows it as text), and
nh3 then keeps only the tags and attributes below, whatever markdown-it might emit. Both
objects here are built once and never changed afterwards; each call parses into its own tokens,
so one request's text never touches another's.
"""

from __future__ import annotations

import html

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

# The page's own title is its only h1, and its sections are h2; the Markdown's headings sit
# below whichever level the page puts them at, down to h4 (deeper ranks join h4: three levels
# of heading inside a pre-reading section is already a lot to follow by ear).
TOP_HEADING = 2
DEEPEST_HEADING = 4

ALLOWED_TAGS = frozenset(
    {
        "p",
        *(f"h{level}" for level in range(TOP_HEADING, DEEPEST_HEADING + 1)),
        "ul",
        "ol",
        "li",
        "a",
        "em",
        "strong",
        "code",
        "pre",
        "blockquote",
        "br",
        "hr",
    }
)

# A numbered list that starts at 3 keeps its numbers; nothing else carries an attribute (not
# even the title and lang nh3 allows everywhere unless told), so no style, class or event
# handler survives.
ALLOWED_ATTRIBUTES = {"*": set(), "a": {"href"}, "ol": {"start"}}

# Only links that mean the same wherever the text is shown (the summit's pages, the record as a
# page or a document): a relative link would point somewhere else from each of them.
ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})


def _image_as_text(renderer, tokens, idx, options, env) -> str:
    """An image is shown as its description: the strict content security policy lets no page
    load anything from another origin, and the words are what a reader needs."""
    return html.escape(renderer.renderInlineAsText(tokens[idx].children or [], options, env))


_parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_parser.add_render_rule("image", _image_as_text)

_cleaner = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
    url_schemes=set(ALLOWED_SCHEMES),
    url_relative="deny",
    link_rel="noopener noreferrer",
    strip_comments=True,
)


def render_markdown(text: str, top: int = TOP_HEADING) -> SafeString:
    """``text`` as sanitised HTML, its headings starting at ``h{top}`` (2 to 4).

    The text's headings keep their ranks but not their numbers: the highest level it uses
    becomes ``h{top}``, the next one used the level below, and so on down to h4. So a page's
    headings run in order (WCAG's headings and labels) whether the organiser starts at "#" or
    "##", and the page's own h1 stays its only one.
    """
    if not text or not text.strip():
        return mark_safe("")
    top = min(max(int(top), TOP_HEADING), DEEPEST_HEADING)
    env: dict = {}
    tokens = _parser.parse(text, env)
    headings = [token for token in tokens if token.type in ("heading_open", "heading_close")]
    ranks = {level: rank for rank, level in enumerate(sorted({token.tag for token in headings}))}
    for token in headings:
        token.tag = f"h{min(top + ranks[token.tag], DEEPEST_HEADING)}"
    rendered = _parser.renderer.render(tokens, _parser.options, env)
    # nh3 has just removed every tag and attribute outside the lists above, so the result is
    # safe to put on a page as it is.
    return mark_safe(_cleaner.clean(rendered))  # noqa: S308
