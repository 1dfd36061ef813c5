"""Issue 14, forms: every error at once with a summary linking to each field, sensible
defaults, a confirmation before deleting, sign-in landing by role, and "Log an update"."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from commitments.models import StatusUpdate
from tests.factories import (
    TODAY,
    make_analyst,
    make_commitment,
    make_editor,
    make_published_update,
    make_source,
    make_update,
    make_user,
)
from tests.views.test_editorial import form_data, new_update_url, with_new_source

pytestmark = pytest.mark.django_db

NEGATIVE = "The progress value cannot be negative."
PASSWORD_FOR_TESTS = "correct-horse-battery-9"  # tests/factories.py make_user


@pytest.fixture
def commitment(db):
    return make_commitment(slug="skilled-workers", target_value=50000, target_unit="people")


def summary_of(content: str) -> str:
    """The error summary's HTML (empty when the page has none)."""
    match = re.search(r'<div class="error-summary".*?</div>', content, re.S)
    return match.group(0) if match else ""


def summary_links(content: str) -> list[str]:
    return re.findall(r'href="#([^"]+)"', summary_of(content))


def assert_summary_is_sound(content: str, problems: int):
    """The summary counts its problems, is announced and focusable, and every link (and every
    aria-describedby of an invalid field) points at an element of the page."""
    summary = summary_of(content)
    assert summary, "no error summary"
    heading = "There is 1 problem" if problems == 1 else f"There are {problems} problems"
    assert f"{heading} with this form" in summary
    assert 'role="alert"' in summary and 'tabindex="-1"' in summary
    assert summary.count("<li>") == problems
    ids = set(re.findall(r'\bid="([^"]+)"', content))
    for target in summary_links(content):
        assert target in ids, f"summary links to #{target}, which is not on the page"
    for tag in re.findall(r"<(?:input|select|textarea)[^>]*aria-invalid=\"true\"[^>]*>", content):
        described = re.search(r'aria-describedby="([^"]+)"', tag)
        assert described, f"invalid field without a description: {tag}"
        for target in described.group(1).split():
            assert target in ids, f"{tag} is described by #{target}, not on the page"


# 1 · Every error in one response, the sources error beside the Sources.


def test_every_error_comes_at_once_with_the_missing_source(client, analyst, commitment):
    client.force_login(analyst)
    response = client.post(
        new_update_url(commitment),
        form_data(
            action="submit",
            summary="",
            progress_value="-5",
            as_of=(TODAY + datetime.timedelta(days=3)).isoformat(),
        ),
    )
    assert response.status_code == 200
    content = response.content.decode()
    form = response.context["form"]
    assert set(form.errors) == {"summary", "progress_value", "as_of", "existing_sources"}
    assert_summary_is_sound(content, problems=4)
    assert "Sources: Add at least one source" in summary_of(content)
    assert summary_links(content) == [
        "id_as_of",
        "id_progress_value",
        "id_summary",
        "id_existing_sources",
    ]
    # The sources error sits in the Sources section, not in a banner at the top of the form.
    sources = content[content.index('<fieldset id="sources">') : content.index('class="new-source')]
    assert "Add at least one source before submitting for review." in sources
    assert not StatusUpdate.objects.exists()


def test_editing_reports_every_error_at_once(client, analyst, commitment):
    draft = make_update(commitment, author=analyst, sources=[])
    client.force_login(analyst)
    response = client.post(
        reverse("commitments:update-edit", args=[draft.pk]),
        form_data(action="submit", summary="", progress_value="-2", loaded_version=draft.version),
    )
    assert set(response.context["form"].errors) == {"summary", "progress_value", "existing_sources"}
    assert_summary_is_sound(response.content.decode(), problems=3)
    assert StatusUpdate.objects.get(pk=draft.pk).state == "draft"


def test_a_correction_reports_every_error_at_once(client, analyst, commitment):
    original = make_published_update(commitment, author=analyst)
    client.force_login(analyst)
    response = client.post(
        reverse("commitments:update-correct", args=[original.pk]),
        form_data(action="submit", summary="", correction_note=""),
    )
    form = response.context["form"]
    assert set(form.errors) == {"correction_note", "summary", "existing_sources"}
    content = response.content.decode()
    assert_summary_is_sound(content, problems=3)
    assert summary_links(content)[0] == "id_correction_note"


def test_new_source_errors_come_with_the_update_errors(client, analyst, commitment):
    client.force_login(analyst)
    response = client.post(
        new_update_url(commitment),
        with_new_source(**{"action": "submit", "summary": "", "new-0-url": "not a url"}),
    )
    content = response.content.decode()
    assert_summary_is_sound(content, problems=2)
    assert summary_links(content) == ["id_summary", "id_new-0-url"]
    assert "New source 1 › URL:" in summary_of(content)


