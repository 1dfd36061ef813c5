"""Issue 11, four-eyes findings 1–3 and 9: nothing reaches the public unreviewed, by any door,
and the stored status always equals the one worked out from the published updates."""

import datetime
import re
import threading
from decimal import Decimal

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commitments.models import Commitment, Source, StatusUpdate
from tests.factories import (
    SUMMIT_DAY,
    commitment_admin_data,
    make_commitment,
    make_editor,
    make_published_update,
    make_source,
    make_update,
    open_correction,
    open_retraction,
)

State = StatusUpdate.State
CHANGELIST = reverse("admin:commitments_statusupdate_changelist")


def stored(commitment):
    commitment = Commitment.objects.get(pk=commitment.pk)
    return commitment.latest_update_id, commitment.current_status


def computed(commitment):
    latest = StatusUpdate.objects.published().filter(commitment=commitment).newest_first().first()
    return (latest.pk, latest.status) if latest else (None, "")


# 1. Bait and switch


def test_the_editor_publishes_only_the_version_they_reviewed(client, analyst, editor):
    commitment = make_commitment(slug="moon")
    update = make_update(
        commitment,
        author=analyst,
        status="in_progress",
        summary="Design done",
        sources=[make_source(added_by=analyst)],
    )
    update.submit(by=analyst)

    client.force_login(editor)
    queue = client.get(reverse("commitments:review")).content.decode()
    seen_version = re.search(r'name="version" value="(\d+)"', queue).group(1)

    # Meanwhile the analyst withdraws it, rewrites it and sends it again.
    update.withdraw(by=analyst)
    client.force_login(analyst)
    client.post(
        reverse("commitments:update-edit", args=[update.pk]),
        {
            "action": "submit",
            "loaded_version": StatusUpdate.objects.get(pk=update.pk).version,
            "as_of": "2025-09-01",
            "status": "achieved",
            "summary": "Landed on the Moon",
            "existing_sources": [s.pk for s in update.sources.all()],
            "new-TOTAL_FORMS": "0",
            "new-INITIAL_FORMS": "0",
        },
    )
    assert StatusUpdate.objects.get(pk=update.pk).state == State.SUBMITTED

    client.force_login(editor)
    response = client.post(
        reverse("commitments:update-publish", args=[update.pk]),
        {"version": seen_version},
        follow=True,
    )
    page = response.content.decode()
    assert "changed after you opened it" in page
    assert "status: “in_progress” → “achieved”" in page
    assert "Landed on the Moon" in page  # the message shows what changed
    assert StatusUpdate.objects.get(pk=update.pk).state == State.SUBMITTED
    assert not Commitment.objects.public().exists()


def test_a_publish_without_the_reviewed_version_is_refused(client, analyst, editor):
    update = make_update(author=analyst)
    update.submit(by=analyst)
    client.force_login(editor)
    client.post(reverse("commitments:update-publish", args=[update.pk]))
    assert StatusUpdate.objects.get(pk=update.pk).state == State.SUBMITTED


def test_the_admin_publish_action_refuses_a_changed_update(client, analyst, editor):
    update = make_update(author=analyst, summary="Harmless")
    update.submit(by=analyst)
    client.force_login(editor)
    page = client.post(
        CHANGELIST, {"action": "publish_updates", ACTION_CHECKBOX_NAME: [update.pk]}
    ).content.decode()
    version = re.search(rf'name="version-{update.pk}" value="(\d+)"', page).group(1)
    update.withdraw(by=analyst)
    update.summary = "Rewritten"
    update.save()
    update.submit(by=analyst)
    response = client.post(
        CHANGELIST,
        {
            "action": "publish_updates",
            ACTION_CHECKBOX_NAME: [update.pk],
            "apply": "1",
            f"version-{update.pk}": version,
        },
        follow=True,
    )
    assert "changed after you opened it" in response.content.decode()
    assert StatusUpdate.objects.get(pk=update.pk).state == State.SUBMITTED


# 2. The admin is no side door


