"""The admin's commitments import: upload → preview (every row, problems first) → apply →
result. The work is the worker's (commitments/imports/batches.py, commitments/tasks.py); these
pages create the batch, start its check or apply, and show where it is, refreshing themselves
while a worker is at it.

Who: editors only (commitments/rules.py), the same check the planner makes again when it
applies. The admin's own door (commitments/admin_site.py: editors and superusers) comes
first: analysts and anonymous visitors are sent to sign in; anyone let in who is not an
editor by the rules is refused (403), should the two ever differ."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import translation
from django.views.decorators.http import require_safe

from commitments import rules
from commitments.forms_imports import SpreadsheetForm, clean_filename
from commitments.imports import batches
from commitments.imports.commitments import Planner
from commitments.models import ImportBatch

ROWS_PER_PAGE = 50
ORDER_PROBLEMS_FIRST = Case(
    When(action="error", then=Value(0)), default=Value(1), output_field=IntegerField()
)


class UploadForm(SpreadsheetForm):
    """The same file checks as the workspace's (size, kind), with the admin's help text."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            "A CSV (UTF-8) or Excel (.xlsx) file, one commitment a row: see the column "
            "reference in the docs, or download the template below."
        )


def urls(model_admin) -> list:
    """The import's addresses, under the Commitment admin (its get_urls adds them)."""
    wrap = model_admin.admin_site.admin_view
    return [
        path("import/", wrap(upload_view), name="commitments_commitment_import"),
        path(
            "import/template.csv",
            wrap(template_view),
            name="commitments_commitment_import_template",
        ),
        path(
            "import/<int:batch_id>/",
            wrap(batch_view),
            name="commitments_commitment_import_batch",
        ),
        path(
            "import/<int:batch_id>/apply/",
            wrap(apply_view),
            name="commitments_commitment_import_apply",
        ),
    ]


def can_import(user) -> bool:
    return rules.is_editor(user)


def _require_editor(request) -> None:
    if not can_import(request.user):
        raise PermissionDenied("Only editors import commitments.")


def _batch(request, batch_id) -> ImportBatch:
    """A commitments batch the person may see: editors see every one (another editor's
    batch can be reviewed and applied by a colleague, as anything in the admin)."""
    _require_editor(request)
    return get_object_or_404(
        ImportBatch.objects.defer("content"), pk=batch_id, kind=ImportBatch.Kind.COMMITMENTS
    )


def _context(request, title, **extra):
    from django.contrib import admin

    from commitments.models import Commitment

    return {
        **admin.site.each_context(request),
        "opts": Commitment._meta,
        "title": title,
        **extra,
    }


# The template's example row: a commitment of the seed data's kind (fixtures/imports/).
EXAMPLE_ROW = {
    "slug": "joint-lunar-sample-return",
    "title": "Joint lunar sample return mission",
    "summary": "ISRO and JAXA study a follow-on mission returning samples from the lunar pole.",
    "description": "",
    "sector": "space",
    "event": "",
    "parent": "",
    "parties": "isro:lead; jaxa:counterpart",
    "announced_on": "2026-10-15",
    "deadline": "2031-12-31",
    "deadline_precision": "year",
    "target_value": "",
    "target_unit": "",
    "target_unit_label": "",
    "baseline_value": "",
    "target_wording": "",
    "counts_toward_parent": "no",
    "url": "",
}


def template_csv() -> str:
    """The header every import reads, and one example row (UTF-8 with a BOM, as the exports)."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(Planner.columns)
    writer.writerow([EXAMPLE_ROW[name] for name in Planner.columns])
    return "\ufeff" + out.getvalue()


@require_safe
def template_view(request):
    _require_editor(request)
    response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="commitments-template.csv"'
    return response


def upload_view(request):
    _require_editor(request)
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            content = upload.read()
            with transaction.atomic():
                batch = ImportBatch.objects.create(
                    kind=ImportBatch.Kind.COMMITMENTS,
                    created_by=request.user,
                    # Problems are written in the uploader's language (the admin is English).
                    language=translation.get_language() or settings.LANGUAGE_CODE,
                    filename=clean_filename(upload.name),
                    checksum=hashlib.sha256(content).hexdigest(),
                    size=len(content),
                    content=content,
                )
                batches.start_check(batch)
            return HttpResponseRedirect(
                reverse("admin:commitments_commitment_import_batch", args=[batch.pk])
            )
    else:
        form = UploadForm()
    recent = ImportBatch.objects.defer("content").filter(kind=ImportBatch.Kind.COMMITMENTS)[:10]
    return TemplateResponse(
        request,
        "admin/commitments/commitment/import_upload.html",
        _context(
            request,
            "Import commitments",
            form=form,
            recent=recent,
            columns=Planner.columns,
            max_mb=settings.IMPORT_MAX_BYTES // (1024 * 1024),
            max_rows=settings.IMPORT_MAX_ROWS,
        ),
    )


def _waiting_for_worker(batch) -> str:
    """Said when a queued batch has waited a while (commitments/imports/batches.py)."""
    if batches.waiting_without_worker(batch):
        return "Waiting for a worker: is `manage.py worker` running?"
    if batches.waiting(batch):
        return "Waiting for a worker: the workers are busy with other tasks."
    return ""


@require_safe
def batch_view(request, batch_id):
    batch = _batch(request, batch_id)
    rows = batch.rows.order_by(ORDER_PROBLEMS_FIRST, "number")
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "admin/commitments/commitment/import_batch.html",
        _context(
            request,
            f"Import of {batch.filename}",
            batch=batch,
            page=page,
            waiting=_waiting_for_worker(batch),
            refresh=batch.is_working,
        ),
    )


def apply_view(request, batch_id):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    # An editor: the uploader or a colleague (an analyst's batch does not exist here).
    batch = _batch(request, batch_id)

    if batches.start_apply(batch, by=request.user):
        messages.info(request, "Applying: the page shows the result when the worker is done.")
    else:
        messages.error(
            request,
            "This import cannot be applied: it is "
            f"{batch.get_state_display().lower()}"
            + (" and has rows with problems" if batch.with_problems else "")
            + ".",
        )
    return HttpResponseRedirect(
        reverse("admin:commitments_commitment_import_batch", args=[batch.pk])
    )
