"""The editors' workshop. Workflow steps (submit, publish, reject) go through the model methods."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from commitments.forms import VersionCheckedForm
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


class CommitmentPartyInline(admin.TabularInline):
    model = CommitmentParty
    fields = ["party", "role", "contribution", "position"]
    autocomplete_fields = ["party"]
    extra = 0


class StatusUpdateInlineForm(VersionCheckedForm):
    class Meta:
        model = StatusUpdate
        fields = ["as_of", "status", "progress_value", "summary", "sources"]


class StatusUpdateInline(admin.TabularInline):
    model = StatusUpdate
    form = StatusUpdateInlineForm
    fields = [
        "as_of",
        "status",
        "progress_value",
        "summary",
        "sources",
        "state",
        "author",
        "loaded_version",
    ]
    readonly_fields = ["state", "author"]
    autocomplete_fields = ["sources"]
    ordering = ["-as_of", "-pk"]
    show_change_link = True
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")


class CommitmentAdminForm(VersionCheckedForm):
    class Meta:
        model = Commitment
        fields = "__all__"


@admin.register(Commitment)
class CommitmentAdmin(SimpleHistoryAdmin):
    form = CommitmentAdminForm
    list_display = [
        "title",
        "status",
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
    readonly_fields = ["current_status_display", "latest_update_link", "description_preview"]
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
                ]
            },
        ),
        ("Current status", {"fields": ["current_status_display", "latest_update_link"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("commitment_parties__party")

    @admin.display(description="status", ordering="current_status")
    def status(self, obj):
        if not obj.current_status:
            return "—"
        label = status_badge(obj.current_status, obj.get_current_status_display())
        if obj.is_overdue:
            return format_html("{} <strong>overdue</strong>", label)
        return label

    @admin.display(description="parties")
    def parties_display(self, obj):
        return obj.party_pairs()

    @admin.display(description="deadline", ordering="deadline")
    def deadline_display(self, obj):
        return obj.deadline_label or "—"

    @admin.display(description="last update", ordering="latest_update__as_of")
    def last_update(self, obj):
        return obj.latest_update.as_of if obj.latest_update else "—"

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

    def save_formset(self, request, form, formset, change):
        if formset.model is not StatusUpdate:
            return super().save_formset(request, form, formset, change)
        updates = formset.save(commit=False)
        for update in updates:
            if update.pk is None:
                update.author = request.user
            update.save()
        for update in formset.deleted_objects:
            update.delete()
        formset.save_m2m()
        # An edited or deleted published update may change the current status.
        form.instance.refresh_current_status()


class StatusUpdateAdminForm(VersionCheckedForm):
    class Meta:
        model = StatusUpdate
        fields = ["commitment", "as_of", "status", "progress_value", "summary", "body", "sources"]

    def clean(self):
        cleaned = super().clean()
        if self.instance.is_published and not cleaned.get("sources"):
            raise ValidationError("A published update must keep at least one source.")
        return cleaned


class RejectForm(forms.Form):
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text="The authors see this: say what to change.",
    )


@admin.register(StatusUpdate)
class StatusUpdateAdmin(SimpleHistoryAdmin):
    form = StatusUpdateAdminForm
    list_display = [
        "summary",
        "commitment",
        "as_of",
        "status_display",
        "progress_value",
        "state",
        "author",
        "reviewer",
        "reviewed_at",
    ]
    list_filter = ["state", "status", "commitment__sector", "as_of"]
    search_fields = ["summary", "body", "commitment__title"]
    autocomplete_fields = ["commitment", "sources"]
    date_hierarchy = "as_of"
    list_select_related = ["commitment", "author", "reviewer"]
    readonly_fields = [
        "state",
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

    @admin.display(description="status", ordering="status")
    def status_display(self, obj):
        return status_badge(obj.status, obj.get_status_display())

    @admin.display(description="body, as readers see it")
    def body_preview(self, obj):
        return obj.body_html or "—"

    def has_publish_permission(self, request):
        return request.user.has_perm("commitments.publish_statusupdate")

    def save_model(self, request, obj, form, change):
        moved_from = None
        if change and "commitment" in form.changed_data:
            moved_from = Commitment.objects.get(pk=form.initial["commitment"])
        if not change:
            obj.author = request.user
        super().save_model(request, obj, form, change)
        # Editing a published update (or moving it) may change a commitment's current status.
        if obj.is_published:
            obj.commitment.refresh_current_status()
        if moved_from:
            moved_from.refresh_current_status()

    def delete_model(self, request, obj):
        commitment = obj.commitment
        super().delete_model(request, obj)
        commitment.refresh_current_status()

    def delete_queryset(self, request, queryset):
        commitments = list(Commitment.objects.filter(updates__in=queryset).distinct())
        super().delete_queryset(request, queryset)
        for commitment in commitments:
            commitment.refresh_current_status()

    def _apply(self, request, queryset, step, done):
        count = 0
        for update in queryset.select_related("commitment"):
            try:
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
        self._apply(request, queryset, lambda update: update.submit(), "submitted for review")

    @admin.action(description="Publish selected updates", permissions=["publish"])
    def publish_updates(self, request, queryset):
        self._apply(request, queryset, lambda update: update.publish(request.user), "published")

    @admin.action(description="Reject selected updates…", permissions=["publish"])
    def reject_updates(self, request, queryset):
        form = RejectForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            comment = form.cleaned_data["comment"]
            self._apply(
                request, queryset, lambda update: update.reject(request.user, comment), "rejected"
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Reject updates",
            "opts": self.model._meta,
            "queryset": queryset.select_related("commitment"),
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "now": timezone.now(),
        }
        return TemplateResponse(request, "admin/commitments/statusupdate/reject.html", context)


class ConversionInline(admin.TabularInline):
    model = Conversion
    extra = 0
    verbose_name = "exchange rate stated by this source"
    verbose_name_plural = "exchange rates stated by this source"


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    inlines = [ConversionInline]
    list_display = ["title", "publisher", "kind", "published_on", "link", "added_by"]
    list_filter = ["kind", "published_on"]
    search_fields = ["title", "url", "publisher"]
    date_hierarchy = "published_on"
    list_select_related = ["added_by"]
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


@admin.register(Party)
class PartyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "kind", "country"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "short_name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Sector)
class SectorAdmin(SimpleHistoryAdmin):
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
class EventAdmin(SimpleHistoryAdmin):
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
