"""Ideas alike in a breakout: the similar ideas an attendee is offered while typing, the
console's possible duplicates (merged newer into older, or dismissed for good) and its
suggested clusters (accepted as an ordinary cluster, or discarded for good).

Services are tested with the commit's callbacks run, so the rows, the audit entry and the push
are each asserted; views for who may ask, what they answer, and their queries as the wall
grows. The engine is the lexical one (words in common), whose answers these texts are chosen
for; suggested clusters need an engine that passed the labelled set, faked below.
"""

from __future__ import annotations

import re
import uuid
from contextlib import contextmanager
from functools import partial

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from accounts.models import AuditEntry, Participant
from breakouts import alike, live
from breakouts.models import (
    Breakout,
    Cluster,
    Comment,
    DiscardedSuggestion,
    DismissedDuplicate,
    Idea,
    Vote,
)
from summit.engine import Quality, reset_engine
from summit.engine.lexical import LexicalEngine
from summit.event.refusals import Refused
from tests.conftest import client_for, in_english, make_participant

pytestmark = pytest.mark.django_db

Phase = Breakout.Phase
LEXICAL = "summit.engine.lexical.LexicalEngine"
GROUPING = "tests.test_alike.GroupingEngine"

BUDGETS = "Give councils multi-year budgets"
BUDGETS_AGAIN = "Multi-year budgets for councils, please"
FRONT_DOOR = "One front door for every family needing help"
POOL = "Pool health and council budgets for prevention"
POOL_AGAIN = "Pool budgets across council and health"
DATA = "Open data standards for every partner"
DATA_AGAIN = "Shared data standards between partners"
BUS = "Free bus travel for young people"


class GroupingEngine(LexicalEngine):
    """Words in common, measured (as if) good enough on the labelled set to suggest clusters."""

    name = "a test engine that groups"

    def quality(self) -> Quality:
        return Quality(adjusted_rand=0.9, near_duplicates_top3=0.9, ideas=120, themes=12)


@contextmanager
def _engine(path: str):
    """The engine at ``path``, loaded afresh, and forgotten after."""
    with override_settings(SYNTHESIS_ENGINE=path):
        reset_engine()
        yield
    reset_engine()


@pytest.fixture(autouse=True)
def engine():
    """Words in common, for every test."""
    with _engine(LEXICAL):
        yield


@pytest.fixture
def grouping():
    with _engine(GROUPING):
        yield


def _record(sent: list[tuple], name: str, *args) -> None:
    sent.append((name, *(getattr(arg, "pk", arg) for arg in args)))


@pytest.fixture
def pushes(monkeypatch):
    """The pushes the services make, as ``(name, *arguments)`` with rows given by their pk."""
    sent: list[tuple] = []
    for name in ("board_changed", "alike_changed", "idea_added", "idea_changed"):
        monkeypatch.setattr(f"breakouts.live.{name}", partial(_record, sent, name))
    return sent


def _idea(breakout: Breakout, author: Participant, text: str, **fields) -> Idea:
    return Idea.objects.create(
        breakout=breakout, author=author, text=text, client_token=uuid.uuid4(), **fields
    )


def _move(breakout: Breakout, phase: str) -> Breakout:
    Breakout.objects.filter(pk=breakout.pk).update(phase=phase)
    breakout.refresh_from_db()
    return breakout


def _entries() -> list[tuple]:
    return list(AuditEntry.objects.order_by("id").values_list("actor_id", "action", "detail"))


def _htmx(client: Client, name: str, breakout: Breakout, data: dict | None = None):
    return client.post(reverse(name, args=[breakout.pk]), data or {}, HTTP_HX_REQUEST="true")


# Similar ideas while typing


def _look_up(client: Client, breakout: Breakout, text: str):
    return _htmx(client, "breakouts:similar", breakout, {"text": text})


def test_similar_ideas_offer_a_near_duplicate_to_build_on(breakout, attendee, facilitator):
    budgets = _idea(breakout, facilitator, BUDGETS)
    _idea(breakout, facilitator, FRONT_DOOR)

    response = _look_up(client_for(attendee), breakout, BUDGETS_AGAIN)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Similar ideas on the wall" in html
    assert BUDGETS in html
    assert FRONT_DOOR not in html
    assert f'href="#idea-{budgets.pk}" data-build-on="{budgets.pk}"' in html
    assert "Build on this instead" in html
    assert not Idea.objects.filter(text=BUDGETS_AGAIN).exists()


