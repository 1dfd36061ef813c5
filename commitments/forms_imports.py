"""The upload forms of the imports: the analysts' updates (commitments/views/imports.py) and,
through SpreadsheetForm, the editors' commitments in the admin (commitments/admin_imports.py)."""

import os
import unicodedata

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

ACCEPTED_EXTENSIONS = (".csv", ".xlsx")
DRAFTS, SUBMITTED = "drafts", "submitted"


def file_size(size: int) -> str:
    """A byte count for a message, in the reader's language: "10.0 MB", "1.0 KB"."""
    return filesizeformat(size)


def clean_filename(name: str) -> str:
    """The file's own name, without any folder a browser sent (Windows paths too), control
    characters or surrounding spaces; at most 255 characters, its extension kept."""
    name = os.path.basename((name or "").replace("\\", "/"))
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    if len(name) > 255:
        stem, extension = os.path.splitext(name)
        name = stem[: 255 - len(extension)] + extension
    return name or "upload"


class SpreadsheetForm(forms.Form):
    """The file of any import (updates in the workspace, commitments in the admin): its size
    and kind checked the same way at every door, without reading it."""

    file = forms.FileField(
        label=_("Spreadsheet (CSV or XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
        error_messages={
            "required": _("Choose the spreadsheet to import."),
            "empty": _("The file is empty."),
            "invalid": _("No file was received: choose the spreadsheet again."),
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_BYTES
        # The size the upload already has on disk or in memory: the file is not read for it.
        if upload.size > limit:
            raise forms.ValidationError(
                _(
                    "The file is %(size)s: the largest file that can be imported is "
                    "%(limit)s. Split it into smaller files."
                ),
                params={"size": file_size(upload.size), "limit": file_size(limit)},
                code="too_large",
            )
        name = clean_filename(upload.name)
        if not name.lower().endswith(ACCEPTED_EXTENSIONS):
            raise forms.ValidationError(
                _(
                    "“%(name)s” is not a CSV or XLSX file. Save the spreadsheet as CSV "
                    "(UTF-8) or as an Excel workbook (.xlsx) and upload that."
                ),
                params={"name": name},
                code="extension",
            )
        return upload


class UpdatesImportForm(SpreadsheetForm):
    submit = forms.ChoiceField(
        label=_("Import the updates as"),
        choices=[
            (DRAFTS, _("Drafts (you check and submit each one yourself)")),
            (SUBMITTED, _("Submitted for review (an editor reviews each one)")),
        ],
        initial=DRAFTS,
        required=False,  # drafts unless asked
        widget=forms.RadioSelect,
    )

    @property
    def as_submitted(self) -> bool:
        return self.cleaned_data.get("submit") == SUBMITTED
