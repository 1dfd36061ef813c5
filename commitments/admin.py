"""The editors' workshop. Workflow steps (submit, publish, reject) go through the model methods."""

from functools import cached_property

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.views.main import ERROR_FLAG
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from simple_history.admin import SimpleHistoryAdmin

from commitments import admin_imports, rules
from commitments.forms import EditConflict, VersionCheckedForm, is_id
from commitments.languages import OTHER_LANGUAGES, TRANSLATED_FIELDS, TranslationOrigin
from commitments.models import (
    Commitment,
    CommitmentParty,
    Conversion,
    Event,
    Party,
    Sector,
    Source,
    StatusUpdate,
    User,
)
from commitments.rules import Action
from commitments.templatetags.tracker import quantity


def status_badge(status: str, label: str):
    return format_html('<span class="status-badge status-{}">{}</span>', status, label)


class OverdueFilter(admin.SimpleListFilter):
    title = "deadline"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", "Overdue"), ("no", "Not overdue")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.overdue()
        if self.value() == "no":
            return queryset.exclude(pk__in=queryset.overdue().values("pk"))
        return queryset


# Editors translate content here, one collapsed section per language (the admin itself stays
# in English). Which fields are translated is commitments/languages.py's TRANSLATED_FIELDS.
LANGUAGE_TITLES = {"ja": "Japanese", "hi": "Hindi"}


def translation_fields(model, code: str) -> list[str]:
    """The ``<field>_<code>`` columns of `model` and their origin, in the form's order."""
    return [
        *(f"{name}_{code}" for name in TRANSLATED_FIELDS[model._meta.model_name]),
        f"translation_{code}",
    ]


def _has_text(cleaned: dict, model, code: str) -> bool:
    return any(
        (cleaned.get(f"{name}_{code}") or "").strip()
        for name in TRANSLATED_FIELDS[model._meta.model_name]
    )


class TranslationOriginsForm:
    """A translation says where it comes from, and nothing says it for no text."""

    def clean(self):
        cleaned = super().clean()
        model = self._meta.model
        for code in OTHER_LANGUAGES:
            origin = f"translation_{code}"
            if origin not in self.fields:
                continue
            if not _has_text(cleaned, model, code):
                cleaned[origin] = ""
            elif not cleaned.get(origin):
                self.add_error(
                    origin,
                    f"Say what the {LANGUAGE_TITLES[code]} text is: the source's own "
                    "wording or a translation.",
                )
        return cleaned


class TranslatedContentForm(TranslationOriginsForm, forms.ModelForm):
    pass


def translation_filter(code: str) -> type[admin.SimpleListFilter]:
    """ "Japanese text" / "Hindi text": by origin, or missing (the main field untranslated),
    so editors find what is left to translate."""

    class TranslationFilter(admin.SimpleListFilter):
        title = f"{LANGUAGE_TITLES[code]} text"
        parameter_name = f"{code}_text"

        def lookups(self, request, model_admin):
            return [("missing", "Missing"), *TranslationOrigin.choices]

        def queryset(self, request, queryset):
            value = self.value()
            main = TRANSLATED_FIELDS[queryset.model._meta.model_name][0]
            if value == "missing":
                return queryset.filter(**{f"{main}_{code}": ""})
            if value in TranslationOrigin.values:
                return queryset.filter(**{f"translation_{code}": value})
            return queryset

    TranslationFilter.__name__ = f"{code.capitalize()}TextFilter"
    return TranslationFilter


TRANSLATION_FILTERS = [translation_filter(code) for code in OTHER_LANGUAGES]