@pytest.mark.parametrize("text", ["", "   ", "Councils budgets", "\x00\x00\x00 a b"])
def test_similar_ideas_for_too_short_a_text_are_none(breakout, attendee, facilitator, text):
    _idea(breakout, facilitator, BUDGETS)

    response = _look_up(client_for(attendee), breakout, text)

    assert response.status_code == 200
    assert "Similar ideas" not in response.content.decode()
    assert "Build on this instead" not in response.content.decode()


def test_similar_ideas_are_only_those_on_this_walls(
    breakout, other_breakout, attendee, facilitator, other_member
):
    _idea(breakout, facilitator, POOL, status=Idea.Status.HIDDEN, hidden_reason="Repeated")
    _idea(breakout, facilitator, POOL_AGAIN, status=Idea.Status.WITHDRAWN)
    _idea(other_breakout, other_member, "Pool council and health budgets now")

    response = _look_up(client_for(attendee), breakout, "Pool the council budgets with health")

    assert "Similar ideas" not in response.content.decode()


def test_similar_ideas_are_at_most_three_best_first(breakout, attendee, facilitator):
    texts = [f"Pool council and health budgets {place}" for place in ("north", "south", "east")]
    ideas = [_idea(breakout, facilitator, text) for text in [*texts, POOL, BUS]]

    response = _look_up(client_for(attendee), breakout, "Pool council and health budgets north")

    shown = re.findall(r'data-build-on="(\d+)"', response.content.decode())
    assert len(shown) == 3
    assert shown[0] == str(ideas[0].pk)
    assert str(ideas[4].pk) not in shown


def test_similar_ideas_none_while_the_group_takes_no_ideas(breakout, attendee, facilitator):
    _idea(breakout, facilitator, BUDGETS)
    _move(breakout, Phase.VOTE)

    response = _look_up(client_for(attendee), breakout, BUDGETS_AGAIN)

    assert response.status_code == 200
    assert "Similar ideas" not in response.content.decode()


def test_similar_ideas_answer_members_and_facilitators_alone(
    breakout, attendee, facilitator, organiser, other_member, outsider
):
    _idea(breakout, attendee, BUDGETS)
    answers = {
        "member": _look_up(client_for(attendee), breakout, BUDGETS_AGAIN),
        "facilitator": _look_up(client_for(facilitator), breakout, BUDGETS_AGAIN),
        "organiser": _look_up(client_for(organiser), breakout, BUDGETS_AGAIN),
        "member of another breakout": _look_up(client_for(other_member), breakout, BUDGETS_AGAIN),
        "outsider": _look_up(client_for(outsider), breakout, BUDGETS_AGAIN),
        "signed out": _look_up(Client(), breakout, BUDGETS_AGAIN),
    }

    statuses = {who: response.status_code for who, response in answers.items()}
    assert statuses == {
        "member": 200,
        "facilitator": 200,
        "organiser": 200,
        "member of another breakout": 403,
        "outsider": 404,
        "signed out": 403,
    }
    for who in ("member of another breakout", "outsider", "signed out"):
        assert BUDGETS not in answers[who].content.decode(), who


def test_similar_ideas_only_by_post_so_the_words_stay_out_of_addresses(breakout, attendee):
    url = reverse("breakouts:similar", args=[breakout.pk])

    response = client_for(attendee).get(url, {"text": BUDGETS_AGAIN})

    assert response.status_code == 405


def test_similar_ideas_past_the_limit_are_none_and_posting_goes_on(
    breakout, attendee, facilitator, settings
):
    settings.LOOKUPS_PER_MINUTE = 2
    settings.ACTIONS_PER_MINUTE_PER_ADDRESS = 2
    _idea(breakout, facilitator, BUDGETS)
    client = client_for(attendee)

    found = [BUDGETS in _look_up(client, breakout, BUDGETS_AGAIN).content.decode() for _ in "abc"]
    posted = _htmx(
        client,
        "breakouts:post_idea",
        breakout,
        {"text": BUDGETS_AGAIN, "client_token": str(uuid.uuid4())},
    )

    assert found == [True, True, False]
    assert posted.status_code == 200
    assert Idea.objects.filter(text=BUDGETS_AGAIN, author=attendee).exists()


@pytest.mark.parametrize("n", [1, 200])
def test_similar_ideas_ask_as_many_queries_however_many_ideas(
    breakout, attendee, facilitator, django_assert_max_num_queries, n
):
    texts = [BUDGETS, *(f"Another thought on the wall, number {i}" for i in range(n - 1))]
    Idea.objects.bulk_create(
        Idea(breakout=breakout, author=facilitator, text=text, client_token=uuid.uuid4())
        for text in texts
    )
    client = client_for(attendee)

    with django_assert_max_num_queries(4):
        response = _look_up(client, breakout, BUDGETS_AGAIN)

    assert response.content.decode().count("Build on this instead") == 1


