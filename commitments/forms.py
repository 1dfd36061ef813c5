"""Forms validate and normalise; views save."""

import datetime

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import transaction
from django.db.models import F, Q
from django.forms.utils import ErrorDict
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commitments.languages import OTHER_LANGUAGES, TranslationOrigin, short_code, translated
from commitments.models import TRANSLATED_CONTENT, Source, StatusUpdate
from commitments.numbers import INTERNATIONAL, format_amount, plain_digits

CONFLICT_MESSAGE = gettext_lazy(
    "Someone else saved a change to this %(name)s after you opened it. Their version is shown "
    "below and your changes are still in the form: check them against it, then save again."
)


class SaysItOnce:
    """A form that reports each error once per field: a model's clean() and a field's
    validator can find the same fault ("cannot be negative") and both say so."""

    def add_error(self, field, error):
        if not isinstance(error, ValidationError):
            error = ValidationError(error)
        if hasattr(error, "error_dict"):
            by_field = error.error_dict
        else:
            by_field = {field or NON_FIELD_ERRORS: error.error_list}
        fresh = {}
        for name, error_list in by_field.items():
            said = set()
            if self._errors and name in self._errors:
                said = {" ".join(e.messages) for e in self._errors[name].as_data()}
            kept = []
            for item in error_list:
                text = " ".join(item.messages)
                if text not in said:
                    said.add(text)
                    kept.append(item)
            if kept:
                fresh[name] = kept
        if fresh:
            super().add_error(None, ValidationError(fresh))


class EditConflict(Exception):
    """The row changed between validation and saving."""


class VersionCheckedForm(SaysItOnce, forms.ModelForm):
    """No lost edits: a save is refused when the row changed since the form was opened.

    The form carries the version it was opened at; on a conflict it shows the newer values
    (`self.newer`) and takes the new version, so saving again overwrites knowingly.
    """

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.newer = None
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            model = type(self.instance)
            rows = model.objects.all()
            if transaction.get_connection().in_atomic_block:
                # The admin validates and saves in one transaction: hold the row from this
                # check to the save, so nobody can slip a save in between.
                rows = rows.select_for_update()
            current = rows.get(pk=self.instance.pk)
            if cleaned.get("loaded_version") != current.version:
                self.newer = current
                self.data = self.data.copy()
                self.data[self.add_prefix("loaded_version")] = current.version
                raise ValidationError(
                    [
                        ValidationError(
                            CONFLICT_MESSAGE % {"name": model._meta.verbose_name},
                            code="conflict",
                        ),
                        *self._newer_values(current, cleaned),
                    ]
                )
        return cleaned

    def _newer_values(self, current, cleaned):
        """One line per field where the saved version differs from what was submitted."""
        lines = []
        model_fields = {f.name for f in current._meta.get_fields()}
        for name in self._meta.fields or []:
            if name not in cleaned or name not in self.fields or name not in model_fields:
                continue
            saved = getattr(current, name)
            if hasattr(saved, "all"):
                continue
            if saved != cleaned[name]:
                label = self.fields[name].label or name
                shown = saved if saved not in (None, "") else _("(empty)")
                lines.append(
                    ValidationError(
                        _("Now saved — %(label)s: %(value)s") % {"label": label, "value": shown}
                    )
                )
        return lines

    def save(self, commit=True):
        if self.instance.pk:
            with transaction.atomic():
                bumped = (
                    type(self.instance)
                    .objects.filter(
                        pk=self.instance.pk, version=self.cleaned_data["loaded_version"]
                    )
                    .update(version=F("version") + 1)
                )
                if not bumped:
                    raise EditConflict
                self.instance.version = self.cleaned_data["loaded_version"] + 1
                return super().save(commit)
        return super().save(commit)


def is_id(value) -> bool:
    """A row id as a form sends it: ASCII digits, small enough for the database ("²", "9" *
    5000 or -1e20 made SQLite and PostgreSQL raise, a 500, rather than "not a choice")."""
    return isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 18


