"""Make the pictures in docs/screenshots/ that README.md shows.

    .venv/bin/python docs/make_screenshots.py        (or: make screenshots)
    .venv/bin/python docs/make_screenshots.py --only imports     (the import pages only)
    .venv/bin/python docs/make_screenshots.py --only following   (following by e-mail only)

No network and nothing to install by hand: it builds a throwaway SQLite database in a temporary
folder (migrate, load_demo), adds a small story through the model workflow (two progress
updates and a published correction of one on the 50,000 skilled professionals, a published
retraction on the ¥10 trillion investment, a correction awaiting review on the five lakh
Indians), serves it with `runserver` on a free port, photographs the pages with Playwright and
Debian's Chromium (CHROMIUM_PATH to use another), writes the PNGs and stops the server. Your
own database (db.sqlite3 or DATABASE_URL) is never touched.
"""

import argparse
import datetime
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from decimal import Decimal
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MAX_BYTES = 400_000  # keep each PNG small enough for the repository and the README
DESKTOP, PHONE = 1280, 375
TIMELINE = "section[aria-labelledby=timeline-heading]"
PASSWORDS = {"analyst": "demo-analyst-pass", "editor": "demo-editor-pass"}

SKILLED = "fifty-thousand-skilled-professionals"
INVESTMENT = "japanese-investment-10-trillion-yen"
FIVE_LAKH = "five-lakh-indians-to-japan"
CHANDRAYAAN = "chandrayaan-5"


# --- The story, told through the model workflow (runs in a subprocess, with Django set up) ----


def add_story() -> dict:
    """Published updates, a published correction, a published retraction and a correction
    awaiting review, each written by the analyst and reviewed by the editor. Returns the ids
    the screenshots need."""
    from commitments.models import Commitment, Source, StatusUpdate, User

    analyst = User.objects.get(username="analyst")
    editor = User.objects.get(username="editor")
    mea = "Ministry of External Affairs"

    def source(title, slug, published_on, kind=Source.Kind.GOVERNMENT_DATA, publisher=mea):
        return Source.objects.create(
            title=title,
            url=f"https://example.org/{slug}",
            publisher=publisher,
            published_on=published_on,
            kind=kind,
            added_by=analyst,
        )

    def draft(commitment, sources, **fields):
        update = StatusUpdate(commitment=commitment, author=analyst, **fields)
        update.clean()  # as-of date not in the future nor before the announcement
        update.save()
        update.sources.set(sources)
        return update

    def revision(kind, original, note, **changes):
        fields = {name: getattr(original, name) for name in ("as_of", "status", "progress_value")}
        fields["summary"] = original.summary
        fields.update(changes)
        return draft(
            original.commitment,
            original.sources.all(),
            kind=kind,
            corrects=original,
            correction_note=note,
            **fields,
        )

    def submit(update):
        update.submit(by=analyst)
        return update

    def publish(update):
        submit(update)
        update.refresh_from_db()
        update.publish(editor, version=update.version)
        return update

    # 50,000 skilled professionals: two progress updates, the first one corrected.
    skilled = Commitment.objects.get(slug=SKILLED)
    february = source(
        "Placement report February 2026", "mea-placements-2026-02", datetime.date(2026, 3, 5)
    )
    august = source(
        "Placement report August 2026", "mea-placements-2026-08", datetime.date(2026, 9, 4)
    )
    first = publish(
        draft(
            skilled,
            [february],
            as_of=datetime.date(2026, 2, 28),
            status=StatusUpdate.Status.IN_PROGRESS,
            progress_value=Decimal(4500),
            summary="4,500 placed so far",
        )
    )
    latest = publish(
        draft(
            skilled,
            [august],
            as_of=datetime.date(2026, 8, 31),
            status=StatusUpdate.Status.IN_PROGRESS,
            progress_value=Decimal(9000),
            summary="9,000 placed so far",
        )
    )
    correction = publish(
        revision(
            StatusUpdate.Kind.CORRECTION,
            first,
            "The February report counts 4,000 placements, not 4,500: the first figure "
            "included 500 trainees still in language training in India.",
            progress_value=Decimal(4000),
            summary="4,000 placed so far",
        )
    )

    # ¥10 trillion of investment: an update published, then retracted.
    investment = Commitment.objects.get(slug=INVESTMENT)
    loan = source(
        "Japanese investment announcements, first quarter 2026",
        "investment-q1-2026",
        datetime.date(2026, 4, 10),
        kind=Source.Kind.NEWS,
        publisher="Business Standard",
    )
    counted = publish(
        draft(
            investment,
            [loan],
            as_of=datetime.date(2026, 3, 31),
            status=StatusUpdate.Status.IN_PROGRESS,
            progress_value=Decimal("1500000000000"),
            summary="¥1.5 trillion committed by Japanese companies",
        )
    )
    retraction = publish(
        revision(
            StatusUpdate.Kind.RETRACTION,
            counted,
            "The ¥1.5 trillion was a loan agreed in 2024, before the summit: it does not "
            "count toward this commitment.",
        )
    )

    # Five lakh Indians to Japan: a published figure and its correction awaiting review.
    five_lakh = Commitment.objects.get(slug=FIVE_LAKH)
    arrivals = source(
        "Indians in Japan: arrivals to June 2026",
        "mea-arrivals-2026-06",
        datetime.date(2026, 7, 15),
    )
    arrived = publish(
        draft(
            five_lakh,
            [arrivals],
            as_of=datetime.date(2026, 6, 30),
            status=StatusUpdate.Status.IN_PROGRESS,
            progress_value=Decimal(42000),
            summary="42,000 Indians moved to Japan in the first ten months",
        )
    )
    pending = submit(
        revision(
            StatusUpdate.Kind.CORRECTION,
            arrived,
            "The ministry revised its count: 800 people who arrived in March were counted "
            "again in April.",
            progress_value=Decimal(41200),
            summary="41,200 Indians moved to Japan in the first ten months",
        )
    )
    return {
        "correction": correction.pk,
        "retraction": retraction.pk,
        "pending": pending.pk,
        "retractable": latest.pk,
    }


