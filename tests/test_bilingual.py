"""The organiser's words in each reader's language, the other language in its place where
one is missing, marked with ``lang``; people's own words as written."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation

from summit.event.bilingual import shown, text_in, versions

pytestmark = pytest.mark.django_db

PAGE = Template(
    '{% load bilingual %}<h1>{% shown summit "title" %}</h1>'
    '<p>{% shown summit "central_question" %}</p>'
    '{% shown_markdown summit "welcome" 2 %}<title>{{ summit|text_in:"title" }}</title>'
)


def _page(summit, language: str) -> str:
    with translation.override(language):
        return PAGE.render(Context({"summit": summit}))


def test_each_reader_gets_their_language_and_the_other_marked_in_its_place(summit):
    summit.title_cy = "Uwchgynhadledd Lle"
    summit.central_question_cy = summit.welcome_cy = ""
    summit.welcome = "# Welcome\n\nRead this first."
    summit.save()
    welsh = _page(summit, "cy")
    assert "<h1>Uwchgynhadledd Lle</h1>" in welsh
    # No Welsh question yet: the English one, marked as English.
    assert f'<p><span lang="en-gb">{summit.central_question}</span></p>' in welsh
    assert '<div lang="en-gb"><h2>Welcome</h2>' in welsh
    assert "<title>Uwchgynhadledd Lle</title>" in welsh
    english = _page(summit, "en-gb")
    assert f"<h1>{summit.title}</h1>" in english
    assert 'lang="' not in english


def test_an_english_reader_gets_the_welsh_where_only_welsh_was_written(summit):
    summit.summary, summit.summary_cy = "", "Crynodeb yn Gymraeg"
    with translation.override("en-gb"):
        assert shown(summit, "summary").language == "cy"
        assert shown(summit, "summary").other
    assert shown(summit, "summary", "cy").other is False
    assert text_in(summit, "summary", "en-gb") == "Crynodeb yn Gymraeg"
    assert versions(summit, "summary") == {"en-gb": "", "cy": "Crynodeb yn Gymraeg"}


def test_nothing_written_in_either_language_is_nothing_and_unmarked(summit):
    summit.summary = summit.summary_cy = ""
    assert shown(summit, "summary", "cy").text == ""
    assert shown(summit, "summary", "cy").other is False


def test_sector_names_are_shown_in_the_language_they_are_drawn_in(summit):
    from summit.event.sectors import ensure_sectors, sector_names

    names = sector_names(summit)  # read once, put into words where shown
    with translation.override("cy"):
        assert str(names["local_government"]) == "Llywodraeth leol"
    with translation.override("en-gb"):
        assert str(names["local_government"]) == "Local government"
    # An organiser's own sector with no Welsh name shows its English in Welsh.
    rows = ensure_sectors(summit)
    rows[0].name, rows[0].name_cy = "Town and parish councils", ""
    rows[0].save()
    with translation.override("cy"):
        assert str(sector_names(summit.pk)[rows[0].key]) == "Town and parish councils"
        assert str(sector_names(summit.pk)["health"]) == "Iechyd a gofal (GIG)"


def test_the_design_file_carries_sector_names_in_welsh_and_older_files_keep_the_defaults(summit):
    from summit.event.design import export_design, import_design
    from summit.event.models import Sector

    design = export_design(summit)
    assert design["sectors"][0]["name_cy"] == "Llywodraeth leol"
    # The defaults, with their Welsh or without it (a file from before), stay the defaults.
    assert not Sector.objects.filter(summit=import_design(design).summit).exists()
    older = {**design, "sectors": [dict(row) for row in design["sectors"]]}
    for row in older["sectors"]:
        del row["name_cy"]
    assert not Sector.objects.filter(summit=import_design(older).summit).exists()
    # A sector of the file's own keeps its Welsh name.
    older["sectors"][0] = {
        "key": "parish",
        "name": "Parish councils",
        "name_cy": "Cynghorau cymuned",
    }
    made = import_design(older).summit
    assert Sector.objects.get(summit=made, key="parish").name_cy == "Cynghorau cymuned"
