"""The rules of the plenary: the decision rules read off the gradient of agreement, the tally
of every kind of poll, which answers are refused (by the service and by the answer view), the
console's actions with the push each makes after commit, and page query counts that do not
grow with the number of people answering."""

from __future__ import annotations

import html
import re
import uuid
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.http import QueryDict
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Participant, User
from breakouts.models import Breakout, Idea, Outcome
from plenary import services
from plenary.forms import AnswerForm, Part
from plenary.models import Answer, Plenary, Poll, PollOption, Response
from plenary.results import Results, SectorSplit, Word, tally
from plenary.room import plenary_group
from summit.event.agreement import Agreement, Decision, decide
from summit.event.measures import OTHER_SECTORS
from summit.event.models import AgendaItem, Summit
from summit.event.refusals import Refused
from tests.conftest import SECTOR_KEYS, client_for, in_english, make_participant

Kind = Poll.Kind
LOCAL = "Local government"
HEALTH = "Health and care (NHS)"
VOLUNTARY = "Voluntary and community"
OTHER = str(OTHER_SECTORS)


@pytest.fixture
def pushed(monkeypatch):
    """Every fragment the plenary pushes after commit, as ``(group, html)``."""
    sent: list[tuple[str, str]] = []
    monkeypatch.setattr(
        "plenary.live.push", lambda fragments, coalesce=None: sent.extend(in_english(fragments))
    )
    return sent


@pytest.fixture
def plenary(summit) -> Plenary:
    return services.plenary_for(summit)


def _standard(plenary: Plenary, kind: str) -> Poll:
    """One of the polls the plenary is made with: the scale, the ranking or the word cloud."""
    return Poll.objects.get(plenary=plenary, kind=kind)


def _poll(plenary: Plenary, kind: str, options: list[str] = (), **fields) -> Poll:
    """Arrange: a new poll of ``kind``, still a draft."""
    return services.create_poll(
        plenary, kind=kind, question=f"A {kind} question?", options=list(options), **fields
    )


def _opened(poll: Poll) -> Poll:
    services.open_poll(poll)
    poll.refresh_from_db()
    return poll


def _options(poll: Poll) -> list[PollOption]:
    return list(poll.options.all())


def _data(data: dict) -> QueryDict:
    return QueryDict(urlencode(data, doseq=True))


def _answer(poll: Poll, person: Participant, data: dict) -> Response:
    """Arrange or act: answer through the form, as the answer view does."""
    form = AnswerForm(poll, _options(poll), _data(data))
    assert form.is_valid(), form.errors
    return services.answer_poll(poll, person, form.parts)


def _attendee(summit: Summit, name: str, sector: str = "local_government") -> Participant:
    return make_participant(summit, name=name, sector=sector)


def _outcomes(breakouts: list[Breakout]) -> list[Outcome]:
    """Arrange: one outcome in each of the first two breakouts, the second one drafted first."""
    later = Outcome.objects.create(
        breakout=breakouts[1], proposal="Give residents a citizens’ jury", who_should_act="Us"
    )
    first = Outcome.objects.create(
        breakout=breakouts[0], proposal="Tell one story of the place", who_should_act="Leaders"
    )
    return [first, later]


def _counts(statement) -> dict[int, int]:
    return {segment.value: segment.count for segment in statement.segments if segment.count}


def _summary(results: Results) -> list:
    """A tally in a form every kind of poll shares, to compare before and after a change."""
    kind = results.poll.kind
    if kind in {Kind.CHOICE, Kind.RANKING}:
        return [(bar.label, bar.count) for bar in results.bars]
    if results.poll.rated:
        return [(s.option.text, _counts(s), [r[2] for r in s.remarks]) for s in results.statements]
    if kind == Kind.WORDS:
        return [(word.text, word.count) for word in results.words]
    return [text for _, text in results.texts]


# The decision rules


def test_decide_one_block_defeats_consensus_only():
    decision = decide({Agreement.FULL: 8, Agreement.BLOCK: 1})

    assert decision == Decision(rated=9, support=8, blocks=1)
    assert decision.consensus is False
    assert decision.supermajority is True
    assert decision.majority is True


def test_decide_exactly_three_quarters_passes_supermajority():
    decision = decide({Agreement.FULL: 2, Agreement.RESERVATIONS: 1, Agreement.DISAGREE: 1})

    assert decision.support_share == 0.75
    assert decision.supermajority is True
    assert decision.consensus is True
    assert decision.majority is True


def test_decide_just_under_three_quarters_fails_supermajority():
    decision = decide({Agreement.FULL: 299, Agreement.DISAGREE: 101})

    assert decision.support_share == pytest.approx(0.7475)
    assert decision.supermajority is False
    assert decision.majority is True


def test_decide_stand_asides_count_in_the_whole():
    decision = decide({Agreement.FULL: 2, Agreement.STAND_ASIDE: 2})

    assert decision == Decision(rated=4, support=2, blocks=0)
    assert decision.majority is False
    assert decision.supermajority is False
    assert decision.consensus is True


def test_decide_exactly_half_is_not_a_majority():
    decision = decide({Agreement.RESERVATIONS: 3, Agreement.DISAGREE: 3})

    assert decision.majority is False


def test_decide_no_ratings_passes_nothing():
    decision = decide({})

    assert decision == Decision(rated=0, support=0, blocks=0)
    assert decision.support_share == 0.0
    assert [passes for _, _, passes in decision.rules()] == [False, False, False]


def test_decide_support_is_full_support_and_support_with_reservations():
    decision = decide(
        {
            Agreement.FULL: 1,
            Agreement.RESERVATIONS: 2,
            Agreement.STAND_ASIDE: 1,
            Agreement.DISAGREE: 1,
            Agreement.BLOCK: 0,
        }
    )

    assert decision == Decision(rated=5, support=3, blocks=0)
    assert decision.rules() == [
        ("Consensus", "nobody blocks", True),
        ("Supermajority", "at least 75% of those who rated it support it", False),
        ("Simple majority", "more than half of those who rated it support it", True),
    ]


def test_decide_a_summit_at_60_and_one_at_75_read_the_same_ratings_differently():
    counts = {Agreement.FULL: 2, Agreement.DISAGREE: 1}  # two in three support it

    at_60, at_75 = decide(counts, 60), decide(counts, 75)

    assert (at_60.threshold, at_75.threshold) == (60, 75)
    assert at_60.supermajority is True
    assert at_75.supermajority is False
    assert decide(counts).supermajority is False  # 75 unless the summit sets another
    assert (at_60.consensus, at_60.majority) == (at_75.consensus, at_75.majority) == (True, True)


def test_decide_exactly_at_the_summits_threshold_passes():
    three_of_five = {Agreement.FULL: 3, Agreement.DISAGREE: 2}

    assert decide(three_of_five, 60).supermajority is True
    assert decide(three_of_five, 61).supermajority is False
    assert decide({Agreement.FULL: 2, Agreement.DISAGREE: 1}, 67).supermajority is False