def test_an_editor_cannot_reach_another_persons_draft_in_the_admin(client, analyst, editor):
    draft = make_update(author=analyst, summary="Analyst's draft")
    client.force_login(editor)
    assert "Analyst&#x27;s draft" not in client.get(CHANGELIST).content.decode()
    change = reverse("admin:commitments_statusupdate_change", args=[draft.pk])
    assert client.get(change).status_code == 302  # "does not exist", back to the index
    client.post(change, {"summary": "Edited by the editor", "loaded_version": draft.version})
    client.post(CHANGELIST, {"action": "submit_for_review", ACTION_CHECKBOX_NAME: [draft.pk]})
    history = reverse("admin:commitments_statusupdate_history", args=[draft.pk])
    assert client.get(history).status_code in (403, 404)
    draft.refresh_from_db()
    assert (draft.state, draft.summary) == (State.DRAFT, "Analyst's draft")


def test_the_admin_submit_action_is_for_the_author_only(client, analyst, editor):
    rejected = make_update(author=analyst)
    rejected.submit(by=analyst)
    rejected.reject(editor, "Cite the MoU.")
    client.force_login(editor)
    response = client.post(
        CHANGELIST,
        {"action": "submit_for_review", ACTION_CHECKBOX_NAME: [rejected.pk]},
        follow=True,
    )
    assert "Only the author can change this update." in response.content.decode()
    assert StatusUpdate.objects.get(pk=rejected.pk).state == State.REJECTED


def test_the_commitment_inline_cannot_change_updates(client, editor):
    update = make_published_update(status="in_progress", summary="On the record")
    commitment = update.commitment
    client.force_login(editor)
    url = reverse("admin:commitments_commitment_change", args=[commitment.pk])
    page = client.get(url).content.decode()
    assert 'name="updates-0-summary"' not in page
    client.post(
        url,
        {
            **commitment_admin_data(commitment),
            "updates-TOTAL_FORMS": "1",
            "updates-INITIAL_FORMS": "1",
            "updates-0-id": update.pk,
            "updates-0-commitment": commitment.pk,
            "updates-0-summary": "Rewritten through the inline",
            "updates-0-status": "achieved",
            "updates-0-DELETE": "on",
        },
    )
    update.refresh_from_db()
    assert (update.summary, update.status) == ("On the record", "in_progress")


# 3. History is a record, not a way back


def test_reverting_from_the_admin_history_is_refused(client, editor):
    update = make_published_update(status="in_progress")
    commitment = update.commitment
    first = commitment.history.order_by("history_id").first()
    client.force_login(editor)
    for model, obj, record in [
        ("statusupdate", update, update.history.order_by("history_id").last()),
        ("commitment", commitment, first),
    ]:
        url = reverse(f"admin:commitments_{model}_simple_history", args=[obj.pk, record.history_id])
        assert client.get(url).status_code == 200  # it can be read
        assert "Revert" not in client.get(url).content.decode()
        assert client.post(url, {"title": "x", "summary": "x"}).status_code == 403
    assert StatusUpdate.objects.get(pk=update.pk).state == State.PUBLISHED
    assert stored(commitment) == (update.pk, "in_progress")


@pytest.mark.parametrize(
    "path",
    [
        "/admin/commitments/statusupdate/{pk}/history/1e3/",
        "/admin/commitments/statusupdate/abc/history/",
        "/admin/commitments/commitment/{cpk}/history/99999999999999999999/",
    ],
)
def test_malformed_history_addresses_are_404(client, editor, path):
    update = make_published_update()
    client.force_login(editor)
    url = path.format(pk=update.pk, cpk=update.commitment_id)
    assert client.get(url).status_code == 404


def test_a_huge_date_in_the_admin_changelist_is_not_an_error(client, editor):
    client.force_login(editor)
    response = client.get(CHANGELIST, {"as_of__year": "99999999999"})
    assert response.status_code in (200, 302)


# Corrections and retractions


def test_a_published_update_is_never_changed_in_place_by_any_path(analyst):
    update = make_published_update(status="in_progress", summary="On the record")
    update.summary = "Quietly changed"
    with pytest.raises(ValidationError, match="never changed in place"):
        update.save()
    with pytest.raises(ValidationError, match="never changed in place"), transaction.atomic():
        update.sources.set([make_source()])
    assert StatusUpdate.objects.get(pk=update.pk).summary == "On the record"


