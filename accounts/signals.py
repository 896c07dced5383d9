"""What other apps may react to without accounts knowing them (imports run one way)."""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside the joining transaction with ``participant``: a new attendee, to be placed.
participant_joined = Signal()
