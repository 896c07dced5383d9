"""The measures by sector: how broadly an idea or outcome is supported, how evenly a group's
contributions are spread (docs/cross-sector-support.md gives the reasons for each choice), and
the rule every view of people by sector keeps, that no sector of fewer than ``SMALLEST_CELL``
people is shown on its own. Pure functions."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from typing import NamedTuple

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

# Any view of people by sector (people counted per sector, ratings or support split by sector,
# voice balance by sector) shows a sector on its own only if it counts at least this many of
# the people the view is about: fewer, and someone who knows who is in a small sector could
# pick out what they did.
SMALLEST_CELL = 5
OTHER_SECTORS = format_lazy(
    _("Other sectors together (no sector of fewer than {n} people is shown alone)"), n=SMALLEST_CELL
)
FEWER_THAN_SMALLEST = format_lazy(_("fewer than {n}"), n=SMALLEST_CELL)


def small_sectors_combined[Row](
    rows: Iterable[Row],
    people: Callable[[Row], int],
    combine: Callable[[list[Row], bool], Row],
    *,
    anyone: Callable[[Row], bool] | None = None,
) -> list[Row]:
    """``rows``, one a sector, as every view of people by sector shows them.

    A row whose sector counts fewer than ``SMALLEST_CELL`` people (``people(row)``: those
    present, those who rated, those who supported) is not shown on its own. The rows under
    that size, if any, become one last row, ``combine(small, withheld)``, named
    ``OTHER_SECTORS``. The other rows keep their order.

    A view's totals count everyone, so a combined row of fewer than ``SMALLEST_CELL`` people
    could be worked out by subtracting the rows shown from the total. Until the combined row
    counts at least ``SMALLEST_CELL`` people, the smallest sector shown joins it (a row of
    nobody gives nobody away, and is left alone; ``anyone(row)`` says whether a row has
    anyone in it, when a view's rows count people in more than one way). ``withheld`` is
    true when the row still counts fewer (it is everyone, or nobody): it then gives no count
    of people and is shown as ``FEWER_THAN_SMALLEST`` instead.
    Figures that count something else (ideas, comments, votes) may still be given.
    """
    shown: list[Row] = []
    small: list[Row] = []
    for row in rows:
        (shown if people(row) >= SMALLEST_CELL else small).append(row)
    if not small:
        return shown
    combined = sum(people(row) for row in small)
    anyone = anyone or (lambda row: people(row) > 0)
    while shown and combined < SMALLEST_CELL and any(anyone(row) for row in small):
        # The smallest, and of those the last, so the most prominent rows stay.
        smallest = min(range(len(shown)), key=lambda i: (people(shown[i]), -i))
        joining = shown.pop(smallest)
        small.append(joining)
        combined += people(joining)
    shown.append(combine(small, combined < SMALLEST_CELL))
    return shown


class SectorCell(NamedTuple):
    """A sector and how many people: the count is ``None`` where it is withheld."""

    label: str
    count: int | None

    @property
    def withheld(self) -> bool:
        return self.count is None

    @property
    def figure(self) -> int | str:
        """The count, or what is said instead of it: "fewer than 5"."""
        return withheld_or(self.count)

    def __str__(self) -> str:
        return f"{self.label} {self.figure}"


def people_by_sector(counts: Iterable[tuple[str, int]]) -> list[SectorCell]:
    """Counts of people by sector (each sector's name and how many, in the order to show
    them), as ``small_sectors_combined`` shows them."""
    return small_sectors_combined(
        (SectorCell(label, count) for label, count in counts),
        lambda cell: cell.count,
        lambda small, withheld: SectorCell(
            str(OTHER_SECTORS), None if withheld else sum(cell.count for cell in small)
        ),
    )


def withheld_or(count: int | None) -> int | str:
    """A count of people as a table gives it: the count, or "fewer than 5" where withheld."""
    return str(FEWER_THAN_SMALLEST) if count is None else count


def cross_sector_support(supporters_by_sector: Mapping[str, int]) -> float:
    """The cross-sector support score: the sum over sectors of log2(1 + supporters).

    The first supporter from a sector adds 1; each further one from the same sector adds
    less (the second 0.58, the tenth 0.14), so backing spread across sectors outweighs the
    same backing from one sector, and more of it: m people over two or more sectors outrank
    up to 2m - 2 people of one sector. Ten people of one sector score 3.46; two people in
    each of four sectors, 6.34.
    """
    return sum(math.log2(1 + n) for n in supporters_by_sector.values() if n > 0)


def support_order(score: float, supporters: int, pk: int) -> tuple:
    """Sort key, best first: the score, then more supporters, then the earlier item."""
    return (-round(score, 9), -supporters, pk)


def gini(counts: Iterable[int]) -> float | None:
    """How unevenly contributions are spread over people: 0 when everyone contributed the
    same, approaching 1 when one person did everything. ``None`` with no contributions."""
    values = sorted(counts)
    n = len(values)
    total = sum(values)
    if n == 0 or total == 0:
        return None
    weighted = sum(rank * value for rank, value in enumerate(values, start=1))
    return (2 * weighted) / (n * total) - (n + 1) / n