def story_main() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    import django

    django.setup()
    print(json.dumps(add_story()))


# --- The throwaway site ----------------------------------------------------------------------


def free_port() -> int:
    """8000 when free, so the pictures show the address `make run` serves (the embed snippet
    on detail pages prints it); any free port otherwise."""
    for port in (8000, 0):
        with socket.socket() as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as runserver does
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise RuntimeError("no free port")


def manage(env, *args):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=False,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def wait_for(url: str, server: subprocess.Popen, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return True
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    return False


# --- Pictures --------------------------------------------------------------------------------


def shoot(
    page,
    name: str,
    *,
    top: float = 0,
    bottom: float | None = None,
    width: float | None = None,
    max_height: int = 1600,
    cut_after: str | None = None,
):
    """Save the page from `top` to `bottom` (default: its end), `width` px from the left
    (default: the viewport), at most `max_height` px tall. While the PNG is over MAX_BYTES,
    cut it shorter: just below the last element matching `cut_after` that fits, or by a
    fifth."""
    page_height = page.evaluate("document.documentElement.scrollHeight")
    width = page.viewport_size["width"] if width is None else int(width)
    top = max(0, int(top))
    bottom = page_height if bottom is None else min(page_height, int(bottom))
    height = min(bottom - top, max_height)
    cuts = []
    if cut_after:
        cuts = sorted(
            int(b) + 12 - top
            for b in page.eval_on_selector_all(
                cut_after,
                "es => es.map(e => e.getBoundingClientRect().bottom + window.scrollY)",
            )
        )
    path = OUT / name
    while True:
        clip = {"x": 0, "y": top, "width": width, "height": height}
        page.screenshot(path=path, full_page=True, clip=clip, animations="disabled")
        size = path.stat().st_size
        if size <= MAX_BYTES or height <= 600:
            break
        shorter = [cut for cut in cuts if 600 <= cut < height]
        height = shorter[-1] if shorter else int(height * 0.8)
    print(f"  {name:24} {width}×{height}  {size / 1000:.0f} kB")
    return path


def box(page, selector: str) -> dict:
    """The element's box in page coordinates."""
    return page.eval_on_selector(
        selector,
        "e => { const r = e.getBoundingClientRect();"
        " return {top: r.top + window.scrollY, bottom: r.bottom + window.scrollY, right: r.right};"
        " }",
    )


def sign_in(context, site: str, username: str):
    page = context.new_page()
    page.goto(f"{site}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORDS[username])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")
    if "/accounts/login/" in page.url:
        sys.exit(f"signing in as {username} failed")
    return page


def take_pictures(site: str, ids: dict, only: str | None = None) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

        def context(width, height):
            return browser.new_context(
                viewport={"width": width, "height": height},
                device_scale_factor=1,  # small files; README shows them scaled down anyway
                reduced_motion="reduce",
            )

        if only == "imports":
            import_pictures(browser, site, context)
            browser.close()
            return
        if only == "following":
            following_pictures(browser, site, context)
            browser.close()
            return

        def visit(page, path):
            page.goto(site + path)
            page.wait_for_load_state("networkidle")

        desktop = context(DESKTOP, 900)
        page = desktop.new_page()

        visit(page, "/")
        shoot(page, "dashboard.png", max_height=2400, cut_after=".card")

        visit(page, f"/commitments/{CHANDRAYAAN}/")
        shoot(page, "detail.png")

        # The chart and figures; then the timeline with the correction note, main column only.
        visit(page, f"/commitments/{SKILLED}/")
        timeline = box(page, TIMELINE)
        shoot(page, "target-progress.png", bottom=timeline["top"] - 8, max_height=1500)
        shoot(
            page,
            "correction-detail.png",
            top=timeline["top"] - 24,
            bottom=timeline["bottom"] + 24,
            width=timeline["right"] + 56,
            max_height=1100,
        )

        visit(page, f"/commitments/{INVESTMENT}/")
        timeline = box(page, TIMELINE)
        notices = box(page, "section[aria-labelledby=retractions-heading]")
        shoot(
            page,
            "retraction-notice.png",
            top=timeline["top"] - 24,
            bottom=notices["bottom"] + 24,
            width=timeline["right"] + 56,
            max_height=1100,
        )

        # A commitment page's follow, cite and share blocks.
        visit(page, f"/commitments/{FIVE_LAKH}/")
        reuse = box(page, ".reuse")
        shoot(page, "cite-follow-share.png", top=reuse["top"] - 16, bottom=reuse["bottom"] + 16)
        desktop.close()

        phone = context(PHONE, 812)
        page = phone.new_page()
        visit(page, "/")
        shoot(page, "dashboard-phone.png", max_height=1400)

        visit(page, f"/commitments/{FIVE_LAKH}/")
        shoot(page, "detail-phone.png", max_height=1400)

        # The same pages in Japanese and Hindi (issue 15).
        visit(page, "/ja/")
        shoot(page, "dashboard-ja-phone.png", max_height=1400)
        visit(page, "/hi/commitments/chandrayaan-5/")
        shoot(page, "detail-hi-phone.png", max_height=1400)

        visit(page, "/commitments/?q=moon+rover&status=achieved")
        shoot(page, "search-empty-phone.png", max_height=1400)

        visit(page, "/commitments/")
        shoot(page, "list-phone.png", max_height=1400)

        visit(page, f"/commitments/{SKILLED}/")
        timeline = box(page, TIMELINE)
        shoot(
            page,
            "correction-phone.png",
            top=timeline["top"] - 16,
            bottom=timeline["bottom"] + 16,
            max_height=1400,
        )
        phone.close()

        # Signed in through the login page, as a person would.
        editor = context(DESKTOP, 900)
        page = sign_in(editor, site, "editor")
        visit(page, "/review/")
        shoot(page, "review-correction.png", max_height=1400)
        editor.close()

        analyst = context(PHONE, 812)
        page = sign_in(analyst, site, "analyst")
        visit(page, f"/updates/{ids['retractable']}/retract/")
        shoot(page, "retract-phone.png", max_height=1600)

        # Every problem at once, summarised at the top of the form.
        visit(page, f"/commitments/{SKILLED}/updates/new/")
        page.get_by_label("Progress value").fill("-3")
        page.get_by_role("button", name="Submit for review").click()
        page.wait_for_load_state("networkidle")
        shoot(page, "form-errors-phone.png", max_height=1400)
        analyst.close()

        # A commitment page as printed: no navigation or buttons, link addresses written out.
        printer = context(DESKTOP, 900)
        page = printer.new_page()
        visit(page, f"/commitments/{SKILLED}/")
        pdf = OUT / "print-detail.pdf"
        page.pdf(path=str(pdf), format="A4", print_background=True)
        printer.close()
        pdf_to_png(pdf, "print-detail.png")

        import_pictures(browser, site, context)
        browser.close()


IMPORT_HEADER = [
    "commitment",
    "as_of",
    "status",
    "progress_value",
    "summary",
    "body",
    "source_title",
    "source_url",
    "source_publisher",
]


def import_file() -> dict:
    """A spreadsheet of three updates, one of them dated in the future (the bad row)."""
    import csv
    import io

    rows = [
        [SKILLED, "2026-10-31", "in_progress", "11000", "11,000 placed so far", "",
         "Placement report October 2026", "https://example.org/mea-placements-2026-10",
         "Ministry of External Affairs"],
        [CHANDRAYAAN, "2031-05-01", "in_progress", "", "Lander integration under way", "",
         "JAXA press release", "https://example.org/jaxa-lander", "JAXA"],
        [FIVE_LAKH, "2026-09-30", "in_progress", "45000", "45,000 moved to Japan so far", "",
         "Indians in Japan: arrivals to September 2026",
         "https://example.org/mea-arrivals-2026-09", "Ministry of External Affairs"],
    ]  # fmt: skip
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(IMPORT_HEADER)
    writer.writerows(rows)
    return {
        "name": "updates-october.csv",
        "mimeType": "text/csv",
        "buffer": out.getvalue().encode(),
    }


def import_pictures(browser, site: str, context) -> None:
    """The analyst's import preview with a bad row, on a phone and a desktop (issue 16)."""
    analyst = context(PHONE, 812)
    page = sign_in(analyst, site, "analyst")
    page.goto(f"{site}/workspace/imports/")
    page.get_by_label("Spreadsheet (CSV or XLSX)").set_input_files(import_file())
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_load_state("networkidle")
    if "/workspace/imports/" not in page.url or page.locator(".import-rows").count() == 0:
        sys.exit(f"the import preview did not show: {page.url}")
    preview = page.url
    shoot(page, "import-preview-phone.png", max_height=1600)
    analyst.close()

    analyst = context(DESKTOP, 900)
    page = sign_in(analyst, site, "analyst")
    page.goto(preview)
    page.wait_for_load_state("networkidle")
    shoot(page, "import-preview.png", max_height=1400)
    page.goto(f"{site}/workspace/imports/")
    page.wait_for_load_state("networkidle")
    shoot(page, "import-upload.png", max_height=1400)
    analyst.close()


def pdf_to_png(pdf: Path, name: str) -> None:
    """The first page of a PDF as a PNG (pdftoppm, Debian's poppler-utils); the PDF goes."""
    if not shutil.which("pdftoppm"):
        print(f"  {name} skipped: pdftoppm not found (apt-get install poppler-utils)")
        pdf.unlink()
        return
    stem = pdf.with_suffix("")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", pdf, stem],
        check=True,
    )
    pdf.unlink()
    stem.with_suffix(".png").rename(OUT / name)
    print(f"  {name}")


