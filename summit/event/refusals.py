"""The one kind of refusal every app's services raise: a request the summit's rules do not
allow. Its message is written for the person who asked, and views show it to them as it is."""

from __future__ import annotations


class Refused(Exception):
    """A request the summit's rules do not allow; the message is for the person."""
