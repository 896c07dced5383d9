"""Every URL of the project, asked for by every kind of person.

A new view must be added to ``CASES`` or the first test fails: no page ships without a
decision about who may see it.
"""

from __future__ import annotations

import uuid

import pytest
from django.db import transaction
from django.db.models import Model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts import services as account_services
from accounts.models import Invite, Participant
from breakouts import services as breakout_services
from breakouts.models import Action, Cluster, FirstThought, Outcome
from breakouts.services import ensure_breakouts
from plenary import moderation
from plenary.models import QaSession
from plenary.questions import ask_question
from plenary.services import plenary_for
from summit.organise import after
from summit.organise.design_file import load_place_summit
from summit.synthesis.models import Theme
from tests.conftest import (
    client_for,
    make_participant,
    new_attendee,
    new_facilitator,
    new_organiser,
    new_outsider,
)

WHO = ["anonymous", "outsider", "attendee", "facilitator", "organiser"]

# Statuses, in the order of WHO.
PUBLIC = (200, 200, 200, 200, 200)
MEMBERS = (302, 404, 200, 200, 200)  # anyone in the summit (or the breakout)
FACILITATORS = (302, 404, 403, 200, 200)
ORGANISERS = (302, 404, 403, 403, 200)


# Breakout actions, sent empty from htmx as the board sends them: members get the refusal;
# facilitators steer and get their board back. Signed out, htmx gets a 403, not a redirect.
MEMBER_ACTION = (403, 404, 422, 422, 422)
STEER_REFUSED = (403, 404, 403, 422, 422)
STEER_DONE = (403, 404, 403, 200, 200)


def _b(c) -> dict:
    return {"breakout_id": c["breakout"].pk}


def _i(c) -> dict:
    return {"breakout_id": c["breakout"].pk, "idea_id": c["idea"].pk}


def _s(c) -> dict:
    return {"slug": c["summit"].slug}


def _p(c) -> dict:
    return {"slug": c["summit"].slug, "poll_id": c["poll"].pk}


def _steer(name: str, statuses=STEER_REFUSED, kwargs=_b) -> tuple:
    return ("htmx", {}, kwargs, statuses)


ORGANISERS_ACT = (302, 404, 403, 403, 302)


def _assumption(c) -> dict:
    return {**_s(c), "part": "assumptions", "item_id": c["summit"].assumptions.first().pk}


def _subtheme(c) -> dict:
    return {**_s(c), "part": "subthemes", "item_id": c["summit"].subthemes.first().pk}


def _first_thought(c) -> dict:
    subtheme = c["breakout"].subtheme
    thought = FirstThought.objects.create(
        summit=c["summit"], subtheme=subtheme, author=c["someone"], client_token=uuid.uuid4()
    )
    return {**_s(c), "thought_id": thought.pk}


MODERATORS = (302, 404, 403, 200, 200)
MODERATORS_ACT = (302, 404, 403, 302, 302)


def _qa_session(c) -> QaSession:
    by = c["organiser"]
    made = moderation.add_session(plenary_for(c["summit"]), title="Ask the panel", by=by)
    return moderation.change_session(made, state=QaSession.State.OPEN, by=by)


def _qa_session_id(c) -> dict:
    return {**_s(c), "session_id": _qa_session(c).pk}


def _question_move(c) -> dict:
    question = ask_question(_qa_session(c), c["someone"], "Who pays?", uuid.uuid4())[0]
    return {**_s(c), "question_id": question.pk, "action": "queue"}


def _invite_token(ctx) -> str:
    _, token = account_services.invite(
        summit=ctx["summit"],
        by=ctx["organiser"],
        email="new.facilitator@example.org",
        role=Participant.Role.FACILITATOR,
        accept_url_for=lambda t: f"http://testserver/invite/{t}/",
    )
    return token


def _invite_id(ctx) -> int:
    _invite_token(ctx)
    return Invite.objects.get().pk


def _subtheme_of(c) -> dict:
    return {**_s(c), "subtheme_id": c["breakout"].subtheme_id}