def test_decide_rules_say_the_summits_own_figure():
    decision = decide({Agreement.FULL: 2, Agreement.DISAGREE: 1}, 60)

    assert decision.rules()[1] == (
        "Supermajority",
        "at least 60% of those who rated it support it",
        True,
    )
    assert decide({}, 90).rules()[1][1] == "at least 90% of those who rated it support it"


# Tallies


def test_tally_choice_single_counts_and_percentages(plenary, summit):
    poll = _opened(_poll(plenary, Kind.CHOICE, ["Mayors", "Councils", "Citizens"]))
    mayors, councils, _ = _options(poll)
    for n, option in enumerate([mayors, mayors, councils, mayors]):
        _answer(poll, _attendee(summit, f"Voter {n}"), {"choice": option.pk})

    results = tally(poll)

    assert results.responses == 4
    assert [(b.label, b.count, b.note, b.width) for b in results.bars] == [
        ("Mayors", 3, "75%", 100.0),
        ("Councils", 1, "25%", 33.3),
        ("Citizens", 0, "0%", 0.0),
    ]


def test_tally_choice_several_answers_percent_of_people(plenary, summit):
    poll = _opened(_poll(plenary, Kind.CHOICE, ["Data", "Money", "Time"], multiple=True))
    data, money, _ = _options(poll)
    _answer(poll, _attendee(summit, "Ann"), {"choice": [data.pk, money.pk]})
    _answer(poll, _attendee(summit, "Bea"), {"choice": [data.pk]})

    results = tally(poll)

    assert results.responses == 2
    assert Answer.objects.filter(response__poll=poll).count() == 3
    assert [(b.label, b.count, b.note) for b in results.bars] == [
        ("Data", 2, "100%"),
        ("Money", 1, "50%"),
        ("Time", 0, "0%"),
    ]


def test_tally_ranking_borda_points_and_average_place(plenary, summit):
    poll = _opened(_poll(plenary, Kind.RANKING, ["X", "Y", "Z"]))
    x, y, z = (o.pk for o in _options(poll))
    for n, order in enumerate([[y, x, z], [y, z, x], [x, y, z]]):
        _answer(poll, _attendee(summit, f"Ranker {n}"), {"ranking": order})

    results = tally(poll)

    # First place earns 3 points, last 1: Y 3+3+2, X 2+1+3, Z 1+2+1.
    assert [(b.label, b.count, b.note) for b in results.bars] == [
        ("Y", 8, "average place 1.3"),
        ("X", 6, "average place 2.0"),
        ("Z", 4, "average place 2.7"),
    ]
    assert results.responses == 3


def test_tally_ranking_ties_keep_the_polls_order(plenary, summit):
    poll = _opened(_poll(plenary, Kind.RANKING, ["A", "B", "C"]))
    a, b, c = (o.pk for o in _options(poll))
    _answer(poll, _attendee(summit, "First"), {"ranking": [c, b, a]})
    _answer(poll, _attendee(summit, "Second"), {"ranking": [a, b, c]})

    results = tally(poll)

    assert [(bar.label, bar.count) for bar in results.bars] == [("A", 4), ("B", 4), ("C", 4)]


def test_tally_ranking_with_no_answers_is_not_yet_ranked(plenary):
    poll = _opened(_standard(plenary, Kind.RANKING))

    results = tally(poll)

    assert results.empty
    assert len(results.bars) == 6
    assert {(bar.count, bar.note) for bar in results.bars} == {(0, "not yet ranked")}


def test_tally_scale_counts_each_level_and_lists_challenges_by_sector_only(plenary, summit):
    poll = _opened(_standard(plenary, Kind.SCALE))
    first, second, third, fourth = _options(poll)
    ann = _attendee(summit, "Ann Named")
    _answer(
        poll,
        ann,
        {
            f"level-{first.pk}": 5,
            f"level-{second.pk}": 2,
            f"text-{second.pk}": "Not in my area",
        },
    )
    _answer(
        poll,
        _attendee(summit, "Bob Named", "health"),
        {f"level-{first.pk}": 5, f"level-{second.pk}": 1},
    )
    _answer(poll, _attendee(summit, "Cat Named"), {f"level-{first.pk}": 4})

    results = tally(poll)

    assert results.responses == 3
    assert [s.option for s in results.statements] == [first, second, third, fourth]
    assert [s.rated for s in results.statements] == [3, 2, 0, 0]
    assert [_counts(s) for s in results.statements] == [{5: 2, 4: 1}, {2: 1, 1: 1}, {}, {}]
    assert [round(s.width, 1) for s in results.statements[0].segments[:2]] == [66.7, 33.3]
    assert results.statements[0].decision is None
    assert results.statements[1].remarks == [(2, LOCAL, "Not in my area")]
    shown = render_to_string(
        "plenary/results.html#results", {"results": results, "show_remarks": True}
    )
    assert "Not in my area" in shown
    assert LOCAL in shown
    assert "Ann Named" not in shown
    assert ann.organisation not in shown


def test_tally_words_grouped_whatever_their_case_most_common_spelling_shown(plenary, summit):
    poll = _opened(_standard(plenary, Kind.WORDS))
    answers = [
        ["Ämter", "trust", "money"],
        ["ämter", "Trust"],
        ["Ämter", "trust"],
        ["ÄMTER"],
        ["  Ämter  "],
    ]
    for n, words in enumerate(answers):
        _answer(poll, _attendee(summit, f"Writer {n}"), {"word": words})

    results = tally(poll)

    assert results.responses == 5
    assert results.words == [Word("Ämter", 5, 5), Word("trust", 3, 3), Word("money", 1, 1)]


def test_tally_words_one_word_only_makes_the_middle_size(plenary, summit):
    poll = _opened(_standard(plenary, Kind.WORDS))
    _answer(poll, _attendee(summit, "Solo"), {"word": ["Trust", "good   governance"]})

    results = tally(poll)

    assert results.words == [Word("good governance", 1, 3), Word("Trust", 1, 3)]


def test_tally_words_one_person_counts_once_per_word_whatever_the_case(plenary, summit):
    poll = _opened(_standard(plenary, Kind.WORDS))
    _answer(poll, _attendee(summit, "Loud"), {"word": ["Data", "data", "DATA"]})
    _answer(poll, _attendee(summit, "Quiet"), {"word": ["Trust"]})

    results = tally(poll)

    # One person writing "Data", "data" and "DATA" counts once, not three times.
    assert [(w.text, w.count) for w in results.words] == [("Data", 1), ("Trust", 1)]


def test_tally_text_newest_first_with_sector_only(plenary, summit):
    poll = _opened(_poll(plenary, Kind.TEXT))
    ann = _attendee(summit, "Ann Named")
    _answer(poll, ann, {"text": "More money"})
    _answer(poll, _attendee(summit, "Bob Named", "health"), {"text": "  Less paperwork "})
    _answer(poll, ann, {"text": "Trust locally"})

    results = tally(poll)

    assert results.responses == 2
    assert results.texts == [(LOCAL, "Trust locally"), (HEALTH, "Less paperwork")]


