"""Public pages. Everything here starts from the public querysets: drafts never reach them."""

import datetime

from django.conf import settings
from django.core.paginator import EmptyPage
from django.db.models import Count, F, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.csp import CSP
from django.utils.decorators import method_decorator
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csp import csp_override
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.export.views import ExportMixin

from commitments import dashboard, search
from commitments.badges import badge_svg
from commitments.charts import portfolio_over_time, progress_chart
from commitments.context_processors import NUMBER_SYSTEM_COOKIE
from commitments.exports import (
    SafeTableExport,
    published_updates_csv,
    stream_csv,
)
from commitments.filters import CommitmentFilter
from commitments.forms import EARLIEST_DAY, ReportForm
from commitments.languages import country_name, translated
from commitments.models import (
    CLOSED_STATUSES,
    Commitment,
    Event,
    Party,
    Sector,
    StatusUpdate,
    UpdateStatus,
)
from commitments.numbers import SYSTEMS
from commitments.report_outputs import (
    render_json,
    render_pdf,
    render_xlsx,
    update_header,
    update_rows,
)
from commitments.reports import build_report, default_period
from commitments.sharing import absolute, citation_for, share_links
from commitments.tables import PER_PAGE, SORT_CHOICES, CommitmentTable
from commitments.throttle import throttle_download, throttle_list_export, throttle_report

DASHBOARD_LIST_LENGTH = 10
RETRACTIONS_SHOWN = 20  # the change log lists every one


def as_of_day(request) -> tuple[datetime.date | None, str]:
    """`?as_of=YYYY-MM-DD`: the day to look back at, or (None, why it was ignored)."""
    raw = request.GET.get("as_of", "").strip()
    if not raw:
        return None, ""
    try:
        day = datetime.date.fromisoformat(raw)
    except ValueError:
        return None, _("“%(value)s” is not a date (YYYY-MM-DD), so today's data is shown.") % {
            "value": raw[:40]
        }
    if day >= timezone.localdate():
        return None, _("That date is not in the past, so today's data is shown.")
    if day < EARLIEST_DAY:  # nothing is that old, and date arithmetic near year 1 overflows
        return None, _(
            "The tracker holds nothing from before %(year)s, so today's data is shown."
        ) % {"year": EARLIEST_DAY.year}
    return day, ""