def test_the_idea_form_looks_up_similar_ideas_by_post_into_a_polite_region(breakout, attendee):
    html = client_for(attendee).get(reverse("breakouts:breakout", args=[breakout.pk])).content
    page = html.decode()

    box = re.search(r'<textarea[^>]*id="id_text"[^>]*>', page, re.S)[0]
    assert f'hx-post="{reverse("breakouts:similar", args=[breakout.pk])}"' in box
    assert 'hx-trigger="input changed delay:700ms"' in box
    assert "hx-sync=" in box
    assert "data-lookup" in box
    assert (
        '<p class="visually-hidden" id="similar-status" role="status" aria-live="polite">' in page
    )
    assert 'id="similar-ideas"' in page
    # Outside the board, so a look-up never holds up the board's own refresh.
    assert page.index('id="similar-ideas"') < page.index('id="board"')


# Possible duplicates


def _pair(breakout: Breakout, author: Participant) -> tuple[Idea, Idea]:
    """Two ideas saying one thing, the older first, and one saying another."""
    older = _idea(breakout, author, BUDGETS)
    _idea(breakout, author, FRONT_DOOR)
    newer = _idea(breakout, author, BUDGETS_AGAIN)
    return older, newer


def test_possible_duplicates_pair_the_older_with_the_newer(breakout, attendee):
    older, newer = _pair(breakout, attendee)

    found = alike.possible_duplicates(breakout)

    assert found.engine_name == "words in common (TF-IDF)"
    assert [(p.older.pk, p.newer.pk) for p in found.pairs] == [(older.pk, newer.pk)]
    assert 55 <= found.pairs[0].percent <= 100


def test_possible_duplicates_leave_out_ideas_off_the_wall_and_dismissed_pairs(
    breakout, attendee, facilitator
):
    older, newer = _pair(breakout, attendee)
    pool, pool_again = _idea(breakout, attendee, POOL), _idea(breakout, attendee, POOL_AGAIN)
    data, data_again = _idea(breakout, attendee, DATA), _idea(breakout, attendee, DATA_AGAIN)
    Idea.objects.filter(pk=data_again.pk).update(status=Idea.Status.HIDDEN)
    alike.dismiss_duplicate(breakout, pool_again.pk, pool.pk, by=facilitator)

    pairs = [(p.older.pk, p.newer.pk) for p in alike.possible_duplicates(breakout).pairs]

    assert pairs == [(older.pk, newer.pk)]
    assert data.pk not in {pk for pair in pairs for pk in pair}


def test_possible_duplicates_none_once_the_breakout_has_closed(breakout, attendee):
    _pair(breakout, attendee)
    _move(breakout, Phase.CLOSED)

    found = alike.possible_duplicates(breakout)

    assert found.closed
    assert found.pairs == []


@pytest.mark.parametrize("newer_first", [False, True])
def test_merge_duplicate_folds_the_newer_into_the_older_logged_and_pushed_after_commit(
    breakout, attendee, facilitator, pushes, django_capture_on_commit_callbacks, newer_first
):
    older, newer = _pair(breakout, attendee)
    Vote.objects.create(idea=newer, voter=attendee, dots=2)
    Comment.objects.create(idea=newer, author=attendee, text="Yes", client_token=uuid.uuid4())
    ids = (newer.pk, older.pk) if newer_first else (older.pk, newer.pk)

    with django_capture_on_commit_callbacks(execute=True):
        kept = alike.merge_duplicate(breakout, *ids, by=facilitator)

    newer.refresh_from_db()
    assert kept.pk == older.pk
    assert (newer.status, newer.merged_into_id) == (Idea.Status.MERGED, older.pk)
    assert Vote.objects.get(voter=attendee).idea_id == older.pk
    assert Comment.objects.get().idea_id == older.pk
    detail = {"breakout_id": breakout.pk, "idea_id": newer.pk, "into": older.pk}
    assert _entries() == [(facilitator.pk, "Merged two ideas", detail)]
    assert pushes == [("board_changed", breakout.pk, f"Two ideas were merged into one: {BUDGETS}")]


def test_merge_duplicate_sent_again_changes_nothing(
    breakout, attendee, facilitator, pushes, django_capture_on_commit_callbacks
):
    older, newer = _pair(breakout, attendee)
    alike.merge_duplicate(breakout, older.pk, newer.pk, by=facilitator)
    pushes.clear()

    with django_capture_on_commit_callbacks(execute=True):
        kept = alike.merge_duplicate(breakout, older.pk, newer.pk, by=facilitator)

    assert kept.pk == older.pk
    assert len(_entries()) == 1
    assert pushes == []


