"""`make run`'s data step: the fixture once, and demo accounts only in development."""

import pytest
from django.core.management import CommandError, call_command

from commitments.models import Commitment, User


@pytest.mark.django_db
def test_loads_the_fixture_and_creates_one_account_per_role(settings, capsys):
    settings.DEBUG = True
    call_command("load_demo")
    output = capsys.readouterr().out
    assert Commitment.objects.count() == 18
    assert "DEMO ONLY" in output
    analyst = User.objects.get(username="analyst")
    editor = User.objects.get(username="editor")
    admin = User.objects.get(username="admin")
    assert analyst.check_password("demo-analyst-pass")
    assert editor.check_password("demo-editor-pass")
    assert admin.check_password("demo-admin-pass")
    assert (analyst.role, analyst.is_staff) == ("Analyst", False)
    assert (editor.role, editor.is_staff) == ("Editor", True)
    assert (admin.role, admin.is_superuser) == ("Admin", True)
    assert Commitment.history.count() == 18


@pytest.mark.django_db
def test_running_twice_keeps_what_people_changed(settings):
    settings.DEBUG = True
    call_command("load_demo")
    Commitment.objects.filter(slug="chandrayaan-5").update(title="Chandrayaan-5 (edited)")
    call_command("load_demo")
    assert Commitment.objects.count() == 18
    assert Commitment.objects.get(slug="chandrayaan-5").title == "Chandrayaan-5 (edited)"
    assert User.objects.filter(username__in=["analyst", "editor", "admin"]).count() == 3


@pytest.mark.django_db
def test_refuses_to_create_demo_accounts_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("load_demo")
    assert not User.objects.exists()