class AsOfMixin:
    """Views that can show the tracker as it stood on a past day (`?as_of=`)."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.as_of, self.as_of_error = as_of_day(request)

    def public_commitments(self):
        public = Commitment.objects.public()
        return public.standing_on(self.as_of) if self.as_of else public

    def get_context_data(self, **kwargs):
        return super().get_context_data(as_of=self.as_of, as_of_error=self.as_of_error, **kwargs)


class DashboardView(AsOfMixin, TemplateView):
    template_name = "commitments/dashboard.html"

    def get_context_data(self, **kwargs):
        today = self.as_of or timezone.localdate()
        public = self.public_commitments()
        by_status = public.status_counts()
        largest = max([count for _, count in by_status] + [1])
        # Counted over the same commitments as the status counts (the day's standing in
        # an as-of view), so the sector bars add up to the total.
        sectors = (
            Sector.objects.annotate(
                public_count=Count("commitments", filter=Q(commitments__in=public.values("pk")))
            )
            .filter(public_count__gt=0)
            .order_by("position", "name")
        )
        largest_sector = max([sector.public_count for sector in sectors] + [1])
        overdue = public.overdue(today).select_related("sector").order_by("deadline", "title")
        upcoming = public.upcoming(today).select_related("sector")
        stale = public.stale(today).select_related("sector", "latest_update")
        behind, behind_count = public.behind_pace(DASHBOARD_LIST_LENGTH)
        total = sum(count for _, count in by_status)
        headline, measurable_count = dashboard.headline(public)
        recent = list(self.recent_updates()[: dashboard.RECENT_WINDOW])
        return super().get_context_data(
            total=total,
            tracked=dashboard.tracked(public),
            headline=headline,
            measurable_count=measurable_count,
            recent_changes=dashboard.recent_changes(recent),
            recent_window=dashboard.RECENT_WINDOW,
            recent_window_full=len(recent) == dashboard.RECENT_WINDOW,
            unused_statuses=[status.label for status, count in by_status if not count],
            distribution=dashboard.distribution(by_status),
            open_count=total - sum(count for s, count in by_status if s in CLOSED_STATUSES),
            by_status=[
                {"status": status, "count": count, "percent": round(100 * count / largest)}
                for status, count in by_status
            ],
            by_sector=[
                {"sector": s, "percent": round(100 * s.public_count / largest_sector)}
                for s in sectors
            ],
            recent_updates=recent[:DASHBOARD_LIST_LENGTH],
            overdue=overdue[:DASHBOARD_LIST_LENGTH],
            overdue_count=overdue.count(),
            upcoming=upcoming[:DASHBOARD_LIST_LENGTH],
            upcoming_count=upcoming.count(),
            stale=stale[:DASHBOARD_LIST_LENGTH],
            stale_count=stale.count(),
            stale_days=settings.STALE_AFTER_DAYS,
            behind=behind,
            behind_count=behind_count,
            portfolio=portfolio_over_time(today),
            today=today,
            **kwargs,
        )

    def recent_updates(self):
        """The latest publications; as of a day, those published by the end of that day and
        dated on or before it."""
        updates = StatusUpdate.objects.published().select_related("commitment")
        if self.as_of:
            next_day = self.as_of + datetime.timedelta(days=1)
            updates = updates.filter(
                as_of__lte=self.as_of,
                reviewed_at__lt=timezone.make_aware(
                    datetime.datetime.combine(next_day, datetime.time.min)
                ),
            )
        return updates.order_by(F("reviewed_at").desc(), "-pk")


@method_decorator(throttle_list_export, name="dispatch")  # `?_export=` only, per client
class CommitmentListView(AsOfMixin, ExportMixin, SingleTableMixin, FilterView):
    """The filterable, sortable list. Nonsense in the query string is explained or ignored.
    `?_export=csv|xlsx|json` downloads every row of the current filtered, sorted view."""

    export_class = SafeTableExport
    export_formats = ("csv", "xlsx", "json")
    export_name = "commitments"

    model = Commitment
    table_class = CommitmentTable
    filterset_class = CommitmentFilter
    template_name = "commitments/commitment_list.html"
    strict = False  # apply the valid filters, explain the invalid ones
    heading = gettext_lazy("All commitments")
    fixed_filter = None  # the filter a sector or party page pins

    def get_queryset(self):
        return self.public_commitments().for_listing()

    def get_filterset(self, filterset_class):
        filterset = super().get_filterset(filterset_class)
        if self.fixed_filter:
            del filterset.filters[self.fixed_filter]
        if self.as_of:
            filterset.filters["status"].field_name = "status_then"
        return filterset

    def get_table(self, **kwargs):
        table = self.get_table_class()(data=self.get_table_data(), **self.get_table_kwargs())
        table.request = self.request
        # tables2 ignores unknown columns, but warns about (soon rejects) a dotted "?sort=1.5".
        order_by = [value for value in self.request.GET.getlist("sort") if "." not in value]
        if order_by:
            table.order_by = order_by
        try:
            page = int(self.request.GET.get("page", 1))
        except ValueError:
            page = 1
        try:
            table.paginate(page=max(page, 1), per_page=PER_PAGE)
        except EmptyPage:
            table.paginate(page=table.paginator.num_pages, per_page=PER_PAGE)
        return table

    def search_query(self) -> str:
        """The search the list applies: the valid `q`, stripped ("" for none)."""
        if not hasattr(self, "filterset"):
            return ""
        cleaned = getattr(self.filterset.form, "cleaned_data", {})
        return (cleaned.get("q") or "").strip()

    def get_table_kwargs(self):
        kwargs = super().get_table_kwargs()
        sort = [value for value in self.request.GET.getlist("sort") if value]
        if self.search_query() and search.words(self.search_query()) and not sort:
            kwargs["order_by"] = ()  # keep the search's ranking (title matches first)
        return kwargs

    def _url_without(self, name: str, value=None) -> str:
        """This page's URL without the filter `name` (or only its `value`), from page 1."""
        query = self.request.GET.copy()
        for key in ("page", "_export"):
            query.pop(key, None)
        if value is None:
            query.pop(name, None)
        else:
            query.setlist(name, [v for v in query.getlist(name) if v != value])
        encoded = query.urlencode()
        return f"{self.request.path}?{encoded}" if encoded else self.request.path

    def _url_with_search(self, q: str) -> str:
        query = self.request.GET.copy()
        for key in ("page", "_export"):
            query.pop(key, None)
        query["q"] = q
        return f"{self.request.path}?{query.urlencode()}"

    def active_filters(self) -> list[dict]:
        """The filters in use besides the search, each named with a link that removes it.
        Ignored (invalid) values are not listed: the form explains them."""
        cleaned = getattr(self.filterset.form, "cleaned_data", {})
        statuses = dict(UpdateStatus.choices)
        found = []
        for value in cleaned.get("status") or []:
            found.append(
                {
                    "label": _("Status: %(status)s") % {"status": statuses.get(value, value)},
                    "url": self._url_without("status", value),
                }
            )
        for name, label in (("sector", _("Sector: %(name)s")), ("party", _("Party: %(name)s"))):
            if cleaned.get(name) is not None:
                text = label % {"name": translated(cleaned[name], "name")}
                found.append({"label": text, "url": self._url_without(name)})
        for name, label in (
            ("deadline_from", _("Deadline from %(date)s")),
            ("deadline_to", _("Deadline to %(date)s")),
        ):
            if cleaned.get(name):
                day = date_format(cleaned[name], "SHORT_DATE_FORMAT")
                found.append({"label": label % {"date": day}, "url": self._url_without(name)})
        for name, label in (
            ("overdue", _("Overdue only")),
            ("stale", _("Stale only")),
            ("measurable", _("Measurable targets only")),
        ):
            if cleaned.get(name):
                found.append({"label": label, "url": self._url_without(name)})
        return found

    def search_context(self) -> dict:
        q = self.search_query()
        query_words = search.words(q)
        single_words = []
        if len(query_words) > 1:
            single_words = [(word, self._url_with_search(word)) for word in query_words]
        return {
            "search_query": q,
            "search_words": [
                {"word": word, "also": search.alternatives(word)[1:]} for word in query_words
            ],
            "search_fields": search.SEARCHED_DESCRIPTION,
            "search_single_words": single_words,
            "search_clear_url": self._url_without("q") if q else "",
            "active_filters": self.active_filters(),
        }

    def get_context_data(self, **kwargs):
        sort = self.request.GET.get("sort", "")
        query = self.request.GET.copy()
        query.pop("page", None)
        exports = []
        for export_format in self.export_formats:
            query["_export"] = export_format
            exports.append((export_format.upper(), f"?{query.urlencode()}"))
        searching = bool(search.words(self.search_query()))
        default_sort = "" if searching else "title"  # "": the search's ranking
        current_sort = sort if sort in dict(SORT_CHOICES) else default_sort
        return super().get_context_data(
            exports=exports,
            heading=self.heading,
            sort_choices=SORT_CHOICES,
            current_sort=current_sort,
            list_url=reverse("commitments:list"),
            **self.search_context(),
            **kwargs,
        )


