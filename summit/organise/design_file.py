"""A whole summit's design file, breakouts and run sheet included: exported from a summit,
imported as a new one, and the shipped Place Summit loaded from its own.

The event's parts are read and written by ``summit.event.design``; what the apps above it hold
(each subtheme's breakouts, the plenary's prepared polls) is read and written here, in the same
transaction, since only this layer may reach them all.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from breakouts import services as breakout_services
from breakouts.models import Breakout
from plenary.models import Plenary, Poll
from plenary.polls import make_poll
from summit.event.design import (
    PLACE_SUMMIT_DATA,
    SCHEMA_URL_PATH,
    Imported,
    export_design,
    import_design,
    welsh,
)
from summit.event.design_check import check_design
from summit.event.models import Summit
from summit.event.refusals import Refused

# A design file is text: a summit's whole design fits in a fraction of this.
MAX_FILE_BYTES = 1024 * 1024


def summit_design(summit: Summit, *, schema_url: str = SCHEMA_URL_PATH) -> dict:
    """The summit's whole design: the event's parts, the names of each subtheme's breakouts,
    and (once the summit has a plenary) its run sheet, every poll in running order.
    Nobody's data is in it."""
    breakouts: dict[int, list[str]] = {}
    for subtheme_id, name in (
        Breakout.objects.filter(summit=summit)
        .order_by("subtheme__order", "subtheme_id", "name", "pk")
        .values_list("subtheme_id", "name")
    ):
        breakouts.setdefault(subtheme_id, []).append(name)
    plenary = Plenary.objects.filter(summit=summit).first()
    run_sheet = None
    if plenary is not None:
        polls = list(plenary.polls.prefetch_related("options"))
        at = {poll.pk: n for n, poll in enumerate(polls, start=1)}
        asked_again = {poll.baseline_id for poll in polls if poll.baseline_id}
        run_sheet = [_poll_row(poll, at, asked_again) for poll in polls]
    return export_design(summit, schema_url=schema_url, breakouts=breakouts, run_sheet=run_sheet)


def _poll_row(poll: Poll, at: dict[int, int], asked_again: set[int]) -> dict:
    # Options made from outcomes, from the summit's lists or from a closing round's baseline
    # are made again when they are needed; only a poll's own options are part of its design.
    own = (
        poll.kind != Poll.Kind.CONSENSUS
        and not poll.source
        and not poll.baseline_id
        and poll.has_options
    )
    options = list(poll.options.all()) if own else []
    welsh_options = [option.text_cy for option in options]
    row = {
        "kind": poll.kind,
        "question": poll.question,
        **welsh(poll, "question"),
        "options": [option.text for option in options],
        # One for each option, empty where an option has none; only when one has.
        **({"options_cy": welsh_options} if any(welsh_options) else {}),
        "multiple": poll.multiple,
        "allow_comment": poll.allow_comment,
        "source": poll.source,
        "agenda_item_id": poll.agenda_item_id,
    }
    if poll.baseline_id:
        row["baseline"] = at[poll.baseline_id]
    # Asking again writes the closing round, and removing it unmarks the baseline, so the
    # flag is written only where it says something the closing rounds do not.
    if poll.ask_again != (poll.pk in asked_again):
        row["ask_again"] = poll.ask_again
    return row


def import_summit_design(
    data,
    *,
    slug: str | None = None,
    status: str = Summit.Status.DRAFT,
    breakout_per_subtheme: bool = False,
) -> Summit:
    """A new summit made from the design file's content ``data`` (checked first: ``Refused``
    names the place of the first problem), with the breakouts it names and, when it has a run
    sheet, its plenary with those polls prepared. With ``breakout_per_subtheme``, a subtheme
    in use that the file names no breakout for gets one named after it, as a new summit has.

    Side effects: the summit and every part of it written in one transaction (nobody is in
    the summit yet, so no screen shows it and no organiser of it is there to log it).
    """
    with transaction.atomic():
        made = import_design(data, slug=slug, status=status)
        _breakouts(made, breakout_per_subtheme=breakout_per_subtheme)
        if made.design["run_sheet"] is not None:
            _run_sheet(made)
    return made.summit


def _breakouts(made: Imported, *, breakout_per_subtheme: bool) -> None:
    taken = {
        n.casefold()
        for n in Breakout.objects.filter(summit=made.summit).values_list("name", flat=True)
    }
    for subtheme, row in zip(made.subthemes, made.design["subthemes"], strict=True):
        names = row["breakouts"]
        if not names and breakout_per_subtheme and not row["retired"]:
            names = [_free_name(subtheme.title, taken)]
        for name in names:
            taken.add(name.casefold())
            if subtheme.retired_at is None:
                breakout_services.add_breakout(subtheme, name)
            else:
                # A retired subtheme takes no new group on the day, but the groups that worked
                # on it before it was retired come across with it.
                breakout_services.new_breakout(subtheme, name, summit=made.summit).save()


