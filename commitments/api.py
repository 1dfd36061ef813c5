"""The read-only open-data API (Django REST framework). Published data only.

Every queryset here starts from the public querysets, like the pages do.
"""

import django_filters
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.views.decorators.http import require_safe
from drf_spectacular.utils import extend_schema, extend_schema_field
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.routers import SimpleRouter

from commitments import standing
from commitments.cache import cache_public
from commitments.filters import CommitmentFilter
from commitments.languages import NAMES, OTHER_LANGUAGES, TRANSLATED_FIELDS, TranslationOrigin
from commitments.models import Commitment, CommitmentParty, Party, Sector, Source, StatusUpdate

# The API's commitment detail carries the newest updates only: its cost and size stay the
# same with 1 or 1,000 published updates behind it.
API_DETAIL_UPDATES = 20


class Pagination(PageNumberPagination):
    """`page_size` is a whole number from 1; above 100 counts as 100. Anything else (negative,
    zero, `5.0`, `+5`, non-ASCII digits) is answered with 400, like an invalid filter."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param, "")
        if raw == "":
            return self.page_size
        digits = raw.lstrip("0")
        if not (raw.isascii() and raw.isdigit() and digits):
            message = gettext("Give a whole number from 1 to %(most)s.") % {
                "most": self.max_page_size
            }
            raise ValidationError({self.page_size_query_param: [message]})
        # A thousand-digit number is not worth converting: it is more than the most.
        return self.max_page_size if len(digits) > 3 else min(int(digits), self.max_page_size)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                }
                parameter["description"] = (
                    f"Results per page: {self.page_size} unless given; more than "
                    f"{self.max_page_size} counts as {self.max_page_size}."
                )
            elif parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
        return parameters


@method_decorator(cache_public, name="dispatch")
class ReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """GET, HEAD and OPTIONS only; everything else is 405. Anonymous answers are cached."""

    pagination_class = Pagination


def translations_of(obj, model: str, fields=None) -> dict:
    """The object's texts in each other language that has any: {"ja": {"title": …,
    "origin": "reviewed"}, …}. Only the fields with a translation are given; English is
    the object's own fields. The objects are the public ones the serializers are given."""
    result = {}
    for code in OTHER_LANGUAGES:
        texts = {
            name: value
            for name in fields or TRANSLATED_FIELDS[model]
            if (value := getattr(obj, f"{name}_{code}", "") or "").strip()
        }
        if texts:
            result[code] = {**texts, "origin": getattr(obj, f"translation_{code}", "") or None}
    return result


def translations_schema(model: str, fields=None) -> dict:
    one = {
        "type": "object",
        "properties": {
            **{name: {"type": "string"} for name in fields or TRANSLATED_FIELDS[model]},
            "origin": {
                "type": "string",
                "nullable": True,
                "enum": [*TranslationOrigin.values, None],
                "description": "source: the source's own wording; reviewed or unreviewed: "
                "a translation by the tracker, reviewed or not yet.",
            },
        },
        "required": ["origin"],
    }
    return {
        "type": "object",
        "description": "Its texts in "
        + " and ".join(f"{NAMES[code]} ({code})" for code in OTHER_LANGUAGES)
        + ", for each language with any, only the fields translated. Field names and the "
        "other fields stay as they are; labels follow the address's language (/ja/api/…).",
        "properties": dict.fromkeys(OTHER_LANGUAGES, one),
        "additionalProperties": False,
    }


def translations_method(model: str, fields=None):
    """`get_translations` for a serializer of `model` (a key of TRANSLATED_FIELDS): all its
    translated fields, or those of `fields`."""

    @extend_schema_field(translations_schema(model, fields))
    def get_translations(self, obj):
        return translations_of(obj, model, fields)

    return get_translations


def translations_field():
    return serializers.SerializerMethodField(
        help_text="Its translated texts, by language (empty when there are none)."
    )


class SectorSerializer(serializers.ModelSerializer):
    translations = translations_field()
    get_translations = translations_method("sector")

    class Meta:
        model = Sector
        fields = ["slug", "name", "description", "translations"]


class PartySerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country.code", help_text="ISO 3166 code, or empty.")
    kind_label = serializers.CharField(source="get_kind_display")
    translations = translations_field()
    get_translations = translations_method("party")

    class Meta:
        model = Party
        fields = ["slug", "name", "short_name", "kind", "kind_label", "country", "translations"]