def _theme(c) -> dict:
    return {**_s(c), "theme_id": c["theme"].pk}


def _cluster(c) -> dict:
    return {**_s(c), "kind": "cluster", "item_id": c["cluster"].pk}


# The themes across rooms: organisers, leads and the summit's facilitators see them; leads
# (here the organiser) keep the themes; the breakout's facilitator maps its clusters. An empty
# form is refused with its message.
LEADS_REFUSED = (403, 404, 403, 403, 422)
MAP_REFUSED = (403, 404, 403, 422, 422)

# What sends anyone, signed in or not, back to the page they came from, not to sign in.
GO_BACK = {"switch_language"}

# name: (method, data, kwargs from the context, statuses in the order of WHO)
CASES = {
    "home": ("get", None, lambda c: {}, PUBLIC),
    "privacy": ("get", None, lambda c: {}, PUBLIC),
    # Anyone may choose their language: it goes back to the page it was chosen on.
    "switch_language": ("post", {"language": "cy", "next": "/"}, lambda c: {}, (302,) * 5),
    # Installing the app and the offline page: the same for everyone, holding nothing personal.
    "manifest": ("get", None, lambda c: {}, PUBLIC),
    "service_worker": ("get", None, lambda c: {}, PUBLIC),
    "offline": ("get", None, lambda c: {}, PUBLIC),
    # The words the browser scripts show, in a language: the same for everyone.
    "js_catalogue": ("get", None, lambda c: {"language": "cy"}, PUBLIC),
    "join": ("get", None, lambda c: {}, PUBLIC),
    "login": ("get", None, lambda c: {}, PUBLIC),
    "demo_login": ("get", None, lambda c: {}, PUBLIC),
    "password_reset": ("get", None, lambda c: {}, PUBLIC),
    "password_reset_done": ("get", None, lambda c: {}, PUBLIC),
    "password_reset_complete": ("get", None, lambda c: {}, PUBLIC),
    "password_reset_confirm": (
        "get",
        None,
        lambda c: {"uidb64": "MQ", "token": "forged-token"},
        PUBLIC,
    ),
    # Signing out only by POST, so a link or image cannot sign anyone out.
    "logout": ("get", None, lambda c: {}, (405, 405, 405, 405, 405)),
    # People already in the summit go straight to it; anyone else gets the form.
    "join_summit": (
        "get",
        None,
        lambda c: {"code": c["summit"].join_code},
        (200, 200, 302, 302, 302),
    ),
    "return_link": ("get", None, lambda c: {"key": c["return_key"]}, PUBLIC),
    "accept_invite": ("get", None, lambda c: {"token": _invite_token(c)}, PUBLIC),
    "new_summit": ("get", None, lambda c: {}, (302, 403, 403, 403, 200)),
    "new_summit_from_stimulus": ("get", None, lambda c: {}, (302, 403, 403, 403, 200)),
    # Confirming without a document's findings is refused with the form and its errors.
    "confirm_summit_from_stimulus": ("post", {}, lambda c: {}, (302, 403, 403, 403, 422)),
    "summit_home": ("get", None, lambda c: {"slug": c["summit"].slug}, MEMBERS),
    "pre_reading": ("get", None, lambda c: {"slug": c["summit"].slug}, MEMBERS),
    # Before the day: anyone in the summit writes first thoughts and says what they prefer
    # (an empty post says "no preference").
    "first_thoughts": ("get", None, _s, MEMBERS),
    "preference": ("post", {}, _s, (302, 404, 302, 302, 302)),
    "plenary:moderate": ("get", None, _s, MODERATORS),
    "plenary:moderate_lanes": ("get", None, _s, MODERATORS),
    "plenary:add_qa_session": ("post", {}, _s, (302, 404, 403, 422, 422)),
    "plenary:change_qa_session": (
        "post",
        {"change": "premoderate"},
        _qa_session_id,
        MODERATORS_ACT,
    ),
    "plenary:moderate_question": ("post", {}, _question_move, MODERATORS_ACT),
    # Who may merge is checked before what is chosen: an empty form is refused (422).
    "plenary:merge_questions": ("post", {}, _s, (302, 404, 403, 422, 422)),
    # Sam's own: anyone else withdraws nothing, and is told it is withdrawn already.
    "withdraw_first_thought": ("post", {}, _first_thought, (302, 404, 302, 302, 302)),
    "new_return_link": ("post", {}, lambda c: {"slug": c["summit"].slug}, MEMBERS),
    "people": ("get", None, lambda c: {"slug": c["summit"].slug}, ORGANISERS),
    "update_person": (
        "post",
        {"role": "facilitator"},
        lambda c: {"slug": c["summit"].slug, "person_id": c["someone"].pk},
        (302, 404, 403, 403, 302),
    ),
    "remove_person": (
        "get",
        None,
        lambda c: {"slug": c["summit"].slug, "person_id": c["someone"].pk},
        ORGANISERS,
    ),
    "invites": ("get", None, lambda c: {"slug": c["summit"].slug}, ORGANISERS),
    "withdraw_invite": (
        "post",
        {},
        lambda c: {"slug": c["summit"].slug, "invite_id": _invite_id(c)},
        (302, 404, 403, 403, 302),
    ),
    # The summit's settings: its facilitators read them, its organisers change them; an empty
    # post is refused with the form's errors (or the move's), to organisers only.
    "summit_settings": ("get", None, _s, FACILITATORS),
    "summit_status": ("post", {}, _s, (302, 404, 403, 403, 422)),
    "joining": ("get", None, lambda c: {"slug": c["summit"].slug}, ORGANISERS),
    "breakouts_setup": ("get", None, lambda c: {"slug": c["summit"].slug}, FACILITATORS),
    "mix_breakouts": (
        "post",
        {},
        lambda c: {"slug": c["summit"].slug},
        (302, 404, 403, 403, 302),
    ),
    "breakout_choice": (
        "post",
        {},
        lambda c: {"slug": c["summit"].slug},
        (302, 404, 403, 403, 302),
    ),
    # Setting up the groups: organisers only. The group holds members and an idea, so
    # removing it is refused; an empty facilitator form is refused with its error.
    "set_group_count": (
        "post",
        {"groups": "1"},
        lambda c: {**_s(c), "subtheme_id": c["breakout"].subtheme_id},
        (302, 404, 403, 403, 302),
    ),
    "rename_breakout": (
        "post",
        {"name": "Stories of place"},
        lambda c: {**_s(c), **_b(c)},
        (302, 404, 403, 403, 302),
    ),
    "remove_breakout": ("post", {}, lambda c: {**_s(c), **_b(c)}, (302, 404, 403, 403, 422)),
    "add_facilitator": ("post", {}, lambda c: {**_s(c), **_b(c)}, (302, 404, 403, 403, 422)),
    "remove_facilitator": (
        "post",
        {},
        lambda c: {**_s(c), **_b(c), "person_id": c["facilitator"].pk},
        (302, 404, 403, 403, 302),
    ),
    "new_join_code": (
        "post",
        {},
        lambda c: {"slug": c["summit"].slug},
        (302, 404, 403, 403, 302),
    ),
    "join_screen": ("get", None, lambda c: {"slug": c["summit"].slug}, FACILITATORS),
    "open_now": ("post", {}, _s, (302, 404, 403, 403, 302)),
    # The summit's design: organisers change it, its facilitators read it.
    "design": ("get", None, _s, FACILITATORS),
    "design_part": ("get", None, lambda c: {**_s(c), "part": "assumptions"}, FACILITATORS),
    "design_item": ("get", None, _assumption, FACILITATORS),
    "design_move": ("post", {"direction": "down"}, _assumption, ORGANISERS_ACT),
    "design_remove": ("post", {}, _assumption, ORGANISERS_ACT),
    "design_retire": ("post", {}, _subtheme, ORGANISERS_ACT),
    "design_restore": ("post", {}, _subtheme, ORGANISERS_ACT),  # not retired: said on the page
    # The run sheet: facilitators read it, organisers change it.
    "run_sheet": ("get", None, _s, FACILITATORS),
    "run_sheet_poll": ("get", None, _p, ORGANISERS),
    "run_sheet_move": ("post", {"direction": "down"}, _p, (302, 404, 403, 403, 302)),
    "run_sheet_remove": ("post", {}, _p, (302, 404, 403, 403, 302)),
    # Follow-up actions: facilitators read them, organisers keep them.
    "actions": ("get", None, _s, FACILITATORS),
    "make_actions": ("post", {}, _s, ORGANISERS_ACT),
    "add_action": ("get", None, lambda c: {**_s(c), "outcome_id": c["outcome"].pk}, ORGANISERS),
    "action": ("get", None, lambda c: {**_s(c), "action_id": c["action"].pk}, ORGANISERS),
    "remove_action": ("post", {}, lambda c: {**_s(c), "action_id": c["action"].pk}, ORGANISERS_ACT),
    "run_sheet_ask_again": ("post", {}, _p, (302, 404, 403, 403, 302)),
    # How views moved: organisers and the summit's facilitators read it.
    "shift": ("get", None, _s, FACILITATORS),
    # After the day: anyone in the summit reads what it did; organisers choose what is
    # shared (an empty choice is refused with the form) and publish the summary, whose
    # public link needs no sign-in.
    "what_we_did": ("get", None, _s, MEMBERS),
    "choose_shared": ("post", {}, _s, (302, 404, 403, 403, 422)),
    "publish_summary": ("post", {}, _s, ORGANISERS_ACT),
    "withdraw_summary": ("post", {}, _s, ORGANISERS_ACT),
    "public_summary": (
        "get",
        None,
        lambda c: {"key": after.publish_summary(c["summit"], by=c["organiser"])},
        PUBLIC,
    ),
    # The record: organisers have all of it, facilitators their own breakouts.
    "record": ("get", None, _s, FACILITATORS),
    "record_docx": ("get", None, _s, FACILITATORS),
    "record_markdown": ("get", None, _s, FACILITATORS),
    "record_xlsx": ("get", None, _s, FACILITATORS),
    "record_csv": ("get", None, _s, FACILITATORS),
    "record_json": ("get", None, _s, FACILITATORS),
    # The JSON document's schema describes a shape and holds no one's data: anyone may read it.
    "record_schema": ("get", None, lambda c: {}, PUBLIC),
    # The design file: organisers and facilitators download it; its schema is for anyone.
    "design_download": ("get", None, _s, FACILITATORS),
    "design_schema": ("get", None, lambda c: {}, PUBLIC),
    "breakouts:breakout": ("get", None, lambda c: {"breakout_id": c["breakout"].pk}, MEMBERS),
    "breakouts:board": ("get", None, lambda c: {"breakout_id": c["breakout"].pk}, MEMBERS),
    "breakouts:console": (
        "get",
        None,
        lambda c: {"breakout_id": c["breakout"].pk},
        FACILITATORS,
    ),
    # An empty idea is refused with the form and its errors, to members only.
    "breakouts:post_idea": (
        "post",
        {"text": "", "client_token": str(uuid.uuid4())},
        lambda c: {"breakout_id": c["breakout"].pk},
        (302, 404, 422, 422, 422),
    ),
    "breakouts:edit_idea": ("htmx", {}, _i, MEMBER_ACTION),
    "breakouts:withdraw_idea": ("htmx", {}, _i, MEMBER_ACTION),  # not theirs
    "breakouts:comment": ("htmx", {}, _i, MEMBER_ACTION),
    "breakouts:dots": ("htmx", {}, _i, MEMBER_ACTION),
    "breakouts:rate": (
        "htmx",
        {},
        lambda c: {"breakout_id": c["breakout"].pk, "outcome_id": c["outcome"].pk},
        MEMBER_ACTION,
    ),
    # Choosing a group is refused (this summit places people) with a message on the page.
    "breakouts:choose": ("post", {}, _b, (302, 404, 302, 302, 302)),
    # The big screen needs only its unguessable link.
    "breakouts:screen": ("get", None, lambda c: {"key": c["breakout"].screen_key}, PUBLIC),
    "breakouts:screen_board": (
        "get",
        None,
        lambda c: {"key": c["breakout"].screen_key},
        PUBLIC,
    ),
    "breakouts:phase": _steer("phase"),
    "breakouts:timer": _steer("timer", STEER_DONE),  # empty stops the timer
    "breakouts:prompt": _steer("prompt", STEER_DONE),  # empty clears the question
    "breakouts:voting_rules": _steer("voting_rules"),
    "breakouts:hide": _steer("hide", kwargs=_i),
    "breakouts:restore": _steer("restore", kwargs=_i),  # not hidden
    "breakouts:merge": _steer("merge", kwargs=_i),
    "breakouts:cluster_idea": _steer("cluster_idea", STEER_DONE, kwargs=_i),
    "breakouts:add_cluster": _steer("add_cluster"),
    "breakouts:rename_cluster": _steer(
        "rename_cluster", kwargs=lambda c: {**_b(c), "cluster_id": c["cluster"].pk}
    ),
    "breakouts:remove_cluster": _steer(
        "remove_cluster", kwargs=lambda c: {**_b(c), "cluster_id": 999999}
    ),
    "breakouts:spotlight": _steer("spotlight", STEER_DONE),  # empty turns it off
    "breakouts:on_behalf": _steer("on_behalf"),
    "breakouts:add_outcome": _steer("add_outcome"),
    "breakouts:edit_outcome": _steer(
        "edit_outcome", kwargs=lambda c: {**_b(c), "outcome_id": c["outcome"].pk}
    ),
    "breakouts:delete_outcome": _steer(
        "delete_outcome", kwargs=lambda c: {**_b(c), "outcome_id": c["outcome"].pk}
    ),
    "breakouts:new_screen_link": _steer("new_screen_link", STEER_DONE),
    "breakouts:rank_by": _steer("rank_by"),
    "breakouts:voice": ("get", None, _b, FACILITATORS),
    # Ideas alike. A look-up as an attendee types finds nothing in an empty text (never a
    # refusal: the idea can be posted all the same); the console's panels are its
    # facilitators' and organisers', and an empty action is refused by the panel.
    "breakouts:similar": ("htmx", {}, _b, (403, 404, 200, 200, 200)),
    "breakouts:duplicates": ("get", None, _b, FACILITATORS),
    "breakouts:merge_duplicate": _steer("merge_duplicate"),
    "breakouts:dismiss_duplicate": _steer("dismiss_duplicate"),
    "breakouts:suggestions": ("get", None, _b, FACILITATORS),
    "breakouts:accept_suggestion": _steer("accept_suggestion"),
    "breakouts:discard_suggestion": _steer("discard_suggestion"),
    "voice": ("get", None, lambda c: {"slug": c["summit"].slug}, ORGANISERS),
    "audit_log": ("get", None, lambda c: {"slug": c["summit"].slug}, ORGANISERS),
    # A summit's privacy notice is for anyone, before they join.
    "summit_privacy": ("get", None, lambda c: {"slug": c["summit"].slug}, PUBLIC),
    "my_data": ("get", None, lambda c: {"slug": c["summit"].slug}, MEMBERS),
    "my_data_download": ("get", None, lambda c: {"slug": c["summit"].slug}, MEMBERS),
    "erase_me": ("get", None, lambda c: {"slug": c["summit"].slug}, MEMBERS),
    # Feedback on the day: anyone in the summit gives theirs; facilitators and organisers
    # read everyone's, by sector and without names.
    "feedback": ("get", None, _s, MEMBERS),
    "feedback_results": ("get", None, _s, FACILITATORS),
    # The plenary: everyone in the summit follows it; facilitators and organisers steer it.
    "plenary:room": ("get", None, _s, MEMBERS),
    "plenary:panel": ("get", None, _s, MEMBERS),
    # An empty answer is refused with the form and its errors, to anyone in the summit.
    "plenary:answer": ("htmx", {}, _p, MEMBER_ACTION),
    "plenary:console": ("get", None, _s, FACILITATORS),
    "plenary:agenda": ("htmx", {}, _s, STEER_DONE),  # empty follows the clock again
    "plenary:show": ("htmx", {}, _s, STEER_REFUSED),
    "plenary:next_report": ("htmx", {}, _s, STEER_DONE),
    "plenary:new_poll": ("htmx", {}, _s, STEER_REFUSED),
    "plenary:open_poll": ("htmx", {}, _p, STEER_DONE),
    "plenary:close_poll": ("htmx", {}, _p, STEER_REFUSED),  # not open
    "plenary:poll_results": ("htmx", {}, _p, STEER_DONE),
    "plenary:delete_poll": ("htmx", {}, _p, STEER_DONE),
    "plenary:consensus": ("htmx", {}, _s, STEER_DONE),
    "plenary:new_screen_link": ("htmx", {}, _s, STEER_DONE),
    # Questions from the floor on phones: anyone in the summit reads them, asks and supports;
    # an empty question or support is refused with its message.
    "plenary:questions": ("get", None, _s, MEMBERS),
    "plenary:ask_question": (
        "htmx",
        {},
        lambda c: {**_s(c), "session_id": c["qa_session"].pk},
        MEMBER_ACTION,
    ),
    "plenary:support_question": (
        "htmx",
        {},
        lambda c: {**_s(c), "question_id": c["question"].pk},
        MEMBER_ACTION,
    ),
    "plenary:show_theme": ("htmx", {}, _s, STEER_REFUSED),
    "plenary:clear_theme": ("htmx", {}, _s, STEER_DONE),  # none on it: nothing to take off
    "synthesis": ("get", None, _s, FACILITATORS),
    "synthesis_add_lead": ("post", {}, _s, (302, 404, 403, 403, 422)),
    "synthesis_remove_lead": (
        "post",
        {},
        lambda c: {**_s(c), "person_id": c["facilitator"].pk},
        ORGANISERS_ACT,
    ),
    "synthesis_subtheme": ("get", None, _subtheme_of, FACILITATORS),
    "synthesis_board": ("get", None, _subtheme_of, FACILITATORS),
    "synthesis_add_theme": ("htmx", {}, _subtheme_of, LEADS_REFUSED),
    "synthesis_change_theme": ("htmx", {}, _theme, LEADS_REFUSED),
    "synthesis_remove_theme": ("htmx", {}, _theme, (403, 404, 403, 403, 200)),
    "synthesis_map": ("htmx", {}, _cluster, MAP_REFUSED),
    "synthesis_unmap": ("htmx", {}, _cluster, (403, 404, 403, 200, 200)),
    "plenary:screen": ("get", None, lambda c: {"key": c["plenary"].screen_key}, PUBLIC),
    "plenary:screen_panel": ("get", None, lambda c: {"key": c["plenary"].screen_key}, PUBLIC),
}


