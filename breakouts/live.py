"""Pushing a breakout's changes to its screens, rendered once per audience after commit.

Small changes travel as fragments that htmx swaps in out of band: a new idea, an edit, a
withdrawal, a comment, new dot totals. Changes that reshape the board (phase, timer, prompt,
clusters, merges, hiding, outcomes) send a refresh signal: each screen fetches its board
again, so what is personal on it (your dots, your ideas, your ratings) stays right.
"""

from __future__ import annotations

import uuid

from django.template.loader import render_to_string

from breakouts.board import AUDIENCES, FACILITATORS, MEMBERS, Board, breakout_group
from breakouts.models import Breakout, Cluster, Comment, Idea
from summit.live import push


def _board(breakout: Breakout, audience: str) -> Board:
    clusters = list(Cluster.objects.filter(breakout=breakout)) if audience == FACILITATORS else []
    return Board(breakout, audience, [], clusters, [])


def _each_audience(breakout: Breakout, template: str, audiences=AUDIENCES, **context) -> None:
    fragments = []
    for audience in audiences:
        board = _board(breakout, audience)
        # A fresh token for the comment form on a pushed card; each person's own submissions
        # are told apart by author, so sharing one among the audience is harmless.
        html = render_to_string(
            template,
            {**context, "board": board, "breakout": breakout, "token": uuid.uuid4()},
        )
        fragments.append((breakout_group(breakout.pk, audience), html))
    push(fragments)


def idea_added(idea: Idea) -> None:
    idea.dot_total = idea.voter_count = 0
    _each_audience(idea.breakout, "breakouts/board.html#idea_added", idea=idea)


def idea_changed(idea: Idea) -> None:
    """An edit replaces the card; a withdrawal takes it off every screen."""
    idea.dot_total = idea.voter_count = 0
    _each_audience(idea.breakout, "breakouts/board.html#idea_changed", idea=idea)


def comment_added(comment: Comment) -> None:
    """To members and facilitators: the big screen shows no comments."""
    _each_audience(
        comment.idea.breakout,
        "breakouts/board.html#comment_added",
        audiences=(MEMBERS, FACILITATORS),
        comment=comment,
        comment_count=Comment.objects.filter(idea_id=comment.idea_id).count(),
    )


def totals_changed(idea: Idea, dot_total: int, voter_count: int) -> None:
    """New dot totals, to the audiences allowed to see them now."""
    breakout = idea.breakout
    html = render_to_string(
        "breakouts/board.html#totals_changed",
        {"idea": idea, "dot_total": dot_total, "voter_count": voter_count},
    )
    audiences = AUDIENCES if breakout.votes_visible else (FACILITATORS,)
    push([(breakout_group(breakout.pk, audience), html) for audience in audiences])


def board_changed(breakout: Breakout, announcement: str) -> None:
    """Every screen of the breakout fetches its board again, and hears what changed."""
    html = render_to_string(
        "breakouts/board.html#board_changed",
        {"breakout": breakout, "announcement": announcement},
    )
    push([(breakout_group(breakout.pk, audience), html) for audience in AUDIENCES])
