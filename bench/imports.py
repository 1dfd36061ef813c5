"""The import benchmark (bench/bench.py runs it; docs/benchmarks.md, "Imports").

On a database holding the generated portfolio (1,000 commitments), it writes an updates file
of 10,000 rows from the portfolio's own commitments — valid dates (between the announcement and
today), statuses of the vocabulary, a progress value where the commitment has a target, one
source per row, a fifth of them sources already on record (cited by URL) — and times
`batches.check` (the preview) and `batches.apply` (the import), as the worker runs them.
Prints one JSON line: the seconds of each, the counts and the database.

    DATABASE_URL=… python bench/imports.py [--rows 10000] [--profile]

--profile prints cProfile's top entries of each step (stderr)."""

import argparse
import cProfile
import csv
import datetime
import hashlib
import io
import json
import os
import pstats
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")


def updates_file(rows: int, seed: int = 16) -> bytes:
    from django.utils import timezone

    from commitments.imports.updates import COLUMNS
    from commitments.models import Commitment, Source, UpdateStatus

    chance = random.Random(seed)
    today = timezone.localdate()
    commitments = list(
        Commitment.objects.filter(announced_on__lte=today)
        .order_by("pk")
        .values_list("slug", "announced_on", "target_value")
    )
    public_urls = list(
        Source.objects.filter(status_updates__state="published")
        .exclude(url="")
        .order_by("pk")
        .values_list("url", "title")
        .distinct()[:2000]
    )
    statuses = [value for value, _label in UpdateStatus.choices]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for number in range(rows):
        slug, announced, target = commitments[number % len(commitments)]
        span = max((today - announced).days, 0)
        as_of = announced + datetime.timedelta(days=chance.randint(0, span))
        progress = ""
        if target is not None:
            progress = str(round(float(target) * chance.random(), 2))
        if public_urls and number % 5 == 0:
            url, title = public_urls[number % len(public_urls)]
            publisher, published_on = "", ""
        else:
            url = f"https://example.org/bench-import/{seed}/{number}"
            title = f"Bench import source {number}"
            publisher = "Bench Gazette"
            published_on = as_of.isoformat()
        cells = {
            "commitment": slug,
            "as_of": as_of.isoformat(),
            "status": chance.choice(statuses),
            "progress_value": progress,
            "summary": f"Imported progress note {number} for {slug}",
            "body": f"Row {number} of the import benchmark.",
            "source_title": title,
            "source_url": url,
            "source_publisher": publisher,
            "source_published_on": published_on,
            "source_accessed_on": today.isoformat(),
        }
        writer.writerow([cells[name] for name in COLUMNS])
    return out.getvalue().encode()


def timed(step, profile: bool):
    profiler = cProfile.Profile() if profile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    step()
    if profiler:
        profiler.disable()
    seconds = time.perf_counter() - started
    if profiler:
        stats = pstats.Stats(profiler, stream=sys.stderr)
        stats.sort_stats("cumulative").print_stats(25)
        stats.sort_stats("tottime").print_stats(15)
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()

    import django

    django.setup()
    from django.contrib.auth.models import Group
    from django.db import connection

    from commitments.imports import batches
    from commitments.models import ANALYST_GROUP, ImportBatch, StatusUpdate, User

    analyst, _ = User.objects.get_or_create(username="bench-importer")
    analyst.groups.add(Group.objects.get(name=ANALYST_GROUP))
    content = updates_file(args.rows)
    batch = ImportBatch.objects.create(
        kind=ImportBatch.Kind.UPDATES,
        created_by=analyst,
        filename="bench-updates.csv",
        checksum=hashlib.sha256(content).hexdigest(),
        size=len(content),
        content=content,
        submit=True,
    )
    before = StatusUpdate.objects.count()

    check_seconds = timed(lambda: batches.check(batch.pk), args.profile)
    batch.refresh_from_db()
    checked = {
        "state": batch.state,
        "to_create": batch.to_create,
        "to_skip": batch.to_skip,
        "with_problems": batch.with_problems,
    }
    problems = list(batch.rows.filter(action="error").values_list("number", "problems")[:5])
    apply_seconds = None
    if batch.can_apply:
        ImportBatch.objects.filter(pk=batch.pk).update(state=ImportBatch.State.APPLY_QUEUED)
        apply_seconds = timed(lambda: batches.apply(batch.pk), args.profile)
        batch.refresh_from_db()
    print(
        json.dumps(
            {
                "database": connection.vendor,
                "rows": args.rows,
                "bytes": len(content),
                "check_seconds": round(check_seconds, 2),
                "apply_seconds": None if apply_seconds is None else round(apply_seconds, 2),
                "checked": checked,
                "problems": problems,
                "final_state": batch.state,
                "applied": batch.applied_count,
                "updates_added": StatusUpdate.objects.count() - before,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
