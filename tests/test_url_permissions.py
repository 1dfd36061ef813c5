"""Who may do what at which URL: one table for every URL pattern of the project.

A new URL pattern fails `test_every_url_pattern_is_in_the_table` until it gets a row here.
Statuses: 200 shown, 302 redirected (to sign in when anonymous, or onwards after an action),
403 seen but not allowed, 404 not theirs to see, 405 wrong method.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from commitments.following.subscriptions import confirmation_code
from commitments.models import ImportBatch, ImportRow, StatusUpdate, Subscriber, Subscription
from tests.factories import (
    make_analyst,
    make_commitment,
    make_editor,
    make_event,
    make_party,
    make_published_update,
    make_sector,
    make_source,
    make_user,
)

ROLES = ["anonymous", "analyst_a", "analyst_b", "editor", "superuser"]


def each(anonymous, analyst_a, analyst_b, editor, superuser):
    return dict(zip(ROLES, (anonymous, analyst_a, analyst_b, editor, superuser), strict=True))


PUBLIC_GET = each(200, 200, 200, 200, 200)
NOT_ALLOWED = each(405, 405, 405, 405, 405)
SIGNED_IN_GET = each(302, 200, 200, 200, 200)

# name → (URL, GET statuses, POST statuses, POST data). "{draft}" is analyst A's draft,
# "{submitted}" analyst A's update awaiting review.
TABLE = {
    "commitments:dashboard": ("/", PUBLIC_GET, NOT_ALLOWED, {}),
    "commitments:list": ("/commitments/", PUBLIC_GET, NOT_ALLOWED, {}),
    "commitments:detail": ("/commitments/chandrayaan-5/", PUBLIC_GET, NOT_ALLOWED, {}),
    "commitments:history": ("/commitments/chandrayaan-5/history/", PUBLIC_GET, NOT_ALLOWED, {}),
    "commitments:sector": ("/sectors/space/", PUBLIC_GET, NOT_ALLOWED, {}),
    "commitments:party": ("/parties/isro/", PUBLIC_GET, NOT_ALLOWED, {}),
    "commitments:event": (
        "/events/india-japan-annual-summit-2025/",
        PUBLIC_GET,
        NOT_ALLOWED,
        {},
    ),
    "commitments:robots": ("/robots.txt", PUBLIC_GET, NOT_ALLOWED, {}),
    "commitments:about": ("/about/", PUBLIC_GET, NOT_ALLOWED, {}),
    "commitments:updates-csv": ("/updates/export.csv", PUBLIC_GET, NOT_ALLOWED, {}),
    "commitments:report": ("/reports/progress/", PUBLIC_GET, NOT_ALLOWED, {}),
    "commitments:reports": ("/reports/", each(302, 302, 302, 302, 302), NOT_ALLOWED, {}),
    "commitments:feed": ("/feeds/updates.atom", PUBLIC_GET, NOT_ALLOWED, {}),
    "commitments:commitment-feed": (
        "/commitments/chandrayaan-5/feed.atom",
        PUBLIC_GET,
        NOT_ALLOWED,
        {},
    ),
    "commitments:cite-bib": (
        "/commitments/chandrayaan-5/cite.bib",
        PUBLIC_GET,
        NOT_ALLOWED,
        {},
    ),
    "commitments:cite-ris": (
        "/commitments/chandrayaan-5/cite.ris",
        PUBLIC_GET,
        NOT_ALLOWED,
        {},
    ),
    "commitments:badge": ("/commitments/chandrayaan-5/badge.svg", PUBLIC_GET, NOT_ALLOWED, {}),
    "commitments:workspace": ("/workspace/", SIGNED_IN_GET, NOT_ALLOWED, {}),
    "commitments:log-update": ("/workspace/log/", SIGNED_IN_GET, NOT_ALLOWED, {}),
    "commitments:import-export-csv": (
        "/workspace/updates/export.csv",
        SIGNED_IN_GET,
        NOT_ALLOWED,
        {},
    ),
    "commitments:import-export-xlsx": (
        "/workspace/updates/export.xlsx",
        SIGNED_IN_GET,
        NOT_ALLOWED,
        {},
    ),
    "commitments:number-system": (
        "/preferences/numbers/",
        NOT_ALLOWED,
        each(302, 302, 302, 302, 302),
        {"system": "international", "next": "/"},
    ),
    "commitments:review": ("/review/", each(302, 403, 403, 200, 200), NOT_ALLOWED, {}),
    "commitments:update-new": (
        "/commitments/chandrayaan-5/updates/new/",
        SIGNED_IN_GET,
        each(302, 200, 200, 200, 200),  # an empty form comes back with its errors
        {"action": "save"},
    ),
    "commitments:update-edit": (
        "/updates/{draft}/edit/",
        each(302, 200, 404, 404, 404),
        each(302, 200, 404, 404, 404),
        {"action": "save"},
    ),
    "commitments:update": (
        "/updates/{published}/",
        each(302, 302, 302, 302, 302),  # on to the timeline page that shows it
        NOT_ALLOWED,
        {},
    ),
    "commitments:update-correct": (
        "/updates/{published}/correct/",
        SIGNED_IN_GET,
        each(302, 200, 200, 200, 200),  # an empty form comes back with its errors
        {"action": "save"},
    ),
    "commitments:update-retract": (
        "/updates/{published}/retract/",
        SIGNED_IN_GET,
        each(302, 200, 200, 200, 200),  # no note: the form comes back with its error
        {},
    ),
    "commitments:update-submit": (
        "/updates/{draft}/submit/",
        NOT_ALLOWED,
        each(302, 302, 404, 404, 404),
        {},
    ),
    "commitments:update-delete": (
        "/updates/{draft}/delete/",
        each(302, 200, 404, 404, 404),  # GET asks for confirmation, POST deletes
        each(302, 302, 404, 404, 404),
        {},
    ),
    "commitments:update-withdraw": (
        "/updates/{submitted}/withdraw/",
        NOT_ALLOWED,
        each(302, 302, 404, 403, 403),
        {},
    ),
    "commitments:update-publish": (
        "/updates/{submitted}/publish/",
        NOT_ALLOWED,
        each(302, 403, 403, 302, 302),
        {},
    ),
    "commitments:update-reject": (
        "/updates/{submitted}/reject/",
        NOT_ALLOWED,
        each(302, 403, 403, 302, 302),
        {"comment": "Needs a better source."},
    ),
    # The updates import: contributors upload; a batch is its uploader's alone (404 to others).
    "commitments:import-upload": (
        "/workspace/imports/",
        SIGNED_IN_GET,
        each(302, 200, 200, 200, 200),  # no file: the form comes back with its error
        {},
    ),
    "commitments:import-batch": (
        "/workspace/imports/{batch}/",
        each(302, 200, 404, 404, 404),
        NOT_ALLOWED,
        {},
    ),
    "commitments:import-apply": (
        "/workspace/imports/{batch}/apply/",
        NOT_ALLOWED,
        each(302, 302, 404, 404, 404),
        {},
    ),
    "commitments:import-cancel": (
        "/workspace/imports/{batch}/cancel/",
        NOT_ALLOWED,
        each(302, 302, 404, 404, 404),
        {},
    ),
    # Following by e-mail: anyone with the link (the token pages are the address's secret).
    "commitments:follow": (
        "/follow/?commitment=chandrayaan-5",
        PUBLIC_GET,
        PUBLIC_GET,  # no address: the form comes back with its error
        {},
    ),
    "commitments:follow-confirm": ("/follow/confirm/{signed}/", PUBLIC_GET, PUBLIC_GET, {}),
    "commitments:follow-manage": (
        "/follow/manage/{token}/",
        PUBLIC_GET,
        PUBLIC_GET,
        {"action": "frequency", "frequency": "daily"},
    ),
    "commitments:follow-unsubscribe": (
        "/follow/unsubscribe/{token}/",
        PUBLIC_GET,
        PUBLIC_GET,
        {"List-Unsubscribe": "One-Click"},
    ),
    "healthz": ("/healthz", PUBLIC_GET, NOT_ALLOWED, {}),
    # The language switcher: remembers the choice, then on to the page (GET only, a link).
    "language": ("/language/ja/?next=/ja/", each(302, 302, 302, 302, 302), NOT_ALLOWED, {}),
    "login": ("/accounts/login/", PUBLIC_GET, PUBLIC_GET, {}),
    "logout": ("/accounts/logout/", NOT_ALLOWED, each(302, 302, 302, 302, 302), {}),
    "password_change": (
        "/accounts/password_change/",
        SIGNED_IN_GET,
        each(302, 200, 200, 200, 200),
        {},
    ),
    "password_change_done": (
        "/accounts/password_change/done/",
        SIGNED_IN_GET,
        each(302, 405, 405, 405, 405),
        {},
    ),
    "password_reset": ("/accounts/password_reset/", PUBLIC_GET, PUBLIC_GET, {}),
    "password_reset_done": ("/accounts/password_reset/done/", PUBLIC_GET, NOT_ALLOWED, {}),
    "password_reset_confirm": (
        "/accounts/reset/MQ/bad-token/",
        PUBLIC_GET,
        PUBLIC_GET,
        {},
    ),
    "password_reset_complete": ("/accounts/reset/done/", PUBLIC_GET, NOT_ALLOWED, {}),
    "api:docs": ("/api/", PUBLIC_GET, NOT_ALLOWED, {}),
    "api:schema": ("/api/openapi.json", PUBLIC_GET, NOT_ALLOWED, {}),
    "api:commitment-list": ("/api/commitments/", PUBLIC_GET, NOT_ALLOWED, {}),
    "api:commitment-detail": ("/api/commitments/chandrayaan-5/", PUBLIC_GET, NOT_ALLOWED, {}),
    "api:update-list": ("/api/updates/", PUBLIC_GET, NOT_ALLOWED, {}),
    "api:update-detail": ("/api/updates/{published}/", PUBLIC_GET, NOT_ALLOWED, {}),
    "api:sector-list": ("/api/sectors/", PUBLIC_GET, NOT_ALLOWED, {}),
    "api:sector-detail": ("/api/sectors/space/", PUBLIC_GET, NOT_ALLOWED, {}),
    "api:party-list": ("/api/parties/", PUBLIC_GET, NOT_ALLOWED, {}),
    "api:party-detail": ("/api/parties/isro/", PUBLIC_GET, NOT_ALLOWED, {}),
    # The admin's own pages are covered model by model in tests/admin/.
    "admin": ("/admin/", each(302, 302, 302, 200, 200), None, {}),
    # Pages of the admin's own that are not a model's (ADMIN_PAGES below): listed one by one.
    "admin:commitments_commitment_import": (
        "/admin/commitments/commitment/import/",
        each(302, 302, 302, 200, 200),
        each(302, 302, 302, 200, 200),  # no file: the form again, with its error
        {},
    ),
    "admin:commitments_commitment_import_template": (
        "/admin/commitments/commitment/import/template.csv",
        each(302, 302, 302, 200, 200),
        each(302, 302, 302, 405, 405),
        {},
    ),
    "admin:commitments_commitment_import_batch": (
        "/admin/commitments/commitment/import/{import}/",
        each(302, 302, 302, 200, 200),
        each(302, 302, 302, 405, 405),
        {},
    ),
    "admin:commitments_commitment_import_apply": (
        "/admin/commitments/commitment/import/{import}/apply/",
        each(302, 302, 302, 405, 405),
        each(302, 302, 302, 302, 302),  # back to the batch, which says it cannot be applied
        {},
    ),
}


# Admin pages that are not a model's changelist, add, change, history or delete page
# (tests/admin/ covers those): the import pages (commitments/admin_imports.py).
ADMIN_PAGES = ("commitments_commitment_import",)

# Addresses outside the language prefixes (tracker/urls.py): the same in every language.
UNPREFIXED = {
    "healthz",
    "language",
    "admin",
    *(name for name in TABLE if name.startswith("admin:")),
}


def admin_page_names(resolver):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from admin_page_names(pattern)
        elif pattern.name and pattern.name.startswith(ADMIN_PAGES):
            yield f"admin:{pattern.name}"


def url_pattern_names(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                yield "admin"
                yield from admin_page_names(pattern)
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_pattern_names(pattern, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}"


def test_every_url_pattern_is_in_the_table():
    assert set(url_pattern_names()) == set(TABLE)


@pytest.fixture
def world(db):
    editor = make_editor()
    commitment = make_commitment(
        slug="chandrayaan-5",
        sector=make_sector(slug="space"),
        parties=[(make_party(slug="isro"), "lead")],
        event=make_event(slug="india-japan-annual-summit-2025"),
    )
    published = make_published_update(commitment, by=editor)
    analyst_a = make_analyst("analyst-a")
    draft = StatusUpdate.objects.create(
        commitment=commitment,
        as_of=commitment.announced_on,
        status="in_progress",
        summary="A's draft",
        author=analyst_a,
    )
    submitted = StatusUpdate.objects.create(
        commitment=commitment,
        as_of=commitment.announced_on,
        status="delayed",
        summary="A's submitted update",
        author=analyst_a,
    )
    submitted.sources.add(make_source())
    submitted.submit()
    # A checked import of analyst A's with a problem row (nothing to apply: applying it is
    # refused and it stays on its page, whoever may try).
    batch = ImportBatch.objects.create(
        kind=ImportBatch.Kind.UPDATES,
        created_by=analyst_a,
        filename="updates.csv",
        checksum="0" * 64,
        content=b"",
        state=ImportBatch.State.CHECKED,
        rows_total=1,
        with_problems=1,
    )
    ImportRow.objects.create(batch=batch, number=2, action="error", problems=["Bad date."])
    people = {
        "anonymous": None,
        "analyst_a": analyst_a,
        "analyst_b": make_analyst("analyst-b"),
        "editor": editor,
        "superuser": make_user(is_staff=True, is_superuser=True),
    }
    commitments_batch = ImportBatch.objects.create(
        kind=ImportBatch.Kind.COMMITMENTS,
        created_by=editor,
        filename="portfolio.csv",
        checksum="0" * 64,
        state=ImportBatch.State.CHECKED,  # nothing to apply: an apply is refused, harmlessly
    )
    reader = Subscriber.objects.create(email="reader@example.org", token="reader-token")
    waiting = Subscription.objects.create(
        subscriber=reader, scope="commitment", commitment=commitment
    )
    return people, {
        "token": reader.token,
        "signed": confirmation_code(waiting),
        "draft": draft.pk,
        "submitted": submitted.pk,
        "published": published.pk,
        "batch": batch.pk,
        "import": commitments_batch.pk,
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(TABLE))
def test_get_by_role(client, world, name, role):
    people, ids = world
    url, expected, _, _ = TABLE[name]
    if people[role]:
        client.force_login(people[role])
    assert client.get(url.format(**ids)).status_code == expected[role]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(name for name in TABLE if TABLE[name][2]))
def test_post_by_role(client, world, name, role):
    people, ids = world
    url, _, expected, data = TABLE[name]
    if people[role]:
        client.force_login(people[role])
    assert client.post(url.format(**ids), data).status_code == expected[role]


def prefixed(url: str, language: str) -> str:
    return f"/{language}{url}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(set(TABLE) - UNPREFIXED))
def test_get_by_role_in_japanese(client, world, name, role):
    """The same permissions under /ja/ as at the English address."""
    people, ids = world
    url, expected, _, _ = TABLE[name]
    if people[role]:
        client.force_login(people[role])
    assert client.get(prefixed(url.format(**ids), "ja")).status_code == expected[role]


@pytest.mark.parametrize("role", ["anonymous", "analyst_a"])
@pytest.mark.parametrize("name", sorted(name for name in set(TABLE) - UNPREFIXED if TABLE[name][2]))
def test_post_by_role_in_hindi(client, world, name, role):
    people, ids = world
    url, _, expected, data = TABLE[name]
    if people[role]:
        client.force_login(people[role])
    assert client.post(prefixed(url.format(**ids), "hi"), data).status_code == expected[role]


@pytest.mark.parametrize("name", sorted(set(TABLE) - UNPREFIXED))
def test_anonymous_get_in_hindi(client, world, name):
    _, ids = world
    url, expected, _, _ = TABLE[name]
    assert client.get(prefixed(url.format(**ids), "hi")).status_code == expected["anonymous"]


@pytest.mark.parametrize("name", sorted(UNPREFIXED - {"admin"}))
def test_unprefixed_addresses_have_no_language_version(client, world, name):
    _, ids = world
    url = TABLE[name][0].format(**ids).split("?")[0]
    assert client.get(prefixed(url, "ja")).status_code == 404
