"""Subscribing by e-mail: the subscribe page, no enumeration, the honeypot, the rate limits,
the confirmation e-mail and its link (expiry, replay, tampering, a deleted subscription)."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from commitments.following import subscriptions
from commitments.models import Subscriber, Subscription
from tests.factories import make_commitment, make_event, make_party, make_published_update
from tests.factories import make_sector as _make_sector

pytestmark = pytest.mark.django_db

ADDRESS = "Reader.One@Example.ORG"


@pytest.fixture(autouse=True)
def one_window_per_test(monkeypatch):
    """One rate-limit window per test (as in tests/test_abuse_limits.py): a test whose
    requests straddled a window's edge would see its count start again."""
    import time

    import django_ratelimit.core

    opened = int(time.time())
    monkeypatch.setattr(django_ratelimit.core, "_get_window", lambda value, period: opened + period)


@pytest.fixture
def commitment(db):
    commitment = make_commitment(
        slug="skilled-professionals",
        title="50,000 skilled professionals",
        title_ja="5万人の高度人材",
        title_hi="50,000 कुशल पेशेवर",
        sector=_make_sector(slug="people", name="People"),
        parties=[(make_party(slug="mea", name="Ministry of External Affairs"), "lead")],
        event=make_event(slug="summit", name="Summit"),
    )
    make_published_update(commitment)
    return commitment


def post(client, data, url="/follow/?commitment=skilled-professionals", **extra):
    return client.post(url, {"frequency": "immediate", **data}, **extra)


