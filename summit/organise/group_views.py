"""The breakouts set-up page, where organisers decide how many groups work on each subtheme,
name them, choose their facilitators and share everyone out. Each change is one call to
``summit.organise.groups`` or ``summit.organise.setup``; a refused change shows the page again
with the problem at the top and by the field, what was typed kept."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.db.models import Prefetch
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import get_participant_for, signed_in
from accounts.models import Participant, give_sector_names
from breakouts.models import Breakout
from breakouts.placing import preferences_honoured
from summit.event.bilingual import text_in
from summit.event.measures import people_by_sector
from summit.event.models import Subtheme
from summit.event.refusals import Refused
from summit.event.sectors import sector_names
from summit.organise import groups, setup
from summit.organise.forms import NewBreakoutForm
from summit.organise.group_forms import FacilitatorForm, GroupCountForm, RenameBreakoutForm

# Which form on the page was refused: its kind and the subtheme's or group's id.
Failed = tuple[str, int, Form]


def _in_summit(queryset, pk: int, summit_id: int):
    if not 0 < pk < 2**63:  # no row has it, and the database would refuse it
        raise Http404
    found = queryset.filter(pk=pk, summit_id=summit_id).first()
    if found is None:
        raise Http404
    return found


def _back(slug: str, anchor: str) -> HttpResponse:
    return redirect(f"{reverse('breakouts_setup', args=[slug])}#{anchor}")


def _label(person: Participant, facilitating: list[str]) -> str:
    if facilitating:
        return _("%(person)s (facilitates %(groups)s)") % {
            "person": person.attribution,
            "groups": ", ".join(facilitating),
        }
    return _("%(person)s (%(role)s)") % {
        "person": person.attribution,
        "role": person.get_role_display().lower(),
    }


def _bound(failed: Failed | None, kind: str, pk: int) -> Form | None:
    if failed is not None and failed[0] == kind and failed[1] == pk:
        return failed[2]
    return None


def _page(
    request: HttpRequest,
    organiser: Participant,
    *,
    failed: Failed | None = None,
    add_form: NewBreakoutForm | None = None,
    problem: str = "",
) -> HttpResponse:
    """The whole page, in a fixed number of queries however many groups and people; with a
    refused form (``failed``, ``add_form``) or a refused button (``problem``) as a 422."""
    summit = organiser.summit
    all_groups = list(
        groups.with_holdings(Breakout.objects.filter(summit=summit))
        .select_related("subtheme")
        .prefetch_related(
            Prefetch("facilitators", queryset=Participant.objects.active()),
            Prefetch("members", queryset=Participant.objects.active()),
        )
        .order_by("subtheme__order", "subtheme_id", "pk")
    )
    facilitating: dict[int, list[str]] = {}
    for group in all_groups:
        for person in group.facilitators.all():
            facilitating.setdefault(person.pk, []).append(group.name)
    people = list(groups.may_facilitate(summit.pk))
    for person in people:
        person.facilitator_label = _label(person, facilitating.get(person.pk, []))
    names = sector_names(summit)
    for group in all_groups:
        give_sector_names([*group.facilitators.all(), *group.members.all()], names)
        group.spread = people_by_sector(
            sorted(Counter(m.sector_label for m in group.members.all()).items())
        )
        group.removable = not groups.holdings(group)
        group.rename_form = _bound(failed, "name", group.pk) or RenameBreakoutForm(
            initial={"name": group.name}, breakout_id=group.pk
        )
        mine = {p.pk for p in group.facilitators.all()}
        offered = [p for p in people if p.pk not in mine]
        group.facilitator_form = _bound(failed, "facilitator", group.pk)
        if group.facilitator_form is None:
            group.facilitator_form = FacilitatorForm(breakout_id=group.pk, people=offered)
        else:
            group.facilitator_form.offer(offered)
        group.open = _bound(failed, "name", group.pk) is not None
    sections = []
    for subtheme in summit.subthemes.all():
        its = [g for g in all_groups if g.subtheme_id == subtheme.pk]
        if subtheme.retired_at is not None and not its:
            continue
        form = _bound(failed, "groups", subtheme.pk) or GroupCountForm(
            initial={"groups": len(its)}, subtheme_id=subtheme.pk
        )
        sections.append({"subtheme": subtheme, "groups": its, "form": form})
    add_form = add_form or NewBreakoutForm(summit=summit)
    error_form = failed[2] if failed is not None else add_form
    return render(
        request,
        "summit/breakouts_setup.html",
        {
            "summit": summit,
            "participant": organiser,
            "sections": sections,
            "form": add_form,
            "error_form": error_form,
            "problem": problem,
            "preferences": preferences_honoured(summit.pk),
        },
        status=422 if error_form.errors or problem else 200,
    )


@require_http_methods(["GET", "POST"])
@signed_in
def breakouts_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Organisers set up the groups: how many per subtheme, their names and facilitators,
    and people mixed by sector; the summit's facilitators read it. A post here adds a group
    of a name of the organiser's own."""
    posted = request.method == "POST"
    organiser = get_participant_for(request.user, slug, organise=posted, facilitate=not posted)
    form = NewBreakoutForm(request.POST or None, summit=organiser.summit)
    if request.method == "POST" and form.is_valid():
        try:
            made = setup.add_breakout(
                form.cleaned_data["subtheme"], form.cleaned_data["name"], by=organiser
            )
        except Refused as refused:
            form.add_error("name", str(refused))
        else:
            messages.success(request, _("Added the breakout %(name)s.") % {"name": made.name})
            return _back(slug, f"group-{made.pk}")
    return _page(request, organiser, add_form=form)


