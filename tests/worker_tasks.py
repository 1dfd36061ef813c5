"""Tasks for tests/test_worker.py, run by real worker processes (which import them by path)."""

import os
import time
from pathlib import Path

from django.tasks import task


@task(queue_name="default")
def held(folder: str) -> str:
    """Writes "start <pid>" in folder/log, waits until folder/release exists (at most 60 s),
    then writes "done <pid>": the test sees when it runs, and decides when it ends."""
    log = Path(folder) / "log"
    with log.open("a") as out:
        out.write(f"start {os.getpid()}\n")
    deadline = time.monotonic() + 60
    while not (Path(folder) / "release").exists():
        if time.monotonic() > deadline:
            raise TimeoutError("never released")
        time.sleep(0.05)
    with log.open("a") as out:
        out.write(f"done {os.getpid()}\n")
    return "released"
