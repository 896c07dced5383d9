"""Property-based tests: arbitrary text, sizes, unicode, control characters, markup and lists
thrown at every form a person can post and every WebSocket a screen opens.

Whatever is sent: no request fails (no 500); every refusal (422) says what was wrong in words;
whatever was stored is shown escaped on every page that shows it, never as markup; and a
socket that is sent anything is closed without an echo. Each example runs in a savepoint that
is rolled back and starts with no rate-limit counts, so examples never see each other.

The test database here may be SQLite, which stores a NUL character that PostgreSQL refuses
(a 500 in production): every query in these tests is refused the way PostgreSQL refuses it.
"""

from __future__ import annotations

import copy
import json
import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DataError, transaction
from django.db.backends.utils import CursorWrapper
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from accounts import services as account_services
from accounts.models import Feedback, Invite, Participant, User
from breakouts import services as breakout_services
from breakouts.models import Action as FollowUp
from breakouts.models import Breakout, Cluster, Comment, Idea, Outcome
from plenary import moderation
from plenary import run_sheet as plenary_run_sheet
from plenary import services as plenary_services
from plenary.models import Answer, Plenary, Poll, QaSession, Question, QuestionSupport
from plenary.questions import ask_question
from summit.event.agreement import Agreement
from summit.event.design import PLACE_SUMMIT_DATA
from summit.event.models import AgendaItem, Summit
from summit.live import CLOSE_FORBIDDEN, CLOSE_UNEXPECTED_MESSAGE
from summit.organise import after, stimulus_forms
from summit.organise.design import PARTS
from summit.web import counts
from summit.web.language import SESSION_KEY as LANGUAGE
from tests.conftest import SECTOR_KEYS, client_for, make_participant, socket_for

FUZZ = settings(
    max_examples=25,
    deadline=None,
    database=None,  # nothing written to the checkout
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SOCKET_FUZZ = settings(FUZZ, max_examples=10)

# What a refused or accepted request may answer; never a 500.
ANSWERS = {200, 302, 400, 403, 404, 405, 422}

# Markup of every kind a page could be tricked into running or evaluating.
MARKUP = (
    "<script>alert(1)</script>",
    "<b>bold</b>",
    "{{ x }}",
    "{% now 'Y' %}",
    "\"'><img src=x onerror=alert(1)>",
    "\x00",
    "a\x00b",
    "&lt;b&gt;",
    "javascript:alert(1)",
    "\u202etxt.exe\u200b",
)
# Markup that must never come back as it was sent: it would be HTML on the page.
RAW = ("<script>alert(1)</script>", "<b>bold</b>", "<img src=x onerror=alert(1)>")
HUGE = "9223372036854775808"  # one past the largest 64-bit id


def _long(piece: str, size: int) -> str:
    return (piece * (size // len(piece) + 1))[:size]


def either(*choices: tuple[int, st.SearchStrategy]) -> st.SearchStrategy:
    """Each strategy as often as its weight. (``one_of`` flattens the choices nested in its
    strategies and weighs every branch alike, so a strategy with many branches would win.)"""
    pool = [strategy for weight, strategy in choices for _ in range(weight)]
    return st.sampled_from(pool).flatmap(lambda strategy: strategy)


TEXT = st.one_of(
    st.text(),  # any unicode but surrogates, control characters included
    st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zl", "Zp", "Zs"]), min_size=1),
    st.tuples(st.text(max_size=8), st.sampled_from(MARKUP), st.text(max_size=8)).map("".join),
    st.builds(_long, st.text(min_size=1, max_size=3), st.integers(1, 20_000)),
    st.integers().map(str),
    st.floats().map(str),
    st.sampled_from([*MARKUP, HUGE, "-1", "0", "1e3", "٣", "1.5", " 1 "]),
)
# What a person might type: printable words, now and then with markup among them.
_PRINTABLE = st.text(st.characters(exclude_categories=["Cc", "Cs"]), min_size=1, max_size=60)
SAYING = st.one_of(
    _PRINTABLE.filter(str.strip),
    st.tuples(_PRINTABLE, st.sampled_from(MARKUP[:5]), _PRINTABLE).map(" ".join),
)
# Text for a field that stores it: as often something a person might type as anything at all.
WRITING = either((1, SAYING), (1, TEXT))
# Anything a field could be sent: one value, or several where one is expected.
ANYTHING = either((3, TEXT), (1, st.lists(TEXT, min_size=2, max_size=3)))


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING = _Missing()  # the field is left out of the post


@dataclass(frozen=True)
class Ref:
    """A value known only once the example's data exists, like the id of an idea."""

    name: str


@dataclass(frozen=True)
class Fmt:
    """A value made from the example's data, like ``member:{someone}``."""

    template: str


def valid(*values) -> st.SearchStrategy:
    """Mostly one of ``values``, otherwise anything, or nothing at all."""
    return either((4, st.sampled_from(values)), (1, ANYTHING), (1, st.just(MISSING)))


def _resolve(value, refs: dict):
    if isinstance(value, Ref):
        return str(refs[value.name])
    if isinstance(value, Fmt):
        return value.template.format(**refs)
    if isinstance(value, list):
        return [_resolve(v, refs) for v in value]
    return value


# Checks on every answer


class _Refusals(HTMLParser):
    """The words in each visible element marked as an error message or summary."""

    VOID = frozenset(
        ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "wbr")
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, int | None]] = []
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag in self.VOID:
            return
        attributes = dict(attrs)
        classes = set((attributes.get("class") or "").split())
        index = None
        if classes & {"error-message", "error-summary"} and "hidden" not in attributes:
            self.texts.append("")
            index = len(self.texts) - 1
        self.stack.append((tag, index))

    def handle_endtag(self, tag) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data) -> None:
        for _, index in self.stack:
            if index is not None:
                self.texts[index] += data


def refusal_messages(body: str) -> list[str]:
    parser = _Refusals()
    parser.feed(body)
    parser.close()
    words = (
        " ".join(t.replace("Error:", "").replace("There is a problem", "").split())
        for t in parser.texts
    )
    return [w for w in words if any(ch.isalpha() for ch in w)]


def _excerpt(body: str) -> str:
    """The main part of a page, briefly, for a failure message."""
    start = body.find("<main")
    main = body[start : body.find("</main>", start)] if start >= 0 else body
    return " ".join(main.split())[:800]


def checked(response) -> str:
    """The body of a response that is no failure, carries no live markup, and explains any
    refusal."""
    body = response.content.decode()
    assert response.status_code in ANSWERS, f"{response.status_code}: {_excerpt(body)}"
    for raw in RAW:
        assert raw not in body, f"{raw} rendered as markup"
    if response.status_code == 422:
        assert refusal_messages(body), f"a refusal without a message: {_excerpt(body)}"
    return body


def shown_escaped(text: str, *bodies: str) -> None:
    """Stored text is on each page as text: escaped, and only once (neither raw, nor evaluated
    as a template, nor escaped twice)."""
    for body in bodies:
        assert escape(text) in body, f"{text!r} is not shown as sent"


def post(client: Client, url: str, data: dict, refs: dict, *, htmx: bool = True):
    """Post ``data`` (without the fields left out), as htmx sends it unless told otherwise."""
    body = {
        name.format(**refs): _resolve(value, refs)
        for name, value in data.items()
        if value is not MISSING
    }
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client.post(url, body, **headers)
    if currently_in_test_context():  # for --hypothesis-show-statistics
        event(f"answered {response.status_code}")
    return response


