from __future__ import annotations

from django.apps import AppConfig


class BreakoutsConfig(AppConfig):
    name = "breakouts"

    def ready(self) -> None:
        from accounts.signals import participant_joined
        from breakouts.services import place_new_member

        def place(sender, participant, **kwargs) -> None:
            place_new_member(participant)

        participant_joined.connect(place, weak=False, dispatch_uid="breakouts.place_new_member")
