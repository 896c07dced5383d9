"""Every change to a breakout: one function each, writing in a transaction, pushing on commit."""

from __future__ import annotations

import uuid
from functools import partial

from django.db import IntegrityError, transaction
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
