"""Who may open which URL: one table for every URL pattern of the project.

A new URL pattern fails `test_every_url_pattern_is_in_the_table` until it gets a row here.
"""

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import make_analyst, make_editor, make_user

ROLES = ["anonymous", "analyst", "editor", "superuser"]
PUBLIC = dict.fromkeys(ROLES, 200)

# pattern name → (example URL, {role: GET status}, POST status for everyone or None to skip)
TABLE = {
    "commitments:dashboard": ("/", PUBLIC, 405),
    "commitments:list": ("/commitments/", PUBLIC, 405),
    "commitments:detail": ("/commitments/chandrayaan-5/", PUBLIC, 405),
    "commitments:sector": ("/sectors/space/", PUBLIC, 405),
    "commitments:party": ("/parties/isro/", PUBLIC, 405),
    "commitments:about": ("/about/", PUBLIC, 405),
    # The admin's own pages are covered model by model in tests/admin/.
    "admin": (
        "/admin/",
        {"anonymous": 302, "analyst": 302, "editor": 200, "superuser": 200},
        None,
    ),
}


def url_pattern_names(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                yield "admin"
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_pattern_names(pattern, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}"


def test_every_url_pattern_is_in_the_table():
    assert set(url_pattern_names()) == set(TABLE)


@pytest.fixture
def people(db):
    call_command("loaddata", "india_japan_2025", verbosity=0)
    return {
        "anonymous": None,
        "analyst": make_analyst(),
        "editor": make_editor(),
        "superuser": make_user(is_staff=True, is_superuser=True),
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(TABLE))
def test_get_and_post_by_role(client, people, name, role):
    url, expected, post_status = TABLE[name]
    if people[role]:
        client.force_login(people[role])
    assert client.get(url).status_code == expected[role]
    if post_status is not None:
        assert client.post(url).status_code == post_status
