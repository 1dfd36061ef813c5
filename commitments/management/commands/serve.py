"""`manage.py serve` (what `make run` ends with): the development web server and one worker,
side by side. Ctrl-C (or SIGTERM) stops both, the worker after its current task; if either
stops on its own, the other is stopped too. Not for production (README, Deploy: gunicorn and
`manage.py worker` under systemd)."""

import contextlib
import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the development server and a background worker; Ctrl-C stops both."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--noreload",
            action="store_true",
            help="Don't restart the web server when the code changes.",
        )

    def handle(self, *, host, port, noreload, **options):
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        web_command = [*manage, "runserver", f"{host}:{port}"]
        if noreload:
            web_command.append("--noreload")
        # Each in a session of its own: Ctrl-C reaches this process only, which then stops
        # them once each (a second signal would make the worker drop its task).
        web = subprocess.Popen(web_command, start_new_session=True)
        worker = subprocess.Popen([*manage, "worker"], start_new_session=True)
        children = {"web server": web, "worker": worker}

        stop_requests = []

        def request_stop(signum, frame):
            stop_requests.append(signum)

        signal.signal(signal.SIGINT, request_stop)
        signal.signal(signal.SIGTERM, request_stop)
        ended = []
        try:
            while not stop_requests:
                ended = [name for name, child in children.items() if child.poll() is not None]
                if ended:
                    self.stderr.write(f"The {ended[0]} stopped: stopping the rest.")
                    break
                time.sleep(0.2)
            for child in children.values():
                self._signal(child, signal.SIGTERM)
            web.wait()
            asked = len(stop_requests)
            waiting_since = time.monotonic()
            told = False
            while worker.poll() is None:
                if len(stop_requests) > asked:
                    self.stderr.write("Stopping the worker now; its task will run again later.")
                    self._signal(worker, signal.SIGKILL)
                    break
                if not told and time.monotonic() - waiting_since > 1:
                    self.stderr.write(
                        "Waiting for the worker to finish its task (Ctrl-C again to stop it now)."
                    )
                    told = True
                time.sleep(0.1)
            worker.wait()
        finally:
            for child in children.values():
                if child.poll() is None:
                    self._signal(child, signal.SIGKILL)
                    child.wait()
        if ended:
            sys.exit(1)

    def _signal(self, child, signum):
        """The child's whole process group: runserver's autoreloader runs the server in a
        process of its own."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signum)
