"""The parts of a summit are ordered by their parent's id, not by the parent's own ordering:
ordering by the parent itself made every default-ordered query join the parent's table (and
its parent's), which a new idea's card paid for on each post."""

from __future__ import annotations

import pytest

from breakouts.models import Cluster, Outcome
from plenary.models import Answer, Poll, PollOption, Response
from summit.event.models import AgendaItem, Assumption, Material, Obstacle, Prompt, Subtheme


@pytest.mark.parametrize(
    "model",
    [
        Cluster,
        Outcome,
        Poll,
        PollOption,
        Response,
        Answer,
        Subtheme,
        Prompt,
        Assumption,
        Obstacle,
        AgendaItem,
        Material,
    ],
)
def test_default_order_of_a_part_reads_its_own_table_alone(model):
    sql = str(model.objects.filter(pk=1).query)

    assert " JOIN " not in sql
    assert " ORDER BY " in sql
