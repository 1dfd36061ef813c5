"""The editorial workflow on StatusUpdate: submit, withdraw, publish, reject.

And the commitment's current status, which only publishing (and refresh_current_status) sets.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from commitments import standing
from commitments.models import Commitment, StatusUpdate
from tests.factories import (
    SUMMIT_DAY,
    TODAY,
    make_commitment,
    make_editor,
    make_published_update,
    make_source,
    make_submitted_update,
    make_update,
    publish,
)

pytestmark = pytest.mark.django_db


State = StatusUpdate.State
Status = StatusUpdate.Status
ONE_DAY = datetime.timedelta(days=1)


def in_state(state, commitment=None, **fields) -> StatusUpdate:
    """An update brought to `state` through the workflow methods."""
    if state == State.DRAFT:
        return make_update(commitment, **fields)
    if state == State.SUBMITTED:
        return make_submitted_update(commitment, **fields)
    if state == State.PUBLISHED:
        return make_published_update(commitment, **fields)
    update = make_submitted_update(commitment, **fields)
    update.reject(make_editor(), "Cite the ministry's statement.")
    return update


def fresh(update: StatusUpdate) -> StatusUpdate:
    return StatusUpdate.objects.get(pk=update.pk)


def current(commitment: Commitment) -> tuple[str, int | None]:
    commitment = Commitment.objects.get(pk=commitment.pk)
    return commitment.current_status, commitment.latest_update_id


def message_of(excinfo) -> str:
    return " ".join(excinfo.value.messages)


# Submit


@pytest.mark.parametrize("state", [State.DRAFT, State.REJECTED])
def test_submit_from_draft_or_rejected(state):
    update = in_state(state)
    before = timezone.now()
    update.submit()
    stored = fresh(update)
    assert stored.state == State.SUBMITTED
    assert before <= stored.submitted_at <= timezone.now()


@pytest.mark.parametrize("state", [State.SUBMITTED, State.PUBLISHED])
def test_submit_refused_from_other_states(state):
    update = in_state(state)
    submitted_at = fresh(update).submitted_at
    with pytest.raises(ValidationError) as excinfo:
        update.submit()
    assert "Only a draft or a rejected update can be submitted" in message_of(excinfo)
    stored = fresh(update)
    assert stored.state == state
    assert stored.submitted_at == submitted_at


# Withdraw


def test_withdraw_returns_a_submitted_update_to_draft():
    update = make_submitted_update()
    update.withdraw()
    stored = fresh(update)
    assert stored.state == State.DRAFT
    assert stored.submitted_at is None


@pytest.mark.parametrize("state", [State.DRAFT, State.PUBLISHED, State.REJECTED])
def test_withdraw_refused_unless_submitted(state):
    update = in_state(state)
    with pytest.raises(ValidationError) as excinfo:
        update.withdraw()
    assert "Only an update awaiting review can be withdrawn" in message_of(excinfo)
    assert fresh(update).state == state


# Publish


def test_publish_sets_state_reviewer_time_and_the_commitment_status(analyst, editor):
    update = make_submitted_update(author=analyst, status=Status.DELAYED)
    before = timezone.now()
    update.publish(editor)
    stored = fresh(update)
    assert stored.state == State.PUBLISHED
    assert stored.is_published
    assert stored.reviewer == editor
    assert before <= stored.reviewed_at <= timezone.now()
    assert stored.review_comment == ""
    assert current(update.commitment) == (Status.DELAYED, update.pk)


@pytest.mark.parametrize("state", [State.DRAFT, State.PUBLISHED, State.REJECTED])
def test_publish_refused_unless_submitted(state, other_editor):
    update = in_state(state)
    before = fresh(update)
    with pytest.raises(ValidationError) as excinfo:
        update.publish(other_editor)
    label = State(state).label.lower()
    assert f"Only an update awaiting review can be published. This one is {label}." in (
        message_of(excinfo)
    )
    after = fresh(update)
    assert (after.state, after.reviewer_id, after.reviewed_at) == (
        before.state,
        before.reviewer_id,
        before.reviewed_at,
    )


def test_publish_refuses_an_update_without_sources_and_leaves_it_unchanged(editor):
    update = make_submitted_update(sources=[])
    with pytest.raises(ValidationError) as excinfo:
        update.publish(editor)
    assert "needs at least one source before it can be published" in message_of(excinfo)
    stored = fresh(update)
    assert stored.state == State.SUBMITTED
    assert stored.reviewer is None
    assert stored.reviewed_at is None
    assert current(update.commitment) == ("", None)


def test_publish_refuses_the_author_four_eyes(editor):
    update = make_submitted_update(author=editor)
    with pytest.raises(ValidationError) as excinfo:
        update.publish(editor)
    assert "You cannot publish your own update: another editor must review it." in (
        message_of(excinfo)
    )
    assert fresh(update).state == State.SUBMITTED
    assert current(update.commitment) == ("", None)


def test_another_editor_may_publish_an_editors_update(editor, other_editor):
    update = make_submitted_update(author=editor)
    update.publish(other_editor)
    assert fresh(update).state == State.PUBLISHED
    assert fresh(update).reviewer == other_editor


def test_an_update_without_author_may_be_published_by_any_editor(editor):
    update = make_submitted_update(author=None)
    update.publish(editor)
    assert fresh(update).state == State.PUBLISHED


def test_publish_refuses_an_as_of_in_the_future(analyst, editor):
    # Written straight to the database: clean() would refuse the date already.
    update = make_submitted_update(author=analyst, as_of=TODAY + ONE_DAY)
    with pytest.raises(ValidationError) as excinfo:
        update.publish(editor)
    assert "An update dated in the future cannot be published." in message_of(excinfo)
    assert fresh(update).state == State.SUBMITTED


def test_publish_accepts_an_as_of_of_today(editor):
    update = make_submitted_update(as_of=TODAY)
    update.publish(editor)
    assert fresh(update).state == State.PUBLISHED


def test_publish_is_rolled_back_when_the_commitment_refresh_fails(editor, monkeypatch):
    update = make_submitted_update(status=Status.ACHIEVED)

    def broken_refresh(*pks):
        raise RuntimeError("refresh failed")

    monkeypatch.setattr(standing, "refresh", broken_refresh)
    with pytest.raises(RuntimeError):
        update.publish(editor)
    stored = fresh(update)
    assert stored.state == State.SUBMITTED
    assert stored.reviewer is None
    assert stored.reviewed_at is None
    assert current(update.commitment) == ("", None)


# Reject


@pytest.mark.parametrize("comment", ["", "   ", "\n\t ", None])
def test_reject_needs_a_comment(comment, editor):
    update = make_submitted_update()
    with pytest.raises(ValidationError) as excinfo:
        update.reject(editor, comment)
    assert "a comment is required" in message_of(excinfo)
    stored = fresh(update)
    assert stored.state == State.SUBMITTED
    assert stored.reviewer is None
    assert stored.review_comment == ""


def test_reject_sets_state_reviewer_and_comment(editor):
    update = make_submitted_update()
    before = timezone.now()
    update.reject(editor, "  Cite the ministry's statement.  ")
    stored = fresh(update)
    assert stored.state == State.REJECTED
    assert stored.reviewer == editor
    assert before <= stored.reviewed_at <= timezone.now()
    assert stored.review_comment == "Cite the ministry's statement."


@pytest.mark.parametrize("state", [State.DRAFT, State.PUBLISHED, State.REJECTED])
def test_reject_refused_unless_submitted(state, other_editor):
    update = in_state(state)
    before = fresh(update)
    with pytest.raises(ValidationError) as excinfo:
        update.reject(other_editor, "No.")
    assert "Only an update awaiting review can be rejected" in message_of(excinfo)
    after = fresh(update)
    assert (after.state, after.review_comment) == (before.state, before.review_comment)


def test_rejecting_does_not_change_the_current_status(editor):
    """Rejecting never touches the commitment's current status."""
    published = make_published_update(status=Status.IN_PROGRESS)
    commitment = published.commitment
    update = make_submitted_update(commitment, status=Status.ACHIEVED, as_of=SUMMIT_DAY + ONE_DAY)
    update.reject(editor, "Not achieved yet.")
    assert current(commitment) == (Status.IN_PROGRESS, published.pk)


