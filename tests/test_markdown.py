"""The organiser's Markdown, shown on the summit's pages: what it may say, and what never gets
through to a page however it is written."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.template import Context, Template
from django.urls import reverse

from summit.event.models import Material
from summit.web.markdown import render_markdown
from tests.conftest import client_for

ALLOWED = {
    "p", "h2", "h3", "h4", "ul", "ol", "li", "a", "em", "strong", "code", "pre", "blockquote",
    "br", "hr",
}  # fmt: skip


class _Elements(HTMLParser):
    """Every element a browser would build from the HTML, with its attributes."""

    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, dict]] = []
        self.comments: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))

    def handle_comment(self, data):
        self.comments.append(data)


def _elements(html: str) -> _Elements:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser


def _assert_harmless(html: str) -> None:
    parsed = _elements(html)
    assert not parsed.comments
    for tag, attributes in parsed.found:
        assert tag in ALLOWED, tag
        assert set(attributes) <= {"href", "rel", "start"}, (tag, attributes)
        if "href" in attributes:
            assert attributes["href"].split(":", 1)[0] in {"http", "https", "mailto"}
            assert attributes["rel"] == "noopener noreferrer"


def test_markdown_headings_start_below_the_pages_own_title():
    html = render_markdown("# Travel\n\n## By train\n\n### From the north\n\n#### Platform")

    assert "<h2>Travel</h2>" in html
    assert "<h3>By train</h3>" in html
    assert "<h4>From the north</h4>" in html
    assert "<h4>Platform</h4>" in html
    assert "<h1" not in html


def test_markdown_headings_skip_no_level_the_text_does_not_use():
    html = render_markdown("## Travel\n\n#### By train\n\n## Food")

    assert "<h2>Travel</h2>" in html
    assert "<h3>By train</h3>" in html
    assert "<h2>Food</h2>" in html


def test_markdown_headings_under_a_section_title_start_at_h3():
    html = render_markdown("# Background\n\n## Detail", 3)

    assert "<h3>Background</h3>" in html
    assert "<h4>Detail</h4>" in html
    assert "<h2" not in html


def test_markdown_lists_links_and_emphasis_render():
    html = render_markdown(
        "Read *this* and **that**, with `code`.\n\n"
        "- one\n- two\n\n"
        "3. three\n4. four\n\n"
        "> quoted\n\n"
        "[The Commission](https://example.org/place) or [write](mailto:team@example.org)"
    )

    assert "<em>this</em>" in html
    assert "<strong>that</strong>" in html
    assert "<code>code</code>" in html
    assert "<ul>\n<li>one</li>\n<li>two</li>\n</ul>" in html
    assert '<ol start="3">' in html
    assert "<blockquote>" in html
    link = '<a href="https://example.org/place" rel="noopener noreferrer">The Commission</a>'
    assert link in html
    assert '<a href="mailto:team@example.org" rel="noopener noreferrer">write</a>' in html
    _assert_harmless(html)


def test_markdown_empty_text_renders_nothing():
    assert render_markdown("") == ""
    assert render_markdown("  \n\n ") == ""


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "Hello <script>alert(1)</script> there",
        '<img src="x" onerror="alert(1)">',
        '<div onclick="alert(1)">\n\n*still Markdown*\n\n</div>',
        '<p style="color:red" class="x">styled</p>',
        "<iframe src=https://example.org></iframe>",
        "<!-- a comment --><style>body{display:none}</style>",
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](  javascript&#58;alert(1))",
        "<javascript:alert(1)>",
        "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "![pic](data:image/png;base64,AAAA)",
        "![pic](https://tracker.example.org/pixel.png)",
        "[relative](/admin/) and [vb](vbscript:msgbox)",
        '[titled](https://example.org "a title")',
        "```html\n<script>alert(1)</script>\n```",
    ],
)
def test_markdown_raw_html_and_unsafe_links_are_made_harmless(source):
    html = render_markdown(source)

    _assert_harmless(html)
    assert "tracker.example.org" not in html


def test_markdown_raw_html_is_shown_as_text_not_markup():
    html = render_markdown("<b>bold?</b> <script>alert(1)</script>")

    assert "&lt;b&gt;bold?&lt;/b&gt;" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_markdown_an_image_is_shown_as_its_description():
    html = render_markdown("![A map of the region](https://example.org/map.png)")

    assert html == "<p>A map of the region</p>\n"


def test_markdown_huge_input_renders_whole():
    paragraph = (
        "Place-based *governance* needs **common foundations**, a [shared case]"
        "(https://example.org/case) and `plain` words.\n\n- one point\n- another point\n\n"
    )
    source = paragraph * (100_000 // len(paragraph) + 1)
    assert len(source) >= 100_000

    # How long it takes is measured in bench/design.py, not here.
    html = render_markdown(source)

    assert html.count("<strong>common foundations</strong>") == source.count("**common")
    _assert_harmless(html)


def test_markdown_huge_run_of_markup_characters_renders_harmless():
    source = "<" * 50_000 + "*_" * 25_000

    html = render_markdown(source)

    _assert_harmless(html)


def test_markdown_filter_renders_in_any_template():
    template = Template("{% load summit_markdown %}{{ text|markdown }}|{{ text|markdown:3 }}")

    html = template.render(Context({"text": "# Hi <i>there</i>"}))

    assert html == "<h2>Hi &lt;i&gt;there&lt;/i&gt;</h2>\n|<h3>Hi &lt;i&gt;there&lt;/i&gt;</h3>\n"


def test_markdown_filter_of_nothing_renders_nothing():
    assert Template("{% load summit_markdown %}{{ text|markdown }}").render(Context({})) == ""


def test_pre_reading_renders_a_sections_markdown(summit, attendee):
    Material.objects.create(
        summit=summit,
        order=50,
        kind=Material.Kind.SECTION,
        title="How to get there",
        body="## By train\n\nTake the **fast** train.\n\n<script>alert(1)</script>",
    )
    Material.objects.create(
        summit=summit,
        order=51,
        kind=Material.Kind.LINK,
        title="Timetable",
        url="https://example.org/timetable",
        body="Check *before* you travel.",
    )

    html = client_for(attendee).get(reverse("pre_reading", args=[summit.slug])).content.decode()

    assert "<h3>By train</h3>" in html
    assert "Take the <strong>fast</strong> train." in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    assert "Check <em>before</em> you travel." in html


def test_pre_reading_place_summit_sections_still_render_their_lists(summit, attendee):
    html = client_for(attendee).get(reverse("pre_reading", args=[summit.slug])).content.decode()

    obstacles = html[html.index("Obstacles to place</h2>") :]
    obstacles = obstacles[: obstacles.index("</section>")]
    assert obstacles.count("<li>") == 6
    assert "<li>the Treasury's control over finances" in obstacles
    assert html.count('<section id="section-') == 7
    areas = html[html.index("Some areas to be addressed</h2>") :]
    assert areas[: areas.index("</section>")].count("<li>") == 12


def test_summit_home_shows_the_welcome_when_set(summit, attendee):
    summit.welcome = "# Welcome\n\nWe start at **9:30**. <img src=x onerror=alert(1)>"
    summit.save(update_fields=["welcome"])

    html = client_for(attendee).get(reverse("summit_home", args=[summit.slug])).content.decode()

    assert "<h2>Welcome</h2>" in html
    assert "We start at <strong>9:30</strong>." in html
    assert "<img" not in html


def test_summit_home_without_a_welcome_shows_no_welcome(summit, attendee):
    html = client_for(attendee).get(reverse("summit_home", args=[summit.slug])).content.decode()

    assert 'class="prose welcome"' not in html