# An attendee of another breakout of the same summit, for the URLs of one breakout's ideas
# alike: refused, as for the breakout's other pages, before anything is looked up or changed.
OTHER_BREAKOUT = {
    "breakouts:similar": ("htmx", {"text": "An idea of the group"}, 403),
    "breakouts:duplicates": ("get", None, 403),
    "breakouts:merge_duplicate": ("htmx", {}, 403),
    "breakouts:dismiss_duplicate": ("htmx", {}, 403),
    "breakouts:suggestions": ("get", None, 403),
    "breakouts:accept_suggestion": ("htmx", {}, 403),
    "breakouts:discard_suggestion": ("htmx", {}, 403),
}


@pytest.mark.parametrize("name", sorted(OTHER_BREAKOUT))
def test_ideas_alike_refuse_an_attendee_of_another_breakout(ctx, other_member, name):
    method, data, expected = OTHER_BREAKOUT[name]
    client = client_for(other_member)
    url = reverse(name, kwargs=_b(ctx))

    if method == "htmx":
        response = client.post(url, data, HTTP_HX_REQUEST="true")
    else:
        response = client.get(url)

    assert response.status_code == expected
    assert "An idea" not in response.content.decode()


def _names(patterns, prefix: str = "") -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            names |= _names(pattern.url_patterns, namespace)
        elif isinstance(pattern, URLPattern):
            assert pattern.name, f"every URL needs a name: {pattern.pattern}"
            names.add(prefix + pattern.name)
    return names


