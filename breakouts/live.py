"""Pushing a breakout's changes to its screens, rendered once per audience after commit.

Small changes travel as fragments that htmx swaps in out of band: a new idea, an edit, a
withdrawal, a comment, new dot totals. Changes that reshape the board (phase, timer, prompt,
clusters, merges, hiding, outcomes) send a refresh signal: each screen fetches its board
again, so what is personal on it (your dots, your ideas, your ratings) stays right.
"""

from __future__ import annotations

import contextlib
import uuid
from functools import partial
from typing import NamedTuple

from django.db.models import Count, Sum
from django.template.loader import render_to_string
from django.utils.functional import Promise
from django.utils.translation import get_language

from breakouts.balance import voice_balance
from breakouts.board import (
    AUDIENCES,
    FACILITATORS,
    MEMBERS,
    Board,
    attach_support,
    breakout_group,
    subtheme_work_group,
    wall_counts,
)
from breakouts.models import Breakout, Cluster, Comment, Idea, Vote
from summit.event.sectors import names_for
from summit.live import (
    Fragment,
    close_group,
    group_in,
    in_languages,
    later,
    push,
    render_each,
    rendered,
    send,
    split_group,
    text_in,
    wanted,
)
from summit.web import counts, replay

# The consoles' voice balance is worked out at most once in this many seconds per breakout:
# the first change at once, with its card; changes within the window once more at its end,
# summed up. It costs as much as the rest of a post together, and a busy breakout changes every
# second or so; who has not been heard yet is a matter of minutes, so a panel a few seconds
# behind the cards tells the facilitator the same. With Redis the window is shared by every
# worker, so each panel is worked out by one of them.
VOICE_SECONDS = 5.0

# What a push that asks every screen to fetch its board again carries (board_changed).
REFRESH = "data-refresh-board"


class ClusterChoice(NamedTuple):
    """A cluster as a pushed console card offers it: its id and name."""

    pk: int
    name: str


def cluster_choices(breakout: Breakout) -> list[ClusterChoice]:
    """The breakout's clusters in their order, as each new card on a console offers them."""
    rows = Cluster.objects.filter(breakout_id=breakout.pk).values_list("pk", "name")
    return [ClusterChoice(*row) for row in rows]


def _push(
    fragments: list[tuple[str, Fragment]],
    *,
    coalesce: str | None = None,
    console_html: Fragment = "",
) -> None:
    """Push to the breakout's screens, each push numbered and kept for a while, so that a
    screen that reconnects is sent what it missed rather than its whole board. What goes to
    the consoles alone (their voice balance, the word that ideas alike may have changed) goes
    with their push but is not kept: a console fetches its panels anew when it reconnects,
    and only the latest counts."""
    fragments = replay.record(in_languages(fragments))
    if console_html:
        fragments = [
            (group, html + text_in(console_html, group) if _consoles(group) else html)
            for group, html in fragments
        ]
    send(fragments, coalesce=coalesce)


def _consoles(group: str) -> bool:
    """Whether ``group``, a group in a language, is a breakout's consoles."""
    return split_group(group)[0].endswith(FACILITATORS)


def missed(breakout_id: int, audience: str, seen: int, drawn: int = 0) -> list[str] | None:
    """What an audience's screens were pushed after push number ``seen`` (and not before
    ``drawn``, the number their board was drawn with), as they were sent; ``None`` when the
    screen must fetch its whole board: some of it is no longer kept, or it changed shape
    (each screen then fetches its own)."""
    pushes = replay.since(_in_language(breakout_id, audience), seen, drawn)
    if pushes is None or any(REFRESH in html for html in pushes):
        return None
    return pushes


def latest_push(breakout_id: int, audience: str) -> dict:
    """The audience's group and the number of its latest push, for a board about to be
    drawn (as ``seq_group`` and ``seq``, which it carries)."""
    group = _in_language(breakout_id, audience)
    return {"seq_group": group, "seq": replay.latest(group)}


def _in_language(breakout_id: int, audience: str) -> str:
    """The audience's group in the language of the request: its screens' pushes are numbered
    per language."""
    return group_in(breakout_group(breakout_id, audience), get_language())


def _board(breakout: Breakout, audience: str, wall: dict[str, int] | None) -> Board:
    clusters = cluster_choices(breakout) if audience == FACILITATORS else []
    idea_count = wall[audience] if wall is not None else None
    return Board(breakout, audience, [], clusters, [], idea_count=idea_count)


