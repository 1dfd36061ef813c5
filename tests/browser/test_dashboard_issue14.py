"""The dashboard in a real browser (issue 14): it fits every width, passes axe, and its chart
text stays legible on a phone (one drawing of the chart shown, its text about 11 px or more)."""

import datetime

import pytest
from playwright.sync_api import expect

from commitments.models import Commitment
from tests.browser.test_public_journey import assert_accessible, assert_fits_width
from tests.factories import make_editor, make_published_update

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = [320, 375, 768, 1280]


@pytest.fixture
def site(live_server, seeded):
    editor = make_editor()
    skilled = Commitment.objects.get(pk=14)
    make_published_update(
        skilled,
        by=editor,
        status="in_progress",
        progress_value=6000,
        as_of=datetime.date(2026, 3, 31),
        summary="6,000 skilled professionals placed in Japan by March 2026.",
    )
    chandrayaan = Commitment.objects.get(slug="chandrayaan-5")
    make_published_update(
        chandrayaan, by=editor, status="delayed", as_of=datetime.date(2026, 6, 10)
    )
    return live_server.url


@pytest.mark.parametrize("width", WIDTHS)
def test_dashboard_at_every_width(page, site, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site + "/")
    expect(page.locator(".tracked-line")).to_contain_text(
        "18 commitments made at the 15th India–Japan Annual Summit"
    )
    expect(page.locator(".meter").nth(2)).to_contain_text("12 %")
    assert_accessible(page)
    assert_fits_width(page, width)
    drawings = page.evaluate(
        """() => [...document.querySelectorAll('.dash-chart svg.stacked')]
            .filter(svg => svg.getBoundingClientRect().width > 0)
            .map(svg => {
                const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
                const size = parseFloat(getComputedStyle(svg.querySelector('text')).fontSize);
                return {name: svg.getAttribute('class'), px: size * scale};
            })"""
    )
    assert len(drawings) == 1, drawings  # one drawing of the chart at a time
    least = 11
    assert drawings[0]["px"] >= least, drawings
    assert ("stacked-narrow" in drawings[0]["name"]) == (width < 1000), drawings
