"""The Analyst and Editor groups exist after migrate, with the permissions each role needs."""

import pytest
from django.contrib.auth.models import Group

EDITOR_MODELS = [
    "commitment",
    "commitmentparty",
    "statusupdate",
    "source",
    "party",
    "event",
    "sector",
]


def codenames(group_name):
    group = Group.objects.get(name=group_name)
    return set(group.permissions.values_list("codename", flat=True))


@pytest.mark.django_db
def test_analysts_add_and_change_updates_and_sources_only():
    assert codenames("Analyst") == {
        "add_statusupdate",
        "change_statusupdate",
        "add_source",
        "change_source",
    }


@pytest.mark.django_db
def test_editors_manage_everything_editorial_and_may_publish():
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
