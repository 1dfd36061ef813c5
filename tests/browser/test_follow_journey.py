"""On a phone (375 px), in a real browser: a reader follows the 50,000 skilled professionals,
confirms with the e-mail's button, changes how often on the manage page and unsubscribes —
every form posted the way Chromium posts it. (A page sending `Referrer-Policy: no-referrer`
made Chromium send `Origin: null`, which the CSRF check refused: the confirm and manage
buttons did nothing but a 403, though every test-client test passed.)"""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from commitments.models import Subscriber, Subscription
from tests.browser.test_public_journey import assert_accessible, assert_fits_width

pytestmark = pytest.mark.django_db(transaction=True)
WIDTH = 375
SKILLED = "fifty-thousand-skilled-professionals"


def link_in(message, part: str) -> str:
    return re.search(rf"https?://\S+{part}\S+/", message.body).group(0)


def test_follow_confirm_manage_and_unsubscribe_on_a_phone(page, live_server, seeded, settings):
    settings.SITE_URL = live_server.url
    mail.outbox = []
    site = live_server.url
    page.set_viewport_size({"width": WIDTH, "height": 800})
    page.goto(f"{site}/commitments/{SKILLED}/")
    page.get_by_role("link", name="Follow by e-mail").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Follow by e-mail")
    assert_fits_width(page, WIDTH)
    assert_accessible(page)
    page.get_by_label("Your e-mail address").fill("Reader@Example.org")
    page.get_by_role("button", name="Follow").click()
    expect(page.locator("body")).to_contain_text("a confirmation is on its way")
    assert Subscription.objects.get().confirmed_at is None

    [confirmation] = mail.outbox
    page.goto(link_in(confirmation, "/follow/confirm/"))
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator("body")).not_to_contain_text("CSRF")
    subscription = Subscription.objects.get()
    assert subscription.confirmed_at is not None
    assert subscription.subscriber.email == "reader@example.org"

    token = Subscriber.objects.get().token
    page.goto(f"{site}/follow/manage/{token}/")
    assert_fits_width(page, WIDTH)
    page.get_by_label("Weekly digest").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("body")).not_to_contain_text("CSRF")
    assert Subscriber.objects.get().frequency == "weekly"

    page.goto(f"{site}/follow/unsubscribe/{token}/")
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.locator("body")).not_to_contain_text("CSRF")
    assert not Subscription.objects.exists()
