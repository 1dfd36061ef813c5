"""Bad input never breaks the site (issue 11): formulas in exports, markup in help texts,
dates at the ends of the calendar, NUL bytes, overlong fields; and the headers every answer
carries. Runs on SQLite and PostgreSQL (where NUL bytes and long values fail differently)."""

import csv
import datetime
import io
import sys

import openpyxl
import pytest
from axes.models import AccessAttempt
from django.conf import settings

from commitments.exports import IGNORED_LEADING, is_formula, neutralise, published_update_rows
from commitments.models import StatusUpdate
from tests.factories import (
    make_analyst,
    make_commitment,
    make_editor,
    make_published_update,
    make_source,
    make_update,
    make_user,
)

pytestmark = pytest.mark.django_db

ON_POSTGRESQL = "postgresql" in settings.DATABASES["default"]["ENGINE"]


def read_csv(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))


# ---------------------------------------------------------------------------------------------
# 13. Formula injection: every text cell of every export, after blanks and look-alikes.

FORMULAS = [
    "=1+1",
    "+1",
    "-1+1",
    "@SUM(A1:A2)",
    " =1+1",
    "\n=1+1",
    "\r\n=1+1",
    "\t=1",
    "\u00a0=1+1",  # no-break space
    "\u3000=1+1",  # ideographic space
    "\u2003\u2009+1",
    "\u200b=1+1",  # zero-width space
    "\ufeff@SUM(A1)",
    "＝1+1",  # full-width
    "＋1",
    "－1",
    "＠SUM(A1)",
    "﹦1",  # small equals sign
    "⁼1",  # superscript equals
    "\u2212" + "1",  # minus sign
    ' \u00a0\t＝HYPERLINK("http://evil.example","click")',
]
HARMLESS = ["1+1", "a=b", "Chandrayaan-5", "", "  spaced text", "50 MW", "¥10 trillion", "é=1"]


@pytest.mark.parametrize("text", FORMULAS)
def test_formulas_are_neutralised_after_blanks_and_look_alikes(text):
    assert is_formula(text)
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", [*HARMLESS, 12, datetime.date(2025, 1, 1), None])
def test_other_values_are_left_alone(value):
    assert neutralise(value) == value


def test_every_unicode_blank_is_skipped():
    blanks = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
    assert all(blank in IGNORED_LEADING for blank in blanks)
    assert all(neutralise(blank + "=1") == "'" + blank + "=1" for blank in blanks)


def hostile_commitment(title, unit, summary, source_title):
    commitment = make_commitment(
        title=title, target_value=100, target_unit="other", target_unit_label=unit
    )
    source = make_source(title=source_title)
    make_published_update(commitment, summary=summary, progress_value=40, sources=[source])
    return commitment


def test_updates_csv_neutralises_every_text_column(client):
    hostile_commitment(" =1+1", "\u00a0=cmd|' /C calc'!A0", "＝HYPERLINK(1)", "\n+1")
    rows = read_csv(client.get("/updates/export.csv"))
    assert len(rows) == 1
    row = rows[0]
    assert row["commitment"] == "' =1+1"
    assert row["unit"] == "'\u00a0=cmd|' /C calc'!A0"
    assert row["summary"] == "'＝HYPERLINK(1)"
    assert row["sources"].startswith("'\n+1 — https://")
    assert row["progress_value"] == "40"  # numbers stay numbers


def test_updates_csv_leaves_a_plain_unit_alone(client):
    hostile_commitment("Solar parks", "MW", "Two parks opened.", "Ministry data")
    (row,) = read_csv(client.get("/updates/export.csv"))
    assert (row["commitment"], row["unit"], row["summary"]) == (
        "Solar parks",
        "MW",
        "Two parks opened.",
    )


@pytest.mark.skipif(not ON_POSTGRESQL, reason="the COPY export is PostgreSQL's")
def test_postgresql_neutralises_exactly_as_python(client):
    """The COPY export tests formulas in SQL: the same answer as `neutralise` for each case."""
    editor = make_editor()
    for i, text in enumerate([*FORMULAS, *HARMLESS]):
        commitment = make_commitment(
            title=f"{text}{i}",
            target_value=10,
            target_unit="other",
            target_unit_label=text[:50] or "units",
        )
        source = make_source(title=text or "untitled", publisher="")
        make_published_update(commitment, by=editor, summary=text or "-", sources=[source])
    written = [list(row.values()) for row in read_csv(client.get("/updates/export.csv"))]
    assert written == [list(row) for row in published_update_rows("http://testserver")]
    neutralised = {row[0] for row in written if row[0].startswith("'")}
    assert len(neutralised) == len(FORMULAS)