def _elsewhere(other_breakout: Breakout, other_member: Participant) -> Idea:
    return _idea(other_breakout, other_member, BUDGETS_AGAIN)


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("the same idea twice", "Choose two different ideas"),
        ("an idea of another breakout", "Those ideas are not both in"),
        ("a closed breakout", "The breakout has closed"),
        ("a hidden idea", "is not on the wall, so cannot be merged"),
    ],
)
def test_merge_duplicate_refused_changes_logs_and_pushes_nothing(
    breakout,
    other_breakout,
    attendee,
    facilitator,
    other_member,
    pushes,
    django_capture_on_commit_callbacks,
    case,
    message,
):
    older, newer = _pair(breakout, attendee)
    other = newer.pk
    if case == "the same idea twice":
        other = older.pk
    elif case == "an idea of another breakout":
        other = _elsewhere(other_breakout, other_member).pk
    elif case == "a closed breakout":
        _move(breakout, Phase.CLOSED)
    else:
        Idea.objects.filter(pk=newer.pk).update(status=Idea.Status.HIDDEN)
    before = sorted(Idea.objects.values_list("pk", "status", "merged_into"))

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Refused, match=message):
        alike.merge_duplicate(breakout, older.pk, other, by=facilitator)

    assert sorted(Idea.objects.values_list("pk", "status", "merged_into")) == before
    assert _entries() == []
    assert pushes == []


def test_dismiss_duplicate_keeps_the_pair_in_order_logged_and_pushed_after_commit(
    breakout, attendee, facilitator, pushes, django_capture_on_commit_callbacks
):
    older, newer = _pair(breakout, attendee)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        alike.dismiss_duplicate(breakout, newer.pk, older.pk, by=facilitator)
        assert pushes == []

    for callback in callbacks:
        callback()
    dismissed = DismissedDuplicate.objects.get()
    assert (dismissed.first_idea_id, dismissed.second_idea_id) == (older.pk, newer.pk)
    assert (dismissed.breakout_id, dismissed.dismissed_by_id) == (breakout.pk, facilitator.pk)
    detail = {"breakout_id": breakout.pk, "ideas": [older.pk, newer.pk]}
    assert _entries() == [(facilitator.pk, "Dismissed a possible duplicate", detail)]
    assert pushes == [("alike_changed", breakout.pk)]
    assert alike.possible_duplicates(breakout).pairs == []


def test_dismiss_duplicate_sent_again_either_way_round_is_one_dismissal(
    breakout, attendee, facilitator, pushes, django_capture_on_commit_callbacks
):
    older, newer = _pair(breakout, attendee)
    with django_capture_on_commit_callbacks(execute=True):
        alike.dismiss_duplicate(breakout, older.pk, newer.pk, by=facilitator)
        alike.dismiss_duplicate(breakout, newer.pk, older.pk, by=facilitator)

    assert DismissedDuplicate.objects.count() == 1
    assert len(_entries()) == 1
    assert pushes == [("alike_changed", breakout.pk)]


def test_dismissed_pairs_are_one_row_in_the_lower_id_first(breakout, attendee):
    from django.db import IntegrityError, transaction

    older, newer = _pair(breakout, attendee)

    with pytest.raises(IntegrityError), transaction.atomic():
        DismissedDuplicate.objects.create(
            breakout=breakout, first_idea_id=newer.pk, second_idea_id=older.pk
        )


@pytest.mark.parametrize("case", ["the same idea twice", "an idea of another breakout"])
def test_dismiss_duplicate_refused_writes_logs_and_pushes_nothing(
    breakout, other_breakout, attendee, facilitator, other_member, pushes, case
):
    older, _ = _pair(breakout, attendee)
    other = (
        older.pk if case == "the same idea twice" else _elsewhere(other_breakout, other_member).pk
    )

    with pytest.raises(Refused):
        alike.dismiss_duplicate(breakout, older.pk, other, by=facilitator)

    assert not DismissedDuplicate.objects.exists()
    assert _entries() == []
    assert pushes == []


