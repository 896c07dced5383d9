"""Demonstration people for trying each role: an organiser, a facilitator per breakout and a
few attendees from different sectors in each."""

from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify

from accounts.models import Participant, User
from breakouts.models import Breakout
from breakouts.services import ensure_breakouts
from summit.event.models import Summit

# Staff demo accounts also sign in with email and this password, to try the real sign-in.
DEMO_PASSWORD = "place-summit-demo"  # noqa: S105
DEMO_EMAIL_DOMAIN = "demo.summit.invalid"

ORGANISER = ("demo-organiser", "Olivia Okafor", "National Commission", "national_government")
FACILITATORS = [
    ("demo-facilitator-1", "Farah Hussain", "Good Governance Institute", "voluntary"),
    ("demo-facilitator-2", "Tom Bradley", "University of Leeds", "academia"),
    ("demo-facilitator-3", "Grace Lee", "Cumbria County Council", "local_government"),
]
ATTENDEES = [
    ("demo-attendee-1", "Aisha Rahman", "Bradford District Council", "local_government"),
    ("demo-attendee-2", "Ben Carter", "West Yorkshire Integrated Care Board", "health"),
    ("demo-attendee-3", "Chloe Evans", "", "resident"),
    ("demo-attendee-4", "David Okoro", "Church of England, Diocese of Leeds", "faith"),
    ("demo-attendee-5", "Emma Walsh", "Citizens Advice Kirklees", "voluntary"),
    (
        "demo-attendee-6",
        "Faisal Ahmed",
        "Huddersfield Business Improvement District",
        "business",
    ),
    ("demo-attendee-7", "Hannah Price", "NHS Cumbria", "health"),
    ("demo-attendee-8", "Ian Murray", "", "resident"),
    ("demo-attendee-9", "Jasmine Patel", "Leeds City Council", "local_government"),
]


def demo_email(name: str) -> str:
    return f"{slugify(name).replace('-', '.')}@{DEMO_EMAIL_DOMAIN}"


def _person(summit: Summit, spec: tuple, role: str) -> Participant:
    username, name, organisation, sector = spec
    first, _, last = name.partition(" ")
    staff = role != Participant.Role.ATTENDEE
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "is_demo": True,
            "first_name": first,
            "last_name": last,
            "email": demo_email(name) if staff else "",
        },
    )
    if created:
        if staff:
            user.set_password(DEMO_PASSWORD)
        else:
            user.set_unusable_password()
        user.save(update_fields=["password"])
    participant, _ = Participant.objects.get_or_create(
        user=user,
        summit=summit,
        defaults={
            "role": role,
            "display_name": name,
            "organisation": organisation,
            "sector": sector,
        },
    )
    return participant


@transaction.atomic
def setup_demo(summit: Summit) -> list[Breakout]:
    """Breakouts for the summit and demo people in them; running it again adds nothing."""
    breakouts = ensure_breakouts(summit)
    _person(summit, ORGANISER, Participant.Role.ORGANISER)
    for index, breakout in enumerate(breakouts):
        facilitator = FACILITATORS[index % len(FACILITATORS)]
        breakout.facilitators.add(_person(summit, facilitator, Participant.Role.FACILITATOR))
        for spec in ATTENDEES[index :: len(breakouts)]:
            breakout.members.add(_person(summit, spec, Participant.Role.ATTENDEE))
    return breakouts
