"""The tracker's languages and its translated content: one place for both.

Interface strings are gettext's (locale/<code>/LC_MESSAGES/django.po). Content (titles,
summaries, names, update texts) is entered per language by people: each translated field has
one column per other language beside the English one (``title_ja``, ``title_hi``), and each
object records per language where its translation comes from (``translation_ja``: the source's
own wording, a reviewed translation or an unreviewed one).

Why columns and not django-modeltranslation: see docs/decisions.md ("Translated content").
In short, ``commitment.title`` always means the English text here; every surface asks
``translated(obj, "title")`` for the reader's language, and knows when it fell back.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

DEFAULT = "en"
# The languages content can be translated into, besides English (codes as in LANGUAGES).
OTHER_LANGUAGES = ("ja", "hi")
NAMES = {"en": "English", "ja": "日本語", "hi": "हिन्दी"}

# Which fields of which models carry a translation per language.
TRANSLATED_FIELDS: dict[str, tuple[str, ...]] = {
    "event": ("name", "location", "description"),
    "party": ("name", "short_name", "description"),
    "sector": ("name", "description"),
    "commitment": ("title", "summary", "description", "target_wording"),
    "statusupdate": ("summary", "body"),
}


class TranslationOrigin(models.TextChoices):
    """Where one language's text of an object comes from."""

    SOURCE = "source", _("The source's own wording")
    REVIEWED = "reviewed", _("Translation, reviewed")
    UNREVIEWED = "unreviewed", _("Translation, not yet reviewed")


def short_code(language: str | None = None) -> str:
    """``ja``, ``hi`` or ``en`` for a Django language code (``en-gb`` → ``en``)."""
    code = (language or translation.get_language() or DEFAULT).lower()
    base = code.split("-")[0]
    return base if base in OTHER_LANGUAGES else DEFAULT


def translation_field(field: models.Field, name: str, code: str) -> models.Field:
    """The ``<name>_<code>`` column for ``field``: same kind and length, optional, not unique."""
    _, _, args, kwargs = field.deconstruct()
    for option in ("help_text", "default", "unique", "verbose_name", "blank"):
        kwargs.pop(option, None)
    label = (field.verbose_name or name.replace("_", " ")).strip()
    return field.__class__(f"{label} ({NAMES[code]})", *args, blank=True, default="", **kwargs)


def origin_field(code: str) -> models.CharField:
    return models.CharField(
        f"{NAMES[code]} text is",
        max_length=12,
        choices=TranslationOrigin,
        blank=True,
        default="",
        help_text="Empty while nothing is translated.",
    )


class Text(str):
    """A piece of content in the reader's language, or the English text it fell back to."""

    language: str
    fallback: bool
    origin: str

    def __new__(cls, value: str, language: str, fallback: bool, origin: str = ""):
        text = super().__new__(cls, value)
        text.language = language
        text.fallback = fallback
        text.origin = origin
        return text


def translated(obj, field: str, language: str | None = None) -> Text:
    """``obj.<field>`` in ``language`` (default: the active one), else the English text,
    marked as a fallback when there was a translation to want and none was there."""
    code = short_code(language)
    english = getattr(obj, field, "") or ""
    if code == DEFAULT:
        return Text(english, DEFAULT, False)
    value = getattr(obj, f"{field}_{code}", "") or ""
    if value.strip():
        return Text(value, code, False, getattr(obj, f"translation_{code}", "") or "")
    # Nothing to translate is not "untranslated".
    return Text(english, DEFAULT, bool(english.strip()))


def site_name() -> str:
    """The site's name in the active language (the default name is in the catalogues; a
    SITE_NAME the operator sets is shown as written)."""
    return translation.gettext(settings.SITE_NAME)


def country_name(country) -> str:
    """A country's name in the reader's language: django-countries' catalogues, and CLDR's
    names (Babel) where those have none (django-countries has no Hindi: "Japan" → जापान)."""
    code = short_code()
    if code == "hi" and country:
        from babel import Locale

        return Locale.parse("hi").territories.get(country.code, country.name)
    return str(country.name) if country else ""