def test_tally_consensus_decision_per_outcome_split_by_sector(plenary, summit, breakouts):
    _outcomes(breakouts)
    poll = _opened(services.prepare_consensus_check(plenary))
    tell, jury = _options(poll)
    ratings = [
        ("local_government", Agreement.FULL, Agreement.BLOCK, "Bypasses the council"),
        ("health", Agreement.RESERVATIONS, Agreement.FULL, ""),
        ("health", Agreement.STAND_ASIDE, Agreement.FULL, ""),
        ("voluntary", Agreement.DISAGREE, None, ""),
    ]
    for n, (sector, on_tell, on_jury, reason) in enumerate(ratings):
        data = {f"level-{tell.pk}": on_tell.value, f"text-{jury.pk}": reason}
        if on_jury is not None:
            data[f"level-{jury.pk}"] = on_jury.value
        _answer(poll, _attendee(summit, f"Rater {n}", sector), data)

    results = tally(poll)

    told, juried = results.statements
    assert results.levels == Agreement.choices
    assert told.decision == Decision(rated=4, support=2, blocks=0)
    assert (told.decision.consensus, told.decision.supermajority, told.decision.majority) == (
        True,
        False,
        False,
    )
    assert juried.decision == Decision(rated=3, support=2, blocks=1)
    assert (
        juried.decision.consensus,
        juried.decision.supermajority,
        juried.decision.majority,
    ) == (False, False, True)
    # In the summit's order of its sectors.
    assert told.sectors == [
        SectorSplit(LOCAL, support=1, stand_aside=0, against=0, blocks=0),
        SectorSplit(HEALTH, support=1, stand_aside=1, against=0, blocks=0),
        SectorSplit(VOLUNTARY, support=0, stand_aside=0, against=1, blocks=0),
    ]
    assert juried.sectors == [
        SectorSplit(LOCAL, support=0, stand_aside=0, against=0, blocks=1),
        SectorSplit(HEALTH, support=2, stand_aside=0, against=0, blocks=0),
    ]
    assert told.remarks == []
    assert juried.remarks == [(Agreement.BLOCK, LOCAL, "Bypasses the council")]


def _rate_tell(poll, summit, sector: str, n: int, level: int, name: str) -> None:
    tell, _ = _options(poll)
    for i in range(n):
        data = {f"level-{tell.pk}": int(level)}
        if level == Agreement.BLOCK:
            data[f"text-{tell.pk}"] = "Not without the churches"
        _answer(poll, _attendee(summit, f"{name} {i}", sector), data)


def _splits(poll, **context) -> str:
    html = render_to_string("plenary/results.html#results", {"results": tally(poll), **context})
    return html.split('<details class="sector-split">')[1].split("</details>")[0]


def test_tally_consensus_split_shows_no_sector_of_fewer_than_five(plenary, summit, breakouts):
    _outcomes(breakouts)
    poll = _opened(services.prepare_consensus_check(plenary))
    _rate_tell(poll, summit, "faith", 4, Agreement.BLOCK, "Faith")
    services.show_results(poll, True)

    # Four of faith, and nobody else: too few to show, on their own or together; their
    # positions could be read off the row. The console, the phones and the big screen show
    # the same.
    assert tally(poll).statements[0].sectors_shown == [
        SectorSplit(OTHER, None, None, None, None, withheld=True),
    ]
    for context in ({}, {"show_remarks": True}):
        table = _splits(poll, **context)
        assert "Faith" not in table
        assert f'<th scope="row">{OTHER}</th><td colspan="4">fewer than 5</td>' in table

    _rate_tell(poll, summit, "health", 6, Agreement.FULL, "Health")

    told = tally(poll).statements[0]

    # Six of health beside them: health is not shown on its own either, or the ten less
    # health's six would give faith's four, and how they rated.
    assert told.sectors_shown == [
        SectorSplit(OTHER, support=6, stand_aside=0, against=0, blocks=4),
    ]
    for context in ({}, {"show_remarks": True}):
        table = _splits(poll, **context)
        assert "Faith" not in table
        assert HEALTH not in table
        assert f'<th scope="row">{OTHER}</th><td>6</td><td>0</td><td>0</td><td>4</td>' in table
    # What the room is told of support is unchanged: a count of sectors, not of people.
    assert (told.supporting_sectors, round(told.support_score, 2)) == (1, 2.81)

    _rate_tell(poll, summit, "faith", 1, Agreement.BLOCK, "Fifth of faith")

    assert [s.sector for s in tally(poll).statements[0].sectors_shown] == [HEALTH, "Faith"]
    assert '<th scope="row">Faith</th><td>0</td><td>0</td><td>0</td><td>5</td>' in _splits(poll)
    assert f'<th scope="row">{HEALTH}</th><td>6</td><td>0</td><td>0</td><td>0</td>' in (
        _splits(poll)
    )
    assert OTHER not in _splits(poll)


def test_tally_consensus_split_combines_small_sectors_of_five_together(plenary, summit, breakouts):
    _outcomes(breakouts)
    poll = _opened(services.prepare_consensus_check(plenary))
    _rate_tell(poll, summit, "health", 6, Agreement.FULL, "Health")
    _rate_tell(poll, summit, "faith", 3, Agreement.BLOCK, "Faith")
    _rate_tell(poll, summit, "business", 2, Agreement.DISAGREE, "Business")

    told = tally(poll).statements[0]

    assert told.sectors_shown[1] == SectorSplit(
        OTHER, support=0, stand_aside=0, against=2, blocks=3
    )
    table = _splits(poll)
    assert f'<th scope="row">{OTHER}</th><td>0</td><td>0</td><td>2</td><td>3</td>' in table
    assert "Faith" not in table
    assert "Business" not in table


CHANGES = {
    "choice": (
        lambda o: {"choice": [o[0].pk, o[1].pk]},
        lambda o: {"choice": [o[2].pk]},
        [("Data", 0), ("Money", 0), ("Time", 1)],
    ),
    "ranking": (
        lambda o: {"ranking": [o[0].pk, o[1].pk, o[2].pk]},
        lambda o: {"ranking": [o[2].pk, o[1].pk, o[0].pk]},
        [("Time", 3), ("Money", 2), ("Data", 1)],
    ),
    "scale": (
        lambda o: {f"level-{o[0].pk}": 5, f"text-{o[0].pk}": "Too rosy"},
        lambda o: {f"level-{o[1].pk}": 1},
        [("Data", {}, []), ("Money", {1: 1}, []), ("Time", {}, [])],
    ),
    "consensus": (
        lambda o: {f"level-{o[0].pk}": 1, f"text-{o[0].pk}": "Not ours to do"},
        lambda o: {f"level-{o[0].pk}": 5},
        [("Tell one story of the place", {5: 1}, []), ("Give residents a citizens’ jury", {}, [])],
    ),
    "words": (
        lambda o: {"word": ["alpha", "beta"]},
        lambda o: {"word": ["Gamma"]},
        [("Gamma", 1)],
    ),
    "text": (
        lambda o: {"text": "First thoughts"},
        lambda o: {"text": "Second thoughts"},
        ["Second thoughts"],
    ),
}