def _panel(client: Client, name: str, breakout: Breakout) -> str:
    response = client.get(reverse(name, args=[breakout.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_duplicates_panel_shows_each_pair_its_likeness_and_which_way_it_merges(
    breakout, attendee, facilitator
):
    older, newer = _pair(breakout, attendee)

    html = _panel(client_for(facilitator), "breakouts:duplicates", breakout)

    assert "Possible duplicates" in html
    assert "Similar ideas found by: words in common (TF-IDF)" in html
    percent = alike.possible_duplicates(breakout).pairs[0].percent
    assert f"{percent}% alike" in html
    assert f"Merge #{newer.pk} into #{older.pk}" in html
    assert f"Merging keeps the older idea, #{older.pk}, and folds the newer, #{newer.pk}" in html
    assert 'data-catch-up="' in html
    assert "data-alike" in html


def test_duplicates_panel_merge_answers_the_fresh_panel(breakout, attendee, facilitator):
    older, newer = _pair(breakout, attendee)
    data = {"first": older.pk, "second": newer.pk}

    response = _htmx(client_for(facilitator), "breakouts:merge_duplicate", breakout, data)

    assert response.status_code == 200
    assert 'id="duplicates"' in response.content.decode()
    assert "No possible duplicates on the wall." in response.content.decode()
    assert Idea.objects.get(pk=newer.pk).merged_into_id == older.pk


def test_duplicates_panel_dismiss_answers_the_fresh_panel(breakout, attendee, facilitator):
    older, newer = _pair(breakout, attendee)
    data = {"first": newer.pk, "second": older.pk}

    response = _htmx(client_for(facilitator), "breakouts:dismiss_duplicate", breakout, data)

    assert response.status_code == 200
    assert f"Merge #{newer.pk}" not in response.content.decode()
    assert DismissedDuplicate.objects.filter(first_idea=older, second_idea=newer).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose a pair from the list"),
        ({"first": "x", "second": "1"}, "Choose a pair from the list"),
        ({"first": "same", "second": "same"}, "Choose two different ideas"),
    ],
)
def test_duplicates_panel_refusal_is_said_above_the_pairs(
    breakout, attendee, facilitator, data, message
):
    older, _ = _pair(breakout, attendee)
    data = {k: older.pk if v == "same" else v for k, v in data.items()}

    response = _htmx(client_for(facilitator), "breakouts:merge_duplicate", breakout, data)

    assert response.status_code == 422
    assert response["HX-Retarget"] == "#duplicates-message"
    assert message in response.content.decode()
    assert not Idea.objects.filter(status=Idea.Status.MERGED).exists()


def test_duplicates_panel_and_its_actions_are_for_facilitators_alone(
    breakout, attendee, facilitator, other_member
):
    older, newer = _pair(breakout, attendee)
    data = {"first": older.pk, "second": newer.pk}
    for person in (attendee, other_member):
        client = client_for(person)
        assert client.get(reverse("breakouts:duplicates", args=[breakout.pk])).status_code == 403
        for name in ("breakouts:merge_duplicate", "breakouts:dismiss_duplicate"):
            assert _htmx(client, name, breakout, data).status_code == 403

    assert not DismissedDuplicate.objects.exists()
    assert not Idea.objects.filter(status=Idea.Status.MERGED).exists()


# Suggested clusters


def _groups(breakout: Breakout, author: Participant) -> list[Idea]:
    """Two pairs of ideas alike and one on its own: pool, data, bus, pool again, data again."""
    texts = (POOL, DATA, BUS, POOL_AGAIN, DATA_AGAIN)
    return [_idea(breakout, author, text) for text in texts]


def test_suggested_clusters_not_offered_by_an_engine_short_of_the_quality(breakout, attendee):
    _groups(breakout, attendee)
    _move(breakout, Phase.CLUSTER)

    found = alike.suggested_clusters(breakout)

    assert (found.in_phase, found.offered, found.proposals) == (True, False, [])


def test_suggested_clusters_panel_says_plainly_why_none_are_offered(breakout, facilitator):
    _move(breakout, Phase.CLUSTER)

    html = _panel(client_for(facilitator), "breakouts:suggestions", breakout)

    assert (
        "Suggested clusters are not offered with the engine in use (words in common (TF-IDF)):"
        " its groups did not reach the quality needed on the test set." in html
    )


def test_suggested_clusters_only_in_the_cluster_phase(grouping, breakout, attendee, facilitator):
    _groups(breakout, attendee)

    html = _panel(client_for(facilitator), "breakouts:suggestions", breakout)

    assert alike.suggested_clusters(breakout).proposals == []
    assert re.search(r'<section class="alike" id="suggestions"[^>]* hidden>', html)


def test_suggested_clusters_propose_groups_of_two_or_more_unclustered_ideas(
    grouping, breakout, attendee
):
    pool, data, bus, pool_again, data_again = _groups(breakout, attendee)
    _move(breakout, Phase.CLUSTER)

    found = alike.suggested_clusters(breakout)

    assert found.offered
    assert found.engine_name == "a test engine that groups"
    proposed = [[i.pk for i in p.ideas] for p in found.proposals]
    assert proposed == [[pool.pk, pool_again.pk], [data.pk, data_again.pk]]
    assert all(p.ticked == {i.pk for i in p.ideas} for p in found.proposals)
    wall = [(i.pk, i.text) for i in (pool, data, bus, pool_again, data_again)]
    labels = {frozenset(g.keys): g.label for g in GroupingEngine().suggest_groups(wall)}
    assert found.proposals[0].name == labels[frozenset((pool.pk, pool_again.pk))]


def test_suggested_clusters_leave_out_clustered_ideas_and_discarded_suggestions(
    grouping, breakout, attendee, facilitator
):
    pool, data, _, _, data_again = _groups(breakout, attendee)
    _move(breakout, Phase.CLUSTER)
    Idea.objects.filter(pk=pool.pk).update(
        cluster=Cluster.objects.create(breakout=breakout, name="Money")
    )
    alike.discard_suggestion(breakout, [data_again.pk, data.pk], by=facilitator)

    assert alike.suggested_clusters(breakout).proposals == []


def test_suggested_clusters_panel_offers_each_with_its_name_and_ideas_ticked(
    grouping, breakout, attendee, facilitator
):
    pool, _, bus, pool_again, _ = _groups(breakout, attendee)
    _move(breakout, Phase.CLUSTER)

    html = _panel(client_for(facilitator), "breakouts:suggestions", breakout)

    slug = alike.suggestion_key([pool.pk, pool_again.pk])[:16]
    name = alike.suggested_clusters(breakout).proposals[0].name
    assert f'id="proposal-{slug}"' in html
    assert f'id="proposal-{slug}-name" name="name" value="{name}"' in html
    for idea in (pool, pool_again):
        assert f'name="ideas" value="{idea.pk}" checked' in html
    assert f'name="ideas" value="{bus.pk}"' not in html
    assert ">Accept<" in html
    assert ">Discard<" in html
    assert not Cluster.objects.exists()  # nothing changes until one is accepted


def test_accept_suggested_cluster_makes_an_ordinary_cluster_logged_and_pushed_after_commit(
    breakout, attendee, facilitator, pushes, django_capture_on_commit_callbacks
):
    pool, _, _, pool_again, _ = _groups(breakout, attendee)
    _move(breakout, Phase.CLUSTER)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        cluster = alike.accept_suggested_cluster(
            breakout, "  Pooled budgets ", [pool_again.pk, pool.pk], by=facilitator
        )
        assert pushes == []

    for callback in callbacks:
        callback()
    assert (cluster.breakout_id, cluster.name) == (breakout.pk, "Pooled budgets")
    in_it = set(Idea.objects.filter(cluster=cluster).values_list("pk", flat=True))
    assert in_it == {pool.pk, pool_again.pk}
    detail = {
        "breakout_id": breakout.pk,
        "name": "Pooled budgets",
        "ideas": [pool.pk, pool_again.pk],
    }
    assert _entries() == [(facilitator.pk, "Accepted a suggested cluster", detail)]
    assert pushes == [("board_changed", breakout.pk, "New cluster: Pooled budgets")]


def test_accept_suggested_cluster_sent_again_changes_nothing(
    breakout, attendee, facilitator, pushes, django_capture_on_commit_callbacks
):
    pool, *_ = _groups(breakout, attendee)
    _move(breakout, Phase.CLUSTER)
    first = alike.accept_suggested_cluster(breakout, "Pooled budgets", [pool.pk], by=facilitator)
    pushes.clear()

    with django_capture_on_commit_callbacks(execute=True):
        again = alike.accept_suggested_cluster(
            breakout, "pooled budgets", [pool.pk], by=facilitator
        )

    assert again.pk == first.pk
    assert Cluster.objects.count() == 1
    assert len(_entries()) == 1
    assert pushes == []


REFUSED_ACCEPTANCES = {
    "no name": ("   ", "pool", "Enter a name for the cluster"),
    "too long a name": ("x" * 121, "pool", "The cluster name must be 120 characters or fewer"),
    "a name taken": ("money", "pool", "There is already a cluster called “money”"),
    "nothing ticked": ("Pooled budgets", "none", "Tick at least one idea"),
    "an idea of another breakout": ("Pooled budgets", "elsewhere", "are not in"),
    "an idea in a cluster": ("Pooled budgets", "clustered", "is in a cluster already"),
    "a hidden idea": ("Pooled budgets", "hidden", "is no longer on the wall"),
    "a closed breakout": ("Pooled budgets", "closed", "The breakout has closed"),
}


@pytest.mark.parametrize("case", sorted(REFUSED_ACCEPTANCES))
def test_accept_suggested_cluster_refused_changes_logs_and_pushes_nothing(
    breakout,
    other_breakout,
    attendee,
    facilitator,
    other_member,
    pushes,
    django_capture_on_commit_callbacks,
    case,
):
    name, ideas, message = REFUSED_ACCEPTANCES[case]
    pool, data, *_ = _groups(breakout, attendee)
    _move(breakout, Phase.CLUSTER)
    Idea.objects.filter(pk=data.pk).update(
        cluster=Cluster.objects.create(breakout=breakout, name="Money")
    )
    ids = {
        "pool": [pool.pk],
        "none": [],
        "elsewhere": [pool.pk, _elsewhere(other_breakout, other_member).pk],
        "clustered": [pool.pk, data.pk],
        "hidden": [pool.pk],
        "closed": [pool.pk],
    }[ideas]
    if ideas == "hidden":
        Idea.objects.filter(pk=pool.pk).update(status=Idea.Status.HIDDEN)
    if ideas == "closed":
        _move(breakout, Phase.CLOSED)
    before = (sorted(Idea.objects.values_list("pk", "cluster")), Cluster.objects.count())

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Refused, match=message):
        alike.accept_suggested_cluster(breakout, name, ids, by=facilitator)

    assert (sorted(Idea.objects.values_list("pk", "cluster")), Cluster.objects.count()) == before
    assert _entries() == []
    assert pushes == []


