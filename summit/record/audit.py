"""The moderation and facilitation log in the record: the summit's audit log, oldest first.

A facilitator's record holds only what was done in their own breakouts (the entries whose
place is one of them); the organisers' record holds every entry.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts.audit import detail_items
from accounts.models import AuditEntry
from summit.event.models import Summit
from summit.record.contents import AuditLine

# Contact details typed by an organiser (an invitation's email address) stay on the audit
# log's own page, which only organisers see, and out of the record, which goes far wider.
LEFT_OUT = frozenset({"email"})


def _kept(detail: dict, names: dict[str, str]) -> dict:
    """The details the record may carry. An idea typed in for a voice in the room names its
    speaker in the log as ``["member", <their id>]``: the record has no person ids, and the
    same id on two entries would tie two anonymous ideas to one person, so it says only that
    a member said it (or which sector, for a voice known by sector alone, named as in
    ``names``, the summit's)."""
    kept = {key: value for key, value in detail.items() if key not in LEFT_OUT}
    speaker = kept.get("speaker")
    if isinstance(speaker, list) and len(speaker) == 2:
        kind, who = speaker
        kept["speaker"] = _("a member of the group") if kind == "member" else names.get(who, who)
    return kept


def _words(value) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, (list, tuple)):
        return ", ".join(_words(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k} {_words(v)}" for k, v in value.items())
    return str(value)


def in_words(detail: dict) -> str:
    """An entry's details as the audit log page gives them: "idea: 12; reason: Off topic".

    In the order of their names: PostgreSQL's JSON keeps no order of its own."""
    return "; ".join(
        f"{name}: {_words(value)}"
        for name, value in detail_items(detail)
        if value not in ("", None, [], {})
    )


def load_audit(
    summit: Summit, names: dict[str, str], places: list[str] | None = None
) -> list[AuditLine]:
    """The summit's audit log, oldest first; with ``places``, only what was done there.
    ``names``: the summit's sectors, key to name. One query."""
    entries = AuditEntry.objects.filter(summit=summit)
    if places is not None:
        entries = entries.filter(place__in=places)
    lines = []
    for at, who, action, place, detail in entries.order_by("created_at", "pk").values_list(
        "created_at", "actor_name", "action", "place", "detail"
    ):
        kept = _kept(detail or {}, names)
        lines.append(AuditLine(at, who, action, place, kept, in_words(kept)))
    return lines
