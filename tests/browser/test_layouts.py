"""Every page at 320, 375, 768 and 1280 px with real data: the seed data plus published updates
with a figure (the list's progress bar, percent and pace badge), a long title, a parent figured
from its part. At each width: no horizontal scroll, no text clipped by its box, every control
that stands alone (not a link inside a sentence) at least 24 px each way, and no serious or
critical axe violation."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from commitments.models import Commitment
from tests.browser.test_public_journey import assert_accessible, assert_fits_width
from tests.factories import (
    make_analyst,
    make_editor,
    make_submitted_update,
    make_update,
    publish_sample_figures,
)

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = [320, 375, 768, 1280]


PUBLIC_PAGES = [
    "/",
    "/commitments/",
    "/commitments/?q=skilled",
    "/commitments/?q=zzzz+nothing",
    "/commitments/fifty-thousand-skilled-professionals/",
    "/commitments/five-lakh-indians-to-japan/",
    "/commitments/japanese-investment-10-trillion-yen/",
    "/commitments/chandrayaan-5/history/",
    "/sectors/people-skills/",
    "/parties/japan/",
    "/events/india-japan-annual-summit-2025/",
    "/reports/progress/?from=2025-08-29&to=2026-11-28",
    "/about/",
    "/accounts/login/",
]

SIGNED_IN_PAGES = {
    "analyst": [
        "/workspace/",
        "/commitments/fifty-thousand-skilled-professionals/updates/new/",
        "/commitments/chandrayaan-5/",
    ],
    "editor": ["/review/", "/commitments/"],
}

# Controls that stand alone must be at least 24 × 24 px; links inside running text are exempt
# (WCAG 2.2, 2.5.8), and so are visually hidden ones (skip link until focused).
SMALL_TARGETS = """() => [...document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, summary, textarea')]
  .filter(e => {
    const r = e.getBoundingClientRect();
    if (!r.width || !r.height) return false;
    const s = getComputedStyle(e);
    if (s.visibility === 'hidden' || e.closest('.visually-hidden, .skip-link')) return false;
    if (e.tagName === 'A' && s.display === 'inline' && e.closest('p, li, td, dd, figcaption'))
      return false;
    if (e.tagName === 'A' && e.closest('svg')) return false;
    return r.height < 24 || r.width < 24;
  })
  .map(e => `${e.tagName} "${(e.textContent || e.name || '').trim().slice(0, 40)}" `
            + `${Math.round(e.getBoundingClientRect().width)}×`
            + `${Math.round(e.getBoundingClientRect().height)}`)"""

# Text cut off by its box: an element that hides or scrolls its overflow, holding more than
# it shows (the list's "Behind pa", the "29 Aug 20" of a clipped column). A chart's data table
# folded in a <details> may scroll sideways on a narrow screen.
CLIPPED = """() => [...document.querySelectorAll('main *, header *')]
  .filter(e => {
    const s = getComputedStyle(e);
    if (s.display === 'none' || s.visibility === 'hidden' || !e.clientWidth) return false;
    // Fields scroll their own text (a long address in a read-only field to copy).
    if (e.closest('.visually-hidden') || ['THEAD', 'TEXTAREA', 'INPUT'].includes(e.tagName))
      return false;
    // A chart's data table, folded under it, may scroll sideways on a phone: it says so.
    if (['auto', 'scroll'].includes(s.overflowX) && e.closest('details')) return false;
    const hides = ['hidden', 'auto', 'scroll', 'clip'].includes(s.overflowX)
      || s.textOverflow === 'ellipsis';
    return hides && e.scrollWidth > e.clientWidth + 1;
  })
  .map(e => `${e.tagName}.${e.className} ${e.scrollWidth}>${e.clientWidth}: `
            + (e.textContent || '').trim().slice(0, 40))"""


def check_layout(page, width):
    assert_fits_width(page, width)
    clipped = page.evaluate(CLIPPED)
    assert not clipped, f"{page.url} at {width}px clips:\n" + "\n".join(clipped)
    small = page.evaluate(SMALL_TARGETS)
    assert not small, f"{page.url} at {width}px has small targets:\n" + "\n".join(small)
    assert_accessible(page)


@pytest.fixture
def site(live_server, seeded):
    publish_sample_figures()
    return live_server.url


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_fit_every_width(page, site, path):
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(site + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        check_layout(page, width)


def sign_in_as(page, site, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": site}]
    )


@pytest.mark.parametrize("role", SIGNED_IN_PAGES)
def test_signed_in_pages_fit_every_width(page, site, role):
    user = make_analyst("hana") if role == "analyst" else make_editor("ines")
    skilled = Commitment.objects.get(slug="fifty-thousand-skilled-professionals")
    make_update(skilled, author=make_analyst("kai"), summary="Someone else's draft.")
    make_submitted_update(skilled, summary="Awaiting review: 7,500 placements by June.")
    if role == "analyst":
        make_update(skilled, author=user, summary="My draft: quarterly figures to check.")
    sign_in_as(page, site, user)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        for path in SIGNED_IN_PAGES[role]:
            page.goto(site + path)
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            check_layout(page, width)