class TranslatedContentAdmin:
    """Adds a collapsed "Japanese" and "Hindi" section to the change form, and the
    translation filters to the changelist."""

    def get_fieldsets(self, request, obj=None):
        by_language = {code: translation_fields(self.model, code) for code in OTHER_LANGUAGES}
        taken = {name for names in by_language.values() for name in names}

        def untaken(fields):
            kept = []
            for field in fields:
                if isinstance(field, (list, tuple)):
                    field = tuple(name for name in field if name not in taken)
                    if field:
                        kept.append(field)
                elif field not in taken:
                    kept.append(field)
            return kept

        fieldsets = [
            (title, {**options, "fields": untaken(options["fields"])})
            for title, options in super().get_fieldsets(request, obj)
        ]
        return [
            *fieldsets,
            *(
                (LANGUAGE_TITLES[code], {"classes": ["collapse"], "fields": names})
                for code, names in by_language.items()
            ),
        ]

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), *TRANSLATION_FILTERS]


class CommitmentPartyInline(admin.TabularInline):
    model = CommitmentParty
    fields = ["party", "role", "contribution", "position"]
    autocomplete_fields = ["party"]
    extra = 0


class StatusUpdateInline(admin.TabularInline):
    """The commitment's updates, read only: an update is changed on its own page (or the
    site's), where commitments/rules.py decides who may do what."""

    model = StatusUpdate
    fields = ["as_of", "status", "progress_value", "summary", "state", "kind", "author"]
    readonly_fields = fields
    ordering = ["-as_of", "-pk"]
    show_change_link = True
    extra = 0
    max_num = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user).select_related("author")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyHistoryMixin:
    """History is a record, not a way back: no revert (it would bypass review), and a
    malformed history address is a 404, not an error. Also: a changelist address with an
    impossible date (`?as_of__year=99999999999`) is answered like any bad filter."""

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except OverflowError:
            return HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST":
            request.POST = self._without_bad_ids(request)
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except EditConflict:  # a save slipped in between the form's check and this save
            self.message_user(
                request,
                "Someone else saved this at the same moment, so your change was not saved. "
                "Their version is shown now: make your change again.",
                messages.ERROR,
            )
            return HttpResponseRedirect(request.get_full_path())

    def _without_bad_ids(self, request):
        """A related object is chosen by id: anything else ("²", thirty digits) is dropped
        before the form sees it, so the form says the choice is missing instead of the
        database raising (and the widget re-rendering the value raising again)."""
        models = [self.model, *(inline.model for inline in self.get_inline_instances(request))]
        relations = {
            field.name
            for model in models
            for field in model._meta.get_fields()
            if field.is_relation and (field.many_to_one or field.many_to_many) and field.editable
        }
        data = request.POST.copy()
        for key in list(data):
            if key.rsplit("-", 1)[-1] in relations:
                data.setlist(key, [v for v in data.getlist(key) if v == "" or is_id(v)])
        return data

    def history_view(self, request, object_id, extra_context=None):
        if not str(object_id).isdigit():
            raise Http404("No such object.")
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not str(object_id).isdigit() or not str(version_id).isdigit():
            raise Http404("No such version.")
        if request.method != "GET":
            raise PermissionDenied(
                "Reverting from history is turned off: change the record through its form."
            )
        obj = self.get_object(request, object_id)
        if (
            obj is None
            and not self.model.history.filter(id=object_id, history_id=version_id).exists()
        ):
            raise Http404("No such version.")
        if obj is not None and not self.has_view_permission(request, obj):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None):
        return True


class CommitmentAdminForm(TranslationOriginsForm, VersionCheckedForm):
    class Meta:
        model = Commitment
        fields = "__all__"


