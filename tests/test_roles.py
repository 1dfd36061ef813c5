"""The Analyst and Editor groups exist after migrate, with the permissions each role needs."""

import importlib

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

EDITOR_MODELS = [
    "commitment",
    "commitmentparty",
    "statusupdate",
    "source",
    "party",
    "event",
    "sector",
]


@pytest.fixture
def migrated_roles(db):
    """The groups as migration 0002 makes them. A transactional test earlier in the run
    flushes the database, groups included: run the migration's own function again, on the
    models as they were at that migration."""
    if Group.objects.filter(name__in=["Analyst", "Editor"]).count() == 2:
        return
    roles = importlib.import_module("commitments.migrations.0002_roles")
    state = MigrationExecutor(connection).loader.project_state(("commitments", "0002_roles"))
    roles.create_roles(state.apps, None)


def codenames(group_name):
    group = Group.objects.get(name=group_name)
    return set(group.permissions.values_list("codename", flat=True))


def test_analysts_add_and_change_updates_and_sources_only(migrated_roles):
    assert codenames("Analyst") == {
        "add_statusupdate",
        "change_statusupdate",
        "add_source",
        "change_source",
    }


def test_editors_manage_everything_editorial_and_may_publish(migrated_roles):
    expected = {
        f"{action}_{model}"
        for model in EDITOR_MODELS
        for action in ("add", "change", "delete", "view")
    }
    assert codenames("Editor") == expected | {"publish_statusupdate"}


@pytest.mark.django_db
def test_roles_are_read_from_groups(analyst, editor, superuser, outsider):
    assert analyst.has_perm("commitments.add_statusupdate")
    assert not analyst.has_perm("commitments.publish_statusupdate")
    assert not analyst.has_perm("commitments.change_commitment")
    assert editor.has_perm("commitments.publish_statusupdate")
    assert editor.has_perm("commitments.delete_commitment")
    assert not editor.has_perm("commitments.delete_user")
    assert not outsider.has_perm("commitments.add_statusupdate")
    assert [analyst.role, editor.role, superuser.role, outsider.role] == [
        "Analyst",
        "Editor",
        "Admin",
        "",
    ]
