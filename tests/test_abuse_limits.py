"""Abuse limits (issues 11 and 12): the client's address behind the proxy, sign-in and
password-reset limits per address, reset links to the configured site only, and per-client
limits on the expensive public downloads, none of which may fail when the cache is down."""

import logging
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse

from commitments.throttle import client_ip, client_key
from tests.factories import make_analyst, make_editor


@pytest.fixture(autouse=True)
def one_window_per_test(monkeypatch):
    """django-ratelimit counts in fixed windows whose edges depend on the clock; a test whose
    requests straddled an edge saw its count start again (a flaky 200 where 429 was due).
    Each test here gets one window that opens when it starts."""
    import time

    import django_ratelimit.core

    opened = int(time.time())
    monkeypatch.setattr(django_ratelimit.core, "_get_window", lambda value, period: opened + period)


pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct-horse-battery-9"
PROXY = "10.0.0.2"  # REMOTE_ADDR of every request that came through the reverse proxy
ATTACKER = "203.0.113.66"


def via_proxy(real_address: str, spoofed: str | None = None) -> dict:
    """Request headers as the app sees them behind one proxy that appends the address it
    received the request from (nginx's $proxy_add_x_forwarded_for)."""
    forwarded = f"{spoofed}, {real_address}" if spoofed else real_address
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": forwarded}


def random_address() -> str:
    value = uuid.uuid4().int
    return f"{value % 223 + 1}.{value >> 8 & 255}.{value >> 16 & 255}.{value >> 24 & 255}"


def sign_in(client, username, password=PASSWORD, **headers):
    headers.setdefault("REMOTE_ADDR", "10.1.1.1")
    return client.post(reverse("login"), {"username": username, "password": password}, **headers)


def reset(client, email, **headers):
    headers.setdefault("REMOTE_ADDR", "10.1.1.1")
    return client.post(reverse("password_reset"), {"email": email}, **headers)


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


def assert_too_many(response):
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 24 * 3600
    content = response.content.decode()
    assert "Skip to main content" in content  # the site's design, not a bare 429
    assert "Try again after" in content
    return content


# The client's address ----------------------------------------------------------------------