def report_picture(site: str) -> None:
    """The first page of the briefing PDF as a PNG (poppler's pdftoppm), as a reader sees it."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        print("  report-first-page.png skipped: pdftoppm not found (apt-get install poppler-utils)")
        return
    for prefix, name in (
        ("", "report-first-page.png"),
        ("/ja", "report-ja-first-page.png"),
        ("/hi", "report-hi-first-page.png"),
    ):
        address = f"{site}{prefix}/reports/progress/?format=pdf"
        with urllib.request.urlopen(address, timeout=120) as answer:
            pdf = answer.read()
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "report.pdf"
            path.write_bytes(pdf)
            stem = Path(tmp) / "page"
            subprocess.run(
                [pdftoppm, "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile", path, stem],
                check=True,
            )
            shutil.copy(stem.with_suffix(".png"), OUT / name)
        print(f"  {name}")


SERVER_LOG: dict[str, Path] = {}


def mails_in(text: str) -> list:
    """The e-mails Django's console backend printed in `text`, parsed as received."""
    import email
    import email.policy

    found = []
    for block in text.split("-" * 79):
        start = block.find("Content-Type: ")
        if start >= 0 and "\nSubject: " in block:
            found.append(
                email.message_from_string(block[start:].strip() + "\n", policy=email.policy.default)
            )
    return found


