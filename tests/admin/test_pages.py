"""Every admin page an editor needs renders, and only staff roles reach the admin."""

import pytest
from django.contrib import admin
from django.test import override_settings
from django.urls import reverse

from commitments.models import Commitment, StatusUpdate
from tests.factories import make_commitment, make_published_update

DATABASE_TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "imports", "mail"],
    }
}
REGISTERED = sorted(
    (model._meta.app_label, model._meta.model_name) for model in admin.site._registry
)


def first_object_pk(app_label, model_name, superuser):
    model = next(m for m in admin.site._registry if m._meta.model_name == model_name)
    if model is type(superuser):
        return superuser.pk
    return model._default_manager.order_by("pk").values_list("pk", flat=True).first()


@pytest.mark.parametrize(("app_label", "model_name"), REGISTERED)
def test_changelist_add_change_and_history_render(client, superuser, seeded, app_label, model_name):
    client.force_login(superuser)
    if app_label == "axes":  # django-axes' read-only logs of sign-in attempts
        url = reverse(f"admin:{app_label}_{model_name}_changelist")
        assert client.get(url).status_code == 200
        return
    if model_name == "dbtaskresult":  # the seed data queues no background task: queue one
        from commitments.tasks import check_import

        with override_settings(TASKS=DATABASE_TASKS):
            check_import.enqueue(1)
    pk = first_object_pk(app_label, model_name, superuser)
    assert pk is not None, "the fixture should give every registered model an object"
    for name, args in [
        ("changelist", []),
        ("add", []),
        ("change", [pk]),
        ("history", [pk]),
        ("delete", [pk]),
    ]:
        url = reverse(f"admin:{app_label}_{model_name}_{name}", args=args)
        response = client.get(url)
        assert response.status_code == PUBLIC_RECORD.get((model_name, name), 200), url


# The seed data is public: its commitments, their published updates and the sources they cite
# are on the record and cannot be deleted (tests/admin/test_doors.py has the whole table).
PUBLIC_RECORD = {
    # Background tasks are a record: read, never added, changed or deleted by hand.
    ("dbtaskresult", "add"): 403,
    ("dbtaskresult", "delete"): 403,
    ("commitment", "delete"): 403,
    ("statusupdate", "delete"): 403,
    ("source", "delete"): 403,
}


def test_the_models_an_editor_keeps_are_all_registered():
    assert {
        ("commitments", name)
        for name in ("commitment", "statusupdate", "source", "party", "sector", "event", "user")
    } <= set(REGISTERED)


@pytest.mark.parametrize(
    "query",
    [
        "?current_status__exact=announced",
        "?overdue=yes",
        "?overdue=no",
        "?q=Chandrayaan",
        "?o=5",
        "?announced_on__year=2025",
    ],
)
def test_commitment_changelist_filters_search_and_sorting(client, superuser, seeded, query):
    client.force_login(superuser)
    response = client.get(reverse("admin:commitments_commitment_changelist") + query)
    assert response.status_code == 200


def test_commitment_changelist_shows_status_pairs_and_deadline(client, superuser, seeded):
    client.force_login(superuser)
    response = client.get(reverse("admin:commitments_commitment_changelist"))
    content = response.content.decode()
    assert "Gujarat ↔ Shizuoka" in content
    assert "by 2035" in content
    assert "Announced" in content


def test_autocomplete_finds_parties_and_sources(client, editor, seeded):
    client.force_login(editor)
    url = reverse("admin:autocomplete")
    parties = client.get(
        url,
        {
            "term": "JAXA",
            "app_label": "commitments",
            "model_name": "commitmentparty",
            "field_name": "party",
        },
    )
    assert parties.status_code == 200
    assert [r["text"] for r in parties.json()["results"]] == ["Japan Aerospace Exploration Agency"]
    sources = client.get(
        url,
        {
            "term": "Shared Past",
            "app_label": "commitments",
            "model_name": "statusupdate",
            "field_name": "sources",
        },
    )
    assert [r["text"] for r in sources.json()["results"]] == [
        "A Shared Past, a Forward-Looking Future"
    ]


@pytest.mark.django_db
def test_editors_reach_the_admin_analysts_and_the_public_do_not(client, editor, analyst):
    url = reverse("admin:commitments_commitment_changelist")
    assert client.get(url).status_code == 302
    client.force_login(analyst)
    assert client.get(url).status_code == 302  # not staff: sent to the admin login
    client.force_login(editor)
    assert client.get(url).status_code == 200
    assert client.get(reverse("admin:commitments_user_changelist")).status_code == 403


@pytest.mark.django_db
def test_commitment_changelist_runs_a_fixed_number_of_queries(
    client, superuser, django_assert_max_num_queries
):
    client.force_login(superuser)
    url = reverse("admin:commitments_commitment_changelist")

    def seed(n):
        for _ in range(n):
            commitment = make_commitment()
            make_published_update(commitment)

    seed(3)
    with django_assert_max_num_queries(20) as small:
        client.get(url)
    seed(60)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.context["cl"].result_count == Commitment.objects.count()


@pytest.mark.django_db
def test_update_changelist_checkbox_is_djangos_own(client, editor):
    """The update changelist writes its row checkboxes directly (for speed): the HTML is what
    Django's widget renders, so the admin's action script finds them as before."""
    update = make_published_update(make_commitment(title='Ports & "harbours" <2030>'))
    model_admin = admin.site._registry[StatusUpdate]
    assert model_admin.action_checkbox(update) == admin.ModelAdmin.action_checkbox(
        model_admin, update
    )
    client.force_login(editor)
    response = client.get(reverse("admin:commitments_statusupdate_changelist"))
    assert model_admin.action_checkbox(update) in response.content.decode()