def without_csrf(content: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", content)


def confirm_link(message) -> str:
    return re.search(r"https?://\S+/follow/confirm/[^/\s]+/", message.body).group(0)


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


# The subscribe page ----------------------------------------------------------------------


def test_the_page_names_what_is_followed_in_the_readers_language(client, commitment):
    response = client.get("/follow/?commitment=skilled-professionals")
    assert response.status_code == 200
    assert "50,000 skilled professionals" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    japanese = client.get("/ja/follow/?commitment=skilled-professionals").content.decode()
    assert "5万人の高度人材" in japanese
    assert (
        "5万人の高度人材"
        in client.get("/ja/follow/?commitment=skilled-professionals").content.decode()
    )
    hindi = client.get("/hi/follow/?commitment=skilled-professionals").content.decode()
    assert "50,000 कुशल पेशेवर" in hindi
    for query, name in [
        ("?sector=people", "People"),
        ("?party=mea", "Ministry of External Affairs"),
        ("?event=summit", "Summit"),
        ("", "Everything published on"),
    ]:
        page = client.get(f"/follow/{query}")
        assert page.status_code == 200 and name in page.content.decode()


def test_what_cannot_be_followed_is_not_found(client, commitment):
    make_commitment(slug="unannounced")  # nothing published: not public
    for query in (
        "?commitment=unannounced",
        "?commitment=nope",
        "?sector=nope",
        "?party=nope",
        "?event=nope",
        "?commitment=",
        "?commitment=skilled-professionals&sector=people",
    ):
        assert client.get(f"/follow/{query}").status_code == 404, query
        assert post(client, {"email": "a@example.org"}, f"/follow/{query}").status_code == 404
    assert not Subscriber.objects.exists()


def test_a_bad_address_comes_back_with_its_error_and_nothing_is_stored(client, commitment):
    response = post(client, {"email": "not an address"})
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    assert not Subscriber.objects.exists() and not mail.outbox


# No enumeration -------------------------------------------------------------------------


def test_the_answer_is_the_same_whatever_the_address_and_a_task_is_always_queued(
    client, commitment
):
    target = {"scope": "commitment", "commitment": commitment}
    waiting = Subscriber.objects.create(email="waiting@example.org", token="t1")
    Subscription.objects.create(subscriber=waiting, **target)
    confirmed = Subscriber.objects.create(
        email="confirmed@example.org", token="t2", confirmed_at=commitment.created_at
    )
    Subscription.objects.create(subscriber=confirmed, confirmed_at=commitment.created_at, **target)
    # Follows something else, confirmed: a new subscription for a known address.
    other = Subscriber.objects.create(
        email="other@example.org", token="t3", confirmed_at=commitment.created_at
    )
    Subscription.objects.create(
        subscriber=other, scope="everything", confirmed_at=other.confirmed_at
    )

    answers = [
        post(Client(), {"email": email})
        for email in (
            "new@example.org",
            "waiting@example.org",
            "CONFIRMED@example.org ",
            "other@example.org",
        )
    ]
    assert {a.status_code for a in answers} == {200}
    bodies = {without_csrf(a.content) for a in answers}
    assert len(bodies) == 1
    body = bodies.pop().decode()
    assert "If this address can receive mail, a confirmation is on its way" in body
    assert "example.org" not in body  # the address is never echoed
    # Every case mailed its address: a confirmation, or "you already follow this".
    assert sorted(m.to[0] for m in mail.outbox) == [
        "confirmed@example.org",
        "new@example.org",
        "other@example.org",
        "waiting@example.org",
    ]
    already = next(m for m in mail.outbox if m.to == ["confirmed@example.org"])
    assert "already follow" in already.subject
    assert "/follow/manage/t2/" in already.body and "/follow/confirm/" not in already.body
    # Nothing was confirmed by asking again; the new address waits.
    assert Subscription.objects.filter(confirmed_at=None).count() == 3


def test_the_address_is_stored_lower_cased_and_a_confirmed_one_keeps_its_settings(
    client, commitment
):
    post(client, {"email": f"  {ADDRESS} ", "frequency": "weekly"}, "/ja/follow/")
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "reader.one@example.org"
    assert (subscriber.language, subscriber.frequency) == ("ja", "weekly")
    assert len(subscriber.token) >= 43
    Subscriber.objects.filter(pk=subscriber.pk).update(confirmed_at=timezone.now())
    # Once confirmed, somebody else typing the address in cannot change its language or
    # frequency (never confirmed, the latest request's apply: test_review_following.py).
    post(client, {"email": ADDRESS.upper(), "frequency": "daily"}, "/hi/follow/?sector=people")
    subscriber.refresh_from_db()
    assert (subscriber.language, subscriber.frequency) == ("ja", "weekly")
    assert Subscriber.objects.count() == 1
    assert set(subscriber.subscriptions.values_list("scope", flat=True)) == {"everything", "sector"}


def test_the_honeypot_gets_the_same_answer_and_nothing_happens(client, commitment):
    human = post(Client(), {"email": "human@example.org"})
    robot = post(Client(), {"email": "robot@example.org", "website": "http://spam.example"})
    assert robot.status_code == human.status_code == 200
    assert without_csrf(robot.content) == without_csrf(human.content)
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["human@example.org"]
    assert [m.to for m in mail.outbox] == [["human@example.org"]]


def test_the_honeypot_is_hidden_from_people_and_screen_readers(client, commitment):
    page = client.get("/follow/").content.decode()
    box = re.search(r'<div class="follow-hp" aria-hidden="true">.*?</div>', page, re.S).group(0)
    assert 'name="website"' in box and 'tabindex="-1"' in box and 'autocomplete="off"' in box


# Rate limits ----------------------------------------------------------------------------


def test_an_address_is_limited_whichever_client_asks_and_however_it_is_written(
    client, commitment, settings
):
    settings.THROTTLE_RATE_FOLLOW_ADDRESS = "3/h"
    spellings = [
        "victim@example.org",
        "VICTIM@example.org",
        " Victim@Example.org",
        "victim@EXAMPLE.org",
    ]
    statuses = [
        post(Client(), {"email": email}, REMOTE_ADDR=f"198.51.100.{n}").status_code
        for n, email in enumerate(spellings, start=1)
    ]
    assert statuses == [200, 200, 200, 429]
    # Another address is not held up.
    assert post(Client(), {"email": "else@example.org"}).status_code == 200


def test_a_client_is_limited_whatever_addresses_it_tries(client, commitment, settings):
    settings.THROTTLE_RATE_FOLLOW_CLIENT = "2/h"
    statuses = [post(client, {"email": f"n{n}@example.org"}).status_code for n in range(3)]
    assert statuses == [200, 200, 429]
    refused = post(client, {"email": "n9@example.org"})
    assert refused.status_code == 429 and "Retry-After" in refused
    assert "Skip to main content" in refused.content.decode()  # the site's own page
    assert post(client, {"email": "x@example.org"}, REMOTE_ADDR="192.0.2.9").status_code == 200


def test_a_confirmation_is_not_mailed_twice_within_the_hour(client, commitment, fixed_clock):
    for _ in range(2):
        post(Client(), {"email": "victim@example.org"})
    assert len(mail.outbox) == 1
    fixed_clock.shift(timedelta(minutes=61))
    post(Client(), {"email": "victim@example.org"})
    assert len(mail.outbox) == 2


# The confirmation e-mail and its link ---------------------------------------------------


def test_the_confirmation_mail_is_in_the_readers_language_and_its_link_works(
    client, commitment, settings
):
    settings.SITE_URL = "https://tracker.example.org"
    settings.DEFAULT_FROM_EMAIL = "tracker@example.org"
    post(
        client,
        {"email": ADDRESS},
        "/ja/follow/?commitment=skilled-professionals",
        HTTP_HOST="127.0.0.1:6666",
    )
    (message,) = mail.outbox
    assert message.to == ["reader.one@example.org"]
    assert message.from_email == "tracker@example.org"
    assert "5万人の高度人材" in message.subject and "5万人の高度人材" in message.body
    assert "確認のお願い" in message.subject  # the interface's words in Japanese too
    assert "確認するには" in message.body
    html, kind = message.alternatives[0]
    assert kind == "text/html" and "5万人の高度人材" in html and 'lang="ja"' in html
    link = confirm_link(message)
    assert link.startswith("https://tracker.example.org/ja/follow/confirm/")
    assert "6666" not in message.body + html
    assert link in html

    subscription = Subscription.objects.get()
    page = client.get(path_of(link))
    assert page.status_code == 200
    assert page["Referrer-Policy"] == "same-origin"
    assert page["Cache-Control"] == "private, no-store"
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None  # GET (a mail scanner) confirms nothing
    done = client.post(path_of(link))
    assert done.status_code == 200
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None
    assert subscription.subscriber.confirmed_at == subscription.confirmed_at
    assert f"/ja/follow/manage/{subscription.subscriber.token}/" in done.content.decode()


def test_hindi_confirmation_mail(client, commitment):
    post(client, {"email": "h@example.org"}, "/hi/follow/?commitment=skilled-professionals")
    (message,) = mail.outbox
    assert "50,000 कुशल पेशेवर" in message.body
    assert "पुष्टि करें" in message.subject
    assert "/hi/follow/confirm/" in message.body


def test_confirming_needs_a_csrf_protected_post(commitment):
    post(Client(), {"email": "a@example.org"})
    path = path_of(confirm_link(mail.outbox[0]))
    browser = Client(enforce_csrf_checks=True)
    assert browser.post(path).status_code == 403
    page = browser.get(path)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]
    assert browser.post(path, {"csrfmiddlewaretoken": token}).status_code == 200
    assert Subscription.objects.get().confirmed_at is not None