def show_mail(page, message) -> None:
    """The HTML part of `message` under its headers, as a mail program shows it."""
    html = message.get_body(preferencelist=("html",)).get_content()
    head = "".join(
        f"<div><b>{name}:</b> {escape(str(message[name]))}</div>"
        for name in ("From", "To", "Subject", "List-Unsubscribe", "List-Unsubscribe-Post")
        if message[name]
    )
    page.set_content(
        "<div style='font:13px/1.4 sans-serif;padding:10px;background:#eef1f5;"
        f"border-bottom:1px solid #ccd;overflow-wrap:anywhere'>{head}</div>{html}"
    )


def following_pictures(browser, site: str, context) -> None:
    """A reader follows the 50,000 skilled professionals on a phone, confirms, and receives
    the e-mail of the next publication (issue 17): the page and the e-mails as received."""
    reader = context(PHONE, 812)
    page = reader.new_page()
    page.goto(f"{site}/follow/?commitment={SKILLED}")
    page.wait_for_load_state("networkidle")
    shoot(page, "follow-phone.png", max_height=1200)
    page.get_by_label("Your e-mail address").fill("reader@example.org")
    page.get_by_role("button", name="Follow").click()
    page.wait_for_load_state("networkidle")
    time.sleep(0.5)
    confirmations = mails_in(SERVER_LOG["path"].read_text())
    if not confirmations:
        sys.exit("no confirmation e-mail was printed by the server")
    text = confirmations[-1].get_body(preferencelist=("plain",)).get_content()
    link = next(word for word in text.split() if "/follow/confirm/" in word)
    page.goto(site + link[link.index("/follow/confirm/") :])
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_load_state("networkidle")
    if "confirmed" not in page.inner_text("body").lower():
        sys.exit(f"the confirmation did not go through: {page.inner_text('body')[:1500]}")
    mail_page = context(PHONE, 812).new_page()
    show_mail(mail_page, confirmations[-1])
    shoot(mail_page, "email-confirm-phone.png", max_height=1200)

    published = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", PUBLISH_FOR_FOLLOWERS],
        cwd=ROOT,
        env=SERVER_LOG["env"],
        check=True,
        capture_output=True,
        text=True,
    )
    updates = [m for m in mails_in(published.stdout) if "reader@example.org" in str(m["To"])]
    if not updates:
        sys.exit(f"no update e-mail was printed:\n{published.stdout[-2000:]}{published.stderr}")
    show_mail(mail_page, updates[-1])
    shoot(mail_page, "email-update-phone.png", max_height=1600)
    reader.close()