def test_discard_suggestion_is_kept_by_its_ideas_logged_and_pushed_after_commit(
    breakout, attendee, facilitator, pushes, django_capture_on_commit_callbacks
):
    pool, _, bus, pool_again, _ = _groups(breakout, attendee)

    with django_capture_on_commit_callbacks(execute=True):
        alike.discard_suggestion(breakout, [pool_again.pk, pool.pk], by=facilitator)
        alike.discard_suggestion(breakout, [pool.pk, pool_again.pk, pool.pk], by=facilitator)

    discarded = DiscardedSuggestion.objects.get()
    assert discarded.key == alike.suggestion_key([pool.pk, pool_again.pk])
    assert discarded.key != alike.suggestion_key([pool.pk, pool_again.pk, bus.pk])
    assert discarded.discarded_by_id == facilitator.pk
    detail = {"breakout_id": breakout.pk, "ideas": [pool.pk, pool_again.pk]}
    assert _entries() == [(facilitator.pk, "Discarded a suggested cluster", detail)]
    assert pushes == [("alike_changed", breakout.pk)]


@pytest.mark.parametrize("case", ["one idea", "an idea of another breakout"])
def test_discard_suggestion_refused_writes_logs_and_pushes_nothing(
    breakout, other_breakout, attendee, facilitator, other_member, pushes, case
):
    pool, *_ = _groups(breakout, attendee)
    ids = (
        [pool.pk] if case == "one idea" else [pool.pk, _elsewhere(other_breakout, other_member).pk]
    )

    with pytest.raises(Refused):
        alike.discard_suggestion(breakout, ids, by=facilitator)

    assert not DiscardedSuggestion.objects.exists()
    assert _entries() == []
    assert pushes == []