def get(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return checked(response)


@contextmanager
def fresh(*clients: Client) -> Iterator[None]:
    """One example: no attempts counted yet, no messages left over, every write undone."""
    counts.clear()
    for client in clients:
        client.cookies.pop("messages", None)
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


# PostgreSQL refuses NUL in text and in JSON; SQLite stores it. Refuse it here too, in every
# thread (consumers query from worker threads), so a NUL that reaches the database fails these
# tests as it fails the request in production.
_JSON_NUL = re.compile(r"(?<!\\)(?:\\\\)*\\u0000")
NUL_REFUSED = "PostgreSQL text fields cannot contain NUL (0x00) bytes"


def _holds_nul(params) -> bool:
    values = params.values() if isinstance(params, dict) else params or ()
    return any(
        isinstance(v, str)
        and ("\x00" in v or (v.startswith(("{", "[")) and _JSON_NUL.search(v) is not None))
        for v in values
    )


@pytest.fixture(autouse=True)
def _nul_refused_as_postgresql_refuses_it(monkeypatch):
    execute, executemany = CursorWrapper.execute, CursorWrapper.executemany

    def refusing_execute(self, sql, params=None):
        if _holds_nul(params):
            raise DataError(NUL_REFUSED)
        return execute(self, sql, params)

    def refusing_executemany(self, sql, param_list):
        param_list = list(param_list)
        if any(_holds_nul(params) for params in param_list):
            raise DataError(NUL_REFUSED)
        return executemany(self, sql, param_list)

    monkeypatch.setattr(CursorWrapper, "execute", refusing_execute)
    monkeypatch.setattr(CursorWrapper, "executemany", refusing_executemany)


# The summit as every test finds it


@pytest.fixture
def ctx(breakout, other_breakout, attendee, facilitator, organiser):
    return summit_for_fuzzing(breakout, other_breakout, attendee, facilitator, organiser)


def summit_for_fuzzing(breakout, other_breakout, attendee, facilitator, organiser):
    """The summit every example starts from, with what each refers to (``refs``) and a
    signed-in client for each kind of person."""
    summit = breakout.summit
    Summit.objects.filter(pk=summit.pk).update(status=Summit.Status.OPEN)
    someone = make_participant(summit, name="Sam Someone", sector="health")
    breakout.members.add(someone)
    mine, _ = breakout_services.post_idea(
        breakout=breakout, author=attendee, text="Mine", client_token=uuid.uuid4()
    )
    theirs, _ = breakout_services.post_idea(
        breakout=breakout, author=someone, text="Theirs", client_token=uuid.uuid4()
    )
    elsewhere, _ = breakout_services.post_idea(
        breakout=other_breakout, author=someone, text="Elsewhere", client_token=uuid.uuid4()
    )
    cluster = Cluster.objects.create(breakout=breakout, name="Money")
    outcome = Outcome.objects.create(
        breakout=breakout, proposal="Pool budgets", who_should_act="Councils"
    )
    outcome.ideas.add(theirs)
    plenary = plenary_services.plenary_for(summit)
    staff = User.objects.create_user(
        username="staff", email="staff@example.org", password="a-long-staff-password"
    )
    refs = {
        "breakout": breakout.pk,
        "other_breakout": other_breakout.pk,
        "mine": mine.pk,
        "theirs": theirs.pk,
        "elsewhere": elsewhere.pk,
        "cluster": cluster.pk,
        "outcome": outcome.pk,
        "attendee": attendee.pk,
        "facilitator": facilitator.pk,
        "organiser": organiser.pk,
        "someone": someone.pk,
        "prompt": summit.prompts.first().pk,
        "subtheme": summit.subthemes.first().pk,
        "agenda": summit.agenda.first().pk,
        "summit": summit.pk,
        "code": summit.join_code,
        "token": uuid.uuid4(),
    }
    return SimpleNamespace(
        summit=summit,
        breakout=breakout,
        plenary=plenary,
        attendee=attendee,
        facilitator=facilitator,
        organiser=organiser,
        someone=someone,
        staff=staff,
        refs=refs,
        member=client_for(attendee),
        steerer=client_for(facilitator),
        organising=client_for(organiser),
    )


def _board(ctx) -> str:
    return get(ctx.member, reverse("breakouts:board", args=[ctx.breakout.pk]))


def _console(ctx) -> str:
    """The console's board, as its socket fetches it (the page around it shows no more)."""
    url = reverse("breakouts:board", args=[ctx.breakout.pk])
    return get(ctx.steerer, f"{url}?view=facilitators")


def _plenary_console(ctx, language: str | None = None) -> str:
    """The plenary console's live part, as its socket fetches it (in ``language``, chosen
    for the while, when one is given)."""
    url = reverse("plenary:panel", args=[ctx.summit.slug])
    if language is None:
        return get(ctx.steerer, f"{url}?view=facilitators")
    session = ctx.steerer.session
    chosen = session.get(LANGUAGE)
    session[LANGUAGE] = language
    session.save()
    try:
        return get(ctx.steerer, f"{url}?view=facilitators")
    finally:
        session = ctx.steerer.session
        session.pop(LANGUAGE, None)
        if chosen:
            session[LANGUAGE] = chosen
        session.save()


def _screen(ctx) -> str:
    key = Breakout.objects.get(pk=ctx.breakout.pk).screen_key
    return get(Client(), reverse("breakouts:screen_board", args=[key]))


def _record(ctx) -> str:
    return get(ctx.organising, reverse("record", args=[ctx.summit.slug]))


def _audit(ctx) -> str:
    return get(ctx.organising, reverse("audit_log", args=[ctx.summit.slug]))


# Joining and signing in


@FUZZ
@given(code=st.one_of(ANYTHING, st.just(Ref("code"))))
@example(code="\x00")
@example(code=["K7QM2X", "<b>bold</b>"])
def test_join_code_form_survives_anything(ctx, code):
    with fresh():
        response = post(Client(), reverse("join"), {"code": code}, ctx.refs, htmx=False)

        checked(response)
        if response.status_code == 302:
            assert response.url == reverse("join_summit", args=[ctx.summit.join_code])


@FUZZ
@given(
    form=st.fixed_dictionaries(
        {
            "display_name": st.one_of(WRITING, st.just("Priya Shah")),
            "organisation": st.one_of(WRITING, valid("", "Testshire Council")),
            "sector": valid(*SECTOR_KEYS),
            "attribution": valid("named", "anonymous"),
            "preferred_subtheme": valid("", Ref("subtheme")),
            "join_token": valid(Ref("token")),
        }
    )
)
@example(
    form={
        "display_name": "<script>alert(1)</script>",
        "organisation": "{{ x }}",
        "sector": "health",
        "attribution": "named",
        "join_token": Ref("token"),
    }
)
@example(
    form={
        "display_name": "Priya\x00Shah",
        "organisation": "a\x00b",
        "sector": "health",
        "attribution": "named",
        "join_token": Ref("token"),
    }
)
def test_join_form_survives_anything(ctx, form):
    with fresh():
        url = reverse("join_summit", args=[ctx.summit.join_code])
        response = post(Client(), url, form, ctx.refs, htmx=False)

        checked(response)
        if response.status_code == 302:
            joined = Participant.objects.filter(summit=ctx.summit).latest("pk")
            people = get(ctx.organising, reverse("people", args=[ctx.summit.slug]))
            if not joined.anonymous:  # an anonymous attendee's name is shown to nobody
                shown_escaped(joined.display_name, people)
                shown_escaped(joined.organisation, people)


@FUZZ
@given(
    form=st.fixed_dictionaries(
        {
            "email": st.one_of(valid("staff@example.org", "STAFF@example.org"), st.emails()),
            "password": valid("a-long-staff-password"),
            "next": valid("/", "/join/", "https://evil.example/"),
        }
    )
)
@example(
    form={
        "email": "staff@example.org",
        "password": "a-long-staff-password",
        "next": "/\x00<script>alert(1)</script>",
    }
)
@example(form={"email": "staff@example.org", "password": "a\x00", "next": MISSING})
# A "next" that is not a path on this site, like "0" or ":", leads home, not to an error.
@example(form={"email": "staff@example.org", "password": "a-long-staff-password", "next": "0"})
def test_sign_in_form_survives_anything(ctx, form):
    with fresh():
        response = post(Client(), reverse("login"), form, ctx.refs, htmx=False)

        checked(response)
        if response.status_code == 302:
            assert not response.url.startswith("https://evil.example")


_QUOTED_MARKUP_EMAIL = '"<script>alert(1)</script>"@example.org'


@FUZZ
@given(
    form=st.fixed_dictionaries(
        {
            "email": st.one_of(st.emails(), ANYTHING, st.just(MISSING)),
            "role": valid(*(role for role, _ in Invite.ROLES)),
        }
    )
)
@example(form={"email": _QUOTED_MARKUP_EMAIL, "role": Participant.Role.FACILITATOR})
@example(form={"email": '"\x01\x7f"@example.org', "role": Participant.Role.FACILITATOR})
# An empty post is refused with a message for each missing field.
@example(form={"email": MISSING, "role": MISSING})
def test_invite_form_survives_anything(ctx, form):
    with fresh(ctx.organising):
        url = reverse("invites", args=[ctx.summit.slug])
        response = post(ctx.organising, url, form, ctx.refs, htmx=False)

        body = checked(response)
        made = Invite.objects.filter(summit=ctx.summit).first()
        if made is not None:
            shown_escaped(made.email, body, get(ctx.organising, url))


@FUZZ
@given(
    form=st.fixed_dictionaries(
        {
            "first_name": st.one_of(WRITING, st.just("Farida")),
            "last_name": st.one_of(WRITING, st.just("Begum")),
            "organisation": st.one_of(WRITING, valid("", "Testshire Council")),
            "sector": valid(*SECTOR_KEYS),
            "password": valid("correct horse battery staple"),
        }
    )
)
@example(
    form={
        "first_name": "<b>bold</b>",
        "last_name": "a\x00b",
        "organisation": "{{ x }}",
        "sector": "voluntary",
        "password": "correct horse battery staple",
    }
)
def test_accept_invite_form_survives_anything(ctx, form):
    with fresh():
        _, token = account_services.invite(
            summit=ctx.summit,
            by=ctx.organiser,
            email="new.facilitator@example.org",
            role=Participant.Role.FACILITATOR,
            accept_url_for=lambda t: f"http://testserver/invite/{t}/",
        )
        url = reverse("accept_invite", args=[token])
        response = post(Client(), url, form, ctx.refs, htmx=False)

        checked(response)
        if response.status_code == 302:
            joined = Participant.objects.get(user__email="new.facilitator@example.org")
            people = get(ctx.organising, reverse("people", args=[ctx.summit.slug]))
            shown_escaped(joined.display_name, people)


@FUZZ
@given(form=st.fixed_dictionaries({"username": ANYTHING}))
# A NUL in the username never reaches PostgreSQL, which would refuse it.
@example(form={"username": "\x00"})
def test_demo_login_survives_anything(ctx, form):
    with fresh():
        response = post(Client(), reverse("demo_login"), form, ctx.refs, htmx=False)

        checked(response)


# A breakout, as an attendee and as a facilitator


@dataclass(frozen=True)
class Action:
    """A breakout action: its URL, the phase that allows it, what it is sent, and what it
    stores (as the texts each page must show escaped)."""

    url: str
    args: tuple[str, ...]
    phase: str
    form: dict
    stored: Callable[[SimpleNamespace], list[str]] = field(default=lambda ctx: [])


def _token_field() -> st.SearchStrategy:
    return valid(Ref("token"))


def _new_ideas(ctx) -> list[str]:
    known = [ctx.refs["mine"], ctx.refs["theirs"]]
    return list(
        Idea.objects.filter(breakout=ctx.breakout)
        .exclude(pk__in=known)
        .values_list("text", flat=True)
    )


def _edited(ctx) -> list[str]:
    return [Idea.objects.get(pk=ctx.refs["mine"]).text]


def _comments(ctx) -> list[str]:
    return list(Comment.objects.filter(idea__breakout=ctx.breakout).values_list("text", flat=True))


MEMBER_ACTIONS = {
    "post_idea": Action(
        "breakouts:post_idea",
        ("breakout",),
        Breakout.Phase.GATHER,
        {"text": WRITING, "anonymous": valid("", "on"), "client_token": _token_field()},
        _new_ideas,
    ),
    "edit_idea": Action(
        "breakouts:edit_idea",
        ("breakout", "mine"),
        Breakout.Phase.BUILD,
        {"text": WRITING, "view": valid("members", "facilitators")},
        _edited,
    ),
    "comment": Action(
        "breakouts:comment",
        ("breakout", "theirs"),
        Breakout.Phase.BUILD,
        {"text": WRITING, "anonymous": valid("", "on"), "client_token": _token_field()},
        _comments,
    ),
    "dots": Action(
        "breakouts:dots",
        ("breakout", "theirs"),
        Breakout.Phase.VOTE,
        {"dots": valid("0", "1", "2", "3", "20", "21", HUGE)},
    ),
    "rate": Action(
        "breakouts:rate",
        ("breakout", "outcome"),
        Breakout.Phase.AGREE,
        {"level": valid(*(str(v) for v in Agreement.values))},
    ),
    # Looking up ideas like the one being typed: the whole idea form, as the box sends it.
    "similar": Action(
        "breakouts:similar",
        ("breakout",),
        Breakout.Phase.GATHER,
        {
            "text": st.one_of(WRITING, st.just("Theirs and mine and ours")),
            "anonymous": valid("", "on"),
            "client_token": _token_field(),
        },
    ),
}


@pytest.mark.parametrize("name", sorted(MEMBER_ACTIONS))
@FUZZ
@given(data=st.data())
def test_member_action_survives_anything(ctx, name, data):
    action = MEMBER_ACTIONS[name]
    form = data.draw(st.fixed_dictionaries(action.form), label="form")
    with fresh(ctx.member):
        Breakout.objects.filter(pk=ctx.breakout.pk).update(phase=action.phase)
        url = reverse(action.url, args=[ctx.refs[a] for a in action.args])
        response = post(ctx.member, url, form, ctx.refs)

        body = checked(response)
        stored = action.stored(ctx) if response.status_code == 200 else []
        if stored:
            # The answer is the member's board, fresh, but for a new idea (its form).
            board = body if 'id="board"' in body else _board(ctx)
            for text in stored:
                shown_escaped(text, board)


@pytest.mark.parametrize(
    "text", ["<script>alert(1)</script>", "{% now 'Y' %}", "\"'><img src=x onerror=alert(1)>"]
)
def test_idea_markup_is_shown_as_text_on_every_screen(ctx, text):
    with fresh(ctx.member):
        url = reverse("breakouts:post_idea", args=[ctx.breakout.pk])
        response = post(ctx.member, url, {"text": text, "client_token": Ref("token")}, ctx.refs)

        assert response.status_code == 200
        shown_escaped(text, _board(ctx), _console(ctx), _screen(ctx), _record(ctx))


def _hidden_reason(ctx) -> list[str]:
    idea = Idea.objects.get(pk=ctx.refs["theirs"])
    return [idea.hidden_reason] if idea.status == Idea.Status.HIDDEN else []


def _cluster_names(ctx) -> list[str]:
    return list(Cluster.objects.filter(breakout=ctx.breakout).values_list("name", flat=True))


def _outcomes(ctx) -> list[str]:
    texts = []
    for outcome in Outcome.objects.filter(breakout=ctx.breakout):
        texts += [outcome.proposal, outcome.who_should_act]
    return texts


def _ids(*names: str) -> list[Ref]:
    return [Ref(name) for name in names]


CONSOLE_ACTIONS = {
    "phase": Action(
        "breakouts:phase",
        ("breakout",),
        Breakout.Phase.GATHER,
        {"phase": valid(*Breakout.Phase.values), "minutes": valid("", "1", "180", "181", "0")},
    ),
    "timer": Action(
        "breakouts:timer",
        ("breakout",),
        Breakout.Phase.GATHER,
        {"minutes": valid("", "1", "90", "180", "181", HUGE)},
    ),
    "prompt": Action(
        "breakouts:prompt",
        ("breakout",),
        Breakout.Phase.GATHER,
        {"prompt": valid("", Ref("prompt"), HUGE, "-1")},
    ),
    "voting_rules": Action(
        "breakouts:voting_rules",
        ("breakout",),
        Breakout.Phase.GATHER,
        {
            "dot_budget": valid("1", "5", "20", "21"),
            "max_dots_per_idea": valid("1", "3", "20"),
            "vote_display": valid(*Breakout.VoteDisplay.values),
        },
    ),
    "hide": Action(
        "breakouts:hide",
        ("breakout", "theirs"),
        Breakout.Phase.BUILD,
        {"reason": WRITING},
        _hidden_reason,
    ),
    "merge": Action(
        "breakouts:merge",
        ("breakout", "theirs"),
        Breakout.Phase.CLUSTER,
        {"into": valid(Ref("mine"), Ref("theirs"), Ref("elsewhere"), HUGE, "0")},
    ),
    "add_cluster": Action(
        "breakouts:add_cluster",
        ("breakout",),
        Breakout.Phase.CLUSTER,
        {"name": st.one_of(WRITING, st.just("money"))},
        _cluster_names,
    ),
    "rename_cluster": Action(
        "breakouts:rename_cluster",
        ("breakout", "cluster"),
        Breakout.Phase.CLUSTER,
        {"name": WRITING},
        _cluster_names,
    ),
    "cluster_idea": Action(
        "breakouts:cluster_idea",
        ("breakout", "theirs"),
        Breakout.Phase.CLUSTER,
        {"cluster": valid("", Ref("cluster"), HUGE)},
    ),
    "spotlight": Action(
        "breakouts:spotlight",
        ("breakout",),
        Breakout.Phase.BUILD,
        {"idea": valid("", Ref("theirs"), Ref("elsewhere"), HUGE, "-1")},
    ),
    "on_behalf": Action(
        "breakouts:on_behalf",
        ("breakout",),
        Breakout.Phase.GATHER,
        {
            "text": WRITING,
            "speaker": valid(
                Fmt("member:{attendee}"),
                Fmt("member:{someone}"),
                *(f"sector:{s}" for s in SECTOR_KEYS),
            ),
            "client_token": _token_field(),
        },
        _new_ideas,
    ),
    "add_outcome": Action(
        "breakouts:add_outcome",
        ("breakout",),
        Breakout.Phase.AGREE,
        {
            "proposal": WRITING,
            "who_should_act": st.one_of(WRITING, st.just("Councils")),
            "horizon": valid(*Outcome.Horizon.values),
            "ideas": valid(_ids("theirs"), _ids("mine", "theirs"), Ref("elsewhere")),
        },
        _outcomes,
    ),
    "edit_outcome": Action(
        "breakouts:edit_outcome",
        ("breakout", "outcome"),
        Breakout.Phase.AGREE,
        {
            "proposal": WRITING,
            "who_should_act": WRITING,
            "horizon": valid(*Outcome.Horizon.values),
            "ideas": valid(_ids("theirs"), HUGE),
        },
        _outcomes,
    ),
    "rank_by": Action(
        "breakouts:rank_by",
        ("breakout",),
        Breakout.Phase.AGREE,
        {"rank_by": valid(*Breakout.RankBy.values)},
    ),
    # Ideas alike: a possible duplicate merged or dismissed, a suggested cluster accepted or
    # discarded, as the console's panels send them.
    **{
        name: Action(
            f"breakouts:{name}",
            ("breakout",),
            Breakout.Phase.CLUSTER,
            {
                "first": valid(Ref("mine"), Ref("theirs"), Ref("elsewhere"), HUGE, "0"),
                "second": valid(Ref("theirs"), Ref("mine"), Ref("elsewhere"), HUGE, "-1"),
            },
        )
        for name in ("merge_duplicate", "dismiss_duplicate")
    },
    **{
        name: Action(
            f"breakouts:{name}",
            ("breakout",),
            Breakout.Phase.CLUSTER,
            {
                "name": st.one_of(WRITING, st.just("money"), st.just("Mine and theirs")),
                "ideas": valid(_ids("theirs"), _ids("mine", "theirs"), Ref("elsewhere"), HUGE),
                "proposal": valid(_ids("mine", "theirs"), _ids("mine", "elsewhere"), HUGE),
            },
            _cluster_names,
        )
        for name in ("accept_suggestion", "discard_suggestion")
    },
}


# Explicit examples (an empty post for the others, as the console's buttons may send).
CONSOLE_EXAMPLES = {
    # An idea number past any id is refused by the form: pk__in, unlike an exact lookup,
    # would not guard against ids past 64 bits on SQLite.
    "merge": {"into": HUGE},
}


@pytest.mark.parametrize("name", sorted(CONSOLE_ACTIONS))
@FUZZ
@given(data=st.data())
@example(data=None)
def test_console_action_survives_anything(ctx, name, data):
    action = CONSOLE_ACTIONS[name]
    if data is None:
        form = CONSOLE_EXAMPLES.get(name, {})
    else:
        form = data.draw(st.fixed_dictionaries(action.form), label="form")
    with fresh(ctx.steerer):
        Breakout.objects.filter(pk=ctx.breakout.pk).update(phase=action.phase)
        url = reverse(action.url, args=[ctx.refs[a] for a in action.args])
        # Sent from the console, the answer is the console's board, fresh (or, from a panel
        # beside the board, that panel: the board is then fetched as the console would).
        response = post(ctx.steerer, url, {**form, "view": "facilitators"}, ctx.refs)

        body = checked(response)
        if response.status_code == 200 and (stored := action.stored(ctx)):
            board = body if 'id="board"' in body else _console(ctx)
            for text in stored:
                shown_escaped(text, board)


@pytest.mark.parametrize(
    ("name", "form"),
    [
        ("hide", {"reason": "<script>alert(1)</script>"}),
        ("add_cluster", {"name": "<b>bold</b>"}),
        ("rename_cluster", {"name": "{{ x }}"}),
        (
            "on_behalf",
            {
                "text": "\"'><img src=x onerror=alert(1)>",
                "speaker": Fmt("member:{someone}"),
                "client_token": Ref("token"),
            },
        ),
        (
            "add_outcome",
            {
                "proposal": "<script>alert(1)</script>",
                "who_should_act": "{% now 'Y' %}",
                "horizon": "now",
            },
        ),
        (
            "accept_suggestion",
            {
                "name": "<script>alert(1)</script>",
                "ideas": _ids("theirs"),
                "proposal": _ids("mine", "theirs"),
            },
        ),
    ],
)
def test_console_markup_is_shown_as_text(ctx, name, form):
    action = CONSOLE_ACTIONS[name]
    with fresh(ctx.steerer):
        Breakout.objects.filter(pk=ctx.breakout.pk).update(phase=action.phase)
        url = reverse(action.url, args=[ctx.refs[a] for a in action.args])
        response = post(ctx.steerer, url, form, ctx.refs)

        assert response.status_code == 200
        stored = action.stored(ctx)
        assert any(text in form.values() for text in stored)
        console, record, audit = _console(ctx), _record(ctx), _audit(ctx)
        for text in stored:
            shown_escaped(text, console, record)
        assert escape(next(iter(form.values()))) in audit


# Organisers' forms


@FUZZ
@given(
    form=st.fixed_dictionaries(
        {
            "role": valid(*Participant.Role.values),
            "breakout": valid("", Ref("breakout"), Ref("other_breakout"), HUGE),
            "moderates_questions": valid("on", ""),
        }
    )
)
def test_update_person_survives_anything(ctx, form):
    with fresh(ctx.organising):
        url = reverse("update_person", args=[ctx.summit.slug, ctx.someone.pk])
        response = post(ctx.organising, url, form, ctx.refs, htmx=False)

        checked(response)
        assert response.status_code == 302
        page = checked(ctx.organising.get(response.url))
        assert "Saved the changes" in page or refusal_messages(page), "no word on the change"


def _stamp(moment) -> str:
    return f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d} {moment:%H:%M}"