def test_a_correction_goes_through_review_and_says_what_changed(client, analyst, editor):
    original = make_published_update(
        make_commitment(slug="moon"), status="in_progress", summary="Rover at 60 %"
    )
    client.force_login(analyst)
    response = client.post(
        reverse("commitments:update-correct", args=[original.pk]),
        {
            "action": "submit",
            "as_of": original.as_of.isoformat(),
            "status": "delayed",
            "summary": "Rover at 40 %",
            "correction_note": "The figure was the plan, not the progress.",
            "existing_sources": [s.pk for s in original.sources.all()],
            "new-TOTAL_FORMS": "0",
            "new-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    correction = StatusUpdate.objects.get(kind=StatusUpdate.Kind.CORRECTION)
    assert (correction.state, correction.corrects) == (State.SUBMITTED, original)
    client.logout()
    assert "Rover at 40 %" not in client.get("/commitments/moon/").content.decode()

    with pytest.raises(ValidationError, match="Only editors can review"):
        correction.publish(analyst)
    correction.publish(editor, version=correction.version)
    original.refresh_from_db()
    assert original.state == State.SUPERSEDED
    assert stored(original.commitment) == (correction.pk, "delayed")
    page = client.get("/commitments/moon/").content.decode()
    assert "Corrected on" in page
    assert "The figure was the plan, not the progress." in page
    assert "Rover at 40 %" in page and "Rover at 60 %" not in page
    assert editor.username not in page  # the public sees the note, not the reviewers


def test_a_retraction_goes_through_review_and_recomputes_the_status(client, analyst, editor):
    commitment = make_commitment(slug="moon")
    older = make_published_update(commitment, status="in_progress", as_of=SUMMIT_DAY)
    wrong = make_published_update(
        commitment,
        status="achieved",
        summary="Mission complete",
        as_of=SUMMIT_DAY + datetime.timedelta(days=10),
    )
    client.force_login(analyst)
    client.post(
        reverse("commitments:update-retract", args=[wrong.pk]),
        {"note": "This was about another mission."},
    )
    retraction = StatusUpdate.objects.get(kind=StatusUpdate.Kind.RETRACTION)
    assert retraction.state == State.SUBMITTED
    assert stored(commitment) == (wrong.pk, "achieved")  # nothing changes before review

    retraction.publish(editor, version=retraction.version)
    assert StatusUpdate.objects.get(pk=wrong.pk).state == State.RETRACTED
    assert stored(commitment) == (older.pk, "in_progress")
    client.logout()
    page = client.get("/commitments/moon/").content.decode()
    assert "Retracted on" in page and "This was about another mission." in page
    api = client.get("/api/updates/").json()
    assert wrong.pk not in {row["id"] for row in api["results"]}


def test_a_correction_of_an_update_no_longer_published_is_refused(analyst, editor, other_editor):
    original = make_published_update()
    first = open_correction(original, analyst, summary="First fix")
    second = open_correction(original, analyst, summary="Second fix")
    first.publish(editor)
    with pytest.raises(ValidationError, match="no longer published"):
        second.publish(other_editor)
    assert StatusUpdate.objects.get(pk=second.pk).state == State.SUBMITTED


# 9. The stored status by every path


def test_deleting_the_latest_published_update_from_the_shell_falls_back(db):
    commitment = make_commitment()
    older = make_published_update(commitment, status="in_progress", as_of=SUMMIT_DAY)
    latest = make_published_update(
        commitment, status="delayed", as_of=SUMMIT_DAY + datetime.timedelta(days=30)
    )
    StatusUpdate.objects.filter(pk=latest.pk).delete()
    assert stored(commitment) == (older.pk, "in_progress")
    assert Commitment.objects.public().filter(pk=commitment.pk).exists()
    StatusUpdate.objects.filter(pk=older.pk).delete()
    assert stored(commitment) == (None, "")


def test_refresh_standings_repairs_rows_changed_behind_its_back(db):
    commitment = make_commitment(target_value=Decimal(200), target_unit="count")
    update = make_published_update(commitment, status="delayed", progress_value=Decimal(50))
    Commitment.objects.filter(pk=commitment.pk).update(
        current_status="achieved", effective_progress=1, progress_percent=99
    )
    call_command("refresh_standings", verbosity=0)
    assert stored(commitment) == (update.pk, "delayed")
    commitment.refresh_from_db()
    assert (commitment.effective_progress, commitment.progress_percent) == (50, 25)


def test_a_source_cited_by_a_published_update_cannot_be_deleted(client, editor):
    update = make_published_update()
    source = update.sources.get()
    client.force_login(editor)
    url = reverse("admin:commitments_source_delete", args=[source.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    with pytest.raises(Exception, match="cited by a published update"), transaction.atomic():
        source.delete()
    assert Source.objects.filter(pk=source.pk).exists()
    assert update.sources.count() == 1


OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(
            ["publish", "draft", "correct", "retract", "delete", "delete_all", "reject"]
        ),
        st.integers(min_value=0, max_value=400),  # as_of offset in days / which update
        st.sampled_from(["in_progress", "delayed", "achieved", "stalled"]),
    ),
    min_size=1,
    max_size=8,
)


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=OPERATIONS)
def test_the_stored_status_always_equals_the_computed_one(analyst, editor, operations):
    commitment = make_commitment()
    for operation, number, status in operations:
        updates = list(StatusUpdate.objects.filter(commitment=commitment).order_by("pk"))
        published = [u for u in updates if u.state == State.PUBLISHED]
        as_of = SUMMIT_DAY + datetime.timedelta(days=number)
        if operation == "publish":
            make_published_update(commitment, by=editor, status=status, as_of=as_of)
        elif operation == "draft":
            make_update(commitment, author=analyst, status=status, as_of=as_of)
        elif operation == "reject" and updates:
            update = updates[number % len(updates)]
            if update.state == State.DRAFT:
                update.submit(by=analyst if update.author == analyst else None)
                update.reject(editor, "No.")
        elif operation in ("correct", "retract") and published:
            original = published[number % len(published)]
            if operation == "correct":
                revision = open_correction(original, analyst, status=status, as_of=as_of)
            else:
                revision = open_retraction(original, analyst)
            revision.publish(editor, version=revision.version)
        elif operation == "delete" and updates:
            victim = updates[number % len(updates)]
            if not victim.revisions.exists():
                StatusUpdate.objects.filter(pk=victim.pk).delete()
        elif operation == "delete_all":
            StatusUpdate.objects.filter(commitment=commitment, revisions__isnull=True).delete()
        assert stored(commitment) == computed(commitment), operations


# Under contention (PostgreSQL: real row locks, real threads)

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL row locks"
)