def test_a_rejected_update_can_be_resubmitted_and_published(analyst, editor, other_editor):
    update = make_submitted_update(author=analyst)
    update.reject(editor, "Add the press release.")
    update.sources.add(make_source())
    update.submit()
    assert fresh(update).state == State.SUBMITTED
    update.publish(other_editor)
    stored = fresh(update)
    assert stored.state == State.PUBLISHED
    assert stored.reviewer == other_editor
    assert stored.review_comment == ""


# Current status


def test_an_older_update_published_later_does_not_turn_the_status_back(editor):
    commitment = make_commitment()
    newer = make_published_update(
        commitment, as_of=datetime.date(2025, 10, 1), status=Status.DELAYED
    )
    older = make_published_update(
        commitment, as_of=datetime.date(2025, 9, 1), status=Status.IN_PROGRESS
    )
    assert fresh(older).reviewed_at > fresh(newer).reviewed_at
    assert current(commitment) == (Status.DELAYED, newer.pk)


def test_a_newer_update_published_later_wins():
    commitment = make_commitment()
    make_published_update(commitment, as_of=datetime.date(2025, 9, 1), status=Status.DELAYED)
    newer = make_published_update(
        commitment, as_of=datetime.date(2025, 10, 1), status=Status.ACHIEVED
    )
    assert current(commitment) == (Status.ACHIEVED, newer.pk)