class IdChoiceField(forms.ModelMultipleChoiceField):
    """Choices by id, where anything but an id is an invalid choice (not a database error)."""

    def clean(self, value):
        for pk in value if isinstance(value, (list, tuple)) else ():
            if not is_id(pk):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super().clean(value)


class StatusUpdateForm(VersionCheckedForm):
    """An analyst's update: what happened, as of when, and the evidence for it."""

    existing_sources = IdChoiceField(
        queryset=Source.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("Sources already on record"),
    )
    source_query = forms.CharField(
        required=False,
        max_length=200,
        label=gettext_lazy("Find a source by title or URL"),
        widget=forms.TextInput(attrs={"type": "search"}),
    )

    # Where an analyst's Japanese or Hindi text comes from. "Reviewed" is not theirs to say:
    # an editor's review at publication makes a translation reviewed (StatusUpdate.publish).
    ORIGIN_CHOICES = [
        (TranslationOrigin.UNREVIEWED, gettext_lazy("A translation")),
        (TranslationOrigin.SOURCE, gettext_lazy("The source's own wording")),
    ]
    translation_ja = forms.ChoiceField(
        choices=ORIGIN_CHOICES, required=False, label=gettext_lazy("The Japanese text is")
    )
    translation_hi = forms.ChoiceField(
        choices=ORIGIN_CHOICES, required=False, label=gettext_lazy("The Hindi text is")
    )
    BODY_WITHOUT_SUMMARY = {
        "ja": gettext_lazy(
            "Give the Japanese summary too: Japanese readers see the details under it."
        ),
        "hi": gettext_lazy("Give the Hindi summary too: Hindi readers see the details under it."),
    }

    # The missing-source error is about the whole Sources section, not only the ticked ones.
    summary_labels = {"existing_sources": gettext_lazy("Sources")}
    # In the order the page shows them, so the error summary reads top to bottom.
    field_order = [
        "correction_note",
        "as_of",
        "status",
        "progress_value",
        "summary",
        "body",
        *TRANSLATED_CONTENT,
        "source_query",
        "existing_sources",
    ]

    class Meta:
        model = StatusUpdate
        fields = [
            "as_of",
            "status",
            "progress_value",
            "summary",
            "body",
            "correction_note",
            # The update's Japanese and Hindi texts, reviewed with it (models.py).
            *TRANSLATED_CONTENT,
        ]
        widgets = {
            "as_of": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "body": forms.Textarea(attrs={"rows": 8}),
            "correction_note": forms.Textarea(attrs={"rows": 2}),
            # The translations are written in their own language: the browser and screen
            # readers are told which.
            "summary_ja": forms.TextInput(attrs={"lang": "ja"}),
            "body_ja": forms.Textarea(attrs={"rows": 6, "lang": "ja"}),
            "summary_hi": forms.TextInput(attrs={"lang": "hi"}),
            "body_hi": forms.Textarea(attrs={"rows": 6, "lang": "hi"}),
        }
        labels = {
            # The others are the model's own labels (commitments/models.py).
            "as_of": gettext_lazy("As of"),
            "status": gettext_lazy("Status"),
            "summary": gettext_lazy("Summary"),
            "body": gettext_lazy("Details (Markdown)"),
            "summary_ja": gettext_lazy("Summary in Japanese"),
            "body_ja": gettext_lazy("Details in Japanese (Markdown)"),
            "summary_hi": gettext_lazy("Summary in Hindi"),
            "body_hi": gettext_lazy("Details in Hindi (Markdown)"),
        }

    def __init__(self, *args, user, check=True, **kwargs):
        super().__init__(*args, **kwargs)
        # "Preview", "Find" and "Add another source" redisplay the form unchecked: its
        # problems are all reported together when it is saved or submitted.
        self.check = check
        commitment = self.instance.commitment
        if self.instance.is_revision:
            # A correction: what changed and why is shown to the public with it.
            self.fields["correction_note"].required = True
        else:
            del self.fields["correction_note"]
        if commitment.target_value is None:
            del self.fields["progress_value"]
            # Its target was cleared after this figure was written: the figure goes with it.
            self.instance.progress_value = None
        else:
            target = format_amount(
                commitment.target_value,
                commitment.target_unit,
                short_code(),
                INTERNATIONAL,
                commitment.target_unit_label,
            )
            # Built escaped: editors type the unit name (and templates escape help texts too).
            self.fields["progress_value"].help_text = format_html(
                _("Cumulative, in {unit} (target: {target}). Digits only, e.g. 42000."),
                unit=commitment.unit_name,
                target=target,
            )
        for code in OTHER_LANGUAGES:
            origin = getattr(self.instance, f"translation_{code}")
            # A reviewed translation being corrected is a translation to review again.
            self.initial[f"translation_{code}"] = (
                TranslationOrigin.SOURCE
                if origin == TranslationOrigin.SOURCE
                else TranslationOrigin.UNREVIEWED
            )
        self.fields["existing_sources"].queryset = self._source_choices(user)
        if not self.is_bound:
            self._set_defaults()

    def full_clean(self):
        if self.check:
            return super().full_clean()
        self._errors = ErrorDict(renderer=self.renderer)
        self.cleaned_data = {}

    def clean(self):
        cleaned = super().clean()
        for code in OTHER_LANGUAGES:
            summary = cleaned.get(f"summary_{code}", "")
            body = cleaned.get(f"body_{code}", "")
            origin = f"translation_{code}"
            if body and not summary and f"summary_{code}" not in self.errors:
                self.add_error(f"summary_{code}", self.BODY_WITHOUT_SUMMARY[code])
            if not (summary or body):
                # No text, no origin: "Empty while nothing is translated."
                cleaned[origin] = ""
            elif not cleaned.get(origin):
                # Text an analyst typed is their translation unless they say it is the
                # source's own wording; either way an editor reviews it.
                cleaned[origin] = TranslationOrigin.UNREVIEWED
        return cleaned

    def _set_defaults(self):
        """What an unsent form starts from: a new update the commitment's stored status and
        today; a stored figure as plain digits ("6000", not "6000.0000")."""
        if self.instance.pk:
            self.initial["existing_sources"] = list(self.instance.sources.all())
        elif not self.instance.is_revision:
            if not self.initial.get("status"):
                self.initial["status"] = self.instance.commitment.current_status or ""
            if not self.initial.get("as_of"):
                self.initial["as_of"] = timezone.localdate()
        if "progress_value" in self.fields and self.initial.get("progress_value") is not None:
            self.initial["progress_value"] = plain_digits(self.initial["progress_value"])

    def _source_choices(self, user):
        """Sources the analyst may cite: the public ones and their own, never others' drafts."""
        visible = Source.objects.visible_to(user)
        shown = Q(status_updates__commitment=self.instance.commitment)
        if self.instance.pk:
            shown |= Q(status_updates=self.instance)
        if self.is_bound:
            selected = [
                pk for pk in self.data.getlist(self.add_prefix("existing_sources")) if is_id(pk)
            ]
            shown |= Q(pk__in=selected)
            query = self.data.get(self.add_prefix("source_query"), "").strip()[:200]
            if query:
                matches = visible.filter(Q(title__icontains=query) | Q(url__icontains=query))
                shown |= Q(pk__in=matches.values("pk")[:20])
        return visible.filter(pk__in=Source.objects.filter(shown).values("pk")).order_by("title")

    @property
    def search_results_requested(self):
        return bool(self.is_bound and self.data.get(self.add_prefix("source_query"), "").strip())