def run_at_once(work, arguments):
    """Run work(argument) in one thread each, all released together; collect outcomes."""
    barrier = threading.Barrier(len(arguments))
    outcomes = []

    def run(argument):
        from django.db import connections

        try:
            barrier.wait()
            outcomes.append(work(argument))
        except Exception as error:  # the outcome is what the test reads
            outcomes.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(argument,)) for argument in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@needs_postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(3))
def test_publications_at_once_never_store_the_older_status(roles, round_):
    commitment = make_commitment()
    editor = make_editor(f"contention-{round_}")
    days = [0, 5, 10, 15, 20, 25]
    updates = []
    for day in days:
        update = make_update(
            commitment, status="delayed", as_of=SUMMIT_DAY + datetime.timedelta(days=day)
        )
        update.submit()
        updates.append(update)
    newest = updates[-1]
    StatusUpdate.objects.filter(pk=newest.pk).update(status="achieved")

    def publish_one(update):
        StatusUpdate.objects.get(pk=update.pk).publish(editor)
        return "published"

    outcomes = run_at_once(publish_one, updates)
    assert outcomes == ["published"] * len(updates)
    assert stored(commitment) == computed(commitment) == (newest.pk, "achieved")


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_admin_saves_at_once_are_never_an_error(roles):
    from django.test import Client

    editor = make_editor("contention-admin")
    commitment = make_commitment(title="Before")
    url = reverse("admin:commitments_commitment_change", args=[commitment.pk])

    def save(title):
        client = Client()
        client.force_login(editor)
        response = client.post(url, commitment_admin_data(commitment, title=title))
        return response.status_code

    outcomes = run_at_once(save, [f"Title {i}" for i in range(6)])
    assert all(isinstance(code, int) and code < 500 for code in outcomes), outcomes
    assert outcomes.count(302) == 1  # one save wins; the others see the conflict
    assert Commitment.objects.get(pk=commitment.pk).title.startswith("Title ")


