"""First thoughts: what people who have joined write on a subtheme before the day, and how
they reach the breakouts' walls when the summit goes live. (With the services: each change
is one function that owns its transaction.)

"Before the day" is simply while the summit is open for joining and not yet live. When an
organiser moves it to live, ``place_first_thoughts`` puts every thought not yet on a wall
onto one, as an idea marked as posted beforehand:

- on the wall of the author's own group on that subtheme, when they are in one;
- otherwise (the author is in no group on it: they prefer another subtheme, or are not
  placed yet) on one of that subtheme's open groups, shared out so that each gets as few
  of these as it can, in the order they were written.

A thought whose subtheme has no open group waits for the next move to live. Placing twice
places nothing twice: each thought, once on a wall, points at its idea, and the idea carries
the thought's own token.
"""

from __future__ import annotations

import uuid
from collections import Counter

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import Participant
from breakouts import announcements
from breakouts.models import Breakout, FirstThought, Idea
from breakouts.services import open_breakouts
from summit.event.models import Subtheme, Summit
from summit.event.refusals import Refused


def may_post_first_thoughts(summit: Summit) -> bool:
    """Before the day: the summit is open for joining and not live yet."""
    return summit.status == Summit.Status.OPEN


def post_first_thought(
    *, author: Participant, subtheme: Subtheme, text: str, client_token: uuid.UUID
) -> tuple[FirstThought, bool]:
    """A first thought of ``author``'s on ``subtheme``, once per client token, anonymous if
    they take part anonymously. Refused once the day has begun, on a retired subtheme or
    another summit's, and for someone removed from the summit. Returns the thought and
    whether it is new.

    Side effects: the thought written. Nothing is pushed: no screen shows first thoughts
    until the day, when ``place_first_thoughts`` puts them on the walls.
    """
    summit = author.summit
    if author.removed_at is not None:
        raise Refused(_("You have been removed from this summit. Ask an organiser for help."))
    if not may_post_first_thoughts(summit):
        raise Refused(
            _("First thoughts are written before the day. Bring yours to your breakout now.")
        )
    if subtheme.summit_id != summit.pk or subtheme.retired_at is not None:
        raise Refused(_("Choose one of the summit’s subthemes"))
    existing = FirstThought.objects.filter(author=author, client_token=client_token).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            thought = FirstThought.objects.create(
                summit=summit,
                subtheme=subtheme,
                author=author,
                text=text,
                anonymous=author.anonymous and summit.allow_anonymous,
                client_token=client_token,
            )
    except IntegrityError:
        return FirstThought.objects.get(author=author, client_token=client_token), False
    return thought, True


def withdraw_first_thought(*, author: Participant, thought_id: int) -> FirstThought | None:
    """Take back one of ``author``'s first thoughts before the day, to write it again or not
    at all. Returns the thought as it was (no longer saved), or ``None`` when ``author`` has
    no such thought (withdrawn already: asking twice withdraws once). Refused once the day
    has begun, when the thought is on a wall and is withdrawn there like any idea.

    Side effects: the thought deleted. Nothing is pushed: no screen shows it before the day.
    """
    with transaction.atomic():
        thought = (
            FirstThought.objects.select_for_update()
            .filter(author=author, pk=thought_id)
            .select_related("subtheme")
            .first()
        )
        if thought is None:
            return None
        if thought.idea_id is not None or not may_post_first_thoughts(author.summit):
            raise Refused(
                _("The day has begun: withdraw your first thought from your breakout’s wall.")
            )
        thought.delete()
    return thought


def _walls_for(summit: Summit) -> tuple[dict[int, list[Breakout]], dict[tuple[int, int], int]]:
    """The open groups of each subtheme, earliest first, and which group of a subtheme each
    member is in (subtheme, person) -> breakout. Two queries."""
    groups = list(open_breakouts(summit.pk))
    by_subtheme: dict[int, list[Breakout]] = {}
    for group in groups:
        by_subtheme.setdefault(group.subtheme_id, []).append(group)
    subtheme_of = {g.pk: g.subtheme_id for g in groups}
    membership = Breakout.members.through.objects.filter(breakout_id__in=subtheme_of).order_by(
        "breakout_id"
    )
    mine: dict[tuple[int, int], int] = {}
    for breakout_id, person_id in membership.values_list("breakout_id", "participant_id"):
        mine.setdefault((subtheme_of[breakout_id], person_id), breakout_id)
    return by_subtheme, mine


def place_first_thoughts(summit: Summit) -> int:
    """Put every first thought of the summit not yet on a wall onto one, by the rule in this
    module's docstring, each as an idea marked as posted beforehand. Call it inside the
    transaction that moves the summit to live. Returns how many were placed.

    Side effects: ideas written and each thought pointed at its idea; after commit, the
    screens of every breakout that gained one fetch their board again.
    """
    with transaction.atomic():
        waiting = list(
            FirstThought.objects.select_for_update()
            .filter(summit=summit, idea__isnull=True)
            .order_by("created_at", "id")
        )
        if not waiting:
            return 0
        by_subtheme, mine = _walls_for(summit)
        shared = Counter()
        placed: list[tuple[FirstThought, Breakout]] = []
        for thought in waiting:
            groups = by_subtheme.get(thought.subtheme_id)
            if not groups:
                continue
            own = mine.get((thought.subtheme_id, thought.author_id))
            wall = next((g for g in groups if g.pk == own), None)
            if wall is None:
                wall = min(groups, key=lambda g: (shared[g.pk], g.pk))
                shared[wall.pk] += 1
            placed.append((thought, wall))
        ideas = Idea.objects.bulk_create(
            Idea(
                breakout=wall,
                author_id=thought.author_id,
                prompt_id=wall.current_prompt_id,
                text=thought.text,
                anonymous=thought.anonymous,
                client_token=thought.client_token,
                posted_beforehand=True,
            )
            for thought, wall in placed
        )
        for (thought, _wall), idea in zip(placed, ideas, strict=True):
            thought.idea = idea
        FirstThought.objects.bulk_update([t for t, _w in placed], ["idea"])
        for wall in {w.pk: w for _t, w in placed}.values():
            announcements.after_commit(wall, announcements.FIRST_THOUGHTS_PLACED)
    return len(placed)