def request_from(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    "count, remote, forwarded, expected",
    [
        (0, "198.51.100.1", "1.2.3.4", "198.51.100.1"),  # no proxy: the header is the client's
        (1, PROXY, "1.2.3.4, 198.51.100.7", "198.51.100.7"),  # leftmost is made up
        (1, PROXY, "198.51.100.7", "198.51.100.7"),
        (2, "10.0.0.9", "1.2.3.4, 198.51.100.7, 10.0.0.5", "198.51.100.7"),
        (1, PROXY, None, PROXY),  # did not come through the proxy
        (2, "10.0.0.9", "198.51.100.7", "10.0.0.9"),  # fewer hops than proxies
        (1, PROXY, "1.2.3.4, not-an-address", PROXY),
        (1, PROXY, "1.2.3.4, 198.51.100.7:51234", "198.51.100.7"),
        (1, PROXY, "[2001:db8::1]:443", "2001:db8::1"),
        (0, "::ffff:198.51.100.1", None, "198.51.100.1"),
    ],
)
def test_client_ip_is_what_the_trusted_proxy_saw(settings, count, remote, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    assert client_ip(request_from(remote, forwarded)) == expected


def test_rate_limits_count_ipv6_clients_per_64(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    first = client_key(request_from("2001:db8:1:2:aaaa::1"))
    second = client_key(request_from("2001:db8:1:2:bbbb::2"))
    assert first == second == "2001:db8:1:2::/64"
    assert client_key(request_from("2001:db8:1:3::1")) != first
    assert client_key(request_from("198.51.100.1")) == "198.51.100.1"


# Sign-in lockouts behind the proxy ---------------------------------------------------------


def test_behind_the_proxy_a_lockout_holds_only_for_the_real_client(client, behind_proxy):
    make_editor("erin")
    # Five wrong passwords from one client, each claiming a new address on the left.
    for _ in range(4):
        response = sign_in(
            client, "erin", "wrong-password", **via_proxy(ATTACKER, random_address())
        )
        assert response.status_code == 200
    locked = sign_in(client, "erin", "wrong-password", **via_proxy(ATTACKER, random_address()))
    assert locked.status_code == 429
    assert "Too many failed attempts" in locked.content.decode()
    assert sign_in(client, "erin", **via_proxy(ATTACKER, random_address())).status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}
    # The editor, through the same proxy from their own address, is not locked out.
    assert sign_in(client, "erin", **via_proxy("198.51.100.7")).status_code == 302


def test_trusted_proxy_count_defaults_to_one_behind_the_proxy():
    assert load_setting("TRUSTED_PROXY_COUNT", DEBUG="1", BEHIND_PROXY="1") == "1"
    assert load_setting("TRUSTED_PROXY_COUNT", DEBUG="1") == "0"
    assert (
        load_setting("TRUSTED_PROXY_COUNT", DEBUG="1", BEHIND_PROXY="1", TRUSTED_PROXY_COUNT="2")
        == "2"
    )
    assert load_setting("AXES_CLIENT_IP_CALLABLE", DEBUG="1") == "commitments.throttle.client_ip"


# Sign-ins per address, across usernames ---------------------------------------------------


def test_failed_sign_ins_from_one_address_are_limited_across_usernames(client, caplog):
    make_analyst("asha")
    caplog.set_level(logging.WARNING, logger="commitments.security")
    for n in range(30):
        assert sign_in(client, f"user-{n}", "wrong-password").status_code == 200
    # Even the right password for an account never tried waits now.
    refused = sign_in(client, "asha")
    content = assert_too_many(refused)
    assert "Too many sign-in attempts" in content
    assert "no-store" in refused["Cache-Control"]
    assert "_auth_user_id" not in client.session
    assert any("too many attempts" in r.getMessage() for r in caplog.records)
    # Another address is not affected.
    assert sign_in(client, "asha", REMOTE_ADDR="10.2.2.2").status_code == 302


def test_all_sign_ins_from_one_address_are_limited(client, settings):
    settings.THROTTLE_RATE_LOGIN = "3/h"
    make_analyst("asha")
    for _ in range(3):
        assert sign_in(client, "asha").status_code == 302
        client.logout()
    assert_too_many(sign_in(client, "asha"))


def test_behind_the_proxy_the_sign_in_limit_is_per_real_client(client, settings, behind_proxy):
    settings.THROTTLE_RATE_LOGIN_FAILED = "3/h"
    make_analyst("asha")
    for n in range(3):
        response = sign_in(client, f"user-{n}", "x", **via_proxy(ATTACKER, random_address()))
        assert response.status_code == 200
    assert_too_many(sign_in(client, "user-9", "x", **via_proxy(ATTACKER, random_address())))
    assert sign_in(client, "asha", **via_proxy("198.51.100.7")).status_code == 302


# Password resets -------------------------------------------------------------------------


def test_password_reset_requests_are_limited_per_address(client):
    for n in range(10):
        assert reset(client, f"someone-{n}@example.org").status_code == 302
    content = assert_too_many(reset(client, "another@example.org"))
    assert "password-reset requests" in content
    assert reset(client, "another@example.org", REMOTE_ADDR="10.2.2.2").status_code == 302


def test_password_reset_requests_are_limited_per_email_without_telling_who_exists(client):
    make_analyst("asha", email="asha@example.org")
    outcomes = {}
    for email in ("asha@example.org", "nobody@example.org"):
        outcomes[email] = [
            reset(client, email.upper() if n % 2 else email, REMOTE_ADDR=random_address())
            for n in range(5)
        ]
    known, unknown = ([r.status_code for r in outcomes[e]] for e in outcomes)
    assert known == unknown == [302, 302, 302, 429, 429]
    refused = [
        r.content.decode()
        for r in (outcomes["asha@example.org"][3], outcomes["nobody@example.org"][3])
    ]
    without_times = [re.sub(r"<time.*?</time>|about \d+ minutes?", "", page) for page in refused]
    assert without_times[0] == without_times[1]
    assert len(mail.outbox) == 3


def test_a_reset_link_goes_to_the_configured_site_never_the_host_asked(client, settings):
    settings.SITE_URL = "https://tracker.example.org"
    make_analyst("asha", email="asha@example.org")
    response = reset(client, "asha@example.org", HTTP_HOST="127.0.0.1:6666")
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "https://tracker.example.org/accounts/reset/" in body
    assert "6666" not in body and "127.0.0.1" not in body
    assert "Commitment tracker" in mail.outbox[0].subject


def test_in_development_reset_links_go_to_the_development_server(client):
    make_analyst("asha", email="asha@example.org")
    reset(client, "asha@example.org", HTTP_HOST="127.0.0.1:6666")
    assert "http://127.0.0.1:8000/accounts/reset/" in mail.outbox[0].body
    assert "6666" not in mail.outbox[0].body


def test_site_url_defaults_and_validation():
    assert load_setting("SITE_URL", DEBUG="1") == "http://127.0.0.1:8000"
    production = {"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": ".example.org,tracker.example.org"}
    assert load_setting("SITE_URL", **production) == "https://tracker.example.org"
    assert (
        load_setting("SITE_URL", **production, SITE_URL="https://track.example.net/")
        == "https://track.example.net"
    )
    wildcard = load_settings(SECRET_KEY="x" * 50, ALLOWED_HOSTS=".example.org")
    assert wildcard.returncode != 0 and "SITE_URL is required" in wildcard.stderr
    bad = load_settings(DEBUG="1", SITE_URL="tracker.example.org/path")
    assert bad.returncode != 0 and "SITE_URL must be an origin" in bad.stderr


# Expensive public downloads ----------------------------------------------------------------


def fresh(url: str) -> str:
    """The same answer under a new address: a miss in the public cache."""
    return f"{url}{'&' if '?' in url else '?'}r={uuid.uuid4().hex}"


def test_report_pdfs_are_limited_per_client(client, settings):
    settings.THROTTLE_RATE_HEAVY = "2/10m"
    for _ in range(2):
        response = client.get(fresh("/reports/progress/?format=pdf"))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
    refused = client.get(fresh("/reports/progress/?format=pdf"))
    content = assert_too_many(refused)
    assert int(refused["Retry-After"]) <= 600 + 5
    assert refused["Content-Type"].startswith("text/html")
    assert "no-store" in refused["Cache-Control"]
    assert "Too many requests" in content
    # XLSX shares the limit; CSV and JSON have their own; other clients have theirs.
    assert client.get(fresh("/reports/progress/?format=xlsx")).status_code == 429
    assert client.get(fresh("/reports/progress/?format=csv")).status_code == 200
    assert client.get(fresh("/reports/progress/?format=json")).status_code == 200
    other = client.get(fresh("/reports/progress/?format=xlsx"), REMOTE_ADDR="10.9.9.9")
    assert other.status_code == 200


@pytest.mark.parametrize(
    "url, rate_setting",
    [
        ("/updates/export.csv", "THROTTLE_RATE_EXPORT"),
        ("/reports/progress/?format=csv", "THROTTLE_RATE_EXPORT"),
        ("/reports/progress/?format=json", "THROTTLE_RATE_EXPORT"),
        ("/reports/progress/", "THROTTLE_RATE_EXPORT"),  # the page, when not cached
        ("/commitments/?_export=csv", "THROTTLE_RATE_EXPORT"),
        ("/commitments/?_export=json", "THROTTLE_RATE_EXPORT"),
        ("/commitments/?_export=xlsx", "THROTTLE_RATE_HEAVY"),
    ],
)
def test_each_expensive_answer_is_limited(client, settings, url, rate_setting):
    setattr(settings, rate_setting, "2/10m")
    assert [client.get(fresh(url)).status_code for _ in range(3)] == [200, 200, 429]


def test_behind_the_proxy_download_limits_are_per_real_client(client, settings, behind_proxy):
    settings.THROTTLE_RATE_EXPORT = "2/10m"
    for _ in range(2):
        response = client.get("/updates/export.csv", **via_proxy(ATTACKER, random_address()))
        assert response.status_code == 200
    assert (
        client.get("/updates/export.csv", **via_proxy(ATTACKER, random_address())).status_code
        == 429
    )
    assert client.get("/updates/export.csv", **via_proxy("198.51.100.7")).status_code == 200


def test_the_list_page_itself_is_not_limited(client, settings):
    settings.THROTTLE_RATE_EXPORT = settings.THROTTLE_RATE_HEAVY = "1/10m"
    assert {client.get(fresh("/commitments/")).status_code for _ in range(4)} == {200}


def test_cached_answers_do_not_count_and_a_refusal_is_not_cached(client, settings, redis_cache):
    # The public cache is shared (Redis), as in production.
    settings.THROTTLE_RATE_EXPORT = "1/10m"
    # One miss, then answers from the public cache: none of them counts.
    assert [client.get("/reports/progress/").status_code for _ in range(5)] == [200] * 5
    url = "/reports/progress/?format=json"
    assert client.get(url).status_code == 429
    # The refusal was not kept: another client asking the same address gets the report...
    assert client.get(url, REMOTE_ADDR="10.9.9.9").status_code == 200
    # ...which the first client is now served from the cache, over its limit or not.
    assert client.get(url).status_code == 200


def test_reaching_a_limit_is_logged_once(client, settings, caplog):
    settings.THROTTLE_RATE_EXPORT = "1/10m"
    caplog.set_level(logging.WARNING, logger="commitments.security")
    for _ in range(4):
        client.get("/updates/export.csv")
    reached = [r for r in caplog.records if "Rate limit" in r.getMessage()]
    assert len(reached) == 1
    assert "127.0.0.1" in reached[0].getMessage()


# When the cache is down ------------------------------------------------------------------


@pytest.fixture
def cache_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "commitments.redis_cache.SharedRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }


def test_a_failing_cache_lets_limited_requests_through(client, settings, cache_down, caplog):
    settings.THROTTLE_RATE_EXPORT = "1/10m"
    caplog.set_level(logging.WARNING, logger="commitments.security")
    assert [client.get("/updates/export.csv").status_code for _ in range(3)] == [200] * 3
    assert any("not checked (cache unavailable)" in r.getMessage() for r in caplog.records)


def test_a_failing_cache_does_not_stop_sign_ins_or_resets(client, cache_down):
    make_analyst("asha", email="asha@example.org")
    assert sign_in(client, "asha", "wrong-password").status_code == 200
    assert sign_in(client, "asha").status_code == 302
    client.logout()
    assert reset(client, "asha@example.org").status_code == 302
    assert len(mail.outbox) == 1


REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/12")


@pytest.fixture
def redis_cache(settings):
    redis = pytest.importorskip("redis")
    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL}")
    connection.flushdb()
    settings.CACHES = {
        "default": {"BACKEND": "commitments.redis_cache.SharedRedisCache", "LOCATION": REDIS_URL}
    }
    yield
    connection.flushdb()