def test_every_url_pattern_is_in_the_access_table():
    assert _names(get_resolver().url_patterns) == set(CASES)


@pytest.fixture
def ctx(breakout, attendee, facilitator, organiser, outsider):
    return _context(breakout, attendee, facilitator, organiser, outsider)


@pytest.fixture(scope="module")
def shared_ctx(django_db_setup, django_db_blocker):
    """The same things, made once for the module's hundreds of requests rather than for each:
    each test's own changes are still undone after it (its transaction is nested in this
    one, which is undone at the end), and no test changes the objects held here."""
    with django_db_blocker.unblock(), transaction.atomic():
        summit = load_place_summit()[0]
        breakout = ensure_breakouts(summit)[0]
        people = new_attendee(breakout), new_facilitator(breakout), new_organiser(summit)
        yield _context(breakout, *people, new_outsider())
        transaction.set_rollback(True)


def _context(breakout, attendee, facilitator, organiser, outsider) -> dict:
    """One of each thing the URLs name, with the people who ask for them."""
    someone = make_participant(breakout.summit, name="Sam Someone")
    breakout.members.add(someone)
    idea, _ = breakout_services.post_idea(
        breakout=breakout, author=someone, text="An idea", client_token=uuid.uuid4()
    )
    plenary = plenary_for(breakout.summit)
    qa_session = moderation.add_session(plenary, title="Ask the panel", by=organiser)
    qa_session = moderation.change_session(qa_session, state="open", by=organiser)
    question, _ = ask_question(qa_session, someone, "Who holds the budget?", uuid.uuid4())
    outcome = Outcome.objects.create(
        breakout=breakout, proposal="Pool budgets", who_should_act="Councils"
    )
    return {
        "plenary": plenary,
        "poll": plenary.polls.first(),
        "qa_session": qa_session,
        "question": question,
        "idea": idea,
        "cluster": Cluster.objects.create(breakout=breakout, name="Money"),
        "theme": Theme.objects.create(subtheme=breakout.subtheme, name="Money", position=1),
        "outcome": outcome,
        "action": Action.objects.create(outcome=outcome, owner="Councils"),
        "summit": breakout.summit,
        "breakout": breakout,
        "attendee": attendee,
        "facilitator": facilitator,
        "organiser": organiser,
        "outsider": outsider,
        "someone": someone,
        "return_key": account_services.make_return_link_key(someone),
    }


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("who", WHO)
def test_url_answers_each_kind_of_person(shared_ctx, db, name, who):
    ctx = shared_ctx
    for made in ctx.values():
        if isinstance(made, Model):
            made.refresh_from_db()  # as the database has it again, whatever a test before did
    method, data, kwargs, statuses = CASES[name]
    expected = statuses[WHO.index(who)]
    client = Client() if who == "anonymous" else client_for(ctx[who])
    url = reverse(name, kwargs=kwargs(ctx))

    if method == "htmx":
        response = client.post(url, data, HTTP_HX_REQUEST="true")
    elif data is not None:
        response = getattr(client, method)(url, data)
    else:
        response = client.get(url)

    assert response.status_code == expected, f"{method.upper()} {url} as {who}"
    # A download streamed to its end, as a browser would read it.
    content = b"".join(response.streaming_content) if response.streaming else response.content
    body = content.decode(errors="replace")
    if expected in (403, 404):
        # A refusal says nothing of the summit behind it.
        assert ctx["summit"].join_code not in body
        assert "Sam Someone" not in body
    if expected == 302 and who == "anonymous" and name not in GO_BACK:
        assert response.url.startswith(reverse("login"))
