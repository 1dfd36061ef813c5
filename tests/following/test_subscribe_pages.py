"""Every page of following by e-mail, in every state, is valid HTML (v.Nu, as in
tests/test_html_valid.py) and has no English left in Japanese and Hindi
(tests/test_no_english_left.py's finder); the confirmation e-mail's HTML too."""

import re
import shutil
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client

from commitments.following import subscriptions
from commitments.models import Subscriber, Subscription
from tests.factories import make_commitment, make_published_update
from tests.test_no_english_left import leftovers

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def one_window_per_test(monkeypatch):
    import time

    import django_ratelimit.core

    opened = int(time.time())
    monkeypatch.setattr(django_ratelimit.core, "_get_window", lambda value, period: opened + period)


def all_pages(prefix: str, fixed_clock) -> dict[str, str]:
    """name → HTML of every page and state, under a language prefix ("" for English)."""
    commitment = make_commitment(slug="c1", title="Chandrayaan-5", title_ja="チャンドラヤーン5号")
    commitment.title_hi = "चंद्रयान-5"
    commitment.save()
    make_published_update(commitment)
    pages = {}
    browser = Client()
    base = f"{prefix}/follow/"
    pages["subscribe"] = browser.get(f"{base}?commitment=c1").content.decode()
    pages["subscribe-everything"] = browser.get(base).content.decode()
    pages["subscribe-errors"] = browser.post(
        f"{base}?commitment=c1", {"email": "nope", "frequency": "x"}
    ).content.decode()
    pages["sent"] = browser.post(
        f"{base}?commitment=c1", {"email": "a@example.org", "frequency": "daily"}
    ).content.decode()
    message = mail.outbox[-1]
    pages["email"] = message.alternatives[0][0]
    link = re.search(r"https?://\S+/follow/confirm/[^/\s]+/", message.body).group(0)
    path = re.sub(r"^https?://[^/]+", "", link)
    pages["confirm"] = browser.get(path).content.decode()
    pages["confirmed"] = browser.post(path).content.decode()
    pages["already"] = browser.get(path).content.decode()
    pages["invalid"] = browser.get(f"{base}confirm/not-a-code/").content.decode()
    subscriber = Subscriber.objects.get()
    token = subscriber.token
    deleted = Subscription.objects.create(subscriber=subscriber, scope="everything")
    gone_code = subscriptions.confirmation_code(deleted)
    deleted.delete()
    pages["gone"] = browser.get(f"{base}confirm/{gone_code}/").content.decode()
    waiting = Subscription.objects.create(subscriber=subscriber, scope="everything")
    code = subscriptions.confirmation_code(waiting)
    fixed_clock.shift(timedelta(days=30))
    pages["expired"] = browser.get(f"{base}confirm/{code}/").content.decode()
    pages["manage"] = browser.get(f"{base}manage/{token}/").content.decode()
    pages["manage-notice"] = browser.post(
        f"{base}manage/{token}/", {"action": "frequency", "frequency": "weekly"}
    ).content.decode()
    pages["unsubscribe"] = browser.get(f"{base}unsubscribe/{token}/").content.decode()
    pages["unsubscribed"] = browser.post(f"{base}unsubscribe/{token}/").content.decode()
    pages["manage-empty"] = browser.get(f"{base}manage/{token}/").content.decode()
    pages["deleted"] = browser.post(f"{base}manage/{token}/", {"action": "delete"}).content.decode()
    pages["dead-token"] = browser.get(f"{base}manage/{token}/").content.decode()
    return pages


@pytest.mark.parametrize("language", ["ja", "hi"])
def test_no_english_left_on_any_following_page(language, fixed_clock):
    pages = all_pages(f"/{language}", fixed_clock)
    assert pages["gone"] != pages["expired"] != pages["invalid"]
    for name, html in pages.items():
        found = leftovers(html)
        assert not found, f"{name} ({language}) has English left:\n" + "\n".join(found[:20])


@pytest.mark.skipif(shutil.which("java") is None, reason="v.Nu needs Java")
def test_every_following_page_is_valid_html(fixed_clock, tmp_path):
    from tests.test_html_valid import validate

    pages = all_pages("", fixed_clock)
    errors = validate(pages, tmp_path)
    assert not errors, "\n".join(errors)