@FUZZ
@given(
    form=st.fixed_dictionaries(
        {
            "joining_opens_at": st.one_of(
                valid("", "2026-11-20 09:00", "0001-01-01 00:00", "9999-12-31 23:59"),
                st.datetimes().map(_stamp),
            ),
            "joining_closes_at": st.one_of(
                valid("", "2026-12-03 17:00", "0001-01-01 00:00", "9999-12-31 23:59"),
                st.datetimes().map(_stamp),
            ),
            "privacy_contact": st.one_of(valid("", "dpo@example.org"), st.emails()),
            "retain_personal_data_until": st.one_of(
                valid("", "2027-06-30", "0001-01-01", "9999-12-31"),
                st.dates().map(lambda d: f"{d.year:04d}-{d.month:02d}-{d.day:02d}"),
            ),
        }
    )
)
@example(
    form={
        "joining_closes_at": "2026-03-29 01:30",  # does not exist in London
        "privacy_contact": _QUOTED_MARKUP_EMAIL,
        "retain_personal_data_until": "9999-12-31",
    }
)
def test_joining_settings_survive_anything(ctx, form):
    with fresh(ctx.organising):
        url = reverse("joining", args=[ctx.summit.slug])
        response = post(ctx.organising, url, form, ctx.refs, htmx=False)

        checked(response)
        if response.status_code == 302:
            summit = Summit.objects.get(pk=ctx.summit.pk)
            notice = get(Client(), reverse("summit_privacy", args=[summit.slug]))
            shown_escaped(summit.privacy_contact, notice)


