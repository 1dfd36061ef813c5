"""Content in the reader's language: ``{% load languages %}``.

``{{ commitment|tr:"title" }}`` prints the title in the page's language; where there is no
translation yet it prints the English text, marked ``lang="en"`` and followed by a visible
"not yet translated" marker. ``{{ commitment|tr_text:"title" }}`` is the plain text, for
attributes, ``<title>`` and meta tags (the fallback is still English). The rule itself is
``commitments.languages.translated``.
"""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext

from commitments.languages import translated

register = template.Library()


@register.filter
def tr_text(obj, field: str) -> str:
    if obj is None:
        return ""
    return str(translated(obj, field))


@register.filter
def tr(obj, field: str):
    if obj is None:
        return ""
    text = translated(obj, field)
    if not text.fallback:
        return text
    return format_html(
        '<span lang="en">{}</span> <small class="untranslated">{}</small>',
        str(text),
        gettext("(not yet translated)"),
    )
