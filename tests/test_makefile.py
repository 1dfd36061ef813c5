"""The Makefile finds a Python that Django 6.1 accepts, or says in one line why it cannot."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make_venv(tmp_path, python):
    # Run the .venv recipe against a throwaway venv path, so the real one is never touched.
    venv = tmp_path / "venv"
    return subprocess.run(
        ["make", "-s", f"VENV={venv}", f"PYTHON={python}", f"{venv}/bin/python"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )


def test_an_old_python_is_refused_in_one_line(tmp_path):
    old = tmp_path / "python3.11"
    old.write_text("#!/bin/sh\nexit 1\n")  # behaves like a Python that fails the version test
    old.chmod(0o755)
    result = make_venv(tmp_path, old)
    assert result.returncode != 0
    error_lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(error_lines) == 1
    assert "3.12 or newer" in error_lines[0]


def test_a_missing_python_is_refused(tmp_path):
    result = make_venv(tmp_path, tmp_path / "no-such-python")
    assert result.returncode != 0
    assert "3.12 or newer" in result.stderr


def test_the_given_python_is_honoured(tmp_path):
    result = make_venv(tmp_path, sys.executable)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "venv" / "bin" / "python").exists()


def test_make_run_serves_with_a_worker_and_ctrl_c_stops_both(tmp_path):
    """`make run` (on a throwaway SQLite database): the site answers, a worker beats, and
    Ctrl-C in the terminal (SIGINT to the foreground process group) stops both."""
    import os
    import signal
    import socket
    import sqlite3
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    database = tmp_path / "db.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "WORKER_HEARTBEAT_SECONDS": "1"}
    make = subprocess.Popen(
        ["make", "-s", "run", f"PORT={port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, as a terminal's foreground job is
    )

    def healthy():
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as reply:
                return reply.status == 200
        except OSError:
            return False

    def worker_pids():
        if not database.exists():
            return []
        with sqlite3.connect(database) as db:
            try:
                return [pid for (pid,) in db.execute("SELECT pid FROM commitments_workerheartbeat")]
            except sqlite3.OperationalError:  # not migrated yet
                return []

    def alive(pid):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True

    try:
        deadline = time.monotonic() + 120  # migrate and load_demo first
        while not (healthy() and worker_pids()):
            assert make.poll() is None, "make run stopped early"
            assert time.monotonic() < deadline, "the site or the worker never started"
            time.sleep(0.3)
        [worker] = worker_pids()
        assert alive(worker)

        os.killpg(make.pid, signal.SIGINT)
        make.wait(timeout=30)
        assert not healthy()
        deadline = time.monotonic() + 10
        while alive(worker) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not alive(worker)
        assert worker_pids() == []  # it removed its heartbeat: a graceful stop
    finally:
        if make.poll() is None:
            os.killpg(make.pid, signal.SIGKILL)
            make.wait()