def test_suggestion_accepted_from_the_panel_answers_the_fresh_panel(
    grouping, breakout, attendee, facilitator
):
    pool, data, _, pool_again, _ = _groups(breakout, attendee)
    _move(breakout, Phase.CLUSTER)
    data_sent = {"name": "Pooled budgets", "ideas": [pool.pk, pool_again.pk]}
    data_sent["proposal"] = [pool.pk, pool_again.pk]

    response = _htmx(client_for(facilitator), "breakouts:accept_suggestion", breakout, data_sent)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="suggestions"' in html
    assert f'value="{pool.pk}"' not in html
    assert f'value="{data.pk}"' in html
    assert Cluster.objects.get().name == "Pooled budgets"


def test_suggestion_refused_from_the_panel_keeps_the_name_and_ticks_by_its_message(
    grouping, breakout, attendee, facilitator
):
    pool, _, _, pool_again, _ = _groups(breakout, attendee)
    _move(breakout, Phase.CLUSTER)
    Cluster.objects.create(breakout=breakout, name="Pooled <budgets>")
    sent = {
        "name": "Pooled <budgets>",
        "ideas": [pool_again.pk],
        "proposal": [pool.pk, pool_again.pk],
    }

    response = _htmx(client_for(facilitator), "breakouts:accept_suggestion", breakout, sent)

    html = response.content.decode()
    slug = alike.suggestion_key([pool.pk, pool_again.pk])[:16]
    assert response.status_code == 422
    assert response["HX-Retarget"] == f"#proposal-{slug}"
    assert "There is already a cluster called “Pooled &lt;budgets&gt;”" in html
    assert 'value="Pooled &lt;budgets&gt;"' in html
    assert f'name="ideas" value="{pool_again.pk}" checked' in html
    assert re.search(rf'name="ideas" value="{pool.pk}">', html)
    assert Idea.objects.filter(cluster__isnull=False).count() == 0


