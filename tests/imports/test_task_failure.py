"""A task that stops on an unexpected error leaves its batch Failed, in words, with nothing
imported (not "being applied" for good)."""

import hashlib

import pytest

from commitments.imports import batches
from commitments.models import ImportBatch, StatusUpdate
from commitments.tasks import apply_import, check_import
from tests.factories import make_analyst, make_commitment

pytestmark = pytest.mark.django_db


def _batch(user, state=ImportBatch.State.QUEUED):
    content = b"commitment,as_of,status,summary,source_title,source_url\n"
    return ImportBatch.objects.create(
        kind=ImportBatch.Kind.UPDATES,
        created_by=user,
        filename="updates.csv",
        checksum=hashlib.sha256(content).hexdigest(),
        size=len(content),
        content=content,
        state=state,
    )


@pytest.mark.parametrize(
    ("task", "state", "step"),
    [
        (check_import, ImportBatch.State.QUEUED, "check"),
        (apply_import, ImportBatch.State.APPLY_QUEUED, "apply"),
    ],
)
def test_an_unexpected_error_fails_the_batch_in_words(monkeypatch, task, state, step):
    make_commitment()
    batch = _batch(make_analyst(), state)

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(batches, "_plan", broken)
    result = task.enqueue(batch.pk)
    assert result.status == "FAILED"
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.FAILED
    assert "unexpected error" in batch.message
    assert "nothing was imported" in batch.message
    assert not StatusUpdate.objects.exists()


def test_a_finished_batch_is_left_alone():
    batch = _batch(make_analyst(), ImportBatch.State.APPLIED)
    batches.fail(batch.pk)
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.APPLIED
