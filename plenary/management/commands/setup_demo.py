from __future__ import annotations

from django.core.management.base import BaseCommand

from accounts.models import Participant
from breakouts.demo import DEMO_PASSWORD, setup_demo
from plenary.services import plenary_for
from summit.event.services import load_place_summit


class Command(BaseCommand):
    help = (
        "Load the Place Summit with a breakout per subtheme, its plenary with polls ready to "
        "run, and demo people for each role."
    )

    def add_arguments(self, parser):
        parser.add_argument("--url", help="Where the app is served, to print how to sign in.")

    def handle(self, *args, url: str | None, **options):
        summit, writes = load_place_summit()
        breakouts = setup_demo(summit)
        plenary = plenary_for(summit)
        self.stdout.write(
            f"{summit.title} ready: {writes} rows of the summit created or changed, "
            f"{len(breakouts)} breakouts, join code {summit.join_code}."
        )
        if url:
            self.stdout.write(self._how_to_sign_in(summit, breakouts[0], plenary, url.rstrip("/")))

    def _how_to_sign_in(self, summit, breakout, plenary, url: str) -> str:
        organiser = (
            summit.participants.filter(role=Participant.Role.ORGANISER, user__is_demo=True)
            .select_related("user")
            .first()
        )
        facilitator = breakout.facilitators.select_related("user").first()
        lines = [
            "",
            f"Summit is running at {url}/",
            f"  Organiser:   sign in at {url}/accounts/login/ as {organiser.user.email}",
            f"               with the password {DEMO_PASSWORD} (people, invites, join code)",
            f"  Facilitator: sign in as {facilitator.user.email}, same password",
            f"               (breakout console: {url}/breakouts/{breakout.pk}/console/,",
            f"               plenary console: {url}/s/{summit.slug}/plenary/console/)",
            f"  Big screens: plenary {url}/plenary/screen/{plenary.screen_key}/",
            f"               breakout {url}/breakouts/screen/{breakout.screen_key}/",
            "               (no sign-in: each link is the key)",
            f"  Attendee:    join at {url}/j/{summit.join_code}/ or type the code "
            f"{summit.join_code} at {url}/",
            f"Or enter as any demo person without a password at {url}/demo/",
            "Use a private window for a second person to watch ideas arrive live.",
            "Stop the server with Ctrl+C.",
            "",
        ]
        return "\n".join(lines)
