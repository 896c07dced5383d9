"""Property-based tests of the synthesis's forms (a theme added or changed, a cluster mapped,
a synthesis lead named, a theme put on the big screen), as ``tests/test_fuzz.py`` tests every
other form: whatever is sent, no request fails, every refusal says what was wrong, and
whatever was stored is shown escaped."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from accounts.models import Participant
from plenary.models import Plenary
from summit.synthesis.models import SynthesisLead, Theme, ThemeLink
from tests.test_fuzz import (  # noqa: F401 (the fixtures these tests use, by their names)
    FUZZ,
    HUGE,
    WRITING,
    Ref,
    _nul_refused_as_postgresql_refuses_it,
    checked,
    fresh,
    get,
    post,
    shown_escaped,
    summit_for_fuzzing,
    valid,
)

# The synthesis page, where what is stored is shown, reads candidates from the engine.
pytestmark = pytest.mark.usefixtures("lexical_engine")


@pytest.fixture
def ctx(breakout, other_breakout, attendee, facilitator, organiser):
    made = summit_for_fuzzing(breakout, other_breakout, attendee, facilitator, organiser)
    made.refs["theme"] = Theme.objects.create(
        subtheme=breakout.subtheme, name="Money", position=1
    ).pk
    made.refs["elsewhere_theme"] = Theme.objects.create(
        subtheme=other_breakout.subtheme, name="Trust", position=1
    ).pk
    return made


def _page(ctx) -> str:
    url = reverse("synthesis_subtheme", args=[ctx.summit.slug, ctx.breakout.subtheme_id])
    return get(ctx.organising, url)


def _audit(ctx) -> str:
    return get(ctx.organising, reverse("audit_log", args=[ctx.summit.slug]))


_TOKEN = st.one_of(st.uuids().map(str), WRITING, st.just(""))


@FUZZ
@given(
    form=st.fixed_dictionaries(
        {"name": WRITING, "description": st.one_of(WRITING, st.just("")), "client_token": _TOKEN}
    ),
    htmx=st.booleans(),
)
@example(
    form={"name": "<b>bold</b>", "description": "{{ x }}", "client_token": str(uuid.uuid4())},
    htmx=True,
)
@example(form={"name": "money", "description": "", "client_token": str(uuid.uuid4())}, htmx=False)
def test_new_theme_form_survives_anything(ctx, form, htmx):
    with fresh(ctx.organising):
        url = reverse("synthesis_add_theme", args=[ctx.summit.slug, ctx.breakout.subtheme_id])
        response = post(ctx.organising, url, form, ctx.refs, htmx=htmx)

        checked(response)
        made = Theme.objects.exclude(pk__in=[ctx.refs["theme"], ctx.refs["elsewhere_theme"]])
        assert (response.status_code in (200, 302)) is made.exists()
        if made.exists():
            theme = made.get()
            shown_escaped(theme.name, _page(ctx), _audit(ctx))
            if theme.description:
                shown_escaped(theme.description, _page(ctx))


@FUZZ
@given(
    form=st.fixed_dictionaries({"name": WRITING, "description": st.one_of(WRITING, st.just(""))}),
    htmx=st.booleans(),
)
@example(form={"name": "Trust", "description": "<script>alert(1)</script>"}, htmx=True)
def test_theme_change_survives_anything(ctx, form, htmx):
    with fresh(ctx.organising):
        url = reverse("synthesis_change_theme", args=[ctx.summit.slug, ctx.refs["theme"]])
        response = post(ctx.organising, url, form, ctx.refs, htmx=htmx)

        checked(response)
        if response.status_code in (200, 302):
            theme = Theme.objects.get(pk=ctx.refs["theme"])
            shown_escaped(theme.name, _page(ctx))


@FUZZ
@given(
    theme=valid(Ref("theme"), Ref("elsewhere_theme"), "new", HUGE, "0", "-1", "²"),
    kind=st.sampled_from(["cluster", "outcome"]),
    who=st.sampled_from(["steerer", "organising"]),
)
@example(theme="new", kind="cluster", who="steerer")
def test_mapping_survives_anything(ctx, theme, kind, who):
    client = getattr(ctx, who)
    with fresh(client):
        url = reverse("synthesis_map", args=[ctx.summit.slug, kind, ctx.refs[kind]])
        response = post(client, url, {"theme": theme}, ctx.refs)

        checked(response)
        if response.status_code == 200:
            link = ThemeLink.objects.get()
            assert link.theme.subtheme_id == ctx.breakout.subtheme_id
        else:
            assert not ThemeLink.objects.exists()


@FUZZ
@given(
    person=valid(
        Ref("facilitator"), Ref("attendee"), Ref("organiser"), Ref("someone"), "", HUGE, "-1"
    )
)
def test_lead_form_survives_anything(ctx, person):
    with fresh(ctx.organising):
        url = reverse("synthesis_add_lead", args=[ctx.summit.slug])
        response = post(ctx.organising, url, {"person": person}, ctx.refs, htmx=False)

        checked(response)
        assert response.status_code in (302, 422)
        leads = SynthesisLead.objects.values_list("participant__role", flat=True)
        assert set(leads) <= {Participant.Role.FACILITATOR}
        assert (response.status_code == 302) is bool(leads)


@FUZZ
@given(
    theme=valid(Ref("theme"), Ref("elsewhere_theme"), HUGE, "0", "-1", "1e3"), htmx=st.booleans()
)
def test_show_theme_survives_anything(ctx, theme, htmx):
    with fresh(ctx.steerer):
        url = reverse("plenary:show_theme", args=[ctx.summit.slug])
        response = post(ctx.steerer, url, {"theme": theme}, ctx.refs, htmx=htmx)

        checked(response)
        shown = Plenary.objects.filter(summit=ctx.summit).values_list("shown_theme", flat=True)
        assert set(shown) <= {None, ctx.refs["theme"], ctx.refs["elsewhere_theme"]}
