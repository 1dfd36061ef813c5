"""The analysts' updates import, from the workspace: upload a spreadsheet, see the preview,
import it (all or nothing) or cancel.

Who may do what:
- the upload page and its list of recent imports: analysts and editors (contributors), as
  every workspace page (anonymous → sign in, others → 403);
- a batch's page, its Import and Cancel buttons: only the person who uploaded it. Everyone
  else, editors and superusers included, gets 404: the rows are that analyst's unsubmitted
  work (they may become drafts, which nobody else sees, commitments/rules.py), and an import
  is confirmed by the one who knows the spreadsheet. Once imported, editors review the updates
  in the review queue like any other.

The work itself (check, apply) is in commitments/imports/batches.py, run by the worker; these
views only start it and show where it is. Nothing is written to the updates before the
uploader presses Import; then everything is, or nothing.
"""

import hashlib
import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from commitments import rules, throttle
from commitments.forms_imports import UpdatesImportForm, clean_filename, file_size
from commitments.imports.updates import COLUMNS as UPDATE_COLUMNS
from commitments.models import ImportBatch, ImportRow

logger = logging.getLogger("commitments.imports")

ROWS_PER_PAGE = 100
RECENT_IMPORTS = 20
REFRESH_SECONDS = 2
# A batch waiting this long with no worker alive: the page says so.
# The multipart envelope around the file (boundaries, the other fields): a request longer
# than the limit plus this is refused before its body is read.
UPLOAD_SLACK_BYTES = 64 * 1024
THROTTLE_GROUP = "import:upload"

State = ImportBatch.State


def _start_check(batch) -> None:
    from commitments.imports import batches

    batches.start_check(batch)


def _start_apply(batch, by) -> bool:
    from commitments.imports import batches

    return batches.start_apply(batch, by=by)


def _own_batches(user):
    return ImportBatch.objects.filter(kind=ImportBatch.Kind.UPDATES, created_by=user).defer(
        "content"
    )


def _get_own_batch(request, pk) -> ImportBatch:
    """The batch, if this user uploaded it; 404 for anyone else (see the module's doc)."""
    return get_object_or_404(_own_batches(request.user), pk=pk)


def _upload_page(request, form, status=200):
    limit = settings.IMPORT_MAX_BYTES
    return render(
        request,
        "imports/upload.html",
        {
            "form": form,
            "recent": list(_own_batches(request.user)[:RECENT_IMPORTS]),
            "max_size": file_size(limit),
            "max_rows": settings.IMPORT_MAX_ROWS,
            "columns": list(UPDATE_COLUMNS),
            "export_csv_url": reverse("commitments:import-export-csv"),
            "export_xlsx_url": reverse("commitments:import-export-xlsx"),
        },
        status=status,
    )


def _too_large(request):
    messages.error(
        request,
        _(
            "The file is larger than %(limit)s, the largest that can be imported. Split it "
            "into smaller files."
        )
        % {"limit": file_size(settings.IMPORT_MAX_BYTES)},
    )
    return _upload_page(request, UpdatesImportForm(), status=413)


def reads_own_body(view):
    """Nothing before the view reads the request's body: the CSRF check (done after the
    length check, in _receive_upload) and the NUL-byte guard (commitments/middleware.py)."""
    view = csrf_exempt(view)
    view.reads_own_body = True
    return view


@reads_own_body
@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@permission_required(rules.CONTRIBUTE_PERMISSION, raise_exception=True)
def upload(request):
    """The upload form and the analyst's recent imports; POST stores the file and starts
    its check, then on to the batch's page."""
    if request.method != "POST":
        return _upload_page(request, UpdatesImportForm())
    # Refused on the announced length, before the body is read (CSRF reads it otherwise).
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > settings.IMPORT_MAX_BYTES + UPLOAD_SLACK_BYTES:
        return _too_large(request)
    return _receive_upload(request)


