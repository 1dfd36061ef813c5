import io

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from commitments.models import ANALYST_GROUP, EDITOR_GROUP, Commitment, User
from commitments.roles import role_group

FIXTURE = "india_japan_2025"

# Demo only: these accounts exist so a newcomer can try each role on their own machine.
DEMO_ACCOUNTS = [
    # username, password, group, is_staff, is_superuser
    ("analyst", "demo-analyst-pass", ANALYST_GROUP, False, False),
    ("editor", "demo-editor-pass", EDITOR_GROUP, True, False),
    ("admin", "demo-admin-pass", None, True, True),
]


class Command(BaseCommand):
    help = (
        "Load the India–Japan 2025 data into an empty database and create the demo accounts "
        "analyst, editor and admin. For local development only: refuses when DEBUG is off."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "Refusing to create demo accounts with known passwords: DEBUG is off, so this "
                "looks like production. Run it only on a development machine (DEBUG=1)."
            )
        if Commitment.objects.exists():
            self.stdout.write("Commitments already present: the fixture was not loaded again.")
        else:
            call_command("loaddata", FIXTURE, verbosity=options["verbosity"])
            # Fixtures are loaded raw: work each commitment's status out from its updates.
            call_command("refresh_standings", verbosity=0, stdout=io.StringIO())
            # loaddata bypasses history; give every loaded object its first history entry.
            call_command(
                "populate_history",
                auto=True,
                verbosity=0,
                stdout=io.StringIO(),
                stderr=io.StringIO(),
            )

        for username, password, group_name, is_staff, is_superuser in DEMO_ACCOUNTS:
            user, _ = User.objects.get_or_create(username=username)
            user.set_password(password)
            user.is_staff = is_staff
            user.is_superuser = is_superuser
            user.is_active = True
            user.save()
            user.groups.set([role_group(group_name)] if group_name else [])

        self.stdout.write(self.style.WARNING("Demo accounts (DEMO ONLY, never in production):"))
        for username, password, group_name, *_ in DEMO_ACCOUNTS:
            role = group_name or "Admin (superuser)"
            self.stdout.write(f"  {username:<8} password: {password:<18} role: {role}")
        self.stdout.write(
            "Public site: http://127.0.0.1:8000/  ·  sign in: http://127.0.0.1:8000/accounts/login/"
            "  ·  admin: http://127.0.0.1:8000/admin/"
        )
        self.stdout.write(
            "In Japanese: http://127.0.0.1:8000/ja/  ·  in Hindi: http://127.0.0.1:8000/hi/"
            "  (the India–Japan data is translated into both)"
        )
