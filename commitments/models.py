"""The domain: who committed to what, at which event, and how far it has come.

A `Commitment` is a public pledge. Its progress is recorded as dated `StatusUpdate`s, each
backed by `Source`s and reviewed by an editor before the public sees it. The commitment's
standing (status, progress, percent) follows from its *published* updates: computed in
commitments/standing.py, stored on the commitment for today and written only by
`standing.refresh()`.
"""

import calendar
import datetime
from collections import Counter
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.validators import MinValueValidator, URLValidator
from django.db import models, transaction
from django.db.models import (
    Case,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Lower
from django.db.models.query import ModelIterable
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from commitments import citations, standing
from commitments.languages import (
    OTHER_LANGUAGES,
    TranslationOrigin,
    origin_field,
    translated,
    translation_field,
)
from commitments.markdown import render_markdown
from commitments.progress import (
    Pace,
    PaceFigures,
    Point,
    Projection,
    compute_pace_for,
    expected_value,
    project_completion,
)
from commitments.rules import ONCE_PUBLIC_STATES

ANALYST_GROUP = "Analyst"
EDITOR_GROUP = "Editor"

http_url_validator = URLValidator(schemes=["http", "https"])


class PartyKind(models.TextChoices):
    COUNTRY = "country", _("Country")
    GOVERNMENT = "government", _("Government or ministry")
    AGENCY = "agency", _("Public agency")
    STATE = "state", _("State or province")
    PREFECTURE = "prefecture", _("Prefecture")
    LOCAL = "local", _("Local government")
    COMPANY = "company", _("Company")
    ORGANISATION = "organisation", _("Organisation")


class SourceKind(models.TextChoices):
    OFFICIAL_STATEMENT = "official_statement", _("Official statement")
    GOVERNMENT_DATA = "government_data", _("Government data")
    NEWS = "news", _("News")
    OTHER = "other", _("Other")


class UpdateStatus(models.TextChoices):
    ANNOUNCED = "announced", _("Announced")
    IN_PROGRESS = "in_progress", _("In progress")
    DELAYED = "delayed", _("Delayed")
    STALLED = "stalled", _("Stalled")
    PARTIALLY_ACHIEVED = "partially_achieved", _("Partially achieved")
    ACHIEVED = "achieved", _("Achieved")
    ABANDONED = "abandoned", _("Abandoned")

    @property
    def definition(self) -> str:
        return STATUS_DEFINITIONS[self]


class UpdateState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")
    # Once public, never edited in place: replaced by a published correction, or withdrawn
    # by a published retraction (both reviewed). The public still sees the notice.
    SUPERSEDED = "superseded", _("Superseded by a correction")
    RETRACTED = "retracted", _("Retracted")


class UpdateKind(models.TextChoices):
    UPDATE = "update", _("Update")
    CORRECTION = "correction", _("Correction")
    RETRACTION = "retraction", _("Retraction")


class DeadlinePrecision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


class TargetUnit(models.TextChoices):
    PEOPLE = "people", _("people")
    JPY = "JPY", _("Japanese yen (JPY)")
    INR = "INR", _("Indian rupees (INR)")
    USD = "USD", _("US dollars (USD)")
    COUNT = "count", _("count")
    PERCENT = "percent", _("percent")
    OTHER = "other", _("other (name it)")


MONEY_CHOICES = [
    ("INR", _("Indian rupees (INR)")),
    ("JPY", _("Japanese yen (JPY)")),
    ("USD", _("US dollars (USD)")),
]


class PartyRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    COUNTERPART = "counterpart", _("Counterpart")
    PARTNER = "partner", _("Partner")
    FUNDER = "funder", _("Funder")
    IMPLEMENTER = "implementer", _("Implementer")


class User(AbstractUser):
    """The project's own user model, so accounts can grow without a swap-model migration."""

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        ordering = ["username"]

    @property
    def role(self) -> str:
        """The highest role the account holds, as shown to people ('' for none)."""
        if self.is_superuser:
            return gettext("Admin")
        names = {group.name for group in self.groups.all()}
        if EDITOR_GROUP in names:
            return gettext("Editor")
        if ANALYST_GROUP in names:
            return gettext("Analyst")
        return ""


class Event(models.Model):
    """Where commitments were made: a summit, a visit, a conference."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    location = models.CharField(max_length=200, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    description = models.TextField(blank=True)
    # Its texts in Japanese and Hindi (commitments/languages.py).
    name_ja = translation_field(name, "name", "ja")
    name_hi = translation_field(name, "name", "hi")
    location_ja = translation_field(location, "location", "ja")
    location_hi = translation_field(location, "location", "hi")
    description_ja = translation_field(description, "description", "ja")
    description_hi = translation_field(description, "description", "hi")
    translation_ja = origin_field("ja")
    translation_hi = origin_field("hi")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="event_ends_on_or_after_start",
                violation_error_message=_("An event cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": gettext("An event cannot end before it starts.")})


class PartyQuerySet(models.QuerySet):
    def public(self):
        """Parties the public may know of: those on at least one public commitment. A party
        named only on unpublished commitments could give away an unannounced partnership."""
        return self.filter(
            Exists(
                CommitmentParty.objects.filter(
                    party=OuterRef("pk"), commitment__latest_update__isnull=False
                )
            )
        )


class Party(models.Model):
    """Who commits or delivers: a country, a government, an agency, a state or prefecture."""

    Kind = PartyKind

    name = models.CharField(max_length=200)
    short_name = models.CharField(
        max_length=50, blank=True, help_text=_("Acronym or short form, e.g. ISRO.")
    )
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind)
    country = CountryField(
        blank=True, help_text=_("The country the party belongs to; empty for international bodies.")
    )
    description = models.TextField(blank=True)
    website = models.URLField(blank=True, validators=[http_url_validator])
    # Its texts in Japanese and Hindi (commitments/languages.py).
    name_ja = translation_field(name, "name", "ja")
    name_hi = translation_field(name, "name", "hi")
    short_name_ja = translation_field(short_name, "short_name", "ja")
    short_name_hi = translation_field(short_name, "short_name", "hi")
    description_ja = translation_field(description, "description", "ja")
    description_hi = translation_field(description, "description", "hi")
    translation_ja = origin_field("ja")
    translation_hi = origin_field("hi")

    history = HistoricalRecords()
    objects = PartyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("parties")
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="party_name_unique_ignoring_case",
                violation_error_message=_("A party with this name already exists."),
            ),
            models.CheckConstraint(condition=Q(kind__in=PartyKind.values), name="party_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("commitments:party", args=[self.slug])

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def translated_name(self) -> str:
        """`display_name` in the reader's language (English where not translated)."""
        return str(translated(self, "short_name") or translated(self, "name"))


class Sector(models.Model):
    """A policy area: space, investment, people & skills, defence & security, …"""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(
        default=0, help_text=_("Order in lists and charts (lowest first).")
    )
    # Its texts in Japanese and Hindi (commitments/languages.py).
    name_ja = translation_field(name, "name", "ja")
    name_hi = translation_field(name, "name", "hi")
    description_ja = translation_field(description, "description", "ja")
    description_hi = translation_field(description, "description", "hi")
    translation_ja = origin_field("ja")
    translation_hi = origin_field("hi")

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("commitments:sector", args=[self.slug])


class SourceQuerySet(models.QuerySet):
    def public(self):
        """Sources cited by at least one published update: the only ones the public sees."""
        return self.filter(self._cited_publicly())

    def visible_to(self, user):
        """What an analyst may cite: the public sources and the ones they added."""
        return self.filter(self._cited_publicly() | Q(added_by=user))

    @staticmethod
    def _cited_publicly() -> Exists:
        cited = StatusUpdate.sources.through.objects.filter(
            source=OuterRef("pk"), statusupdate__state=StatusUpdate.State.PUBLISHED
        )
        return Exists(cited)


class Source(models.Model):
    """Evidence: a document, page or data set that an update cites."""

    Kind = SourceKind

    title = models.CharField(max_length=500)
    url = models.URLField(
        "URL",
        max_length=1000,
        blank=True,
        validators=[http_url_validator],
        help_text=_("http or https; leave empty for a print document."),
    )
    publisher = models.CharField(max_length=200, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    accessed_on = models.DateField(_("accessed on"), null=True, blank=True)
    archive_url = models.URLField(
        _("archive URL"),
        max_length=1000,
        blank=True,
        validators=[http_url_validator],
        help_text=_("A permanent copy, e.g. in a web archive."),
    )
    kind = models.CharField(max_length=30, choices=Kind, default=Kind.OTHER)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="added_sources",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "title"]
        indexes = [
            # The admin changelist's default order.
            models.Index(fields=["-published_on", "title"], name="source_changelist_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["url"],
                condition=~Q(url=""),
                name="source_url_unique_when_present",
                violation_error_message=_("A source with this URL already exists."),
            ),
            models.CheckConstraint(
                condition=Q(url="") | Q(url__startswith="http://") | Q(url__startswith="https://"),
                name="source_url_http_or_https",
                violation_error_message=_("A source URL must start with http:// or https://."),
            ),
            models.CheckConstraint(
                condition=Q(archive_url="")
                | Q(archive_url__startswith="http://")
                | Q(archive_url__startswith="https://"),
                name="source_archive_url_http_or_https",
                violation_error_message=_("An archive URL must start with http:// or https://."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=SourceKind.values), name="source_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(accessed_on__isnull=True)
                | Q(published_on__isnull=True)
                | Q(accessed_on__gte=F("published_on")),
                name="source_accessed_on_or_after_published",
                violation_error_message=_("A source cannot be accessed before it was published."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_cited_publicly(self) -> bool:
        return self.status_updates.filter(state__in=ONCE_PUBLIC_STATES).exists()

    def clean(self):
        if self.accessed_on and self.published_on and self.accessed_on < self.published_on:
            raise ValidationError(
                {"accessed_on": gettext("A source cannot be accessed before it was published.")}
            )


class Conversion(models.Model):
    """An exchange rate as a source states it ("¥10 trillion (about ₹5.96 lakh crore)").

    The tracker never fetches live rates: it shows only the conversions its sources make.
    """

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="conversions")
    from_currency = models.CharField(max_length=3, choices=MONEY_CHOICES)
    from_amount = models.DecimalField(max_digits=24, decimal_places=4)
    to_currency = models.CharField(max_length=3, choices=MONEY_CHOICES)
    to_amount = models.DecimalField(max_digits=24, decimal_places=4)

    history = HistoricalRecords()

    class Meta:
        ordering = ["source", "from_currency", "to_currency"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_currency=F("to_currency")),
                name="conversion_between_two_currencies",
                violation_error_message=_("A conversion is between two different currencies."),
            ),
            models.CheckConstraint(
                condition=Q(from_amount__gt=0) & Q(to_amount__gt=0),
                name="conversion_amounts_positive",
                violation_error_message=_("Both amounts of a conversion must be above zero."),
            ),
        ]

    def __str__(self) -> str:
        before = f"{self.from_amount.normalize():f} {self.from_currency}"
        return f"{before} = {self.to_amount.normalize():f} {self.to_currency}"

    def convert(self, amount: Decimal) -> Decimal:
        return amount * self.to_amount / self.from_amount


# The one order of updates: by as-of date, then publication time, then creation.
NEWEST_FIRST = (F("as_of").desc(), F("reviewed_at").desc(nulls_last=True), F("pk").desc())
OLDEST_FIRST = (F("as_of").asc(), F("reviewed_at").asc(nulls_first=True), F("pk").asc())


class StatusUpdateQuerySet(models.QuerySet):
    def published(self):
        """What the public may see. Every public page, export, feed and API starts here."""
        return self.filter(state=StatusUpdate.State.PUBLISHED)

    def awaiting_review(self):
        return self.filter(state=StatusUpdate.State.SUBMITTED).order_by("submitted_at", "pk")

    def visible_to(self, user):
        """The updates `user` may see (commitments/rules.py decides)."""
        from commitments import rules

        return self.filter(rules.visible_q(user))

    def notices(self):
        """Public corrections and retractions: the fact-checker's record of what changed."""
        return self.filter(
            Q(kind=UpdateKind.CORRECTION, state__in=[UpdateState.PUBLISHED, UpdateState.SUPERSEDED])
            | Q(kind=UpdateKind.RETRACTION, state=UpdateState.RETRACTED)
        )

    def newest_first(self):
        """The order of a timeline, and of 'latest': by as_of, then by publication time."""
        return self.order_by(*NEWEST_FIRST)

    def oldest_first(self):
        """`newest_first()` reversed: the order in which updates tell a commitment's story
        (charts, change log, reports, exports)."""
        return self.order_by(*OLDEST_FIRST)


# An update's Japanese and Hindi texts and where each comes from (commitments/languages.py).
TRANSLATED_CONTENT = tuple(
    name
    for code in OTHER_LANGUAGES
    for name in (f"summary_{code}", f"body_{code}", f"translation_{code}")
)


class StatusUpdate(models.Model):
    """A dated, sourced statement of where a commitment stands, reviewed before publication."""

    Status = UpdateStatus

    State = UpdateState
    Kind = UpdateKind

    commitment = models.ForeignKey("Commitment", on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.UPDATE, editable=False)
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="revisions",
        help_text=_("The published update this correction or retraction amends."),
    )
    correction_note = models.CharField(
        _("what changed and why"),
        max_length=500,
        blank=True,
        help_text=_("Shown to the public with the correction or retraction."),
    )
    as_of = models.DateField(_("as of"), help_text=_("The date this update speaks for."))
    status = models.CharField(max_length=20, choices=Status)
    progress_value = models.DecimalField(
        _("progress value"),
        max_digits=24,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(0, _("The progress value cannot be negative."))],
        help_text=_("Cumulative, in the unit of the commitment's target."),
    )
    summary = models.CharField(max_length=300)
    body = models.TextField(blank=True, help_text=_("Markdown."))
    sources = models.ManyToManyField(Source, related_name="status_updates", blank=True)
    cited_sources = models.TextField(
        _("sources cited"),
        blank=True,
        default="",
        editable=False,
        help_text=_("Its sources as the CSV export writes them: kept by commitments/citations.py."),
    )
    # Its texts in Japanese and Hindi, reviewed with the update (commitments/languages.py).
    summary_ja = translation_field(summary, "summary", "ja")
    summary_hi = translation_field(summary, "summary", "hi")
    body_ja = translation_field(body, "body", "ja")
    body_hi = translation_field(body, "body", "hi")
    translation_ja = origin_field("ja")
    translation_hi = origin_field("hi")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="authored_updates",
    )
    state = models.CharField(max_length=20, choices=State, default=State.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviewed_updates",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(blank=True)
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text=_("Raised by every save: stops edits overwriting.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[sources])
    objects = StatusUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["-as_of", "-pk"]
        permissions = [("publish_statusupdate", "Can publish or reject status updates")]
        indexes = [
            # standing.refresh() and every timeline: published updates of
            # one commitment, newest as_of first.
            models.Index(fields=["commitment", "state", "as_of"], name="update_timeline_idx"),
            # The editors' review queue: submitted updates, oldest first.
            models.Index(fields=["state", "submitted_at"], name="update_review_queue_idx"),
            # The feeds and the dashboard's recent updates: newest publications first.
            models.Index(fields=["state", "-reviewed_at", "-id"], name="update_recent_idx"),
            # The admin changelist in its default order (Meta.ordering), unfiltered and
            # filtered by state. (The stale lists read the commitment's stored
            # last_update_on, so PostgreSQL has no reason to walk this one for them.)
            models.Index(fields=["-as_of", "-id"], name="update_as_of_idx"),
            models.Index(fields=["state", "-as_of", "-id"], name="update_state_as_of_idx"),
            # The workspace: one author's updates in one state, most recently changed first.
            models.Index(
                fields=["author", "state", "-updated_at", "-id"], name="update_author_state_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=UpdateStatus.values), name="update_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(state__in=UpdateState.values), name="update_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(progress_value__isnull=True) | Q(progress_value__gte=0),
                name="update_progress_value_not_negative",
                violation_error_message=_("The progress value cannot be negative."),
            ),
            models.CheckConstraint(
                condition=~Q(state="published") | Q(reviewed_at__isnull=False),
                name="update_published_has_review_time",
                violation_error_message=_("A published update needs its review time."),
            ),
            models.CheckConstraint(
                condition=~Q(state="rejected")
                | (Q(reviewed_at__isnull=False) & ~Q(review_comment="")),
                name="update_rejected_has_comment",
                violation_error_message=_("A rejected update needs the reviewer's comment."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=UpdateKind.values), name="update_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind="update", corrects__isnull=True)
                | (~Q(kind="update") & Q(corrects__isnull=False) & ~Q(correction_note="")),
                name="update_revision_has_original_and_note",
                violation_error_message=_(
                    "A correction or retraction names the update it amends and says why."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commitment}: {self.get_status_display()} as of {self.as_of:%d %b %Y}"

    # What a published update says: never changed in place (see save()).
    CONTENT_FIELDS = (
        "commitment_id",
        "kind",
        "corrects_id",
        "as_of",
        "status",
        "progress_value",
        "summary",
        "body",
        "correction_note",
        # Its Japanese and Hindi texts are part of what it says (reviewed with it).
        *TRANSLATED_CONTENT,
    )

    def save(self, *args, **kwargs):
        """Save, refusing to change what a once-public update says, and keep the
        commitment's current status right whenever a public update is touched."""
        stored = None
        if self.pk is not None and not self._state.adding:
            stored = (
                StatusUpdate.objects.filter(pk=self.pk)
                .values("state", "commitment_id", *self.CONTENT_FIELDS[1:])
                .first()
            )
        if stored and stored["state"] in ONCE_PUBLIC_STATES:
            changed = [
                name
                for name in self.CONTENT_FIELDS
                if stored[name] != getattr(self, name)
                and not (
                    name == "progress_value" and _same_number(stored[name], self.progress_value)
                )
            ]
            if changed:
                raise ValidationError(
                    gettext(
                        "A published update is never changed in place (%(fields)s): open a "
                        "correction instead; it goes through review."
                    )
                    % {
                        "fields": ", ".join(
                            name.removesuffix("_id").replace("_", " ") for name in changed
                        )
                    }
                )
        super().save(*args, **kwargs)
        was_public = bool(stored) and stored["state"] == self.State.PUBLISHED
        if was_public or self.state == self.State.PUBLISHED:
            standing.refresh(self.commitment_id, stored["commitment_id"] if stored else None)

    @property
    def status_definition(self) -> str:
        return STATUS_DEFINITIONS[self.status]

    @property
    def body_html(self):
        return render_markdown(self.body)

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED

    def clean(self):
        errors = {}
        if self.as_of:
            if self.as_of > timezone.localdate():
                errors["as_of"] = gettext("The as-of date cannot be in the future.")
            elif self.commitment_id and self.as_of < self.commitment.announced_on:
                errors["as_of"] = gettext(
                    "The as-of date cannot be before the commitment was announced (%(date)s)."
                ) % {"date": formats.date_format(self.commitment.announced_on, "DATE_FORMAT")}
        if self.progress_value is not None:
            if self.progress_value < 0:
                errors["progress_value"] = gettext("The progress value cannot be negative.")
            elif self.commitment_id and self.commitment.target_value is None:
                errors["progress_value"] = gettext(
                    "This commitment has no measurable target, so an update cannot record a "
                    "progress value."
                )
        if errors:
            raise ValidationError(errors)

    # The editorial workflow. Each step is one method that locks the row and checks its
    # stored state in one transaction, so two people cannot act on the same update at once.
    # When a person acts (`by`), commitments/rules.py decides whether they may.

    @property
    def is_revision(self) -> bool:
        return self.kind != self.Kind.UPDATE

    # What a correction or retraction starts from: the published update's own content.
    REVISED_FIELDS = ("as_of", "status", "progress_value", "summary", "body", *TRANSLATED_CONTENT)

    def revision(self, kind: str, author, note: str = "") -> "StatusUpdate":
        """An unsaved correction or retraction of this update, by `author`, starting from
        what the public sees now (its sources are set once it is saved). Its translations
        start as translations to review again: the correction may change them."""
        fields = {name: getattr(self, name) for name in self.REVISED_FIELDS}
        for code in OTHER_LANGUAGES:
            if fields.get(f"translation_{code}") == TranslationOrigin.REVIEWED:
                fields[f"translation_{code}"] = TranslationOrigin.UNREVIEWED
        return StatusUpdate(
            commitment=self.commitment,
            author=author,
            kind=kind,
            corrects=self,
            correction_note=note,
            **fields,
        )

    def timeline_url(self) -> str:
        """Where a published update is on its commitment's paged timeline (one COUNT)."""
        newer = (
            StatusUpdate.objects.published()
            .filter(commitment_id=self.commitment_id)
            .filter(
                Q(as_of__gt=self.as_of)
                | Q(as_of=self.as_of, reviewed_at__gt=self.reviewed_at)
                | Q(as_of=self.as_of, reviewed_at=self.reviewed_at, pk__gt=self.pk)
            )
            .count()
        )
        page = newer // TIMELINE_PAGE_SIZE + 1
        query = f"?updates={page}" if page > 1 else ""
        return f"{self.commitment.get_absolute_url()}{query}#update-{self.pk}"

    def submit(self, by=None):
        """Draft or rejected → submitted."""
        with transaction.atomic():
            self._transition(
                {self.State.DRAFT, self.State.REJECTED},
                _("Only a draft or a rejected update can be submitted for review."),
                by,
                "submit",
            )
            self.state = self.State.SUBMITTED
            self.submitted_at = timezone.now()
            self._save_step("Submitted for review", by, ["state", "submitted_at"])

    def withdraw(self, by=None):
        """Submitted → draft, by its author, before anyone reviews it."""
        with transaction.atomic():
            self._transition(
                {self.State.SUBMITTED},
                _("Only an update awaiting review can be withdrawn."),
                by,
                "withdraw",
            )
            self.state = self.State.DRAFT
            self.submitted_at = None
            self._save_step("Withdrawn to draft", by, ["state", "submitted_at"])

    def reopen(self, by=None):
        """Rejected → draft, so its author can rework it before submitting again."""
        with transaction.atomic():
            self._transition(
                {self.State.REJECTED}, _("Only a rejected update can be reopened."), by, "edit"
            )
            self.state = self.State.DRAFT
            self.submitted_at = None
            self._save_step("Reopened as draft", by, ["state", "submitted_at"])

    def publish(self, by, version: int | None = None):
        """Submitted → published, by an editor who is not its author. `version` is the
        version the editor reviewed: if the update changed since, nothing is published.

        A correction replaces the update it corrects (which becomes *superseded*); a
        retraction withdraws it (both become *retracted*, the retraction being the notice)."""
        with transaction.atomic():
            self._transition(
                {self.State.SUBMITTED},
                _("Only an update awaiting review can be published."),
                by,
                "publish",
                version,
            )
            if self.as_of > timezone.localdate():
                raise ValidationError(gettext("An update dated in the future cannot be published."))
            if not self.sources.exists():
                raise ValidationError(
                    gettext("An update needs at least one source before it can be published.")
                )
            original = None
            if self.is_revision:
                original = StatusUpdate.objects.select_for_update().get(pk=self.corrects_id)
                if original.commitment_id != self.commitment_id:
                    raise ValidationError(
                        gettext(
                            "A correction or retraction must stay on the commitment of the "
                            "update it amends."
                        )
                    )
                if original.state != self.State.PUBLISHED:
                    raise ValidationError(
                        gettext(
                            "The update this %(kind)s amends is no longer published (it is "
                            "%(state)s): reject this one and open a new one from the current "
                            "version."
                        )
                        % {
                            "kind": self.get_kind_display().lower(),
                            "state": original.get_state_display().lower(),
                        }
                    )
            # Its sources are fixed from now on: their text is right when it goes public,
            # whatever path (a bulk edit, the shell) may have skipped the receivers.
            self.cited_sources = citations.refresh([self.pk])[self.pk]
            now = timezone.now()
            if original is not None:
                retracting = self.kind == self.Kind.RETRACTION
                original.state = self.State.RETRACTED if retracting else self.State.SUPERSEDED
                original.version += 1
                original._change_reason = (
                    f"Retracted by #{self.pk}" if retracting else f"Corrected by #{self.pk}"
                )
                if by is not None:
                    original._history_user = by
                original.save(update_fields=["state", "version", "updated_at"])
            self.state = (
                self.State.RETRACTED if self.kind == self.Kind.RETRACTION else self.State.PUBLISHED
            )
            self.reviewer = by
            self.reviewed_at = now
            self.review_comment = ""
            # The editor reviewed its translations with it ("source" wording stays as it is).
            reviewed = []
            for code in OTHER_LANGUAGES:
                text = getattr(self, f"summary_{code}") + getattr(self, f"body_{code}")
                origin = f"translation_{code}"
                if text.strip() and getattr(self, origin) == TranslationOrigin.UNREVIEWED:
                    setattr(self, origin, TranslationOrigin.REVIEWED)
                    reviewed.append(origin)
            self._save_step(
                "Published", by, ["state", "reviewer", "reviewed_at", "review_comment", *reviewed]
            )
            # Followers hear of it once it is committed; nothing there can undo it.
            from commitments.following import notify

            update_id = self.pk
            transaction.on_commit(lambda: notify.published(update_id), robust=True)

    def reject(self, by, comment: str, version: int | None = None):
        comment = (comment or "").strip()
        if not comment:
            raise ValidationError(gettext("Say why the update is rejected: a comment is required."))
        with transaction.atomic():
            self._transition(
                {self.State.SUBMITTED},
                _("Only an update awaiting review can be rejected."),
                by,
                "reject",
                version,
            )
            self.state = self.State.REJECTED
            self.reviewer = by
            self.reviewed_at = timezone.now()
            self.review_comment = comment
            self._save_step("Rejected", by, ["state", "reviewer", "reviewed_at", "review_comment"])

    def _transition(self, allowed: set, message: str, by=None, action=None, version=None):
        """Lock the row and check its stored state (two people cannot act on it at once),
        who is acting (commitments/rules.py) and, for a review, the version reviewed."""
        from commitments import rules

        current = StatusUpdate.objects.select_for_update().get(pk=self.pk)
        if current.state not in allowed:
            raise ValidationError(
                gettext("%(message)s This one is %(state)s.")
                % {"message": message, "state": current.get_state_display().lower()}
            )
        if by is not None and action is not None:
            reason = rules.decide(by, action, current)
            if reason is not None:
                raise ValidationError(reason)
        if version is not None and version != current.version:
            raise ValidationError(current.changes_since(version))
        # Act on what is stored, not on what this instance was loaded with.
        for name in (*self.CONTENT_FIELDS, "author_id", "version", "submitted_at"):
            setattr(self, name, getattr(current, name))

    def changes_since(self, version: int) -> str:
        """In words: what changed since `version` (for a reviewer whose page is out of date)."""
        seen = self.history.filter(version=version).order_by("-history_id").first()
        intro = (
            gettext(
                "This update changed after you opened it, so nothing was done: review it again."
            )
            + " "
        )
        if seen is None:
            return intro
        changes = []
        for name, label in (
            ("as_of", pgettext_lazy("a field of an update", "as of")),
            ("status", pgettext_lazy("a field of an update", "status")),
            ("progress_value", pgettext_lazy("a field of an update", "progress")),
            ("summary", pgettext_lazy("a field of an update", "summary")),
            ("body", pgettext_lazy("a field of an update", "details")),
            ("correction_note", pgettext_lazy("a field of an update", "correction note")),
            ("summary_ja", pgettext_lazy("a field of an update", "summary in Japanese")),
            ("body_ja", pgettext_lazy("a field of an update", "details in Japanese")),
            ("translation_ja", pgettext_lazy("a field of an update", "Japanese text is")),
            ("summary_hi", pgettext_lazy("a field of an update", "summary in Hindi")),
            ("body_hi", pgettext_lazy("a field of an update", "details in Hindi")),
            ("translation_hi", pgettext_lazy("a field of an update", "Hindi text is")),
        ):
            before, after = getattr(seen, name), getattr(self, name)
            if before != after and not (name == "progress_value" and _same_number(before, after)):
                if name in ("body", "correction_note", "body_ja", "body_hi"):
                    changes.append(gettext("%(field)s rewritten") % {"field": label})
                else:
                    changes.append(
                        gettext("%(field)s: “%(before)s” → “%(after)s”")
                        % {"field": label, "before": before or "—", "after": after or "—"}
                    )
        seen_sources = {s.source_id for s in seen.sources.all()}
        if seen_sources != set(self.sources.values_list("pk", flat=True)):
            changes.append(gettext("sources changed"))
        if not changes:
            changes.append(gettext("it was withdrawn and sent for review again"))
        return intro + gettext("What changed: %(changes)s.") % {"changes": "; ".join(changes)}

    def _save_step(self, reason: str, by, fields: list[str]):
        self.version += 1
        self._change_reason = reason
        if by is not None:
            self._history_user = by
        self.save(update_fields=[*fields, "version", "updated_at"])


def _same_number(a, b) -> bool:
    if a is None or b is None:
        return a is b
    return Decimal(a) == Decimal(b)


STATUS_DEFINITIONS = {
    StatusUpdate.Status.ANNOUNCED: _("Announced, but no implementation has been seen yet."),
    StatusUpdate.Status.IN_PROGRESS: _("Work has visibly started and is moving towards the goal."),
    StatusUpdate.Status.DELAYED: _("Work is under way but behind its stated timeline."),
    StatusUpdate.Status.STALLED: _("No movement has been seen, or the work is blocked."),
    StatusUpdate.Status.PARTIALLY_ACHIEVED: _(
        "Part of the commitment has been delivered, not all."
    ),
    StatusUpdate.Status.ACHIEVED: _("The commitment has been delivered in full."),
    StatusUpdate.Status.ABANDONED: _("Those who made the commitment have dropped or reversed it."),
}

CLOSED_STATUSES = (StatusUpdate.Status.ACHIEVED, StatusUpdate.Status.ABANDONED)


def end_of_period(day: datetime.date, precision: str) -> datetime.date:
    """The last day of the month or year holding `day`: when a month or year deadline falls."""
    if precision == DeadlinePrecision.YEAR:
        return datetime.date(day.year, 12, 31)
    if precision == DeadlinePrecision.MONTH:
        return datetime.date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])
    return day


# What pace and a one-line mention of a commitment need (title, link, deadline, progress).
PACE_FIELDS = (
    "title",
    "slug",
    "announced_on",
    "deadline",
    "deadline_precision",
    "target_value",
    "target_unit",
    "target_unit_label",
    "baseline_value",
    "current_status",
    "latest_update",
    "last_update_on",
    "own_progress",
    "effective_progress",
    "progress_percent",
)


class StandingIterable(ModelIterable):
    """Commitments as they stood on a day (`standing_on()`): the day's standing is laid over
    the stored fields, so every reader of `current_status`, `effective_progress`,
    `progress_percent`… gets the day's figure."""

    def __iter__(self):
        for commitment in super().__iter__():
            then = standing.standing_from(commitment, commitment.__dict__)
            for name, value in then.stored().items():
                setattr(commitment, name, value)
            commitment._state.fields_cache.pop("latest_update", None)
            yield commitment


class CommitmentQuerySet(models.QuerySet):
    def public(self):
        """Commitments the public may see: those with at least one published update."""
        return self.filter(latest_update__isnull=False)

    def standing_on(self, day: datetime.date):
        """Each commitment as it stood on `day` (commitments/standing.py): its standing
        fields hold the day's figures, `standing_day` the day, and `status_then`,
        `as_of_then`, `progress_then` can be filtered and sorted on. Commitments with no
        published update dated up to then drop out. Every method below works on the day's
        standing once this is applied."""
        then = standing.annotations(day)
        clone = self.annotate(
            **then,
            progress_then=Coalesce(F("own_then"), F("parts_then")),
            standing_day=Value(day, output_field=models.DateField()),
        ).filter(status_then__isnull=False)
        clone = clone.annotate(progress_sort=standing.percent_sort_key(F("progress_then")))
        clone._iterable_class = StandingIterable
        return clone

    def _standing_day(self) -> datetime.date | None:
        annotation = self.query.annotations.get("standing_day")
        return annotation.value if annotation is not None else None

    def _status_field(self) -> str:
        return "status_then" if "status_then" in self.query.annotations else "current_status"

    def _last_update_field(self) -> str:
        return "as_of_then" if "as_of_then" in self.query.annotations else "last_update_on"

    def progress_sort_field(self) -> str:
        """What orders by percent complete: the stored percent, or the day's."""
        return "progress_sort" if "progress_sort" in self.query.annotations else "progress_percent"

    def _today(self, today=None) -> datetime.date:
        return today or self._standing_day() or timezone.localdate()

    def overdue(self, today: datetime.date | None = None):
        """Deadline passed, and neither achieved nor abandoned."""
        today = self._today(today)
        return self.filter(deadline__lt=today).exclude(
            **{f"{self._status_field()}__in": CLOSED_STATUSES}
        )

    def open(self):
        return self.exclude(**{f"{self._status_field()}__in": CLOSED_STATUSES})

    def upcoming(self, today: datetime.date | None = None, days: int = 365):
        """Open commitments due between today and `days` from now, soonest first."""
        today = self._today(today)
        return (
            self.open()
            .filter(deadline__gte=today, deadline__lte=today + datetime.timedelta(days=days))
            .order_by("deadline", "title")
        )

    def stale(self, today: datetime.date | None = None, days: int | None = None):
        """Open commitments whose latest published update is older than `days`."""
        cutoff = standing.stale_cutoff(self._today(today), days)
        field = self._last_update_field()
        return self.open().filter(**{f"{field}__lt": cutoff}).order_by(field, "title")

    def status_counts(self) -> list[tuple["UpdateStatus", int]]:
        """(status, number of commitments) for every status, zeros included, in order."""
        # Counted in Python: one column of one row per commitment is cheap, and grouping by a
        # correlated subquery (the as-of views) is not portable.
        counts = Counter(self.order_by().values_list(self._status_field(), flat=True))
        return [(status, counts.get(status.value, 0)) for status in UpdateStatus]

    def behind_pace(self, limit: int) -> tuple[list["Commitment"], int]:
        """The first `limit` measurable commitments with a deadline whose pace is behind,
        soonest due first, and how many there are: on today's standing, or the day's after
        `standing_on()`. Pace is progress.py's rule, worked out from plain values (no model
        object per candidate); only the commitments shown are loaded."""
        day = self._standing_day() or timezone.localdate()
        progress = (
            "progress_then" if "progress_then" in self.query.annotations else "effective_progress"
        )
        candidates = (
            self.filter(target_value__isnull=False, deadline__isnull=False)
            .exclude(**{f"{self._status_field()}__in": CLOSED_STATUSES})
            .order_by("deadline", "title")
            .values_list(
                "pk", "baseline_value", "target_value", "announced_on", "deadline", progress
            )
        )
        behind = [
            pk
            for pk, baseline, target, start, end, figure in candidates
            if compute_pace_for(PaceFigures(baseline, target, start, end), figure, day)
            == Pace.BEHIND
        ]
        first = behind[:limit]
        shown = {c.pk: c for c in self.filter(pk__in=first).only(*PACE_FIELDS)}
        return [shown[pk] for pk in first], len(behind)

    def with_status_rank(self):
        """Annotate `status_rank`: the position of the status in the vocabulary."""
        return self.annotate(
            status_rank=Case(
                *[
                    When(**{self._status_field(): s.value}, then=i)
                    for i, s in enumerate(UpdateStatus)
                ],
                default=len(UpdateStatus),
            )
        )

    def for_listing(self):
        """Everything a list row shows, in a fixed number of queries."""
        return (
            self.select_related("sector", "latest_update")
            .prefetch_related(
                Prefetch(
                    "commitment_parties",
                    queryset=CommitmentParty.objects.select_related("party"),
                )
            )
            .with_status_rank()
        )

    def for_detail(self, all_updates=True):
        """Everything a detail shows: parties, public children (as they stood on the day of
        an as-of view) and, with `all_updates`, every published update in
        `published_updates` (exports of one commitment). The detail page passes
        `all_updates=False` and loads one page of its timeline (`Commitment.timeline(n)`)."""
        children = Commitment.objects.public()
        if day := self._standing_day():
            children = children.standing_on(day)
        prefetches = [
            Prefetch(
                "commitment_parties",
                queryset=CommitmentParty.objects.select_related("party"),
            ),
            Prefetch(
                "children",
                queryset=children.only(*PACE_FIELDS, "parent", "counts_toward_parent").order_by(
                    "title"
                ),
                to_attr="public_children",
            ),
        ]
        if all_updates:
            prefetches.append(
                Prefetch(
                    "updates",
                    queryset=StatusUpdate.objects.published()
                    .newest_first()
                    .prefetch_related(_timeline_sources()),
                    to_attr="published_updates",
                )
            )
        return self.select_related("sector", "event", "parent", "latest_update").prefetch_related(
            *prefetches
        )


# The public detail page shows this many updates a page (`?updates=2` for older ones); the
# chart and the projection read at most about this many points (see `thin_points`).
TIMELINE_PAGE_SIZE = 20
MAX_PROGRESS_POINTS = 200


def _timeline_sources():
    return Prefetch(
        "sources",
        queryset=Source.objects.order_by("title", "pk").prefetch_related("conversions"),
    )


def thin_points(points: list[Point], limit: int = MAX_PROGRESS_POINTS) -> list[Point]:
    """At most about `limit` points for a chart or a trend line: the first (the baseline)
    as it is, then, past `limit`, the last figure of each month, and if that is still too
    many an even selection that always keeps the last one."""
    if len(points) <= limit:
        return points
    first, rest = points[0], points[1:]
    by_month = {}
    for point in rest:  # in date order: the last of a month wins
        by_month[(point.day.year, point.day.month)] = point
    rest = list(by_month.values())
    if len(rest) > limit - 1:
        step = len(rest) / (limit - 1)
        picked = [rest[int(i * step)] for i in range(limit - 2)]
        rest = [*picked, rest[-1]]
    return [first, *rest]


class Commitment(models.Model):
    """A public pledge, made at an event by one or more parties."""

    DeadlinePrecision = DeadlinePrecision
    Unit = TargetUnit

    title = models.CharField(max_length=255)
    slug = models.SlugField(max_length=255, unique=True)
    summary = models.CharField(max_length=300, help_text=_("One line."))
    description = models.TextField(blank=True, help_text=_("Markdown."))
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="commitments")
    parties = models.ManyToManyField(
        Party, through="CommitmentParty", related_name="commitments", blank=True
    )
    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, null=True, blank=True, related_name="commitments"
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("The larger commitment this one is a part of."),
    )
    announced_on = models.DateField(_("announced on"))
    deadline = models.DateField(
        null=True,
        blank=True,
        help_text=_("For a month or year deadline, any day in it: the last day is stored."),
    )
    deadline_precision = models.CharField(max_length=5, choices=DeadlinePrecision, blank=True)
    target_value = models.DecimalField(
        _("target value"),
        max_digits=24,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(0, _("A target cannot be negative."))],
    )
    target_unit = models.CharField(_("unit"), max_length=10, choices=Unit, blank=True)
    target_unit_label = models.CharField(
        _("unit name"),
        max_length=50,
        blank=True,
        help_text=_("Only for the unit 'other', e.g. MW."),
    )
    baseline_value = models.DecimalField(
        _("baseline value"),
        max_digits=24,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(0, _("A baseline cannot be negative."))],
        help_text=_("The value when the commitment was announced; empty means zero."),
    )
    target_wording = models.CharField(
        _("source's wording"),
        max_length=255,
        blank=True,
        help_text=_(
            "The figure as the source gives it, e.g. ¥10 trillion (about ₹5.96 lakh crore)."
        ),
    )
    # Its texts in Japanese and Hindi (commitments/languages.py).
    title_ja = translation_field(title, "title", "ja")
    title_hi = translation_field(title, "title", "hi")
    summary_ja = translation_field(summary, "summary", "ja")
    summary_hi = translation_field(summary, "summary", "hi")
    description_ja = translation_field(description, "description", "ja")
    description_hi = translation_field(description, "description", "hi")
    target_wording_ja = translation_field(target_wording, "target_wording", "ja")
    target_wording_hi = translation_field(target_wording, "target_wording", "hi")
    translation_ja = origin_field("ja")
    translation_hi = origin_field("hi")
    counts_toward_parent = models.BooleanField(
        _("counts toward the parent's target"),
        default=False,
        help_text=_("Its progress is a part of the parent's (same unit), not shown beside it."),
    )
    dashboard_position = models.PositiveSmallIntegerField(
        _("position on the dashboard"),
        null=True,
        blank=True,
        help_text=_(
            "Features a measurable commitment among the dashboard's headline figures: 1 comes "
            "first. Empty: after the featured ones, whole commitments before their parts, in "
            "the order they were announced."
        ),
    )
    current_status = models.CharField(
        max_length=20, choices=StatusUpdate.Status, blank=True, editable=False
    )
    latest_update = models.ForeignKey(
        StatusUpdate,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text=_("The latest published update, which sets the current status."),
    )
    last_update_on = models.DateField(
        _("last update"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The as-of date of its latest published update."),
    )
    own_progress = models.DecimalField(
        max_digits=24,
        decimal_places=4,
        null=True,
        blank=True,
        editable=False,
        help_text=_("Its latest published progress figure."),
    )
    effective_progress = models.DecimalField(
        max_digits=30,
        decimal_places=4,
        null=True,
        blank=True,
        editable=False,
        help_text=_("Its own figure or, without one, what its counting parts add up to."),
    )
    progress_percent = models.DecimalField(
        max_digits=34,
        decimal_places=4,
        null=True,
        blank=True,
        editable=False,
        help_text=_("(progress − baseline) / (target − baseline) × 100."),
    )
    # Folded texts that search reads (commitments/search.py writes them, nothing else).
    search_title = models.TextField(blank=True, default="", editable=False)
    search_summary = models.TextField(blank=True, default="", editable=False)
    search_text = models.TextField(blank=True, default="", editable=False)
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text=_("Raised by every save: stops edits overwriting.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # The stored standing is derived, not edited: the history keeps what people changed.
    history = HistoricalRecords(
        excluded_fields=[
            "last_update_on",
            "own_progress",
            "effective_progress",
            "progress_percent",
            # Derived from the fields above and the related rows' names (commitments/search.py).
            "search_title",
            "search_summary",
            "search_text",
        ]
    )
    objects = CommitmentQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        indexes = [
            # Dashboard and list filters: by status, and upcoming / overdue deadlines.
            models.Index(fields=["current_status"], name="commitment_status_idx"),
            models.Index(fields=["deadline"], name="commitment_deadline_idx"),
            # The admin changelist's default order.
            models.Index(fields=["title"], name="commitment_title_idx"),
            # The list sorted by progress, and the stale list.
            models.Index(fields=["progress_percent", "title"], name="commitment_percent_idx"),
            models.Index(fields=["last_update_on", "title"], name="commitment_last_update_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__isnull=True) | Q(deadline__gte=F("announced_on")),
                name="commitment_deadline_not_before_announced",
                violation_error_message=_("The deadline cannot be before the announced date."),
            ),
            models.CheckConstraint(
                condition=(Q(deadline__isnull=True) & Q(deadline_precision=""))
                | (Q(deadline__isnull=False) & Q(deadline_precision__in=DeadlinePrecision.values)),
                name="commitment_deadline_has_precision",
                violation_error_message=_("A deadline needs its precision (day, month or year)."),
            ),
            models.CheckConstraint(
                condition=Q(target_value__isnull=True) | ~Q(target_unit=""),
                name="commitment_target_value_needs_unit",
                violation_error_message=_("A target value needs a unit."),
            ),
            models.CheckConstraint(
                condition=Q(target_value__isnull=False) | Q(target_unit=""),
                name="commitment_unit_needs_target_value",
                violation_error_message=_("A unit needs a target value."),
            ),
            models.CheckConstraint(
                condition=Q(target_unit__in=["", *TargetUnit.values]),
                name="commitment_target_unit_valid",
            ),
            models.CheckConstraint(
                condition=~Q(target_unit="other") | ~Q(target_unit_label=""),
                name="commitment_other_unit_is_named",
                violation_error_message=_("Name the unit when it is 'other'."),
            ),
            models.CheckConstraint(
                condition=(Q(target_value__isnull=True) | Q(target_value__gte=0))
                & (Q(baseline_value__isnull=True) | Q(baseline_value__gte=0)),
                name="commitment_target_and_baseline_not_negative",
                violation_error_message=_("Targets and baselines cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(baseline_value__isnull=True) | Q(target_value__isnull=False),
                name="commitment_baseline_needs_target",
                violation_error_message=_("A baseline needs a target value."),
            ),
            models.CheckConstraint(
                condition=Q(target_value__isnull=True)
                | (Q(baseline_value__isnull=True) & ~Q(target_value=0))
                | (Q(baseline_value__isnull=False) & ~Q(target_value=F("baseline_value"))),
                name="commitment_target_differs_from_baseline",
                violation_error_message=_("The target must differ from the baseline."),
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | ~Q(parent=F("pk")),
                name="commitment_not_own_parent",
                violation_error_message=_("A commitment cannot be its own parent."),
            ),
            models.CheckConstraint(
                condition=Q(counts_toward_parent=False) | Q(parent__isnull=False),
                name="commitment_counts_toward_parent_needs_parent",
                violation_error_message=_("Only a commitment with a parent can count toward it."),
            ),
            models.CheckConstraint(
                condition=Q(current_status__in=["", *UpdateStatus.values]),
                name="commitment_current_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    # Today's standing (commitments/standing.py), written only by standing.refresh(), never
    # by saving a form loaded earlier.
    STANDING_FIELDS = (
        "latest_update",
        "last_update_on",
        "current_status",
        "own_progress",
        "effective_progress",
        "progress_percent",
    )

    # Written only by commitments/search.py (after every save, by a signal).
    SEARCH_FIELDS = ("search_title", "search_summary", "search_text")

    def save(self, *args, **kwargs):
        """A full save of an existing commitment leaves its stored standing alone (an admin
        form opened before a publication must not write the old status back), then
        recomputes it, and its old and new parents' roll-ups: the target, baseline, unit or
        parent may have changed."""
        if kwargs.get("update_fields") is not None or self._state.adding:
            # A new commitment has no published update: nothing to compute, for it or for
            # a parent it counts toward.
            return super().save(*args, **kwargs)
        old_parent = None
        if self.pk is not None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key
                and field.name not in self.STANDING_FIELDS
                and field.name not in self.SEARCH_FIELDS
            ]
            old_parent = (
                Commitment.objects.filter(pk=self.pk).values_list("parent_id", flat=True).first()
            )
        with transaction.atomic():
            super().save(*args, **kwargs)
            standing.refresh(self.pk, old_parent)
            self.reload_standing()

    def get_absolute_url(self) -> str:
        return reverse("commitments:detail", args=[self.slug])

    @property
    def description_html(self):
        return render_markdown(self.description)

    @property
    def deadline_label(self) -> str:
        """The deadline at its precision, in the active language: 'by 2030' / '2030年まで' /
        '2030 तक', 'by August 2030' / '2030年8月まで' / 'अगस्त 2030 तक', '31 March 2030' /
        '2030年3月31日まで' / '31 मार्च 2030 तक'."""
        if not self.deadline:
            return ""
        when = self.deadline_when
        if self.deadline_precision == self.DeadlinePrecision.YEAR:
            return pgettext("deadline at a year's precision", "by %(year)s") % {
                "year": self.deadline.year
            }
        if self.deadline_precision == self.DeadlinePrecision.MONTH:
            return pgettext("deadline at a month's precision", "by %(month)s") % {"month": when}
        # Translators: a deadline on a given day; English says just the date ("31 March 2030").
        return pgettext("deadline on a day", "%(date)s") % {"date": when}

    @property
    def deadline_when(self) -> str:
        """The deadline's date alone at its precision, in the active language, for phrases such
        as "due …": '2030' / '2030年', 'August 2030' / '2030年8月' / 'अगस्त 2030',
        '31 March 2030' / '2030年3月31日' / '31 मार्च 2030'."""
        if not self.deadline:
            return ""
        if self.deadline_precision == self.DeadlinePrecision.YEAR:
            # Translators: a year on its own, as in "due 2030".
            return pgettext("a year on its own", "%(year)s") % {"year": self.deadline.year}
        if self.deadline_precision == self.DeadlinePrecision.MONTH:
            return formats.date_format(self.deadline, "YEAR_MONTH_FORMAT")
        return formats.date_format(self.deadline, "DATE_FORMAT")

    @property
    def unit_label(self) -> str:
        """The unit as data: its code ("people", "JPY") or, for "other", the name given."""
        if self.target_unit == self.Unit.OTHER:
            return self.target_unit_label
        return self.target_unit

    @property
    def unit_name(self) -> str:
        """The unit as a reader reads it, in the page's language ("people", "人", "लोग")."""
        if self.target_unit == self.Unit.OTHER:
            return self.target_unit_label
        return str(self.Unit(self.target_unit).label) if self.target_unit else ""

    @property
    def has_target(self) -> bool:
        return self.target_value is not None

    @property
    def reference_day(self) -> datetime.date:
        """Today, or the day an as-of view looks at (`standing_on()`)."""
        return getattr(self, "standing_day", None) or timezone.localdate()

    @property
    def is_overdue(self) -> bool:
        return (
            self.deadline is not None
            and self.deadline < self.reference_day
            and self.current_status not in CLOSED_STATUSES
        )

    @property
    def is_stale(self) -> bool:
        """No published update for STALE_AFTER_DAYS (today, or on the day of an as-of
        view): the rule of the dashboard's stale list (`standing.is_stale`)."""
        return standing.is_stale(self.current_status, self.last_update_on, self.reference_day)

    @property
    def status_definition(self) -> str:
        return STATUS_DEFINITIONS.get(self.current_status, _("No published update yet."))

    @property
    def counting_parts(self) -> list["Commitment"]:
        """Public children whose progress is a part of this target (same unit), as they
        stood on the day of an as-of view: from `for_detail()`'s prefetch, or one query."""
        children = getattr(self, "public_children", None)
        if children is None:
            query = Commitment.objects.public()
            if day := getattr(self, "standing_day", None):
                query = query.standing_on(day)
            children = list(query.filter(parent=self).order_by("title"))
        return [
            child
            for child in children
            if child.counts_toward_parent and child.unit_label == self.unit_label
        ]

    @property
    def progress_from_parts(self) -> bool:
        """Its progress is what its parts add up to: it has no figure of its own."""
        return self.own_progress is None and self.effective_progress is not None

    @property
    def pace(self) -> Pace | None:
        return compute_pace_for(self, self.effective_progress, self.reference_day)

    @property
    def expected_today(self) -> Decimal | None:
        """The expectation for today, or for the day of an as-of view."""
        return self.expected_on(self.reference_day)

    def expected_on(self, day: datetime.date) -> Decimal | None:
        """The straight-line expectation for `day`, rounded as the unit is counted."""
        if self.target_value is None or self.deadline is None:
            return None
        value = expected_value(
            self.baseline_value or Decimal(0),
            self.target_value,
            self.announced_on,
            self.deadline,
            day,
        )
        places = Decimal(1) if self.target_unit in ("people", "count") else Decimal("0.01")
        return value.quantize(places)

    def published_updates_then(self):
        """Its published updates; on an as-of instance, those dated up to the day."""
        updates = self.updates.published()
        if day := getattr(self, "standing_day", None):
            updates = updates.filter(as_of__lte=day)
        return updates

    def progress_points(self) -> list[Point]:
        """The baseline on the announced date, then each published progress figure in date
        order (thinned past MAX_PROGRESS_POINTS, see `thin_points`). One query of (as_of,
        value) pairs, kept on the instance for the chart and the projection."""
        points = getattr(self, "_progress_points", None)
        if points is None:
            points = [Point(self.announced_on, self.baseline_value or Decimal(0))]
            if self.progress_from_parts:
                # A roll-up: the sum of its parts' figures, as its stored progress is.
                points += standing.summed_part_points(self, getattr(self, "standing_day", None))
            else:
                rows = (
                    self.published_updates_then()
                    .exclude(progress_value=None)
                    .oldest_first()
                    .values_list("as_of", "progress_value")
                )
                points += [Point(day, value) for day, value in rows]
            thinned = self._progress_points = thin_points(points)
            self.progress_points_thinned = len(thinned) < len(points)
            points = thinned
        return points

    def projection(self) -> Projection | None:
        if self.target_value is None:
            return None
        return project_completion(self.progress_points(), self.target_value)

    def stated_conversion(self):
        """A conversion of its currency stated by one of its published sources, if any."""
        if self.target_unit not in {code for code, _label in MONEY_CHOICES}:
            return None
        updates = getattr(self, "published_updates", None)
        if updates is None:  # the detail page loads one page of updates: ask the database
            return (
                Conversion.objects.filter(
                    from_currency=self.target_unit,
                    source__status_updates__in=StatusUpdate.objects.published().filter(
                        commitment=self
                    ),
                )
                .select_related("source")
                .order_by("source__title", "source__pk", "pk")
                .first()
            )
        for update in updates:
            for source in update.sources.all():
                for conversion in source.conversions.all():
                    if conversion.from_currency == self.target_unit:
                        return conversion
        return None

    @property
    def progress_percent_display(self) -> int | None:
        """Percent complete, rounded down and kept within 0–100, for bars and labels."""
        return standing.percent_shown(self.progress_percent)

    @property
    def public_parent(self) -> "Commitment | None":
        if self.parent is not None and self.parent.latest_update_id is not None:
            return self.parent
        return None

    def timeline(self, number=None):
        """Published updates newest first, each with the one before it (for "a → b").

        With a page `number` (as the visitor typed it: a bad or out-of-range one gives the
        first or the last page), a `Page` of TIMELINE_PAGE_SIZE such pairs: one COUNT, one
        query for the page's updates plus the next older one, and their sources. Without,
        every pair (from `published_updates` if prefetched)."""
        if number is None:
            updates = getattr(self, "published_updates", None)
            if updates is None:
                updates = list(self.published_updates_then().newest_first())
            return [
                (update, updates[i + 1] if i + 1 < len(updates) else None)
                for i, update in enumerate(updates)
            ]
        published = self.published_updates_then().newest_first()
        page = Paginator(published, TIMELINE_PAGE_SIZE).get_page(number)
        offset = (page.number - 1) * TIMELINE_PAGE_SIZE
        updates = list(
            published.prefetch_related(_timeline_sources())[
                offset : offset + TIMELINE_PAGE_SIZE + 1
            ]
        )
        page.object_list = [
            (update, updates[i + 1] if i + 1 < len(updates) else None)
            for i, update in enumerate(updates[:TIMELINE_PAGE_SIZE])
        ]
        return page

    def public_change_log(self, page=1):
        from commitments.changelog import build_change_log

        return build_change_log(self, page)

    def ancestors(self) -> list["Commitment"]:
        """Parent, grandparent, … (stops if the data ever holds a loop)."""
        chain, seen, node = [], {self.pk}, self.parent
        while node is not None and node.pk not in seen:
            chain.append(node)
            seen.add(node.pk)
            node = node.parent
        return chain

    def party_pairs(self) -> str:
        """Leads and counterparts as a pair ('Gujarat ↔ Shizuoka'), then any other parties."""
        links = list(self.commitment_parties.all())
        leads = [link.party.translated_name for link in links if link.role == "lead"]
        counterparts = [link.party.translated_name for link in links if link.role == "counterpart"]
        others = [
            link.party.translated_name for link in links if link.role not in {"lead", "counterpart"}
        ]
        pair = " ↔ ".join(part for part in (" & ".join(leads), " & ".join(counterparts)) if part)
        return ", ".join(part for part in (pair, *others) if part)

    def clean(self):
        errors = {}
        if self.deadline and not self.deadline_precision:
            errors["deadline_precision"] = gettext(
                "Say how precise the deadline is: day, month or year."
            )
        elif self.deadline_precision and not self.deadline:
            errors["deadline"] = gettext("Give the deadline, or leave its precision empty.")
        elif self.deadline:
            self.deadline = end_of_period(self.deadline, self.deadline_precision)
            if self.announced_on and self.deadline < self.announced_on:
                errors["deadline"] = gettext("The deadline cannot be before the announced date.")
        if self.target_value is not None and not self.target_unit:
            errors["target_unit"] = gettext("A target value needs a unit.")
        if self.target_unit and self.target_value is None:
            errors["target_value"] = gettext(
                "Give the target value for this unit, or clear the unit."
            )
        if self.target_unit == self.Unit.OTHER and not self.target_unit_label.strip():
            errors["target_unit_label"] = gettext("Name the unit, e.g. MW or km.")
        if self.baseline_value is not None and self.target_value is None:
            errors["baseline_value"] = gettext("A baseline only makes sense with a target value.")
        if self.target_value is not None and self.target_value == (self.baseline_value or 0):
            errors["target_value"] = gettext("The target must differ from the baseline.")
        if self.parent_id:
            if self.parent_id == self.pk:
                errors["parent"] = gettext("A commitment cannot be its own parent.")
            elif self.pk and self.pk in {c.pk for c in [self.parent, *self.parent.ancestors()]}:
                errors["parent"] = gettext(
                    "“%(parent)s” is already below this commitment: a commitment cannot be its "
                    "own ancestor."
                ) % {"parent": self.parent}
        if self.counts_toward_parent:
            if not self.parent_id:
                errors["counts_toward_parent"] = gettext(
                    "Only a commitment with a parent can count toward it."
                )
            elif self.target_value is None or self.parent.unit_label != self.unit_label:
                errors["counts_toward_parent"] = gettext(
                    "It can count toward the parent's target only when both have targets in the "
                    "same unit."
                )
        if errors:
            raise ValidationError(errors)

    def reload_standing(self):
        """Read the stored standing back into this instance."""
        stored = Commitment.objects.filter(pk=self.pk).values(*self._standing_columns())
        for row in stored:
            for name, value in row.items():
                setattr(self, name, value)
            self._state.fields_cache.pop("latest_update", None)

    @classmethod
    def _standing_columns(cls) -> list[str]:
        return [cls._meta.get_field(name).attname for name in cls.STANDING_FIELDS]

    def refresh_standing(self):
        """Recompute the stored standing (`standing.refresh`) and read it back."""
        standing.refresh(self.pk)
        self.reload_standing()


class CommitmentParty(models.Model):
    """A party's role in a commitment. Leads and counterparts read as pairs."""

    Role = PartyRole

    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="commitment_parties"
    )
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="commitment_roles")
    role = models.CharField(max_length=20, choices=Role, default=Role.LEAD)
    contribution = models.CharField(
        max_length=200, blank=True, help_text=_("What this party brings, e.g. 'the lander'.")
    )
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("party role")
        verbose_name_plural = _("party roles")
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "party"],
                name="commitment_party_once",
                violation_error_message=_("This party is already on the commitment."),
            ),
            models.CheckConstraint(
                condition=Q(role__in=PartyRole.values), name="commitment_party_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.party} ({self.get_role_display().lower()})"


# Paths that bypass StatusUpdate.save(): deleting (admin "delete selected", a cascade, the
# shell) and changing citations.


@receiver(post_delete, sender=Commitment, dispatch_uid="standing-part-deleted")
def _part_deleted(sender, instance, **kwargs):
    if instance.parent_id is not None and instance.counts_toward_parent:
        standing.refresh(instance.parent_id)


@receiver(post_delete, sender=StatusUpdate, dispatch_uid="standing-update-deleted")
def _public_update_deleted(sender, instance, **kwargs):
    if instance.state == UpdateState.PUBLISHED:
        standing.refresh(instance.commitment_id)


@receiver(m2m_changed, sender=StatusUpdate.sources.through, dispatch_uid="standing-citations")
def _published_citations_are_fixed(sender, instance, action, reverse, pk_set=None, **kwargs):
    if not action.startswith("pre_"):
        return
    if reverse:  # from the source's side: the updates concerned are in pk_set (or all)
        updates = instance.status_updates.all()
        if pk_set is not None:
            updates = StatusUpdate.objects.filter(pk__in=pk_set)
        touches_public = updates.filter(state__in=ONCE_PUBLIC_STATES).exists()
    else:
        touches_public = instance.state in ONCE_PUBLIC_STATES and (
            # Loading data (fixtures) gives a published update its first sources: allowed.
            action != "pre_add" or instance.sources.exists()
        )
    if touches_public:
        raise ValidationError(
            gettext("A published update's sources are never changed in place: open a correction.")
        )


@receiver(pre_delete, sender=Source, dispatch_uid="standing-source-deleted")
def _cited_source_is_kept(sender, instance, **kwargs):
    if instance.is_cited_publicly():
        raise models.ProtectedError(
            f"“{instance}” is cited by a published update: it cannot be deleted.",
            {instance},
        )


# The stored text of an update's sources (commitments/citations.py): kept current by every
# change of citations, from either side, and of a cited source.


@receiver(m2m_changed, sender=StatusUpdate.sources.through, dispatch_uid="citations-changed")
def _citations_changed(sender, instance, action, reverse, pk_set=None, **kwargs):
    if reverse and action == "pre_clear":  # from the source's side: which updates lose it
        instance._citing_updates = list(instance.status_updates.values_list("pk", flat=True))
    if not action.startswith("post_"):
        return
    if not reverse:
        instance.cited_sources = citations.refresh([instance.pk])[instance.pk]
    elif action == "post_clear":
        citations.refresh(getattr(instance, "_citing_updates", ()))
    else:
        citations.refresh(pk_set or ())


@receiver(post_save, sender=Source, dispatch_uid="citations-source-saved")
def _cited_source_saved(sender, instance, created=False, raw=False, **kwargs):
    if not created:  # a source's title, publisher, URL or date is part of the text
        citations.refresh(instance.status_updates.values_list("pk", flat=True))


@receiver(pre_delete, sender=Source, dispatch_uid="citations-source-deleting")
def _remember_citing_updates(sender, instance, **kwargs):
    instance._citing_updates = list(instance.status_updates.values_list("pk", flat=True))


@receiver(post_delete, sender=Source, dispatch_uid="citations-source-deleted")
def _cited_source_deleted(sender, instance, **kwargs):
    citations.refresh(getattr(instance, "_citing_updates", ()))


# Spreadsheet imports (commitments/imports/). An upload becomes a batch: the worker checks it
# (one ImportRow per spreadsheet row, with what it will do and every problem in words), the
# person who uploaded it confirms, and the worker applies it, all or nothing.


class ImportBatch(models.Model):
    class Kind(models.TextChoices):
        UPDATES = "updates", _("Updates")
        COMMITMENTS = "commitments", _("Commitments")

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting to be checked")
        CHECKING = "checking", _("Being checked")
        CHECKED = "checked", _("Checked")
        APPLY_QUEUED = "apply_queued", _("Waiting to be applied")
        APPLYING = "applying", _("Being applied")
        APPLIED = "applied", _("Applied")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    kind = models.CharField(max_length=20, choices=Kind)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="import_batches"
    )
    # The interface language of the person who uploaded it: the problems are written in it.
    language = models.CharField(max_length=10, default="en-gb")
    filename = models.CharField(max_length=255)
    checksum = models.CharField(max_length=64, help_text=_("SHA-256 of the file."))
    size = models.PositiveBigIntegerField(default=0)
    content = models.BinaryField(editable=False)
    # Updates only: imported as submitted (awaiting review) rather than as drafts.
    submit = models.BooleanField(default=False)
    state = models.CharField(max_length=20, choices=State, default=State.QUEUED)
    # A problem with the file as a whole (unreadable, too large …), or why applying failed.
    message = models.TextField(blank=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    to_create = models.PositiveIntegerField(default=0)
    to_update = models.PositiveIntegerField(default=0)
    to_skip = models.PositiveIntegerField(default=0)
    with_problems = models.PositiveIntegerField(default=0)
    applied_count = models.PositiveIntegerField(default=0)
    # Who confirmed it (the uploader, or for commitments another editor): the history of
    # what it wrote names them.
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["created_by", "-created_at"], name="import_owner_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_kind_display()}, {self.get_state_display()})"

    @property
    def can_apply(self) -> bool:
        return (
            self.state == self.State.CHECKED
            and self.with_problems == 0
            and (self.to_create + self.to_update) > 0
        )

    @property
    def is_working(self) -> bool:
        return self.state in (
            self.State.QUEUED,
            self.State.CHECKING,
            self.State.APPLY_QUEUED,
            self.State.APPLYING,
        )

    @property
    def progress_percent(self) -> int:
        if not self.rows_total:
            return 0
        return min(100, self.rows_done * 100 // self.rows_total)


class ImportRow(models.Model):
    """One row of a checked spreadsheet: what it will do, and every problem with it."""

    class Action(models.TextChoices):
        CREATE = "create", _("Create")
        UPDATE = "update", _("Update")
        SKIP = "skip", _("Skip")
        ERROR = "error", _("Problem")

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rows")
    number = models.PositiveIntegerField(help_text=_("The row's number in the spreadsheet."))
    action = models.CharField(max_length=10, choices=Action)
    # Which commitment (slug) the row is about, and its summary or title, as the file says.
    subject = models.CharField(max_length=255, blank=True)
    text = models.CharField(max_length=300, blank=True)
    problems = models.JSONField(default=list, blank=True)
    notes = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["batch", "number"]
        indexes = [models.Index(fields=["batch", "action", "number"], name="import_row_idx")]

    def __str__(self) -> str:
        return f"row {self.number}: {self.action}"


class WorkerHeartbeat(models.Model):
    """A running worker process, as it last said it was alive (commitments/worker.py)."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.worker_id


# Following by e-mail (commitments/following/). A reader's address is a Subscriber; each thing
# followed is a Subscription, confirmed by its own link (double opt-in); each published update
# a subscriber must hear of is a Delivery, recorded when it is sent (no duplicates).


class Subscriber(models.Model):
    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", _("At once")
        DAILY = "daily", _("Daily digest")
        WEEKLY = "weekly", _("Weekly digest")

    # Personal data: never shown publicly, never exported; editors see counts only.
    email = models.EmailField(max_length=254, unique=True)  # stored lower-cased
    # The secret in every link of every e-mail (manage, unsubscribe): whoever has it manages
    # this address's subscriptions, and nothing else.
    token = models.CharField(max_length=64, unique=True, editable=False)
    language = models.CharField(max_length=10, default="en-gb")
    frequency = models.CharField(max_length=10, choices=Frequency, default=Frequency.IMMEDIATE)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_digest_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["confirmed_at", "created_at"], name="subscriber_confirm_idx")
        ]

    def __str__(self) -> str:
        return f"subscriber #{self.pk}"  # never the address: it may end up in logs


class Subscription(models.Model):
    class Scope(models.TextChoices):
        EVERYTHING = "everything", _("Everything")
        COMMITMENT = "commitment", _("Commitment")
        SECTOR = "sector", _("Sector")
        PARTY = "party", _("Party")
        EVENT = "event", _("Event")

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="subscriptions"
    )
    scope = models.CharField(max_length=12, choices=Scope)
    commitment = models.ForeignKey(
        "Commitment", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    sector = models.ForeignKey(
        Sector, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    party = models.ForeignKey(
        Party, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # Each thing followed once per address (partial indexes: SQLite has no
            # NULLS NOT DISTINCT).
            models.UniqueConstraint(
                fields=["subscriber"],
                condition=Q(scope="everything"),
                name="subscription_once_everything",
            ),
            *(
                models.UniqueConstraint(
                    fields=["subscriber", target],
                    condition=Q(scope=target),
                    name=f"subscription_once_{target}",
                )
                for target in ("commitment", "sector", "party", "event")
            ),
            models.CheckConstraint(
                condition=(
                    Q(scope="everything", commitment=None, sector=None, party=None, event=None)
                    | Q(
                        scope="commitment",
                        commitment__isnull=False,
                        sector=None,
                        party=None,
                        event=None,
                    )
                    | Q(
                        scope="sector",
                        sector__isnull=False,
                        commitment=None,
                        party=None,
                        event=None,
                    )
                    | Q(
                        scope="party", party__isnull=False, commitment=None, sector=None, event=None
                    )
                    | Q(
                        scope="event", event__isnull=False, commitment=None, sector=None, party=None
                    )
                ),
                name="subscription_scope_target",
            ),
        ]
        indexes = [
            models.Index(fields=["scope", "commitment"], name="subscription_commitment_idx"),
            models.Index(fields=["scope", "sector"], name="subscription_sector_idx"),
            models.Index(fields=["scope", "party"], name="subscription_party_idx"),
            models.Index(fields=["scope", "event"], name="subscription_event_idx"),
        ]

    def __str__(self) -> str:
        return f"subscription #{self.pk} ({self.scope})"


class Delivery(models.Model):
    """A published update (or correction, or retraction) one subscriber is to hear of. Made
    once per subscriber and update (unique), marked sent when its e-mail has gone."""

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    update = models.ForeignKey("StatusUpdate", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "update"], name="delivery_once")
        ]
        indexes = [
            models.Index(fields=["sent_at", "subscriber"], name="delivery_pending_idx"),
        ]

    def __str__(self) -> str:
        return f"delivery #{self.pk}"