def _each_audience(
    breakout: Breakout,
    template: str,
    audiences=AUDIENCES,
    *,
    voice: bool = False,
    wall: dict[str, int] | None = None,
    alike: bool = False,
    **context,
) -> None:
    """Render ``template`` once per audience and push it; with ``voice``, the consoles'
    message also carries the voice balance, since a contribution has changed it (unless it
    was sent within ``VOICE_SECONDS``: then it follows on its own at the window's end). With
    ``wall``, each audience's count of the ideas on its wall goes too; with ``alike``, the
    consoles hear that the ideas on the wall, and so those alike, have changed."""
    groups = {audience: breakout_group(breakout.pk, audience) for audience in audiences}
    # The languages the room's screens are in, looked up once for every audience.
    languages = wanted(*groups.values())
    console_html = _voice_if_due(breakout, languages) if voice else {}
    if alike:
        console_html = _with_signal(console_html, languages)
    fragments = []
    for audience, group in groups.items():
        # A fresh token for the comment form on a pushed card; each person's own submissions
        # are told apart by author, so sharing one among the audience is harmless.
        values = {
            **context,
            "board": _board(breakout, audience, wall),
            "breakout": breakout,
            "token": uuid.uuid4(),
        }
        html = rendered(partial(render_to_string, template, values), languages)
        fragments.append((group, html))
    _push(fragments, console_html=console_html)


def _alike_signal() -> str:
    """What tells a console to fetch its possible duplicates and suggested clusters again."""
    return render_to_string("breakouts/alike.html#signal")


def _with_signal(console_html: dict[str, str], languages: list[str]) -> dict[str, str]:
    """The consoles' fragment in each language, with the signal that ideas alike changed."""
    signal = _alike_signal()
    return {code: console_html.get(code, "") + signal for code in languages}


def alike_changed(breakout: Breakout) -> None:
    """The breakout's consoles fetch their possible duplicates and suggested clusters again (a
    facilitator has dismissed or discarded one). Not numbered: a console fetches its panels
    anew when it reconnects."""
    push([(breakout_group(breakout.pk, FACILITATORS), _alike_signal())])


def _voice(breakout: Breakout, languages: list[str] | None = None) -> dict[str, str]:
    """The consoles' voice balance panel, swapped in out of band, in each language (those
    of the consoles unless given)."""
    if languages is None:
        languages = wanted(breakout_group(breakout.pk, FACILITATORS))
    values = {"voice": voice_balance(breakout), "breakout_id": breakout.pk}
    return rendered(
        partial(render_to_string, "breakouts/voice.html#voice_changed", values), languages
    )


def _voice_if_due(breakout: Breakout, languages: list[str] | None = None) -> dict[str, str]:
    """The voice balance panel to go with a change, or nothing if it follows later."""
    return _voice(breakout, languages) if _voice_throttle.now(breakout.pk) else {}


class _VoiceThrottle:
    """When each breakout's voice balance was last sent, and which are due to be sent again:
    two marks kept by ``summit.web.counts``, so in Redis for every worker when there is one,
    else in this process.

    Either way a change never goes unsent: a change that finds the panel already due is
    left to that send, which reads the balance after clearing the mark, and so after the
    change was committed."""

    def now(self, breakout_id: int) -> bool:
        """Whether to send the balance with this change; if not, it is sent later."""
        sent, due, window = _window(breakout_id)
        try:
            if counts.mark(sent, window):
                return True
            # Due already (on any worker): that send counts this change too. The mark
            # outlives a worker that dies before sending, so later changes are not left
            # waiting for it.
            if not counts.mark(due, 3 * window):
                return False
            wait = counts.remaining_ms(sent) / 1000
        except counts.UNAVAILABLE:
            return True  # nothing to share the window through: with every change
        if later(wait, self.send, breakout_id):
            return False
        self._mark_sent(breakout_id)  # no event loop to send it later from: now, then
        return True

    def _mark_sent(self, breakout_id: int) -> None:
        """Note a send starting now: changes committed from here on are due again."""
        sent, due, window = _window(breakout_id)
        # Redis away: the next change sends it with its card.
        with contextlib.suppress(counts.UNAVAILABLE):
            counts.mark_anew(sent, window, clearing=due)

    def send(self, breakout_id: int) -> None:
        self._mark_sent(breakout_id)  # before reading
        # No ordering: first() would otherwise sort by the breakout's subtheme, a join.
        breakout = Breakout.objects.filter(pk=breakout_id).order_by().first()
        if breakout is not None:
            # Not numbered: a console fetches its voice balance anew when it reconnects.
            push([(breakout_group(breakout_id, FACILITATORS), _voice(breakout))])