# Run by `manage.py shell` in the demo site's environment: an analyst's update of the skilled
# professionals, published by the editor (the e-mail is sent at once: immediate tasks).
PUBLISH_FOR_FOLLOWERS = f"""
from django.db import transaction
from commitments.models import Commitment, Source, StatusUpdate, User
commitment = Commitment.objects.get(slug="{SKILLED}")
analyst, editor = User.objects.get(username="analyst"), User.objects.get(username="editor")
with transaction.atomic():
    update = StatusUpdate.objects.create(
        commitment=commitment, author=analyst, as_of="2026-11-20", status="in_progress",
        progress_value=12500, summary="12,500 skilled professionals placed in Japan so far",
    )
    source, _ = Source.objects.get_or_create(
        url="https://example.org/mea-placements-2026-11",
        defaults=dict(title="Placement report November 2026", added_by=analyst,
                      publisher="Ministry of External Affairs"),
    )
    update.sources.add(source)
update.submit(by=analyst)
update.publish(by=editor)
"""


@contextmanager
def demo_site():
    """Build the throwaway database, tell the story, serve it; yield (site URL, story ids)
    and stop the server (and remove the database) afterwards."""
    with tempfile.TemporaryDirectory(prefix="tracker-screenshots-") as tmp:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{Path(tmp) / 'db.sqlite3'}",
            "DEBUG": "1",
            "PUBLIC_CACHE_SECONDS": "0",
            # The import pictures: the check and the apply run in the request, no worker.
            "TASKS_BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
            "PYTHONUNBUFFERED": "1",
        }
        env.pop("REDIS_URL", None)  # a throwaway site: keep its pages out of any shared cache
        print(f"Database: {env['DATABASE_URL']}")
        manage(env, "migrate", "--noinput")
        manage(env, "load_demo")
        story = subprocess.run(
            [sys.executable, __file__, "--story"],
            cwd=ROOT,
            env=env,
            check=False,
            capture_output=True,
            text=True,
        )
        if story.returncode != 0:
            sys.exit(f"adding the story failed:\n{story.stdout}{story.stderr}")
        ids = json.loads(story.stdout.strip().splitlines()[-1])

        port = free_port()
        site = f"http://127.0.0.1:{port}"
        log_path = Path(tmp) / "server.log"
        SERVER_LOG.update(path=log_path, env=env)
        with open(log_path, "w") as log:
            server = subprocess.Popen(
                [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            try:
                if not wait_for(f"{site}/healthz", server):
                    log.flush()
                    sys.exit(f"the server did not start:\n{log_path.read_text()}")
                print(f"Server: {site} (pid {server.pid})")
                yield site, ids
            finally:
                server.terminate()
                try:
                    server.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()


def main(only: str | None = None) -> None:
    if not Path(CHROMIUM).exists():
        sys.exit(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium, or CHROMIUM_PATH")
    started = time.monotonic()
    OUT.mkdir(parents=True, exist_ok=True)
    with demo_site() as (site, ids):
        print(f"Writing {OUT.relative_to(ROOT)}/:")
        take_pictures(site, ids, only)
        if only is None:
            report_picture(site)
    print(f"Done in {time.monotonic() - started:.0f} s.")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--story", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--only",
        choices=["imports", "following"],
        help="make only these pictures (imports: the updates import's pages; following: the "
        "follow page and the e-mails as received)",
    )
    arguments = parser.parse_args()
    if arguments.story:
        story_main()
    else:
        main(arguments.only)
