from functools import cached_property

from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.http import urlencode

from commitments import languages
from commitments.languages import short_code
from commitments.numbers import SYSTEMS
from commitments.sharing import absolute

NUMBER_SYSTEM_COOKIE = "numbers"


def site(request):
    chosen = request.COOKIES.get(NUMBER_SYSTEM_COOKIE)
    return {
        "SITE_NAME": site_name(),
        "SITE_URL": settings.SITE_URL,
        "number_system": chosen if chosen in SYSTEMS else settings.NUMBER_SYSTEM,
        "number_systems": SYSTEMS,
        "languages": PageLanguages(request),
    }


site_name = languages.site_name


def html_lang(code: str) -> str:
    """The `lang` attribute of a Django language code: `en-gb` → `en-GB`, `ja` → `ja`."""
    language, _, region = code.partition("-")
    return f"{language}-{region.upper()}" if region else language


class PageLanguages:
    """The page's language and its addresses in each language: for `<html lang>`, the
    switcher (same page, same query string) and the `hreflang` alternates in the head. Worked
    out only when a template asks."""

    def __init__(self, request):
        self.request = request
        self.current = translation.get_language() or settings.LANGUAGE_CODE

    @cached_property
    def lang(self) -> str:
        return html_lang(self.current)

    def _in(self, address: str, code: str) -> str | None:
        """`address` in language `code`, or None when it is no page in every language."""
        there = translate_url(address, code)
        if there == address and code != self.current:
            return None
        return there

    @cached_property
    def links(self) -> list[dict]:
        """The switcher: each language's name, code and the address of this page in it (its
        home page when this address is no page in every language, as a 404)."""
        here = self.request.get_full_path()
        links = []
        for code, name in settings.LANGUAGES:
            target = self._in(here, code)
            if target is None:
                with translation.override(code):
                    target = reverse("commitments:dashboard")
            links.append(
                {
                    "code": code,
                    "lang": html_lang(code),
                    "hreflang": short_code(code),
                    "name": name,
                    "current": code == self.current,
                    "url": reverse("language", args=[code]) + "?" + urlencode({"next": target}),
                }
            )
        return links

    @cached_property
    def alternates(self) -> list[dict]:
        """`<link rel="alternate" hreflang>`: this page in every language, absolute, and
        English as the x-default. None for an address that is no such page."""
        found = []
        for code, _name in settings.LANGUAGES:
            target = self._in(self.request.path, code)
            if target is None:
                return []
            found.append({"hreflang": short_code(code), "href": absolute(target)})
            if code == settings.LANGUAGE_CODE:
                found.append({"hreflang": "x-default", "href": absolute(target)})
        return found
