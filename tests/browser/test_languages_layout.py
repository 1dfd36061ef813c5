"""The Japanese and Hindi dashboard, commitment pages, list and report at 375 and 1280 px:
no horizontal scroll, no clipped text, targets big enough, no serious axe violation (axe also
checks that <html lang> is valid and that every lang attribute is), and the language switcher
takes a reader to the same page, query string included, in a real browser."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_layouts import check_layout
from tests.factories import publish_sample_figures

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = [
    "/",
    "/commitments/chandrayaan-5/",
    "/commitments/japanese-investment-10-trillion-yen/",
    "/commitments/?q=zzzz+nothing",
    "/commitments/?sector=people-skills",
    "/reports/progress/?from=2025-08-29&to=2026-11-28",
]


@pytest.fixture
def site(live_server, seeded):
    publish_sample_figures()
    return live_server.url


@pytest.mark.parametrize("language", ["ja", "hi"])
@pytest.mark.parametrize("path", PAGES)
def test_translated_pages_fit_and_pass_axe(page, site, language, path):
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(f"{site}/{language}{path}")
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        check_layout(page, width)


def test_switcher_keeps_the_page_and_its_query(page, site):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{site}/commitments/?q=lunar")
    page.locator('a[hreflang="ja"]').first.click()
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    assert page.url == f"{site}/ja/commitments/?q=lunar"
    page.locator('a[hreflang="hi"]').first.click()
    expect(page.locator("html")).to_have_attribute("lang", "hi")
    assert page.url == f"{site}/hi/commitments/?q=lunar"
    # Remembered: an English address now opens in Hindi until the reader picks English.
    page.goto(f"{site}/commitments/chandrayaan-5/")
    assert page.url == f"{site}/hi/commitments/chandrayaan-5/"
    page.locator('a[hreflang="en"], a[hreflang="en-GB"], a[hreflang="en-gb"]').first.click()
    expect(page.locator("html")).to_have_attribute("lang", "en-GB")
    page.goto(f"{site}/")
    assert page.url == f"{site}/"
