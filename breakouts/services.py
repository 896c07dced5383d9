"""Every change a breakout's members make, an idea typed in for a voice in the room, and how
groups are formed: one function each, writing in a transaction and pushing to screens on
commit."""

from __future__ import annotations

import uuid
from collections import Counter
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import Participant
from breakouts import announcements, audit, live
from breakouts.models import Breakout, Comment, Idea
from breakouts.placing import Spot, choose_spot
from summit.event.bilingual import text_in
from summit.event.models import Subtheme, Summit
from summit.event.refusals import Refused

# Forming groups


def new_breakout(subtheme: Subtheme, name: str, *, summit: Summit | None = None) -> Breakout:
    """A group on ``subtheme``, not yet saved, with the summit's dot budget (and at most three
    dots on one idea, never more than the budget) and the subtheme's first open question.
    ``summit`` is the subtheme's, when the caller has it already."""
    summit = summit or subtheme.summit
    return Breakout(
        summit=summit,
        subtheme=subtheme,
        name=name,
        current_prompt=subtheme.prompts.filter(retired_at__isnull=True).first(),
        dot_budget=summit.dot_budget,
        max_dots_per_idea=min(3, summit.dot_budget),
    )


def ensure_breakouts(summit: Summit) -> list[Breakout]:
    """One breakout per subtheme still in use, named after it; existing breakouts are left as
    they are.

    Side effects: database writes only.
    """
    breakouts = []
    for subtheme in summit.subthemes.filter(retired_at__isnull=True):
        breakout = Breakout.objects.filter(summit=summit, subtheme=subtheme).first()
        if breakout is None:
            breakout = new_breakout(subtheme, subtheme.title, summit=summit)
            breakout.save()
        breakouts.append(breakout)
    return breakouts


def add_breakout(subtheme: Subtheme, name: str) -> Breakout:
    """Another group on a subtheme (any number may work on one), refused for a retired
    subtheme. Side effects: a write."""
    if subtheme.retired_at is not None:
        said = gettext("“%(title)s” is retired: bring it back before adding a group to it")
        raise Refused(said % {"title": text_in(subtheme, "title")})
    if Breakout.objects.filter(summit_id=subtheme.summit_id, name__iexact=name).exists():
        said = gettext("There is already a breakout called “%(name)s”")
        raise Refused(said % {"name": name})
    breakout = new_breakout(subtheme, name)
    breakout.save()
    return breakout


def place_new_member(participant: Participant) -> Breakout | None:
    """Put a new attendee in an open breakout by the rule of ``breakouts.placing``: fewest
    people from their sector, then the subtheme they prefer (if they said), then fewest
    people. Groups stay mixed across sectors as people arrive. A group on a retired subtheme
    takes nobody new.

    Side effects: database writes only. Returns ``None`` when the summit has no open breakout.
    """
    active = Q(members__removed_at__isnull=True)
    candidates = list(
        open_breakouts(participant.summit_id).annotate(
            same_sector=Count("members", filter=active & Q(members__sector=participant.sector)),
            size=Count("members", filter=active),
        )
    )
    if not candidates:
        return None
    spots = [
        Spot(b.pk, b.subtheme_id, b.size, {participant.sector: b.same_sector}) for b in candidates
    ]
    chosen = choose_spot(spots, participant.sector, participant.preferred_subtheme_id)
    breakout = next(b for b in candidates if b.pk == chosen.breakout_id)
    breakout.members.add(participant)
    return breakout


def open_breakouts(summit_id: int):
    """The breakouts people may be placed in: not closed, on a subtheme still in use."""
    return (
        Breakout.objects.filter(summit_id=summit_id, subtheme__retired_at=None)
        .exclude(phase=Breakout.Phase.CLOSED)
        .order_by("pk")
    )