@csrf_protect
def _receive_upload(request):
    wait = throttle.hit(
        request, THROTTLE_GROUP, settings.THROTTLE_RATE_HEAVY, value=f"user:{request.user.pk}"
    )
    if wait:
        return throttle.too_many(request, wait)
    form = UpdatesImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _upload_page(request, form)
    upload_file = form.cleaned_data["file"]
    digest = hashlib.sha256()
    chunks = []
    for chunk in upload_file.chunks():
        digest.update(chunk)
        chunks.append(chunk)
    content = b"".join(chunks)
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            kind=ImportBatch.Kind.UPDATES,
            created_by=request.user,
            language=translation.get_language() or settings.LANGUAGE_CODE,
            filename=clean_filename(upload_file.name),
            checksum=digest.hexdigest(),
            size=len(content),
            content=content,
            submit=form.as_submitted,
        )
        _start_check(batch)
    logger.info(
        "Import %s uploaded by %s: %s (%s bytes)",
        batch.pk,
        request.user,
        batch.filename,
        batch.size,
    )
    return redirect("commitments:import-batch", pk=batch.pk)


def _rows_page(batch, number):
    rows = (
        ImportRow.objects.filter(batch=batch)
        .annotate(
            problems_first=Case(
                When(action=ImportRow.Action.ERROR, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("problems_first", "number")
        .only("number", "action", "subject", "text", "problems", "notes")
    )
    return Paginator(rows, ROWS_PER_PAGE).get_page(number)


@require_safe
@login_required
@permission_required(rules.CONTRIBUTE_PERMISSION, raise_exception=True)
def batch_detail(request, pk):
    """Where the import is: its progress while the worker checks or applies it (the page
    reloads itself), then the preview (problem rows first, every problem in words), then
    what was imported."""
    batch = _get_own_batch(request, pk)
    show_rows = batch.state in (State.CHECKED, State.APPLIED)
    page = _rows_page(batch, request.GET.get("page")) if show_rows else None
    from commitments.imports import batches

    no_worker = batches.waiting_without_worker(batch)
    return render(
        request,
        "imports/batch.html",
        {
            "batch": batch,
            "page_obj": page,
            "rows": list(page.object_list) if page else [],
            "refresh": REFRESH_SECONDS if batch.is_working else None,
            "no_worker": no_worker,
            "can_cancel": batch.state in (State.QUEUED, State.CHECKED),
            "to_write": batch.to_create + batch.to_update,
            "is_editor": rules.is_editor(request.user),
        },
    )


@require_POST
@login_required
@permission_required(rules.CONTRIBUTE_PERMISSION, raise_exception=True)
def batch_apply(request, pk):
    """Import a checked batch without problems: queued for the worker, all or nothing.
    Pressed twice, it is queued once (the second press finds it queued or applied)."""
    batch = _get_own_batch(request, pk)
    # start_apply checks again, under a lock; this spares it the batches that cannot be.
    if batch.can_apply and _start_apply(batch, request.user):
        logger.info("Import %s confirmed by %s", batch.pk, request.user)
    else:
        batch.refresh_from_db(fields=["state"])
        if batch.state not in (State.APPLY_QUEUED, State.APPLYING, State.APPLIED):
            messages.error(
                request,
                _(
                    "This file cannot be imported as it is: fix the rows with problems in "
                    "your spreadsheet and upload it again."
                )
                if batch.with_problems
                else _("This import cannot be applied now (it is %(state)s).")
                % {"state": batch.get_state_display().lower()},
            )
    return redirect("commitments:import-batch", pk=batch.pk)


@require_POST
@login_required
@permission_required(rules.CONTRIBUTE_PERMISSION, raise_exception=True)
def batch_cancel(request, pk):
    """Drop an import that is waiting or checked: nothing is written, and it can no longer
    be applied."""
    batch = _get_own_batch(request, pk)
    cancelled = ImportBatch.objects.filter(
        pk=batch.pk, state__in=[State.QUEUED, State.CHECKED]
    ).update(state=State.CANCELLED, updated_at=timezone.now())
    if cancelled:
        messages.success(
            request,
            _("Import of “%(name)s” cancelled: nothing was imported.") % {"name": batch.filename},
        )
    else:
        batch.refresh_from_db(fields=["state"])
        if batch.state != State.CANCELLED:
            messages.error(
                request,
                _("This import can no longer be cancelled (it is %(state)s).")
                % {"state": batch.get_state_display().lower()},
            )
    return redirect("commitments:import-batch", pk=batch.pk)