def test_the_review_queue_shows_corrections_and_retractions(client, analyst, editor):
    original = make_published_update(summary="Rover at 60 %")
    open_correction(original, analyst, summary="Rover at 40 %", note="Plan, not progress.")
    open_retraction(make_published_update(summary="Wrong mission"), analyst, note="Not ours.")
    client.force_login(editor)
    page = client.get(reverse("commitments:review")).content.decode()
    assert "Correction</strong> of the update" in page and "Plan, not progress." in page
    assert "Retraction</strong> of the update" in page and "Not ours." in page
    assert "Publish the correction" in page and "Publish the retraction" in page


def row_time(moment):
    from rest_framework.fields import DateTimeField

    return DateTimeField().to_representation(moment)


def test_the_api_marks_a_published_correction(client, analyst, editor):
    original = make_published_update(summary="Rover at 60 %")
    correction = open_correction(original, analyst, summary="Rover at 40 %", note="Plan.")
    correction.publish(editor)
    rows = client.get("/api/updates/").json()["results"]
    assert [(row["id"], row["correction"]) for row in rows] == [
        (
            correction.pk,
            {
                "corrects": original.pk,
                "corrected_at": row_time(correction.reviewed_at),
                "note": "Plan.",
            },
        )
    ]


def test_a_correction_moved_to_another_commitment_is_not_published(analyst, editor):
    original = make_published_update(status="in_progress")
    correction = open_correction(original, analyst, status="achieved")
    StatusUpdate.objects.filter(pk=correction.pk).update(commitment=make_commitment())
    correction.refresh_from_db()
    with pytest.raises(ValidationError, match="must stay on the commitment"):
        correction.publish(editor)
    assert StatusUpdate.objects.get(pk=original.pk).state == State.PUBLISHED


def test_the_feed_says_an_item_is_a_correction(client, analyst, editor):
    original = make_published_update(summary="Rover at 60 %")
    open_correction(original, analyst, summary="Rover at 40 %", note="Plan, not progress.").publish(
        editor
    )
    feed = client.get("/feeds/updates.atom").content.decode()
    assert "Correction — " in feed
    assert "Plan, not progress." in feed
    assert "Rover at 60 %" not in feed


def test_an_updates_lasting_address_finds_it_on_the_timeline(client, analyst, editor):
    commitment = make_commitment(slug="moon")
    oldest = make_published_update(commitment, as_of=SUMMIT_DAY, summary="The first")
    for day in range(1, 26):  # 25 newer updates push it to the second page
        make_published_update(commitment, as_of=SUMMIT_DAY + datetime.timedelta(days=day))
    response = client.get(f"/updates/{oldest.pk}/")
    assert response["Location"] == f"/commitments/moon/?updates=2#update-{oldest.pk}"
    assert "The first" in client.get(response["Location"]).content.decode()

    newest = StatusUpdate.objects.published().filter(commitment=commitment).newest_first()[0]
    correction = open_correction(newest, analyst, summary="Fixed")
    correction.publish(editor)
    assert client.get(f"/updates/{newest.pk}/")["Location"] == (
        f"/commitments/moon/#update-{correction.pk}"
    )
    retraction = open_retraction(correction, analyst)
    retraction.publish(editor)
    assert client.get(f"/updates/{correction.pk}/")["Location"] == "/commitments/moon/"
    draft = make_update(commitment, author=analyst)
    assert client.get(f"/updates/{draft.pk}/").status_code == 404
    assert client.get(f"/updates/{retraction.pk}/").status_code == 404
