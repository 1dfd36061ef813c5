"""The two roles as groups of permissions, for code that runs after the migrations: the demo
loader, the sample-data generator and the tests. The migration `0002_roles` creates them and
is the one list of what each role may do; a database emptied since (a test's flush) gets them
back from that same list."""

import importlib

from django.contrib.auth.models import Group, Permission

ROLE_PERMISSIONS = importlib.import_module("commitments.migrations.0002_roles").ROLE_PERMISSIONS


def role_group(name: str) -> Group:
    group, created = Group.objects.get_or_create(name=name)
    if created:
        group.permissions.set(
            Permission.objects.filter(
                content_type__app_label="commitments", codename__in=ROLE_PERMISSIONS[name]
            )
        )
    return group
