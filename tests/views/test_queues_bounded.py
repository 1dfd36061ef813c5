"""The review queue, the workspace and the admin changelists cost the same with 1 row or 300
behind them (issue 12): a fixed number of queries and a page of bounded size."""

import datetime
import itertools

import pytest
from django.urls import reverse

from commitments import standing
from commitments.models import Commitment, Source, StatusUpdate
from tests.factories import NOW, TODAY, make_commitment, make_sector, make_source

State = StatusUpdate.State
REVIEW = reverse("commitments:review")
WORKSPACE = reverse("commitments:workspace")
_batch = itertools.count(1)


def bulk_updates(n, *, state, author, commitments=None, sources=None, **fields):
    """n updates in `state` by `author`, stored in two queries (plus one for their sources),
    `submitted_at` one second apart in creation order: the first is the oldest in the queue."""
    commitments = commitments or [
        make_commitment(target_value=100, target_unit="count") for _ in range(3)
    ]
    batch = next(_batch)
    start = NOW - datetime.timedelta(days=10)
    extra = {
        State.SUBMITTED: {},
        State.REJECTED: {"review_comment": "Cite the source.", "reviewed_at": start},
        State.PUBLISHED: {"reviewed_at": start},
    }.get(state, {})
    updates = StatusUpdate.objects.bulk_create(
        StatusUpdate(
            commitment=commitments[i % len(commitments)],
            author=author,
            state=state,
            submitted_at=start + datetime.timedelta(seconds=i) if state != State.DRAFT else None,
            as_of=datetime.date(2025, 9, 1),
            status=StatusUpdate.Status.IN_PROGRESS,
            progress_value=i % 50,
            summary=f"Batch {batch} update {i:04d}",
            body="Some **detail**.",
            **extra,
            **fields,
        )
        for i in range(n)
    )
    sources = sources if sources is not None else [make_source(), make_source()]
    StatusUpdate.sources.through.objects.bulk_create(
        StatusUpdate.sources.through(statusupdate_id=update.pk, source_id=source.pk)
        for update in updates
        for source in sources
    )
    return updates


def bulk_commitments(n, *, public=True, last_update_days_ago=400, deadline_in_days=None):
    """n commitments (public with one old published update, or not yet public)."""
    today = TODAY
    batch = next(_batch)
    sector = make_sector()
    deadline = today + datetime.timedelta(days=deadline_in_days) if deadline_in_days else None
    commitments = Commitment.objects.bulk_create(
        Commitment(
            title=f"Batch {batch} commitment {i:04d}",
            slug=f"batch-{batch}-commitment-{i}",
            summary="A pledge.",
            sector=sector,
            announced_on=today - datetime.timedelta(days=800),
            deadline=deadline,
            deadline_precision="day" if deadline else "",
        )
        for i in range(n)
    )
    if public:
        as_of = today - datetime.timedelta(days=last_update_days_ago)
        StatusUpdate.objects.bulk_create(
            StatusUpdate(
                commitment=commitment,
                state=State.PUBLISHED,
                as_of=as_of,
                status=StatusUpdate.Status.IN_PROGRESS,
                summary="Old news.",
                submitted_at=NOW,
                reviewed_at=NOW,
            )
            for commitment in commitments
        )
        standing.refresh(*[commitment.pk for commitment in commitments])
    return commitments


def get(client, url, django_assert_max_num_queries, limit=60):
    with django_assert_max_num_queries(limit) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return response, len(captured.captured_queries)


# The review queue


@pytest.mark.django_db
def test_review_queue_costs_the_same_with_1_or_300_updates(
    client, analyst, editor, django_assert_max_num_queries
):
    client.force_login(editor)
    bulk_updates(1, state=State.SUBMITTED, author=analyst)
    _, queries_one = get(client, REVIEW, django_assert_max_num_queries)
    bulk_updates(19, state=State.SUBMITTED, author=analyst)
    full, queries_full = get(client, REVIEW, django_assert_max_num_queries)
    bulk_updates(280, state=State.SUBMITTED, author=analyst)
    many, queries_many = get(client, REVIEW, django_assert_max_num_queries)
    assert queries_one == queries_full == queries_many
    assert len(many.context["queue"]) == 20
    # One page of 20 weighs what one page of 20 weighs, whatever is behind it.
    assert len(many.content) < 1.5 * len(full.content)
    html = many.content.decode()
    assert "300 updates awaiting review" in html
    assert "1–20 on this page" in html
    assert 'href="?page=2" rel="next"' in html
    assert 'href="?page=15"' in html  # the newest
    assert "Page 1 of 15" in html


