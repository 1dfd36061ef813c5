"""Issue 14, forms in a real browser: the error summary takes the focus and its links reach
the fields; "Log an update" leads to the form; deleting a draft asks first; every width fits."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_editorial_journey import sign_in
from tests.browser.test_public_journey import assert_accessible, assert_fits_width
from tests.factories import make_analyst

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", [320, 375, 1280])
def test_errors_log_update_and_delete(page, live_server, seeded, width):
    make_analyst("asha")
    site = live_server.url
    page.set_viewport_size({"width": width, "height": 900})

    sign_in(page, site, "asha")
    expect(page).to_have_url(site + "/workspace/")

    # Log an update: find the commitment, straight to its form.
    page.goto(site + "/workspace/log/")
    assert_accessible(page)
    assert_fits_width(page, width)
    page.get_by_label("Find a commitment by its words").fill("skilled")
    page.get_by_role("main").get_by_role("button", name="Search", exact=True).click()
    page.get_by_role("link", name="50,000 skilled professionals to Japan").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log an update")
    expect(page.locator("#id_status")).not_to_have_value("")

    # Every problem at once, the summary focused, its links reaching the fields.
    page.get_by_label("Progress value").fill("-3")
    page.get_by_role("button", name="Submit for review").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text("There are 3 problems with this form")
    expect(page.locator("#sources .sources-error")).to_contain_text("Add at least one source")
    assert_accessible(page)
    assert_fits_width(page, width)
    summary.get_by_role("link", name="Summary: This field is required.").click()
    expect(page).to_have_url(re.compile(r"#id_summary$"))
    expect(page.locator("#id_summary")).to_be_focused()
    expect(page.get_by_label("Progress value")).to_have_attribute("aria-invalid", "true")

    # Saved as a draft, then deleted after a confirmation.
    page.get_by_label("Progress value").fill("3000")
    page.locator("#id_summary").fill("A draft to throw away.")
    page.get_by_role("button", name="Save draft").click()
    # (A browser keeps the fragment a summary link added across the redirect.)
    expect(page).to_have_url(re.compile(re.escape(site) + r"/workspace/(#id_summary)?$"))
    page.get_by_role("link", name="Delete “A draft to throw away.”…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Delete this draft? It cannot be undone."
    )
    assert_accessible(page)
    assert_fits_width(page, width)
    page.get_by_role("button", name="Delete").click()
    expect(page.get_by_text("Deleted: “A draft to throw away.”")).to_be_visible()


def test_an_empty_sign_in_reports_both_fields_at_once(page, live_server):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text("There are 2 problems with this form")
    summary.get_by_role("link", name="Password: This field is required.").click()
    expect(page.get_by_label("Password")).to_be_focused()
    assert_accessible(page)
