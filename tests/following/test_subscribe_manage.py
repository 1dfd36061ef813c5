"""After subscribing: the manage page, one-click unsubscribe (RFC 8058), deleting everything,
pruning unconfirmed addresses, the "Follow by e-mail" links, and privacy (no address on any
public page, export or API; editors see counts only)."""

import re
from datetime import timedelta

import pytest
from django.contrib import admin
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from commitments.models import Delivery, StatusUpdate, Subscriber, Subscription
from tests.factories import (
    make_commitment,
    make_editor,
    make_event,
    make_party,
    make_published_update,
    make_sector,
)

pytestmark = pytest.mark.django_db

TOKEN = "a-token-only-this-reader-has"


@pytest.fixture
def world(db):
    commitment = make_commitment(
        slug="skilled-professionals",
        title="50,000 skilled professionals",
        sector=make_sector(slug="people", name="People"),
        parties=[(make_party(slug="mea", name="Ministry of External Affairs"), "lead")],
        event=make_event(slug="summit", name="Summit"),
    )
    update = make_published_update(commitment)
    return commitment, update


@pytest.fixture
def reader(world):
    commitment, update = world
    now = timezone.now()
    subscriber = Subscriber.objects.create(
        email="reader@example.org", token=TOKEN, confirmed_at=now, language="en-gb"
    )
    Subscription.objects.create(
        subscriber=subscriber, scope="commitment", commitment=commitment, confirmed_at=now
    )
    Subscription.objects.create(subscriber=subscriber, scope="sector", sector=commitment.sector)
    Delivery.objects.create(subscriber=subscriber, update=update, sent_at=now)  # sent
    second = make_published_update(commitment)
    Delivery.objects.create(subscriber=subscriber, update=second)  # not sent yet
    return subscriber


def assert_secret_page(response):
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "same-origin"


# Manage ---------------------------------------------------------------------------------


def test_the_manage_page_lists_every_subscription(client, reader):
    response = client.get(f"/follow/manage/{TOKEN}/")
    assert response.status_code == 200
    assert_secret_page(response)
    content = response.content.decode()
    assert "50,000 skilled professionals" in content and "People" in content
    assert "waiting for confirmation since" in content
    assert "reader@example.org" in content  # the token holder got the e-mail: fine to show


def test_an_unknown_token_is_not_found_with_the_same_headers(client, reader):
    for url in ("/follow/manage/nope/", "/follow/unsubscribe/nope/", f"/follow/manage/{'x' * 80}/"):
        response = client.get(url)
        assert response.status_code == 404
        assert_secret_page(response)
        assert client.post(url, {"action": "delete"}).status_code == 404
    assert Subscriber.objects.count() == 1


def test_get_changes_nothing(client, reader):
    before = list(Subscription.objects.values_list("pk", "confirmed_at"))
    for url in (f"/follow/manage/{TOKEN}/?action=delete", f"/follow/unsubscribe/{TOKEN}/"):
        assert client.get(url).status_code == 200
        assert client.head(url).status_code == 200
    assert list(Subscription.objects.values_list("pk", "confirmed_at")) == before
    assert Delivery.objects.count() == 2


def test_changing_the_frequency(client, reader):
    response = client.post(
        f"/follow/manage/{TOKEN}/", {"action": "frequency", "frequency": "weekly"}
    )
    assert response.status_code == 200
    assert_secret_page(response)
    reader.refresh_from_db()
    assert reader.frequency == "weekly"
    bad = client.post(f"/follow/manage/{TOKEN}/", {"action": "frequency", "frequency": "hourly"})
    assert bad.status_code == 400
    reader.refresh_from_db()
    assert reader.frequency == "weekly"
    assert client.post(f"/follow/manage/{TOKEN}/", {"action": "??"}).status_code == 400


def test_stopping_one_then_everything(client, reader):
    one = reader.subscriptions.get(scope="sector")
    client.post(f"/follow/manage/{TOKEN}/", {"action": "stop", "subscription": one.pk})
    assert list(reader.subscriptions.values_list("scope", flat=True)) == ["commitment"]
    # Another address's subscription cannot be stopped from here.
    other = Subscriber.objects.create(email="other@example.org", token="other")
    theirs = Subscription.objects.create(subscriber=other, scope="everything")
    response = client.post(
        f"/follow/manage/{TOKEN}/", {"action": "stop", "subscription": theirs.pk}
    )
    assert "already stopped" in response.content.decode()
    assert Subscription.objects.filter(pk=theirs.pk).exists()
    assert Delivery.objects.filter(sent_at=None).count() == 1  # still following something
    client.post(f"/follow/manage/{TOKEN}/", {"action": "stop-all"})
    assert not reader.subscriptions.exists()
    assert not Delivery.objects.filter(sent_at=None).exists()  # nothing left to send
    assert Subscriber.objects.filter(pk=reader.pk).exists()  # the manage link still works
    assert client.get(f"/follow/manage/{TOKEN}/").status_code == 200