def mix_everyone(summit: Summit) -> dict[int, list[Participant]]:
    """Share every attendee out across the summit's open breakouts (not those on a retired
    subtheme) so that each sector is spread as evenly as it can be and groups are of even
    size, honouring people's preferred subthemes as far as that allows (``breakouts.placing``;
    ``preferences_honoured`` says how far it did). Largest sectors are dealt first, so the
    smaller ones fill the gaps.

    Side effects: database writes; every breakout's screens refresh. Returns the new groups.
    """
    breakouts = list(open_breakouts(summit.pk))
    if not breakouts:
        raise Refused(gettext("There is no open breakout to put people in"))
    attendees = list(
        Participant.objects.active().filter(summit=summit, role=Participant.Role.ATTENDEE)
    )
    sizes = Counter(a.sector for a in attendees)
    attendees.sort(key=lambda a: (-sizes[a.sector], a.sector, a.joined_at, a.pk))
    groups: dict[int, list[Participant]] = {b.pk: [] for b in breakouts}
    spots = [Spot(b.pk, b.subtheme_id) for b in breakouts]
    for person in attendees:
        target = choose_spot(spots, person.sector, person.preferred_subtheme_id)
        target.take(person.sector)
        groups[target.breakout_id].append(person)
    through = Breakout.members.through
    with transaction.atomic():
        through.objects.filter(breakout__summit=summit, participant__in=attendees).delete()
        through.objects.bulk_create(
            through(breakout_id=pk, participant_id=p.pk)
            for pk, people in groups.items()
            for p in people
        )
        for breakout in breakouts:
            announcements.after_commit(breakout, announcements.GROUPS_MIXED)
    return groups


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


def choose_breakout(participant: Participant, breakout: Breakout) -> None:
    """An attendee moves themselves, where the summit lets attendees choose.

    Side effects: database writes only.
    """
    if not breakout.summit.attendees_choose_breakout:
        raise Refused(
            gettext("Your organisers place people in groups. Ask a facilitator to move you")
        )
    if breakout.summit_id != participant.summit_id or not participant.role == "attendee":
        raise Refused(gettext("Only attendees of this summit can choose its groups"))
    if breakout.phase == Breakout.Phase.CLOSED:
        raise Refused(gettext("%(name)s has finished") % {"name": breakout.name})
    assign(participant, breakout)


# Ideas


def post_idea(
    *,
    breakout: Breakout,
    author: Participant,
    text: str,
    client_token: uuid.UUID,
    anonymous: bool = False,
    added_by: Participant | None = None,
    spoken_sector: str = "",
) -> tuple[Idea, bool]:
    """Add an idea to the breakout, once per client token.

    A retried or double-submitted post carries the token of the first, so it returns the idea
    already made and ``False`` instead of making another. ``added_by`` is the facilitator who
    typed it for someone speaking in the room: ``author`` is then that person, or the
    facilitator with ``spoken_sector`` naming the speaker's sector. Raises ``Refused`` outside
    the phases that take ideas. Side effects: after commit, the idea's card is pushed to every
    screen of the breakout.
    """
    if added_by is not None or not breakout.accepts_ideas:
        # A retry is answered with the idea it made, even once the phase has moved on. On
        # the common path the unique token below tells a retry apart with no query first.
        token_holder = added_by or author
        existing = Idea.objects.filter(
            Q(author=token_holder) | Q(added_by=token_holder), client_token=client_token
        ).first()
        if existing is not None:
            return existing, False
    if not breakout.accepts_ideas:
        said = gettext("The group is not taking new ideas in the “%(phase)s” phase")
        raise Refused(said % {"phase": breakout.get_phase_display()})
    try:
        with transaction.atomic():
            idea = Idea.objects.create(
                breakout=breakout,
                author=author,
                prompt=breakout.current_prompt,
                text=text,
                anonymous=anonymous and breakout.summit.allow_anonymous,
                client_token=client_token,
                added_by=added_by,
                spoken_sector=spoken_sector,
            )
            # A new idea has no comments yet: said here, its card for each audience and the
            # poster's own need not ask the database.
            idea.card_comments = []
            transaction.on_commit(partial(live.idea_added, idea), robust=True)
    except IntegrityError:
        # A retry, or a concurrent request with the same token that won the race.
        return Idea.objects.get(author=author, client_token=client_token), False
    return idea, True