class PartyRoleSerializer(serializers.ModelSerializer):
    slug = serializers.CharField(source="party.slug")
    name = serializers.CharField(source="party.name")
    role_label = serializers.CharField(source="get_role_display")

    class Meta:
        model = CommitmentParty
        fields = ["slug", "name", "role", "role_label", "contribution"]


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["title", "url", "publisher", "published_on", "accessed_on", "archive_url", "kind"]


class CorrectionSerializer(serializers.Serializer):
    corrects = serializers.IntegerField(
        source="corrects_id", help_text="The id of the update this one replaced."
    )
    corrected_at = serializers.DateTimeField(source="reviewed_at")
    note = serializers.CharField(source="correction_note", help_text="What changed and why.")


class UpdateSerializer(serializers.ModelSerializer):
    commitment = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    status_label = serializers.CharField(source="get_status_display")
    status_definition = serializers.CharField()
    published_at = serializers.DateTimeField(source="reviewed_at")
    sources = SourceSerializer(many=True)
    correction = serializers.SerializerMethodField(
        help_text="Set when this update is a published correction of an earlier one."
    )

    translations = translations_field()
    get_translations = translations_method("statusupdate")

    @extend_schema_field(CorrectionSerializer(allow_null=True))
    def get_correction(self, obj):
        if obj.kind != StatusUpdate.Kind.CORRECTION:
            return None
        return CorrectionSerializer(obj).data

    class Meta:
        model = StatusUpdate
        fields = [
            "id",
            "commitment",
            "as_of",
            "status",
            "status_label",
            "status_definition",
            "progress_value",
            "summary",
            "body",
            "translations",
            "published_at",
            "sources",
            "correction",
        ]


class PercentField(serializers.DecimalField):
    """Percent complete to two places, rounded as every export rounds it (standing.py)."""

    def to_representation(self, value):
        return super().to_representation(standing.percent_in_data(value))


class TargetSerializer(serializers.Serializer):
    value = serializers.DecimalField(source="target_value", max_digits=24, decimal_places=4)
    unit = serializers.CharField(source="unit_label")
    baseline = serializers.DecimalField(
        source="baseline_value", max_digits=24, decimal_places=4, allow_null=True
    )
    wording = serializers.CharField(source="target_wording")
    progress = serializers.DecimalField(
        source="effective_progress", max_digits=24, decimal_places=4, allow_null=True
    )
    percent_complete = PercentField(
        source="progress_percent", max_digits=30, decimal_places=2, allow_null=True
    )
    pace = serializers.CharField(source="pace.value", allow_null=True, default=None)


class CommitmentSerializer(serializers.ModelSerializer):
    sector = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    parties = PartyRoleSerializer(source="commitment_parties", many=True)
    status = serializers.CharField(source="current_status")
    status_label = serializers.CharField(source="get_current_status_display")
    status_definition = serializers.CharField()
    overdue = serializers.BooleanField(source="is_overdue")
    deadline_label = serializers.CharField()
    target = serializers.SerializerMethodField()
    last_update = serializers.DateField(source="last_update_on")
    url = serializers.SerializerMethodField()
    translations = translations_field()
    # The list's texts (the detail adds the description).
    get_translations = translations_method("commitment", ("title", "summary", "target_wording"))

    class Meta:
        model = Commitment
        fields = [
            "slug",
            "title",
            "summary",
            "translations",
            "sector",
            "parties",
            "status",
            "status_label",
            "status_definition",
            "overdue",
            "announced_on",
            "deadline",
            "deadline_precision",
            "deadline_label",
            "target",
            "last_update",
            "url",
        ]

    @extend_schema_field(TargetSerializer(allow_null=True))
    def get_target(self, obj):
        return TargetSerializer(obj).data if obj.target_value is not None else None

    def get_url(self, obj) -> str:
        return self.context["request"].build_absolute_uri(obj.get_absolute_url())


class CommitmentDetailSerializer(CommitmentSerializer):
    event = serializers.CharField(source="event.name", allow_null=True, default=None)
    parent = serializers.SerializerMethodField(
        help_text="The commitment this one is part of, if that one is public; otherwise null."
    )
    children = serializers.SerializerMethodField()
    updates = serializers.SerializerMethodField(
        help_text=f"The newest {API_DETAIL_UPDATES} published updates; `updates_url` pages "
        "through all of them."
    )
    updates_count = serializers.SerializerMethodField(help_text="How many are published.")
    updates_url = serializers.SerializerMethodField()
    get_translations = translations_method("commitment")

    class Meta(CommitmentSerializer.Meta):
        fields = [
            *CommitmentSerializer.Meta.fields,
            "description",
            "event",
            "parent",
            "children",
            "updates_count",
            "updates_url",
            "updates",
        ]

    @extend_schema_field(UpdateSerializer(many=True))
    def get_updates(self, obj):
        newest = (
            obj.updates.published()
            .newest_first()
            .select_related("commitment")
            .prefetch_related("sources")[:API_DETAIL_UPDATES]
        )
        return UpdateSerializer(newest, many=True, context=self.context).data

    def get_updates_count(self, obj) -> int:
        return obj.updates.published().count()

    def get_updates_url(self, obj) -> str:
        url = reverse("api:update-list") + "?" + urlencode({"commitment": obj.slug})
        return self.context["request"].build_absolute_uri(url)

    def get_parent(self, obj) -> str | None:
        # Only a public commitment is ever named: an unpublished parent reads as none.
        parent = obj.public_parent
        return parent.slug if parent is not None else None

    def get_children(self, obj) -> list[str]:
        return [child.slug for child in obj.public_children]  # public ones only (for_detail)