def test_delete_everything_removes_every_row_about_the_address(client, reader):
    other = Subscriber.objects.create(email="other@example.org", token="other")
    Subscription.objects.create(subscriber=other, scope="everything")
    response = client.post(f"/follow/manage/{TOKEN}/", {"action": "delete"})
    assert response.status_code == 200
    assert_secret_page(response)
    content = response.content.decode()
    assert "2 subscriptions" in content and "the record of 2 e-mails" in content
    assert not Subscriber.objects.filter(email="reader@example.org").exists()
    assert not Subscription.objects.filter(subscriber_id=reader.pk).exists()
    assert not Delivery.objects.filter(subscriber_id=reader.pk).exists()
    assert Subscription.objects.filter(subscriber=other).exists()
    # The links die with it.
    assert client.get(f"/follow/manage/{TOKEN}/").status_code == 404
    assert client.post(f"/follow/unsubscribe/{TOKEN}/").status_code == 404
    assert StatusUpdate.objects.count() == 2  # the updates themselves are untouched


# One-click unsubscribe ------------------------------------------------------------------


def test_one_click_unsubscribe_from_a_mail_client(reader):
    mail_client = Client(enforce_csrf_checks=True)  # no CSRF token, no cookies
    response = mail_client.post(
        f"/follow/unsubscribe/{TOKEN}/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert_secret_page(response)
    assert not response.cookies
    assert not reader.subscriptions.exists()
    assert not Delivery.objects.filter(sent_at=None).exists()
    assert f"/follow/manage/{TOKEN}/" in response.content.decode()
    # Again: the same answer, nothing more to change.
    again = mail_client.post(
        f"/follow/unsubscribe/{TOKEN}/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert again.status_code == 200
    assert "You are unsubscribed" in again.content.decode()


def test_the_unsubscribe_page_has_one_button_and_no_csrf_cookie(reader):
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(f"/follow/unsubscribe/{TOKEN}/")
    assert page.status_code == 200
    assert not page.cookies
    content = page.content.decode()
    form = re.search(
        r'<form method="post" action="/follow/unsubscribe/[^"]+".*?</form>', content, re.S
    )
    assert form and form.group(0).count("<button") == 1
    assert reader.subscriptions.count() == 2
    assert browser.post(f"/follow/unsubscribe/{TOKEN}/").status_code == 200
    assert not reader.subscriptions.exists()


def test_unsubscribe_links_in_other_languages(reader):
    response = Client().post(f"/ja/follow/unsubscribe/{TOKEN}/")
    assert response.status_code == 200
    assert f"/ja/follow/manage/{TOKEN}/" in response.content.decode()


# Pruning --------------------------------------------------------------------------------


def test_prune_deletes_what_was_never_confirmed_in_time(world, fixed_clock, settings):
    commitment, _ = world
    old_waiting = Subscriber.objects.create(email="old@example.org", token="old")
    Subscription.objects.create(subscriber=old_waiting, scope="everything")
    confirmed = Subscriber.objects.create(
        email="kept@example.org", token="kept", confirmed_at=timezone.now()
    )
    Subscription.objects.create(
        subscriber=confirmed, scope="everything", confirmed_at=timezone.now()
    )
    old_second = Subscription.objects.create(  # a confirmed address's new, unconfirmed wish
        subscriber=confirmed, scope="commitment", commitment=commitment
    )
    stopped = Subscriber.objects.create(  # confirmed once, follows nothing now: kept
        email="stopped@example.org", token="stopped", confirmed_at=timezone.now()
    )
    fixed_clock.shift(timedelta(days=settings.FOLLOW_CONFIRM_DAYS, hours=1))
    fresh = Subscriber.objects.create(email="fresh@example.org", token="fresh")
    Subscription.objects.create(subscriber=fresh, scope="everything")

    call_command("prune_subscribers", verbosity=0)
    assert set(Subscriber.objects.values_list("email", flat=True)) == {
        "kept@example.org",
        "fresh@example.org",
        "stopped@example.org",
    }
    assert not Subscription.objects.filter(pk=old_second.pk).exists()
    assert confirmed.subscriptions.count() == 1
    assert fresh.subscriptions.count() == 1
    assert stopped.pk


def test_prune_says_what_it_did(world, capsys):
    call_command("prune_subscribers")
    assert "Deleted 0 unconfirmed subscription(s)" in capsys.readouterr().out


# Links on the public pages --------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["", "/ja", "/hi"])
def test_every_page_links_to_its_subscribe_page(client, world, prefix):
    pages = {
        "/": "/follow/",
        "/commitments/skilled-professionals/": "/follow/?commitment=skilled-professionals",
        "/sectors/people/": "/follow/?sector=people",
        "/parties/mea/": "/follow/?party=mea",
        "/events/summit/": "/follow/?event=summit",
    }
    for page, link in pages.items():
        content = client.get(f"{prefix}{page}").content.decode()
        assert f'href="{prefix}{link}"' in content, page
        assert 'name="csrfmiddlewaretoken"' not in content  # cached pages hold no form token
        target = client.get(f"{prefix}{link}")
        assert target.status_code == 200


# Privacy --------------------------------------------------------------------------------


def test_no_address_anywhere_public_after_subscribing(client, world):
    assert world
    address = "private.person@example.org"
    Client().post(
        "/follow/?commitment=skilled-professionals", {"email": address, "frequency": "daily"}
    )
    Client().post("/follow/", {"email": address, "frequency": "daily"})
    link = re.search(r"http://\S+/follow/confirm/[^/\s]+/", mail.outbox[0].body).group(0)
    Client().post(re.sub(r"^https?://[^/]+", "", link))
    assert Subscription.objects.exclude(confirmed_at=None).count() == 1
    urls = [
        "/",
        "/commitments/",
        "/commitments/?_export=csv",
        "/commitments/?_export=json",
        "/commitments/skilled-professionals/",
        "/commitments/skilled-professionals/history/",
        "/commitments/skilled-professionals/feed.atom",
        "/sectors/people/",
        "/parties/mea/",
        "/events/summit/",
        "/updates/export.csv",
        "/feeds/updates.atom",
        "/reports/progress/",
        "/reports/progress/?format=csv",
        "/reports/progress/?format=json",
        "/api/commitments/",
        "/api/commitments/skilled-professionals/",
        "/api/updates/",
        "/api/sectors/",
        "/api/parties/",
        "/api/openapi.json",
        "/follow/",
        "/follow/?commitment=skilled-professionals",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 429), url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"private.person" not in body.lower(), url


def test_following_models_are_not_in_the_admin():
    registered = {model._meta.model_name for model in admin.site._registry}
    assert not registered & {"subscriber", "subscription", "delivery"}


def test_editors_see_counts_on_the_admin_index_and_never_an_address(client, reader):
    Subscription.objects.create(subscriber=reader, scope="everything", confirmed_at=timezone.now())
    client.force_login(make_editor("erin"))
    content = client.get("/admin/").content.decode()
    assert "Followers by e-mail" in content
    assert re.search(r"Subscriptions to everything</th><td>1<", content)
    assert re.search(r"Subscriptions to a commitment</th><td>1<", content)
    assert "50,000 skilled professionals" in content
    assert re.search(r"Waiting for confirmation</th><td>1<", content)
    assert "reader@example.org" not in content


def test_the_admin_counts_cost_a_fixed_number_of_queries(
    client, world, django_assert_max_num_queries
):
    commitment, _ = world
    for n in range(30):
        subscriber = Subscriber.objects.create(email=f"r{n}@example.org", token=f"t{n}")
        Subscription.objects.create(
            subscriber=subscriber,
            scope="commitment",
            commitment=commitment,
            confirmed_at=timezone.now(),
        )
    from commitments.following import subscriptions

    with django_assert_max_num_queries(7):
        counts = subscriptions.counts()
    assert counts["addresses"] == 30
    assert counts["scopes"][0]["top"] == [("50,000 skilled professionals", 30)]
    assert not mail.outbox


def test_the_manage_page_costs_the_same_however_many_subscriptions(
    client, reader, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(f"/follow/manage/{TOKEN}/")
    for n in range(5):
        commitment = make_commitment(slug=f"more-{n}", sector=make_sector(slug=f"s-{n}"))
        Subscription.objects.create(subscriber=reader, scope="commitment", commitment=commitment)
        Subscription.objects.create(subscriber=reader, scope="sector", sector=commitment.sector)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(f"/follow/manage/{TOKEN}/")
    assert response.content.decode().count('name="action" value="stop"') == 12
