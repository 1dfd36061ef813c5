"""The public pages on the real seed data: what a reader sees, and what they never see."""

import datetime
import io
import re

import openpyxl
import pytest
from django.conf import settings
from django.urls import reverse

from commitments.models import Commitment
from tests.factories import TODAY, make_commitment, make_published_update, make_source, make_update


def test_dashboard_counts_and_links(client, seeded):
    response = client.get("/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "18 commitments made at the" in content
    by_status = {row["status"].value: row["count"] for row in response.context["by_status"]}
    assert by_status["announced"] == 18
    assert by_status["achieved"] == 0
    assert '/commitments/?status=announced"' in content
    assert reverse("commitments:sector", args=["space"]) in content
    assert response.context["stale_count"] == 18  # nothing published since the summit
    assert len(response.context["recent_updates"]) == 10
    assert "Chandrayaan-5 joint lunar mission" in content


def test_dashboard_lists_overdue_and_upcoming(client, db):
    today = TODAY
    past = make_commitment(
        title="Missed pledge",
        announced_on=today - datetime.timedelta(days=400),
        deadline=today - datetime.timedelta(days=3),
        deadline_precision="day",
    )
    make_published_update(past, as_of=today - datetime.timedelta(days=300))
    soon = make_commitment(
        title="Soon pledge",
        announced_on=today - datetime.timedelta(days=10),
        deadline=today + datetime.timedelta(days=40),
        deadline_precision="day",
    )
    make_published_update(soon, as_of=today)
    done = make_commitment(
        title="Done pledge",
        announced_on=today - datetime.timedelta(days=400),
        deadline=today - datetime.timedelta(days=3),
        deadline_precision="day",
    )
    make_published_update(done, status="achieved", as_of=today)
    response = client.get("/")
    assert [c.title for c in response.context["overdue"]] == ["Missed pledge"]
    assert [c.title for c in response.context["upcoming"]] == ["Soon pledge"]
    assert [c.title for c in response.context["stale"]] == ["Missed pledge"]


def test_stale_days_are_configurable(client, seeded, settings):
    settings.STALE_AFTER_DAYS = 100000
    response = client.get("/")
    assert response.context["stale_count"] == 0
    assert "a published update from the last 100000 days" in response.content.decode()


def test_list_shows_every_column(client, seeded):
    response = client.get("/commitments/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "18 commitments" in content
    for heading in ("Commitment", "Sector", "Parties", "Status", "Progress (%)", "Deadline"):
        assert re.search(rf">\s*{re.escape(heading)}\s*<", content), heading
    assert "Gujarat ↔ Shizuoka" in content
    assert "by 2035" in content
    assert 'href="/commitments/chandrayaan-5/"' in content


def test_detail_page_shows_the_whole_record(client, seeded):
    response = client.get("/commitments/chandrayaan-5/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1>Chandrayaan-5 joint lunar mission</h1>" in content
    assert "<strong>ISRO-built lander</strong>" in content  # Markdown rendered
    assert "ISRO ↔ JAXA" in content
    assert 'lead: <span lang="en">lander</span>' in content
    assert "15th India–Japan Annual Summit" in content
    assert "Announced, but no implementation has been seen yet." in content
    assert "A Shared Past, a Forward-Looking Future" in content
    assert "29 August 2025" in content


def test_detail_shows_deadline_precision_target_and_family(client, seeded):
    content = client.get("/commitments/five-lakh-indians-to-japan/").content.decode()
    assert "by 2030" in content
    assert "2030-12-31" not in content.replace('datetime="2030-12-31"', "")
    assert "5 lakh people" in content
    assert "50,000 skilled professionals to Japan" in content  # child
    child = client.get("/commitments/fifty-thousand-skilled-professionals/").content.decode()
    assert "Part of" in child
    assert "Action plan to send 5 lakh Indians to Japan in five years" in child
    investment = client.get("/commitments/japanese-investment-10-trillion-yen/").content.decode()
    assert "¥10 trillion (about ₹5.96 lakh crore)" in investment


def test_timeline_is_newest_first_with_status_changes_and_citations(client, db):
    import datetime

    commitment = make_commitment(target_value=100, target_unit="percent")
    make_published_update(commitment, status="announced", summary="First step.")
    source = make_source(
        title="Ministry report",
        publisher="Ministry of External Affairs",
        url="https://mea.example/report",
        archive_url="https://archive.example/report",
        published_on=datetime.date(2025, 10, 1),
    )
    make_published_update(
        commitment,
        status="in_progress",
        summary="Second step.",
        progress_value=40,
        as_of=datetime.date(2025, 10, 2),
        sources=[source],
    )
    content = client.get(commitment.get_absolute_url()).content.decode()
    assert content.index("Second step.") < content.index("First step.")
    assert "changed to" in content
    assert "Progress: 40 %" in content
    assert "40 %" in content
    assert "Ministry of External Affairs" in content
    assert 'href="https://mea.example/report"' in content
    assert 'href="https://archive.example/report"' in content
    assert "1 October 2025" in content


def test_sector_and_party_pages_are_filtered_lists(client, seeded):
    sector = client.get("/sectors/subnational-partnerships/")
    assert sector.status_code == 200
    assert "Sector: Subnational partnerships" in sector.content.decode()
    assert sector.context["table"].paginator.count == 4
    assert "sector" not in sector.context["filter"].form.fields
    party = client.get("/parties/jaxa/")
    assert "Party: Japan Aerospace Exploration Agency" in party.content.decode()
    assert [row.record.slug for row in party.context["table"].paginated_rows] == ["chandrayaan-5"]


def test_about_page_defines_every_status(client, db):
    content = client.get("/about/").content.decode()
    for definition in (
        "Announced, but no implementation has been seen yet.",
        "Work is under way but behind its stated timeline.",
        "Those who made the commitment have dropped or reversed it.",
    ):
        assert definition in content
    assert "How to cite" in content
    assert "Editors" in content


@pytest.mark.parametrize(
    "url", ["/commitments/no-such-thing/", "/sectors/nope/", "/parties/nope/", "/nowhere/"]
)
def test_unknown_slugs_get_the_site_404(client, db, url):
    response = client.get(url)
    assert response.status_code == 404
    content = response.content.decode()
    assert "Page not found" in content
    assert "Skip to main content" in content  # the site's design, not Django's


def test_static_assets_are_served_by_the_project(client, db):
    response = client.get("/static/css/site.css")
    assert response.status_code == 200
    head = client.get("/about/").content.decode().split("<body")[0]
    # Stylesheets and scripts from the project; the only absolute addresses in the head are
    # the page's own, in each language (hreflang alternates, from SITE_URL).
    for address in re.findall(r'(?:src|href)="((?:https?:)?//[^"]*)"', head):
        assert address.startswith(settings.SITE_URL + "/"), address
    asset = r'<(?:script|link rel="stylesheet")[^>]+(?:src|href)="(?:https?:)?//'
    assert not re.search(asset, head)


@pytest.mark.django_db
def test_markdown_is_sanitised(client):
    hostile = (
        "Fine text <script>alert('x')</script> "
        '<img src=x onerror="alert(1)"> [click](javascript:alert(2)) '
        '<a href="javascript:alert(3)">link</a>'
    )
    commitment = make_commitment(description=hostile)
    make_published_update(commitment, body=hostile)
    content = client.get(commitment.get_absolute_url()).content.decode()
    assert "Fine text" in content
    assert "<script>alert" not in content
    assert "onerror" not in content
    assert "javascript:" not in content


MARKER = "SECRET-DRAFT-MARKER"


@pytest.mark.django_db
@pytest.mark.parametrize("state", ["draft", "submitted", "rejected"])
def test_unpublished_updates_never_reach_public_pages(client, state, editor):
    public = make_commitment(title="Public pledge", slug="public-pledge")
    make_published_update(public, status="announced")
    hidden_commitment = make_commitment(title=f"{MARKER} pledge", slug="hidden-pledge")
    for commitment in (public, hidden_commitment):
        update = make_update(
            commitment, status="achieved", summary=f"{MARKER} summary", body=f"{MARKER} body"
        )
        update.sources.add(make_source(title=f"{MARKER} source"))
        if state != "draft":
            update.submit()
        if state == "rejected":
            update.reject(editor, "No.")

    urls = [
        "/",
        "/commitments/",
        "/commitments/?q=SECRET-DRAFT",
        "/commitments/?status=achieved",
        public.get_absolute_url(),
        f"/commitments/{public.slug}/history/",
        public.sector.get_absolute_url(),
        "/about/",
    ]
    urls += [
        "/commitments/?_export=csv",
        "/commitments/?_export=json",
        "/commitments/?q=SECRET-DRAFT&_export=csv",
        "/updates/export.csv",
        "/feeds/updates.atom",
        f"/commitments/{public.slug}/feed.atom",
        f"/commitments/{public.slug}/badge.svg",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        content = b"".join(response) if response.streaming else response.content
        assert MARKER not in content.decode("utf-8-sig"), url
    xlsx = client.get("/commitments/?_export=xlsx").content
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx)).active
    assert not any(MARKER in str(c.value) for row in sheet.iter_rows() for c in row)
    assert "Achieved" not in client.get(f"/commitments/{public.slug}/badge.svg").content.decode()
    assert client.get("/commitments/hidden-pledge/").status_code == 404
    assert Commitment.objects.get(slug="public-pledge").current_status == "announced"


def test_robots_txt_keeps_crawlers_off_the_signed_in_parts(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    rules = response.content.decode().splitlines()
    assert "User-agent: *" in rules
    for path in ("/accounts/", "/admin/", "/review/", "/workspace/"):
        assert f"Disallow: {path}" in rules
    assert "Disallow: /" not in rules  # the public pages stay open
