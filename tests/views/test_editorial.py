"""Analysts log updates from their pages; editors review and publish them."""

import datetime

import pytest
from django.urls import reverse

from commitments.models import Commitment, Source, StatusUpdate
from tests.factories import (
    TODAY,
    make_commitment,
    make_editor,
    make_published_update,
    make_source,
    make_update,
)

pytestmark = pytest.mark.django_db


def new_update_url(commitment):
    return reverse("commitments:update-new", args=[commitment.slug])


def form_data(**overrides):
    data = {
        "as_of": "2025-09-15",
        "status": "in_progress",
        "summary": "Joint working group met in Bengaluru.",
        "body": "Minutes were **published**.",
        "source_query": "",
        "new-TOTAL_FORMS": "1",
        "new-INITIAL_FORMS": "0",
        "new-MIN_NUM_FORMS": "0",
        "new-MAX_NUM_FORMS": "10",
        "new-0-title": "",
        "new-0-url": "",
        "new-0-publisher": "",
        "new-0-published_on": "",
        "new-0-archive_url": "",
        "new-0-kind": "other",
        "action": "save",
    }
    data.update(overrides)
    return data


def with_new_source(**overrides):
    return form_data(
        **{
            "new-0-title": "Working group minutes",
            "new-0-url": "https://mea.example/minutes",
            "new-0-publisher": "Ministry of External Affairs",
            "new-0-published_on": "2025-09-16",
            "new-0-kind": "official_statement",
            **overrides,
        }
    )


@pytest.fixture
def commitment(db):
    return make_commitment(slug="bullet-train", target_value=500000, target_unit="people")


def test_the_form_shows_the_unit_next_to_progress(client, analyst, commitment):
    client.force_login(analyst)
    content = client.get(new_update_url(commitment)).content.decode()
    assert "Cumulative, in people (target: 500,000 people)" in content
    assert f'value="{TODAY.isoformat()}"' in content  # as_of starts at today


def test_progress_is_not_asked_for_a_commitment_without_target(client, analyst):
    plain = make_commitment()
    client.force_login(analyst)
    assert 'name="progress_value"' not in client.get(new_update_url(plain)).content.decode()


def test_an_analyst_logs_a_draft_with_a_new_source(client, analyst, commitment):
    client.force_login(analyst)
    response = client.post(new_update_url(commitment), with_new_source(progress_value="1200"))
    assert response.status_code == 302
    assert response["Location"] == reverse("commitments:workspace")
    update = StatusUpdate.objects.get()
    assert (update.state, update.author, update.progress_value) == ("draft", analyst, 1200)
    source = update.sources.get()
    assert (source.title, source.added_by) == ("Working group minutes", analyst)
    assert source.publisher == "Ministry of External Affairs"
    assert update.history.first().history_user == analyst


def test_submitting_needs_a_source_and_keeps_what_was_typed(client, analyst, commitment):
    client.force_login(analyst)
    response = client.post(new_update_url(commitment), form_data(action="submit"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Add at least one source before submitting for review." in content
    assert "Joint working group met in Bengaluru." in content
    assert "Minutes were **published**." in content
    assert not StatusUpdate.objects.exists()


def test_submitting_with_an_existing_source(client, analyst, commitment):
    public_source = make_source(title="Cabinet note")
    make_update(commitment, sources=[public_source]).submit()
    StatusUpdate.objects.get().publish(make_editor())
    client.force_login(analyst)
    response = client.post(
        new_update_url(commitment),
        form_data(action="submit", existing_sources=[public_source.pk]),
    )
    assert response.status_code == 302
    update = StatusUpdate.objects.get(author=analyst)
    assert update.state == "submitted"
    assert list(update.sources.all()) == [public_source]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"as_of": "2999-01-01"}, "The as-of date cannot be in the future."),
        ({"as_of": "2020-01-01"}, "cannot be before the commitment was announced"),
        ({"as_of": "yesterday"}, "Enter a valid date."),
        ({"progress_value": "-5"}, "The progress value cannot be negative."),
        ({"status": "finished"}, "Select a valid choice."),
        ({"summary": ""}, "This field is required."),
        ({"new-0-url": "ftp://files.example/x"}, "Enter a valid URL."),
    ],
)
def test_bad_input_gets_field_errors_and_loses_nothing(
    client, analyst, commitment, overrides, message
):
    client.force_login(analyst)
    response = client.post(new_update_url(commitment), with_new_source(**overrides))
    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    assert "Working group minutes" in content  # the new source typed so far is kept
    assert not StatusUpdate.objects.exists()
    assert not Source.objects.filter(title="Working group minutes").exists()