@pytest.mark.parametrize("action", ["preview", "search", "add-source"])
def test_redisplaying_the_form_reports_nothing_yet(client, analyst, commitment, action):
    client.force_login(analyst)
    response = client.post(
        new_update_url(commitment),
        form_data(action=action, summary="", progress_value="-1", source_query="x" * 300),
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert not summary_of(content)
    assert NEGATIVE not in content and 'aria-invalid="true"' not in content
    assert 'value="-1"' in content  # what was typed is kept
    assert not StatusUpdate.objects.exists()


def test_a_draft_needs_no_source(client, analyst, commitment):
    client.force_login(analyst)
    response = client.post(new_update_url(commitment), form_data(action="save"))
    assert response.status_code == 302
    assert StatusUpdate.objects.get().sources.count() == 0


# 3 · The negative number once; no new-source errors when an existing source is chosen.


def test_a_negative_figure_is_reported_once(client, analyst, commitment):
    client.force_login(analyst)
    response = client.post(new_update_url(commitment), form_data(progress_value="-1"))
    assert response.context["form"].errors["progress_value"] == [NEGATIVE]
    content = response.content.decode()
    field = re.search(r'<ul class="field-errors" id="id_progress_value_error">.*?</ul>', content)
    assert field.group(0).count(NEGATIVE) == 1
    assert summary_of(content).count(NEGATIVE) == 1
    assert content.count(NEGATIVE) == 2  # beside the field, and in the summary


@pytest.mark.parametrize("kind", ["other", "official_statement"])
def test_an_empty_new_source_is_ignored_when_an_existing_one_is_ticked(
    client, analyst, commitment, kind
):
    source = make_source(title="Joint statement")
    make_published_update(commitment, sources=[source])
    client.force_login(analyst)
    # With another error, the page comes back: nothing about the empty new-source block.
    response = client.post(
        new_update_url(commitment),
        form_data(
            action="submit", summary="", existing_sources=[source.pk], **{"new-0-kind": kind}
        ),
    )
    content = response.content.decode()
    assert set(response.context["form"].errors) == {"summary"}
    assert not any(f.errors for f in response.context["new_sources"].forms)
    assert "New source" not in summary_of(content)
    new_source = content[content.index('class="new-source') :]
    assert "(required)" not in new_source[: new_source.index("</fieldset>")]
    # Fixed, it is submitted with the ticked source only.
    response = client.post(
        new_update_url(commitment),
        form_data(action="submit", existing_sources=[source.pk], **{"new-0-kind": kind}),
    )
    assert response.status_code == 302
    update = StatusUpdate.objects.get(state="submitted")
    assert list(update.sources.all()) == [source]


# 3 · Defaults and plain digits.


@pytest.mark.parametrize(("stored", "shown"), [("6000.0000", "6000"), ("12.5000", "12.5")])
def test_the_edit_form_shows_a_stored_figure_in_plain_digits(
    client, analyst, commitment, stored, shown
):
    draft = make_update(commitment, author=analyst, progress_value=Decimal(stored))
    client.force_login(analyst)
    content = client.get(reverse("commitments:update-edit", args=[draft.pk])).content.decode()
    field = re.search(r'<input[^>]*name="progress_value"[^>]*>', content).group(0)
    assert f'value="{shown}"' in field
    assert stored not in content


def test_a_new_update_starts_from_the_current_status_and_today(client, analyst, commitment):
    make_published_update(commitment, status="delayed")
    commitment.refresh_from_db()
    assert commitment.current_status == "delayed"
    client.force_login(analyst)
    content = client.get(new_update_url(commitment)).content.decode()
    status = re.search(r'<select name="status".*?</select>', content, re.S).group(0)
    assert re.findall(r'<option value="([^"]*)" selected>', status) == ["delayed"]
    date = re.search(r'<input type="date" name="as_of"[^>]*>', content).group(0)
    assert f'value="{TODAY.isoformat()}"' in date


def test_a_correction_keeps_the_corrected_update_status(client, analyst, commitment):
    original = make_published_update(commitment, status="stalled", author=analyst)
    make_published_update(commitment, status="in_progress", as_of=TODAY)
    client.force_login(analyst)
    content = client.get(reverse("commitments:update-correct", args=[original.pk])).content
    status = re.search(r'<select name="status".*?</select>', content.decode(), re.S).group(0)
    assert re.findall(r'<option value="([^"]*)" selected>', status) == ["stalled"]


# 2 · A summary on every site form.


def test_sign_in_errors_are_summarised(client):
    response = client.post(reverse("login"), {"username": "", "password": ""})
    content = response.content.decode()
    assert_summary_is_sound(content, problems=2)
    assert summary_links(content) == ["id_username", "id_password"]
    response = client.post(reverse("login"), {"username": "nobody", "password": "wrong-1234"})
    assert_summary_is_sound(response.content.decode(), problems=1)


def test_password_forms_are_summarised(client, analyst):
    response = client.post(reverse("password_reset"), {"email": "not an address"})
    assert_summary_is_sound(response.content.decode(), problems=1)
    client.force_login(analyst)
    response = client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": "a", "new_password2": "b"},
    )
    content = response.content.decode()
    assert_summary_is_sound(content, problems=len(re.findall(r"<li>", summary_of(content))))
    assert "id_old_password" in summary_links(content)


