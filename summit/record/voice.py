"""Voice balance in the record, for each breakout and across them: the figures of
``breakouts.balance``, without the list of members by name.

The record is shared far beyond the room, so it counts the members who did not contribute
and never names them. As on the console, anonymous ideas and comments count for their sector
only, never for the person.
"""

from __future__ import annotations

from breakouts.balance import VoiceBalance, summit_balance, voice_balances
from summit.record.breakout_contents import SectorShare, VoiceEntry


def voice_entry(balance: VoiceBalance) -> VoiceEntry:
    evenness = balance.evenness
    return VoiceEntry(
        members=len(balance.members),
        contributors=balance.contributors,
        contributions=balance.contributions,
        evenness=None if evenness is None else round(evenness, 2),
        sectors=[
            SectorShare(s.label, s.members, s.room_share, s.contributions, s.voice_share)
            for s in balance.sectors_shown
        ],
        unheard=balance.unheard,
    )


def load_voice(
    breakout_ids: list[int], names: dict[str, str]
) -> tuple[dict[int, VoiceEntry], VoiceEntry]:
    """Each breakout's voice balance, and the balance across them all (a person in two
    breakouts counts in each), sectors named as in ``names``. Four queries, however many
    people."""
    balances = voice_balances(breakout_ids, names)
    whole = summit_balance([balances[pk] for pk in breakout_ids])
    return {pk: voice_entry(b) for pk, b in balances.items()}, voice_entry(whole)
