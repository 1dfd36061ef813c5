"""Atom feeds of published updates: the whole tracker, or one commitment."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html, format_html_join

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
        return f"{settings.SITE_NAME}: published updates"

    def link(self):
        return reverse("commitments:dashboard")

    def subtitle(self):
        return "Every status update on public commitments, newest first, with its sources."

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
        title = (
            f"{item.commitment.title}: {item.get_status_display()} (as of {item.as_of:%d %B %Y})"
        )
        return f"Correction — {title}" if item.kind == item.Kind.CORRECTION else title

    def item_description(self, item):
        sources = format_html_join(
            "",
            "<li>{}</li>",
            ((source_citation(source),) for source in item.sources.all()),
        )
        note = ""
        if item.kind == item.Kind.CORRECTION:
            note = format_html(
                "<p><strong>Corrected on {}:</strong> {}</p>",
                f"{item.reviewed_at:%d %B %Y}",
                item.correction_note,
            )
        return format_html(
            "{}<p>{}</p>{}<p>Sources:</p><ul>{}</ul>", note, item.summary, item.body_html, sources
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
        return [item.get_status_display()]


class CommitmentFeed(UpdatesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Commitment.objects.public(), slug=slug)

    def title(self, obj):
        return f"{settings.SITE_NAME}: {obj.title}"

    def link(self, obj):
        return obj.get_absolute_url()

    def subtitle(self, obj):
        return obj.summary

    def items(self, obj):
        return self.published().filter(commitment=obj)[:FEED_LENGTH]
