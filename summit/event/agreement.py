"""The gradient of agreement, and the decision rules a summit can read a set of ratings by.

The stimulus document asks whether decision making at place requires consensus. Rather than
answer for the room, every outcome is rated on one gradient, and the result is shown under
each rule side by side, so the room can see where the rules would part company.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy

from summit.event.models import DEFAULT_SUPERMAJORITY


class Agreement(models.IntegerChoices):
    FULL = 5, gettext_lazy("Fully support")
    RESERVATIONS = 4, gettext_lazy("Support with reservations")
    STAND_ASIDE = 3, gettext_lazy("Stand aside")
    DISAGREE = 2, gettext_lazy("Disagree")
    BLOCK = 1, gettext_lazy("Block")


SUPPORT = frozenset({Agreement.FULL, Agreement.RESERVATIONS})

# Each rule: its key, its name, and what it asks. What the supermajority asks names the
# summit's own threshold, filled in by ``Decision.rules`` (``asks``).
RULES = (
    ("consensus", gettext_lazy("Consensus"), gettext_lazy("nobody blocks")),
    (
        "supermajority",
        gettext_lazy("Supermajority"),
        gettext_lazy("at least %(threshold)s%% of those who rated it support it"),
    ),
    (
        "majority",
        gettext_lazy("Simple majority"),
        gettext_lazy("more than half of those who rated it support it"),
    ),
)


def asks(key: str, threshold: int = DEFAULT_SUPERMAJORITY) -> str:
    """What the rule ``key`` asks, in words, at a summit whose supermajority is ``threshold``
    per cent."""
    wording = next(str(asked) for name, _, asked in RULES if name == key)
    return wording % {"threshold": threshold} if key == "supermajority" else wording


@dataclass(frozen=True)
class Decision:
    """Whether an outcome passes under each rule, from how many chose each level, at a
    summit whose supermajority asks for ``threshold`` per cent of those who rated it."""

    rated: int
    support: int
    blocks: int
    threshold: int = DEFAULT_SUPERMAJORITY

    @property
    def support_share(self) -> float:
        return self.support / self.rated if self.rated else 0.0

    @property
    def consensus(self) -> bool:
        return self.rated > 0 and self.blocks == 0

    @property
    def supermajority(self) -> bool:
        # Whole numbers, so 3 of 4 is exactly 75% with no rounding on the way.
        return self.rated > 0 and self.support * 100 >= self.rated * self.threshold

    @property
    def majority(self) -> bool:
        return self.support * 2 > self.rated

    def rules(self) -> list[tuple[str, str, bool]]:
        """(label, what it asks, passes) for each rule, in the order the summit shows them."""
        return [
            (str(label), asks(key, self.threshold), getattr(self, key)) for key, label, _ in RULES
        ]


def decide(counts: Mapping[int, int], threshold: int = DEFAULT_SUPERMAJORITY) -> Decision:
    """The decision for ``counts``: how many people chose each level of ``Agreement``, at a
    summit whose supermajority asks for ``threshold`` per cent (``Summit.supermajority``).

    Everyone who rated counts towards the whole, those who stand aside included: standing
    aside lets a proposal through consensus but is not support for it.
    """
    rated = sum(counts.values())
    support = sum(n for level, n in counts.items() if level in SUPPORT)
    return Decision(
        rated=rated,
        support=support,
        blocks=counts.get(Agreement.BLOCK, 0),
        threshold=threshold,
    )
