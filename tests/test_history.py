"""Every change is on the record; the public change log shows only what is public."""

import datetime

import pytest
from django.db.models import F
from django.urls import reverse

from commitments.models import CommitmentParty, StatusUpdate
from tests.factories import make_commitment, make_party, make_source, make_update

pytestmark = pytest.mark.django_db


def reasons(update):
    return [
        (record.history_change_reason, record.history_user)
        for record in StatusUpdate.history.filter(id=update.pk).order_by(
            "history_date", "history_id"
        )
    ]


def test_each_workflow_step_is_recorded_with_who(analyst, editor):
    update = make_update(author=analyst)
    update.submit(by=analyst)
    update.reject(editor, "Needs the MoU text.")
    update.reopen(by=analyst)
    update.submit(by=analyst)
    update.publish(editor)
    steps = [reason for reason, _ in reasons(update) if reason]
    assert steps == [
        "Submitted for review",
        "Rejected",
        "Reopened as draft",
        "Submitted for review",
        "Published",
    ]
    users = [user for reason, user in reasons(update) if reason]
    assert users == [analyst, editor, analyst, analyst, editor]


def test_page_edits_and_deletes_are_recorded_with_who(client, analyst):
    commitment = make_commitment()
    client.force_login(analyst)
    client.post(
        reverse("commitments:update-new", args=[commitment.slug]),
        {
            "as_of": "2025-09-01",
            "status": "in_progress",
            "summary": "First",
            "new-TOTAL_FORMS": "0",
            "new-INITIAL_FORMS": "0",
            "action": "save",
        },
    )
    update = StatusUpdate.objects.get()
    client.post(
        reverse("commitments:update-edit", args=[update.pk]),
        {
            "as_of": "2025-09-01",
            "status": "delayed",
            "summary": "Second",
            "loaded_version": update.version,
            "new-TOTAL_FORMS": "0",
            "new-INITIAL_FORMS": "0",
            "action": "save",
        },
    )
    client.post(reverse("commitments:update-delete", args=[update.pk]))
    records = StatusUpdate.history.filter(id=update.pk).order_by("history_date", "history_id")
    kinds = [(r.history_type, r.history_change_reason, r.history_user) for r in records]
    assert ("+", "Created", analyst) in kinds
    assert ("~", "Edited", analyst) in kinds
    assert ("-", "Deleted", analyst) in kinds
    edited = next(r for r in records if r.history_change_reason == "Edited")
    changed = {change.field for change in edited.diff_against(edited.prev_record).changes}
    assert {"status", "summary"} <= changed


def test_admin_changes_are_recorded(client, editor):
    commitment = make_commitment(title="Old title")
    client.force_login(editor)
    data = {
        "title": "New title",
        "slug": commitment.slug,
        "summary": commitment.summary,
        "description": "",
        "sector": commitment.sector_id,
        "announced_on": "2025-08-29",
        "deadline_precision": "",
        "target_unit": "",
        "loaded_version": commitment.version,
        "commitment_parties-TOTAL_FORMS": "0",
        "commitment_parties-INITIAL_FORMS": "0",
        "updates-TOTAL_FORMS": "0",
        "updates-INITIAL_FORMS": "0",
    }
    response = client.post(
        reverse("admin:commitments_commitment_change", args=[commitment.pk]), data
    )
    assert response.status_code == 302
    latest = commitment.history.first()
    assert (latest.title, latest.history_user) == ("New title", editor)


def test_admin_refuses_to_overwrite_a_newer_version(client, editor):
    commitment = make_commitment(title="Old title")
    opened_at = commitment.version
    commitment.title = "Changed meanwhile"
    commitment.version += 1
    commitment.save()
    client.force_login(editor)
    response = client.post(
        reverse("admin:commitments_commitment_change", args=[commitment.pk]),
        {
            "title": "My title",
            "slug": commitment.slug,
            "summary": commitment.summary,
            "sector": commitment.sector_id,
            "announced_on": "2025-08-29",
            "loaded_version": opened_at,
            "commitment_parties-TOTAL_FORMS": "0",
            "commitment_parties-INITIAL_FORMS": "0",
            "updates-TOTAL_FORMS": "0",
            "updates-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "after you opened it" in content
    assert "Changed meanwhile" in content
    commitment.refresh_from_db()
    assert commitment.title == "Changed meanwhile"


MARKER = "HIDDEN-DRAFT-MARKER"


def test_public_change_log_shows_public_changes_only(client, analyst, editor):
    commitment = make_commitment(
        title="Bullet train", slug="bullet-train", parties=[(make_party(name="India"), "lead")]
    )
    # Recorded yesterday: what follows are later changes.
    yesterday = datetime.timedelta(days=1)
    commitment.history.update(history_date=F("history_date") - yesterday)
    CommitmentParty.history.filter(commitment_id=commitment.pk).update(
        history_date=F("history_date") - yesterday
    )
    published = make_update(commitment, author=analyst, status="in_progress", summary="Started")
    published.submit()
    published.publish(editor)
    commitment.refresh_from_db()
    commitment.deadline = datetime.date(2030, 12, 31)
    commitment.deadline_precision = "year"
    commitment.save()
    CommitmentParty.objects.create(
        commitment=commitment, party=make_party(name="Gujarat"), role="counterpart"
    )
    draft = make_update(commitment, author=analyst, summary=f"{MARKER} draft")
    submitted = make_update(commitment, author=analyst, summary=f"{MARKER} submitted")
    submitted.submit()
    rejected = make_update(commitment, author=analyst, summary=f"{MARKER} rejected")
    rejected.submit()
    rejected.reject(editor, f"{MARKER} comment")
    draft.sources.add(make_source(title=f"{MARKER} source"))

    response = client.get(reverse("commitments:history", args=["bullet-train"]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Status update published" in content
    assert "Started" in content
    assert "Deadline" in content and "31 December 2030" in content
    assert "Gujarat added as counterpart" in content
    assert "India (lead)" in content  # on the commitment when it was first published
    assert "First published" in content
    assert MARKER not in content
    for person in (analyst, editor):
        assert person.username not in content


def test_change_log_of_a_non_public_commitment_is_404(client):
    commitment = make_commitment(slug="secret")
    make_update(commitment)
    assert client.get(reverse("commitments:history", args=["secret"])).status_code == 404


def test_change_log_is_fixed_cost(client, editor, django_assert_max_num_queries):
    commitment = make_commitment(slug="busy")
    CommitmentParty.objects.create(commitment=commitment, party=make_party(), role="lead")
    for day in range(2):
        update = make_update(commitment, as_of=datetime.date(2025, 9, 1 + day))
        update.submit()
        update.publish(editor)
    url = reverse("commitments:history", args=["busy"])
    with django_assert_max_num_queries(50) as small:
        client.get(url)
    for day in range(20):
        update = make_update(commitment, as_of=datetime.date(2025, 10, 1 + day))
        update.submit()
        update.publish(editor)
        commitment.refresh_from_db()
        commitment.summary = f"Summary {day}"
        commitment.save()
        CommitmentParty.objects.create(commitment=commitment, party=make_party(), role="partner")
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)
