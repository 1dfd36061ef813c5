"""Every action on an update × every door (the site, the admin change form and delete page,
the admin actions) × every role, in one table. The admin can do nothing the site forbids;
the commitment page's inline of updates is read-only (tests/test_integrity.py).

The table is written out by hand from README's rules, not computed from commitments/rules.py,
so a change to the rules that nobody meant fails here.
"""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from commitments.models import StatusUpdate
from tests.factories import (
    make_analyst,
    make_commitment,
    make_editor,
    make_source,
    make_update,
    make_user,
    publish,
)

ROLES = ["author_analyst", "other_analyst", "editor", "superuser", "editor_own"]
ANYONE_WHO_LOGS = set(ROLES)
THE_AUTHOR = {"author_analyst", "editor_own"}
ANOTHER_EDITOR = {"editor", "superuser"}

# action → (the state the update starts in, who may do it)
RULES = {
    "edit": ("draft", THE_AUTHOR),
    "delete": ("draft", THE_AUTHOR),
    "submit": ("draft", THE_AUTHOR),
    "withdraw": ("submitted", THE_AUTHOR),
    "publish": ("submitted", ANOTHER_EDITOR),
    "reject": ("submitted", ANOTHER_EDITOR),
    "correct": ("published", ANYONE_WHO_LOGS),
    "retract": ("published", ANYONE_WHO_LOGS),
}
ADMIN_ROLES = {"editor", "superuser", "editor_own"}  # analysts never get into the admin


@pytest.fixture
def people(db):
    editor = make_editor("door-editor")
    return {
        "author_analyst": make_analyst("door-author"),
        "other_analyst": make_analyst("door-other"),
        "editor": editor,
        "superuser": make_user("door-root", is_staff=True, is_superuser=True),
        "editor_own": editor,
    }


def make_subject(people, role, state):
    author = people["editor_own"] if role == "editor_own" else people["author_analyst"]
    update = make_update(
        make_commitment(),
        author=author,
        summary="As written",
        sources=[make_source(added_by=author)],
    )
    if state in ("submitted", "published"):
        update.submit(by=author)
    if state == "published":
        publish(update, by=make_editor())
    return StatusUpdate.objects.get(pk=update.pk)


def happened(action, update) -> bool:
    current = StatusUpdate.objects.filter(pk=update.pk).first()
    if action == "delete":
        return current is None
    return {
        "edit": lambda: current.summary == "Changed",
        "submit": lambda: current.state == "submitted",
        "withdraw": lambda: current.state == "draft",
        "publish": lambda: current.state == "published",
        "reject": lambda: current.state == "rejected",
        "correct": lambda: current.revisions.filter(kind="correction").exists(),
        "retract": lambda: current.revisions.filter(kind="retraction").exists(),
    }[action]()


def form_data(update):
    return {
        "action": "save",
        "loaded_version": update.version,
        "as_of": update.as_of.isoformat(),
        "status": update.status,
        "summary": "Changed",
        "body": "",
        "existing_sources": [s.pk for s in update.sources.all()],
        "correction_note": "Because.",
        "new-TOTAL_FORMS": "0",
        "new-INITIAL_FORMS": "0",
    }


def through_the_site(client, action, update):
    url = reverse(f"commitments:update-{action}", args=[update.pk])
    data = {"version": update.version, "comment": "No.", "note": "Wrong."}
    if action in ("edit", "correct"):
        data = form_data(update)
    return client.post(url, data)


def through_the_admin_form(client, action, update):
    if action == "edit":
        url = reverse("admin:commitments_statusupdate_change", args=[update.pk])
        data = {**form_data(update), "commitment": update.commitment_id}
        data["sources"] = data.pop("existing_sources")
        return client.post(url, data)
    url = reverse("admin:commitments_statusupdate_delete", args=[update.pk])
    return client.post(url, {"post": "yes"})


ADMIN_ACTIONS = {
    "submit": "submit_for_review",
    "publish": "publish_updates",
    "reject": "reject_updates",
    "delete": "delete_selected",
}


def through_an_admin_action(client, action, update):
    return client.post(
        reverse("admin:commitments_statusupdate_changelist"),
        {
            "action": ADMIN_ACTIONS[action],
            ACTION_CHECKBOX_NAME: [update.pk],
            "apply": "1",
            "post": "yes",
            f"version-{update.pk}": update.version,
            "comment": "No.",
        },
    )


DOORS = [
    ("site", through_the_site, set(RULES)),
    ("admin form", through_the_admin_form, {"edit", "delete"}),
    ("admin action", through_an_admin_action, set(ADMIN_ACTIONS)),
]
CASES = [
    pytest.param(action, door, role, id=f"{action}-{name}-{role}")
    for name, door, actions in DOORS
    for action in sorted(actions)
    for role in ROLES
]


@pytest.mark.parametrize(("action", "door", "role"), CASES)
def test_every_door_follows_the_same_rules(client, people, action, door, role):
    state, allowed_roles = RULES[action]
    update = make_subject(people, role, state)
    client.force_login(people[role])
    response = door(client, action, update)
    assert response.status_code < 500
    expected = role in allowed_roles
    if door is not through_the_site:
        expected = expected and role in ADMIN_ROLES
    assert happened(action, update) is expected


@pytest.mark.parametrize("action", sorted(RULES))
def test_anonymous_visitors_can_do_nothing(client, people, action):
    state, _ = RULES[action]
    update = make_subject(people, "author_analyst", state)
    through_the_site(client, action, update)
    assert not happened(action, update)