def test_a_known_url_points_to_the_existing_source(client, analyst, commitment):
    make_published_update(
        sources=[make_source(title="Already here", url="https://mea.example/minutes")]
    )
    client.force_login(analyst)
    response = client.post(new_update_url(commitment), with_new_source())
    assert "already on record as “Already here”" in response.content.decode()


def test_preview_renders_markdown_without_saving(client, analyst, commitment):
    client.force_login(analyst)
    response = client.post(
        new_update_url(commitment),
        form_data(action="preview", body="**bold** <script>alert(1)</script>"),
    )
    content = response.content.decode()
    assert "<strong>bold</strong>" in content
    assert "<script>alert(1)</script>" not in content
    assert not StatusUpdate.objects.exists()


def test_source_search_finds_public_and_own_sources_only(
    client, analyst, other_analyst, commitment, editor
):
    public = make_source(title="MEA press release", url="https://mea.example/press")
    published = make_update(commitment, sources=[public])
    published.submit()
    published.publish(editor)
    mine = make_source(title="MEA notes of mine", added_by=analyst)
    theirs = make_source(title="MEA private notes", added_by=other_analyst)
    make_update(commitment, sources=[theirs], author=other_analyst)
    client.force_login(analyst)
    response = client.post(
        new_update_url(commitment), form_data(action="search", source_query="MEA")
    )
    shown = {
        source.title for source in response.context["form"].fields["existing_sources"].queryset
    }
    assert {public.title, mine.title} <= shown
    assert theirs.title not in shown
    by_url = client.post(
        new_update_url(commitment), form_data(action="search", source_query="mea.example/press")
    )
    assert "MEA press release" in by_url.content.decode()


def test_add_another_new_source_keeps_the_first(client, analyst, commitment):
    client.force_login(analyst)
    response = client.post(new_update_url(commitment), with_new_source(action="add-source"))
    assert len(response.context["new_sources"].forms) == 2
    assert "Working group minutes" in response.content.decode()