class NewSourceForm(forms.ModelForm):
    class Meta:
        model = Source
        fields = ["title", "url", "publisher", "published_on", "archive_url", "kind"]
        widgets = {"published_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        labels = {
            "title": gettext_lazy("Title"),
            "publisher": gettext_lazy("Publisher"),
            "kind": gettext_lazy("Kind"),
        }

    # What makes a new-source block "filled in": its kind alone (a select that always has a
    # value) does not, so a block left empty is skipped, not checked.
    TYPED_FIELDS = ("title", "url", "publisher", "published_on", "archive_url")

    def __init__(self, *args, user=None, check=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.check = check  # as StatusUpdateForm's

    def full_clean(self):
        if self.check:
            return super().full_clean()
        self._errors = ErrorDict(renderer=self.renderer)
        self.cleaned_data = {}

    def has_changed(self):
        return any(name in self.changed_data for name in self.TYPED_FIELDS)

    def clean_url(self):
        url = self.cleaned_data["url"]
        existing = Source.objects.filter(url=url).first() if url else None
        if existing:
            if self.user is None or not Source.objects.visible_to(self.user).contains(existing):
                # Someone else's unpublished work cites it: say no more than that.
                raise ValidationError(
                    _(
                        "This URL is already on record for work not yet published; an editor "
                        "can help you cite it."
                    )
                )
            raise ValidationError(
                _(
                    "This URL is already on record as “%(title)s”: search for it under "
                    "“Sources already on record” and tick it instead."
                )
                % {"title": existing.title}
            )
        return url


NewSourceFormSet = forms.modelformset_factory(Source, form=NewSourceForm, extra=1, max_num=10)


class RejectForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("Why is it rejected?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("The author sees this comment: say what to change."),
    )


class RetractForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Why is it retracted?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Shown to the public with the retraction notice once an editor publishes it."
        ),
    )


