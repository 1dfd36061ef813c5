"""Production configuration: deploy checks, security headers on every kind of response,
health checks, and a wrong Host header."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "PATH": os.environ["PATH"],
    "DJANGO_SETTINGS_MODULE": "tracker.settings",
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "tracker.example.org",
}


def test_deploy_checks_pass_with_no_warnings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=PRODUCTION_ENV,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_settings_are_strict():
    code = (
        "import django; from django.conf import settings; django.setup(); "
        "print(settings.SECURE_HSTS_SECONDS, settings.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
        "settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, "
        "settings.SESSION_COOKIE_HTTPONLY, settings.SECURE_SSL_REDIRECT, "
        "settings.STORAGES['staticfiles']['BACKEND'], sep='|')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=PRODUCTION_ENV, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    hsts, subdomains, session_secure, csrf_secure, httponly, redirect, storage = (
        result.stdout.strip().split("|")
    )
    assert int(hsts) >= 31536000
    assert (subdomains, session_secure, csrf_secure, httponly, redirect) == ("True",) * 5
    assert storage == "whitenoise.storage.CompressedManifestStaticFilesStorage"


@pytest.fixture
def https_production(settings):
    settings.SECURE_HSTS_SECONDS = 31536000


RESPONSE_KINDS = [
    "/",  # HTML
    "/api/commitments/",  # JSON
    "/feeds/updates.atom",  # Atom
    "/commitments/?_export=csv",  # CSV
    "/commitments/?_export=xlsx",  # XLSX
    "/reports/progress/?format=pdf",  # PDF
    "/static/css/site.css",  # static
    "/no-such-page/",  # error page
    "/healthz",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", RESPONSE_KINDS)
def test_security_headers_on_every_kind_of_response(client, https_production, url):
    response = client.get(url, secure=True)
    assert response.status_code in (200, 404)
    csp = response["Content-Security-Policy"]
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in csp
    script_src = next(part for part in csp.split(";") if "script-src" in part)
    assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src
    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_the_badge_may_be_embedded(client, https_production, seeded):
    response = client.get("/commitments/chandrayaan-5/badge.svg", secure=True)
    assert "frame-ancestors" not in response["Content-Security-Policy"]
    assert "X-Frame-Options" not in response
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_error_pages_show_no_traceback(client):
    response = client.get("/commitments/nope/")
    content = response.content.decode()
    assert response.status_code == 404
    assert "Traceback" not in content and "Page not found" in content


@pytest.mark.django_db
def test_a_wrong_host_gets_400(client):
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400


@pytest.mark.django_db
def test_healthz_reports_database_and_cache(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_says_503_when_the_cache_is_down(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        }
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["cache"].startswith("failing")
    assert response.json()["database"] == "ok"
