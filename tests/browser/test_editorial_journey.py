"""An analyst logs and submits an update; an editor publishes it; the public sees it."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_public_journey import assert_accessible
from tests.factories import make_analyst, make_editor

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "correct-horse-battery-9"


def sign_in(page, site, username):
    page.goto(site + "/accounts/login/")
    assert_accessible(page)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def sign_out(page):
    page.locator(".account-menu summary").click()  # the account menu in the header
    page.get_by_role("button", name="Sign out").click()


def test_log_submit_publish(page, live_server, seeded):
    make_analyst("asha")
    make_editor("erin")
    site = live_server.url

    sign_in(page, site, "asha")
    expect(page).to_have_url(site + "/workspace/")
    expect(page.locator(".account-menu summary")).to_contain_text("Signed in as asha")
    assert_accessible(page)

    page.goto(site + "/commitments/five-lakh-indians-to-japan/")
    page.get_by_role("main").get_by_role("link", name="Log an update").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log an update")
    page.get_by_label("As of").fill("2026-04-01")
    page.locator("#id_status").select_option("in_progress")
    page.get_by_label("Progress value").fill("42000")
    page.locator("#id_summary").fill("First 42,000 placements reported.")
    page.get_by_label("Details (Markdown)").fill("Figures from the **annual report**.")
    new_source = page.get_by_role("group", name="New source 1")
    new_source.get_by_label("Title").fill("Annual report on skilled mobility")
    new_source.get_by_label("URL", exact=True).fill("https://mea.example/skilled-mobility-2026")
    new_source.get_by_label("Publisher").fill("Ministry of External Affairs")
    assert_accessible(page)
    page.get_by_role("button", name="Submit for review").click()
    expect(page).to_have_url(site + "/workspace/")
    expect(
        page.get_by_text("Submitted for review: “First 42,000 placements reported.”")
    ).to_be_visible()
    sign_out(page)

    sign_in(page, site, "erin")
    page.goto(site + "/review/")
    assert_accessible(page)
    item = page.locator(".review-item").filter(has_text="First 42,000 placements reported.")
    expect(item).to_contain_text("Announced")
    expect(item).to_contain_text("In progress")
    expect(item).to_contain_text("none → 42,000 people")
    expect(item).to_contain_text("Annual report on skilled mobility")
    item.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("It is on the public pages now.")).to_be_visible()
    sign_out(page)

    page.goto(site + "/commitments/five-lakh-indians-to-japan/")
    expect(page.locator(".status-line")).to_contain_text("In progress")
    first = page.locator(".timeline-entry").first
    expect(first).to_contain_text("First 42,000 placements reported.")
    link = first.get_by_role("link", name="Annual report on skilled mobility")
    expect(link).to_have_attribute("href", "https://mea.example/skilled-mobility-2026")
    assert_accessible(page)