def test_limits_are_counted_in_redis_shared_by_app_servers(client, settings, redis_cache):
    settings.THROTTLE_RATE_EXPORT = "2/10m"
    assert [client.get("/updates/export.csv").status_code for _ in range(3)] == [200, 200, 429]


# Settings and documentation ----------------------------------------------------------------


SETTING_NAMES = [
    "TRUSTED_PROXY_COUNT",
    "SITE_URL",
    "AXES_CLIENT_IP_CALLABLE",
    "THROTTLE_RATE_HEAVY",
]


def load_settings(**env):
    clean = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "tracker.settings", **env}
    code = (
        "import django; from django.conf import settings; django.setup(); "
        f"print('|'.join(str(getattr(settings, n)) for n in {SETTING_NAMES!r}))"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True
    )


def load_setting(name, **env):
    result = load_settings(**env)
    assert result.returncode == 0, result.stderr
    return dict(zip(SETTING_NAMES, result.stdout.strip().split("|"), strict=True))[name]


def test_rates_come_from_the_environment():
    assert load_setting("THROTTLE_RATE_HEAVY", DEBUG="1") == "10/10m"
    assert load_setting("THROTTLE_RATE_HEAVY", DEBUG="1", THROTTLE_RATE_HEAVY="5/h") == "5/h"
    assert load_setting("THROTTLE_RATE_HEAVY", DEBUG="1", THROTTLE_RATE_HEAVY="off") == "None"
    bad = load_settings(DEBUG="1", THROTTLE_RATE_HEAVY="ten a minute")
    assert bad.returncode != 0 and "THROTTLE_RATE_HEAVY must look like 10/10m" in bad.stderr


def test_a_limit_turned_off_is_not_applied(client, settings):
    settings.THROTTLE_RATE_EXPORT = None
    assert {client.get("/updates/export.csv").status_code for _ in range(4)} == {200}


def test_every_new_setting_is_documented():
    readme = (ROOT / "README.md").read_text()
    table = readme.split("## Environment variables", 1)[1].split("\n## ", 1)[0]
    for name in (
        "TRUSTED_PROXY_COUNT",
        "SITE_URL",
        "THROTTLE_RATE_LOGIN",
        "THROTTLE_RATE_LOGIN_FAILED",
        "THROTTLE_RATE_RESET_ADDRESS",
        "THROTTLE_RATE_RESET_EMAIL",
        "THROTTLE_RATE_HEAVY",
        "THROTTLE_RATE_EXPORT",
    ):
        assert f"`{name}`" in table, name