@admin.register(Commitment)
class CommitmentAdmin(TranslatedContentAdmin, ReadOnlyHistoryMixin, SimpleHistoryAdmin):
    form = CommitmentAdminForm
    list_display = [
        "title",
        "status",
        "progress",
        "sector",
        "parties_display",
        "deadline_display",
        "last_update",
    ]
    list_filter = [
        "current_status",
        OverdueFilter,
        "sector",
        "event",
        ("parties", admin.RelatedOnlyFieldListFilter),
        "target_unit",
    ]
    search_fields = ["title", "summary", "slug", "description"]
    autocomplete_fields = ["parent", "event"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "announced_on"
    list_select_related = ["sector", "latest_update"]
    # Big tables: a page of 50, and no second COUNT(*) of the whole table for "N total".
    list_per_page = 50
    show_full_result_count = False
    readonly_fields = [
        "current_status_display",
        "latest_update_link",
        "progress_display",
        "description_preview",
    ]
    inlines = [CommitmentPartyInline, StatusUpdateInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "summary",
                    "description",
                    "description_preview",
                    "loaded_version",
                ]
            },
        ),
        ("Where it belongs", {"fields": ["sector", "event", "parent"]}),
        ("When", {"fields": ["announced_on", ("deadline", "deadline_precision")]}),
        (
            "Measurable target",
            {
                "fields": [
                    ("target_value", "target_unit", "target_unit_label"),
                    "baseline_value",
                    "target_wording",
                    "counts_toward_parent",
                    "dashboard_position",
                ]
            },
        ),
        (
            "Current status",
            {"fields": ["current_status_display", "latest_update_link", "progress_display"]},
        ),
    ]

    change_list_template = "admin/commitments/commitment/change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("commitment_parties__party")

    def get_urls(self):
        """The import pages (commitments/admin_imports.py) before the model's own."""
        return [*admin_imports.urls(self), *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_import_commitments": admin_imports.can_import(request.user),
        }
        return super().changelist_view(request, extra_context)

    @admin.display(description="status", ordering="current_status")
    def status(self, obj):
        if not obj.current_status:
            return "—"
        label = status_badge(obj.current_status, obj.get_current_status_display())
        if obj.is_overdue:
            return format_html("{} <strong>overdue</strong>", label)
        return label

    @admin.display(description="progress", ordering="progress_percent")
    def progress(self, obj):
        """The percent every public surface shows (commitments/standing.py)."""
        percent = obj.progress_percent_display
        return "—" if percent is None else f"{percent} %"

    @admin.display(description="progress")
    def progress_display(self, obj):
        if obj.effective_progress is None:
            return "No progress figure published yet."
        text = f"{quantity(obj.effective_progress)} {obj.unit_label}"
        if obj.progress_from_parts:
            text += " (the sum of its parts)"
        if obj.progress_percent_display is not None:
            text += f", {obj.progress_percent_display} % of the target"
        return text

    @admin.display(description="parties")
    def parties_display(self, obj):
        return obj.party_pairs()

    @admin.display(description="deadline", ordering="deadline")
    def deadline_display(self, obj):
        return obj.deadline_label or "—"

    @admin.display(description="last update", ordering="last_update_on")
    def last_update(self, obj):
        return obj.last_update_on or "—"

    @admin.display(description="current status")
    def current_status_display(self, obj):
        if not obj.current_status:
            return "No published update yet."
        return f"{obj.get_current_status_display()}: {obj.status_definition}"

    @admin.display(description="latest published update")
    def latest_update_link(self, obj):
        if not obj.latest_update_id:
            return "—"
        url = reverse("admin:commitments_statusupdate_change", args=[obj.latest_update_id])
        return format_html('<a href="{}">{}</a>', url, obj.latest_update)

    @admin.display(description="description, as readers see it")
    def description_preview(self, obj):
        return obj.description_html or "—"

    def has_delete_permission(self, request, obj=None):
        """A commitment the public has seen is never deleted: its record stays."""
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or obj.latest_update_id is None)

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        public = [f"{obj} — public: never deleted" for obj in objs if obj.latest_update_id]
        return deleted, counts, perms_needed, [*protected, *public]


class StatusUpdateAdminForm(TranslationOriginsForm, VersionCheckedForm):
    class Meta:
        model = StatusUpdate
        fields = ["commitment", "as_of", "status", "progress_value", "summary", "body", "sources"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # An update's translation is reviewed when an editor publishes it
        # (StatusUpdate.publish): nobody marks their own draft's text "reviewed".
        for code in OTHER_LANGUAGES:
            field = self.fields.get(f"translation_{code}")
            if field is not None:
                kept = {"", TranslationOrigin.SOURCE, TranslationOrigin.UNREVIEWED}
                field.choices = [choice for choice in field.choices if choice[0] in kept]

    def clean(self):
        cleaned = super().clean()
        if self.instance.is_revision and not self.instance.correction_note:
            raise ValidationError("Open corrections and retractions on the site.")
        return cleaned


class RejectForm(forms.Form):
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text="The authors see this: say what to change.",
    )


