"""The read-only JSON API: published data only, the list's filters, 405 for writes."""

import datetime

import pytest

from commitments.models import Commitment
from tests.factories import make_editor, make_published_update, make_update

pytestmark = pytest.mark.usefixtures("seeded")


def test_commitments_list_paginated_and_filtered(client):
    data = client.get("/api/commitments/").json()
    assert data["count"] == 18
    assert len(data["results"]) == 18
    first = data["results"][0]
    assert set(first) >= {"slug", "title", "status", "status_label", "target", "parties", "url"}
    space = client.get("/api/commitments/?sector=space").json()
    assert [c["slug"] for c in space["results"]] == ["chandrayaan-5", "mou-space"]
    search = client.get("/api/commitments/?q=Chandrayaan").json()
    assert [c["slug"] for c in search["results"]] == ["chandrayaan-5"]
    paged = client.get("/api/commitments/?page_size=5&page=2").json()
    assert len(paged["results"]) == 5
    assert paged["previous"] and paged["next"]


def test_a_commitment_with_target_updates_and_sources(client):
    data = client.get("/api/commitments/japanese-investment-10-trillion-yen/").json()
    assert data["target"]["value"] == "10000000000000.0000"
    assert data["target"]["unit"] == "JPY"
    assert data["target"]["wording"] == "¥10 trillion (about ₹5.96 lakh crore)"
    assert data["deadline_label"] == "by 2035"
    assert data["updates"][0]["sources"][0]["title"] == "A Shared Past, a Forward-Looking Future"
    assert data["parties"][0] == {
        "slug": "japan",
        "name": "Japan",
        "role": "lead",
        "role_label": "Lead",
        "contribution": "investor",
    }


def test_updates_by_date_range(client):
    chandrayaan = Commitment.objects.get(slug="chandrayaan-5")
    make_published_update(chandrayaan, as_of=datetime.date(2026, 3, 1), summary="Later")
    data = client.get("/api/updates/?from=2026-01-01&to=2026-12-31").json()
    assert [u["summary"] for u in data["results"]] == ["Later"]
    assert data["results"][0]["commitment"] == "chandrayaan-5"


def test_bad_filters_are_explained_with_400(client):
    response = client.get("/api/commitments/?status=finished&deadline_from=soon")
    assert response.status_code == 400
    assert "status" in response.json()
    assert "deadline_from" in response.json()
    assert client.get("/api/commitments/?page=999").status_code == 404


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("url", ["/api/commitments/", "/api/commitments/chandrayaan-5/"])
def test_writes_are_refused(client, method, url):
    assert getattr(client, method)(url).status_code == 405


def test_head_options_and_etag(client):
    assert client.head("/api/commitments/").status_code == 200
    assert client.options("/api/commitments/").status_code == 200
    first = client.get("/api/commitments/")
    assert first["ETag"]
    again = client.get("/api/commitments/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_drafts_never_reach_the_api(client, editor):
    marker = "API-DRAFT-MARKER"
    chandrayaan = Commitment.objects.get(slug="chandrayaan-5")
    for state in ("draft", "submitted", "rejected"):
        update = make_update(chandrayaan, status="achieved", summary=marker)
        if state != "draft":
            update.submit()
        if state == "rejected":
            update.reject(editor, "No")
    for url in [
        "/api/commitments/",
        "/api/commitments/chandrayaan-5/",
        "/api/updates/",
        f"/api/updates/?commitment=chandrayaan-5&q={marker}",
    ]:
        content = client.get(url).content.decode()
        assert marker not in content, url
        assert '"achieved"' not in content, url


def test_api_lists_are_fixed_cost(client, django_assert_max_num_queries):
    urls = ["/api/commitments/", "/api/updates/", "/api/commitments/chandrayaan-5/"]
    counts = {}
    for url in urls:
        with django_assert_max_num_queries(50) as ctx:
            client.get(url)
        counts[url] = len(ctx.captured_queries)
    editor = make_editor()
    chandrayaan = Commitment.objects.get(slug="chandrayaan-5")
    for i in range(20):
        make_published_update(chandrayaan, by=editor, as_of=datetime.date(2025, 9, 1 + i))
    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            client.get(url)


def test_openapi_schema_is_served(client):
    schema = client.get("/api/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/commitments/" in schema["paths"]
    assert "/api/commitments/{slug}/" in schema["paths"]
    assert "post" not in schema["paths"]["/api/commitments/"]
    assert "API" in client.get("/about/").content.decode()


def test_an_unpublished_update_is_404_in_the_api(client, analyst):
    draft = make_update(author=analyst)
    assert client.get(f"/api/updates/{draft.pk}/").status_code == 404
    assert client.get("/api/updates/1/").status_code == 200
