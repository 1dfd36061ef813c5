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