def test_a_used_link_says_already_confirmed_and_changes_nothing(client, commitment, fixed_clock):
    post(client, {"email": "a@example.org"})
    path = path_of(confirm_link(mail.outbox[0]))
    client.post(path)
    first = Subscription.objects.get().confirmed_at
    fixed_clock.shift(timedelta(hours=1))
    for again in (client.post(path), client.get(path)):
        assert again.status_code == 200
        assert "already confirmed" in again.content.decode()
    assert Subscription.objects.get().confirmed_at == first
    assert Subscriber.objects.get().confirmed_at == first


def test_an_expired_link_says_so_and_offers_to_subscribe_again(
    client, commitment, fixed_clock, settings
):
    post(client, {"email": "a@example.org"})
    path = path_of(confirm_link(mail.outbox[0]))
    fixed_clock.shift(timedelta(days=settings.FOLLOW_CONFIRM_DAYS, minutes=1))
    for response in (client.get(path), client.post(path)):
        assert response.status_code == 410
        content = response.content.decode()
        assert "This link has expired" in content
        assert 'href="/follow/?commitment=skilled-professionals"' in content
    assert Subscription.objects.get().confirmed_at is None


def test_a_link_just_inside_its_days_still_works(client, commitment, fixed_clock, settings):
    post(client, {"email": "a@example.org"})
    path = path_of(confirm_link(mail.outbox[0]))
    fixed_clock.shift(timedelta(days=settings.FOLLOW_CONFIRM_DAYS, minutes=-1))
    assert client.post(path).status_code == 200
    assert Subscription.objects.get().confirmed_at is not None


@pytest.mark.parametrize(
    "change",
    [
        lambda code: code[:-1] + ("A" if code[-1] != "A" else "B"),  # signature changed
        lambda code: "x" + code,  # payload changed
        lambda code: code.split(":")[0],  # cut short
        lambda code: "garbage",
        lambda code: "caf%C3%A9:x:y",  # not ASCII
    ],
)
def test_a_tampered_link_says_so_in_words(client, commitment, change):
    post(client, {"email": "a@example.org"})
    code = path_of(confirm_link(mail.outbox[0])).rstrip("/").rsplit("/", 1)[1]
    for method in (client.get, client.post):
        response = method(f"/follow/confirm/{change(code)}/")
        assert response.status_code == 400
        assert "This link is not valid" in response.content.decode()
    assert Subscription.objects.get().confirmed_at is None


def test_a_link_to_a_deleted_subscription_no_longer_works(client, commitment):
    post(client, {"email": "a@example.org"})
    path = path_of(confirm_link(mail.outbox[0]))
    Subscription.objects.all().delete()
    assert "This link no longer works" in client.get(path).content.decode()
    # Made again for the same address and target: the old link does not revive it.
    subscriber = Subscriber.objects.get()
    Subscription.objects.create(subscriber=subscriber, scope="commitment", commitment=commitment)
    response = client.post(path)
    assert response.status_code == 410
    assert "This link no longer works" in response.content.decode()
    assert Subscription.objects.get().confirmed_at is None


def test_a_signature_for_another_purpose_is_refused(client, commitment):
    from django.core import signing

    post(client, {"email": "a@example.org"})
    subscription = Subscription.objects.get()
    forged = signing.TimestampSigner(salt="something-else").sign_object(
        {"s": subscription.pk, "c": subscriptions._stamp(subscription)}
    )
    assert client.post(f"/follow/confirm/{forged}/").status_code == 400
    assert Subscription.objects.get().confirmed_at is None


def test_the_confirmation_task_is_queued_on_the_mail_queue():
    from commitments.tasks import send_confirmation

    assert send_confirmation.queue_name == "mail"