@pytest.mark.parametrize("title", [" =1+1", "＝1+1", "\u00a0@SUM(A1)"])
def test_list_exports_neutralise_spaced_and_full_width_formulas(client, title):
    make_published_update(make_commitment(title=title, target_value=5, target_unit="count"))
    rows = read_csv(client.get("/commitments/?_export=csv"))
    assert rows[0]["Commitment"] == "'" + title
    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get("/commitments/?_export=xlsx").content)
    ).active
    cells = [c for r in sheet.iter_rows() for c in r if isinstance(c.value, str)]
    assert all(c.data_type != "f" for c in cells)
    assert any(c.value == "'" + title for c in cells)


def test_report_csv_and_xlsx_neutralise_every_text_cell(client):
    hostile_commitment(" =1+1", "\u00a0=2+2", "\n@SUM(A1)", "＋3")
    (row,) = read_csv(client.get("/reports/progress/?format=csv"))
    assert row["commitment"] == "' =1+1"
    assert row["unit"] == "'\u00a0=2+2"
    assert row["summary"] == "'\n@SUM(A1)"
    assert row["sources"] == "'＋3 — https://example.org/" + row["sources"].rsplit("/", 1)[1]
    book = openpyxl.load_workbook(io.BytesIO(client.get("/reports/progress/?format=xlsx").content))
    texts = [c for sheet in book for r in sheet.iter_rows() for c in r if isinstance(c.value, str)]
    assert all(c.data_type != "f" for c in texts)
    assert not [c.value for c in texts if is_formula(c.value)]
    assert {"' =1+1", "'\u00a0=2+2", "'\n@SUM(A1)", "'＋3"} <= {c.value for c in texts}


# ---------------------------------------------------------------------------------------------
# 14. Help texts are escaped: the unit name is typed by editors.

META_REFRESH = '<meta http-equiv=refresh content="0;url=//ev.il">'


def test_a_unit_name_with_markup_is_shown_as_text_on_the_update_form(client):
    analyst = make_analyst()
    commitment = make_commitment(
        slug="refresh", target_value=10, target_unit="other", target_unit_label=META_REFRESH
    )
    client.force_login(analyst)
    url = f"/commitments/{commitment.slug}/updates/new/"
    pages = [
        client.get(url),
        client.post(url, {"action": "preview", "body": "Some **details**.", "summary": "x"}),
    ]
    for page in pages:
        content = page.content.decode()
        assert page.status_code == 200
        assert "<meta http-equiv" not in content
        escaped = "&lt;meta http-equiv=refresh content=&quot;0;url=//ev.il&quot;&gt;"
        assert f"Cumulative, in {escaped} (target: 10 {escaped})" in content


# ---------------------------------------------------------------------------------------------
# 15. No 500s: far dates, overlong and non-numeric fields, NUL bytes.

FAR_AS_OF = [
    "/?as_of=0001-01-01",
    "/?as_of=0001-06-29",
    "/?as_of=1899-12-31",
    "/commitments/?as_of=0001-03-01&stale=on",
    "/commitments/?as_of=0001-03-01&overdue=on",
    "/sectors/space/?as_of=0001-03-01&stale=on",
    "/parties/isro/?as_of=0001-03-01&stale=on",
]


@pytest.mark.parametrize("url", FAR_AS_OF)
def test_a_date_before_the_floor_is_explained_and_ignored(client, seeded, url):
    response = client.get(url)
    assert response.status_code == 200
    assert "The tracker holds nothing from before 1900, so today&#x27;s data is shown." in (
        response.content.decode()
    )


def test_the_floor_itself_is_a_valid_as_of(client, seeded):
    response = client.get("/commitments/?as_of=1900-01-01&stale=on")
    assert response.status_code == 200
    assert "The tracker holds nothing" not in response.content.decode()


@pytest.mark.parametrize("output", ["html", "csv", "xlsx", "pdf", "json"])
@pytest.mark.parametrize(
    "period", ["from=0001-01-01", "from=0001-01-01&to=0001-01-02", "to=9999-12-31"]
)
def test_a_report_from_year_one_falls_back_to_the_default_period(client, seeded, period, output):
    response = client.get(f"/reports/progress/?{period}&format={output}")
    assert response.status_code == 200
    if output == "html":
        content = response.content.decode()
        assert "Reports start in 1900 at the earliest." in content or (
            "Reports end in 2999 at the latest." in content
        )