@pytest.mark.parametrize("kind", list(CHANGES))
def test_tally_changed_answer_counts_only_the_new_answer(
    plenary, breakouts, attendee, kind, pushed, django_capture_on_commit_callbacks
):
    if kind == Kind.CONSENSUS:
        _outcomes(breakouts)
        poll = _opened(services.prepare_consensus_check(plenary))
    else:
        poll = _opened(
            _poll(plenary, kind, ["Data", "Money", "Time"], multiple=True, allow_comment=True)
        )
    first, second, expected = CHANGES[kind]
    _answer(poll, attendee, first(_options(poll)))
    pushed.clear()

    with django_capture_on_commit_callbacks(execute=True):
        _answer(poll, attendee, second(_options(poll)))

    results = tally(poll)
    assert results.responses == 1
    assert Response.objects.filter(poll=poll, participant=attendee).count() == 1
    assert _summary(results) == expected
    groups = [group for group, _ in pushed]
    assert groups == [
        plenary_group(plenary.pk, "facilitators"),
        plenary_group(plenary.pk, "attendees"),
        plenary_group(plenary.pk, "screen"),
    ]
    # Results are not shown yet: the attendees and the big screen hear only the count.
    assert "1 response<" in pushed[1][1]
    assert "results" not in pushed[1][1]


def test_answer_pushes_the_tally_to_everyone_once_results_are_shown(
    plenary, attendee, pushed, django_capture_on_commit_callbacks
):
    poll = _opened(_poll(plenary, Kind.CHOICE, ["Mayors", "Councils"]))
    services.show_results(poll, True)
    poll.refresh_from_db()
    mayors = _options(poll)[0]

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _answer(poll, attendee, {"choice": mayors.pk})

    assert len(callbacks) == 1
    for _, fragment in pushed:
        assert f'id="poll-{poll.pk}-results" hx-swap-oob="outerHTML" data-if-shown' in fragment
        assert "1 (100%)" in fragment


# Refusals by the service


def _stored() -> tuple[int, int]:
    return Response.objects.count(), Answer.objects.count()


def test_answer_poll_closed_poll_refused_earlier_answer_kept(
    plenary, attendee, pushed, django_capture_on_commit_callbacks
):
    poll = _opened(_poll(plenary, Kind.TEXT))
    _answer(poll, attendee, {"text": "Before it closed"})
    services.close_poll(poll)
    before = _stored()

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Refused, match="This poll is closed, so answers can no longer be changed"),
    ):
        services.answer_poll(poll, attendee, [Part(text="After it closed")])

    assert _stored() == before
    assert list(Answer.objects.values_list("text", flat=True)) == ["Before it closed"]
    assert pushed == []


def test_answer_poll_draft_poll_refused(plenary, attendee, django_capture_on_commit_callbacks):
    poll = _poll(plenary, Kind.TEXT)

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Refused, match="This poll is not open yet"),
    ):
        services.answer_poll(poll, attendee, [Part(text="Too early")])

    assert _stored() == (0, 0)
    assert callbacks == []


def test_answer_poll_option_of_another_poll_refused(plenary, attendee):
    poll = _opened(_poll(plenary, Kind.CHOICE, ["Mayors", "Councils"]))
    elsewhere = _standard(plenary, Kind.RANKING).options.first()

    with pytest.raises(Refused, match="Choose from the answers listed"):
        services.answer_poll(poll, attendee, [Part(option_id=elsewhere.pk)])

    assert _stored() == (0, 0)


@pytest.mark.parametrize("who", ["facilitator", "organiser"])
def test_answer_poll_by_facilitator_or_organiser_refused(plenary, request, who):
    person = request.getfixturevalue(who)
    poll = _opened(_poll(plenary, Kind.TEXT))

    with pytest.raises(Refused, match="Only attendees answer polls"):
        services.answer_poll(poll, person, [Part(text="I run this")])

    assert _stored() == (0, 0)


def test_answer_poll_attendee_of_another_summit_refused(plenary, outsider):
    poll = _opened(_poll(plenary, Kind.TEXT))

    with pytest.raises(Refused, match="This poll belongs to another summit"):
        services.answer_poll(poll, outsider, [Part(text="From elsewhere")])

    assert _stored() == (0, 0)


def test_answer_poll_removed_attendee_refused(plenary, attendee):
    poll = _opened(_poll(plenary, Kind.TEXT))
    Participant.objects.filter(pk=attendee.pk).update(removed_at=timezone.now())
    attendee.refresh_from_db()

    with pytest.raises(Refused):
        services.answer_poll(poll, attendee, [Part(text="Gone")])

    assert _stored() == (0, 0)


def _malformed(plenary: Plenary, breakouts: list[Breakout], case: str) -> tuple[Poll, list]:
    """A poll, and parts for it that no valid ``AnswerForm`` would give."""
    if case == "two choices on single choice":
        poll = _opened(_poll(plenary, Kind.CHOICE, ["Mayors", "Councils"]))
        return poll, [Part(option_id=o.pk) for o in _options(poll)]
    if case in {"ranking missing an item", "ranking with a duplicate"}:
        poll = _opened(_standard(plenary, Kind.RANKING))
        ids = [o.pk for o in _options(poll)]
        ids = ids[:-1] if case == "ranking missing an item" else [*ids[:-1], ids[0]]
        return poll, [Part(option_id=pk, value=p) for p, pk in enumerate(ids, 1)]
    if case == "block without a reason":
        _outcomes(breakouts)
        poll = _opened(services.prepare_consensus_check(plenary))
        return poll, [Part(option_id=_options(poll)[0].pk, value=Agreement.BLOCK)]
    poll = _opened(_standard(plenary, Kind.WORDS))
    return poll, [Part(text=w) for w in ["one", "two", "three", "four", "x" * 41]]


@pytest.mark.parametrize(
    "case",
    [
        "two choices on single choice",
        "ranking missing an item",
        "ranking with a duplicate",
        "block without a reason",
        "more than three words, one too long",
    ],
)
def test_answer_poll_malformed_parts_refused(plenary, breakouts, attendee, case):
    poll, parts = _malformed(plenary, breakouts, case)

    # The service refuses what the form would, whoever calls it: such parts would skew the
    # tally (a second choice counted, Borda points from duplicate places, a fourth word).
    with pytest.raises(Refused):
        services.answer_poll(poll, attendee, parts)

    assert _stored() == (0, 0)


# Refusals by the answer view


def _post(person: Participant, poll_id: int, data: dict):
    url = reverse("plenary:answer", args=[person.summit.slug, poll_id])
    return client_for(person).post(url, data, HTTP_HX_REQUEST="true")


def _refused_with(response, message: str) -> str:
    page = response.content.decode()
    assert response.status_code == 422
    assert html.escape(message) in page
    return page


