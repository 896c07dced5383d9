"""Pushes in each screen's language.

A screen joins its groups in the language of the page it was opened from (``for_scope``):
``breakout-7-members`` becomes ``breakout-7-members.cy`` for a screen in Welsh. A push is
therefore rendered once per audience and language, not once per screen: ``rendered`` gives a
fragment in each language wanted, and ``in_languages`` sends each to its language's group;
a fragment with no words in it (a signal to fetch again) is one text, sent to every language.

Which languages are wanted for a group: the source language always (most screens are in
it), and each other language in which a screen has joined the group within
``PRESENT_SECONDS``. Joining marks the group's language present through the counts every
worker shares, so a worker pushing knows of screens held by another.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from summit.web import counts
from summit.web.language import for_scope, offered

__all__ = [
    "for_scope",
    "group_in",
    "in_languages",
    "joined",
    "offered",
    "render_each",
    "rendered",
    "split_group",
    "text_in",
    "wanted",
]

logger = logging.getLogger("summit.live")

# A summit day and its evening: a screen open all day rejoins its groups when it reconnects.
PRESENT_SECONDS = 12 * 60 * 60

# A fragment as pushed: one text for every language, or a text per language.
Fragment = str | Mapping[str, str]


def group_in(group: str, language: str) -> str:
    """The group of ``group``'s screens in ``language``."""
    return f"{group}.{language}"


def split_group(group: str) -> tuple[str, str]:
    """A group in a language (``group_in``) as the group and the language."""
    base, _, language = group.rpartition(".")
    return base, language


def _mark(group: str, language: str) -> str:
    return f"present:{group}:{language}"


def joined(groups: Iterable[str], language: str) -> None:
    """Note that a screen in ``language`` has joined ``groups`` (blocking: one round trip)."""
    if language == settings.LANGUAGE_CODE:
        return
    try:
        counts.keep_marks([_mark(group, language) for group in groups], PRESENT_SECONDS * 1000)
    except counts.UNAVAILABLE:
        # Without the counts, the language is not rendered for this group until a screen
        # joins again; the screen still catches up when it fetches its board.
        logger.warning("Could not note the screens' language %s", language)


def wanted(*groups: str) -> list[str]:
    """The languages to render a push to ``groups`` in: the source language, and the others
    that a screen of one of the groups has joined in lately."""
    others = [code for code in offered() if code != settings.LANGUAGE_CODE]
    pairs = [(code, _mark(group, code)) for code in others for group in groups]
    try:
        held = counts.marked([name for _, name in pairs]) if pairs else []
    except counts.UNAVAILABLE:
        held = [True] * len(pairs)  # unsure: render them all
    present = {code for (code, _), is_held in zip(pairs, held, strict=True) if is_held}
    return [settings.LANGUAGE_CODE, *[code for code in others if code in present]]


def rendered(render: Callable[[], str], languages: Iterable[str]) -> dict[str, str]:
    """``render()`` once in each of ``languages``."""
    texts = {}
    for code in languages:
        with translation.override(code):
            texts[code] = render()
    return texts


def render_each(template: str, context: dict, *groups: str) -> dict[str, str]:
    """``template`` rendered once in each language ``wanted`` by ``groups``' screens."""
    return rendered(lambda: render_to_string(template, context), wanted(*groups))


def text_in(fragment: Fragment, group: str) -> str:
    """What of ``fragment`` goes to ``group``, a group in a language (``group_in``)."""
    if isinstance(fragment, str):
        return fragment
    return fragment.get(split_group(group)[1], "")


def in_languages(fragments: Iterable[tuple[str, Fragment]]) -> list[tuple[str, str]]:
    """Each ``(group, fragment)`` as the ``(group in a language, text)`` pairs to send."""
    sent = []
    for group, fragment in fragments:
        if isinstance(fragment, str):
            sent += [(group_in(group, code), fragment) for code in offered()]
        else:
            sent += [(group_in(group, code), text) for code, text in fragment.items()]
    return sent
