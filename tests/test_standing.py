"""A commitment's standing (commitments/standing.py): stored for today by one function, and
always what is computed from the published updates, whatever changed it and by which path."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commitments import standing
from commitments.models import Commitment, StatusUpdate
from tests.factories import (
    SUMMIT_DAY,
    make_commitment,
    make_published_update,
    open_correction,
    open_retraction,
)

State = StatusUpdate.State


def measurable(**fields) -> Commitment:
    fields.setdefault("target_value", Decimal(1000))
    fields.setdefault("target_unit", "count")
    return make_commitment(**fields)


def oracle(commitment: Commitment) -> tuple:
    """The standing worked out in plain Python from the rows, independently of the SQL:
    (status, latest update, own figure, effective figure, percent)."""

    def newest(updates):
        return max(
            updates,
            key=lambda u: (u.as_of, u.reviewed_at is not None, u.reviewed_at or 0, u.pk),
            default=None,
        )

    def own(c):
        published = c.updates.filter(state=State.PUBLISHED)
        latest = newest([u for u in published if u.progress_value is not None])
        return latest.progress_value if latest else None

    latest = newest(list(commitment.updates.filter(state=State.PUBLISHED)))
    mine = own(commitment)
    effective = mine
    if effective is None:
        parts = [
            own(child)
            for child in Commitment.objects.filter(parent=commitment, counts_toward_parent=True)
            if child.updates.filter(state=State.PUBLISHED).exists()
            and child.unit_label == commitment.unit_label
        ]
        parts = [value for value in parts if value is not None]
        effective = sum(parts, Decimal(0)) if parts else None
    percent = None
    if effective is not None and commitment.target_value is not None:
        baseline = commitment.baseline_value or 0
        percent = (effective - baseline) * 100 / (commitment.target_value - baseline)
    return (
        latest.status if latest else "",
        latest.pk if latest else None,
        mine,
        effective,
        round(percent, 4) if percent is not None else None,
    )


def stored(commitment: Commitment) -> tuple:
    c = Commitment.objects.get(pk=commitment.pk)
    return (
        c.current_status,
        c.latest_update_id,
        c.own_progress,
        c.effective_progress,
        c.progress_percent,
    )


def assert_right(*commitments):
    computed = standing.compute(Commitment.objects.filter(pk__in=[c.pk for c in commitments]))
    for commitment in commitments:
        commitment.refresh_from_db()
        assert standing.stored_standing(commitment) == computed[commitment.pk]
        assert stored(commitment) == oracle(commitment), commitment.title


OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "publish",
                "publish_no_figure",
                "correct",
                "retract",
                "delete",
                "retarget",
                "rebaseline",
                "move",
                "stop_counting",
                "count",
                "change_unit",
            ]
        ),
        st.integers(min_value=0, max_value=3),  # which commitment
        st.integers(min_value=0, max_value=900),  # a figure, a day, which update
    ),
    min_size=1,
    max_size=10,
)


@pytest.mark.django_db
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=OPERATIONS)
def test_the_stored_standing_always_equals_the_computed_one(analyst, editor, operations):
    """Random sequences of publications, corrections, retractions, deletions and edits of
    targets, baselines, units and parents, by the paths the site and the admin use."""
    parent = measurable(title="Parent")
    other_parent = measurable(title="Other parent")
    parts = [
        measurable(title=f"Part {n}", parent=parent, counts_toward_parent=True) for n in (1, 2)
    ]
    tree = [parent, *parts, other_parent]
    for operation, which, number in operations:
        commitment = Commitment.objects.get(pk=tree[which].pk)
        published = list(commitment.updates.filter(state=State.PUBLISHED).order_by("pk"))
        as_of = SUMMIT_DAY + datetime.timedelta(days=number % 400)
        if operation == "publish":
            make_published_update(
                commitment, by=editor, as_of=as_of, progress_value=Decimal(number)
            )
        elif operation == "publish_no_figure":
            make_published_update(commitment, by=editor, as_of=as_of, status="delayed")
        elif operation in ("correct", "retract") and published:
            original = published[number % len(published)]
            if operation == "correct":
                revision = open_correction(
                    original, analyst, progress_value=Decimal(number + 1), as_of=as_of
                )
            else:
                revision = open_retraction(original, analyst)
            revision.publish(editor, version=revision.version)
        elif operation == "delete" and published:
            victim = published[number % len(published)]
            if not victim.revisions.exists() and victim.corrects_id is None:
                victim.delete()
        elif operation == "retarget":
            commitment.target_value = Decimal(number + 1)
            commitment.baseline_value = None
            commitment.save()
        elif operation == "rebaseline" and commitment.target_value != number:
            commitment.baseline_value = Decimal(number)
            commitment.save()
        elif operation == "move" and commitment in parts:
            commitment.parent = other_parent if commitment.parent_id == parent.pk else parent
            commitment.save()
        elif operation == "stop_counting" and commitment in parts:
            commitment.counts_toward_parent = False
            commitment.save()
        elif operation == "count" and commitment in parts:
            commitment.counts_toward_parent = True
            commitment.save()
        elif operation == "change_unit":
            commitment.target_unit = "people" if commitment.target_unit == "count" else "count"
            commitment.save()
        assert_right(*tree)


def test_a_parent_without_a_figure_shows_what_its_parts_add_up_to(editor):
    parent = measurable(title="5 lakh people", target_value=Decimal(500000), target_unit="people")
    part = measurable(
        title="50,000 professionals",
        target_value=Decimal(50000),
        target_unit="people",
        parent=parent,
        counts_toward_parent=True,
    )
    make_published_update(parent, by=editor, status="in_progress")
    make_published_update(part, by=editor, progress_value=Decimal(6000))
    parent = Commitment.objects.get(pk=parent.pk)  # no annotation, no prefetch
    assert parent.own_progress is None
    assert parent.effective_progress == 6000
    assert parent.progress_percent == Decimal("1.2")
    assert parent.progress_from_parts
    assert parent.progress_percent_display == 1


def test_a_part_in_another_unit_does_not_count(editor):
    parent = measurable(title="Parent")
    part = measurable(parent=parent, counts_toward_parent=True)
    make_published_update(parent, by=editor)
    make_published_update(part, by=editor, progress_value=Decimal(300))
    assert Commitment.objects.get(pk=parent.pk).effective_progress == 300
    part.target_unit = "people"
    part.save()
    assert Commitment.objects.get(pk=parent.pk).effective_progress is None


def test_deleting_a_part_takes_its_figure_out_of_the_parent(editor):
    parent = measurable(title="Parent")
    part = measurable(parent=parent, counts_toward_parent=True)
    make_published_update(parent, by=editor)
    make_published_update(part, by=editor, progress_value=Decimal(300))
    StatusUpdate.objects.filter(commitment=part).delete()
    part.delete()
    assert Commitment.objects.get(pk=parent.pk).effective_progress is None


def test_refresh_standings_repairs_every_row_in_one_pass(editor, django_assert_max_num_queries):
    commitments = [measurable() for _ in range(5)]
    for n, commitment in enumerate(commitments):
        make_published_update(commitment, by=editor, progress_value=Decimal(100 * n))
    Commitment.objects.update(
        current_status="achieved", own_progress=None, effective_progress=7, progress_percent=0
    )
    # The same with 5 or 5,000 commitments (the standing, then the search texts).
    with django_assert_max_num_queries(12):
        call_command("refresh_standings", verbosity=0)
    for commitment in commitments:
        assert stored(commitment) == oracle(commitment)


def test_a_past_day_reads_the_same_fields(editor):
    commitment = measurable()
    make_published_update(
        commitment, by=editor, as_of=SUMMIT_DAY, status="announced", progress_value=Decimal(100)
    )
    make_published_update(
        commitment,
        by=editor,
        as_of=SUMMIT_DAY + datetime.timedelta(days=60),
        status="in_progress",
        progress_value=Decimal(400),
    )
    then = Commitment.objects.standing_on(SUMMIT_DAY + datetime.timedelta(days=30)).get()
    assert (then.current_status, then.effective_progress, then.progress_percent) == (
        "announced",
        100,
        10,
    )
    today = Commitment.objects.get()
    assert (today.current_status, today.effective_progress, today.progress_percent) == (
        "in_progress",
        400,
        40,
    )


def test_the_admin_shows_the_same_percent(client, editor):
    parent = measurable(title="Parent")
    part = measurable(parent=parent, counts_toward_parent=True)
    make_published_update(parent, by=editor)
    make_published_update(part, by=editor, progress_value=Decimal(125))
    client.force_login(editor)
    listing = client.get("/admin/commitments/commitment/?o=3").content.decode()
    assert "12 %" in listing
    form = client.get(f"/admin/commitments/commitment/{parent.pk}/change/").content.decode()
    assert "125 count (the sum of its parts), 12 % of the target" in form


def test_migrate_recomputes_the_standings_going_forward_only(editor):
    from types import SimpleNamespace

    from django.apps import apps

    commitment = measurable()
    make_published_update(commitment, by=editor, progress_value=Decimal(250))
    Commitment.objects.update(progress_percent=None, effective_progress=None)
    app = apps.get_app_config("commitments")
    ours = SimpleNamespace(app_label="commitments")
    standing.after_migrate(app, plan=[(ours, True)])  # backwards: leave the rows alone
    standing.after_migrate(app, plan=None)  # a flush
    assert Commitment.objects.get().progress_percent is None
    standing.after_migrate(app, plan=[(ours, False)])
    assert Commitment.objects.get().progress_percent == 25