class CappedCountPaginator(Paginator):
    """Counts at most COUNT_CAP rows (a COUNT over a LIMIT subquery): a changelist of a
    hundred thousand updates does not count them all on every page. Past the cap the page
    says "more than 1000" and offers the first 20 pages; filters and search narrow it."""

    COUNT_CAP = 1_000

    @cached_property
    def count(self):
        return self.object_list[: self.COUNT_CAP + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.COUNT_CAP


@admin.register(StatusUpdate)
class StatusUpdateAdmin(TranslatedContentAdmin, ReadOnlyHistoryMixin, SimpleHistoryAdmin):
    """Every permission here is asked of commitments/rules.py, object by object: the admin
    can do nothing the site forbids. Another person's draft is not listed at all."""

    form = StatusUpdateAdminForm
    list_display = [
        "summary",
        "commitment",
        "as_of",
        "status_display",
        "progress_value",
        "state",
        "kind",
        "author",
        "reviewer",
        "reviewed_at",
    ]
    list_filter = ["state", "kind", "status", "commitment__sector", "as_of"]
    search_fields = ["summary", "body", "commitment__title"]
    autocomplete_fields = ["commitment", "sources"]
    # No date_hierarchy: it reads every row on each load (the "as_of" filter stays).
    # No joins either: the page's commitments and people are fetched for its 50 rows
    # (get_queryset). Joined, PostgreSQL joined every visible update before sorting them
    # (131 ms against 52 ms for 100,000 updates; docs/benchmarks.md).
    list_select_related = []
    list_per_page = 25  # as the public list: a page an editor reads, not a dump
    show_full_result_count = False
    paginator = CappedCountPaginator
    readonly_fields = [
        "state",
        "kind",
        "corrects",
        "correction_note",
        "author",
        "submitted_at",
        "reviewer",
        "reviewed_at",
        "review_comment",
        "body_preview",
    ]
    fieldsets = [
        (None, {"fields": ["commitment", "as_of", "status", "progress_value", "loaded_version"]}),
        ("What happened", {"fields": ["summary", "body", "body_preview", "sources"]}),
        (
            "Review",
            {
                "fields": [
                    "state",
                    "kind",
                    "corrects",
                    "correction_note",
                    "author",
                    "submitted_at",
                    "reviewer",
                    "reviewed_at",
                    "review_comment",
                ]
            },
        ),
    ]
    actions = ["submit_for_review", "publish_updates", "reject_updates"]

    def action_checkbox(self, obj):
        """Django's own checkbox, written directly: rendering its widget template took about
        a fifth of the page's time (50 rows)."""
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            format_html(gettext("Select this object for an action - {}"), str(obj)),
        )

    @admin.display(description="status", ordering="status")
    def status_display(self, obj):
        return status_badge(obj.status, obj.get_status_display())

    @admin.display(description="body, as readers see it")
    def body_preview(self, obj):
        return obj.body_html or "—"

    def get_queryset(self, request):
        queryset = super().get_queryset(request).visible_to(request.user)
        return queryset.prefetch_related("commitment", "author", "reviewer")

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        """Another person's update: its history from when it left their drafts, so the
        wording of their drafts never shows as a "before"."""
        records = super().get_history_queryset(request, history_manager, pk_name, object_id)
        author = StatusUpdate.objects.filter(pk=object_id).values_list("author_id", flat=True)
        if author.first() != request.user.pk:
            records = records.exclude(state=StatusUpdate.State.DRAFT)
        return records

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or rules.can(request.user, Action.VIEW, obj))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or rules.can(request.user, Action.EDIT, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or rules.can(request.user, Action.DELETE, obj))

    def has_publish_permission(self, request):
        return rules.is_editor(request.user)

    def get_deleted_objects(self, objs, request):
        """ "Delete selected" asks the rules for each update: the others are listed as
        protected and nothing is deleted."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        refused = [
            f"{obj} — {rules.decide(request.user, Action.DELETE, obj)}"
            for obj in objs
            if not rules.can(request.user, Action.DELETE, obj)
        ]
        return deleted, counts, perms_needed, [*protected, *refused]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.author = request.user
        else:
            rules.require(request.user, Action.EDIT, obj)
        try:
            super().save_model(request, obj, form, change)
        except ValidationError as error:  # the model's last word (e.g. published meanwhile)
            raise PermissionDenied(" ".join(error.messages)) from error

    def delete_model(self, request, obj):
        rules.require(request.user, Action.DELETE, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for update in queryset:
            rules.require(request.user, Action.DELETE, update)
        super().delete_queryset(request, queryset)

    def _apply(self, request, queryset, action, step, done):
        count = 0
        for update in queryset.select_related("commitment"):
            reason = rules.decide(request.user, action, update)
            try:
                if reason is not None:
                    raise ValidationError(reason)
                step(update)
            except ValidationError as error:
                self.message_user(
                    request, f"“{update}”: {' '.join(error.messages)}", messages.ERROR
                )
            else:
                count += 1
        if count:
            self.message_user(request, f"{count} update(s) {done}.", messages.SUCCESS)

    @admin.action(description="Submit selected updates for review")
    def submit_for_review(self, request, queryset):
        self._apply(
            request,
            queryset,
            Action.SUBMIT,
            lambda update: update.submit(by=request.user),
            "submitted for review",
        )

    def _reviewed_versions(self, request) -> dict[int, int]:
        """{pk: version} as shown on the confirmation page the editor read."""
        versions = {}
        for key, value in request.POST.items():
            if key.startswith("version-") and is_id(key[8:]) and is_id(value):
                versions[int(key[8:])] = int(value)
        return versions

    def _confirm(self, request, queryset, title, form=None, action="publish_updates"):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            "queryset": queryset.select_related("commitment", "author").prefetch_related("sources"),
            "form": form,
            "action": action,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/commitments/statusupdate/review.html", context)

    @admin.action(description="Publish selected updates…", permissions=["publish"])
    def publish_updates(self, request, queryset):
        """Shows what will be published first; publishes only the versions shown."""
        if "apply" not in request.POST:
            return self._confirm(request, queryset, "Publish updates")
        versions = self._reviewed_versions(request)
        self._apply(
            request,
            queryset,
            Action.PUBLISH,
            lambda update: update.publish(request.user, version=versions.get(update.pk, -1)),
            "published",
        )
        return None

    @admin.action(description="Reject selected updates…", permissions=["publish"])
    def reject_updates(self, request, queryset):
        form = RejectForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            comment = form.cleaned_data["comment"]
            versions = self._reviewed_versions(request)
            self._apply(
                request,
                queryset,
                Action.REJECT,
                lambda update: update.reject(
                    request.user, comment, version=versions.get(update.pk, -1)
                ),
                "rejected",
            )
            return None
        return self._confirm(request, queryset, "Reject updates", form, "reject_updates")


class ConversionInline(admin.TabularInline):
    model = Conversion
    extra = 0
    verbose_name = "exchange rate stated by this source"
    verbose_name_plural = "exchange rates stated by this source"

    # What a publicly cited source states is on the record: read-only, like the source.
    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not _on_record(obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not _on_record(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not _on_record(obj)


def _on_record(source) -> bool:
    return source is not None and source.pk is not None and source.is_cited_publicly()


@admin.register(Source)
class SourceAdmin(ReadOnlyHistoryMixin, SimpleHistoryAdmin):
    inlines = [ConversionInline]
    list_display = ["title", "publisher", "kind", "published_on", "link", "added_by"]
    list_filter = ["kind", "published_on"]
    search_fields = ["title", "url", "publisher"]
    # No date_hierarchy: it reads every row on each load (the "published_on" filter stays).
    list_select_related = ["added_by"]
    list_per_page = 50
    show_full_result_count = False
    readonly_fields = ["added_by", "created_at"]

    @admin.display(description="URL")
    def link(self, obj):
        if not obj.url:
            return "—"
        return format_html('<a href="{}" rel="noopener noreferrer">{}</a>', obj.url, obj.url)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.added_by = request.user
        super().save_model(request, obj, form, change)

    # What one editor may still change on a source the public has seen: adding an archived
    # copy when the original goes dead, or the date it was last checked.
    CURATION_FIELDS = ("archive_url", "accessed_on")

    def get_queryset(self, request):
        """Sources the editor may see: public evidence, their own, those cited by updates
        they may see, and those from the seed data. Not the sources of others' drafts."""
        citations = StatusUpdate.sources.through.objects.filter(source=OuterRef("pk"))
        cited_visibly = citations.filter(
            statusupdate__in=StatusUpdate.objects.visible_to(request.user)
        )
        # Exists, not joins: no DISTINCT over the whole table (4 s to 0.2 s on 100,000 updates).
        return (
            super()
            .get_queryset(request)
            .filter(
                Exists(cited_visibly)
                | Q(added_by=request.user)
                | (Q(added_by__isnull=True) & ~Exists(citations))
            )
        )

    def get_readonly_fields(self, request, obj=None):
        """A source cited by a published update is evidence on the record: what it says it
        is (title, URL, publisher, dates) changes only through a correction."""
        readonly = list(super().get_readonly_fields(request, obj))
        if _on_record(obj):
            readonly += [
                field.name
                for field in Source._meta.fields
                if field.editable and field.name not in self.CURATION_FIELDS
            ]
        return readonly

    def has_delete_permission(self, request, obj=None):
        """A source cited by a published update is evidence on the record: never deleted."""
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or not obj.is_cited_publicly())

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        cited = [f"{obj} — cited by a published update" for obj in objs if obj.is_cited_publicly()]
        return deleted, counts, perms_needed, [*protected, *cited]


