"""The querysets the public pages start from, and the orderings of timelines and queues."""

import datetime

import pytest
from django.utils import timezone

from commitments.models import Commitment, CommitmentParty, Source, StatusUpdate
from tests.factories import (
    NOW,
    SUMMIT_DAY,
    make_analyst,
    make_commitment,
    make_editor,
    make_party,
    make_published_update,
    make_source,
    make_submitted_update,
    make_update,
    open_correction,
    open_retraction,
)

pytestmark = pytest.mark.django_db

State = StatusUpdate.State
Status = StatusUpdate.Status
Role = CommitmentParty.Role
ONE_DAY = datetime.timedelta(days=1)


def make_rejected_update(commitment=None, **fields) -> StatusUpdate:
    update = make_submitted_update(commitment, **fields)
    update.reject(make_editor(), "Needs a better source.")
    return update


def pks(queryset) -> list[int]:
    return [obj.pk for obj in queryset]


# StatusUpdate.objects.published()


def test_published_returns_only_published_updates():
    commitment = make_commitment()
    make_update(commitment)
    make_submitted_update(commitment)
    make_rejected_update(commitment)
    published = make_published_update(commitment)
    superseded = make_published_update(commitment)
    open_correction(superseded, make_analyst()).publish(make_editor())
    retracted = make_published_update(commitment)
    open_retraction(retracted, make_analyst()).publish(make_editor())
    assert set(StatusUpdate.objects.values_list("state", flat=True)) == set(State.values)
    correction = StatusUpdate.objects.get(corrects=superseded)
    assert sorted(pks(StatusUpdate.objects.published())) == [published.pk, correction.pk]


# Commitment.objects.public()


def test_public_commitments_have_at_least_one_published_update():
    public = make_commitment()
    make_update(public)
    make_published_update(public)
    make_published_update(public, as_of=SUMMIT_DAY + ONE_DAY)

    unpublished = make_commitment()
    make_update(unpublished)
    make_submitted_update(unpublished)
    make_rejected_update(unpublished)

    make_commitment()  # no updates at all

    assert pks(Commitment.objects.public()) == [public.pk]


def test_a_commitment_stops_being_public_when_its_last_published_update_goes():
    update = make_published_update()
    commitment = update.commitment
    assert pks(Commitment.objects.public()) == [commitment.pk]
    update.delete()
    Commitment.objects.get(pk=commitment.pk).refresh_standing()
    assert not Commitment.objects.public().exists()


# Source.objects.public()


def test_public_sources_are_those_cited_by_a_published_update():
    commitment = make_commitment()
    cited_once = make_source(title="Cited once")
    cited_twice = make_source(title="Cited twice")
    draft_only = make_source(title="Draft only")
    unpublished_only = make_source(title="Submitted or rejected only")
    draft_and_published = make_source(title="Draft and published")
    make_source(title="Cited by nothing")

    make_published_update(commitment, sources=[cited_once, cited_twice, draft_and_published])
    make_published_update(commitment, sources=[cited_twice], as_of=SUMMIT_DAY + ONE_DAY)
    make_update(commitment, sources=[draft_only, draft_and_published])
    make_submitted_update(commitment, sources=[unpublished_only])
    make_rejected_update(commitment, sources=[unpublished_only])

    public = list(Source.objects.public())
    assert sorted(source.title for source in public) == [
        "Cited once",
        "Cited twice",
        "Draft and published",
    ]
    assert len(public) == len(set(public))  # cited twice, listed once
    assert Source.objects.public().count() == 3


# Commitment.objects.overdue()

TODAY = datetime.date(2030, 6, 15)


def dated(deadline, status="") -> Commitment:
    return make_commitment(
        deadline=deadline,
        deadline_precision="" if deadline is None else "day",
        current_status=status,
    )


def test_overdue_means_deadline_passed_and_neither_achieved_nor_abandoned():
    yesterday = TODAY - ONE_DAY
    overdue = [
        dated(yesterday),
        dated(yesterday, Status.IN_PROGRESS),
        dated(yesterday, Status.DELAYED),
        dated(yesterday, Status.PARTIALLY_ACHIEVED),
        dated(datetime.date(2026, 1, 1), Status.STALLED),
    ]
    not_overdue = [
        dated(TODAY, Status.IN_PROGRESS),  # due today is not late yet
        dated(TODAY + ONE_DAY, Status.IN_PROGRESS),
        dated(None, Status.STALLED),
        dated(yesterday, Status.ACHIEVED),
        dated(yesterday, Status.ABANDONED),
    ]
    found = set(pks(Commitment.objects.overdue(today=TODAY)))
    assert found == {c.pk for c in overdue}
    assert found.isdisjoint(c.pk for c in not_overdue)


