"""The measures by sector (summit/event/measures.py): cross-sector support and the order it
gives, the Gini index of contributions, and the rule that shows no sector of fewer than five
people on its own. Pure functions, so properties over generated cases, and worked examples
checked by hand."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from summit.event.measures import (
    FEWER_THAN_SMALLEST,
    OTHER_SECTORS,
    SMALLEST_CELL,
    SectorCell,
    cross_sector_support,
    gini,
    people_by_sector,
    small_sectors_combined,
    support_order,
)
from tests.conftest import SECTOR_KEYS

SECTORS = list(SECTOR_KEYS)
# No example database written into the checkout, and no deadline to trip on a busy machine.
quick = settings(database=None, deadline=None)

supporters_by_sector = st.dictionaries(st.sampled_from(SECTORS), st.integers(0, 200))


def _item(support: dict[str, int], pk: int) -> tuple[float, int, int]:
    """(score, supporters, pk) for an idea backed by ``support``."""
    return (cross_sector_support(support), sum(support.values()), pk)


def _ranked(items: list[tuple[float, int, int]]) -> list[tuple[float, int, int]]:
    return sorted(items, key=lambda item: support_order(*item))


# Cross-sector support: worked examples


@pytest.mark.parametrize(
    ("support", "expected"),
    [
        # Nobody yet, or a sector listed with nobody in it: nothing.
        ({}, 0.0),
        ({"health": 0}, 0.0),
        # One person: log2(2) = 1.
        ({"health": 1}, 1.0),
        # Ten of one sector: log2(11) = ln 11 / ln 2 = 2.397895 / 0.693147 = 3.459432.
        ({"health": 10}, 3.459432),
        # Two in each of four sectors: 4 x log2(3) = 4 x 1.584963 = 6.339850.
        ({"health": 2, "faith": 2, "business": 2, "voluntary": 2}, 6.339850),
        # One in each of four: 4 x 1 = 4.
        ({"health": 1, "faith": 1, "business": 1, "voluntary": 1}, 4.0),
        # Three of one sector, log2(4) = 2, ties one in each of two sectors, 1 + 1 = 2.
        ({"health": 3}, 2.0),
        ({"health": 1, "faith": 1}, 2.0),
        # Four of one sector: log2(5) = 2.321928.
        ({"health": 4}, 2.321928),
    ],
)
def test_cross_sector_support_worked_example_matches_hand_calculation(support, expected):
    score = cross_sector_support(support)

    assert score == pytest.approx(expected, abs=1e-6)


def test_cross_sector_support_each_further_supporter_of_a_sector_adds_less():
    # The second supporter adds log2(3) - log2(2) = 0.585; the tenth log2(11) - log2(10) = 0.138.
    scores = [cross_sector_support({"health": n}) for n in range(11)]

    gains = [later - earlier for earlier, later in itertools.pairwise(scores)]

    assert gains[0] == pytest.approx(1.0)
    assert gains[1] == pytest.approx(0.584963, abs=1e-6)
    assert gains[9] == pytest.approx(0.137504, abs=1e-6)
    assert all(a > b for a, b in itertools.pairwise(gains))


def test_cross_sector_support_ten_of_one_sector_rank_below_two_in_each_of_four():
    narrow = _item({"health": 10}, pk=1)
    broad = _item({"health": 2, "faith": 2, "business": 2, "voluntary": 2}, pk=2)

    ranked = _ranked([narrow, broad])

    assert ranked == [broad, narrow]


# Cross-sector support: properties


@quick
@given(support=supporters_by_sector, sector=st.sampled_from(SECTORS))
def test_cross_sector_support_another_supporter_raises_the_score(support, sector):
    more = {**support, sector: support.get(sector, 0) + 1}

    before, after = cross_sector_support(support), cross_sector_support(more)

    # Never lowers it; in fact the log of (1 + n) always grows, so it strictly raises it.
    assert after > before


@quick
@given(support=supporters_by_sector, data=st.data())
def test_cross_sector_support_supporter_moved_to_an_unsupported_sector_raises_the_score(
    support, data
):
    crowded = sorted(s for s, n in support.items() if n >= 2)
    empty = sorted(s for s in SECTORS if support.get(s, 0) == 0)
    assume(crowded and empty)
    source, target = data.draw(st.sampled_from(crowded)), data.draw(st.sampled_from(empty))
    moved = {**support, source: support[source] - 1, target: 1}

    before, after = cross_sector_support(support), cross_sector_support(moved)

    # log2(n) + log2(2) = log2(2n) > log2(n + 1) exactly when n >= 2.
    assert after > before


@quick
@given(support=supporters_by_sector, sector=st.sampled_from(SECTORS))
def test_cross_sector_support_supporter_moved_from_a_lone_sector_keeps_the_score(support, sector):
    # The boundary of the property above: a sector's only supporter moving to an empty
    # sector swaps log2(2) for log2(2), so the score stays as it was.
    empty = sorted(s for s in SECTORS if support.get(s, 0) == 0 and s != sector)
    assume(empty)
    lone = {**support, sector: 1}
    moved = {**lone, sector: 0, empty[0]: 1}

    before, after = cross_sector_support(lone), cross_sector_support(moved)

    assert after == pytest.approx(before)


@quick
@given(spread=st.lists(st.integers(1, 100), min_size=2, max_size=len(SECTORS)), data=st.data())
def test_cross_sector_support_one_sector_ranks_below_any_spread_over_two_or_more_sectors(
    spread, data
):
    # m people over two or more sectors score at least log2(2m) (the product of (1 + n_s) is
    # smallest when all but one are in one sector: m x 2), so they beat k people of one
    # sector, log2(1 + k), whenever k < 2m - 1: even a larger crowd, up to 2m - 2 of them.
    m = sum(spread)
    k = data.draw(st.integers(1, 2 * m - 2))
    # The single sector's idea is the earlier one, so it would win any tie.
    narrow = _item({SECTORS[0]: k}, pk=1)
    broad = _item(dict(zip(SECTORS, spread, strict=False)), pk=2)

    ranked = _ranked([narrow, broad])

    assert broad[0] > narrow[0]
    assert ranked == [broad, narrow]


@quick
@given(m=st.integers(2, 1000))
def test_cross_sector_support_2m_minus_1_of_one_sector_ties_m_over_two_and_wins_on_numbers(m):
    # Where the property above stops: 2m - 1 people of one sector score log2(2m), exactly
    # what m people split m - 1 and 1 over two sectors score, log2(m) + 1. Equal scores fall
    # to the number of supporters, so the larger single-sector crowd ranks first.
    narrow = _item({"health": 2 * m - 1}, pk=2)
    broad = _item({"health": m - 1, "faith": 1}, pk=1)

    ranked = _ranked([broad, narrow])

    assert narrow[0] == pytest.approx(broad[0], abs=1e-9)
    assert ranked == [narrow, broad]


# The order


ideas = st.lists(
    # Counts of 0, 1 and 3 give whole-number terms (log2 of 1, 2 and 4), so scores tie often.
    st.dictionaries(st.sampled_from(SECTORS[:4]), st.sampled_from([0, 1, 3]), max_size=4),
    max_size=12,
)


@quick
@given(backing=ideas, seed=st.randoms(use_true_random=False))
def test_support_order_same_list_whatever_the_input_order(backing, seed):
    items = [_item(support, pk) for pk, support in enumerate(backing, start=1)]
    shuffled = items[:]
    seed.shuffle(shuffled)

    assert _ranked(shuffled) == _ranked(items)


@quick
@given(backing=ideas, seed=st.randoms(use_true_random=False))
def test_support_order_ties_fall_to_more_supporters_then_lower_pk(backing, seed):
    items = [_item(support, pk) for pk, support in enumerate(backing, start=1)]
    seed.shuffle(items)

    ranked = _ranked(items)

    for (score_a, people_a, pk_a), (score_b, people_b, pk_b) in itertools.pairwise(ranked):
        if math.isclose(score_a, score_b, abs_tol=1e-9):
            assert (people_a, -pk_a) > (people_b, -pk_b)
        else:
            assert score_a > score_b


def test_support_order_worked_example_of_ties():
    # Three people of one sector (log2 4 = 2) tie one in each of two sectors (1 + 1 = 2):
    # the three come first, being more; the two pairs tie on both and go by pk.
    first_pair = _item({"health": 1, "faith": 1}, pk=2)
    second_pair = _item({"business": 1, "voluntary": 1}, pk=3)
    three = _item({"health": 3}, pk=4)
    one = _item({"health": 1}, pk=1)

    ranked = _ranked([one, second_pair, three, first_pair])

    assert ranked == [three, first_pair, second_pair, one]


def test_support_order_scores_apart_only_in_the_last_bit_count_as_a_tie():
    # The same logs summed in another order can differ in the last bit; that must not
    # decide the order over the number of supporters.
    earlier_but_fewer = (math.nextafter(2.0, 3.0), 9, 1)
    later_but_more = (2.0, 10, 2)

    ranked = _ranked([earlier_but_fewer, later_but_more])

    assert ranked == [later_but_more, earlier_but_fewer]


# Gini index: worked examples


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        # Sorted x_1..x_n, G = 2 sum(i x_i) / (n sum x) - (n + 1) / n.
        # [0, 0, 0, 4]: 2 x (4 x 4) / (4 x 4) - 5/4 = 2 - 1.25 = 0.75 (one did everything).
        ([0, 0, 0, 4], 0.75),
        # [4, 0, 0, 0] is the same people in another order.
        ([4, 0, 0, 0], 0.75),
        # Everyone the same: 2 x 10 / 16 - 5/4 = 0.
        ([1, 1, 1, 1], 0.0),
        # [1, 2, 3, 4]: 2 x 30 / 40 - 5/4 = 0.25; by mean difference, 20 / (2 x 16 x 2.5).
        ([1, 2, 3, 4], 0.25),
        # [3, 2, 2, 0]: sorted 0, 2, 2, 3: 2 x 22 / 28 - 5/4 = 9/28 = 0.321429.
        ([3, 2, 2, 0], 9 / 28),
        # One person who said anything at all: perfectly even.
        ([5], 0.0),
        # Two people, one silent: 2 x 2 / 2 - 3/2 = 0.5, the most two people can reach.
        ([0, 1], 0.5),
    ],
)
def test_gini_worked_example_matches_hand_calculation(counts, expected):
    assert gini(counts) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("counts", [[], [0], [0, 0, 0]])
def test_gini_no_contributions_is_none(counts):
    assert gini(counts) is None


def test_gini_takes_any_iterable_once():
    assert gini(n for n in [0, 0, 0, 4]) == pytest.approx(0.75)


# Gini index: properties

contribution_counts = st.lists(st.integers(0, 1000), min_size=1, max_size=60)


@quick
@given(count=st.integers(1, 1000), people=st.integers(1, 60))
def test_gini_equal_counts_is_zero(count, people):
    assert gini([count] * people) == pytest.approx(0.0, abs=1e-12)


@quick
@given(people=st.integers(0, 60))
def test_gini_nobody_contributed_is_none(people):
    assert gini([0] * people) is None


@quick
@given(counts=contribution_counts)
def test_gini_always_at_least_zero_and_below_one(counts):
    assume(sum(counts) > 0)

    index = gini(counts)

    assert 0.0 <= index < 1.0
    # One person doing everything is the most uneven: (n - 1) / n.
    assert index <= (len(counts) - 1) / len(counts) + 1e-12


@quick
@given(counts=contribution_counts, seed=st.randoms(use_true_random=False))
def test_gini_same_whatever_the_order_of_people(counts, seed):
    assume(sum(counts) > 0)
    shuffled = counts[:]
    seed.shuffle(shuffled)

    assert gini(shuffled) == pytest.approx(gini(counts), abs=1e-12)


@quick
@given(counts=st.lists(st.integers(0, 1000), min_size=2, max_size=60), data=st.data())
def test_gini_contribution_moved_from_fewer_to_more_raises_it(counts, data):
    # A Pigou-Dalton transfer reversed: taking one contribution from someone to give it to
    # someone with as many or more makes the spread strictly less even.
    givers = [i for i, n in enumerate(counts) if n >= 1]
    assume(givers)
    giver = data.draw(st.sampled_from(givers))
    takers = [j for j, n in enumerate(counts) if j != giver and n >= counts[giver]]
    assume(takers)
    taker = data.draw(st.sampled_from(takers))
    moved = counts[:]
    moved[giver] -= 1
    moved[taker] += 1

    before, after = gini(counts), gini(moved)

    assert after > before


# Small sectors: none of fewer than five people shown on its own

OTHER = str(OTHER_SECTORS)


def test_small_cell_is_five_and_says_so():
    assert SMALLEST_CELL == 5
    assert OTHER == "Other sectors together (no sector of fewer than 5 people is shown alone)"
    assert str(FEWER_THAN_SMALLEST) == "fewer than 5"


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        # Four of one sector beside six of another: the four cannot be shown alone, nor the
        # six, or the total of ten would give the four away.
        ([("Health", 6), ("Faith", 4)], [(OTHER, 10)]),
        # With five, they are.
        ([("Health", 6), ("Faith", 5)], [("Health", 6), ("Faith", 5)]),
        # Small sectors five or more together: counted together, none named.
        ([("Health", 6), ("Faith", 4), ("Business", 1)], [("Health", 6), (OTHER, 5)]),
        # Together fewer than five: the smallest sector shown joins them, and the next
        # smallest after that, until the row counts five.
        (
            [("Faith", 2), ("Health", 7), ("Business", 2), ("Schools", 6)],
            [("Health", 7), (OTHER, 10)],
        ),
        (
            [("Faith", 1), ("Health", 5), ("Business", 8), ("Schools", 5)],
            [("Health", 5), ("Business", 8), (OTHER, 6)],
        ),
        # A sector with nobody in it is among the small ones; subtracting gives nobody away.
        ([("Health", 5), ("Faith", 0)], [("Health", 5), (OTHER, None)]),
        (
            [("Health", 5), ("Faith", 0), ("Business", 5)],
            [("Health", 5), ("Business", 5), (OTHER, None)],
        ),
        # Everyone together fewer than five: one row, its count withheld.
        ([("Faith", 3)], [(OTHER, None)]),
        ([("Faith", 3), ("Health", 1)], [(OTHER, None)]),
        ([], []),
    ],
)
def test_people_by_sector_examples(counts, expected):
    assert people_by_sector(counts) == [SectorCell(label, n) for label, n in expected]


def test_people_by_sector_cell_gives_its_figure_or_says_fewer_than_five():
    shown, withheld = people_by_sector([("Health", 6), ("Faith", 0)])

    assert (shown.figure, str(shown)) == (6, "Health 6")
    assert (withheld.figure, str(withheld)) == ("fewer than 5", f"{OTHER} fewer than 5")
    assert withheld.withheld
    assert not shown.withheld
    label, count = shown  # unpacks as a pair, as a template's loop does
    assert (label, count) == ("Health", 6)


def test_small_sectors_combined_tells_the_combined_row_whether_it_is_withheld():
    calls = []

    def combine(small, withheld):
        calls.append(([label for label, _ in small], withheld))
        return ("combined", sum(n for _, n in small))

    rows = [("a", 9), ("b", 3), ("c", 5), ("d", 1)]

    assert small_sectors_combined(rows, lambda row: row[1], combine) == [
        ("a", 9),
        ("combined", 9),
    ]
    assert calls == [(["b", "d", "c"], False)]
    calls.clear()

    assert small_sectors_combined([("b", 3), ("d", 1)], lambda row: row[1], combine) == [
        ("combined", 4)
    ]
    assert calls == [(["b", "d"], True)]


people_counts = st.lists(
    st.tuples(st.sampled_from(SECTORS), st.integers(0, 40)),
    max_size=len(SECTORS),
    unique_by=lambda p: p[0],
)


@quick
@given(counts=people_counts)
def test_people_by_sector_never_shows_fewer_than_five(counts):
    shown = people_by_sector(counts)

    named = [cell for cell in shown if cell.label != OTHER]
    assert all(cell.count >= SMALLEST_CELL for cell in named)
    # The sectors shown are big enough, in their order, and the rest are combined last.
    assert named == [SectorCell(label, n) for label, n in counts if SectorCell(label, n) in named]
    assert all(n >= SMALLEST_CELL for label, n in counts if SectorCell(label, n) in named)
    total = sum(n for _, n in counts)
    if all(n >= SMALLEST_CELL for _, n in counts):
        assert len(shown) == len(named) == len(counts)
    else:
        assert shown[-1].label == OTHER
        rest = total - sum(cell.count for cell in named)
        # Nothing is given away by subtracting the rows shown from the total: the combined
        # row counts five or more, or nobody, or it is everyone and its count is withheld.
        assert shown[-1].count == (rest if rest >= SMALLEST_CELL else None)
        assert rest >= SMALLEST_CELL or rest == 0 or not named
    assert all(cell.count is None or cell.count >= SMALLEST_CELL for cell in shown)