# Dates the site accepts in reports and `?as_of=`: nothing is older (or that far ahead), and
# date arithmetic near the ends of the calendar (year 1, year 9999) overflows.
EARLIEST_DAY = datetime.date(1900, 1, 1)
LATEST_DAY = datetime.date(2999, 12, 31)


class TranslatedChoiceField(forms.ModelChoiceField):
    """A choice of sector, party or event, each named in the reader's language."""

    def label_from_instance(self, obj):
        return str(translated(obj, "name"))


class ReportForm(forms.Form):
    """The period and scope of a progress report (`from`, `to`, `sector`, `party`)."""

    FORMATS = ["html", "pdf", "xlsx", "csv", "json"]

    def __init__(self, *args, **kwargs):
        from commitments.models import Event, Party, Sector

        super().__init__(*args, **kwargs)
        date = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        bounds = [
            MinValueValidator(
                EARLIEST_DAY,
                _("Reports start in %(year)s at the earliest.") % {"year": EARLIEST_DAY.year},
            ),
            MaxValueValidator(
                LATEST_DAY,
                _("Reports end in %(year)s at the latest.") % {"year": LATEST_DAY.year},
            ),
        ]
        self.fields["from"] = forms.DateField(
            label=_("From"), widget=date, required=False, validators=bounds
        )
        self.fields["to"] = forms.DateField(
            label=_("To"), widget=date, required=False, validators=bounds
        )
        self.fields["sector"] = TranslatedChoiceField(
            Sector.objects.order_by("position", "name"),
            label=_("Sector"),
            to_field_name="slug",
            required=False,
            empty_label=_("All sectors"),
        )
        self.fields["party"] = TranslatedChoiceField(
            Party.objects.public().order_by("name"),
            label=_("Party"),
            to_field_name="slug",
            required=False,
            empty_label=_("All parties"),
        )
        self.fields["event"] = TranslatedChoiceField(
            Event.objects.filter(commitments__latest_update__isnull=False)
            .distinct()
            .order_by("-starts_on", "name"),
            label=_("Event"),
            to_field_name="slug",
            required=False,
            empty_label=_("All events"),
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and start > end:
            self.add_error("to", _("The end of the period must be on or after its start."))
        return cleaned
