"""The Welsh catalogues: complete, none fuzzy, placeholders kept, Welsh plural forms, compiled
as written, holding every string the code marks; and no template text left unmarked."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

import dev
from tests.unmarked import templates, unmarked

ROOT = Path(__file__).resolve().parents[1]
MESSAGES = ROOT / "locale" / "cy" / "LC_MESSAGES"
DOMAINS = ("django", "djangojs")
# Welsh has six plural forms (CLDR): zero, one, two, few (3), many (6) and other.
WELSH_PLURALS = "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n==3 ? 3 : n==6 ? 4 : 5);"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")


def _catalogue(domain: str) -> polib.POFile:
    return polib.pofile(str(MESSAGES / f"{domain}.po"))


def _translated(entry: polib.POEntry) -> bool:
    if entry.msgid_plural:
        return all(entry.msgstr_plural.get(form) for form in range(6))
    return bool(entry.msgstr)


def _names(text: str) -> set[str]:
    return {a or b for a, b in PLACEHOLDER.findall(text)}


def _key(entry) -> tuple:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_entry_is_translated_and_none_is_fuzzy(domain):
    catalogue = _catalogue(domain)
    assert catalogue.metadata["Language"] == "cy"
    assert [e.msgid for e in catalogue if not e.obsolete and not _translated(e)] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []
    assert catalogue.obsolete_entries() == []


@pytest.mark.parametrize("domain", DOMAINS)
def test_each_translation_keeps_the_placeholders_and_no_more(domain):
    wrong = []
    for entry in _catalogue(domain):
        given = _names(entry.msgid) | _names(entry.msgid_plural or "")
        forms = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for form in filter(None, forms):
            names = _names(form)
            if not names <= given or (not entry.msgid_plural and names != given):
                wrong.append((entry.msgid, form))
    assert wrong == []


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_compiled_catalogue_is_the_one_written(domain):
    written = {_key(e): e.msgstr_plural or e.msgstr for e in _catalogue(domain) if _translated(e)}
    compiled = polib.mofile(str(MESSAGES / f"{domain}.mo"))
    assert {_key(e): e.msgstr_plural or e.msgstr for e in compiled if e.msgid} == written


def test_welsh_plurals_take_the_six_forms():
    catalogue = _catalogue("django")
    assert catalogue.metadata["Plural-Forms"] == WELSH_PLURALS
    plurals = [e for e in catalogue if e.msgid_plural]
    assert plurals
    assert all(len(e.msgstr_plural) == 6 for e in plurals)
    entry = plurals[0]
    with translation.override("cy"):
        chosen = [translation.ngettext(entry.msgid, entry.msgid_plural, n) for n in range(12)]
    forms = entry.msgstr_plural
    expected = [forms[0], forms[1], forms[2], forms[3], forms[5], forms[5], forms[4]]
    assert chosen[:7] == expected
    assert chosen[7:] == [forms[5]] * 5


def test_no_template_text_is_left_unmarked():
    found = {
        str(path.relative_to(ROOT)): texts for path in templates() if (texts := unmarked(path))
    }
    assert found == {}


@pytest.mark.skipif(
    not (shutil.which("xgettext") and shutil.which("msgmerge")),
    reason="Reading the code for marked strings needs GNU gettext (CI installs it).",
)
@pytest.mark.parametrize("domain", DOMAINS)
def test_the_catalogue_holds_every_string_the_code_marks(domain, tmp_path, monkeypatch):
    # Read where the catalogue is not: the code's folders linked into an empty one, so that
    # the catalogue written is a new one, and the one kept is left alone.
    code = tmp_path / "code"
    code.mkdir()
    for path in ROOT.iterdir():
        if path.is_dir() and path.name not in {*dev.NOT_SCANNED, "docs"} and path.name[0] != ".":
            (code / path.name).symlink_to(path, target_is_directory=True)
    monkeypatch.chdir(code)
    with override_settings(LOCALE_PATHS=[tmp_path / "out"]):
        call_command("makemessages", locale=["cy"], domain=domain, symlinks=True, verbosity=0)
    fresh = {_key(e) for e in polib.pofile(str(tmp_path / "out/cy/LC_MESSAGES" / f"{domain}.po"))}
    kept = {_key(e) for e in _catalogue(domain)}
    assert sorted(fresh - kept) == [], "marked in the code, missing: run dev.py translations"
    assert sorted(kept - fresh) == [], "in the catalogue, no longer marked"