def test_answer_view_closed_poll_refused_text_kept(plenary, attendee):
    poll = _opened(_poll(plenary, Kind.TEXT))
    services.close_poll(poll)

    response = _post(attendee, poll.pk, {"text": "Late but heartfelt"})

    page = _refused_with(response, "This poll is closed, so answers can no longer be changed")
    assert ">Late but heartfelt</textarea>" in page
    assert _stored() == (0, 0)


def test_answer_view_draft_poll_refused_text_kept(plenary, attendee):
    poll = _poll(plenary, Kind.TEXT)

    response = _post(attendee, poll.pk, {"text": "Early bird"})

    page = _refused_with(response, "This poll is not open yet")
    assert ">Early bird</textarea>" in page
    assert _stored() == (0, 0)


def test_answer_view_unknown_poll_not_found(plenary, attendee):
    response = _post(attendee, 987654, {"text": "Anyone there?"})

    assert response.status_code == 404
    assert _stored() == (0, 0)


def test_answer_view_poll_of_another_summit_not_found(plenary, attendee, outsider):
    theirs = _opened(_poll(services.plenary_for(outsider.summit), Kind.TEXT))

    response = _post(attendee, theirs.pk, {"text": "Crossing over"})

    assert response.status_code == 404
    assert _stored() == (0, 0)


def test_answer_view_two_choices_on_single_choice_refused(plenary, attendee):
    poll = _opened(_poll(plenary, Kind.CHOICE, ["Mayors", "Councils", "Citizens"]))
    mayors, councils, citizens = _options(poll)

    response = _post(attendee, poll.pk, {"choice": [mayors.pk, councils.pk]})

    page = _refused_with(response, "Choose only one answer")
    assert f'value="{mayors.pk}" checked' in page
    assert f'value="{councils.pk}" checked' in page
    assert f'value="{citizens.pk}" checked' not in page
    assert _stored() == (0, 0)


def test_answer_view_option_of_another_poll_refused(plenary, attendee):
    poll = _opened(_poll(plenary, Kind.CHOICE, ["Mayors", "Councils"]))
    elsewhere = _standard(plenary, Kind.RANKING).options.first()

    response = _post(attendee, poll.pk, {"choice": elsewhere.pk})

    _refused_with(response, "Choose from the answers listed")
    assert _stored() == (0, 0)


# Numbers that int() cannot read: more digits than it reads, and a digit that is not 0 to 9.
NOT_READ_BY_INT = ["1" * 4301, "²"]


@pytest.mark.parametrize("number", NOT_READ_BY_INT, ids=["4301 digits", "superscript two"])
def test_answer_view_choice_past_any_number_refused_other_choice_kept(plenary, attendee, number):
    poll = _opened(_poll(plenary, Kind.CHOICE, ["Mayors", "Councils"], multiple=True))
    mayors, councils = _options(poll)

    response = _post(attendee, poll.pk, {"choice": [mayors.pk, number]})

    page = _refused_with(response, "Choose from the answers listed")
    assert f'value="{mayors.pk}" checked' in page
    assert f'value="{councils.pk}" checked' not in page
    assert _stored() == (0, 0)


@pytest.mark.parametrize("number", NOT_READ_BY_INT, ids=["4301 digits", "superscript two"])
def test_answer_view_level_past_any_number_refused_other_level_kept(plenary, attendee, number):
    poll = _opened(_poll(plenary, Kind.SCALE, ["Place matters", "Now is the time"]))
    first, second = _options(poll)

    response = _post(attendee, poll.pk, {f"level-{first.pk}": 4, f"level-{second.pk}": number})

    page = _refused_with(response, "Choose one of the positions listed")
    assert f'name="level-{first.pk}" value="4" checked' in page
    assert not re.search(rf'name="level-{second.pk}" value="\d" checked', page)
    assert _stored() == (0, 0)


@pytest.mark.parametrize("flaw", ["missing", "duplicate"])
def test_answer_view_ranking_not_every_item_once_refused(plenary, attendee, flaw):
    poll = _opened(_standard(plenary, Kind.RANKING))
    ids = [o.pk for o in _options(poll)]
    order = ids[:-1] if flaw == "missing" else [*ids[:-1], ids[0]]
    _answer(poll, attendee, {"ranking": list(reversed(ids))})
    before = list(Answer.objects.order_by("value").values_list("option_id", flat=True))

    response = _post(attendee, poll.pk, {"ranking": order})

    _refused_with(response, "Rank every item once, and only once")
    assert _stored() == (1, 6)
    assert list(Answer.objects.order_by("value").values_list("option_id", flat=True)) == before


def test_answer_view_consensus_block_without_reason_refused_other_reasons_kept(
    plenary, breakouts, attendee
):
    _outcomes(breakouts)
    poll = _opened(services.prepare_consensus_check(plenary))
    tell, jury = _options(poll)

    response = _post(
        attendee,
        poll.pk,
        {
            f"level-{tell.pk}": Agreement.DISAGREE.value,
            f"text-{tell.pk}": "Stories are not enough",
            f"level-{jury.pk}": Agreement.BLOCK.value,
            f"text-{jury.pk}": "",
        },
    )

    page = _refused_with(response, "Say why you block proposal 2")
    assert ">Stories are not enough</textarea>" in page
    assert f'name="level-{jury.pk}" value="1" checked' in page
    assert f'name="level-{tell.pk}" value="2" checked' in page
    assert _stored() == (0, 0)


def test_answer_view_over_long_text_refused_text_kept(plenary, attendee):
    poll = _opened(_poll(plenary, Kind.TEXT))
    typed = "governance " * 45 + "finale"
    # 45 * 11 + 6 = 501 characters

    response = _post(attendee, poll.pk, {"text": typed})

    page = _refused_with(response, "Your answer must be 500 characters or fewer (it has 501)")
    assert f">{typed}</textarea>" in page
    assert _stored() == (0, 0)


def test_answer_view_word_over_forty_characters_refused(plenary, attendee):
    poll = _opened(_standard(plenary, Kind.WORDS))
    long_word = "Ämter" + "x" * 36

    response = _post(attendee, poll.pk, {"word": ["trust", long_word]})

    page = _refused_with(response, "Keep each word or phrase to 40 characters or fewer")
    assert f'value="{long_word}"' in page
    assert 'value="trust"' in page
    assert _stored() == (0, 0)


def test_answer_view_more_than_three_words_refused(plenary, attendee):
    poll = _opened(_standard(plenary, Kind.WORDS))

    response = _post(attendee, poll.pk, {"word": ["one", "two", "three", "four"]})

    page = _refused_with(response, "Give at most 3 words or short phrases")
    for word in ["one", "two", "three"]:
        assert f'name="word" value="{word}"' in page
    assert _stored() == (0, 0)


@pytest.mark.parametrize("who", ["facilitator", "organiser"])
def test_answer_view_by_facilitator_or_organiser_refused(plenary, request, who):
    person = request.getfixturevalue(who)
    poll = _opened(_poll(plenary, Kind.TEXT))

    response = _post(person, poll.pk, {"text": "Steering, not voting"})

    page = _refused_with(response, "Only attendees answer polls")
    assert ">Steering, not voting</textarea>" in page
    assert _stored() == (0, 0)


