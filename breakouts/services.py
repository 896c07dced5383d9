"""Every change to a breakout: one function each, writing in a transaction, pushing on commit."""

from __future__ import annotations

import uuid
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string

from accounts.models import Participant
from breakouts.models import Breakout, Idea
from summit.live import push
from summit.models import Summit

MEMBERS = "members"
FACILITATORS = "facilitators"


class Refused(Exception):
    """A request the rules of the breakout do not allow; the message is for the person."""


def breakout_group(breakout_id: int, audience: str) -> str:
    return f"breakout-{breakout_id}-{audience}"


def visible_ideas(breakout: Breakout):
    return (
        Idea.objects.filter(breakout=breakout, status=Idea.Status.VISIBLE)
        .select_related("author", "prompt")
        .order_by("-created_at", "-id")
    )


def ensure_breakouts(summit: Summit) -> list[Breakout]:
    """One breakout per subtheme, named after it; existing breakouts are left as they are.

    Side effects: database writes only.
    """
    breakouts = []
    for subtheme in summit.subthemes.all():
        breakout, _ = Breakout.objects.get_or_create(
            summit=summit,
            subtheme=subtheme,
            defaults={"name": subtheme.title, "current_prompt": subtheme.prompts.first()},
        )
        breakouts.append(breakout)
    return breakouts


def place_new_member(participant: Participant) -> Breakout | None:
    """Put a new attendee in the open breakout with fewest people from their sector, then
    fewest people: groups stay mixed across sectors as people arrive.

    Side effects: database writes only. Returns ``None`` when the summit has no open breakout.
    """
    active = Q(members__removed_at__isnull=True)
    candidates = (
        Breakout.objects.filter(summit_id=participant.summit_id)
        .exclude(phase=Breakout.Phase.CLOSED)
        .annotate(
            same_sector=Count("members", filter=active & Q(members__sector=participant.sector)),
            size=Count("members", filter=active),
        )
        .order_by("same_sector", "size", "pk")
    )
    breakout = candidates.first()
    if breakout is not None:
        breakout.members.add(participant)
    return breakout


def assign(participant: Participant, breakout: Breakout | None) -> None:
    """Make the person's breakout ``breakout`` (or none): a member if they attend, its
    facilitator if they facilitate. Organisers reach every breakout and are not assigned.

    Side effects: database writes only; the person's screens reconnect on their next load.
    """
    with transaction.atomic():
        participant.breakouts.clear()
        participant.facilitated_breakouts.clear()
        if breakout is None or participant.is_organiser:
            return
        if participant.is_facilitator:
            breakout.facilitators.add(participant)
        else:
            breakout.members.add(participant)


def post_idea(
    *,
    breakout: Breakout,
    author: Participant,
    text: str,
    client_token: uuid.UUID,
    anonymous: bool = False,
) -> tuple[Idea, bool]:
    """Add an idea to the breakout, once per client token.

    A retried or double-submitted post carries the token of the first, so it returns the idea
    already made and ``False`` instead of making another. Raises ``Refused`` outside the phases
    that take ideas. Side effects: after commit, the idea's card is pushed to the breakout's
    members and facilitators.
    """
    existing = Idea.objects.filter(author=author, client_token=client_token).first()
    if existing is not None:
        return existing, False
    if not breakout.accepts_ideas:
        raise Refused(
            f"The group is not taking new ideas in the “{breakout.get_phase_display()}” phase"
        )
    try:
        with transaction.atomic():
            idea = Idea.objects.create(
                breakout=breakout,
                author=author,
                prompt=breakout.current_prompt,
                text=text,
                anonymous=anonymous and breakout.summit.allow_anonymous,
                client_token=client_token,
            )
            transaction.on_commit(partial(_push_new_idea, idea), robust=True)
    except IntegrityError:
        # A concurrent request with the same token won the race.
        return Idea.objects.get(author=author, client_token=client_token), False
    return idea, True


def _push_new_idea(idea: Idea) -> None:
    fragments = []
    for audience in (MEMBERS, FACILITATORS):
        html = render_to_string(
            "breakouts/ideas.html#idea_push",
            {"idea": idea, "console": audience == FACILITATORS},
        )
        fragments.append((breakout_group(idea.breakout_id, audience), html))
    push(fragments)
