from __future__ import annotations

from django.core.management.base import BaseCommand
from django.urls import reverse

from accounts.models import Participant
from breakouts.demo import DEMO_PASSWORD, setup_demo
from plenary.services import plenary_for
from summit.organise.design_file import load_place_summit


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
            self.stdout.write(self._how_to_sign_in(summit, breakouts, plenary, url.rstrip("/")))

    def _how_to_sign_in(self, summit, breakouts, plenary, url: str) -> str:
        organiser = (
            summit.participants.filter(role=Participant.Role.ORGANISER, user__is_demo=True)
            .select_related("user")
            .first()
        )
        lines = [
            "",
            f"Summit is running at {url}/",
            f"  Organiser:   sign in at {url}/accounts/login/ as {organiser.user.email}",
            f"               with the password {DEMO_PASSWORD} (people, invites, join code)",
            f"  Attendee:    join at {url}/j/{summit.join_code}/ or type the code "
            f"{summit.join_code} at {url}/",
            "               Attendees are placed in a breakout by sector: your summit page",
            "               names yours and its facilitator. Sign in as that facilitator (below)",
            "               in a private window to watch your ideas arrive on the console.",
            f"  Plenary:     console {url}{reverse('plenary:console', args=[summit.slug])}",
            "               (any facilitator), big screen "
            f"{url}{reverse('plenary:screen', args=[plenary.screen_key])}",
            f"  Breakouts:   each facilitator signs in at {url}/accounts/login/ with the same",
            "               password; big screens need no sign-in (each link is the key)",
        ]
        for breakout in breakouts:
            lines += self._breakout_lines(breakout, url)
        lines += [
            f"Or enter as any demo person without a password at {url}/demo/",
            "Use a private window for a second person to watch ideas arrive live.",
            "Stop the server with Ctrl+C.",
            "",
        ]
        return "\n".join(lines)

    def _breakout_lines(self, breakout, url: str) -> list[str]:
        """A breakout's facilitator, its console and big screen, and the demo attendees in it."""
        facilitator = (
            breakout.facilitators.filter(user__is_demo=True).select_related("user").first()
        )
        attendees = breakout.members.filter(user__is_demo=True).order_by("display_name")
        names = ", ".join(a.display_name for a in attendees) or "none"
        who = f"{facilitator.user.email} ({facilitator.display_name})" if facilitator else "none"
        console = reverse("breakouts:console", args=[breakout.pk])
        screen = reverse("breakouts:screen", args=[breakout.screen_key])
        return [
            f"    {breakout.name}",
            f"      facilitator {who}",
            f"      console     {url}{console}",
            f"      big screen  {url}{screen}",
            f"      demo attendees: {names}",
        ]
