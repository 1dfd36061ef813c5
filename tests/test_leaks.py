"""Issue 11: nothing from before publication, and nothing unpublished, reaches the public.

The change log starts at first publication; the API names only public commitments; a party
known only from unpublished commitments is nowhere to be seen.
"""

import datetime

import pytest
from django.urls import reverse

from commitments.changelog import PAGE_SIZE
from commitments.models import CommitmentParty, Party
from tests.factories import (
    make_commitment,
    make_editor,
    make_party,
    make_published_update,
    make_update,
    open_correction,
    open_retraction,
)

pytestmark = pytest.mark.django_db

SECRET = "PRE-PUBLICATION-MARKER"


def history_page(client, slug, query=""):
    response = client.get(reverse("commitments:history", args=[slug]) + query)
    assert response.status_code == 200
    return response


# --- 4. The change log starts at first publication -------------------------------------------


def make_commitment_with_a_past():
    """Drafted under a working title with a partner later dropped, then renamed and
    published; after publication, renamed again and given a new partner."""
    commitment = make_commitment(
        title=f"{SECRET} working title",
        summary=f"{SECRET} working summary",
        slug="past",
        parties=[
            (make_party(name="India"), "lead"),
            (make_party(name=f"{SECRET} partner"), "partner"),
        ],
    )
    CommitmentParty.objects.get(commitment=commitment, party__name=f"{SECRET} partner").delete()
    india = CommitmentParty.objects.get(commitment=commitment, party__name="India")
    india.contribution = f"{SECRET} contribution"
    india.save()
    india.contribution = "the funding"
    india.save()
    commitment.title = "Public title"
    commitment.summary = "Public summary"
    commitment.deadline = datetime.date(2031, 12, 31)
    commitment.deadline_precision = "year"
    commitment.save()
    make_published_update(commitment, summary="Announced")
    commitment.refresh_from_db()
    commitment.title = "Renamed title"
    commitment.save()
    CommitmentParty.objects.create(
        commitment=commitment, party=make_party(name="Gujarat"), role="counterpart"
    )
    return commitment


def test_change_log_starts_at_first_publication(client):
    make_commitment_with_a_past()
    response = history_page(client, "past")
    content = response.content.decode()
    assert SECRET not in content
    log = response.context["log"]
    first = log.first
    assert first.title == "First published"
    assert [(c.label, c.after) for c in first.changes] == [
        ("Titled", "Public title"),
        ("With", "India (lead)"),
    ]
    # Newest first; the first publication's own update comes after the first record.
    assert [entry.title for entry in log.entries] == [
        "Gujarat added as counterpart",
        "Details changed",
        "Status update published",
    ]
    renamed = log.entries[1].changes
    assert [(c.label, c.before, c.after) for c in renamed] == [
        ("Title", "Public title", "Renamed title")
    ]
    # The deadline was set before publication: part of the first record, not a change.
    assert "Deadline" not in content
    assert content.index("Gujarat added") < content.index("First published")


def test_first_publication_counts_from_an_update_published_then_withdrawn(client):
    """An update published once (later withdrawn or replaced) made the commitment public:
    what changed after it is on the record."""
    commitment = make_commitment(title="Before", slug="twice")
    withdrawn = make_published_update(commitment, summary="First")
    commitment.refresh_from_db()
    commitment.title = "After"
    commitment.save()
    make_published_update(commitment, summary="Second")
    # However the other engineers' workflow takes it out of "published", history remembers.
    type(withdrawn).objects.filter(pk=withdrawn.pk).update(
        state="rejected", review_comment="Withdrawn"
    )
    log = history_page(client, "twice").context["log"]
    assert [(c.label, c.after) for c in log.first.changes] == [("Titled", "Before")]
    changed = [entry for entry in log.entries if entry.title == "Details changed"]
    assert [(c.before, c.after) for c in changed[0].changes] == [("Before", "After")]


def test_change_log_gives_the_notes_of_corrections_and_retractions(client, analyst, editor):
    commitment = make_commitment(slug="revised")
    first = make_published_update(commitment, by=editor, summary="Work began")
    open_correction(first, analyst, note="The date was wrong.").publish(editor)
    wrong = make_published_update(
        commitment, by=editor, as_of=datetime.date(2025, 9, 2), summary="Finished"
    )
    open_retraction(wrong, analyst, note="About another project.").publish(editor)
    log = history_page(client, "revised").context["log"]
    assert [entry.title for entry in log.entries] == [
        "Update retracted",
        "Correction published",
    ]
    content = client.get(reverse("commitments:history", args=["revised"])).content.decode()
    assert "The date was wrong." in content
    assert "the update of 2 September 2025 (“Finished”). About another project." in content
    for person in (analyst, editor):
        assert person.username not in content