def test_suggestion_discarded_from_the_panel_is_offered_no_more(
    grouping, breakout, attendee, facilitator
):
    pool, data, _, pool_again, _ = _groups(breakout, attendee)
    _move(breakout, Phase.CLUSTER)
    sent = {"name": "", "proposal": [pool.pk, pool_again.pk]}

    response = _htmx(client_for(facilitator), "breakouts:discard_suggestion", breakout, sent)

    html = response.content.decode()
    assert response.status_code == 200
    assert f'value="{pool.pk}"' not in html
    assert f'value="{data.pk}"' in html
    assert not Cluster.objects.exists()


def test_suggestions_panel_and_its_actions_are_for_facilitators_alone(
    grouping, breakout, attendee, other_member
):
    pool, _, _, pool_again, _ = _groups(breakout, attendee)
    _move(breakout, Phase.CLUSTER)
    sent = {"name": "Pooled", "ideas": [pool.pk], "proposal": [pool.pk, pool_again.pk]}
    for person in (attendee, other_member):
        client = client_for(person)
        assert client.get(reverse("breakouts:suggestions", args=[breakout.pk])).status_code == 403
        for name in ("breakouts:accept_suggestion", "breakouts:discard_suggestion"):
            assert _htmx(client, name, breakout, sent).status_code == 403

    assert not Cluster.objects.exists()
    assert not DiscardedSuggestion.objects.exists()


# The console: its panels drawn with it, kept current, in a fixed number of queries


def test_console_shows_the_engine_and_both_panels_outside_the_board(
    breakout, attendee, facilitator
):
    _pair(breakout, attendee)
    _move(breakout, Phase.CLUSTER)

    html = _panel(client_for(facilitator), "breakouts:console", breakout)

    assert "Similar ideas found by: words in common (TF-IDF)" in html
    assert "Suggested clusters are not offered with the engine in use" in html
    assert '<div id="alike-signal" hidden></div>' in html
    board_at = html.index('id="board"')
    side_at = html.index('class="console__side"')
    assert board_at < side_at < html.index('id="duplicates"') < html.index('id="suggestions"')


def test_new_and_changed_ideas_tell_the_consoles_alone_to_fetch_their_panels(
    breakout, attendee, monkeypatch
):
    sent: list[tuple[str, str]] = []
    monkeypatch.setattr(
        "breakouts.live.send", lambda fragments, **_: sent.extend(in_english(fragments))
    )
    idea = _idea(breakout, attendee, BUDGETS)

    live.idea_added(idea)
    idea.text = BUDGETS_AGAIN
    live.idea_changed(idea)

    signalled = {group for group, html in sent if "data-refresh-alike" in html}
    assert signalled == {f"breakout-{breakout.pk}-facilitators"}
    assert len([html for _, html in sent if "data-refresh-alike" in html]) == 2


# The most queries each panel, and the console with both, may make at any number of ideas.
MAX_QUERIES = {"breakouts:duplicates": 5, "breakouts:suggestions": 5, "breakouts:console": 20}


@pytest.mark.parametrize("n", [4, 120])
@pytest.mark.parametrize("name", sorted(MAX_QUERIES))
def test_console_panels_ask_as_many_queries_however_many_ideas(
    grouping, breakout, attendee, facilitator, django_assert_max_num_queries, name, n
):
    authors = [attendee, facilitator, make_participant(breakout.summit, name="Priya Shah")]
    Idea.objects.bulk_create(
        Idea(
            breakout=breakout,
            author=authors[i % 3],
            text=(POOL, POOL_AGAIN, BUDGETS, BUDGETS_AGAIN)[i % 4] + f" {i // 4}",
            client_token=uuid.uuid4(),
        )
        for i in range(n)
    )
    ideas = list(Idea.objects.filter(breakout=breakout).order_by("pk"))
    alike.dismiss_duplicate(breakout, ideas[0].pk, ideas[1].pk, by=facilitator)
    alike.discard_suggestion(breakout, [ideas[0].pk, ideas[1].pk], by=facilitator)
    _move(breakout, Phase.CLUSTER)
    client = client_for(facilitator)

    with django_assert_max_num_queries(MAX_QUERIES[name]):
        html = _panel(client, name, breakout)

    if name != "breakouts:suggestions":
        assert 'class="alike__pair"' in html
    if name != "breakouts:duplicates":
        assert 'class="alike__proposal"' in html
