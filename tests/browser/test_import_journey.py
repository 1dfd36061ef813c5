"""On a phone (375 px): an analyst uploads a spreadsheet with a bad row, reads the problem,
uploads it fixed and imports it; the updates wait in the review queue, none published."""

import csv
import io

import pytest
from playwright.sync_api import expect

from commitments.models import StatusUpdate
from tests.browser.test_editorial_journey import sign_in
from tests.browser.test_public_journey import assert_accessible, assert_fits_width
from tests.factories import make_analyst

pytestmark = pytest.mark.django_db(transaction=True)
WIDTH = 375
HEADER = ["commitment", "as_of", "status", "progress_value", "summary", "body"]
HEADER += ["source_title", "source_url", "source_publisher"]


def spreadsheet(as_of: str) -> dict:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerow(
        [
            "fifty-thousand-skilled-professionals", "2026-04-01", "in_progress", "12000",
            "12,000 professionals placed", "", "Placement report April 2026",
            "https://mea.example/placements-2026-04", "Ministry of External Affairs",
        ]
    )  # fmt: skip
    writer.writerow(
        [
            "chandrayaan-5", as_of, "in_progress", "", "Lander integration under way", "",
            "JAXA press release", "https://jaxa.example/chandrayaan-5-lander",
            "JAXA",
        ]
    )  # fmt: skip
    return {"name": "my updates.csv", "mimeType": "text/csv", "buffer": out.getvalue().encode()}


def test_upload_preview_fix_and_import_on_a_phone(page, live_server, seeded):
    make_analyst("asha")
    site = live_server.url
    page.set_viewport_size({"width": WIDTH, "height": 800})
    sign_in(page, site, "asha")
    expect(page).to_have_url(site + "/workspace/")

    page.get_by_role("link", name="Import updates from a spreadsheet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import updates from a spreadsheet")
    expect(page.get_by_label("Drafts (you check and submit each one yourself)")).to_be_checked()
    assert_fits_width(page, WIDTH)
    assert_accessible(page)

    # A date in the future: the preview says so in words, and offers no Import button.
    page.get_by_label("Spreadsheet (CSV or XLSX)").set_input_files(spreadsheet("2031-05-01"))
    page.get_by_label("Submitted for review (an editor reviews each one)").check()
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import of “my updates.csv”")
    expect(page.locator(".import-counts")).to_contain_text("1 row with problems")
    bad = page.locator("tr.action-error")
    expect(bad).to_have_count(1)
    expect(bad).to_contain_text("chandrayaan-5")
    expect(bad.locator(".problem").first).to_contain_text("future")
    expect(page.locator("form[action$='/apply/']")).to_have_count(0)
    assert_fits_width(page, WIDTH)
    assert_accessible(page)

    # Fixed and uploaded again: both rows can be imported, all or nothing.
    page.get_by_role("link", name="Upload the fixed file").click()
    page.get_by_label("Spreadsheet (CSV or XLSX)").set_input_files(spreadsheet("2026-05-01"))
    page.get_by_label("Submitted for review (an editor reviews each one)").check()
    page.get_by_role("button", name="Upload and check").click()
    expect(page.locator("tr.action-error")).to_have_count(0)
    expect(page.get_by_text("Nothing has been written yet.")).to_be_visible()
    assert not StatusUpdate.objects.filter(author__username="asha").exists()
    assert_fits_width(page, WIDTH)
    page.get_by_role("button", name="Import 2 updates and submit them for review").click()
    expect(page.get_by_text("2 updates imported and submitted for review.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="See them in your workspace").click()
    expect(page.get_by_role("main")).to_contain_text("Lander integration under way")
    states = set(
        StatusUpdate.objects.filter(author__username="asha").values_list("state", flat=True)
    )
    assert states == {StatusUpdate.State.SUBMITTED}


def test_import_pages_fit_every_width(page, live_server, seeded):
    """The upload page and a preview with a long bad row: no overflow, no clipped text, no
    small targets, no serious accessibility problem, at every width the site is checked at."""
    import hashlib

    from commitments.models import ImportBatch, ImportRow
    from tests.browser.test_layouts import WIDTHS, check_layout, sign_in_as

    analyst = make_analyst("hana")
    data = b"commitment,as_of\n"
    batch = ImportBatch.objects.create(
        kind=ImportBatch.Kind.UPDATES,
        created_by=analyst,
        filename="a-rather-long-file-name-for-the-october-updates-of-the-portfolio.csv",
        checksum=hashlib.sha256(data).hexdigest(),
        size=len(data),
        content=data,
        state=ImportBatch.State.CHECKED,
        rows_total=3,
        rows_done=3,
        to_create=2,
        with_problems=1,
    )
    ImportRow.objects.bulk_create(
        [
            ImportRow(
                batch=batch,
                number=2,
                action="error",
                subject="fifty-thousand-skilled-professionals-and-then-some-more",
                text="A summary long enough to wrap on a phone, as summaries often are.",
                problems=[
                    "The as-of date 2031-05-01 is in the future.",
                    "The source URL “ftp://example.org/a-very-long-address/with/many/parts” "
                    "is not valid: it must start with http:// or https://.",
                ],
            ),
            ImportRow(batch=batch, number=3, action="create", subject="chandrayaan-5", text="x"),
            ImportRow(batch=batch, number=4, action="create", subject="chandrayaan-5", text="y"),
        ]
    )
    working = ImportBatch.objects.create(
        kind=ImportBatch.Kind.UPDATES,
        created_by=analyst,
        filename="checking.csv",
        checksum="0" * 64,
        content=b"",
        state=ImportBatch.State.CHECKING,
        rows_total=1000,
        rows_done=250,
    )
    site = live_server.url
    sign_in_as(page, site, analyst)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        for path in ("/workspace/imports/", f"/workspace/imports/{batch.pk}/"):
            page.goto(site + path)
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            check_layout(page, width)
        page.goto(f"{site}/workspace/imports/{working.pk}/")
        expect(page.locator("progress")).to_have_attribute("value", "250")
        assert_fits_width(page, width)