class SectorCommitmentListView(CommitmentListView):
    fixed_filter = "sector"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.sector = get_object_or_404(Sector, slug=kwargs["slug"])
        self.heading = _("Sector: %(name)s") % {"name": translated(self.sector, "name")}

    def get_queryset(self):
        return super().get_queryset().filter(sector=self.sector)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            intro=translated(self.sector, "description"),
            briefing=True,
            briefing_sector=self.sector,
            **kwargs,
        )


class PartyCommitmentListView(CommitmentListView):
    fixed_filter = "party"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        # A party named only on unpublished commitments does not exist for the public.
        self.party = get_object_or_404(Party.objects.public(), slug=kwargs["slug"])
        self.heading = _("Party: %(name)s") % {"name": translated(self.party, "name")}

    def get_queryset(self):
        return super().get_queryset().filter(parties=self.party)

    def get_context_data(self, **kwargs):
        details = [self.party.get_kind_display()]
        if self.party.country:
            details.append(country_name(self.party.country))
        intro = " · ".join(details)
        if description := translated(self.party, "description"):
            intro = _("%(details)s. %(description)s") % {
                "details": intro,
                "description": description,
            }
        return super().get_context_data(
            intro=intro, briefing=True, briefing_party=self.party, **kwargs
        )


class EventCommitmentListView(CommitmentListView):
    """The commitments made at one event (a summit), with its briefing."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        # An event with no public commitment does not exist for the public.
        self.event = get_object_or_404(
            Event.objects.filter(commitments__latest_update__isnull=False).distinct(),
            slug=kwargs["slug"],
        )
        self.heading = _("Event: %(name)s") % {"name": translated(self.event, "name")}

    def get_queryset(self):
        return super().get_queryset().filter(event=self.event)

    def get_context_data(self, **kwargs):
        event = self.event
        when = date_format(event.starts_on, "DATE_FORMAT")
        if event.ends_on and event.ends_on != event.starts_on:
            when = pgettext("date range", "%(start)s to %(end)s") % {
                "start": when,
                "end": date_format(event.ends_on, "DATE_FORMAT"),
            }
        location = translated(event, "location")
        intro = " · ".join(part for part in (location, when) if part)
        if description := translated(event, "description"):
            intro = _("%(details)s. %(description)s") % {
                "details": intro,
                "description": description,
            }
        return super().get_context_data(intro=intro, briefing=True, briefing_event=event, **kwargs)


class CommitmentDetailView(AsOfMixin, DetailView):
    """A commitment today or, with `?as_of=`, as it stood on that day: status, figures,
    parts and the timeline up to then."""

    template_name = "commitments/commitment_detail.html"
    context_object_name = "commitment"

    def get_queryset(self):
        return self.public_commitments().for_detail(all_updates=False)

    def get_object(self, queryset=None):
        """As of a day before its first update, the commitment as it stands today, with a
        note: a reader who followed an old link still finds it."""
        try:
            return super().get_object(queryset)
        except Http404:
            if not self.as_of:
                raise
            day, self.as_of = self.as_of, None
            found = super().get_object()
            self.as_of_error = _(
                "Nothing was published about this commitment by %(date)s, "
                "so it is shown as it stands today."
            ) % {"date": date_format(day, "DATE_FORMAT")}
            return found

    def get_context_data(self, **kwargs):
        commitment = self.object
        conversion = commitment.stated_conversion()
        # One page of the timeline (`?updates=2` for older ones): the page costs the same
        # with 1 or 1,000 published updates.
        timeline = commitment.timeline(self.request.GET.get("updates") or 1)
        page_url = self.page_url()
        citation = citation_for(commitment, page_url, timezone.localdate())
        title = str(translated(commitment, "title"))
        share_text = f"{title}: {citation.status}"
        children = getattr(commitment, "public_children", [])
        counting = commitment.counting_parts
        return super().get_context_data(
            timeline=timeline,
            page_url=page_url,
            as_of_query=f"?as_of={self.as_of:%Y-%m-%d}" if self.as_of else "",
            citation=citation,
            share_links=share_links(title, share_text, page_url),
            feed_url=absolute(reverse("commitments:commitment-feed", args=[commitment.slug])),
            embed_page_url=absolute(commitment.get_absolute_url()),
            embed_badge_url=absolute(reverse("commitments:badge", args=[commitment.slug])),
            # Every public part once: those that count toward its target, then the others.
            parts=counting + [child for child in children if child not in counting],
            counting_parts=counting,
            parts_with_figures=[part for part in counting if part.own_progress is not None],
            retractions=StatusUpdate.objects.notices()
            .filter(commitment=commitment, kind=StatusUpdate.Kind.RETRACTION)
            .select_related("corrects")
            .order_by("-reviewed_at")[:RETRACTIONS_SHOWN],
            chart=progress_chart(commitment),
            projection=commitment.projection(),
            conversion=conversion,
            converted_target=conversion.convert(commitment.target_value) if conversion else None,
            pace_tolerance_percent=int(settings.PACE_TOLERANCE * 100),
            pace_too_early_days=settings.PACE_TOO_EARLY_DAYS,
            **kwargs,
        )

    def page_url(self) -> str:
        """The page's lasting, absolute address: the commitment's, with `?as_of=` when it
        shows a past day (the timeline page is left out)."""
        path = self.object.get_absolute_url()
        if self.as_of:
            path += f"?as_of={self.as_of:%Y-%m-%d}"
        return absolute(path)


class CommitmentCitationView(CommitmentDetailView):
    """`cite.bib` and `cite.ris`: the page's citation for reference managers. The same
    commitment as the page (a non-public one is a 404), as of the same day (`?as_of=`)."""

    formats = {
        "bib": ("application/x-bibtex; charset=utf-8", "bibtex"),
        "ris": ("application/x-research-info-systems; charset=utf-8", "ris"),
    }
    output = "bib"

    def get_queryset(self):
        return self.public_commitments()

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        citation = citation_for(self.object, self.page_url(), timezone.localdate())
        content_type, method = self.formats[self.output]
        response = HttpResponse(getattr(citation, method)(), content_type=content_type)
        stem = self.object.slug + (f"-as-of-{self.as_of:%Y-%m-%d}" if self.as_of else "")
        response["Content-Disposition"] = f'attachment; filename="{stem}.{self.output}"'
        return response


class AboutView(TemplateView):
    template_name = "commitments/about.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            statuses=list(UpdateStatus), stale_days=settings.STALE_AFTER_DAYS, **kwargs
        )


@require_safe
def commitment_history(request, slug):
    """The public change log from first publication on: published updates and changes to
    public fields, never who edited, nothing from before publication, and nothing about
    drafts or updates under review. A page of entries at a time (`?page=`), newest first."""
    commitment = get_object_or_404(Commitment.objects.public().select_related("sector"), slug=slug)
    return render(
        request,
        "commitments/history.html",
        {
            "commitment": commitment,
            "log": commitment.public_change_log(request.GET.get("page") or 1),
        },
    )


@csrf_exempt  # it only sets a display preference; no token keeps public pages cacheable
@require_POST
def set_number_system(request):
    """Remember the visitor's choice of number system in a cookie, then go back."""
    system = request.POST.get("system", "")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("commitments:dashboard")
    response = redirect(target)
    if system in SYSTEMS:
        response.set_cookie(
            NUMBER_SYSTEM_COOKIE,
            system,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=request.is_secure(),
            httponly=True,
        )
    return response


