"""Atom feeds of published updates: the whole tracker, or one commitment."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localdate
from django.utils.translation import gettext

from commitments.languages import site_name, translated
from commitments.markdown import render_markdown
from commitments.models import Commitment, StatusUpdate
from commitments.templatetags.tracker import source_citation

FEED_LENGTH = 50


class UpdatesFeed(Feed):
    feed_type = Atom1Feed

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        # The feed writer adds thousands of small pieces to the response, which the server
        # would send one by one (and the cache would keep one by one): join them once.
        response.content = response.content
        return response

    def title(self):
        return gettext("%(site)s: published updates") % {"site": site_name()}

    def link(self):
        return reverse("commitments:dashboard")

    def subtitle(self):
        return gettext("Every status update on public commitments, newest first, with its sources.")

    def items(self):
        return self.published()[:FEED_LENGTH]

    @staticmethod
    def published():
        return (
            StatusUpdate.objects.published()
            .select_related("commitment")
            .prefetch_related("sources")
            .order_by("-reviewed_at", "-pk")
        )

    def item_title(self, item):
        title = gettext("%(title)s: %(status)s (as of %(date)s)") % {
            "title": translated(item.commitment, "title"),
            "status": item.get_status_display(),
            "date": date_format(item.as_of, "DATE_FORMAT"),
        }
        if item.kind == item.Kind.CORRECTION:
            return gettext("Correction — %(title)s") % {"title": title}
        return title

    def item_description(self, item):
        sources = format_html_join(
            "",
            "<li>{}</li>",
            ((source_citation(source),) for source in item.sources.all()),
        )
        note = ""
        if item.kind == item.Kind.CORRECTION:
            note = format_html(
                "<p><strong>{}</strong> {}</p>",
                gettext("Corrected on %(date)s:")
                % {"date": date_format(localdate(item.reviewed_at), "DATE_FORMAT")},
                item.correction_note,
            )
        body_html = render_markdown(translated(item, "body"))
        return format_html(
            "{}<p>{}</p>{}<p>{}</p><ul>{}</ul>",
            note,
            translated(item, "summary"),
            body_html,
            gettext("Sources:"),
            sources,
        )

    def item_link(self, item):
        # The update's lasting address: it finds the timeline page that shows it, even once
        # newer updates have pushed it off the first page (or a correction replaced it).
        return reverse("commitments:update", args=[item.pk])

    def item_guid(self, item):
        return f"update-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.reviewed_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [str(item.get_status_display())]


class CommitmentFeed(UpdatesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Commitment.objects.public(), slug=slug)

    def title(self, obj):
        return gettext("%(site)s: %(title)s") % {
            "site": site_name(),
            "title": translated(obj, "title"),
        }

    def link(self, obj):
        return obj.get_absolute_url()

    def subtitle(self, obj):
        return translated(obj, "summary")

    def items(self, obj):
        return self.published().filter(commitment=obj)[:FEED_LENGTH]