def _free_name(name: str, taken: set[str]) -> str:
    """``name``, or ``name 2``, ``name 3``... if a breakout of the summit has it (``taken``,
    casefolded)."""
    free, n = name, 2
    while free.casefold() in taken:
        free, n = f"{name} {n}", n + 1
    return free


def _run_sheet(made: Imported) -> None:
    """The plenary, with the run sheet's polls prepared in its order. A poll that takes its
    options from the working assumptions or obstacles is given them as they stand, so it can
    be opened as it is; a closing round is given its baseline's, and linked to it."""
    plenary = Plenary.objects.create(summit=made.summit)
    rows = made.design["run_sheet"]
    options = _options(made.design, "text", "options")
    welsh = _options(made.design, "text_cy", "options_cy")
    polls = [
        make_poll(
            plenary,
            row["kind"],
            row["question"],
            # A closing round asks again its baseline's statements, in the same order.
            options[row["baseline"] - 1] if row["baseline"] else options[n],
            options_cy=welsh[row["baseline"] - 1] if row["baseline"] else welsh[n],
            question_cy=row["question_cy"],
            multiple=row["multiple"],
            allow_comment=row["allow_comment"],
            source=row["source"],
            position=n + 1,
            agenda_item=made.agenda[row["agenda_item"] - 1] if row["agenda_item"] else None,
            ask_again=row["ask_again"],
        )
        for n, row in enumerate(rows)
    ]
    # Linked once every poll is written: a closing round may stand before its baseline.
    closing = []
    for poll, row in zip(polls, rows, strict=True):
        if row["baseline"]:
            poll.baseline = polls[row["baseline"] - 1]
            closing.append(poll)
    Poll.objects.bulk_update(closing, ["baseline"])


def _options(design: dict, field: str, key: str) -> list[list[str]]:
    """Each run sheet poll's options as the file gives them (``field`` of the summit's list a
    poll takes them from, else its own ``key``): in English, or their Welsh versions."""
    lists = {
        Poll.Source.ASSUMPTIONS: [row[field] for row in design["assumptions"]],
        Poll.Source.OBSTACLES: [row[field] for row in design["obstacles"]],
    }
    return [lists[row["source"]] if row["source"] else row[key] for row in design["run_sheet"]]


def read_design_file(content: bytes) -> dict:
    """The design in a file's bytes, checked: refused (``Refused``, in words for the person
    who chose the file) when it is too big, not UTF-8 JSON, or not a right design file."""
    if not content.strip():
        raise Refused(_("The selected file is empty"))
    if len(content) > MAX_FILE_BYTES:
        raise Refused(_("The selected file must be smaller than 1 MB"))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Refused(_("The selected file must be text in UTF-8, as a design file is")) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise Refused(
            _("The selected file is not JSON: %(problem)s at line %(line)d, column %(column)d")
            % {"problem": error.msg, "line": error.lineno, "column": error.colno}
        ) from None
    except RecursionError:
        raise Refused(_("The selected file is not a design file: it nests too deeply")) from None
    check_design(data)
    return data


def load_place_summit(path: Path = PLACE_SUMMIT_DATA) -> tuple[Summit, int]:
    """The Place Summit from its design file (or the summit of another file at ``path``), open
    for joining; the summit as it is when it is there already (an organiser's edits since are
    theirs to keep). Returns the summit and how many of its parts were loaded: none the
    second time. Refused (``Refused``) when the file is not a right design file.

    Side effects: the summit and its parts written, the first time only.
    """
    data = read_design_file(path.read_bytes())
    slug = slugify(data["summit"].get("slug") or data["summit"]["title"]) or "summit"
    with transaction.atomic():
        existing = Summit.objects.filter(slug=slug).first()
        if existing is not None:
            return existing, 0
        summit = import_summit_design(data, slug=slug, status=Summit.Status.OPEN)
    return summit, _parts(data)


def _parts(data: dict) -> int:
    """The summit and each thing listed in its design: what was written for it."""
    lists = ("sectors", "subthemes", "areas", "assumptions", "obstacles", "agenda")
    lists += ("pre_reading", "materials", "run_sheet")
    return 1 + sum(len(data.get(key) or []) for key in lists)