def test_answer_view_challenge_on_scale_without_challenges_not_kept(plenary, attendee):
    poll = _opened(_poll(plenary, Kind.SCALE, ["Place matters", "Now is the time"]))
    first = _options(poll)[0]

    response = _post(
        attendee, poll.pk, {f"level-{first.pk}": 4, f"text-{first.pk}": "Sneaked in a remark"}
    )

    assert response.status_code == 200
    assert Answer.objects.get().value == 4
    # A poll made without challenges takes none, even from a hand-made post.
    assert Answer.objects.get().text == ""


def test_answer_view_outsider_not_found(plenary, attendee, outsider):
    poll = _opened(_poll(plenary, Kind.TEXT))
    url = reverse("plenary:answer", args=[plenary.summit.slug, poll.pk])

    response = client_for(outsider).post(url, {"text": "Let me in"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 404
    assert _stored() == (0, 0)


def test_answer_view_changed_answer_saved_and_shown(plenary, attendee):
    poll = _opened(_poll(plenary, Kind.TEXT))
    _answer(poll, attendee, {"text": "First go"})

    response = _post(attendee, poll.pk, {"text": "Second go"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Your answer is saved" in page
    assert ">Second go</textarea>" in page
    assert list(Answer.objects.values_list("text", flat=True)) == ["Second go"]
    assert Response.objects.count() == 1


def test_room_drawn_again_says_the_answer_is_saved(plenary, attendee):
    # A push or catch-up draws the room anew after a person answers: it says the same as the
    # answer's own reply did, so the confirmation is not taken away from them.
    poll = _opened(_poll(plenary, Kind.TEXT))
    before = client_for(attendee).get(reverse("plenary:room", args=[plenary.summit.slug]))
    _answer(poll, attendee, {"text": "First go"})

    after = client_for(attendee).get(reverse("plenary:room", args=[plenary.summit.slug]))

    assert "Your answer is saved" not in before.content.decode()
    saved = "Your answer is saved. You can change it until the poll closes."
    assert saved in after.content.decode()


# The console's actions


def test_open_poll_puts_it_on_the_big_screen(plenary, pushed, django_capture_on_commit_callbacks):
    poll = _standard(plenary, Kind.WORDS)

    with django_capture_on_commit_callbacks(execute=True):
        services.open_poll(poll)

    plenary.refresh_from_db()
    poll.refresh_from_db()
    assert poll.state == Poll.State.OPEN
    assert poll.opened_at is not None
    assert plenary.showing == Plenary.Showing.POLL
    assert plenary.shown_poll == poll
    assert [group for group, _ in pushed] == [
        plenary_group(plenary.pk, audience) for audience in ("attendees", "facilitators", "screen")
    ]
    assert html.escape(f"A poll is open: {poll.question}") in pushed[0][1]


def test_open_poll_without_options_refused(plenary):
    poll = Poll.objects.create(plenary=plenary, kind=Kind.CHOICE, question="Which?")

    with pytest.raises(Refused, match="nothing to choose from"):
        services.open_poll(poll)

    poll.refresh_from_db()
    assert poll.state == Poll.State.DRAFT


@pytest.mark.parametrize("state", [Poll.State.DRAFT, Poll.State.CLOSED])
def test_close_poll_not_open_refused(plenary, state, pushed, django_capture_on_commit_callbacks):
    poll = _standard(plenary, Kind.WORDS)
    Poll.objects.filter(pk=poll.pk).update(state=state)

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Refused, match="This poll is not open"),
    ):
        services.close_poll(poll)

    poll.refresh_from_db()
    assert poll.state == state
    assert poll.closed_at is None
    assert pushed == []


def test_close_poll_open_closes_it(plenary, pushed, django_capture_on_commit_callbacks):
    poll = _opened(_standard(plenary, Kind.WORDS))

    with django_capture_on_commit_callbacks(execute=True):
        services.close_poll(poll)

    poll.refresh_from_db()
    assert poll.state == Poll.State.CLOSED
    assert poll.closed_at is not None
    assert len(pushed) == 3
    assert html.escape(f"The poll has closed: {poll.question}") in pushed[0][1]


def test_show_results_toggles(plenary, pushed, django_capture_on_commit_callbacks):
    poll = _opened(_standard(plenary, Kind.WORDS))

    with django_capture_on_commit_callbacks(execute=True):
        services.show_results(poll, True)
    poll.refresh_from_db()
    shown = poll.results_shown
    with django_capture_on_commit_callbacks(execute=True):
        services.show_results(poll, True)
    pushes_after_repeat = len(pushed)
    with django_capture_on_commit_callbacks(execute=True):
        services.show_results(poll, False)

    poll.refresh_from_db()
    assert shown is True
    assert poll.results_shown is False
    assert pushes_after_repeat == 3
    assert len(pushed) == 6
    assert html.escape(f"Results are shown: {poll.question}") in pushed[0][1]
    assert html.escape(f"Results are hidden: {poll.question}") in pushed[3][1]


@pytest.mark.parametrize("closed", [False, True])
def test_delete_poll_once_opened_refused(plenary, closed):
    poll = _opened(_standard(plenary, Kind.WORDS))
    if closed:
        services.close_poll(poll)

    with pytest.raises(Refused, match="Only a poll that has never been opened can be deleted"):
        services.delete_poll(poll)

    assert Poll.objects.filter(pk=poll.pk).exists()


def test_delete_poll_draft_removes_it(plenary, pushed, django_capture_on_commit_callbacks):
    poll = _poll(plenary, Kind.CHOICE, ["Yes", "No"])

    with django_capture_on_commit_callbacks(execute=True):
        services.delete_poll(poll)

    assert not Poll.objects.filter(pk=poll.pk).exists()
    assert not PollOption.objects.filter(poll_id=poll.pk).exists()
    assert [group for group, _ in pushed] == [plenary_group(plenary.pk, "facilitators")]


def test_create_poll_consensus_refused(plenary):
    before = Poll.objects.count()

    with pytest.raises(Refused, match="Prepare the consensus check"):
        services.create_poll(plenary, kind=Kind.CONSENSUS, question="Agreed?", options=["A"])

    assert Poll.objects.count() == before


def test_create_poll_files_it_under_the_agenda_now(
    plenary, summit, pushed, django_capture_on_commit_callbacks
):
    item = summit.agenda.last()
    services.move_agenda(plenary, item.pk)

    with django_capture_on_commit_callbacks(execute=True):
        poll = services.create_poll(
            plenary, kind=Kind.WORDS, question="One word?", options=["ignored"], multiple=True
        )

    assert poll.state == Poll.State.DRAFT
    assert poll.agenda_item == item
    assert poll.multiple is False
    assert not poll.options.exists()
    assert [group for group, _ in pushed] == [plenary_group(plenary.pk, "facilitators")]


def test_prepare_consensus_check_without_outcomes_refused(plenary, breakouts):
    with pytest.raises(Refused, match="No breakout has drafted an outcome yet"):
        services.prepare_consensus_check(plenary)

    assert not Poll.objects.filter(kind=Kind.CONSENSUS).exists()


def test_prepare_consensus_check_one_option_per_outcome_in_breakout_order(
    plenary, breakouts, pushed, django_capture_on_commit_callbacks
):
    first, later = _outcomes(breakouts)

    with django_capture_on_commit_callbacks(execute=True):
        poll = services.prepare_consensus_check(plenary)

    assert poll.kind == Kind.CONSENSUS
    assert poll.state == Poll.State.DRAFT
    assert [(o.order, o.outcome, o.text) for o in _options(poll)] == [
        (1, first, first.proposal),
        (2, later, later.proposal),
    ]
    assert [group for group, _ in pushed] == [plenary_group(plenary.pk, "facilitators")]


def test_prepare_consensus_check_again_takes_in_new_outcomes(plenary, breakouts):
    first, later = _outcomes(breakouts)
    poll = services.prepare_consensus_check(plenary)
    newest = Outcome.objects.create(
        breakout=breakouts[2], proposal="Publish one shared dashboard", who_should_act="All"
    )
    between = Outcome.objects.create(
        breakout=breakouts[0], proposal="Name the place’s story-tellers", who_should_act="Us"
    )

    again = services.prepare_consensus_check(plenary)

    assert again.pk == poll.pk
    assert Poll.objects.filter(kind=Kind.CONSENSUS).count() == 1
    assert [o.outcome for o in _options(again)] == [first, between, later, newest]


def test_prepare_consensus_check_while_open_refused(plenary, breakouts):
    _outcomes(breakouts)
    poll = _opened(services.prepare_consensus_check(plenary))
    options = _options(poll)
    Outcome.objects.create(breakout=breakouts[2], proposal="Late", who_should_act="All")

    with pytest.raises(Refused, match="The consensus check is open"):
        services.prepare_consensus_check(plenary)

    assert _options(poll) == options
    assert Poll.objects.filter(kind=Kind.CONSENSUS).count() == 1


def test_prepare_consensus_check_after_closed_makes_a_second_round(plenary, breakouts, attendee):
    _outcomes(breakouts)
    poll = _opened(services.prepare_consensus_check(plenary))
    tell = _options(poll)[0]
    _answer(poll, attendee, {f"level-{tell.pk}": Agreement.FULL.value})
    services.close_poll(poll)
    Outcome.objects.create(breakout=breakouts[2], proposal="Late", who_should_act="All")

    second = services.prepare_consensus_check(plenary)

    assert second.pk != poll.pk
    assert second.state == Poll.State.DRAFT
    assert len(_options(second)) == 3
    assert len(_options(poll)) == 2
    assert Answer.objects.filter(response__poll=poll).count() == 1


def _elsewhere_idea(outsider: Participant) -> Idea:
    return Idea.objects.create(
        breakout=outsider.breakouts.get(),
        author=outsider,
        text="Not from here",
        client_token=uuid.uuid4(),
    )


@pytest.mark.parametrize(
    ("showing", "message"),
    [
        (Plenary.Showing.POLL, "Choose one of this plenary’s polls"),
        (Plenary.Showing.REPORT, "Choose one of this summit’s breakouts"),
        (Plenary.Showing.IDEA, "Choose an idea that is on one of this summit’s walls"),
        (Plenary.Showing.MESSAGE, "Write the message to show"),
        ("fireworks", "Choose one of the things the big screen can show"),
    ],
)
def test_show_refuses_what_is_not_this_summits(
    plenary, outsider, showing, message, pushed, django_capture_on_commit_callbacks
):
    theirs = _standard(services.plenary_for(outsider.summit), Kind.WORDS)
    named = {
        "poll_id": theirs.pk,
        "breakout_id": outsider.breakouts.get().pk,
        "idea_id": _elsewhere_idea(outsider).pk,
        "message": "",
    }

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Refused, match=message),
    ):
        services.show(plenary, showing, **named)

    plenary.refresh_from_db()
    assert plenary.showing == Plenary.Showing.QUESTION
    assert (plenary.shown_poll, plenary.shown_breakout, plenary.shown_idea) == (None, None, None)
    assert pushed == []


