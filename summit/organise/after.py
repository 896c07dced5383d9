"""After the day: what the organisers share of the summit with the people who made it, and
the summary they may publish at a public link and withdraw again.

A services module: each change is one function that writes in a transaction and logs itself
in the audit log. Nothing is pushed: the pages these settings change are read afresh, except
that withdrawing the public link closes the public pages still open at it.
"""

from __future__ import annotations

import re
import secrets
from functools import partial

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.audit import log_action
from accounts.models import Participant
from summit.event.models import Summit
from summit.event.refusals import Refused
from summit.live import close_group

# What ``secrets.token_urlsafe(32)`` makes: a public key of any other shape is refused before
# it reaches the database.
PUBLIC_KEY = re.compile(r"[A-Za-z0-9_-]{43}")


def summit_by_public_key(key: str) -> Summit | None:
    """The summit whose summary is published at this key; ``None`` for any other string,
    and once the link is withdrawn."""
    if not PUBLIC_KEY.fullmatch(key):
        return None
    return Summit.objects.filter(public_key=key).first()


def public_group(key: str) -> str:
    """Every public summary open at this key, closed when the link is withdrawn."""
    return f"public-{key}"


def _check(summit: Summit, by: Participant) -> None:
    if by.summit_id != summit.pk or not by.is_organiser:
        raise Refused(_("Only the summit’s organisers choose what is shared after the day."))


def share_after(summit: Summit, choice: str, *, by: Participant) -> Summit:
    """Choose what participants' "what we did" pages show once the summit has closed: the
    record's summary, the full record page, or nothing but their own contributions.

    Side effects: the summit written; "Chose what is shared after the day" logged with the
    choice before and after (when it changed).
    """
    _check(summit, by)
    if choice not in Summit.SharedAfter.values:
        raise Refused(_("Choose what participants see after the day."))
    with transaction.atomic():
        current = Summit.objects.select_for_update().get(pk=summit.pk)
        was = current.shared_after
        if was != choice:
            current.shared_after = choice
            current.save(update_fields=["shared_after"])
            log_action(by, "Chose what is shared after the day", detail={"from": was, "to": choice})
    summit.shared_after = choice
    return summit


def publish_summary(summit: Summit, *, by: Participant) -> str:
    """Publish the summary at a new unguessable public link (a link already published stays
    as it is). Returns its key.

    Side effects: the summit's public key written; "Published the summary at a public link"
    logged.
    """
    _check(summit, by)
    with transaction.atomic():
        current = Summit.objects.select_for_update().get(pk=summit.pk)
        if current.public_key is None:
            current.public_key = secrets.token_urlsafe(32)
            current.save(update_fields=["public_key"])
            log_action(by, "Published the summary at a public link", detail={})
    summit.public_key = current.public_key
    return current.public_key


def withdraw_public_link(summit: Summit, *, by: Participant) -> None:
    """Withdraw the public link: its address stops working at once, and publishing again
    makes a new one.

    Side effects: the summit's public key cleared; "Withdrew the summary's public link"
    logged (when there was one); after commit, the pages open at the link are closed (they
    are refused when they reconnect).
    """
    _check(summit, by)
    with transaction.atomic():
        current = Summit.objects.select_for_update().get(pk=summit.pk)
        if current.public_key is not None:
            old = current.public_key
            current.public_key = None
            current.save(update_fields=["public_key"])
            log_action(by, "Withdrew the summary's public link", detail={})
            transaction.on_commit(partial(close_group, public_group(old)), robust=True)
    summit.public_key = None
