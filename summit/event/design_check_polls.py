"""Checking a design file's run sheet: the plenary's prepared polls, each read key by key
(``summit.event.design_check`` reads the rest of the file), then held to the rules of its
kind and to the closing rounds that ask a poll again."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from summit.event.design_reading import (
    CONTROL,
    KINDS_WITH_OPTIONS,
    MAX_ITEMS,
    MAX_OPTIONS,
    OPTION_LENGTH,
    POLL_KINDS,
    POLL_QUESTION_LENGTH,
    POLL_SOURCES,
    Part,
)

RUN_SHEET_KEYS = (
    "kind",
    "question",
    "question_cy",
    "options",
    "options_cy",
    "multiple",
    "allow_comment",
    "source",
    "agenda_item",
    "baseline",
    "ask_again",
)


def run_sheet(top: Part, agenda: int) -> list[dict]:
    rows, parts = [], []
    values = top.items("run_sheet", MAX_ITEMS)
    for n, value in enumerate(values, start=1):
        part = Part(value, _("Run sheet poll %(n)d") % {"n": n}, RUN_SHEET_KEYS)
        row = {
            "kind": part.choice("kind", POLL_KINDS),
            "question": part.text("question", POLL_QUESTION_LENGTH, required=True, line=True),
            "question_cy": part.text("question_cy", POLL_QUESTION_LENGTH, line=True),
            "options": part.items("options", MAX_OPTIONS),
            "options_cy": part.items("options_cy", MAX_OPTIONS),
            "multiple": part.flag("multiple", False),
            "allow_comment": part.flag("allow_comment", False),
            "source": part.choice("source", POLL_SOURCES, default=""),
            "agenda_item": part.position("agenda_item", agenda, _("agenda items")),
            "baseline": part.position("baseline", len(values), _("run sheet polls")),
        }
        _poll_rules(part, row)
        _welsh_options(part, row)
        rows.append(row)
        parts.append(part)
    _rounds(rows, parts)
    return rows


def _rounds(rows: list[dict], parts: list[Part]) -> None:
    """Each closing round names the agreement scale it asks again, by its place in the run
    sheet, and takes that poll's statements; a poll has one closing round at most, and is
    marked as asked again (``ask_again``) when it has one unless the file says otherwise."""
    asked_again: dict[int, int] = {}
    for n, (row, part) in enumerate(zip(rows, parts, strict=True), start=1):
        first = row["baseline"]
        if first is None:
            continue
        if first == n:
            raise part.refused(_("must be another poll of the run sheet, not this one"), "baseline")
        if rows[first - 1]["kind"] != "scale":
            raise part.refused(
                _("must be an agreement scale: poll %(first)d is not one") % {"first": first},
                "baseline",
            )
        if rows[first - 1]["baseline"] is not None:
            raise part.refused(
                _("must be a poll asked first: poll %(first)d is itself a closing round")
                % {"first": first},
                "baseline",
            )
        if first in asked_again:
            raise part.refused(
                _("must be a poll no other closing round asks again: poll %(other)d does")
                % {"other": asked_again[first]},
                "baseline",
            )
        asked_again[first] = n
    for n, (row, part) in enumerate(zip(rows, parts, strict=True), start=1):
        row["ask_again"] = part.flag("ask_again", n in asked_again)
        if row["ask_again"] and row["kind"] != "scale":
            raise part.refused(_("can only be true for an agreement scale"), "ask_again")


def _poll_rules(part: Part, row: dict) -> None:
    """What a poll of each kind may have: options of its own only when it chooses, ranks or
    rates them and takes none from the summit's lists; several answers only in a multiple
    choice; a challenge in the person's own words only on an agreement scale; a baseline only
    for an agreement scale asked again, whose statements are its baseline's."""
    for option in row["options"]:
        if not isinstance(option, str) or not option.strip() or CONTROL.search(option):
            raise part.refused(_("must each be text, in quotes"), "options")
        if len(option) > OPTION_LENGTH:
            raise part.refused(
                _("must each be %(limit)d characters or fewer") % {"limit": OPTION_LENGTH},
                "options",
            )
    if row["source"] and row["kind"] not in KINDS_WITH_OPTIONS:
        raise part.refused(
            _(
                "can only be the working assumptions or obstacles for a multiple choice, an "
                "agreement scale or a ranking"
            ),
            "source",
        )
    if row["options"] and (row["kind"] not in KINDS_WITH_OPTIONS or row["source"]):
        raise part.refused(
            _(
                "belong only to a multiple choice, an agreement scale or a ranking that takes "
                "no options from the summit’s lists"
            ),
            "options",
        )
    if row["multiple"] and row["kind"] != "choice":
        raise part.refused(_("can only be true for a multiple choice"), "multiple")
    if row["allow_comment"] and row["kind"] != "scale":
        raise part.refused(_("can only be true for an agreement scale"), "allow_comment")
    if row["baseline"] is not None:
        if row["kind"] != "scale":
            raise part.refused(
                _("belongs only to an agreement scale asked again at the close"), "baseline"
            )
        # A closing round asks again the statements of the poll it names, as that poll has them.
        if row["options"]:
            raise part.refused(
                _("are its baseline’s: a closing round has none of its own"), "options"
            )
        if row["source"]:
            raise part.refused(
                _("is its baseline’s: a closing round has none of its own"), "source"
            )


def _welsh_options(part: Part, row: dict) -> None:
    """The options in Welsh, when given, are one for each of the poll's own options, in their
    order: empty for an option with no Welsh version."""
    welsh = row["options_cy"]
    for option in welsh:
        if not isinstance(option, str) or CONTROL.search(option):
            raise part.refused(_("must each be text, in quotes"), "options_cy")
        if len(option) > OPTION_LENGTH:
            raise part.refused(
                _("must each be %(limit)d characters or fewer") % {"limit": OPTION_LENGTH},
                "options_cy",
            )
    count = len(row["options"])
    if welsh and not count:
        raise part.refused(
            _("must be left out: the poll has no options of its own to put into Welsh"),
            "options_cy",
        )
    if welsh and len(welsh) != count:
        raise part.refused(
            ngettext(
                "must hold %(count)d entry, for the poll’s one option, or be left out",
                "must hold %(count)d entries, one for each of the poll’s options in the same "
                "order (empty for an option with no Welsh version), or be left out",
                count,
            )
            % {"count": count},
            "options_cy",
        )
