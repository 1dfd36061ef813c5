"""The workflow's order, CSRF on every form, no change on GET, and one publication at a time."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse

from commitments.models import StatusUpdate
from tests.factories import (
    make_commitment,
    make_editor,
    make_source,
    make_update,
    open_correction,
    open_retraction,
)

State = StatusUpdate.State

# Every transition the model allows; everything else must be refused.
LEGAL = {
    ("draft", "submit"),
    ("rejected", "submit"),
    ("submitted", "withdraw"),
    ("rejected", "reopen"),
    ("submitted", "publish"),
    ("submitted", "reject"),
}
STEPS = ["submit", "withdraw", "reopen", "publish", "reject"]


def put_in_state(state, author, editor):
    update = make_update(author=author)
    if state != State.DRAFT:
        update.submit()
    if state in (State.PUBLISHED, State.SUPERSEDED, State.RETRACTED):
        update.publish(editor)
    if state == State.SUPERSEDED:
        open_correction(update, author, summary="Fixed.").publish(editor)
    if state == State.RETRACTED:
        open_retraction(update, author).publish(editor)
    if state == State.REJECTED:
        update.reject(editor, "No.")
    return update


def run(step, update, editor):
    if step in ("publish",):
        update.publish(editor)
    elif step == "reject":
        update.reject(editor, "Still no.")
    else:
        getattr(update, step)()


@pytest.mark.django_db
@pytest.mark.parametrize("state", [s.value for s in State])
@pytest.mark.parametrize("step", STEPS)
def test_only_legal_transitions_happen(analyst, editor, state, step):
    update = put_in_state(state, analyst, editor)
    if (state, step) in LEGAL:
        run(step, update, editor)
        assert StatusUpdate.objects.get(pk=update.pk).state != state
    else:
        with pytest.raises(ValidationError):
            run(step, update, editor)
        assert StatusUpdate.objects.get(pk=update.pk).state == state


def mutating_urls(update_ids):
    draft, submitted = update_ids
    return [
        reverse("commitments:update-submit", args=[draft]),
        reverse("commitments:update-delete", args=[draft]),
        reverse("commitments:update-withdraw", args=[submitted]),
        reverse("commitments:update-publish", args=[submitted]),
        reverse("commitments:update-reject", args=[submitted]),
        reverse("commitments:update-edit", args=[draft]),
        reverse("commitments:update-new", args=["csrf-check"]),
        reverse("logout"),
        reverse("password_change"),
    ]


@pytest.fixture
def two_updates(analyst):
    commitment = make_commitment(slug="csrf-check")
    draft = make_update(commitment, author=analyst)
    submitted = make_update(commitment, author=analyst)
    submitted.submit()
    return draft.pk, submitted.pk


@pytest.mark.django_db
@pytest.mark.parametrize("index", range(9))
def test_every_form_needs_its_csrf_token(analyst, editor, two_updates, index):
    url = mutating_urls(two_updates)[index]
    for user in (analyst, editor):
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        assert client.post(url, {"comment": "x", "action": "save"}).status_code == 403, url
    states = set(StatusUpdate.objects.values_list("state", flat=True))
    assert states == {"draft", "submitted"}
    assert StatusUpdate.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("index", range(5))
def test_get_changes_nothing(client, analyst, editor, two_updates, index):
    url = mutating_urls(two_updates)[index]
    # Delete answers a GET with its confirmation page (for the author; nobody else sees it).
    expected = {analyst: 200, editor: 404} if index == 1 else {analyst: 405, editor: 405}
    for user in (analyst, editor):
        client.force_login(user)
        assert client.get(url).status_code == expected[user]
    assert sorted(StatusUpdate.objects.values_list("state", flat=True)) == ["draft", "submitted"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
@pytest.mark.django_db(transaction=True)
def test_two_editors_publishing_at_once_make_one_publication():
    from django.contrib.auth.models import Group, Permission

    group, _ = Group.objects.get_or_create(name="Editor")
    group.permissions.set(Permission.objects.filter(codename="publish_statusupdate"))
    update = make_update(sources=[make_source()])
    update.submit()
    editors = [make_editor(f"editor-{i}") for i in range(2)]
    barrier = threading.Barrier(2)
    outcomes = []

    def publish(editor):
        from django.db import connections

        copy = StatusUpdate.objects.get(pk=update.pk)
        barrier.wait()
        try:
            copy.publish(editor)
            outcomes.append("published")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=publish, args=(editor,)) for editor in editors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["published", "refused"]
    publications = StatusUpdate.history.filter(id=update.pk, history_change_reason="Published")
    assert publications.count() == 1
    assert StatusUpdate.objects.get(pk=update.pk).state == "published"
