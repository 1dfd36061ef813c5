#!/usr/bin/env python
import os
import sys

# A bare checkout, with nothing configured (no DEBUG, SECRET_KEY or DATABASE_URL), is a
# developer's machine with the local SQLite file: manage.py runs as development there
# (`manage.py check`, `makemigrations`, `shell` just work). Anything configured for a real
# deployment still has to say DEBUG=1 or give its SECRET_KEY; the WSGI app never assumes.
DEPLOYMENT_VARIABLES = ("DEBUG", "SECRET_KEY", "DATABASE_URL")


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    if not any(os.environ.get(name) for name in DEPLOYMENT_VARIABLES):
        os.environ["DEBUG"] = "1"
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
