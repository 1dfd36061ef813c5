"""Template tags: numbers in the reader's number system (see commitments.numbers), and the
status, progress and pace badges."""

from decimal import Decimal

from django import template
from django.conf import settings
from django.utils import formats
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from commitments import languages, numbers, standing
from commitments.languages import DEFAULT, NAMES, TranslationOrigin, short_code, translated
from commitments.markdown import render_markdown

register = template.Library()


def _system(context) -> str:
    return context.get("number_system") or settings.NUMBER_SYSTEM


# Every number tag reads the active language (languages.short_code()): Japanese pages write
# 万・億・兆, Hindi pages लाख・करोड़, English pages follow the reader's number system.


@register.filter
def percent_shown(percent):
    """A percent as bars and labels show it: rounded down, within 0–100 (standing.py)."""
    return standing.percent_shown(percent)


@register.filter
def percent(value):
    """A percent as text, rounded down within 0–100: '42 %' (en), '42%' (ja, hi)."""
    return numbers.format_percent(standing.percent_shown(value), languages.short_code())


@register.filter
def quantity(value):
    """A stored number in plain grouped digits: 500000.0000 → 500,000; 12.5000 → 12.5."""
    if value is None or value == "":
        return ""
    return numbers.group_digits(Decimal(value), numbers.INTERNATIONAL)


@register.simple_tag(takes_context=True)
def amount(context, value, commitment):
    """A value in the commitment's unit: '5 lakh people', '¥10 trillion', '10兆円', '50万人',
    '₹5.96 लाख करोड़'."""
    return numbers.format_amount(
        value,
        commitment.target_unit,
        languages.short_code(),
        _system(context),
        commitment.target_unit_label,
    )


@register.simple_tag(takes_context=True)
def money(context, value, currency):
    return numbers.format_money_in(value, currency, languages.short_code(), _system(context))


@register.simple_tag(takes_context=True)
def count(context, value):
    return numbers.format_count_in(value, languages.short_code(), _system(context))


# Badges and bars, shared by templates and the list table (which calls them per cell, so
# they are format_html rather than included templates).


@register.simple_tag
def status_badge(commitment):
    """The current status (or 'No update yet'), and 'Overdue' when it is."""
    if commitment.current_status:
        badge = format_html(
            '<span class="badge status-{}">{}</span>',
            commitment.current_status,
            commitment.get_current_status_display(),
        )
    else:
        badge = format_html('<span class="badge">{}</span>', _("No update yet"))
    if commitment.is_overdue:
        badge += format_html(' <span class="badge overdue">{}</span>', _("Overdue"))
    return badge


@register.simple_tag
def progress_bar(commitment):
    percent = commitment.progress_percent_display
    if percent is None:
        return ""
    return format_html(
        '<span class="progress"><svg class="progress-bar" viewBox="0 0 100 8" '
        'preserveAspectRatio="none" aria-hidden="true" focusable="false">'
        '<rect class="progress-track" width="100" height="8" rx="2"/>'
        '<rect class="progress-fill" width="{}" height="8" rx="2"/></svg>'
        '<span class="progress-label">{}</span></span>',
        percent,
        numbers.format_percent(percent, languages.short_code()),
    )


@register.simple_tag
def pace_badge(commitment, pace=None):
    pace = pace or commitment.pace
    if not pace:
        return ""
    return format_html('<span class="badge pace-{}">{}</span>', pace.value, pace.label)


def progress_cell(commitment):
    """The list's progress cell: the bar and the pace, or a dash when there is neither."""
    pace = commitment.pace
    bar = progress_bar(commitment)
    if not bar and not pace:
        return "—"
    return format_html(
        '<span class="progress-cell">{}{}</span>',
        bar,
        format_html(" {}", pace_badge(commitment, pace)) if pace else "",
    )


@register.simple_tag
def source_citation(source):
    """A source as it is cited everywhere: publisher, linked title, date, kind, archive."""
    parts = []
    if source.publisher:
        parts.append(format_html("{}, ", source.publisher))
    if source.url:
        parts.append(
            format_html(
                '<a href="{}" rel="noopener noreferrer"><cite>{}</cite></a>',
                source.url,
                source.title,
            )
        )
    else:
        parts.append(format_html('<cite class="citation-title">{}</cite>', source.title))
    if source.published_on:
        parts.append(
            format_html(
                ', <time datetime="{}">{}</time>',
                source.published_on.isoformat(),
                formats.date_format(source.published_on, "DATE_FORMAT"),
            )
        )
    if source.kind:
        kind = source.get_kind_display()
        parts.append(
            format_html(
                ' <span class="source-kind">({})</span>',
                kind.lower() if short_code() == DEFAULT else kind,
            )
        )
    if source.archive_url:
        parts.append(
            format_html(
                ' · <a href="{}" rel="noopener noreferrer">{}</a>',
                source.archive_url,
                _("archived copy"),
            )
        )
    if source.accessed_on:
        parts.append(
            format_html(
                " · {}",
                _("accessed %(date)s")
                % {"date": formats.date_format(source.accessed_on, "DATE_FORMAT")},
            )
        )
    return format_html('<cite class="citation">{}</cite>', mark_safe("".join(parts)))


@register.inclusion_tag("includes/briefing_links.html")
def briefing_links(sector=None, party=None, event=None):
    """Links to the progress report (PDF) for a scope and the usual periods, and to the
    report page for any other period."""
    from django.utils import timezone

    from commitments.models import Commitment
    from commitments.reports import preset_periods

    scope, query = Commitment.objects.public(), {}
    if sector:  # a template passes "" for a variable it does not have
        scope, query["sector"] = scope.filter(sector=sector), sector.slug
    if party:
        scope, query["party"] = scope.filter(parties=party), party.slug
    if event:
        scope, query["event"] = scope.filter(event=event), event.slug
    links = []
    for label, start, end in preset_periods(timezone.localdate(), scope):
        params = {**query, "from": start.isoformat(), "to": end.isoformat()}
        links.append((label, urlencode({**params, "format": "pdf"}), urlencode(params)))
    return {"links": links, "query": urlencode(query), "scope": sector or party or event or None}