def test_overdue_defaults_to_today_and_agrees_with_is_overdue():
    today = NOW.date()  # not this module's TODAY: the clock's
    late = make_commitment(
        announced_on=today - 10 * ONE_DAY, deadline=today - ONE_DAY, deadline_precision="day"
    )
    due_today = make_commitment(
        announced_on=today - 10 * ONE_DAY, deadline=today, deadline_precision="day"
    )
    assert pks(Commitment.objects.overdue()) == [late.pk]
    assert late.is_overdue
    assert not due_today.is_overdue


# StatusUpdate.objects.newest_first() and awaiting_review()


def test_newest_first_orders_by_as_of_then_publication_time_then_pk():
    commitment = make_commitment()
    early, late = timezone.now() - datetime.timedelta(hours=2), timezone.now()
    newer_day = SUMMIT_DAY + ONE_DAY

    def create(as_of, reviewed_at=None):
        state = State.PUBLISHED if reviewed_at else State.DRAFT
        return StatusUpdate.objects.create(
            commitment=commitment,
            as_of=as_of,
            status=Status.IN_PROGRESS,
            summary="x",
            state=state,
            reviewed_at=reviewed_at,
        )

    # Created in an order that a pk ordering would get wrong.
    older_day = create(SUMMIT_DAY, reviewed_at=late)
    published_late = create(newer_day, reviewed_at=late)
    published_early = create(newer_day, reviewed_at=early)
    unreviewed_1 = create(newer_day)
    unreviewed_2 = create(newer_day)

    assert pks(StatusUpdate.objects.newest_first()) == [
        published_late.pk,
        published_early.pk,
        unreviewed_2.pk,  # never reviewed: after the reviewed ones of its day
        unreviewed_1.pk,
        older_day.pk,
    ]


def test_awaiting_review_lists_submitted_updates_oldest_first():
    commitment = make_commitment()
    now = timezone.now()
    later, earlier, tied_a, tied_b = (make_submitted_update(commitment) for _ in range(4))
    for update, submitted_at in [
        (later, now),
        (earlier, now - datetime.timedelta(hours=3)),
        (tied_a, now - datetime.timedelta(hours=1)),
        (tied_b, now - datetime.timedelta(hours=1)),
    ]:
        StatusUpdate.objects.filter(pk=update.pk).update(submitted_at=submitted_at)
    make_update(commitment)
    make_published_update(commitment)
    make_rejected_update(commitment)

    assert pks(StatusUpdate.objects.awaiting_review()) == [
        earlier.pk,
        tied_a.pk,
        tied_b.pk,
        later.pk,
    ]


# Commitment.party_pairs()


@pytest.mark.parametrize(
    ("roles", "expected"),
    [
        ([("Gujarat", Role.LEAD), ("Shizuoka", Role.COUNTERPART)], "Gujarat ↔ Shizuoka"),
        (
            [
                ("Gujarat", Role.LEAD),
                ("JICA", Role.PARTNER),
                ("Shizuoka", Role.COUNTERPART),
                ("Bank", Role.FUNDER),
            ],
            "Gujarat ↔ Shizuoka, JICA, Bank",
        ),
        (
            [("India", Role.LEAD), ("Japan", Role.COUNTERPART), ("Gujarat", Role.LEAD)],
            "India & Gujarat ↔ Japan",
        ),
        ([("India", Role.LEAD)], "India"),
        ([("India", Role.LEAD), ("ISRO", Role.IMPLEMENTER)], "India, ISRO"),
        ([("JICA", Role.PARTNER), ("Bank", Role.FUNDER)], "JICA, Bank"),
        ([], ""),
    ],
)
def test_party_pairs(roles, expected):
    parties = [(make_party(name=name), role) for name, role in roles]
    assert make_commitment(parties=parties).party_pairs() == expected


def test_party_pairs_uses_short_names():
    isro = make_party(name="Indian Space Research Organisation", short_name="ISRO")
    jaxa = make_party(name="Japan Aerospace Exploration Agency", short_name="JAXA")
    commitment = make_commitment(parties=[(isro, Role.LEAD), (jaxa, Role.COUNTERPART)])
    assert commitment.party_pairs() == "ISRO ↔ JAXA"
