"""Dot votes, and the outcomes a group drafts and rates: each writes in a transaction and
pushes to the breakout's screens on commit; what facilitators do to outcomes goes in the
audit log as well."""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext, ngettext

from accounts.models import Participant
from breakouts import announcements, audit, live
from breakouts.models import Breakout, Idea, Outcome, Rating, Vote
from summit.event.agreement import Agreement
from summit.event.refusals import Refused


def set_dots(idea: Idea, voter: Participant, dots: int) -> int:
    """Put exactly ``dots`` of the voter's dots on the idea (0 takes them all back).

    Absolute, not "one more": a retried request sets the same number again and changes
    nothing. The voter's row is locked while their dots are counted, so parallel requests
    cannot spend the budget twice. Raises ``Refused`` outside the vote phase, above the limit
    per idea, or beyond the budget. Returns the dots the voter has left. Side effects: after
    commit, the idea's totals go to the screens allowed to see them.
    """
    breakout = idea.breakout
    if breakout.phase != Breakout.Phase.VOTE:
        raise Refused(gettext("Voting is not open: the facilitator opens it in the vote phase"))
    if dots < 0:
        raise Refused(gettext("Dots cannot go below none"))
    with transaction.atomic():
        Participant.objects.select_for_update().filter(pk=voter.pk).first()
        current = Vote.objects.filter(idea=idea, voter=voter).first()
        had = current.dots if current else 0
        if dots > had and idea.status != Idea.Status.VISIBLE:
            # Dots can still be taken back from it, so none is stranded.
            raise Refused(gettext("This idea is no longer on the wall"))
        if dots > had and dots > breakout.max_dots_per_idea:
            most = breakout.max_dots_per_idea
            said = ngettext(
                "You can put at most %(n)d dot on one idea",
                "You can put at most %(n)d dots on one idea",
                most,
            )
            raise Refused(said % {"n": most})
        spent_elsewhere = (
            Vote.objects.filter(voter=voter, idea__breakout=breakout)
            .exclude(idea=idea)
            .aggregate(total=Sum("dots", default=0))["total"]
        )
        if dots > had and spent_elsewhere + dots > breakout.dot_budget:
            left = breakout.dot_budget - spent_elsewhere - had
            raise Refused(_out_of_dots(breakout.dot_budget, left))
        if dots == had:
            return breakout.dot_budget - spent_elsewhere - had
        if dots == 0:
            current.delete()
        elif current is None:
            Vote.objects.create(idea=idea, voter=voter, dots=dots)
        else:
            current.dots = dots
            current.save(update_fields=["dots", "updated_at"])
        transaction.on_commit(partial(live.totals_changed, idea), robust=True)
    return breakout.dot_budget - spent_elsewhere - dots


def _out_of_dots(budget: int, left: int) -> str:
    """Why no more dots can go on: all of ``budget`` used, or only ``left`` left."""
    if left <= 0:
        said = ngettext(
            "You have used all your %(n)d dot", "You have used all your %(n)d dots", budget
        )
        return said % {"n": budget}
    said = ngettext("You have only %(n)d dot left", "You have only %(n)d dots left", left)
    return said % {"n": left}


def _outcome_ideas(breakout: Breakout, idea_ids: list[int]) -> list[Idea]:
    ideas = list(
        Idea.objects.filter(pk__in=idea_ids, breakout=breakout, status=Idea.Status.VISIBLE)
    )
    if len(ideas) != len(set(idea_ids)):
        raise Refused(gettext("An outcome can only draw on ideas on this group’s wall"))
    return ideas


def _drafting(breakout: Breakout) -> None:
    if breakout.phase not in {Breakout.Phase.VOTE, Breakout.Phase.AGREE}:
        raise Refused(gettext("Outcomes are drafted in the vote and agree phases"))


def save_outcome(
    breakout: Breakout,
    *,
    drafted_by: Participant,
    proposal: str,
    who_should_act: str,
    horizon: str,
    idea_ids: list[int],
    outcome: Outcome | None = None,
    outcome_id: int | None = None,
) -> Outcome:
    """Draft a new outcome, or redraft ``outcome`` (or the one of ``outcome_id``, which must
    be in this breakout): the proposal, who should act, now or longer term, and the ideas it
    draws on (kept, so the record can cite them). ``drafted_by`` is the facilitator at work.

    Side effects: the outcome and the ideas it cites written; "Drafted an outcome" (or
    "Redrafted an outcome", with the outcome) logged as ``drafted_by``'s with what the form
    held; after commit, every screen refreshes.
    """
    if outcome_id is not None:
        outcome = Outcome.objects.filter(pk=outcome_id, breakout=breakout).first()
        if outcome is None:
            raise Refused(gettext("That outcome is not in this breakout"))
    _drafting(breakout)
    if horizon not in Outcome.Horizon.values:
        raise Refused(gettext("Choose now or longer term"))
    if outcome is not None and outcome.breakout_id != breakout.pk:
        raise Refused(gettext("That outcome belongs to another group"))
    with transaction.atomic():
        ideas = _outcome_ideas(breakout, idea_ids)
        redraft = outcome is not None
        if outcome is None:
            outcome = Outcome(breakout=breakout, drafted_by=drafted_by)
        outcome.proposal = proposal
        outcome.who_should_act = who_should_act
        outcome.horizon = horizon
        outcome.save()
        outcome.ideas.set(ideas)
        audit.log(
            drafted_by,
            "Redrafted an outcome" if redraft else "Drafted an outcome",
            breakout,
            **({"outcome_id": outcome.pk} if redraft else {}),
            proposal=proposal,
            who_should_act=who_should_act,
            horizon=horizon,
            ideas=idea_ids,
        )
        announcements.after_commit(breakout, announcements.outcome_drafted(proposal))
    return outcome


def delete_outcome(breakout: Breakout, outcome_id: int, *, by: Participant | None = None) -> None:
    """Side effects: the outcome deleted; with ``by``, the facilitator acting, "Deleted an
    outcome" logged with the outcome; after commit, every screen refreshes."""
    _drafting(breakout)
    with transaction.atomic():
        deleted, _ = Outcome.objects.filter(pk=outcome_id, breakout=breakout).delete()
        if not deleted:
            raise Refused(gettext("That outcome is not in this breakout"))
        audit.log(by, "Deleted an outcome", breakout, outcome_id=outcome_id)
        announcements.after_commit(breakout, announcements.OUTCOME_WITHDRAWN)


def rate_outcome(outcome: Outcome, rater: Participant, level: int) -> Rating:
    """Say how far one agrees with an outcome, from full agreement to a block; changeable
    while the group is agreeing. Side effects: writes; screens refresh."""
    breakout = outcome.breakout
    if breakout.phase != Breakout.Phase.AGREE:
        raise Refused(gettext("Outcomes are rated in the agree phase"))
    if level not in Agreement.values:
        raise Refused(gettext("Choose one of the levels of agreement listed"))
    with transaction.atomic():
        rating, _ = Rating.objects.update_or_create(
            outcome=outcome, rater=rater, defaults={"level": level}
        )
        announcements.after_commit(breakout, "")
    return rating