def _window(breakout_id: int) -> tuple[str, str, int]:
    """The breakout's two marks (sent, due) and the window in milliseconds."""
    return f"voice:sent:{breakout_id}", f"voice:due:{breakout_id}", round(VOICE_SECONDS * 1000)


_voice_throttle = _VoiceThrottle()


def idea_added(idea: Idea) -> None:
    """The new card, and each wall's count of ideas, read after the commit."""
    idea.dot_total = idea.voter_count = 0
    breakout = idea.breakout
    wall = wall_counts(breakout)
    _each_audience(
        breakout, "breakouts/board.html#idea_added", voice=True, wall=wall, alike=True, idea=idea
    )


def idea_changed(idea: Idea) -> None:
    """An edit replaces the card; a withdrawal takes it off every screen, with the count."""
    idea.dot_total = idea.voter_count = 0
    breakout = idea.breakout
    wall = wall_counts(breakout) if idea.status != Idea.Status.VISIBLE else None
    _each_audience(breakout, "breakouts/board.html#idea_changed", wall=wall, alike=True, idea=idea)


def comment_added(comment: Comment) -> None:
    """To members and facilitators: the big screen shows no comments."""
    _each_audience(
        comment.idea.breakout,
        "breakouts/board.html#comment_added",
        audiences=(MEMBERS, FACILITATORS),
        comment=comment,
        comment_count=Comment.objects.filter(idea_id=comment.idea_id).count(),
        voice=True,
    )


def totals_changed(idea: Idea) -> None:
    """The idea's new dot total and cross-sector support, to the audiences allowed to see
    them now; and the consoles' voice balance."""
    breakout = idea.breakout
    rows = (
        Vote.objects.filter(idea=idea)
        .values_list("voter__sector")
        .annotate(voters=Count("id"), dots=Sum("dots"))
    )
    sectors = {sector: voters for sector, voters, _ in rows}
    idea.dot_total = sum(dots for _, _, dots in rows)
    idea.voter_count = sum(sectors.values())
    attach_support(idea, sectors, names_for(breakout))
    audiences = AUDIENCES if breakout.votes_visible else (FACILITATORS,)
    groups = [breakout_group(breakout.pk, audience) for audience in audiences]
    html = render_each("breakouts/board.html#totals_changed", {"idea": idea}, *groups)
    _push(
        [(group, html) for group in groups],
        coalesce=f"totals-{idea.pk}",
        console_html=_voice_if_due(breakout),
    )


def board_changed(
    breakout: Breakout, announcement: str | Promise, *, renamed: bool = False
) -> None:
    """Every screen of the breakout fetches its board again, and hears what changed; with
    ``renamed``, each shows the breakout's new name in its heading too. The screens that
    follow the subtheme's breakouts (the themes across rooms) fetch theirs again, silently:
    several rooms' changes at once reach them as one. A lazy ``announcement`` is put into
    words as the push is drawn, in the language it is drawn in."""
    groups = [breakout_group(breakout.pk, audience) for audience in AUDIENCES]
    html = render_each(
        "breakouts/board.html#board_changed",
        {"breakout": breakout, "announcement": announcement, "renamed": renamed},
        *groups,
    )
    _push([(group, html) for group in groups])
    work = render_to_string("breakouts/board.html#work_changed")
    push(
        [(subtheme_work_group(breakout.subtheme_id), work)], coalesce=f"work-{breakout.subtheme_id}"
    )


def summit_boards_changed(summit_id: int, announcement: str | Promise) -> list[tuple[str, str]]:
    """What tells every screen of every breakout in the summit to fetch its board again (the
    summit's own design has changed), numbered like every push, for the caller to send with
    the other rooms' in one push."""
    breakouts = Breakout.objects.filter(summit_id=summit_id).order_by().values_list("pk", flat=True)
    groups = [breakout_group(pk, who) for pk in breakouts for who in AUDIENCES]
    html = render_each(
        "breakouts/board.html#board_changed", {"announcement": announcement}, *groups
    )
    return replay.record(in_languages([(group, html) for group in groups]))


def breakout_renamed(breakout: Breakout, announcement: str | Promise) -> None:
    """Every screen of the breakout shows its new name in its heading, fetches its board
    again and hears what changed."""
    board_changed(breakout, announcement, renamed=True)


def breakout_removed(breakout_id: int) -> None:
    """Every screen of a breakout that no longer exists is closed; reopened, it is refused."""
    for audience in AUDIENCES:
        close_group(breakout_group(breakout_id, audience))