def test_the_retract_form_is_summarised(client, analyst, commitment):
    published = make_published_update(commitment, author=analyst)
    client.force_login(analyst)
    response = client.post(reverse("commitments:update-retract", args=[published.pk]), {})
    content = response.content.decode()
    assert_summary_is_sound(content, problems=1)
    assert summary_links(content) == ["id_note"]


def test_a_form_without_errors_has_no_summary(client, analyst, commitment):
    client.force_login(analyst)
    assert not summary_of(client.get(new_update_url(commitment)).content.decode())
    assert not summary_of(client.get(reverse("login")).content.decode())


# 4 · Deleting asks first.


def test_delete_asks_first_and_only_a_post_deletes(client, analyst, commitment):
    draft = make_update(commitment, author=analyst, summary="Draft about the visas.")
    url = reverse("commitments:update-delete", args=[draft.pk])
    client.force_login(analyst)
    workspace = client.get(reverse("commitments:workspace")).content.decode()
    assert f'action="{url}"' not in workspace  # no one-click delete left
    assert f'href="{url}?next=' in workspace
    response = client.get(url + "?next=/workspace/%3Fshow%3Ddrafts")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Delete this draft? It cannot be undone." in content
    assert "Draft about the visas." in content
    assert 'href="/workspace/?show=drafts"' in content  # Cancel goes back
    assert StatusUpdate.objects.filter(pk=draft.pk).exists()
    response = client.post(url, {"next": "/workspace/?show=drafts"})
    assert response["Location"] == "/workspace/?show=drafts"
    assert not StatusUpdate.objects.filter(pk=draft.pk).exists()


def test_delete_confirmation_ignores_an_unsafe_next(client, analyst, commitment):
    draft = make_update(commitment, author=analyst)
    client.force_login(analyst)
    url = reverse("commitments:update-delete", args=[draft.pk])
    content = client.get(url + "?next=https://evil.example/").content.decode()
    confirm = content[content.index('class="confirm-actions"') :]
    confirm = confirm[: confirm.index("</form>")]
    assert "evil.example" not in confirm
    assert 'href="/workspace/"' in confirm
    response = client.post(url, {"next": "https://evil.example/"})
    assert response["Location"] == reverse("commitments:workspace")


def test_the_edit_form_offers_delete_away_from_submit(client, analyst, commitment):
    draft = make_update(commitment, author=analyst)
    client.force_login(analyst)
    content = client.get(reverse("commitments:update-edit", args=[draft.pk])).content.decode()
    url = reverse("commitments:update-delete", args=[draft.pk])
    footer = content[content.index('class="actions form-footer"') : content.index("</form>")]
    assert url not in footer
    assert f'href="{url}"' in content[content.index("</form>") :]