@FUZZ
@given(
    form=st.fixed_dictionaries(
        {
            "subtheme": valid(Ref("subtheme")),
            "text": st.one_of(WRITING, st.just("Start from the high street")),
            "client_token": valid(Ref("token")),
        }
    )
)
@example(form={"subtheme": Ref("subtheme"), "text": "<script>alert(1)</script>"})
@example(form={"subtheme": Ref("subtheme"), "text": "a\x00b", "client_token": Ref("token")})
def test_first_thought_form_survives_anything(ctx, form):
    with fresh(ctx.member):
        url = reverse("first_thoughts", args=[ctx.summit.slug])
        response = post(ctx.member, url, form, ctx.refs, htmx=False)

        checked(response)
        assert response.status_code in (302, 422)
        if response.status_code == 302:
            thought = ctx.attendee.first_thoughts.latest("pk")
            shown_escaped(thought.text, get(ctx.member, url))


@FUZZ
@given(form=st.fixed_dictionaries({"preferred_subtheme": valid("", Ref("subtheme"))}))
@example(form={"preferred_subtheme": "\x00"})
def test_preference_survives_anything(ctx, form):
    with fresh(ctx.member):
        url = reverse("preference", args=[ctx.summit.slug])
        response = post(ctx.member, url, form, ctx.refs, htmx=False)

        checked(response)
        assert response.status_code in (302, 422)


_NUMBER = st.one_of(st.integers(-1000, 1000).map(str), TEXT)


@FUZZ
@given(
    form=st.fixed_dictionaries(
        {
            "title": st.one_of(WRITING, st.just("Summit of places")),
            "central_question": st.one_of(WRITING, st.just("Why?")),
            "date": st.one_of(valid("", "2026-12-03", "31/12/9999"), st.dates().map(str)),
            "venue": st.one_of(WRITING, valid("", "Guildhall")),
            "time_zone": st.one_of(
                valid("Europe/London", "europe/paris", "UTC", "Mars/Olympus_Mons"), WRITING
            ),
            "welcome": st.one_of(WRITING, valid("", "**Welcome** [in](javascript:alert(1))")),
            "dot_budget": st.one_of(valid("1", "5", "20", "0", "21"), _NUMBER),
            "allow_anonymous": valid("", "on"),
            "supermajority": st.one_of(valid("51", "75", "100", "50", "101"), _NUMBER),
            "big_screen_languages": st.one_of(valid("one", "both", ""), WRITING),
        }
    )
)
@example(
    form={
        "title": "<script>alert(1)</script>",
        "central_question": "{{ x }}",
        "date": "",
        "venue": "\"'><img src=x onerror=alert(1)>",
        "time_zone": "Europe/London",
        "welcome": "<b>bold</b>",
        "dot_budget": "5",
        "allow_anonymous": "on",
        "supermajority": "75",
        "big_screen_languages": "both",
    }
)
def test_summit_settings_survive_anything(ctx, form):
    with fresh(ctx.organising, ctx.steerer):
        url = reverse("summit_settings", args=[ctx.summit.slug])
        response = post(ctx.organising, url, form, ctx.refs, htmx=False)

        checked(response)
        if response.status_code == 302:
            summit = Summit.objects.get(pk=ctx.summit.pk)
            assert 1 <= summit.dot_budget <= 20
            assert 51 <= summit.supermajority <= 100
            mine, theirs = get(ctx.organising, url), get(ctx.steerer, url)
            shown_escaped(summit.title, mine, theirs)
            shown_escaped(summit.venue, mine, theirs)
            home = get(ctx.member, reverse("summit_home", args=[summit.slug]))
            shown_escaped(summit.central_question, home)


