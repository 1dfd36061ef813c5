import pytest
import time_machine
from django.core.management import call_command

from tests.factories import NOW, make_analyst, make_editor, make_user


@pytest.fixture(autouse=True)
def fixed_clock():
    """Every test starts at NOW (tests/factories.py), so nothing depends on the day the suite
    runs: "today", "stale", "overdue" and "not in the future" are always the same. The clock
    then ticks on from there: what happens later in a test (a second publication, a history
    record) is still later, as the models' ordering needs. A test may move it
    (`fixed_clock.shift(...)`). The browser tests run on the real clock
    (tests/browser/conftest.py)."""
    with time_machine.travel(NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def empty_cache():
    # The public cache lives in the process (or Redis); each test starts without it.
    from django.core.cache import cache

    from commitments.cache import local_copies

    cache.clear()
    local_copies.clear()
    yield
    cache.clear()
    local_copies.clear()


@pytest.fixture(autouse=True)
def english_to_start():
    """Each test starts in English: a request under /ja/ or /hi/ leaves its language active in
    the thread (Django activates a language per request and never deactivates it), which
    would turn the next test's plain function calls Japanese."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    """Background tasks run at once, in the test's own process and transaction. The tests of
    the worker (tests/test_worker.py) put the database backend back and start real worker
    processes."""
    settings.TASKS = {
        "default": {
            "BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "imports", "mail"],
        }
    }


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Real hashers take ~0.5 s per password by design; tests only need a working one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def seeded(db):
    """The India–Japan summit data set of August 2025 (fixtures/india_japan_2025.json)."""
    call_command("loaddata", "india_japan_2025", verbosity=0)


@pytest.fixture
def analyst(db):
    return make_analyst("alice")


@pytest.fixture
def other_analyst(db):
    return make_analyst("bob")


@pytest.fixture
def editor(db):
    return make_editor("erin")


@pytest.fixture
def other_editor(db):
    return make_editor("frank")


@pytest.fixture
def superuser(db):
    return make_user("root", is_staff=True, is_superuser=True)


@pytest.fixture
def outsider(db):
    """Signed in, but in no group."""
    return make_user("olivia")


@pytest.fixture
def roles(transactional_db):
    """Transactional tests flush the database after each test, groups included: put them back."""
    from commitments.roles import ROLE_PERMISSIONS, role_group

    for name in ROLE_PERMISSIONS:
        role_group(name)
