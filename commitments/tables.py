import django_tables2 as tables
from django.db.models import F
from django.template.loader import render_to_string
from django.utils.html import format_html

from commitments.models import Commitment

PER_PAGE = 25

# Choices for the "Sort by" menu, which also serves small screens where headers are hidden.
SORT_CHOICES = [
    ("title", "Title (A–Z)"),
    ("-title", "Title (Z–A)"),
    ("deadline", "Deadline (soonest first)"),
    ("-deadline", "Deadline (latest first)"),
    ("-last_update", "Last update (newest first)"),
    ("last_update", "Last update (oldest first)"),
    ("status", "Status"),
    ("-progress", "Progress (most first)"),
    ("sector", "Sector"),
]


def cell_attrs(label, css_class=""):
    """data-label lets narrow screens show each cell with its column name."""
    td = {"data-label": label}
    if css_class:
        td["class"] = css_class
    return {"td": td, "th": {"class": css_class}} if css_class else {"td": td}


class CommitmentTable(tables.Table):
    """The public list. Cells are rendered with format_html: a template per cell is slow."""

    title = tables.Column(verbose_name="Commitment", attrs=cell_attrs("Commitment", "col-title"))
    sector = tables.Column(
        order_by=("sector__position", "sector__name"), attrs=cell_attrs("Sector")
    )
    parties = tables.Column(empty_values=(), orderable=False, attrs=cell_attrs("Parties"))
    status = tables.Column(
        verbose_name="Status",
        accessor="current_status",
        empty_values=(),
        attrs=cell_attrs("Status"),
    )
    progress = tables.Column(empty_values=(), attrs=cell_attrs("Progress"))
    deadline = tables.Column(empty_values=(), attrs=cell_attrs("Deadline"))
    last_update = tables.Column(
        verbose_name="Last update",
        accessor="latest_update__as_of",
        empty_values=(),
        attrs=cell_attrs("Last update"),
    )

    class Meta:
        model = Commitment
        fields = ["title", "sector", "parties", "status", "progress", "deadline", "last_update"]
        order_by = "title"
        per_page = PER_PAGE
        attrs = {"class": "commitment-table"}
        empty_text = "No commitments match these filters."

    def render_title(self, record):
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), record.title)

    def render_sector(self, record):
        return format_html('<a href="{}">{}</a>', record.sector.get_absolute_url(), record.sector)

    def render_parties(self, record):
        return record.party_pairs() or "—"

    def render_status(self, record):
        return render_to_string("includes/status_badge.html", {"commitment": record})

    def render_progress(self, record):
        if record.progress_percent_display is None and record.pace is None:
            return "—"
        return render_to_string("includes/progress_cell.html", {"commitment": record})

    def render_deadline(self, record):
        return record.deadline_label or "—"

    def render_last_update(self, record):
        as_of = record.latest_update.as_of
        return format_html('<time datetime="{}">{}</time>', as_of.isoformat(), f"{as_of:%d %b %Y}")

    def order_status(self, queryset, is_descending):
        rank = F("status_rank").desc() if is_descending else F("status_rank").asc()
        return queryset.order_by(rank, "title"), True

    def order_progress(self, queryset, is_descending):
        field = F("progress_sort")
        order = field.desc(nulls_last=True) if is_descending else field.asc(nulls_last=True)
        return queryset.order_by(order, "title"), True

    def order_deadline(self, queryset, is_descending):
        field = F("deadline")
        order = field.desc(nulls_last=True) if is_descending else field.asc(nulls_last=True)
        return queryset.order_by(order, "title"), True

    def order_last_update(self, queryset, is_descending):
        field = F("latest_update__as_of")
        order = field.desc(nulls_last=True) if is_descending else field.asc(nulls_last=True)
        return queryset.order_by(order, "title"), True
