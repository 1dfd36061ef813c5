"""Fuzz: hostile values in every public query parameter and in the update and sign-in forms
never make a 5xx. A table of values known to break things (far dates, NUL, 10,000
characters, huge and negative numbers, look-alike digits, markup), then a few random ones
from Hypothesis. Fast enough to run on every change, on SQLite and PostgreSQL."""

import pytest
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from commitments.forms import ReportForm
from tests.factories import make_analyst, make_commitment

pytestmark = pytest.mark.django_db

# Tried in every parameter and field.
HOSTILE = [
    "",
    "\x00",
    "x" * 10_000,
    "-1",
    "9" * 5000,
    "-99999999999999999999",
    "1.5",
    "²",
    "𝟙𝟚",  # mathematical digits
    "☃ ünï ＣＯＤＥ 中文\u202e\u200b",
    "<script>alert(1)</script>",
    "=HYPERLINK(1)",
    "0001-01-01",
    "9999-12-31",
]
# Tried in date parameters as well.
DATES = ["0001-06-29", "1899-12-31", "1900-01-01", "2999-12-31", "2025-02-30", "2025-W01-1"]
DATE_PARAMETERS = {"as_of", "deadline_from", "deadline_to", "from", "to"}

LIST_PARAMETERS = [
    "q",
    "status",
    "sector",
    "party",
    "deadline_from",
    "deadline_to",
    "overdue",
    "stale",
    "measurable",
    "as_of",
    "sort",
    "page",
    "_export",
]
API_LIST_PARAMETERS = [p for p in LIST_PARAMETERS if p not in ("as_of", "sort", "_export")]
# Each address, the query parameters it reads, and what else is sent with each (so that the
# hostile value reaches the code behind another option: the stale filter, an export format).
PUBLIC = [
    ("/", ["as_of"], {}),
    ("/commitments/", LIST_PARAMETERS, {}),
    ("/commitments/", ["as_of", "deadline_from"], {"stale": "on", "overdue": "on"}),
    ("/commitments/", ["as_of", "sort", "page"], {"_export": "csv"}),
    ("/commitments/", ["as_of", "q"], {"_export": "xlsx"}),
    ("/commitments/", ["as_of", "q"], {"_export": "json"}),
    ("/sectors/space/", ["as_of", "stale"], {}),
    ("/parties/isro/", ["as_of", "page"], {"stale": "on"}),
    ("/reports/progress/", ["from", "to", "format", "sector", "party"], {}),
    ("/reports/progress/", ["from", "to"], {"format": "csv"}),
    ("/reports/progress/", ["from", "to"], {"format": "xlsx"}),
    ("/reports/progress/", ["from", "to"], {"format": "json"}),
    ("/api/commitments/", [*API_LIST_PARAMETERS, "page_size"], {}),
    ("/api/updates/", ["from", "to", "commitment", "page", "page_size"], {}),
    ("/api/sectors/", ["page", "page_size"], {}),
    ("/api/parties/", ["page", "page_size"], {}),
]
UPDATE_FORM_FIELDS = [
    "as_of",
    "status",
    "progress_value",
    "summary",
    "body",
    "source_query",
    "existing_sources",
    "new-TOTAL_FORMS",
    "new-INITIAL_FORMS",
    "new-0-title",
    "new-0-url",
    "new-0-published_on",
    "new-0-archive_url",
    "new-0-kind",
    "loaded_version",
    "action",
]
UPDATE_ACTIONS = ["save", "preview", "search", "add-source", "submit"]
LOGIN_FIELDS = ["username", "password", "next"]


def values_for(parameter):
    return HOSTILE + DATES if parameter in DATE_PARAMETERS else HOSTILE


@pytest.fixture
def site(seeded, settings):
    # Rate limits would answer 429 long before the table is through: the fuzz is not about them.
    # (django-axes stays on: it stores the usernames tried, and a lockout is a 429, no 5xx.)
    for name in dir(settings):
        if name.startswith("THROTTLE_RATE_"):
            setattr(settings, name, None)


def fetch(client, method, url, data):
    response = getattr(client, method)(url, data)
    if response.streaming:
        b"".join(response.streaming_content)
    return response


def assert_no_server_error(client, method, url, data):
    response = fetch(client, method, url, data)
    assert response.status_code < 500, f"{method.upper()} {url} {data!r}"


def public_cases():
    for url, parameters, extra in PUBLIC:
        for parameter in parameters:
            yield url, parameter, extra


def test_public_query_parameters(site):
    client = Client(raise_request_exception=False)
    for url, parameter, extra in public_cases():
        for value in values_for(parameter):
            assert_no_server_error(client, "get", url, {**extra, parameter: value})


def test_pdf_report_dates(site):
    """The PDF is slow to build: only the ends of the calendar."""
    client = Client(raise_request_exception=False)
    for query in [{"from": "0001-01-01"}, {"to": "9999-12-31"}]:
        assert_no_server_error(client, "get", "/reports/progress/", {"format": "pdf", **query})


def test_update_form_fields(site):
    client = Client(raise_request_exception=False)
    client.force_login(make_analyst())
    commitment = make_commitment(slug="fuzzed", target_value=100, target_unit="people")
    url = f"/commitments/{commitment.slug}/updates/new/"
    base = {"new-TOTAL_FORMS": "1", "new-INITIAL_FORMS": "0", "summary": "A summary."}
    for field in UPDATE_FORM_FIELDS:
        for i, value in enumerate(values_for(field)):
            data = {**base, "action": UPDATE_ACTIONS[i % len(UPDATE_ACTIONS)], field: value}
            assert_no_server_error(client, "post", url, data)


def test_login_form_fields(site):
    client = Client(raise_request_exception=False)
    for field in LOGIN_FIELDS:
        for value in HOSTILE:
            data = {"username": "nobody", "password": "wrong", field: value}
            assert_no_server_error(client, "post", "/accounts/login/", data)


# Random text, mostly odd: Hypothesis looks for what the table did not think of.
odd_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40
) | st.dates().map(str)


@hypothesis_settings(
    max_examples=25,
    deadline=None,
    database=None,  # nothing written to .hypothesis/: the table above is the memory
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    case=st.sampled_from(list(public_cases())),
    value=odd_text,
)
def test_public_query_parameters_random(site, case, value):
    url, parameter, extra = case
    client = Client(raise_request_exception=False)
    assert_no_server_error(client, "get", url, {**extra, parameter: value})


def test_the_table_covers_every_filter():
    from commitments.api import UpdateFilter
    from commitments.filters import CommitmentFilter

    assert set(CommitmentFilter.base_filters) <= set(API_LIST_PARAMETERS)
    assert set(UpdateFilter.base_filters) <= {"from", "to", "commitment"}
    assert {"from", "to", "sector", "party"} <= set(ReportForm().fields)
