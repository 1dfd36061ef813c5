"""Real-browser tests: Playwright driving Debian's Chromium (no browser download works here)."""

import os

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")

# live_server tests touch the ORM from Playwright's event loop thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if os.environ.get("BROWSER_TESTS") == "0":
        # .ci/run's PostgreSQL pass: the browser tests check pages, styles and scripts, which
        # are the same on either database, and its SQLite pass has just run them.
        skip = pytest.mark.skip(reason="BROWSER_TESTS=0: browser tests skipped on this run")
    elif os.path.exists(CHROMIUM):
        return
    else:
        skip = pytest.mark.skip(
            reason=f"Chromium not found at {CHROMIUM}: install it with "
            "`apt-get install -y chromium` (.ci/run does) to run the browser tests"
        )
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture
def fixed_clock():
    """The real clock here: the live server answers a real Chromium on the real clock, which
    would drop session cookies set to expire two weeks after NOW once that date is past."""
    return None


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
def _roles(roles):
    """Every browser test runs with a flushed-after database: the groups come back first."""
