"""Issue 17's "Done when", through a real SMTP server (aiosmtpd, tests/following/conftest.py):
an editor publishes, the follower's e-mail arrives; once unsubscribed, nothing more does.
Then retries (server down, 451) and the worker dying mid-run."""

import pytest
from django.conf import settings
from django.urls import reverse

from commitments.following import notify
from commitments.models import Commitment, Delivery, StatusUpdate, Subscription
from tests.factories import TODAY, make_editor, make_source, make_submitted_update
from tests.following.conftest import follower

SLUG = "fifty-thousand-skilled-professionals"


def submitted(commitment, **fields):
    fields.setdefault("as_of", TODAY)
    fields.setdefault("summary", "Twelve thousand professionals placed so far.")
    update = make_submitted_update(commitment, **fields)
    return update


def publish_as_editor(client, update, django_capture_on_commit_callbacks):
    editor = make_editor()
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("commitments:update-publish", args=[update.pk]),
            {"version": update.version},
            follow=True,
        )
    client.logout()
    assert response.status_code == 200
    update.refresh_from_db()
    assert update.state == StatusUpdate.State.PUBLISHED
    return update


@pytest.mark.django_db
def test_done_when(client, seeded, smtp_server, django_capture_on_commit_callbacks):
    commitment = Commitment.objects.get(slug=SLUG)
    status_before = commitment.current_status
    reader = follower("reader@example.org", commitment=commitment)
    update = submitted(
        commitment,
        status=StatusUpdate.Status.DELAYED,
        progress_value=12000,
        sources=[make_source(title="Ministry press note", url="https://example.org/note")],
    )
    publish_as_editor(client, update, django_capture_on_commit_callbacks)

    [message] = smtp_server.messages
    assert message["To"] == "reader@example.org"
    site = settings.SITE_URL
    assert message["List-Unsubscribe"] == f"<{site}/follow/unsubscribe/{reader.token}/>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    before = StatusUpdate.Status(status_before).label
    for part in (text, html):
        assert commitment.title in part
        assert f"Status: {before} → Delayed" in part
        assert "Twelve thousand professionals placed so far." in part
        assert f"{site}/commitments/{SLUG}/" in part
        assert f"/follow/manage/{reader.token}/" in part
        assert "Ministry press note" in part
        assert "Progress: 12,000 people (24 %)" in part
    assert Delivery.objects.get(subscriber=reader).sent_at is not None

    # Unsubscribed: the next publication reaches nobody.
    Subscription.objects.filter(subscriber=reader).delete()
    publish_as_editor(client, submitted(commitment), django_capture_on_commit_callbacks)
    assert len(smtp_server.messages) == 1