class UpdateFilter(django_filters.FilterSet):
    """`from` and `to` (as-of dates, inclusive), like the progress reports; `commitment`."""

    commitment = django_filters.CharFilter(field_name="commitment__slug")

    class Meta:
        model = StatusUpdate
        fields = []


# "from" is a Python keyword, so these two are added by name.
UpdateFilter.base_filters["from"] = django_filters.DateFilter(
    field_name="as_of", lookup_expr="gte", label="As of from"
)
UpdateFilter.base_filters["to"] = django_filters.DateFilter(
    field_name="as_of", lookup_expr="lte", label="As of to"
)


class ApiCommitmentFilter(CommitmentFilter):
    """The list page's filters; in the API an invalid value is answered with 400."""


@extend_schema(tags=["commitments"])
class CommitmentViewSet(ReadOnlyViewSet):
    """Public commitments, with the same filters as the list page (`q`, `status`, `sector`,
    `party`, `deadline_from`, `deadline_to`, `overdue`, `stale`)."""

    lookup_field = "slug"
    filterset_class = ApiCommitmentFilter

    def get_queryset(self):
        if self.action == "retrieve":
            return Commitment.objects.public().for_detail(all_updates=False)
        return Commitment.objects.public().for_listing().order_by("title")

    def get_serializer_class(self):
        return CommitmentDetailSerializer if self.action == "retrieve" else CommitmentSerializer


@extend_schema(tags=["updates"])
class UpdateViewSet(ReadOnlyViewSet):
    """Published status updates, newest first; filter by `from`/`to` (as-of dates) and
    `commitment` (slug)."""

    serializer_class = UpdateSerializer
    filterset_class = UpdateFilter

    def get_queryset(self):
        return (
            StatusUpdate.objects.published()
            .select_related("commitment")
            .prefetch_related("sources")
            .newest_first()
        )


@extend_schema(tags=["reference"])
class SectorViewSet(ReadOnlyViewSet):
    serializer_class = SectorSerializer
    queryset = Sector.objects.order_by("position", "name")
    lookup_field = "slug"


@extend_schema(tags=["reference"])
class PartyViewSet(ReadOnlyViewSet):
    """Parties on at least one public commitment; no other party is named anywhere."""

    serializer_class = PartySerializer
    queryset = Party.objects.public().order_by("name")
    lookup_field = "slug"


def api_root_links(request) -> dict:
    return {
        name: request.build_absolute_uri(reverse(f"api:{name}-list"))
        for name in ("commitment", "update", "sector", "party")
    }


router = SimpleRouter()
router.register("commitments", CommitmentViewSet, basename="commitment")
router.register("updates", UpdateViewSet, basename="update")
router.register("sectors", SectorViewSet, basename="sector")
router.register("parties", PartyViewSet, basename="party")


@require_safe
def api_docs(request):
    return render(request, "commitments/api_docs.html", {"links": api_root_links(request)})


urlpatterns = [
    path("", api_docs, name="docs"),
    path(
        "openapi.json",
        require_safe(SpectacularJSONAPIView.as_view()),
        name="schema",
    ),
    *router.urls,
]


def document_errors(result, generator, request, public):
    """drf-spectacular hook: say in the schema that lists answer bad filters with 400 and
    that an unknown slug or page is 404, both as a JSON object of messages."""
    error = {
        "description": "",
        "content": {"application/json": {"schema": {"type": "object"}}},
    }
    not_found = {
        "description": "No such page or object.",
        "content": {**error["content"], "text/html": {"schema": {"type": "string"}}},
    }
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            responses.setdefault("404", not_found)
            if any(p.get("in") == "query" for p in operation.get("parameters", [])):
                responses.setdefault("400", {**error, "description": "An invalid filter value."})
    return result