def _say_count(request: HttpRequest, done: groups.GroupCount) -> None:
    subtheme = text_in(done.subtheme, "title")
    if done.added:
        messages.success(
            request,
            ngettext(
                "Added %(n)d group on %(subtheme)s: %(names)s.",
                "Added %(n)d groups on %(subtheme)s: %(names)s.",
                len(done.added),
            )
            % {"n": len(done.added), "subtheme": subtheme, "names": ", ".join(done.added)},
        )
    if done.removed:
        messages.success(
            request,
            ngettext(
                "Removed %(n)d group on %(subtheme)s: %(names)s.",
                "Removed %(n)d groups on %(subtheme)s: %(names)s.",
                len(done.removed),
            )
            % {"n": len(done.removed), "subtheme": subtheme, "names": ", ".join(done.removed)},
        )
    if done.kept:
        kept = "; ".join(f"{name} ({why})" for name, why in done.kept)
        messages.warning(
            request,
            _(
                "Kept %(kept)s: a group with members, ideas, outcomes or facilitators is not "
                "removed. %(subtheme)s has %(now)d groups."
            )
            % {"kept": kept, "subtheme": subtheme, "now": done.now},
        )
    if not (done.added or done.removed or done.kept):
        messages.success(
            request,
            ngettext(
                "%(subtheme)s already has %(n)d group.",
                "%(subtheme)s already has %(n)d groups.",
                done.now,
            )
            % {"subtheme": subtheme, "n": done.now},
        )


@require_POST
@signed_in
def set_group_count(request: HttpRequest, slug: str, subtheme_id: int) -> HttpResponse:
    organiser = get_participant_for(request.user, slug, organise=True)
    subtheme = _in_summit(
        Subtheme.objects.filter(retired_at__isnull=True).select_related("summit"),
        subtheme_id,
        organiser.summit_id,
    )
    form = GroupCountForm(request.POST, subtheme_id=subtheme.pk)
    if form.is_valid():
        try:
            done = groups.set_group_count(subtheme, form.cleaned_data["groups"], by=organiser)
        except Refused as refused:
            form.add_error("groups", str(refused))
        else:
            _say_count(request, done)
            return _back(slug, f"subtheme-{subtheme.pk}")
    return _page(request, organiser, failed=("groups", subtheme.pk, form))


def _breakout_in(organiser: Participant, breakout_id: int) -> Breakout:
    return _in_summit(Breakout.objects.all(), breakout_id, organiser.summit_id)


@require_POST
@signed_in
def rename_breakout(request: HttpRequest, slug: str, breakout_id: int) -> HttpResponse:
    organiser = get_participant_for(request.user, slug, organise=True)
    breakout = _breakout_in(organiser, breakout_id)
    form = RenameBreakoutForm(request.POST, breakout_id=breakout.pk)
    if form.is_valid():
        was = breakout.name
        try:
            groups.rename_breakout(breakout, form.cleaned_data["name"], by=organiser)
        except Refused as refused:
            form.add_error("name", str(refused))
        else:
            messages.success(
                request,
                _("%(was)s is now called %(name)s.") % {"was": was, "name": breakout.name},
            )
            return _back(slug, f"group-{breakout.pk}")
    return _page(request, organiser, failed=("name", breakout.pk, form))


@require_POST
@signed_in
def remove_breakout(request: HttpRequest, slug: str, breakout_id: int) -> HttpResponse:
    organiser = get_participant_for(request.user, slug, organise=True)
    breakout = _breakout_in(organiser, breakout_id)
    try:
        groups.remove_breakout(breakout, by=organiser)
    except Refused as refused:
        return _page(request, organiser, problem=str(refused))
    messages.success(request, _("Removed the group %(name)s.") % {"name": breakout.name})
    return _back(slug, f"subtheme-{breakout.subtheme_id}")


@require_POST
@signed_in
def add_facilitator(request: HttpRequest, slug: str, breakout_id: int) -> HttpResponse:
    organiser = get_participant_for(request.user, slug, organise=True)
    breakout = _breakout_in(organiser, breakout_id)
    people = groups.may_facilitate(organiser.summit_id).exclude(facilitated_breakouts=breakout)
    form = FacilitatorForm(request.POST, breakout_id=breakout.pk, people=list(people))
    if form.is_valid():
        person = form.chosen
        try:
            groups.add_facilitator(breakout, person, by=organiser)
        except Refused as refused:
            form.add_error("person", str(refused))
        else:
            messages.success(
                request,
                _("%(person)s now facilitates %(name)s.")
                % {"person": person.attribution, "name": breakout.name},
            )
            return _back(slug, f"group-{breakout.pk}")
    return _page(request, organiser, failed=("facilitator", breakout.pk, form))


@require_POST
@signed_in
def remove_facilitator(
    request: HttpRequest, slug: str, breakout_id: int, person_id: int
) -> HttpResponse:
    organiser = get_participant_for(request.user, slug, organise=True)
    breakout = _breakout_in(organiser, breakout_id)
    person = _in_summit(Participant.objects.active(), person_id, organiser.summit_id)
    try:
        groups.remove_facilitator(breakout, person, by=organiser)
    except Refused as refused:
        return _page(request, organiser, problem=str(refused))
    messages.success(
        request,
        _("%(person)s no longer facilitates %(name)s.")
        % {"person": person.attribution, "name": breakout.name},
    )
    return _back(slug, f"group-{breakout.pk}")