def test_show_message_and_idea_of_this_summit(
    plenary, breakout, attendee, pushed, django_capture_on_commit_callbacks
):
    idea = Idea.objects.create(
        breakout=breakout,
        author=attendee,
        text="Pool the budgets",
        client_token=uuid.uuid4(),
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.show(plenary, Plenary.Showing.MESSAGE, message="Back at 2pm")
        services.show(plenary, Plenary.Showing.IDEA, idea_id=idea.pk)

    plenary.refresh_from_db()
    assert plenary.showing == Plenary.Showing.IDEA
    assert plenary.shown_idea == idea
    assert plenary.message == "Back at 2pm"
    assert len(pushed) == 6


def test_next_report_walks_the_breakouts_in_order_then_stops(
    plenary, breakouts, pushed, django_capture_on_commit_callbacks
):
    walked = []
    for _ in breakouts:
        with django_capture_on_commit_callbacks(execute=True):
            services.next_report(plenary)
        plenary.refresh_from_db()
        walked.append((plenary.showing, plenary.shown_breakout))

    with pytest.raises(Refused, match="Every breakout has reported"):
        services.next_report(plenary)

    assert [b.subtheme.order for b in breakouts] == sorted(b.subtheme.order for b in breakouts)
    assert walked == [(Plenary.Showing.REPORT, b) for b in breakouts]
    assert len(pushed) == 3 * len(breakouts)
    plenary.refresh_from_db()
    assert plenary.shown_breakout == breakouts[-1]


def test_next_report_from_another_screen_starts_at_the_first(plenary, breakouts):
    services.show(plenary, Plenary.Showing.REPORT, breakout_id=breakouts[1].pk)
    services.show(plenary, Plenary.Showing.MESSAGE, message="Lunch")

    services.next_report(plenary)

    plenary.refresh_from_db()
    assert plenary.showing == Plenary.Showing.REPORT
    assert plenary.shown_breakout == breakouts[0]


def test_move_agenda_item_of_another_summit_refused(plenary, summit, outsider):
    theirs = AgendaItem.objects.create(
        summit=outsider.summit, order=1, kind=AgendaItem.Kind.PLENARY, title="Their plenary"
    )

    with pytest.raises(Refused, match="Choose an item of this summit’s agenda"):
        services.move_agenda(plenary, theirs.pk)

    summit.refresh_from_db()
    assert summit.agenda_now is None


def test_move_agenda_sets_and_clears_the_item_now(
    plenary, summit, pushed, django_capture_on_commit_callbacks
):
    item = summit.agenda.get(title="Closing plenary")

    with django_capture_on_commit_callbacks(execute=True):
        services.move_agenda(plenary, item.pk)
    summit.refresh_from_db()
    now = summit.agenda_now
    with django_capture_on_commit_callbacks(execute=True):
        services.move_agenda(plenary, None)

    summit.refresh_from_db()
    assert now == item
    assert summit.agenda_now is None
    assert "Now: Closing plenary" in pushed[0][1]
    assert "The agenda follows the clock again" in pushed[3][1]


# Query counts: the same at 10 responses to every poll and at 500


def _crowd(plenary: Plenary, breakouts: list[Breakout], n: int) -> list[Poll]:
    """Every kind of poll open with its results shown, and ``n`` people's answers to each."""
    _outcomes(breakouts)
    polls = [
        _standard(plenary, Kind.SCALE),
        _standard(plenary, Kind.RANKING),
        _standard(plenary, Kind.WORDS),
        _poll(plenary, Kind.CHOICE, ["Mayors", "Councils", "Citizens"]),
        _poll(plenary, Kind.CHOICE, ["Data", "Money", "Time"], multiple=True),
        _poll(plenary, Kind.TEXT),
        services.prepare_consensus_check(plenary),
    ]
    for poll in polls:
        services.open_poll(poll)
        services.show_results(poll, True)
    users = User.objects.bulk_create(
        User(username=f"crowd-{n}-{i}", password="!") for i in range(n)
    )
    sectors = SECTOR_KEYS
    people = Participant.objects.bulk_create(
        Participant(
            user=user,
            summit=plenary.summit,
            display_name=f"Crowd {i}",
            sector=sectors[i % len(sectors)],
        )
        for i, user in enumerate(users)
    )
    answers = []
    for poll in polls:
        options = _options(poll)
        responses = Response.objects.bulk_create(
            Response(poll=poll, participant=person) for person in people
        )
        for i, response in enumerate(responses):
            answers += _crowd_answers(poll, options, response, i)
    Answer.objects.bulk_create(answers)
    return [Poll.objects.get(pk=poll.pk) for poll in polls]


def _crowd_answers(poll: Poll, options: list[PollOption], response: Response, i: int):
    kind = poll.kind
    if kind == Kind.CHOICE:
        picked = options[: 1 + i % len(options)] if poll.multiple else [options[i % 3]]
        return [Answer(response=response, option=o) for o in picked]
    if kind == Kind.RANKING:
        turned = options[i % len(options) :] + options[: i % len(options)]
        return [Answer(response=response, option=o, value=p) for p, o in enumerate(turned, 1)]
    if poll.rated:
        return [
            Answer(
                response=response,
                option=o,
                value=1 + (i + k) % 5,
                text=f"Reason {i}" if (i + k) % 5 == 0 else "",
            )
            for k, o in enumerate(options)
        ]
    if kind == Kind.WORDS:
        return [Answer(response=response, text=word) for word in (f"word{i % 7}", "Ämter", "trust")]
    return [Answer(response=response, text=f"Thought {i}")]


# The most queries each page may make, however many people answered (one of them reads the
# summit's sectors, for the results by sector); the attendees' room reads the sessions of
# questions from the floor too, and their questions when there are sessions.
MAX_QUERIES = {"room": 28, "console": 29, "screen": 9}


@pytest.mark.parametrize("page", list(MAX_QUERIES))
@pytest.mark.parametrize("n", [10, 500])
def test_query_count_flat_however_many_responses(
    plenary, breakouts, attendee, facilitator, django_assert_max_num_queries, page, n
):
    polls = _crowd(plenary, breakouts, n)
    _answer(polls[5], attendee, {"text": "My own thought"})
    if page == "screen":
        views = []
        for poll in polls:
            services.show(plenary, Plenary.Showing.POLL, poll_id=poll.pk)
            with django_assert_max_num_queries(MAX_QUERIES[page]):
                response = Client().get(reverse("plenary:screen", args=[plenary.screen_key]))
            views.append((response, [poll]))
    else:
        who = attendee if page == "room" else facilitator
        url = reverse(f"plenary:{page}", args=[plenary.summit.slug])
        client = client_for(who)
        with django_assert_max_num_queries(MAX_QUERIES[page]):
            response = client.get(url)
        views = [(response, polls)]

    for response, shown in views:
        page_html = response.content.decode()
        assert response.status_code == 200
        for poll in shown:
            count = n + 1 if poll == polls[5] else n
            assert f'id="poll-{poll.pk}-count">{count} responses</span>' in page_html
            assert f'id="poll-{poll.pk}-results"' in page_html
    if page == "room":
        assert ">My own thought</textarea>" in page_html


# The summit's own supermajority


def _two_in_three_support(plenary, summit, breakouts) -> Poll:
    """Arrange: a consensus check on one outcome that two of its three raters support."""
    _outcomes(breakouts)
    poll = _opened(services.prepare_consensus_check(plenary))
    first = _options(poll)[0]
    for n, level in enumerate([Agreement.FULL, Agreement.RESERVATIONS, Agreement.DISAGREE]):
        _answer(poll, _attendee(summit, f"Rater {n}"), {f"level-{first.pk}": level.value})
    return poll


@pytest.mark.parametrize(("threshold", "passes"), [(60, True), (75, False)])
def test_tally_consensus_reads_the_summits_supermajority(
    plenary, summit, breakouts, threshold, passes
):
    poll = _two_in_three_support(plenary, summit, breakouts)
    Summit.objects.filter(pk=summit.pk).update(supermajority=threshold)
    poll = Poll.objects.get(pk=poll.pk)  # the summit read afresh through its plenary

    told = tally(poll).statements[0]
    given = tally(poll, supermajority=threshold).statements[0]

    assert told.decision == given.decision == Decision(3, 2, 0, threshold)
    assert told.decision.supermajority is passes


def test_plenary_console_says_the_summits_supermajority(plenary, summit, breakouts, organiser):
    _two_in_three_support(plenary, summit, breakouts)
    Summit.objects.filter(pk=summit.pk).update(supermajority=60)

    response = client_for(organiser).get(reverse("plenary:console", args=[summit.slug]))
    page = html.unescape(response.content.decode())

    assert "<strong>Supermajority</strong> (at least 60% of those who rated it support it)" in page
    assert "by a 60% supermajority" in page
    assert "75%" not in page


def test_pushed_results_say_the_summits_supermajority_without_reading_the_summit_again(
    summit, breakouts, pushed, django_capture_on_commit_callbacks
):
    Summit.objects.filter(pk=summit.pk).update(supermajority=60)
    summit.refresh_from_db()
    plenary = services.plenary_for(summit)
    _outcomes(breakouts)
    poll = _opened(services.prepare_consensus_check(plenary))
    poll.plenary = plenary  # as get_poll_for gives it, with its summit
    first = _options(poll)[0]
    with django_capture_on_commit_callbacks() as callbacks:
        _answer(poll, _attendee(summit, "Rater"), {f"level-{first.pk}": Agreement.FULL.value})

    with CaptureQueriesContext(connection) as queries:
        for callback in callbacks:
            callback()

    consoles = [h for g, h in pushed if g == plenary_group(plenary.pk, "facilitators")]
    assert "at least 60% of those who rated it support it" in html.unescape(consoles[-1])
    read = " ".join(q["sql"] for q in queries.captured_queries)
    assert Summit._meta.db_table not in read
    assert Plenary._meta.db_table not in read
