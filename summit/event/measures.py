"""Two measures that count people by sector: how broadly an idea or outcome is supported,
and how evenly a group's contributions are spread. Pure functions; docs/cross-sector-support.md
gives the reasons for each choice."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping


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
