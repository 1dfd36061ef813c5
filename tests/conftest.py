import pytest

from tests.factories import make_analyst, make_editor, make_user


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
