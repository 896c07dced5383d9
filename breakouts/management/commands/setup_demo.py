from __future__ import annotations

from django.core.management.base import BaseCommand

from accounts.models import Participant
from breakouts.demo import setup_demo
from summit.services import load_place_summit


class Command(BaseCommand):
    help = "Load the Place Summit with a breakout per subtheme and demo people for each role."

    def add_arguments(self, parser):
        parser.add_argument("--url", help="Where the app is served, to print how to sign in.")

    def handle(self, *args, url: str | None, **options):
        summit, writes = load_place_summit()
        breakouts = setup_demo(summit)
        self.stdout.write(
            f"{summit.title} ready: {writes} rows of the summit created or changed, "
            f"{len(breakouts)} breakouts, join code {summit.join_code}."
        )
        if url:
            self.stdout.write(self._how_to_sign_in(summit, breakouts[0], url.rstrip("/")))

    def _how_to_sign_in(self, summit, breakout, url: str) -> str:
        organiser = summit.participants.filter(role=Participant.Role.ORGANISER, user__is_demo=True)
        lines = [
            "",
            f"Summit is running at {url}/",
            f"Sign in as any role from the demo page, {url}/demo/ (no password needed):",
            f"  Organiser:   {organiser.first().display_name} (every breakout and its console)",
            f"  Facilitator: {breakout.facilitators.first().display_name} "
            f"(console: {url}/breakouts/{breakout.pk}/console/)",
            f"  Attendee:    {breakout.members.order_by('display_name').first().display_name} "
            f"(breakout: {url}/breakouts/{breakout.pk}/)",
            "Use a private window for a second person to watch ideas arrive live.",
            "Stop the server with Ctrl+C.",
            "",
        ]
        return "\n".join(lines)