@pytest.mark.django_db
def test_review_page_2_starts_with_the_21st_oldest(client, analyst, editor):
    updates = bulk_updates(45, state=State.SUBMITTED, author=analyst)
    client.force_login(editor)
    first = client.get(REVIEW)
    assert [u.pk for u in first.context["queue"]] == [u.pk for u in updates[:20]]
    second = client.get(REVIEW, {"page": 2})
    assert [u.pk for u in second.context["queue"]] == [u.pk for u in updates[20:40]]
    html = second.content.decode()
    assert updates[20].summary in html
    assert updates[19].summary not in html
    assert "21–40 on this page" in html
    assert 'href="?page=1" rel="prev"' in html
    assert 'href="?page=3" rel="next"' in html
    # Everything each item showed before is still there.
    assert "Status change" in html
    assert "Progress change" in html
    assert "Sources" in html and "Source " in html
    assert html.count('name="version"') == 40  # publish and reject, twenty items


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["abc", "-1", "0", "9999", "", "1.5", "99999999999999999999"])
def test_a_bad_review_page_number_is_never_an_error(client, analyst, editor, page):
    bulk_updates(25, state=State.SUBMITTED, author=analyst)
    client.force_login(editor)
    response = client.get(REVIEW, {"page": page})
    assert response.status_code == 200
    assert len(response.context["queue"]) in (5, 20)


@pytest.mark.django_db
def test_an_empty_queue_is_one_page(client, editor):
    client.force_login(editor)
    response = client.get(REVIEW, {"page": 3})
    assert response.status_code == 200
    assert "Nothing awaits review." in response.content.decode()


@pytest.mark.django_db
def test_publishing_from_page_3_returns_to_page_3(client, analyst, editor):
    updates = bulk_updates(65, state=State.SUBMITTED, author=analyst)
    client.force_login(editor)
    page = client.get(REVIEW, {"page": 3})
    html = page.content.decode()
    # Publish and reject forms of the twenty items (the footer has one more).
    assert html.count('name="next" value="/review/?page=3"') >= 40
    target = page.context["queue"][0]
    assert target.pk == updates[40].pk
    published = client.post(
        reverse("commitments:update-publish", args=[target.pk]),
        {"version": target.version, "next": "/review/?page=3"},
    )
    assert published.status_code == 302
    assert published["Location"] == "/review/?page=3"
    assert StatusUpdate.objects.get(pk=target.pk).state == State.PUBLISHED
    other = page.context["queue"][1]
    rejected = client.post(
        reverse("commitments:update-reject", args=[other.pk]),
        {"version": other.version, "comment": "Which source?", "next": "/review/?page=3"},
    )
    assert rejected["Location"] == "/review/?page=3"
    # The queue moved up: page 3 now starts two updates later.
    after = client.get(REVIEW, {"page": 3})
    assert after.context["queue"][0].pk == updates[42].pk


# The workspace


def fill_workspace(analyst, n):
    for state in (State.DRAFT, State.SUBMITTED, State.REJECTED, State.PUBLISHED):
        bulk_updates(n, state=state, author=analyst)
    bulk_commitments(n)  # stale
    bulk_commitments(n, deadline_in_days=-30)  # overdue and stale
    bulk_commitments(n, last_update_days_ago=5, deadline_in_days=30)  # due soon
    bulk_commitments(n, public=False)  # not yet public


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["analyst", "editor"])
def test_workspace_costs_the_same_with_1_or_300_of_everything(
    client, analyst, editor, django_assert_max_num_queries, who
):
    user = {"analyst": analyst, "editor": editor}[who]
    client.force_login(user)
    fill_workspace(user, 1)
    _, queries_one = get(client, WORKSPACE, django_assert_max_num_queries)
    fill_workspace(user, 20)  # every list full
    full, queries_full = get(client, WORKSPACE, django_assert_max_num_queries)
    fill_workspace(user, 279)
    many, queries_many = get(client, WORKSPACE, django_assert_max_num_queries)
    assert queries_one == queries_full == queries_many
    assert len(many.content) < 1.5 * len(full.content)
    assert len(many.context["drafts"]) == 20
    assert len(many.context["stale"]) == 10
    counts = {s["key"]: s["count"] for s in many.context["own_sections"]}
    assert counts == {"rejected": 300, "drafts": 300, "submitted": 300, "published": 300}
    attention = {s["key"]: s["count"] for s in many.context["attention_sections"]}
    assert attention.pop("unpublished") >= 300  # and those the updates were logged on
    assert attention == {"overdue": 300, "due_soon": 300, "stale": 600}
    html = many.content.decode()
    for key in ("rejected", "drafts", "submitted", "published", "overdue", "stale"):
        assert f'href="?show={key}"' in html


