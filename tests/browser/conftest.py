"""Real-browser tests: Playwright driving Debian's Chromium (no browser download works here)."""

import importlib
import os

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")

# live_server tests touch the ORM from Playwright's event loop thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if os.path.exists(CHROMIUM):
        return
    skip = pytest.mark.skip(
        reason=f"Chromium not found at {CHROMIUM}: install it with `apt-get install -y chromium` "
        "(.ci/run does) to run the browser tests"
    )
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(autouse=True)
def roles(transactional_db):
    """Transactional tests flush the database after each test, groups included: put them back."""
    from django.contrib.auth.models import Group, Permission

    role_permissions = importlib.import_module("commitments.migrations.0002_roles").ROLE_PERMISSIONS
    for name, codenames in role_permissions.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="commitments", codename__in=codenames)
        )