@FUZZ
@given(
    form=st.fixed_dictionaries(
        {
            "useful": st.one_of(valid("1", "3", "5", "0", "6", "", HUGE), ANYTHING),
            "heard": st.one_of(valid("1", "4", "5", "-1", ""), ANYTHING),
            "change": st.one_of(WRITING, valid("", _long("x", 2001), "<b>bold</b>")),
        }
    )
)
@example(form={"useful": "4", "heard": "5", "change": "<script>alert(1)</script>"})
@example(form={"useful": ["1", "5"], "heard": "2", "change": "a\x00b"})
@example(form={"useful": MISSING, "heard": MISSING, "change": MISSING})
def test_feedback_form_survives_anything(ctx, form):
    with fresh(ctx.member, ctx.organising):
        Summit.objects.filter(pk=ctx.summit.pk).update(status=Summit.Status.LIVE)
        url = reverse("feedback", args=[ctx.summit.slug])
        response = post(ctx.member, url, form, ctx.refs, htmx=False)

        checked(response)
        if response.status_code == 302:
            kept = Feedback.objects.get(participant=ctx.attendee)
            assert 1 <= kept.useful <= 5
            assert 1 <= kept.heard <= 5
            assert len(kept.change) <= 2000
            results = get(ctx.organising, reverse("feedback_results", args=[ctx.summit.slug]))
            shown_escaped(kept.change, results, get(ctx.member, url))


@FUZZ
@given(to=st.one_of(valid(*Summit.Status.values), ANYTHING))
@example(to="<script>alert(1)</script>")
@example(to="live")
def test_summit_status_moves_survive_anything(ctx, to):
    with fresh(ctx.organising):
        url = reverse("summit_status", args=[ctx.summit.slug])
        response = post(ctx.organising, url, {"to": to}, ctx.refs, htmx=False)

        checked(response)
        status = Summit.objects.get(pk=ctx.summit.pk).status
        if response.status_code == 302:
            assert status in Summit.STATUS_MOVES[Summit.Status.OPEN]
        else:
            assert status == Summit.Status.OPEN


@FUZZ
@given(choice=valid(*Summit.SharedAfter.values))
@example(choice="<script>alert(1)</script>")
@example(choice="full")
def test_shared_after_choice_survives_anything(ctx, choice):
    with fresh(ctx.organising):
        url = reverse("choose_shared", args=[ctx.summit.slug])
        response = post(ctx.organising, url, {"shared_after": choice}, ctx.refs, htmx=False)

        checked(response)
        kept = Summit.objects.get(pk=ctx.summit.pk).shared_after
        if response.status_code == 302:
            assert kept in Summit.SharedAfter.values
        else:
            assert response.status_code == 422
            assert kept == Summit.SharedAfter.SUMMARY


@FUZZ
@given(
    form=st.fixed_dictionaries(
        {"subtheme": valid(Ref("subtheme"), HUGE), "name": st.one_of(WRITING, st.just("Money"))}
    )
)
@example(form={"subtheme": Ref("subtheme"), "name": "<script>alert(1)</script>"})
def test_breakouts_setup_survives_anything(ctx, form):
    with fresh(ctx.organising):
        url = reverse("breakouts_setup", args=[ctx.summit.slug])
        response = post(ctx.organising, url, form, ctx.refs, htmx=False)

        checked(response)
        if response.status_code == 302:
            made = Breakout.objects.filter(summit=ctx.summit).latest("pk")
            shown_escaped(made.name, get(ctx.organising, url))


# The content editor: every part's form, adding an item and changing one.

DESIGN_FORMS = {
    "pre-reading": {"title": WRITING, "body": WRITING},
    "assumptions": {"text": WRITING},
    "obstacles": {"text": WRITING},
    "subthemes": {"title": WRITING, "question": WRITING},
    "areas": {"text": WRITING, "subtheme": valid("", Ref("subtheme"), HUGE, "-1")},
    "agenda": {
        "kind": valid(*AgendaItem.Kind.values),
        "title": WRITING,
        "starts_at": valid("09:30", "9.30", "23:59", "24:00", ""),
        "ends_at": valid("10:00", "09:00", "23:59:59", ""),
        "description": WRITING,
    },
    "materials": {
        "title": WRITING,
        "url": valid(
            "https://example.org/",
            "http://example.org/a?b=<c>",
            "example.org/report",
            "javascript:alert(1)",
            "ftp://example.org/",
        ),
        "body": WRITING,
    },
    "sectors": {"name": WRITING},
}


@pytest.mark.parametrize("change", [False, True], ids=["add", "change"])
@pytest.mark.parametrize("slug", sorted(DESIGN_FORMS))
@settings(FUZZ, max_examples=10)
@given(data=st.data())
def test_design_form_survives_anything(ctx, slug, change, data):
    form = data.draw(st.fixed_dictionaries(DESIGN_FORMS[slug]), label="form")
    part = PARTS[slug]
    with fresh(ctx.organising):
        part.prepare(ctx.summit)
        listed = reverse("design_part", args=[ctx.summit.slug, slug])
        item = part.items(ctx.summit).first() if change else None
        url = reverse("design_item", args=[ctx.summit.slug, slug, item.pk]) if change else listed
        response = post(ctx.organising, url, form, ctx.refs, htmx=False)

        checked(response)
        if response.status_code == 302:
            items = part.items(ctx.summit)
            stored = items.get(pk=item.pk) if change else items.order_by("-pk").first()
            shown_escaped(part.name_of(stored), get(ctx.organising, listed))


def _setup_page(ctx) -> str:
    return get(ctx.organising, reverse("breakouts_setup", args=[ctx.summit.slug]))


@FUZZ
@given(
    form=st.fixed_dictionaries(
        {"groups": st.one_of(valid("1", "2", "30", "0", "31", HUGE), st.integers().map(str))}
    )
)
@example(form={"groups": "\x00"})
@example(form={"groups": "3"})
def test_breakout_group_count_survives_anything(ctx, form):
    with fresh(ctx.organising):
        subtheme = ctx.summit.subthemes.get(pk=ctx.refs["subtheme"])
        url = reverse("set_group_count", args=[ctx.summit.slug, subtheme.pk])
        response = post(ctx.organising, url, form, ctx.refs, htmx=False)

        checked(response)
        assert response.status_code in (302, 422)
        if response.status_code == 302:
            assert 1 <= subtheme.breakouts.count() <= 30
            page = _setup_page(ctx)
            assert 'class="notice"' in page, "no word on the change"


@FUZZ
@given(form=st.fixed_dictionaries({"name": st.one_of(WRITING, st.just("Citizen agency"))}))
@example(form={"name": "<script>alert(1)</script>"})
@example(form={"name": "a\x00b"})
def test_breakout_rename_survives_anything(ctx, form):
    with fresh(ctx.organising):
        url = reverse("rename_breakout", args=[ctx.summit.slug, ctx.breakout.pk])
        response = post(ctx.organising, url, form, ctx.refs, htmx=False)

        checked(response)
        assert response.status_code in (302, 422)
        if response.status_code == 302:
            name = Breakout.objects.get(pk=ctx.breakout.pk).name
            breakout_page = get(ctx.member, reverse("breakouts:breakout", args=[ctx.breakout.pk]))
            shown_escaped(name, _setup_page(ctx), breakout_page, _audit(ctx))


@FUZZ
@given(
    form=st.fixed_dictionaries(
        {
            "person": valid(
                Ref("organiser"), Ref("facilitator"), Ref("attendee"), Ref("someone"), "", HUGE
            )
        }
    )
)
def test_breakout_facilitator_form_survives_anything(ctx, form):
    with fresh(ctx.organising):
        url = reverse("add_facilitator", args=[ctx.summit.slug, ctx.refs["other_breakout"]])
        response = post(ctx.organising, url, form, ctx.refs, htmx=False)

        checked(response)
        assert response.status_code in (302, 422)
        facilitators = Breakout.objects.get(pk=ctx.refs["other_breakout"]).facilitators
        assert not facilitators.filter(role=Participant.Role.ATTENDEE).exists()


@FUZZ
@given(
    form=st.fixed_dictionaries(
        {
            "title": st.one_of(WRITING, st.just("Summit of places")),
            "date": st.one_of(valid("", "2026-12-03", "31/12/9999"), st.dates().map(str)),
            "start_from": valid("blank", Ref("summit")),
            "central_question": st.one_of(WRITING, valid("", "Why?")),
        }
    )
)
@example(
    form={
        "title": "<script>alert(1)</script>",
        "date": "",
        "start_from": "blank",
        "central_question": "{{ x }}",
    }
)
def test_new_summit_form_survives_anything(ctx, form):
    with fresh(ctx.organising):
        response = post(ctx.organising, reverse("new_summit"), form, ctx.refs, htmx=False)

        checked(response)
        if response.status_code == 302:
            made = Summit.objects.latest("pk")
            page = get(ctx.organising, response.url)
            shown_escaped(made.title, page)


def _leaf_paths(value, path=()) -> list[tuple]:
    """Every place in a design where a value sits, as keys and list positions."""
    if isinstance(value, dict):
        return [p for key, item in value.items() for p in _leaf_paths(item, (*path, key))]
    if isinstance(value, list) and value:
        return [p for n, item in enumerate(value) for p in _leaf_paths(item, (*path, n))]
    return [path]


