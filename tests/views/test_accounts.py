"""Signing in and out, passwords, lockouts, and the role in the header."""

import logging
import re

import pytest
from django.core import mail
from django.urls import reverse

from commitments.models import EDITOR_GROUP, User
from commitments.roles import role_group
from tests.factories import make_analyst, make_editor

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-9"


def sign_in(client, username, password=PASSWORD, ip="10.1.1.1", next_url=None):
    url = reverse("login") + (f"?next={next_url}" if next_url else "")
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(url, data, REMOTE_ADDR=ip)


def test_login_page_is_in_the_site_design(client):
    content = client.get(reverse("login")).content.decode()
    assert "Skip to main content" in content
    assert '<label for="id_username">' in content


def test_signing_in_lands_on_the_workspace_and_shows_the_role(client):
    make_analyst("asha")
    response = sign_in(client, "asha")
    assert response.status_code == 302
    assert response["Location"] == reverse("commitments:workspace")
    header = client.get("/").content.decode()
    assert (
        '<span class="visually-hidden">Signed in as </span><strong translate="no">asha</strong>'
        in header
    )
    assert '<span class="role">Analyst</span>' in header


@pytest.mark.parametrize(
    "hostile",
    [
        "https://evil.example/",
        "//evil.example/",
        "javascript:alert(1)",
        "http:evil.example",
        "/\\evil.example",
    ],
)
def test_a_hostile_next_never_leaves_the_site(client, hostile):
    make_analyst("asha")
    response = sign_in(client, "asha", next_url=hostile)
    assert response.status_code == 302
    assert response["Location"] == reverse("commitments:workspace")


def test_a_local_next_is_followed(client):
    make_analyst("asha")
    response = sign_in(client, "asha", next_url="/about/")
    assert response["Location"] == "/about/"


def test_sign_out_is_post_only(client):
    user = make_analyst("asha")
    client.force_login(user)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_validators_refuse_weak_passwords(client):
    user = make_analyst("asha")
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    content = response.content.decode()
    assert "at least 12 characters" in content
    assert "too common" in content
    assert "entirely numeric" in content


def test_password_change_works(client):
    user = make_analyst("asha")
    client.force_login(user)
    new = "a-much-longer-passphrase-2026"
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(client):
    make_analyst("asha", email="asha@example.org")
    known = client.post(reverse("password_reset"), {"email": "asha@example.org"}, follow=True)
    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.org"}, follow=True)
    assert known.status_code == unknown.status_code == 200
    assert known.redirect_chain == unknown.redirect_chain
    token = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
    without_tokens = [token.sub(b"", r.content) for r in (known, unknown)]
    assert without_tokens[0] == without_tokens[1]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["asha@example.org"]
    assert "/accounts/reset/" in mail.outbox[0].body


def test_five_failures_lock_the_username_from_that_address_only(client, caplog):
    make_analyst("asha")
    caplog.set_level(logging.WARNING)
    for _ in range(4):
        assert sign_in(client, "asha", password="wrong-password").status_code == 200
    # The fifth failure locks the pair, and even the right password then waits.
    assert sign_in(client, "asha", password="wrong-password").status_code == 429
    locked = sign_in(client, "asha")
    assert locked.status_code == 429
    content = locked.content.decode()
    assert "Too many failed attempts" in content
    assert "Try again after" in content
    assert "about 15 minutes" in content
    assert "Skip to main content" in content  # the site's design
    assert "_auth_user_id" not in client.session
    # Another address is not locked out, nor another user from the first address.
    assert sign_in(client, "asha", ip="10.2.2.2").status_code == 302
    client.logout()
    make_analyst("bala")
    assert sign_in(client, "bala").status_code == 302
    assert any("login failure" in record.getMessage().lower() for record in caplog.records)


def test_denied_actions_are_logged(client, caplog, analyst):
    from tests.factories import make_update

    update = make_update(author=analyst)
    update.submit()
    client.force_login(analyst)
    caplog.set_level(logging.WARNING, logger="commitments.security")
    assert client.get(reverse("commitments:update-edit", args=[update.pk])).status_code == 403
    assert any("Denied" in record.getMessage() for record in caplog.records)


def test_the_editor_role_gives_and_takes_admin_access(client):
    user = make_analyst("asha")
    client.force_login(user)
    assert client.get("/admin/").status_code == 302
    # The group as the site makes it (an earlier transactional test may have flushed it).
    editor_group = role_group(EDITOR_GROUP)
    user.groups.add(editor_group)
    assert client.get("/admin/").status_code == 200
    assert "Admin</a>" in client.get("/").content.decode()
    user.groups.remove(editor_group)
    assert client.get("/admin/").status_code == 302
    assert "Admin</a>" not in client.get("/").content.decode()


def test_analysts_have_no_admin_access_even_if_marked_staff(client):
    user = make_analyst("asha", is_staff=True)
    client.force_login(user)
    assert client.get("/admin/").status_code == 302


def test_the_admin_sign_in_is_the_site_sign_in(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    editor = make_editor("erin")
    signed_in = sign_in(client, "erin", next_url="/admin/")
    assert signed_in["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert User.objects.get(username="erin") == editor