def test_a_long_change_log_pages_from_newest_to_first_published(client):
    commitment = make_commitment(title="Busy", slug="busy")
    make_published_update(commitment)
    commitment.refresh_from_db()
    for n in range(PAGE_SIZE + 5):
        commitment.summary = f"Summary {n}"
        commitment.save()
    response = history_page(client, "busy")
    log = response.context["log"]
    assert len(log.entries) == PAGE_SIZE
    assert log.first is None  # on the last page
    assert log.entries[0].changes[0].after == f"Summary {PAGE_SIZE + 4}"
    content = response.content.decode()
    assert "Page 1 of 2" in content and 'href="?page=2" rel="next"' in content
    assert "Summary 4 → Summary 5" in content
    assert "Summary 3 →" not in content
    older = history_page(client, "busy", "?page=2")
    content = older.content.decode()
    assert "Summary 3 → Summary 4" in content and "Summary 4 → Summary 5" not in content
    assert older.context["log"].first.title == "First published"
    assert "First published" in content
    # A page out of range gives the last one; nonsense the first.
    assert history_page(client, "busy", "?page=99").context["log"].page.number == 2
    assert history_page(client, "busy", "?page=x").context["log"].page.number == 1


# --- 5. The API names only public commitments --------------------------------------------------


def test_api_never_names_an_unpublished_parent_or_child(client):
    hidden_parent = make_commitment(slug="hidden-parent")
    make_update(hidden_parent)  # a draft only
    child = make_commitment(slug="child", parent=hidden_parent)
    make_published_update(child)
    hidden_child = make_commitment(slug="hidden-child", parent=child)
    make_update(hidden_child)
    public_child = make_commitment(slug="public-child", parent=child)
    make_published_update(public_child)

    data = client.get("/api/commitments/child/").json()
    assert data["parent"] is None
    assert data["children"] == ["public-child"]
    assert client.get("/api/commitments/public-child/").json()["parent"] == "child"
    for url in ["/api/commitments/", "/api/commitments/child/", "/api/updates/"]:
        content = client.get(url).content.decode()
        assert "hidden-parent" not in content, url
        assert "hidden-child" not in content, url


def test_schema_says_parent_may_be_null(client):
    schema = client.get("/api/openapi.json").json()
    parent = schema["components"]["schemas"]["CommitmentDetail"]["properties"]["parent"]
    assert parent.get("nullable") is True
    assert parent["type"] == "string"


@pytest.mark.parametrize("value", ["-1", "0", "abc", "5.0", "1e2", "+5", "5_0", "٥", " 5"])
def test_a_bad_page_size_is_a_400(client, value):
    make_published_update()
    response = client.get("/api/commitments/", {"page_size": value})
    assert response.status_code == 400
    assert "page_size" in response.json()


def test_page_size_within_bounds(client):
    editor = make_editor()
    for _ in range(3):
        make_published_update(by=editor)
    assert len(client.get("/api/commitments/?page_size=2").json()["results"]) == 2
    assert len(client.get("/api/commitments/?page_size=1000").json()["results"]) == 3
    assert len(client.get("/api/commitments/?page_size=").json()["results"]) == 3
    schema = client.get("/api/openapi.json").json()
    parameters = schema["paths"]["/api/commitments/"]["get"]["parameters"]
    page_size = next(p for p in parameters if p["name"] == "page_size")
    assert page_size["schema"] == {"type": "integer", "minimum": 1, "maximum": 100}


# --- 6. A party known only from unpublished commitments is not public --------------------------


@pytest.fixture
def secret_party():
    """A party whose only commitment is unpublished (an unannounced partnership)."""
    party = make_party(name="Unannounced Partner", slug="unannounced")
    commitment = make_commitment(parties=[(party, "partner")])
    make_update(commitment).submit()
    return party


@pytest.fixture
def known_party():
    party = make_party(name="Announced Partner", slug="announced")
    make_published_update(make_commitment(parties=[(party, "lead")]))
    return party


def test_party_queryset_public(secret_party, known_party):
    assert list(Party.objects.public()) == [known_party]
    # Once the commitment is public, so is the party.
    commitment = secret_party.commitment_roles.get().commitment
    make_published_update(commitment)
    assert set(Party.objects.public()) == {secret_party, known_party}


def test_a_party_only_on_unpublished_commitments_is_hidden(client, secret_party, known_party):
    assert client.get("/parties/unannounced/").status_code == 404
    assert client.get("/parties/announced/").status_code == 200
    assert client.get("/api/parties/unannounced/").status_code == 404
    assert client.get("/api/parties/announced/").status_code == 200
    for url in ["/api/parties/", "/commitments/", "/", "/reports/progress/"]:
        content = client.get(url).content.decode()
        assert "Unannounced Partner" not in content, url
        assert "unannounced" not in content, url
    assert "Announced Partner" in client.get("/api/parties/").content.decode()


def test_the_party_filter_cannot_tell_a_hidden_party_from_none(client, secret_party):
    hidden = client.get("/api/commitments/?party=unannounced")
    missing = client.get("/api/commitments/?party=no-such-party")
    assert hidden.status_code == missing.status_code == 400
    assert hidden.json() == missing.json()


def test_the_report_cannot_be_scoped_to_a_hidden_party(client, secret_party):
    page = client.get("/reports/progress/?party=unannounced").content.decode()
    assert "Unannounced Partner" not in page