@register.simple_tag
def error_summary(form, formset=None, formset_label=""):
    """Every problem with a form (and its formset), in page order, for the summary at its top:
    one item per error, `href` the id of the field it is about (None for the form as a whole).
    A formset's forms are named "<formset_label> 1", "<formset_label> 2"…; a form's
    `summary_labels` can name a field there otherwise than its label."""
    items = []

    def add(one_form, prefix=""):
        if one_form is None:
            return
        for error in one_form.non_field_errors():
            items.append({"href": None, "text": f"{prefix}{error}"})
        for field in one_form:
            for error in field.errors:
                if field.is_hidden:
                    items.append({"href": None, "text": f"{prefix}{error}"})
                else:
                    name = getattr(one_form, "summary_labels", {}).get(field.name, field.label)
                    label = f"{prefix}{name}: " if name else prefix
                    items.append({"href": f"#{field.auto_id}", "text": f"{label}{error}"})

    add(form)
    if formset:
        for error in formset.non_form_errors():
            items.append({"href": None, "text": str(error)})
        for number, one_form in enumerate(formset.forms, start=1):
            add(one_form, f"{formset_label} {number} › " if formset_label else "")
    return items


# The commitment page (issue 14): its chart's value axis and how fresh it is.


@register.simple_tag(takes_context=True)
def axis_value(context, value, commitment):
    """A chart's axis label: money as money ('¥2.5 trillion', '2.5兆円'), anything else as a
    bare number ('5 lakh', '50万', '1,25,000'); the unit is named once, in the chart's title."""
    language = languages.short_code()
    if commitment.target_unit in numbers.MONEY_UNITS:
        return numbers.format_money_in(value, commitment.target_unit, language, _system(context))
    return numbers.format_count_in(value, language, _system(context))


def age_in_words(since, today) -> str:
    """How long ago `since` was, as a reader says it, in the active language: 'today',
    'yesterday', '12 days', '15 months', '2 years' (15か月, 15 महीने)."""
    days = (today - since).days
    if days <= 0:
        return pgettext("how long ago", "today")
    if days == 1:
        return pgettext("how long ago", "yesterday")
    if days < 60:
        return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}
    months = round(days / 30.4375)
    if months < 24:
        return ngettext("%(count)d month", "%(count)d months", months) % {"count": months}
    years = days // 365
    return ngettext("%(count)d year", "%(count)d years", years) % {"count": years}


@register.inclusion_tag("includes/freshness.html")
def freshness(commitment, as_of=None):
    """How fresh a commitment's page is, beside its status: 'Updated 3 days ago (12 Nov
    2026)' or, by the dashboard's staleness rule, 'No update since 29 Aug 2025 — 15
    months' flagged as stale. In an as-of view, counted to that day."""
    last = commitment.last_update_on
    day = commitment.reference_day
    age = age_in_words(last, day) if last else ""
    return {
        "last": last,
        "age": age,
        "days": (day - last).days if last else None,
        "stale": commitment.is_stale,
        "stale_days": settings.STALE_AFTER_DAYS,
        "as_of": as_of,
    }


# Translated content (commitments.languages): Markdown texts and where a translation is from.


@register.filter
def tr_markdown(obj, field: str):
    """A Markdown field (description, body) in the page's language, rendered; the English
    fallback is marked lang="en" and followed by the "not yet translated" marker, once."""
    if obj is None:
        return ""
    text = translated(obj, field)
    html = render_markdown(str(text))
    if not text.fallback:
        return html
    return format_html(
        '<div lang="en">{}</div><p class="untranslated"><small>{}</small></p>',
        html,
        _("(not yet translated)"),
    )


@register.simple_tag
def translation_note(obj):
    """On a page in Japanese or Hindi: where this object's text in that language comes from
    (the source's own wording, a reviewed or an unreviewed translation), or that there is
    none yet. Nothing in English."""
    code = short_code()
    if code == DEFAULT:
        return ""
    origin = getattr(obj, f"translation_{code}", "") or ""
    if origin in TranslationOrigin.values:
        what = TranslationOrigin(origin).label
    elif str(translated(obj, "title")) and not translated(obj, "title").fallback:
        what = _("Translation")
    else:
        what = _("Not yet translated; shown in English")
    return format_html(
        '<p class="translation-note meta">{}</p>',
        _("The %(language)s text of this commitment: %(origin)s")
        % {"language": NAMES[code], "origin": what},
    )


@register.simple_tag
def event_phrase(event, when=""):
    """An event named in a sentence, linked: 'the 15th India–Japan Annual Summit, Tokyo,
    Japan, 29–30 August 2025' (the article in English only)."""
    from django.urls import reverse

    name, location = translated(event, "name"), translated(event, "location")
    link = format_html(
        '<a href="{}"{}>{}</a>',
        reverse("commitments:event", args=[event.slug]),
        mark_safe(' lang="en"') if name.fallback else "",
        name,
    )
    if location.fallback:
        location = format_html('<span lang="en">{}</span>', location)
    if short_code() == DEFAULT and not name.lower().startswith("the "):
        link = format_html("the {}", link)
    separator = pgettext("list separator", ", ")
    rest = [format_html("{}{}", separator, part) for part in (location, when) if part]
    return format_html("{}{}", link, mark_safe("".join(rest)))
