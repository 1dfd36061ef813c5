"""Markdown from analysts and editors: rendered, cleaned, and nothing carried between texts."""

from commitments.markdown import render_markdown


def test_markdown_is_rendered_and_cleaned():
    html = render_markdown("**Launched** <script>alert(1)</script> [site](javascript:alert(1))")
    assert "<strong>Launched</strong>" in html
    assert "<script" not in html
    assert "javascript:" not in html


def test_nothing_leaks_from_one_text_into_the_next():
    first = render_markdown(
        "ISRO[^1] and JAXA.\n\n[^1]: Indian Space Research Organisation\n\n"
        "*[JAXA]: Japan Aerospace Exploration Agency"
    )
    assert "Indian Space Research Organisation" in first
    assert 'title="Japan Aerospace Exploration Agency"' in first
    second = render_markdown("JAXA again, with no notes.")
    assert "Indian Space Research Organisation" not in second
    assert "<abbr" not in second