PLACE_DESIGN = json.loads(PLACE_SUMMIT_DATA.read_text(encoding="utf-8"))
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=8,
)


def _changed_design(path: tuple, value) -> bytes:
    """The Place Summit's design file with the value at ``path`` replaced."""
    design = copy.deepcopy(PLACE_DESIGN)
    target = design
    for key in path[:-1]:
        target = target[key]
    if path:
        target[path[-1]] = value
    return json.dumps(design, ensure_ascii=False).encode("utf-8", "surrogatepass")


DESIGN_FILES = either(
    (1, st.binary(max_size=3000)),
    (1, JSON_VALUES.map(lambda v: json.dumps(v).encode("utf-8", "surrogatepass"))),
    (4, st.builds(_changed_design, st.sampled_from(_leaf_paths(PLACE_DESIGN)), JSON_VALUES)),
    (1, st.just(json.dumps(PLACE_DESIGN).encode())),
)


@FUZZ
@given(
    form=st.fixed_dictionaries(
        {
            "title": st.one_of(WRITING, st.just("")),
            "date": valid("", "2026-12-03"),
            "start_from": valid("design"),
            "central_question": st.one_of(WRITING, st.just("")),
        }
    ),
    content=DESIGN_FILES,
)
@example(
    form={"title": "", "date": "", "start_from": "design", "central_question": ""},
    content=_changed_design(("summit", "title"), "<script>alert(1)</script>"),
)
@example(
    form={"title": "", "date": "", "start_from": "design", "central_question": ""},
    content=_changed_design(("agenda", 0, "title"), "a\x00b"),
)
def test_new_summit_from_a_design_file_survives_anything(ctx, form, content):
    with fresh(ctx.organising):
        upload = SimpleUploadedFile("design.json", content, content_type="application/json")
        response = post(
            ctx.organising,
            reverse("new_summit"),
            {**form, "design_file": upload},
            ctx.refs,
            htmx=False,
        )

        checked(response)
        if response.status_code == 302:
            made = Summit.objects.latest("pk")
            page = get(ctx.organising, response.url)
            shown_escaped(made.title, page)


# Starting a summit from a stimulus document: any file, of any name, and any edit of what was
# found in it.
FIXTURES = Path(__file__).resolve().parent / "fixtures"
STIMULUS_FILES = [
    (FIXTURES / name).read_bytes()
    for name in ("place_summit_stimulus.docx", "coastal_towns_stimulus.md")
]
_FILE_NAME = st.tuples(
    st.text(st.characters(exclude_categories=["Cc", "Cs"], exclude_characters="/\\"), max_size=40),
    st.sampled_from([".docx", ".md", ".markdown", ".txt", ".DOCX", ".pdf", ""]),
).map("".join)


def _damaged(data: bytes, changes: list[tuple[int, int]]) -> bytes:
    damaged = bytearray(data)
    for at, byte in changes:
        damaged[at % len(damaged)] = byte
    return bytes(damaged)


_FILE = st.one_of(
    st.binary(max_size=4096),
    st.builds(
        _damaged,
        st.sampled_from(STIMULUS_FILES),
        st.lists(st.tuples(st.integers(0, 50_000), st.integers(0, 255)), max_size=20),
    ),
    st.sampled_from(STIMULUS_FILES),
    TEXT.map(lambda text: text.encode("utf-8", "surrogatepass")),
)


@FUZZ
@given(name=_FILE_NAME, content=_FILE)
@example(name="notes.md", content=b"# <script>alert(1)</script>\n\n- <b>bold</b>\n")
def test_stimulus_upload_survives_anything(ctx, name, content):
    with fresh(ctx.organising):
        response = ctx.organising.post(
            reverse("new_summit_from_stimulus"),
            {"document": SimpleUploadedFile(name or "unnamed", content)},
        )

        checked(response)
        assert response.status_code in (200, 422)


def _signed_sections() -> str:
    sections = [{"title": "<b>bold</b>", "body": "{{ x }} <script>alert(1)</script>"}]
    return signing.dumps(sections, salt=stimulus_forms.SALT, compress=True)


@FUZZ
@given(
    form=st.fixed_dictionaries(
        {
            "title": st.one_of(WRITING, st.just("Summit of coasts")),
            "central_question": st.one_of(WRITING, valid("Why?")),
            "subthemes": st.one_of(WRITING, valid("", "Homes: Where?\nWork: How?")),
            "areas": st.one_of(WRITING, valid("", "[1] Who?\nWhat?", "[3] Who?")),
            "assumptions": WRITING,
            "obstacles": WRITING,
            "sections": valid("SIGNED", "", "forged"),
            "keep": valid("0", ["0", "1"], "-1"),
        }
    )
)
@example(
    form={
        "title": "<script>alert(1)</script>",
        "central_question": "{{ x }}",
        "subthemes": "<b>bold</b>: Why?",
        "areas": "[1] <b>bold</b>",
        "assumptions": "",
        "obstacles": "",
        "sections": "SIGNED",
        "keep": "0",
    }
)
def test_stimulus_confirm_survives_anything(ctx, form):
    if form["sections"] == "SIGNED":
        form = {**form, "sections": _signed_sections()}
    with fresh(ctx.organising):
        url = reverse("confirm_summit_from_stimulus")
        response = post(ctx.organising, url, form, ctx.refs, htmx=False)

        checked(response)
        if response.status_code == 302:
            made = Summit.objects.latest("pk")
            shown_escaped(made.title, get(ctx.organising, response.url))


# The plenary


def _poll(ctx, kind: str) -> Poll:
    """An open poll of ``kind``, with options that are themselves markup."""
    options = ["Yes", "<b>bold</b>", "{{ x }}"]
    if kind == "consensus":
        poll = plenary_services.prepare_consensus_check(ctx.plenary)
    else:
        base, _, variant = kind.partition("-")
        poll = plenary_services.create_poll(
            ctx.plenary,
            kind=base,
            question=f"A {base} question <script>alert(1)</script>?",
            options=options,
            multiple=variant == "multiple",
            allow_comment=variant == "comment",
        )
    return plenary_services.open_poll(poll)


_option = valid(Ref("o0"), Ref("o1"), Ref("o2"))
_level = valid(*(str(v) for v in range(1, 6)))
ANSWER_FORMS = {
    "choice": {"choice": _option},
    "choice-multiple": {"choice": st.one_of(_option, valid(_ids("o0", "o1")))},
    "ranking": {
        "ranking": st.one_of(
            valid(_ids("o0", "o1", "o2"), _ids("o2", "o1", "o0"), _ids("o0", "o0", "o1")),
            _option,
        )
    },
    "scale-comment": {
        "level-{o0}": _level,
        "text-{o0}": WRITING,
        "level-{o1}": _level,
        "text-{o1}": valid("", "Because"),
    },
    "consensus": {"level-{o0}": _level, "text-{o0}": WRITING},
    "words": {
        "word": st.one_of(ANYTHING, st.lists(st.one_of(WRITING, st.just("place")), max_size=4))
    },
    "text": {"text": WRITING},
}

MARKUP_ANSWER = {
    "choice": Ref("o1"),
    "ranking": _ids("o1", "o0", "o2"),
    "level-{o0}": "1",
    "text-{o0}": "<script>alert(1)</script>",
    "level-{o1}": "2",
    "text-{o1}": "{{ x }}",
    "word": ["<b>bold</b>", "{{ x }}"],
    "text": "\"'><img src=x onerror=alert(1)>",
}


# Only the last "word" goes through the form's field (and its refusal of NUL); the view
# stores them all.
NUL_ANSWER = {
    "choice": [Ref("o0"), "1\x00"],
    "ranking": [Ref("o0"), "\x00"],
    "level-{o0}": "1\x00",
    "text-{o0}": "a\x00b",
    "word": ["a\x00b", "place"],
    "text": "a\x00b",
}
# Numbers int() cannot read, beside a real option: more digits than Python reads (4,300), and
# a digit that is not 0 to 9. A refused answer is shown again as sent, without reading them.
PAST_INT = "1" * 4301
PAST_INT_ANSWER = {
    "choice": [Ref("o0"), PAST_INT],
    "ranking": [Ref("o0"), Ref("o1"), Ref("o2"), PAST_INT],
    "level-{o0}": PAST_INT,
    "text-{o0}": PAST_INT,
    "level-{o1}": "²",
    "word": PAST_INT,
    "text": PAST_INT,
}
EXPLICIT_ANSWERS = {"markup": MARKUP_ANSWER, "nul": NUL_ANSWER, "past int": PAST_INT_ANSWER}


@pytest.mark.parametrize("kind", sorted(ANSWER_FORMS))
@FUZZ
@given(data=st.data())
@example(data="markup")
# A NUL in any word, not only the last, is refused before it reaches the database.
@example(data="nul")
@example(data="past int")
def test_poll_answer_survives_anything(ctx, kind, data):
    if isinstance(data, str):
        explicit = EXPLICIT_ANSWERS[data]
        form = {k: v for k, v in explicit.items() if k in ANSWER_FORMS[kind]}
    else:
        form = data.draw(st.fixed_dictionaries(ANSWER_FORMS[kind]), label="form")
    with fresh(ctx.member):
        poll = _poll(ctx, kind)
        refs = {**ctx.refs, **{f"o{n}": o.pk for n, o in enumerate(poll.options.all())}}
        url = reverse("plenary:answer", args=[ctx.summit.slug, poll.pk])
        response = post(ctx.member, url, form, refs)

        body = checked(response)
        stored = list(Answer.objects.filter(response__poll=poll).exclude(text=""))
        for answer in stored:
            shown_escaped(answer.text, body)
        if data == "markup":
            console = _plenary_console(ctx)
            shown_escaped(poll.question, console)
            for answer in stored:
                assert escape(answer.text) in console or poll.kind == "words"


