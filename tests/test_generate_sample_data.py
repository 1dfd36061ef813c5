"""The benchmark's data: a synthetic portfolio that is deterministic, valid and public-ready."""

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from commitments import citations, standing
from commitments.cache import public_generation
from commitments.management.commands.generate_sample_data import (
    COMMITMENT_WITH_20_UPDATES,
    LAST_DAY,
)
from commitments.models import (
    ANALYST_GROUP,
    EDITOR_GROUP,
    Commitment,
    CommitmentParty,
    Conversion,
    Party,
    Sector,
    Source,
    StatusUpdate,
    User,
    end_of_period,
)
from tests.factories import make_commitment

pytestmark = pytest.mark.django_db

SMALL = {"commitments": 30, "updates": 600}
Citation = StatusUpdate.sources.through


def generate(**options) -> str:
    out = io.StringIO()
    call_command("generate_sample_data", **{**SMALL, "seed": 1, **options}, stdout=out)
    return out.getvalue()


@pytest.fixture
def sample():
    return generate()


def snapshot() -> dict:
    """Everything but primary keys and save times, by natural keys (slugs, URLs, usernames)."""
    return {
        "commitments": list(
            Commitment.objects.order_by("slug").values_list(
                "slug",
                "title",
                "summary",
                "description",
                "sector__slug",
                "event__slug",
                "parent__slug",
                "announced_on",
                "deadline",
                "deadline_precision",
                "target_value",
                "target_unit",
                "target_unit_label",
                "baseline_value",
                "target_wording",
                "counts_toward_parent",
                "current_status",
                "latest_update__as_of",
                "latest_update__reviewed_at",
            )
        ),
        "roles": sorted(
            CommitmentParty.objects.values_list(
                "commitment__slug", "party__slug", "role", "position"
            )
        ),
        "updates": sorted(
            StatusUpdate.objects.values_list(
                "commitment__slug",
                "as_of",
                "status",
                "state",
                "progress_value",
                "summary",
                "body",
                "author__username",
                "reviewer__username",
                "submitted_at",
                "reviewed_at",
                "review_comment",
            ),
            key=repr,
        ),
        "sources": sorted(
            Source.objects.values_list(
                "url", "title", "publisher", "kind", "published_on", "accessed_on", "archive_url"
            )
        ),
        "citations": sorted(
            Citation.objects.values_list(
                "statusupdate__commitment__slug",
                "statusupdate__as_of",
                "statusupdate__summary",
                "source__url",
            ),
            key=repr,
        ),
        "conversions": sorted(
            Conversion.objects.values_list("source__url", "from_amount", "to_amount")
        ),
    }


def generate_and_roll_back(**options) -> dict:
    """Generate, take a snapshot, and leave the database empty again."""
    with transaction.atomic():
        generate(**options)
        taken = snapshot()
        transaction.set_rollback(True)
    return taken


def test_creates_what_the_options_ask_for(sample):
    assert Commitment.objects.count() == 30
    assert StatusUpdate.objects.count() == 600
    assert Source.objects.count() == 150  # a quarter of the updates by default
    assert Sector.objects.count() == 8
    assert Party.objects.count() >= 40
    assert "Created 30 commitments, 600 updates" in sample
    assert COMMITMENT_WITH_20_UPDATES in sample


def test_sources_option():
    generate(sources=20)
    assert Source.objects.count() == 20


def test_same_seed_same_data_other_seed_other_data():
    first = generate_and_roll_back(seed=7)
    assert not Commitment.objects.exists()
    assert generate_and_roll_back(seed=7) == first
    assert generate_and_roll_back(seed=8)["commitments"] != first["commitments"]


def test_a_realistic_mix(sample):
    commitments = list(Commitment.objects.all())
    assert {c.target_unit for c in commitments} >= {"", "people", "JPY", "INR", "USD", "count"}
    assert any(c.baseline_value is not None for c in commitments)
    assert {c.deadline_precision for c in commitments} >= {"", "day", "month", "year"}
    assert Commitment.objects.filter(parent__isnull=False).exists()
    states = list(StatusUpdate.objects.values_list("state", flat=True))
    assert states.count("published") > len(states) * 0.8
    assert {"draft", "submitted", "rejected"} <= set(states)
    statuses = set(Commitment.objects.values_list("current_status", flat=True))
    assert len(statuses - {""}) >= 4


def test_every_commitment_has_a_lead_and_at_most_three_parties(sample):
    for commitment in Commitment.objects.prefetch_related("commitment_parties"):
        roles = [link.role for link in commitment.commitment_parties.all()]
        assert 1 <= len(roles) <= 3
        assert roles[0] == "lead"
        assert roles.count("lead") == 1


def test_every_published_update_cites_a_source(sample):
    published = StatusUpdate.objects.published()
    assert published.exists()
    assert not published.filter(sources__isnull=True).exists()


def test_sources_are_published_before_the_updates_that_cite_them(sample):
    for published_on, as_of in Citation.objects.values_list(
        "source__published_on", "statusupdate__as_of"
    ):
        assert published_on <= as_of


def test_dates_are_never_in_the_future_nor_before_the_announcement(sample):
    last_day = min(LAST_DAY, timezone.localdate())
    for update in StatusUpdate.objects.select_related("commitment"):
        assert update.commitment.announced_on <= update.as_of <= last_day
        if update.submitted_at:
            assert update.submitted_at.date() <= last_day
        if update.reviewed_at:
            assert update.submitted_at < update.reviewed_at
    for commitment in Commitment.objects.filter(deadline__isnull=False):
        assert commitment.deadline >= commitment.announced_on
        assert commitment.deadline == end_of_period(
            commitment.deadline, commitment.deadline_precision
        )