def test_editing_a_draft_that_changed_meanwhile_shows_a_conflict(client, analyst, commitment):
    update = make_update(commitment, author=analyst, summary="First wording")
    client.force_login(analyst)
    opened_at = update.version
    # Meanwhile the same analyst, in another tab, submits and withdraws it (version moves on).
    update.submit()
    update.withdraw()
    response = client.post(
        reverse("commitments:update-edit", args=[update.pk]),
        form_data(summary="Second wording", loaded_version=opened_at),
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "after you opened it" in content
    assert "The version saved meanwhile" in content
    assert "Second wording" in content  # the user's text is kept
    update.refresh_from_db()
    assert update.summary == "First wording"
    # Saving again, now knowingly, goes through.
    again = client.post(
        reverse("commitments:update-edit", args=[update.pk]),
        form_data(summary="Second wording", loaded_version=update.version),
    )
    assert again.status_code == 302
    update.refresh_from_db()
    assert update.summary == "Second wording"


def test_a_rejected_update_is_reworked_and_resubmitted(client, analyst, editor, commitment):
    update = make_update(commitment, author=analyst)
    update.submit()
    update.reject(editor, "Cite the MoU.")
    client.force_login(analyst)
    workspace = client.get(reverse("commitments:workspace")).content.decode()
    assert "Cite the MoU." in workspace
    update.refresh_from_db()
    client.post(
        reverse("commitments:update-edit", args=[update.pk]),
        form_data(summary="Now with the MoU", loaded_version=update.version),
    )
    update.refresh_from_db()
    assert (update.state, update.summary) == ("draft", "Now with the MoU")
    client.post(reverse("commitments:update-submit", args=[update.pk]))
    update.refresh_from_db()
    assert update.state == "submitted"


def test_withdraw_and_delete_own_updates(client, analyst, commitment):
    submitted = make_update(commitment, author=analyst)
    submitted.submit()
    draft = make_update(commitment, author=analyst)
    client.force_login(analyst)
    client.post(reverse("commitments:update-withdraw", args=[submitted.pk]))
    submitted.refresh_from_db()
    assert submitted.state == "draft"
    client.post(reverse("commitments:update-delete", args=[draft.pk]))
    assert not StatusUpdate.objects.filter(pk=draft.pk).exists()


def test_own_submitted_update_cannot_be_edited_until_withdrawn(client, analyst, commitment):
    update = make_update(commitment, author=analyst)
    update.submit()
    client.force_login(analyst)
    response = client.get(reverse("commitments:update-edit", args=[update.pk]))
    assert response.status_code == 403
    assert "Withdraw it first" in response.content.decode()


def test_workspace_lists_own_updates_and_commitments_needing_attention(client, analyst, editor):
    today = TODAY
    due = make_commitment(
        title="Due soon",
        announced_on=today - datetime.timedelta(days=10),
        deadline=today + datetime.timedelta(days=30),
        deadline_precision="day",
    )
    later = make_commitment(
        title="Due much later",
        announced_on=today - datetime.timedelta(days=10),
        deadline=today + datetime.timedelta(days=300),
        deadline_precision="day",
    )
    for commitment in (due, later):
        published = make_update(commitment, as_of=today)
        published.submit()
        published.publish(editor)
    make_update(due, author=analyst, summary="My draft")
    client.force_login(analyst)
    response = client.get(reverse("commitments:workspace"))
    assert [c.title for c in response.context["due_soon"]] == ["Due soon"]
    assert [u.summary for u in response.context["drafts"]] == ["My draft"]
    assert "Due much later" not in [c.title for c in response.context["due_soon"]]


def test_review_queue_oldest_first_with_changes_and_sources(client, analyst, editor):
    commitment = make_commitment(title="Train", target_value=100, target_unit="count")
    first = make_update(commitment, author=analyst, status="delayed", progress_value=40)
    first.submit()
    second = make_update(commitment, author=analyst, status="in_progress", summary="Later one")
    second.submit()
    client.force_login(editor)
    response = client.get(reverse("commitments:review"))
    assert [u.pk for u in response.context["queue"]] == [first.pk, second.pk]
    content = response.content.decode()
    assert "Not yet public" in content
    assert "Delayed" in content
    assert "none → 40<" in content
    assert first.sources.get().title in content


def test_editor_publishes_and_it_is_public_at_once(client, analyst, editor):
    commitment = make_commitment(slug="train")
    update = make_update(commitment, author=analyst, status="in_progress", summary="Tracks laid")
    update.submit()
    client.force_login(editor)
    response = client.post(
        reverse("commitments:update-publish", args=[update.pk]),
        {"version": update.version},
        follow=True,
    )
    assert "It is on the public pages now." in response.content.decode()
    client.logout()
    page = client.get("/commitments/train/").content.decode()
    assert "Tracks laid" in page
    assert Commitment.objects.get().current_status == "in_progress"


def test_publishing_refusals_are_explained(client, editor):
    own = make_update(author=editor)
    own.submit()
    unsourced = make_update(sources=[])
    unsourced.submit()
    client.force_login(editor)
    first = client.post(
        reverse("commitments:update-publish", args=[own.pk]), {"version": own.version}, follow=True
    )
    assert "You cannot publish your own update" in first.content.decode()
    second = client.post(
        reverse("commitments:update-publish", args=[unsourced.pk]),
        {"version": unsourced.version},
        follow=True,
    )
    assert "needs at least one source" in second.content.decode()
    assert set(StatusUpdate.objects.values_list("state", flat=True)) == {"submitted"}


def test_rejecting_needs_a_comment(client, analyst, editor):
    update = make_update(author=analyst)
    update.submit()
    client.force_login(editor)
    response = client.post(
        reverse("commitments:update-reject", args=[update.pk]), {"comment": "  "}, follow=True
    )
    assert "a comment is required" in response.content.decode()
    update.refresh_from_db()
    assert update.state == "submitted"
    client.post(
        reverse("commitments:update-reject", args=[update.pk]),
        {"comment": "Why?", "version": update.version},
    )
    update.refresh_from_db()
    assert (update.state, update.review_comment) == ("rejected", "Why?")


def test_a_hostile_next_after_an_action_stays_on_the_site(client, analyst, commitment):
    update = make_update(commitment, author=analyst)
    client.force_login(analyst)
    response = client.post(
        reverse("commitments:update-submit", args=[update.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("commitments:workspace")
