"""Holes found by an attacker's review of the four-eyes work, each with the test that would
have caught it."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from commitments import admin as commitments_admin
from commitments.models import Commitment, StatusUpdate
from tests.factories import (
    SUMMIT_DAY,
    commitment_admin_data,
    make_commitment,
    make_published_update,
    make_source,
    make_update,
)

State = StatusUpdate.State


@pytest.fixture
def no_raise(client):
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize("version", ["²", "٣", "9" * 30, "-1", ""])
def test_a_strange_reviewed_version_is_refused_not_an_error(no_raise, analyst, editor, version):
    update = make_update(author=analyst)
    update.submit(by=analyst)
    no_raise.force_login(editor)
    for url, data in [
        (reverse("commitments:update-publish", args=[update.pk]), {"version": version}),
        (
            reverse("commitments:update-reject", args=[update.pk]),
            {"version": version, "comment": "No."},
        ),
        (
            reverse("admin:commitments_statusupdate_changelist"),
            {
                "action": "publish_updates",
                ACTION_CHECKBOX_NAME: [update.pk],
                "apply": "1",
                f"version-{update.pk}": version,
            },
        ),
    ]:
        assert no_raise.post(url, data).status_code < 500, url
    assert StatusUpdate.objects.get(pk=update.pk).state == State.SUBMITTED


def test_a_figure_whose_target_was_cleared_is_dropped_not_an_error(no_raise, analyst):
    commitment = make_commitment(slug="moon", target_value=Decimal(100), target_unit="count")
    original = make_published_update(commitment, progress_value=Decimal(40))
    draft = make_update(commitment, author=analyst, progress_value=Decimal(40))
    Commitment.objects.filter(pk=commitment.pk).update(target_value=None, target_unit="")
    no_raise.force_login(analyst)
    common = {
        "action": "save",
        "as_of": SUMMIT_DAY.isoformat(),
        "status": "in_progress",
        "summary": "Without a figure",
        "body": "",
        "new-TOTAL_FORMS": "0",
        "new-INITIAL_FORMS": "0",
    }
    correct = no_raise.post(
        reverse("commitments:update-correct", args=[original.pk]),
        {**common, "correction_note": "Target dropped.", "existing_sources": []},
    )
    edit = no_raise.post(
        reverse("commitments:update-edit", args=[draft.pk]),
        {**common, "loaded_version": draft.version, "existing_sources": []},
    )
    assert (correct.status_code, edit.status_code) == (302, 302)
    draft.refresh_from_db()
    assert (draft.summary, draft.progress_value) == ("Without a figure", None)


@pytest.mark.parametrize(
    ("commitment", "sources"), [("9" * 30, []), ("", ["9" * 30]), ("", ["²"]), ("x", ["-1"])]
)
def test_impossible_ids_in_the_admin_are_a_message(no_raise, editor, commitment, sources):
    no_raise.force_login(editor)
    response = no_raise.post(
        reverse("admin:commitments_statusupdate_add"),
        {
            "commitment": commitment,
            "as_of": "2025-09-01",
            "status": "in_progress",
            "summary": "x",
            "sources": sources,
        },
    )
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not StatusUpdate.objects.exists()


def test_the_admin_history_hides_another_persons_draft_wording(client, analyst, editor):
    update = make_update(author=analyst, summary="SECRET DRAFT WORDING")
    update.summary = "Clean wording"
    update.save()
    update.submit(by=analyst)
    client.force_login(editor)
    url = reverse("admin:commitments_statusupdate_history", args=[update.pk])
    page = client.get(url).content.decode()
    assert "SECRET DRAFT WORDING" not in page
    assert "Submitted for review" in page
    client.force_login(analyst)  # the author keeps their own record; analysts have no admin
    assert client.get(url).status_code == 302


def test_a_new_source_form_does_not_name_someone_elses_draft_source(client, analyst, other_analyst):
    commitment = make_commitment(slug="moon")
    secret = make_source(
        title="SECRET LEAKED MEMO", url="https://leak.example/memo", added_by=other_analyst
    )
    make_update(commitment, author=other_analyst, sources=[secret])
    client.force_login(analyst)
    page = client.post(
        reverse("commitments:update-new", args=["moon"]),
        {
            "action": "save",
            "as_of": SUMMIT_DAY.isoformat(),
            "status": "in_progress",
            "summary": "x",
            "new-TOTAL_FORMS": "1",
            "new-INITIAL_FORMS": "0",
            "new-0-title": "Mine",
            "new-0-url": "https://leak.example/memo",
            "new-0-kind": "other",
        },
    ).content.decode()
    assert "already on record" in page
    assert "SECRET LEAKED MEMO" not in page


def test_the_source_admin_does_not_list_the_sources_of_others_drafts(client, analyst, editor):
    secret = make_source(title="DRAFTONLY SOURCE", url="https://d.example/x", added_by=analyst)
    make_update(author=analyst, sources=[secret])
    public = make_published_update(sources=[make_source(title="PUBLIC SOURCE")])
    client.force_login(editor)
    listing = client.get(reverse("admin:commitments_source_changelist")).content.decode()
    assert "DRAFTONLY SOURCE" not in listing and "PUBLIC SOURCE" in listing
    found = client.get(
        "/admin/autocomplete/",
        {
            "app_label": "commitments",
            "model_name": "statusupdate",
            "field_name": "sources",
            "term": "SOURCE",
        },
    ).json()
    titles = {row["text"] for row in found["results"]}
    assert titles == {"PUBLIC SOURCE"}
    assert public.sources.count() == 1


def test_one_editor_cannot_change_the_evidence_the_public_sees(client, editor):
    source = make_source(title="Official report", url="https://gov.example/report")
    make_published_update(make_commitment(slug="moon"), sources=[source])
    client.force_login(editor)
    response = client.post(
        reverse("admin:commitments_source_change", args=[source.pk]),
        {
            "title": "FORGED TITLE",
            "url": "https://evil.example/",
            "archive_url": "https://archive.example/report",
            "conversions-TOTAL_FORMS": "1",
            "conversions-INITIAL_FORMS": "0",
            "conversions-0-from_currency": "JPY",
            "conversions-0-from_amount": "1",
            "conversions-0-to_currency": "INR",
            "conversions-0-to_amount": "1000",
        },
    )
    assert response.status_code == 302
    source.refresh_from_db()
    assert (source.title, source.url) == ("Official report", "https://gov.example/report")
    assert source.archive_url == "https://archive.example/report"  # curation still works
    assert not source.conversions.exists()
    page = client.get("/commitments/moon/").content.decode()
    assert "FORGED TITLE" not in page and "evil.example" not in page


def test_an_admin_save_never_writes_back_an_older_status(client, analyst, editor, other_editor):
    commitment = make_commitment(title="Before")
    old = make_published_update(commitment, status="in_progress", as_of=SUMMIT_DAY)
    pending = make_update(
        commitment,
        author=analyst,
        status="achieved",
        as_of=SUMMIT_DAY + datetime.timedelta(days=3),
    )
    pending.submit(by=analyst)
    real = commitments_admin.CommitmentAdmin.get_object

    def load_then_someone_publishes(self, request, object_id, from_field=None):
        loaded = real(self, request, object_id, from_field)
        StatusUpdate.objects.get(pk=pending.pk).publish(other_editor)
        return loaded

    commitments_admin.CommitmentAdmin.get_object = load_then_someone_publishes
    try:
        client.force_login(editor)
        commitment.refresh_from_db()
        assert (commitment.latest_update_id, commitment.current_status) == (old.pk, "in_progress")
        response = client.post(
            reverse("admin:commitments_commitment_change", args=[commitment.pk]),
            commitment_admin_data(commitment, title="After"),
        )
    finally:
        commitments_admin.CommitmentAdmin.get_object = real
    assert response.status_code == 302
    stored = Commitment.objects.get(pk=commitment.pk)
    assert stored.title == "After"
    assert (stored.latest_update_id, stored.current_status) == (pending.pk, "achieved")