def test_workflow_traces_match_each_state(sample):
    analysts = set(User.objects.filter(groups__name=ANALYST_GROUP))
    editors = set(User.objects.filter(groups__name=EDITOR_GROUP))
    for update in StatusUpdate.objects.select_related("author", "reviewer"):
        assert update.author in analysts
        if update.state == "draft":
            assert (update.submitted_at, update.reviewer, update.reviewed_at) == (None,) * 3
        elif update.state == "submitted":
            assert update.submitted_at and update.reviewer is None and update.reviewed_at is None
        else:
            assert update.reviewer in editors and update.reviewed_at
            assert bool(update.review_comment) == (update.state == "rejected")


def test_sample_users_cannot_sign_in(sample):
    users = User.objects.filter(username__startswith="sample-")
    assert sorted(u.username for u in users) == [
        *(f"sample-analyst-{n}" for n in range(1, 6)),
        "sample-editor-1",
        "sample-editor-2",
    ]
    assert not any(user.has_usable_password() for user in users)
    assert {user.role for user in users} == {"Analyst", "Editor"}


def test_progress_only_with_a_target_and_never_going_down(sample):
    for commitment in Commitment.objects.prefetch_related("updates"):
        updates = sorted(commitment.updates.all(), key=lambda u: (u.as_of, u.pk))
        values = [u.progress_value for u in updates if u.progress_value is not None]
        if commitment.target_value is None:
            assert values == []
            continue
        assert values == sorted(values)
        baseline = commitment.baseline_value or Decimal(0)
        assert all(baseline <= value <= commitment.target_value for value in values)


def test_parts_that_count_toward_their_parent_share_its_unit(sample):
    parts = Commitment.objects.filter(counts_toward_parent=True).select_related("parent")
    assert parts.exists()
    for part in parts:
        assert part.unit_label == part.parent.unit_label
        assert part.target_value is not None


def test_everything_passes_model_validation(sample):
    for commitment in Commitment.objects.select_related("parent"):
        commitment.full_clean()
    for source in Source.objects.all():
        source.full_clean()
    for update in StatusUpdate.objects.select_related("commitment"):
        update.clean()


def test_the_stored_standing_is_what_publishing_would_store(sample):
    """Sample data is bulk-inserted; its stored standing must equal what
    `standing.refresh()` (the function every publication calls) computes."""
    stored = {c.pk: standing.stored_standing(c) for c in Commitment.objects.all()}
    assert any(s.latest_update_id for s in stored.values())
    assert standing.refresh(*stored) == 0
    for commitment in Commitment.objects.all():
        assert standing.stored_standing(commitment) == stored[commitment.pk]


def test_the_stored_citation_text_is_what_the_receivers_would_store(sample):
    """Citations are bulk-inserted too: each update's stored sources text must be what
    `citations.refresh()` (the receivers' function) computes."""
    stored = dict(StatusUpdate.objects.values_list("pk", "cited_sources"))
    assert sum(bool(text) for text in stored.values()) > len(stored) / 2
    assert citations.refresh(stored) == stored


def test_the_benchmark_commitment_has_exactly_20_published_updates(sample):
    commitment = Commitment.objects.get(slug=COMMITMENT_WITH_20_UPDATES)
    assert commitment.updates.published().count() == 20
    assert commitment.updates.count() == 20


def test_bumps_the_public_generation():
    before = public_generation()
    generate()
    assert public_generation() != before


def test_refuses_a_database_that_already_holds_commitments():
    make_commitment()
    with pytest.raises(CommandError, match="empty database"):
        generate()
    assert Commitment.objects.count() == 1


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"commitments": 0}, "--commitments"),
        ({"updates": 19}, "--updates must be at least 20"),
        ({"commitments": 1, "updates": 25}, "With one commitment"),
        ({"sources": 3}, "--sources"),
    ],
)
def test_refuses_options_it_cannot_honour(options, message):
    with pytest.raises(CommandError, match=message):
        generate(**options)
    assert not Commitment.objects.exists()


def test_public_pages_answer_on_the_generated_data(sample, client):
    detail = f"/commitments/{COMMITMENT_WITH_20_UPDATES}/"
    for url in [
        "/",
        "/commitments/",
        "/commitments/?sector=space&sort=-deadline&page=2",
        detail,
        f"{detail}feed.atom",
        "/api/commitments/",
        "/feeds/updates.atom",
    ]:
        assert client.get(url).status_code == 200, url
    export = client.get("/updates/export.csv")
    assert export.status_code == 200
    rows = b"".join(export.streaming_content).decode().splitlines()
    assert len(rows) == 1 + StatusUpdate.objects.published().count()


def test_unpublished_updates_stay_off_the_public_detail_page(sample, client):
    unpublished = StatusUpdate.objects.exclude(state="published").select_related("commitment")
    commitment = next(u.commitment for u in unpublished if u.commitment.latest_update_id)
    commitment.updates.exclude(state="published").update(summary="NOT-FOR-THE-PUBLIC")
    commitment.updates.published().update(summary="PUBLISHED-SUMMARY")

    page = client.get(commitment.get_absolute_url()).content.decode()

    assert "PUBLISHED-SUMMARY" in page
    assert "NOT-FOR-THE-PUBLIC" not in page
