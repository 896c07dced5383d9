#!/usr/bin/env python3
"""Set up and run Summit on a machine with nothing but Python 3.12 or newer.

    python3 dev.py start   # virtual environment, install, migrate, load the Place Summit, serve
    python3 dev.py test    # the same set-up, then the fast tests and the browser tests
    python3 dev.py translations  # the Welsh catalogues brought up to date with the code, and
                                 # compiled (needs GNU gettext's xgettext and msgmerge)

Only the standard library is used here: this script is what makes the rest installable.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

if sys.version_info < (3, 12):  # noqa: UP036  (the point: a clear message on old Pythons)
    sys.exit(
        f"Summit needs Python 3.12 or newer; this is {sys.version.split()[0]}. "
        "Run this script with a newer python3."
    )

import tomllib

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
HOST = os.environ.get("HOST", "127.0.0.1")
PORT = os.environ.get("PORT", "8000")


def say(message: str) -> None:
    print(f"\n==> {message}", flush=True)


def run(*args: str | Path, env: dict | None = None) -> None:
    result = subprocess.run([str(a) for a in args], cwd=ROOT, env=env, check=False)  # noqa: S603
    if result.returncode != 0:
        sys.exit(result.returncode)


def requirements(extras: tuple[str, ...]) -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = list(project["dependencies"])
    for extra in extras:
        wanted += project["optional-dependencies"][extra]
    return wanted


def ensure_environment(extras: tuple[str, ...] = ()) -> None:
    """Create .venv and install what pyproject.toml asks for, unless it is already there."""
    if not PYTHON.exists():
        say(f"Creating a virtual environment in {VENV.name}/")
        venv.create(VENV, with_pip=True)
    wanted = requirements(extras)
    stamp = VENV / ".summit-requirements"
    digest = hashlib.sha256("\n".join(wanted).encode()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    say("Installing dependencies")
    run(PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *wanted)
    stamp.write_text(digest)


def manage(*args: str) -> None:
    run(PYTHON, "manage.py", *args)


def start() -> None:
    ensure_environment()
    say("Preparing the database")
    manage("migrate", "--no-input", "-v", "0")
    manage("setup_demo", "--url", f"http://{HOST}:{PORT}")
    # One worker: the embedded database and channel layer belong to one process.
    os.execv(  # noqa: S606
        PYTHON,
        [str(PYTHON), "manage.py", "serve", "--host", HOST, "--port", PORT, "--workers", "1"],
    )


def ensure_browser() -> None:
    """The browser tests drive Chromium: the system's, or else Playwright's own download."""
    if os.environ.get("SUMMIT_CHROMIUM") or shutil.which("chromium"):
        return
    say("No Chromium on this machine: asking Playwright to download one")
    result = subprocess.run(  # noqa: S603
        [str(PYTHON), "-m", "playwright", "install", "chromium"], cwd=ROOT, check=False
    )
    if result.returncode != 0:
        sys.exit(
            "The browser tests need Chromium. Install it (Debian/Ubuntu: apt-get install chromium)"
            " or set SUMMIT_CHROMIUM to a Chromium executable, then run this again."
        )


# A worker that runs out of tests takes some of another's, so one long test at the end does
# not leave a core idle.
STEAL = ("--dist", "worksteal")


def test(pytest_args: list[str]) -> None:
    ensure_environment(("test",))
    ensure_browser()
    pytest = [PYTHON, "-m", "pytest"]
    if pytest_args:
        run(*pytest, *pytest_args)
        return
    # Two runs: the browser tests keep an event loop in the test thread that the async
    # WebSocket tests cannot share.
    # The fast tests in parallel, one worker a core (up to four); each has its own database.
    workers = str(min(4, os.cpu_count() or 1))
    say(f"Fast tests (no browser), {workers} at a time")
    fast = subprocess.run(  # noqa: S603
        [str(a) for a in (*pytest, "-m", "not e2e and not faults", "-n", workers, *STEAL)],
        cwd=ROOT,
        check=False,
    )
    # Two browsers at a time at most: each test also runs its own server, and more would
    # starve the pages being measured for timing-sensitive live updates.
    browsers = str(min(2, os.cpu_count() or 1))
    say(f"Browser tests (Chromium), {browsers} at a time")
    browser = subprocess.run(  # noqa: S603
        [str(a) for a in (*pytest, "-m", "e2e and not faults", "-n", browsers, *STEAL)],
        cwd=ROOT,
        check=False,
    )
    if fast.returncode or browser.returncode:
        print("\nSome tests failed (see above).", flush=True)
        sys.exit(1)


# What is never scanned for text to translate.
NOT_SCANNED = (".venv", "bench", "tests", "staticfiles", "test-results", "locale")
# The compiled catalogues are made in Python (polib), so a machine without GNU gettext can
# still build them from the .po files; tests/test_catalogue.py holds the two to each other.
COMPILE = """
import sys
from pathlib import Path
import polib
for po in Path("locale").glob("*/LC_MESSAGES/*.po"):
    polib.pofile(str(po), wrapwidth=99).save_as_mofile(str(po.with_suffix(".mo")))
    print("compiled", po)
"""


def translations() -> None:
    ensure_environment(("test",))
    ignore = [arg for name in NOT_SCANNED for arg in ("-i", name)]
    for domain in ("django", "djangojs"):
        manage("makemessages", "-l", "cy", "-d", domain, "--no-obsolete", "--no-wrap", *ignore)
    run(PYTHON, "-c", COMPILE)


def main() -> None:
    command = sys.argv[1] if len(sys.argv) > 1 else "help"
    if command == "start":
        start()
    elif command == "test":
        test(sys.argv[2:])
    elif command == "translations":
        translations()
    else:
        print(__doc__)
        sys.exit(0 if command in {"help", "-h", "--help"} else 2)


if __name__ == "__main__":
    main()