@pytest.mark.django_db
def test_workspace_see_all_pages_through_one_list(client, analyst):
    drafts = bulk_updates(120, state=State.DRAFT, author=analyst)
    client.force_login(analyst)
    response = client.get(WORKSPACE, {"show": "drafts", "page": 2})
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 120
    shown = [u.pk for u in response.context["focus"]["items"]]
    newest_first = sorted(drafts, key=lambda u: (u.updated_at, u.pk), reverse=True)
    assert shown == [u.pk for u in newest_first[50:100]]
    html = response.content.decode()
    assert "Page 2 of 3" in html
    assert 'href="?show=drafts&amp;page=3" rel="next"' in html
    # Acting on an item comes back to this page.
    assert 'name="next" value="/workspace/?show=drafts&amp;page=2"' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        {"show": "stale", "page": "abc"},
        {"show": "stale", "page": "-1"},
        {"show": "overdue", "page": "9999"},
        {"show": "unpublished"},
        {"show": "due_soon"},
        {"show": "published"},
        {"show": "nonsense"},
        {"show": "", "page": "2"},
    ],
)
def test_workspace_lists_never_error(client, analyst, query):
    bulk_commitments(15)
    bulk_commitments(3, public=False)
    client.force_login(analyst)
    assert client.get(WORKSPACE, query).status_code == 200


@pytest.mark.django_db
def test_stale_list_pages_cost_the_same(client, analyst, django_assert_max_num_queries):
    client.force_login(analyst)
    bulk_commitments(1)
    _, queries_one = get(client, f"{WORKSPACE}?show=stale", django_assert_max_num_queries)
    bulk_commitments(299)
    many, queries_many = get(client, f"{WORKSPACE}?show=stale", django_assert_max_num_queries)
    assert queries_one == queries_many
    assert len(many.context["focus"]["items"]) == 50


# The admin changelists


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["editor", "superuser"])
def test_admin_update_changelist_costs_the_same(
    client, analyst, editor, superuser, django_assert_max_num_queries, who
):
    client.force_login({"editor": editor, "superuser": superuser}[who])
    url = reverse("admin:commitments_statusupdate_changelist")
    bulk_updates(1, state=State.SUBMITTED, author=analyst)
    _, queries_one = get(client, url, django_assert_max_num_queries)
    bulk_updates(299, state=State.PUBLISHED, author=analyst)
    bulk_updates(50, state=State.DRAFT, author=analyst)  # not listed for an editor
    many, queries_many = get(client, url, django_assert_max_num_queries)
    assert queries_one == queries_many
    assert len(many.context["cl"].result_list) == many.context["cl"].list_per_page


@pytest.mark.django_db
def test_admin_commitment_and_source_changelists_cost_the_same(
    client, analyst, superuser, django_assert_max_num_queries
):
    client.force_login(superuser)
    commitments = reverse("admin:commitments_commitment_changelist")
    sources = reverse("admin:commitments_source_changelist")
    bulk_commitments(1)
    Source.objects.create(title="One", url="https://example.org/one")
    _, commitment_queries = get(client, commitments, django_assert_max_num_queries)
    _, source_queries = get(client, sources, django_assert_max_num_queries)
    bulk_commitments(299)
    Source.objects.bulk_create(
        Source(title=f"Source {i}", url=f"https://example.org/many-{i}") for i in range(299)
    )
    _, commitment_queries_many = get(client, commitments, django_assert_max_num_queries)
    _, source_queries_many = get(client, sources, django_assert_max_num_queries)
    assert commitment_queries == commitment_queries_many
    assert source_queries == source_queries_many
