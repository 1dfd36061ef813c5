"""Searching from the header at every width: the best match first, and a way out when
nothing matches; the signed-in header's account menu."""

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from tests.browser.test_public_journey import assert_accessible, assert_fits_width
from tests.factories import make_editor

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = {"narrowest": 320, "phone": 375, "tablet": 768, "desktop": 1280}


def header_search(page, text):
    box = page.get_by_role("searchbox", name="Search commitments")
    box.fill(text)
    box.press("Enter")


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_search_from_the_header(page, live_server, seeded, width):
    site = live_server.url
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site + "/about/")
    box = page.get_by_role("searchbox", name="Search commitments")
    assert box.bounding_box()["height"] >= 24
    assert page.get_by_role("button", name="Search", exact=True).bounding_box()["height"] >= 24
    assert_fits_width(page, width)

    header_search(page, "investment JAPAN")
    expect(page).to_have_url(re.compile(r"/commitments/\?q=investment\+JAPAN$"))
    expect(page.get_by_role("heading", name=re.compile(r"^2 commitments match"))).to_be_visible()
    expect(page.locator("tbody tr").first).to_contain_text("¥10 trillion of Japanese investment")
    assert_accessible(page)
    assert_fits_width(page, width)

    header_search(page, "moon investment")
    expect(page.get_by_text("No commitment matches every word of")).to_be_visible()
    expect(page.get_by_text("Download")).to_have_count(0)
    assert_accessible(page)
    assert_fits_width(page, width)
    page.get_by_role("link", name=re.compile(r"Search for \W*moon\W* alone")).click()
    expect(page.get_by_role("heading", name=re.compile(r"^1 commitment matches"))).to_be_visible()
    expect(page.locator("tbody tr").first).to_contain_text("Chandrayaan-5")


@pytest.mark.parametrize("width", [320, 1280])
def test_the_signed_in_header_is_compact(page, live_server, seeded, width):
    editor = make_editor("erin")
    site = live_server.url
    page.set_viewport_size({"width": width, "height": 900})
    client = Client()
    client.force_login(editor)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": site}]
    )
    page.goto(site + "/")
    header = page.locator("header.site-header")
    # Brand and account menu on one line, then the navigation (and the search box).
    brand = page.locator(".brand").bounding_box()
    menu = page.locator(".account-menu summary").bounding_box()
    assert abs(brand["y"] - menu["y"]) < brand["height"]
    assert header.bounding_box()["height"] <= (260 if width < 600 else 130)
    assert_fits_width(page, width)
    assert_accessible(page)
    expect(page.get_by_role("button", name="Sign out")).to_be_hidden()
    page.locator(".account-menu summary").click()
    expect(page.get_by_role("link", name="Change password")).to_be_visible()
    assert_fits_width(page, width)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_have_attribute("href", "/accounts/login/")
