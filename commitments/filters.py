import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from commitments import search as text_search
from commitments.languages import translated
from commitments.models import Commitment, Party, Sector, UpdateStatus

SEARCH_MAX_LENGTH = 200


class TranslatedNameField(forms.ModelChoiceField):
    """A sector or party named in the reader's language (English where not translated)."""

    def label_from_instance(self, obj):
        return translated(obj, "name")


class TranslatedNameFilter(django_filters.ModelChoiceFilter):
    field_class = TranslatedNameField


class CommitmentFilter(django_filters.FilterSet):
    """The public list's filters. Invalid values are explained next to the field and ignored."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        max_length=SEARCH_MAX_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("e.g. Chandrayaan")}),
    )
    status = django_filters.MultipleChoiceFilter(
        field_name="current_status",
        label=pgettext_lazy("table heading", "Status"),
        choices=UpdateStatus.choices,
        widget=forms.CheckboxSelectMultiple,
        distinct=False,  # a commitment has one status: no duplicates to remove
    )
    sector = TranslatedNameFilter(
        label=_("Sector"),
        queryset=Sector.objects.all(),
        to_field_name="slug",
        empty_label=_("All sectors"),
    )
    party = TranslatedNameFilter(
        label=_("Party"),
        field_name="parties",
        queryset=Party.objects.public(),  # never name a party of unpublished work
        to_field_name="slug",
        empty_label=_("All parties"),
        distinct=False,  # a party is on a commitment at most once (a constraint)
    )
    deadline_from = django_filters.DateFilter(
        field_name="deadline",
        lookup_expr="gte",
        label=_("Deadline from"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    deadline_to = django_filters.DateFilter(
        field_name="deadline",
        lookup_expr="lte",
        label=_("Deadline to"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    overdue = django_filters.BooleanFilter(
        label=_("Overdue only"), method="filter_overdue", widget=forms.CheckboxInput
    )
    stale = django_filters.BooleanFilter(
        label=_("Stale only"), method="filter_stale", widget=forms.CheckboxInput
    )
    measurable = django_filters.BooleanFilter(
        label=_("Measurable targets only"), method="filter_measurable", widget=forms.CheckboxInput
    )

    class Meta:
        model = Commitment
        fields = []

    def search(self, queryset, name, value):
        # Every word, any order, case and accents, synonyms, title matches first: one rule,
        # in commitments/search.py, the same on SQLite and PostgreSQL.
        return text_search.search(queryset, value)

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue() if value else queryset

    def filter_stale(self, queryset, name, value):
        return queryset.stale() if value else queryset

    def filter_measurable(self, queryset, name, value):
        return queryset.filter(target_value__isnull=False) if value else queryset