def add_idea_said_in_room(
    *,
    breakout: Breakout,
    by: Participant,
    speaker: tuple[str, Participant | str],
    text: str,
    client_token: uuid.UUID,
) -> tuple[Idea, bool]:
    """An idea said in the room by someone without a device, typed in by the facilitator
    ``by``. ``speaker`` says who said it: ``("member", <a member>)``, posted as theirs (and
    anonymous if they are), or ``("sector", <a sector>)``, posted as the facilitator's with
    the speaker's sector; once per client token, as ``post_idea``.

    Side effects: the idea written; "Added an idea said in the room" logged with the text and
    the speaker (once: a retry of the same post logs nothing more); after commit, the idea's
    card is pushed to every screen of the breakout.
    """
    kind, who = speaker
    with transaction.atomic():
        idea, created = post_idea(
            breakout=breakout,
            author=who if kind == "member" else by,
            text=text,
            client_token=client_token,
            anonymous=kind == "member" and who.anonymous,
            added_by=by,
            spoken_sector=who if kind == "sector" else "",
        )
        if created:
            audit.log(by, "Added an idea said in the room", breakout, text=text, speaker=speaker)
    return idea, created


def _own_idea(idea: Idea, person: Participant) -> Idea:
    if idea.author_id != person.pk or idea.added_by_id is not None:
        raise Refused(gettext("You can only change ideas you posted yourself"))
    if idea.status != Idea.Status.VISIBLE:
        raise Refused(gettext("This idea can no longer be changed"))
    if not idea.breakout.accepts_ideas:
        raise Refused(
            gettext("Ideas can only be changed while the group is gathering and building on them")
        )
    return idea


def _card_changed(idea: Idea) -> None:
    """Push the idea's new card, its comments read once for every audience, and after the
    commit, so a comment posted meanwhile is on it."""
    idea.card_comments = list(idea.comments.select_related("author"))
    live.idea_changed(idea)


def edit_idea(idea: Idea, person: Participant, text: str) -> Idea:
    """The author rewords their idea, during gather and build.

    Side effects: the idea written; after commit, the card is replaced on every screen.
    """
    _own_idea(idea, person)
    if text == idea.text:
        return idea
    with transaction.atomic():
        idea.text = text
        idea.edited_at = timezone.now()
        idea.save(update_fields=["text", "edited_at"])
        transaction.on_commit(partial(_card_changed, idea), robust=True)
    return idea


def withdraw_idea(idea: Idea, person: Participant) -> Idea:
    """The author takes their idea back, during gather and build; the record keeps it,
    marked withdrawn. Side effects: after commit, the card leaves every screen."""
    _own_idea(idea, person)
    with transaction.atomic():
        idea.status = Idea.Status.WITHDRAWN
        idea.save(update_fields=["status"])
        transaction.on_commit(partial(live.idea_changed, idea), robust=True)
    return idea


def comment(
    *,
    idea: Idea,
    author: Participant,
    text: str,
    client_token: uuid.UUID,
    anonymous: bool = False,
) -> tuple[Comment, bool]:
    """Build on an idea, once per client token.

    Side effects: after commit, the comment is added under the idea on every screen.
    """
    existing = Comment.objects.filter(author=author, client_token=client_token).first()
    if existing is not None:
        return existing, False
    breakout = idea.breakout
    if not breakout.accepts_comments:
        said = gettext("The group is not taking comments in the “%(phase)s” phase")
        raise Refused(said % {"phase": breakout.get_phase_display()})
    if idea.status != Idea.Status.VISIBLE:
        raise Refused(gettext("This idea is no longer on the wall"))
    try:
        with transaction.atomic():
            made = Comment.objects.create(
                idea=idea,
                author=author,
                text=text,
                anonymous=anonymous and breakout.summit.allow_anonymous,
                client_token=client_token,
            )
            transaction.on_commit(partial(live.comment_added, made), robust=True)
    except IntegrityError:
        return Comment.objects.get(author=author, client_token=client_token), False
    return made, True
