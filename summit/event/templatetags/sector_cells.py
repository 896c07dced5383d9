"""``{{ count|people }}``: a count of people in a view by sector, or "fewer than 5" where the
rule on small sectors (``summit.event.measures.small_sectors_combined``) withholds it."""

from __future__ import annotations

from django import template

from summit.event.measures import withheld_or

register = template.Library()


@register.filter(name="people")
def people(count: int | None) -> int | str:
    return withheld_or(count)