@FUZZ
@given(
    form=st.fixed_dictionaries(
        {
            "kind": valid(*Poll.Kind.values),
            "question": st.one_of(WRITING, st.just("Which?")),
            "question_cy": st.one_of(WRITING, valid("", "Pa un?")),
            "options": st.one_of(
                WRITING,
                st.lists(WRITING, max_size=14).map("\n".join),
                st.just("Yes\nNo"),
            ),
            "options_cy": st.one_of(WRITING, valid("", "Ie\nNa")),
            "multiple": valid("", "on"),
            "allow_comment": valid("", "on"),
        }
    )
)
@example(
    form={
        "kind": "choice",
        "question": "<script>alert(1)</script>",
        "question_cy": "<b>Pa un?</b>",
        "options": "<b>bold</b>\r\n{{ x }}\x0b{% now 'Y' %}",
        "options_cy": "<i>trwm</i>\n{{ y }}\n{% now 'Y' %}",
        "multiple": "on",
        "allow_comment": "",
    }
)
def test_new_poll_survives_anything(ctx, form):
    with fresh(ctx.steerer):
        before = set(Poll.objects.values_list("pk", flat=True))
        url = reverse("plenary:new_poll", args=[ctx.summit.slug])
        response = post(ctx.steerer, url, form, ctx.refs)

        checked(response)
        made = Poll.objects.exclude(pk__in=before).first()
        if made is not None:
            console, welsh = _plenary_console(ctx), _plenary_console(ctx, "cy")
            shown_escaped(made.question, console)
            shown_escaped(made.question_cy or made.question, welsh)
            for option in made.options.all():
                shown_escaped(option.text, console)
                shown_escaped(option.text_cy or option.text, welsh)


@FUZZ
@given(
    form=st.fixed_dictionaries(
        {
            "showing": valid(*Plenary.Showing.values),
            "poll": valid("", Ref("poll"), HUGE),
            "breakout": valid("", Ref("breakout"), HUGE),
            "idea": valid("", Ref("theirs"), HUGE),
            "message": st.one_of(WRITING, st.just("Coffee at 11")),
        }
    )
)
@example(
    form={
        "showing": "message",
        "poll": "",
        "breakout": "",
        "idea": "",
        "message": "<script>alert(1)</script>",
    }
)
def test_plenary_show_survives_anything(ctx, form):
    with fresh(ctx.steerer):
        refs = {**ctx.refs, "poll": ctx.plenary.polls.first().pk}
        response = post(ctx.steerer, reverse("plenary:show", args=[ctx.summit.slug]), form, refs)

        checked(response)
        plenary = Plenary.objects.get(pk=ctx.plenary.pk)
        if response.status_code == 200 and plenary.showing == Plenary.Showing.MESSAGE:
            room = get(ctx.member, reverse("plenary:room", args=[ctx.summit.slug]))
            screen = get(Client(), reverse("plenary:screen_panel", args=[plenary.screen_key]))
            shown_escaped(plenary.message, room, screen)


@FUZZ
@given(form=st.fixed_dictionaries({"item": valid("", Ref("agenda"), HUGE, "0")}))
def test_plenary_agenda_survives_anything(ctx, form):
    with fresh(ctx.steerer):
        url = reverse("plenary:agenda", args=[ctx.summit.slug])
        response = post(ctx.steerer, url, form, ctx.refs)

        checked(response)


# Questions from the floor on phones


def _floor_session(ctx) -> QaSession:
    session = moderation.add_session(ctx.plenary, title="Ask <b>the</b> panel", by=ctx.organiser)
    return moderation.change_session(session, state=QaSession.State.OPEN, by=ctx.organiser)


def _floor_questions(ctx, client: Client) -> str:
    return get(client, reverse("plenary:questions", args=[ctx.summit.slug]))


@FUZZ
@given(
    form=st.fixed_dictionaries({"text": WRITING, "client_token": _token_field()}),
    htmx=st.booleans(),
)
@example(form={"text": "<script>alert(1)</script>", "client_token": Ref("token")}, htmx=True)
@example(form={"text": "a\x00b", "client_token": Ref("token")}, htmx=False)
@example(form={"text": ["Two", "<b>bold</b>"], "client_token": "{{ x }}"}, htmx=True)
def test_floor_question_survives_anything(ctx, form, htmx):
    with fresh(ctx.member):
        session = _floor_session(ctx)
        url = reverse("plenary:ask_question", args=[ctx.summit.slug, session.pk])
        response = post(ctx.member, url, form, ctx.refs, htmx=htmx)

        checked(response)
        asked = list(Question.objects.filter(session=session))
        assert len(asked) == (1 if response.status_code in (200, 302) else 0)
        for question in asked:
            others = _floor_questions(ctx, client_for(ctx.someone))
            shown_escaped(question.text, others, _floor_questions(ctx, ctx.member))


@FUZZ
@given(form=st.fixed_dictionaries({"supported": valid("1", "0")}), htmx=st.booleans())
@example(form={"supported": ["1", "<b>bold</b>"]}, htmx=True)
@example(form={"supported": HUGE}, htmx=False)
def test_floor_support_survives_anything(ctx, form, htmx):
    with fresh(ctx.member):
        session = _floor_session(ctx)
        question, _ = ask_question(session, ctx.someone, "<b>Who</b> holds it?", uuid.uuid4())
        url = reverse("plenary:support_question", args=[ctx.summit.slug, question.pk])
        response = post(ctx.member, url, form, ctx.refs, htmx=htmx)

        body = checked(response)
        supporters = QuestionSupport.objects.filter(question=question).count()
        panel = _floor_questions(ctx, ctx.member)
        for page in (panel, body) if response.status_code != 302 else (panel,):
            shown_escaped(question.text, page)
            label = f"{supporters} supporter{'' if supporters == 1 else 's'}"
            assert f'id="question-{question.pk}-support">{label}</span>' in page


# The run sheet: polls prepared before the day

RUN_SHEET_KINDS = [*Poll.Kind.values, "assumptions", "obstacles"]
_OPTION_LINES = st.one_of(
    WRITING, st.lists(WRITING, max_size=14).map("\n".join), st.just("Yes\nNo")
)


def _run_sheet(ctx) -> str:
    return get(ctx.organising, reverse("run_sheet", args=[ctx.summit.slug]))


def _shown_on_the_run_sheet(ctx, poll: Poll) -> None:
    page = _run_sheet(ctx)
    shown_escaped(poll.question, page)
    if not poll.source:
        for option in poll.options.all():
            shown_escaped(option.text, page)


@FUZZ
@given(
    form=st.fixed_dictionaries(
        {
            "kind": valid(*RUN_SHEET_KINDS),
            "question": st.one_of(WRITING, valid("", "Which?")),
            "question_cy": st.one_of(WRITING, valid("", "Pa un?")),
            "options": _OPTION_LINES,
            "options_cy": _OPTION_LINES,
            "multiple": valid("", "on"),
            "allow_comment": valid("", "on"),
            "ask_again": valid("", "on"),
            "agenda_item": valid("", Ref("agenda"), HUGE, "0"),
        }
    )
)
@example(
    form={
        "kind": "assumptions",
        "question": "",
        "options": "",
        "multiple": "",
        "allow_comment": "",
        "ask_again": "on",
        "agenda_item": "",
    }
)
@example(
    form={
        "kind": "choice",
        "question": "<script>alert(1)</script>",
        "options": "<b>bold</b>\r\n{{ x }}\x0b{% now 'Y' %}",
        "multiple": "on",
        "allow_comment": "",
        "ask_again": "on",
        "agenda_item": Ref("agenda"),
    }
)
def test_run_sheet_add_survives_anything(ctx, form):
    with fresh(ctx.organising):
        before = set(Poll.objects.values_list("pk", flat=True))
        url = reverse("run_sheet", args=[ctx.summit.slug])
        response = post(ctx.organising, url, form, ctx.refs, htmx=False)

        checked(response)
        made = Poll.objects.exclude(pk__in=before).first()
        assert (made is not None) is (response.status_code == 302)
        if made is not None:
            _shown_on_the_run_sheet(ctx, made)
            closing = Poll.objects.filter(baseline=made).first()
            assert (closing is not None) is made.ask_again
            assert not made.ask_again or made.kind == Poll.Kind.SCALE
            if closing is not None:
                assert _texts(closing) == _texts(made)