def test_same_as_of_the_later_published_update_wins():
    commitment = make_commitment()
    # Created first (lower pk), published last: the publication time, not the pk, decides.
    first_created = make_submitted_update(commitment, status=Status.STALLED)
    second_created = make_submitted_update(commitment, status=Status.IN_PROGRESS)
    assert first_created.as_of == second_created.as_of
    publish(second_created)
    assert current(commitment) == (Status.IN_PROGRESS, second_created.pk)
    publish(first_created)
    assert current(commitment) == (Status.STALLED, first_created.pk)


@pytest.mark.parametrize("state", [State.DRAFT, State.SUBMITTED, State.REJECTED])
def test_unpublished_updates_never_set_the_status(state):
    commitment = make_commitment()
    assert current(commitment) == ("", None)
    in_state(state, commitment, status=Status.ACHIEVED)
    assert current(commitment) == ("", None)

    published = make_published_update(commitment, status=Status.IN_PROGRESS)
    in_state(state, commitment, status=Status.ABANDONED, as_of=SUMMIT_DAY + ONE_DAY)
    assert current(commitment) == (Status.IN_PROGRESS, published.pk)
    Commitment.objects.get(pk=commitment.pk).refresh_standing()
    assert current(commitment) == (Status.IN_PROGRESS, published.pk)


def test_withdrawing_and_resubmitting_does_not_set_the_status():
    commitment = make_commitment()
    update = make_submitted_update(commitment, status=Status.ACHIEVED)
    update.withdraw()
    update.submit()
    assert current(commitment) == ("", None)


def test_refresh_after_deleting_the_latest_update_falls_back():
    commitment = make_commitment()
    first = make_published_update(
        commitment, as_of=datetime.date(2025, 9, 1), status=Status.IN_PROGRESS
    )
    second = make_published_update(
        commitment, as_of=datetime.date(2025, 10, 1), status=Status.DELAYED
    )
    assert current(commitment) == (Status.DELAYED, second.pk)

    second.delete()
    commitment = Commitment.objects.get(pk=commitment.pk)
    commitment.refresh_standing()
    assert current(commitment) == (Status.IN_PROGRESS, first.pk)

    first.delete()
    commitment = Commitment.objects.get(pk=commitment.pk)
    commitment.refresh_standing()
    assert current(commitment) == ("", None)


def test_refresh_ignores_unpublished_updates_when_falling_back():
    commitment = make_commitment()
    published = make_published_update(commitment, status=Status.IN_PROGRESS)
    make_update(commitment, status=Status.ACHIEVED, as_of=SUMMIT_DAY + ONE_DAY)
    latest = make_published_update(commitment, status=Status.DELAYED, as_of=SUMMIT_DAY)
    assert current(commitment) == (Status.DELAYED, latest.pk)
    latest.delete()
    commitment.refresh_standing()
    assert current(commitment) == (Status.IN_PROGRESS, published.pk)
