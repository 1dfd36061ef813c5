"""Editors publish, reject and correct updates in the admin through the model methods."""

import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Permission
from django.urls import reverse

from commitments.models import Commitment, StatusUpdate
from tests.factories import (
    SUMMIT_DAY,
    TODAY,
    make_commitment,
    make_published_update,
    make_sector,
    make_source,
    make_update,
    make_user,
)

CHANGELIST = "admin:commitments_statusupdate_changelist"


def run_action(client, action, updates, **extra):
    data = {"action": action, ACTION_CHECKBOX_NAME: [u.pk for u in updates], **extra}
    return client.post(reverse(CHANGELIST), data, follow=True)


def confirm(client, action, updates, **extra):
    """The confirmation page's second step: the versions the editor was shown."""
    versions = {f"version-{u.pk}": u.version for u in updates}
    return run_action(client, action, updates, apply="1", **versions, **extra)


@pytest.mark.django_db
def test_publish_action_publishes_submitted_updates(client, editor, analyst):
    update = make_update(author=analyst)
    update.submit()
    client.force_login(editor)
    shown = run_action(client, "publish_updates", [update]).content.decode()
    assert update.summary in shown and "Publish these versions" in shown
    update.refresh_from_db()
    assert update.state == "submitted"  # nothing is published before the editor confirms
    response = confirm(client, "publish_updates", [update])
    assert "1 update(s) published." in response.content.decode()
    update.refresh_from_db()
    assert (update.state, update.reviewer) == ("published", editor)
    assert Commitment.objects.get().current_status == update.status


@pytest.mark.django_db
def test_publish_action_keeps_four_eyes_and_needs_a_source(client, editor):
    own = make_update(author=editor)
    own.submit()
    unsourced = make_update(sources=[])
    unsourced.submit()
    client.force_login(editor)
    content = confirm(client, "publish_updates", [own, unsourced]).content.decode()
    assert "You cannot publish your own update" in content
    assert "needs at least one source" in content
    assert set(StatusUpdate.objects.values_list("state", flat=True)) == {"submitted"}
    assert not Commitment.objects.public().exists()


@pytest.mark.django_db
def test_reject_action_asks_for_a_comment_first(client, editor, analyst):
    update = make_update(author=analyst)
    update.submit()
    client.force_login(editor)
    form_page = client.post(
        reverse(CHANGELIST), {"action": "reject_updates", ACTION_CHECKBOX_NAME: [update.pk]}
    )
    assert form_page.status_code == 200
    assert "Reject updates" in form_page.content.decode()

    empty = confirm(client, "reject_updates", [update], comment="   ")
    assert "This field is required" in empty.content.decode()
    update.refresh_from_db()
    assert update.state == "submitted"

    confirm(client, "reject_updates", [update], comment="Cite the MoU text.")
    update.refresh_from_db()
    assert (update.state, update.review_comment, update.reviewer) == (
        "rejected",
        "Cite the MoU text.",
        editor,
    )


@pytest.mark.django_db
def test_staff_without_a_role_cannot_reach_the_publishing_actions(client):
    staff_without_role = make_user("staff", is_staff=True)
    staff_without_role.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_statusupdate", "change_statusupdate"])
    )
    update = make_update()
    update.submit()
    client.force_login(staff_without_role)
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 302
    client.post(
        reverse(CHANGELIST), {"action": "publish_updates", ACTION_CHECKBOX_NAME: [update.pk]}
    )
    update.refresh_from_db()
    assert update.state == "submitted"


@pytest.mark.django_db
def test_an_update_added_in_the_admin_is_a_draft_by_its_author(client, editor):
    commitment = make_commitment()
    source = make_source()
    client.force_login(editor)
    response = client.post(
        reverse("admin:commitments_statusupdate_add"),
        {
            "commitment": commitment.pk,
            "as_of": "2025-09-15",
            "status": "in_progress",
            "progress_value": "",
            "summary": "Work began.",
            "body": "",
            "sources": [source.pk],
        },
    )
    assert response.status_code == 302
    update = StatusUpdate.objects.get()
    assert (update.state, update.author) == ("draft", editor)
    assert list(update.sources.all()) == [source]