@FUZZ
@given(
    form=st.fixed_dictionaries(
        {
            "question": st.one_of(WRITING, valid("", "Which?")),
            "question_cy": st.one_of(WRITING, valid("", "Pa un?")),
            "options": _OPTION_LINES,
            "options_cy": _OPTION_LINES,
            "multiple": valid("", "on"),
            "agenda_item": valid("", Ref("agenda"), HUGE, "-1"),
        }
    )
)
@example(
    form={
        "question": "{{ x }}",
        "options": "<script>alert(1)</script>\n\"'><img src=x onerror=alert(1)>",
        "multiple": "",
        "agenda_item": "",
    }
)
def test_run_sheet_change_survives_anything(ctx, form):
    with fresh(ctx.organising):
        poll = plenary_run_sheet.prepare_poll(
            ctx.plenary, kind=Poll.Kind.CHOICE, question="Which?", options=["Yes", "No"]
        )
        url = reverse("run_sheet_poll", args=[ctx.summit.slug, poll.pk])
        response = post(ctx.organising, url, form, ctx.refs, htmx=False)

        checked(response)
        if response.status_code == 302:
            _shown_on_the_run_sheet(ctx, Poll.objects.get(pk=poll.pk))


@FUZZ
@given(direction=valid("up", "down"), htmx=st.booleans())
@example(direction=["up", "down"], htmx=True)
def test_run_sheet_move_survives_anything(ctx, direction, htmx):
    with fresh(ctx.organising):
        poll = ctx.plenary.polls.order_by("position").all()[1]
        url = reverse("run_sheet_move", args=[ctx.summit.slug, poll.pk])
        response = post(ctx.organising, url, {"direction": direction}, ctx.refs, htmx=htmx)

        checked(response)
        moved = Poll.objects.get(pk=poll.pk).position != poll.position
        assert moved is (_as_read(direction) in {"up", "down"})


@FUZZ
@given(
    kind=st.sampled_from([Poll.Kind.SCALE, Poll.Kind.CHOICE]),
    junk=st.fixed_dictionaries({"poll": valid("", "1")}),
)
def test_run_sheet_ask_again_survives_anything(ctx, kind, junk):
    with fresh(ctx.organising):
        poll = plenary_run_sheet.prepare_poll(
            ctx.plenary, kind=kind, question="Agree?", options=["One", "Two"]
        )
        url = reverse("run_sheet_ask_again", args=[ctx.summit.slug, poll.pk])
        response = post(ctx.organising, url, junk, ctx.refs, htmx=False)

        checked(response)
        assert Poll.objects.filter(baseline=poll).exists() is (kind == Poll.Kind.SCALE)
        if kind == Poll.Kind.SCALE:
            shown_escaped(
                poll.question, get(ctx.organising, reverse("shift", args=[ctx.summit.slug]))
            )


def _texts(poll: Poll) -> list[str]:
    return list(poll.options.values_list("text", flat=True))


def _as_read(value):
    """What ``request.POST.get`` reads of a value sent: the last of several."""
    return value[-1] if isinstance(value, list) else value


# Follow-up actions: added to an outcome and changed, by the summit's organisers.

_ACTION_FORM = st.fixed_dictionaries(
    {
        "owner": st.one_of(WRITING, valid("", "Councils")),
        "status": valid("proposed", "accepted", "in_progress", "done", "dropped", "closed"),
        "due_on": valid("", "2026-09-30", "30/09/2026", "2026-02-30", "0000-00-00", HUGE),
        "notes": st.one_of(WRITING, valid("")),
    }
)


def _shown_on_the_actions_page(ctx, action: FollowUp) -> None:
    shown_escaped(action.owner, get(ctx.organising, reverse("actions", args=[ctx.summit.slug])))


@FUZZ
@given(form=_ACTION_FORM)
@example(
    form={
        "owner": "<script>alert(1)</script>",
        "status": "done",
        "due_on": "2026-09-30",
        "notes": "{{ x }}",
    }
)
def test_action_add_survives_anything(ctx, form):
    with fresh(ctx.organising):
        url = reverse("add_action", args=[ctx.summit.slug, ctx.refs["outcome"]])
        response = post(ctx.organising, url, form, ctx.refs, htmx=False)

        checked(response)
        made = FollowUp.objects.first()
        assert (made is not None) is (response.status_code == 302)
        if made is not None:
            _shown_on_the_actions_page(ctx, made)


@FUZZ
@given(form=_ACTION_FORM)
@example(form={"owner": "{% now 'Y' %}", "status": "", "due_on": "", "notes": ""})
def test_action_change_survives_anything(ctx, form):
    with fresh(ctx.organising):
        action = FollowUp.objects.create(outcome_id=ctx.refs["outcome"], owner="Councils")
        url = reverse("action", args=[ctx.summit.slug, action.pk])
        response = post(ctx.organising, url, form, ctx.refs, htmx=False)

        checked(response)
        if response.status_code == 302:
            _shown_on_the_actions_page(ctx, FollowUp.objects.get(pk=action.pk))
        else:
            assert FollowUp.objects.get(pk=action.pk).owner == "Councils"


# The two buttons whose post carries a value: a poll's results shown or hidden, and whether
# attendees choose their breakout.


@FUZZ
@given(shown=valid("0", "1"))
@example(shown=["0", "1"])
def test_poll_results_button_survives_anything(ctx, shown):
    with fresh(ctx.steerer):
        poll = ctx.plenary.polls.first()
        url = reverse("plenary:poll_results", args=[ctx.summit.slug, poll.pk])
        response = post(ctx.steerer, url, {"shown": shown}, ctx.refs)

        checked(response)
        assert Poll.objects.get(pk=poll.pk).results_shown is (_as_read(shown) == "1")


@FUZZ
@given(choose=valid("on", ""))
def test_breakout_choice_button_survives_anything(ctx, choose):
    with fresh(ctx.organising):
        url = reverse("breakout_choice", args=[ctx.summit.slug])
        response = post(ctx.organising, url, {"choose": choose}, ctx.refs, htmx=False)

        checked(response)
        assert Summit.objects.get(pk=ctx.summit.pk).attendees_choose_breakout is (
            _as_read(choose) == "on"
        )


# Links: what follows /j/, /r/, /invite/ and a big screen's address is typed or pasted


LINKS = (
    "join_summit",
    "return_link",
    "accept_invite",
    "breakouts:screen",
    "breakouts:screen_board",
    "plenary:screen",
    "plenary:screen_panel",
    "public_summary",
)
# One part of a path: anything but a slash, which would make it another address.
KEY = st.one_of(TEXT, st.sampled_from(MARKUP)).filter(lambda key: key and "/" not in key)


@pytest.mark.parametrize("name", LINKS)
@FUZZ
@given(key=KEY)
# A big screen's key of the wrong shape is refused before it reaches the database.
@example(key="\x00")
def test_link_in_the_address_survives_anything(breakout, name, key):
    url = reverse(name, args=["KEY"]).replace("KEY", quote(key, safe=""))
    with fresh():
        for method in ("get", "post"):
            checked(getattr(Client(), method)(url))


# WebSockets: screens only listen


SOCKETS = {
    "breakout": lambda c: (f"/ws/breakouts/{c.breakout.pk}/", c.attendee),
    "breakout screen": lambda c: (f"/ws/screens/breakouts/{c.breakout.screen_key}/", None),
    "plenary": lambda c: (f"/ws/plenary/{c.summit.slug}/", c.attendee),
    "plenary screen": lambda c: (f"/ws/screens/plenary/{c.plenary.screen_key}/", None),
    "what we did": lambda c: (f"/ws/summits/{c.summit.slug}/actions/", c.attendee),
    "public summary": lambda c: (f"/ws/public/{c.public_key}/", None),
    "synthesis": lambda c: (
        f"/ws/synthesis/{c.summit.slug}/{c.breakout.subtheme_id}/",
        c.organiser,
    ),
}


@pytest.fixture
def socket_ctx(transactional_db, breakout, attendee, organiser):
    return SimpleNamespace(
        breakout=breakout,
        summit=breakout.summit,
        attendee=attendee,
        organiser=organiser,
        plenary=plenary_services.plenary_for(breakout.summit),
        public_key=after.publish_summary(breakout.summit, by=organiser),
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("route", sorted(SOCKETS))
@SOCKET_FUZZ
@given(frame=st.one_of(TEXT.map(lambda t: {"text": t}), st.binary().map(lambda b: {"bytes": b})))
@example(frame={"text": "<script>alert(1)</script>"})
@example(frame={"bytes": b"\x00\xff"})
async def test_socket_closes_on_any_message_without_echo(socket_ctx, route, frame):
    path, person = SOCKETS[route](socket_ctx)
    socket = await socket_for(path, person)
    connected, _ = await socket.connect()
    assert connected

    await socket.send_input({"type": "websocket.receive", **frame})

    output = await socket.receive_output(timeout=3)
    assert output == {"type": "websocket.close", "code": CLOSE_UNEXPECTED_MESSAGE}
    await socket.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "route", ["/ws/screens/breakouts/{}/", "/ws/screens/plenary/{}/", "/ws/public/{}/"]
)
@SOCKET_FUZZ
@given(key=KEY)
# As for the screens' pages: a key of the wrong shape is refused with 4403, not a crash.
@example(key="\x00")
async def test_socket_screen_key_survives_anything(socket_ctx, route, key):
    socket = await socket_for(route.format(quote(key, safe="")))

    connected, code = await socket.connect()

    assert (connected, code) == (False, CLOSE_FORBIDDEN)
    await socket.disconnect()