@admin.register(Party)
class PartyAdmin(TranslatedContentAdmin, ReadOnlyHistoryMixin, SimpleHistoryAdmin):
    form = TranslatedContentForm
    list_display = ["name", "short_name", "kind", "country"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "short_name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Sector)
class SectorAdmin(TranslatedContentAdmin, ReadOnlyHistoryMixin, SimpleHistoryAdmin):
    form = TranslatedContentForm
    list_display = ["name", "position", "commitment_count"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(num_commitments=Count("commitments"))

    @admin.display(description="commitments", ordering="num_commitments")
    def commitment_count(self, obj):
        return obj.num_commitments


@admin.register(Event)
class EventAdmin(TranslatedContentAdmin, ReadOnlyHistoryMixin, SimpleHistoryAdmin):
    form = TranslatedContentForm
    list_display = ["name", "location", "starts_on", "ends_on"]
    search_fields = ["name", "location"]
    prepopulated_fields = {"slug": ["name"]}
    date_hierarchy = "starts_on"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "email", "role", "is_active", "last_login"]
    list_filter = ["groups", "is_superuser", "is_active"]
    # Admin access follows the role (Editor group or superuser), so "staff status" is not
    # offered: it would have no effect.
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("Personal info", {"fields": ["first_name", "last_name", "email"]}),
        (
            "Role",
            {
                "fields": ["is_active", "groups", "is_superuser"],
                "description": "Analyst: logs updates. Editor: reviews, publishes and uses "
                "this admin. Superuser: everything.",
            },
        ),
        ("Important dates", {"fields": ["last_login", "date_joined"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description="role")
    def role(self, obj):
        return obj.role or "—"