@require_safe
@throttle_download
def updates_csv(request):
    """Every published update, one row each (see `published_updates_csv`)."""
    return published_updates_csv(request.build_absolute_uri("/").rstrip("/"))


@require_safe
@xframe_options_exempt
@csp_override({"default-src": [CSP.NONE], "style-src": [CSP.UNSAFE_INLINE]})
def badge(request, slug):
    """Meant to be embedded elsewhere, so it carries its own minimal policy and no
    frame-ancestors restriction."""
    commitment = get_object_or_404(Commitment.objects.public(), slug=slug)
    response = HttpResponse(badge_svg(commitment), content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"  # other sites show it
    return response


REPORT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


@require_safe
@throttle_report  # inside cache_public (urls.py): only cache misses count
def progress_report(request):
    """A report for a period and scope, as a printable page or a PDF, XLSX, CSV or JSON file.
    Invalid fields are explained and replaced by the defaults."""
    today = timezone.localdate()
    default_from, default_to = default_period(today)
    form = ReportForm(request.GET or None, initial={"from": default_from, "to": default_to})
    form.is_valid()
    values = getattr(form, "cleaned_data", {})
    start = values.get("from") or default_from
    end = values.get("to") or default_to
    if start > end:
        start, end = default_from, default_to
    report = build_report(
        start, end, values.get("sector"), values.get("party"), values.get("event")
    )

    output = request.GET.get("format", "html")
    stem = f"progress-report-{start:%Y-%m-%d}-to-{end:%Y-%m-%d}"
    # The report's lasting address: its period and scope, spelled out.
    citable = {"from": start.isoformat(), "to": end.isoformat()}
    for name in ("sector", "party", "event"):
        if values.get(name):
            citable[name] = values[name].slug
    context = {
        "generated": timezone.now(),
        "site": request.get_host(),
        "citable_url": absolute(f"{request.path}?{urlencode(citable)}"),
        "stale_days": settings.STALE_AFTER_DAYS,
        "pace_tolerance": int(settings.PACE_TOLERANCE * 100),
    }
    if output == "pdf":
        body = render_pdf(report, context)
    elif output == "xlsx":
        body = render_xlsx(report)
    elif output == "json":
        body = render_json(report)
    elif output == "csv":
        return stream_csv(f"{stem}.csv", update_header(), update_rows(report))
    else:
        query = request.GET.copy()
        downloads = []
        for fmt in ("pdf", "xlsx", "csv", "json"):
            query["format"] = fmt
            downloads.append((fmt.upper(), f"?{query.urlencode()}"))
        return render(
            request,
            "reports/progress.html",
            {"form": form, "report": report, "downloads": downloads, **context},
        )
    response = HttpResponse(body, content_type=REPORT_TYPES[output])
    response["Content-Disposition"] = f'attachment; filename="{stem}.{output}"'
    return response


ROBOTS_TXT = """User-agent: *
Disallow: /accounts/
Disallow: /admin/
Disallow: /review/
Disallow: /workspace/
"""


@require_safe
def update_permalink(request, pk):
    """`/updates/<id>/`: a published update's lasting address (feeds link here), sent on to
    the page of its commitment's timeline that shows it. A corrected update leads to the
    correction that replaced it; a retracted one to its commitment's page."""
    update = get_object_or_404(
        StatusUpdate.objects.select_related("commitment"),
        pk=pk,
        state__in=[
            StatusUpdate.State.PUBLISHED,
            StatusUpdate.State.SUPERSEDED,
            StatusUpdate.State.RETRACTED,
        ],
        kind__in=[StatusUpdate.Kind.UPDATE, StatusUpdate.Kind.CORRECTION],
    )
    seen = set()
    while update.state == StatusUpdate.State.SUPERSEDED and update.pk not in seen:
        seen.add(update.pk)
        replacement = update.revisions.filter(
            kind=StatusUpdate.Kind.CORRECTION,
            state__in=[StatusUpdate.State.PUBLISHED, StatusUpdate.State.SUPERSEDED],
        ).first()
        if replacement is None:
            break
        update = replacement
    if update.state == StatusUpdate.State.PUBLISHED:
        return redirect(update.timeline_url())
    commitment = update.commitment
    if commitment.latest_update_id is None:
        raise Http404("No such update.")
    return redirect(commitment.get_absolute_url())


@require_safe
def robots_txt(request):
    """Crawlers may read every public page; the signed-in parts are not for them."""
    return HttpResponse(ROBOTS_TXT, content_type="text/plain; charset=utf-8")