def test_a_256_character_username_is_a_failed_sign_in(client):
    make_user("asha")
    response = client.post("/accounts/login/", {"username": "a" * 256, "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert [len(a.username) for a in AccessAttempt.objects.all()] == [150]


@pytest.mark.parametrize("total", ["x", "-3", "²", "1.5", "9" * 5000, ""])
def test_add_source_with_a_bad_form_count(client, total):
    client.force_login(make_analyst())
    commitment = make_commitment(slug="count")
    response = client.post(
        f"/commitments/{commitment.slug}/updates/new/",
        {"action": "add-source", "new-TOTAL_FORMS": total, "new-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 200


def assert_nul_refused(response):
    assert response.status_code == 400
    if response.request["PATH_INFO"].startswith("/api/"):  # as the API's schema says
        assert response.json() == {"detail": "bad request: NUL byte"}
    else:
        assert response.content == b"bad request: NUL byte"


def test_nul_in_the_source_search_is_refused(client):
    client.force_login(make_analyst())
    commitment = make_commitment(slug="nul")
    response = client.post(
        f"/commitments/{commitment.slug}/updates/new/",
        {"action": "search", "source_query": "a\x00b"},
    )
    assert_nul_refused(response)
    assert not StatusUpdate.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "/commitments/?q=%00",
        "/commitments/?q=chandra%00yaan",
        "/commitments/?%00=1",
        "/?as_of=2025-01-01%00",
        "/reports/progress/?sector=%00",
        "/api/commitments/?q=%00",
        "/api/updates/?commitment=%00",
        "/commitments/chandrayaan%00/",
    ],
)
def test_nul_anywhere_in_a_request_is_refused(client, seeded, url):
    assert_nul_refused(client.get(url))


def test_nul_in_a_form_field_or_cookie_is_refused(client, seeded):
    assert_nul_refused(client.post("/accounts/login/", {"username": "a\x00", "password": "x"}))
    assert_nul_refused(client.post("/preferences/numbers/", {"system": "\x00"}))
    client.cookies["sessionid"] = "abcdefgh\x00ijkl"
    assert_nul_refused(client.get("/"))


def test_nul_in_an_admin_filter_is_refused(client, seeded):
    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    assert_nul_refused(client.get("/admin/commitments/commitment/?current_status=%00"))
    assert client.get("/admin/commitments/commitment/?current_status=achieved").status_code == 200


# ---------------------------------------------------------------------------------------------
# 16. Drafts are never cached; HEAD is answered like GET; the headers every answer carries.


def test_pages_that_show_drafts_are_never_stored(client):
    analyst, editor = make_analyst("asha"), make_editor("erin")
    commitment = make_commitment(slug="draft-pages")
    draft = make_update(commitment, author=analyst)
    client.force_login(analyst)
    urls = ["/workspace/", f"/commitments/{commitment.slug}/updates/new/"]
    urls.append(f"/updates/{draft.pk}/edit/")
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert {"private", "no-store"} <= set(response["Cache-Control"].split(", ")), url
    client.force_login(editor)
    response = client.get("/review/")
    assert {"private", "no-store"} <= set(response["Cache-Control"].split(", "))


@pytest.mark.parametrize(
    "url",
    [
        "/feeds/updates.atom",
        "/commitments/chandrayaan-5/feed.atom",
        "/commitments/chandrayaan-5/badge.svg",
        "/commitments/chandrayaan-5/history/",
        "/reports/progress/",
        "/reports/progress/?format=csv",
        "/robots.txt",
        "/updates/export.csv",
    ],
)
def test_head_is_answered_like_get(client, seeded, url):
    head = client.head(url)
    assert head.status_code == 200
    assert head["Content-Type"] == client.get(url)["Content-Type"]


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/commitments/chandrayaan-5/",
        "/no-such-page/",
        "/workspace/",  # a redirect to sign in
        "/commitments/?q=%00",  # refused
        "/api/commitments/",
        "/static/css/site.css",
        "/updates/export.csv",
    ],
)
def test_every_answer_carries_the_permissions_and_resource_policies(client, seeded, url):
    response = client.get(url)
    assert response["Permissions-Policy"] == settings.PERMISSIONS_POLICY
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


def test_the_badge_may_be_shown_on_other_sites(client, seeded):
    response = client.get("/commitments/chandrayaan-5/badge.svg")
    assert response["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert client.get("/commitments/chandrayaan-5/badge.svg")["Cross-Origin-Resource-Policy"] == (
        "cross-origin"  # from the public cache too
    )
