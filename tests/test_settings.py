"""Settings come from the environment; production refuses to start without a secret."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def load_settings(**env):
    """Import the settings in a fresh interpreter with exactly this environment."""
    clean = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "tracker.settings", **env}
    code = (
        "import django; from django.conf import settings; django.setup(); "
        "print(settings.DEBUG, settings.ALLOWED_HOSTS, settings.DATABASES['default']['ENGINE'], "
        "settings.TIME_ZONE, settings.DEFAULT_AUTO_FIELD, settings.AUTH_USER_MODEL, sep='|')"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True
    )


def test_production_refuses_to_start_without_secret_key():
    result = load_settings()
    assert result.returncode != 0
    assert "SECRET_KEY is required when DEBUG is off" in result.stderr


def test_debug_is_off_unless_set():
    result = load_settings(SECRET_KEY="x" * 50, ALLOWED_HOSTS="tracker.example.org")
    assert result.returncode == 0, result.stderr
    debug, hosts, *_ = result.stdout.strip().split("|")
    assert debug == "False"
    assert hosts == "['tracker.example.org']"


def test_development_defaults_are_sqlite_and_explicit():
    result = load_settings(DEBUG="1")
    assert result.returncode == 0, result.stderr
    debug, _, engine, tz, auto_field, user_model = result.stdout.strip().split("|")
    assert debug == "True"
    assert engine == "django.db.backends.sqlite3"
    assert tz == "UTC"
    assert auto_field == "django.db.models.BigAutoField"
    assert user_model == "commitments.User"


def test_database_url_and_time_zone_are_read():
    result = load_settings(
        DEBUG="1",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/tracker",
        TIME_ZONE="Asia/Kolkata",
    )
    assert result.returncode == 0, result.stderr
    _, _, engine, tz, *_ = result.stdout.strip().split("|")
    assert engine == "django.db.backends.postgresql"
    assert tz == "Asia/Kolkata"


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_a_nonsense_boolean_is_explained(value):
    result = load_settings(DEBUG=value)
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def run_manage(*args, **env):
    clean = {"PATH": os.environ["PATH"], **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True
    )


def test_a_bare_checkout_runs_manage_py_as_development():
    result = run_manage("check")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_manage_py_configured_for_a_database_still_needs_its_secret():
    result = run_manage("check", DATABASE_URL="postgres://tracker@db.invalid:5432/tracker")
    assert result.returncode != 0
    assert "SECRET_KEY is required when DEBUG is off" in result.stderr