@pytest.mark.django_db
def test_a_future_update_is_refused_with_a_message(client, editor):
    commitment = make_commitment()
    client.force_login(editor)
    tomorrow = TODAY + datetime.timedelta(days=1)
    response = client.post(
        reverse("admin:commitments_statusupdate_add"),
        {
            "commitment": commitment.pk,
            "as_of": tomorrow.isoformat(),
            "status": "in_progress",
            "summary": "Too soon.",
            "sources": [make_source().pk],
        },
    )
    assert response.status_code == 200
    assert "cannot be in the future" in response.content.decode()
    assert not StatusUpdate.objects.exists()


@pytest.mark.django_db
def test_a_published_update_is_read_only_in_the_admin(client, editor):
    """Finding 2: an editor changed a published update's summary and status in the admin,
    live at once with no review. Now the change form is read-only and a POST is refused."""
    update = make_published_update(status="in_progress", summary="Launch pad built")
    client.force_login(editor)
    url = reverse("admin:commitments_statusupdate_change", args=[update.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="summary"' not in page.content.decode()  # shown, not editable
    response = client.post(
        url,
        {
            "commitment": update.commitment.pk,
            "as_of": update.as_of.isoformat(),
            "loaded_version": update.version,
            "status": "achieved",
            "summary": "Landed on the Moon",
            "body": "",
            "sources": [s.pk for s in update.sources.all()],
        },
    )
    assert response.status_code == 403
    update.refresh_from_db()
    assert (update.status, update.summary) == ("in_progress", "Launch pad built")
    assert Commitment.objects.get().current_status == "in_progress"


@pytest.mark.django_db
def test_a_published_update_cannot_be_deleted_in_the_admin(client, editor):
    commitment = make_commitment()
    make_published_update(commitment, status="in_progress", as_of=SUMMIT_DAY)
    latest = make_published_update(
        commitment, status="delayed", as_of=SUMMIT_DAY + datetime.timedelta(days=30)
    )
    client.force_login(editor)
    response = client.post(
        reverse("admin:commitments_statusupdate_delete", args=[latest.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    bulk = run_action(client, "delete_selected", [latest], post="yes")
    assert "Cannot delete" in bulk.content.decode() or "protected" in bulk.content.decode()
    assert StatusUpdate.objects.filter(pk=latest.pk).exists()
    commitment.refresh_from_db()
    assert commitment.current_status == "delayed"


def commitment_form(**overrides):
    data = {
        "title": "Bullet train corridor",
        "slug": "bullet-train-corridor",
        "summary": "A high-speed rail line.",
        "description": "",
        "sector": make_sector().pk,
        "event": "",
        "parent": "",
        "announced_on": "2025-08-29",
        "deadline": "2030-03-10",
        "deadline_precision": "month",
        "target_value": "",
        "target_unit": "",
        "target_unit_label": "",
        "baseline_value": "",
        "target_wording": "",
        "commitment_parties-TOTAL_FORMS": "0",
        "commitment_parties-INITIAL_FORMS": "0",
        "updates-TOTAL_FORMS": "0",
        "updates-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_adding_a_commitment_stores_a_month_deadline_at_the_month_end(client, editor):
    client.force_login(editor)
    response = client.post(reverse("admin:commitments_commitment_add"), commitment_form())
    assert response.status_code == 302, response.context["adminform"].form.errors
    commitment = Commitment.objects.get()
    assert commitment.deadline == datetime.date(2030, 3, 31)
    assert commitment.deadline_label == "by March 2030"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"deadline": "2024-01-01", "deadline_precision": "day"}, "before the announced date"),
        ({"target_value": "500000"}, "A target value needs a unit"),
        ({"target_unit": "other", "target_value": "10"}, "Name the unit"),
        ({"deadline_precision": ""}, "Say how precise the deadline is"),
    ],
)
def test_bad_commitments_get_field_errors_and_keep_the_input(client, editor, overrides, message):
    client.force_login(editor)
    response = client.post(
        reverse("admin:commitments_commitment_add"), commitment_form(**overrides)
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    assert 'value="Bullet train corridor"' in content
    assert not Commitment.objects.exists()