def test_only_the_author_may_delete(client, analyst, other_analyst, editor, commitment):
    draft = make_update(commitment, author=analyst)
    submitted = make_update(commitment, author=analyst)
    submitted.submit()
    url = reverse("commitments:update-delete", args=[draft.pk])
    for user in (other_analyst, editor):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    client.force_login(analyst)
    submitted_url = reverse("commitments:update-delete", args=[submitted.pk])
    assert client.get(submitted_url).status_code == 403
    assert client.post(submitted_url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302
    assert StatusUpdate.objects.count() == 2


# 5 · Where sign-in lands.


def sign_in(client, username, next_url=None):
    url = reverse("login") + (f"?next={next_url}" if next_url else "")
    data = {"username": username, "password": PASSWORD_FOR_TESTS}
    if next_url is not None:
        data["next"] = next_url
    return client.post(url, data)


@pytest.mark.parametrize(
    ("who", "lands"),
    [
        ("analyst", "commitments:workspace"),
        ("editor", "commitments:review"),
        ("superuser", "commitments:dashboard"),
        ("plain", "commitments:dashboard"),
    ],
)
def test_sign_in_lands_by_role(client, who, lands):
    {
        "analyst": lambda: make_analyst("asha"),
        "editor": lambda: make_editor("asha"),
        "superuser": lambda: make_user("asha", is_staff=True, is_superuser=True),
        "plain": lambda: make_user("asha"),
    }[who]()
    response = sign_in(client, "asha")
    assert response.status_code == 302
    assert response["Location"] == reverse(lands)


@pytest.mark.parametrize("maker", [make_analyst, make_editor])
def test_sign_in_follows_a_safe_next_and_ignores_an_unsafe_one(client, maker):
    maker("asha")
    assert sign_in(client, "asha", "/commitments/?q=visa")["Location"] == "/commitments/?q=visa"
    client.logout()
    landing = reverse("commitments:review" if maker is make_editor else "commitments:workspace")
    assert sign_in(client, "asha", "https://evil.example/")["Location"] == landing


# 6 · "Log an update".

LOG_URL = "/workspace/log/"


def test_log_update_is_for_those_who_log_updates(client, outsider, analyst, editor):
    assert reverse("commitments:log-update") == LOG_URL
    response = client.get(LOG_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    client.force_login(outsider)
    assert client.get(LOG_URL).status_code == 403
    for user in (analyst, editor):
        client.force_login(user)
        assert client.get(LOG_URL).status_code == 200
    assert client.post(LOG_URL).status_code == 405


def test_the_workspace_links_to_log_update(client, analyst):
    client.force_login(analyst)
    content = client.get(reverse("commitments:workspace")).content.decode()
    assert f'href="{LOG_URL}"' in content


def test_log_update_finds_a_commitment_and_links_to_its_form(client, analyst):
    target = make_commitment(title="Skilled workers from India to Japan", slug="skilled")
    other = make_commitment(title="Moon lander", slug="moon")
    client.force_login(analyst)
    content = client.get(LOG_URL, {"q": "skilled"}).content.decode()
    assert f'href="{new_update_url(target)}"' in content
    assert f'href="{new_update_url(other)}"' not in content
    content = client.get(LOG_URL, {"q": "zzznothing"}).content.decode()
    assert "No commitment matches “zzznothing”" in content


def test_log_update_shows_what_the_analyst_updated_recently(client, analyst, other_analyst):
    mine = make_commitment(title="Mine", slug="mine")
    theirs = make_commitment(title="Theirs", slug="theirs")
    make_update(mine, author=analyst)
    make_update(theirs, author=other_analyst)
    client.force_login(analyst)
    content = client.get(LOG_URL, {"q": "zzznothing"}).content.decode()
    recent = content[content.index('id="recent-heading"') : content.index('id="matches-heading"')]
    assert f'href="{new_update_url(mine)}"' in recent
    assert f'href="{new_update_url(theirs)}"' not in recent


def test_log_update_is_bounded(client, analyst, django_assert_max_num_queries):
    client.force_login(analyst)

    def build(n):
        for _ in range(n):
            make_update(make_commitment(title="Visa facilitation step"), author=analyst)

    build(3)
    with django_assert_max_num_queries(30) as small:
        content = client.get(LOG_URL, {"q": "visa"}).content.decode()
    assert "refine your search" not in content
    build(40)
    with django_assert_max_num_queries(len(small.captured_queries)):
        content = client.get(LOG_URL, {"q": "visa"}).content.decode()
    matches = content[content.index('id="matches-heading"') :]
    assert matches.count("/updates/new/") == 25
    assert "refine your search" in content
    recent = content[content.index('id="recent-heading"') : content.index('id="matches-heading"')]
    assert 0 < recent.count("/updates/new/") <= 10


@pytest.mark.parametrize("query", ["x" * 5000, "\x00", "%", "' OR 1=1 --", "ä" * 201])
def test_log_update_survives_bad_input(client, analyst, query):
    client.force_login(analyst)
    # A NUL is refused at the door (400) by the site's middleware; the rest are searched.
    assert client.get(LOG_URL, {"q": query}).status_code == (400 if query == "\x00" else 200)


def test_the_report_form_is_summarised(client, seeded):
    response = client.get(reverse("commitments:report"), {"from": "2025-13-45", "to": "soon"})
    content = response.content.decode()
    assert response.status_code == 200
    assert_summary_is_sound(content, problems=2)
    assert summary_links(content) == ["id_from", "id_to"]
