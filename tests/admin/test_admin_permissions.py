"""Who may reach which admin page: every registered model's changelist, add, change, history
and delete pages, for every role, in one table (the site's URLs are in
tests/test_url_permissions.py; actions on updates through every door in test_doors.py).

Analysts and anonymous visitors never get in (302 to sign in). Editors keep commitments,
parties, sectors, events and sources, but cannot delete what the public has seen, and do not
manage accounts or sign-in records. Superusers may do everything the rules allow.
"""

import pytest
from django.contrib import admin
from django.urls import reverse

from commitments.models import StatusUpdate
from tests.factories import (
    make_analyst,
    make_commitment,
    make_editor,
    make_party,
    make_published_update,
    make_user,
)

REGISTERED = sorted(
    (model._meta.app_label, model._meta.model_name) for model in admin.site._registry
)
PAGES = ["changelist", "add", "change", "history", "delete"]

# (app, model) → {page: (editor, superuser)}; analysts and anonymous get 302 everywhere.
EDITOR_AND_ROOT = dict.fromkeys(PAGES, (200, 200))
PUBLIC_RECORD = {**EDITOR_AND_ROOT, "delete": (403, 403)}
ROOT_ONLY = dict.fromkeys(PAGES, (403, 200))
EXPECTED = {
    ("auth", "group"): ROOT_ONLY,
    ("commitments", "user"): ROOT_ONLY,
    ("commitments", "commitment"): PUBLIC_RECORD,
    ("commitments", "statusupdate"): PUBLIC_RECORD,
    ("commitments", "source"): PUBLIC_RECORD,
    ("commitments", "party"): EDITOR_AND_ROOT,
    ("commitments", "sector"): EDITOR_AND_ROOT,
    ("commitments", "event"): EDITOR_AND_ROOT,
    # django-tasks-db's record of background tasks: superusers read it; nobody adds, changes
    # or deletes a task there (its admin refuses those to everyone).
    ("django_tasks_database", "dbtaskresult"): {
        **dict.fromkeys(PAGES, (403, 200)),
        "add": (403, 403),
        "delete": (403, 403),
    },
}
LOGS = {"changelist": (403, 200)}  # django-axes' sign-in records: read by superusers only


def test_every_registered_model_is_in_the_table():
    assert {key for key in REGISTERED if key[0] != "axes"} == set(EXPECTED)


@pytest.fixture
def world(db):
    """One public object of each kind (the published update, its source and commitment)."""
    update = make_published_update(make_commitment(parties=[(make_party(), "lead")]))
    people = {
        "anonymous": None,
        "analyst": make_analyst("perm-analyst"),
        "editor": make_editor("perm-editor"),
        "superuser": make_user("perm-root", is_staff=True, is_superuser=True),
    }
    return update, people


def object_of(model_name, update, people):
    commitment = update.commitment
    return {
        "commitment": commitment,
        "statusupdate": update,
        "source": update.sources.get(),
        "party": commitment.parties.get(),
        "sector": commitment.sector,
        "event": None,
        "user": people["editor"],
        "group": people["editor"].groups.get(),
        "dbtaskresult": None,
    }[model_name]


# (Not named "page": that is Playwright's fixture, and a parameter of that name makes pytest
# reorder the browser tests, which empty the database, before other tests.)
CASES = [
    pytest.param(app, model, view, role, id=f"{app}-{model}-{view}-{role}")
    for app, model in REGISTERED
    for view in (["changelist"] if app == "axes" else PAGES)
    for role in ["anonymous", "analyst", "editor", "superuser"]
]


@pytest.mark.parametrize(("app", "model", "view", "role"), CASES)
def test_admin_page_by_role(client, world, app, model, view, role):
    update, people = world
    args = []
    if view in ("change", "history", "delete"):
        obj = object_of(model, update, people)
        if obj is None and model == "dbtaskresult":  # a queued background task
            from django_tasks_db.models import DBTaskResult

            obj = DBTaskResult.objects.create(
                args_kwargs={"args": [1], "kwargs": {}},
                task_path="commitments.tasks.check_import",
                backend_name="default",
                queue_name="imports",
            )
        elif obj is None:  # no event in this world: make one
            from tests.factories import make_event

            obj = make_event()
        args = [obj.pk]
    if people[role]:
        client.force_login(people[role])
    status = client.get(reverse(f"admin:{app}_{model}_{view}", args=args)).status_code
    if role in ("anonymous", "analyst"):
        assert status == 302
        return
    table = LOGS if app == "axes" else EXPECTED[(app, model)]
    editor, superuser = table[view]
    assert status == (editor if role == "editor" else superuser)
    assert StatusUpdate.objects.filter(pk=update.pk, state="published").exists()
