"""The campaign page's pitch: headings, paragraphs, links and numbered sources, and nothing else."""

import pytest

from campaign.pitch import pitch_summary, render_pitch

pytestmark = pytest.mark.django_db


def test_it_renders_headings_paragraphs_links_and_numbered_sources():
    html = render_pitch(
        "First **fact**.[^1]\n\n## A heading\n\n- one\n- two\n\n[^1]: The [report](https://example.org/report?a=1&b=2)."
    )

    assert html == (
        "<p>First <strong>fact</strong>.<sup><a href='#source-1' aria-label='source 1'>[1]</a></sup></p>\n"
        "<h2 class='h4'>A heading</h2>\n"
        "<ul><li>one</li><li>two</li></ul>\n"
        "<h2 class='h5'>Sources</h2><ol class='sources small'>"
        "<li id='source-1'>The <a href='https://example.org/report?a=1&amp;b=2'>report</a>.</li></ol>"
    )


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        "[click](javascript:alert(1))",
        "[click](https://e.org/'onmouseover='alert(1))",
        '<img src=x onerror="alert(1)">',
        "## <b>bold</b>",
    ],
)
def test_anything_else_shows_as_text_and_never_becomes_markup(hostile):
    html = render_pitch(hostile)

    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "javascript:" not in html.split("href=")[-1] or "href=" not in html
    assert "onmouseover='" not in html and 'onerror="' not in html


def test_the_summary_is_plain_text_cut_at_a_word():
    text = "## Police used it\n\nA **face** match is not an [identification](https://e.org).[^1]\n\n[^1]: A source."

    assert pitch_summary(text) == "Police used it A face match is not an identification."
    assert pitch_summary("word " * 100, length=20) == "word word word…"


def test_the_seeded_campaign_tells_the_story_with_its_sources(client, campaign):
    for language in ("en", "fr"):
        page = client.get(f"/{language}/c/clearview/").content.decode()
        assert page.count("<li id='source-") == 4
        assert "href='https://priv.gc.ca/en/opc-actions-and-decisions/investigations/" in page
        assert "<sup><a href='#source-3'" in page
