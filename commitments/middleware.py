"""Guards every request and response passes: headers that Django has no setting for, and
input no page should ever see."""

import functools

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpResponseBadRequest, HttpResponseRedirect, JsonResponse
from django.urls import Resolver404, resolve, reverse, translate_url
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers

NUL = "\x00"
NUL_MESSAGE = "bad request: NUL byte"


class SecurityHeadersMiddleware:
    """`Permissions-Policy` and `Cross-Origin-Resource-Policy` on every response (Django sets
    the other security headers itself). A view may set its own: the badge, meant to be
    embedded on other sites, answers `Cross-Origin-Resource-Policy: cross-origin`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if settings.CROSS_ORIGIN_RESOURCE_POLICY:
            response.headers.setdefault(
                "Cross-Origin-Resource-Policy", settings.CROSS_ORIGIN_RESOURCE_POLICY
            )
        return response


class RejectNulBytesMiddleware:
    """A NUL byte in the path, the query string, a form field or a cookie is never meant:
    PostgreSQL cannot store or even compare text holding one (it raises, a 500), and no page
    takes binary input. Answer 400 before any view, filter or admin list reads it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request):
            if request.path.startswith(_api_root()):  # the API answers errors in JSON
                return JsonResponse({"detail": NUL_MESSAGE}, status=400)
            return HttpResponseBadRequest(NUL_MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


@functools.cache
def _api_root() -> str:
    return reverse("api:docs")


def _has_nul(request) -> bool:
    if NUL in request.path:
        return True
    if any(NUL in key or NUL in value for key, value in request.COOKIES.items()):
        return True
    reads_body = request.method == "POST" and not _reads_own_body(request)
    forms = (request.GET, request.POST) if reads_body else (request.GET,)
    for data in forms:
        for key, values in data.lists():
            if NUL in key or any(NUL in value for value in values if isinstance(value, str)):
                return True
    return False


def _reads_own_body(request) -> bool:
    """Whether the view is marked `reads_own_body`: the spreadsheet upload
    (commitments/views/imports.py) refuses a body over its limit before anything reads it,
    then reads it itself; parsing it here would take in a file of any size first. Its fields
    cannot carry a NUL byte to the database (a choice, a file, a file name it cleans)."""
    language = translation.get_language_from_path(request.path_info)
    try:
        with translation.override(language):  # the address's language prefix, if any
            match = resolve(request.path_info)
    except Resolver404:
        return False
    return getattr(match.func, "reads_own_body", False)


def axes_username(request, credentials=None):
    """The username django-axes records for a sign-in attempt (AXES_USERNAME_CALLABLE): as
    typed, cut to the longest a username can be (150). Axes keeps it in a 255-character
    column: on PostgreSQL a longer one was a 500 instead of the form's "wrong username"."""
    field = getattr(settings, "AXES_USERNAME_FORM_FIELD", "username")
    username = credentials.get(field) if credentials else request.POST.get(field)
    if not isinstance(username, str):
        return username
    user_model = get_user_model()
    return username[: user_model._meta.get_field(user_model.USERNAME_FIELD).max_length]


# Addresses that never follow the reader's language choice: machine-read answers, embeds and
# downloads keep the address they were asked by (the API, feeds, the badge, exports, robots).
_LANGUAGE_FREE_NAMESPACES = frozenset({"api", "admin"})
_LANGUAGE_FREE_NAMES = frozenset(
    {
        "commitments:robots",
        "commitments:feed",
        "commitments:commitment-feed",
        "commitments:badge",
        "commitments:updates-csv",
        "commitments:cite-bib",
        "commitments:cite-ris",
        "commitments:number-system",
    }
)


class LanguageMiddleware:
    """After Django's LocaleMiddleware. An address without a language prefix is English, also
    outside the reader's pages (the admin stays English whatever the browser asks). And a
    reader who chose Japanese or Hindi with the switcher (the language cookie) and follows an
    English link to a reader page is sent on to the same page in their language. Without that
    cookie, English addresses answer as they always did."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if translation.get_language_from_path(request.path_info):
            return self.get_response(request)
        translation.activate(settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = settings.LANGUAGE_CODE
        if not self._is_reader_page(request):
            return self.get_response(request)
        redirect = self._to_chosen_language(request)
        if redirect is not None:
            return redirect
        response = self.get_response(request)
        # The same English address redirects readers who chose another language: a shared
        # cache in front must keep the English answer apart from theirs.
        patch_vary_headers(response, ("Cookie",))
        return response

    @staticmethod
    def _is_reader_page(request) -> bool:
        """A page read in a browser that exists in every language (not the API, feeds,
        downloads, the admin or a form's POST)."""
        if (
            request.method not in ("GET", "HEAD")
            or "_export" in request.GET
            or request.GET.get("format", "html") not in ("", "html")
        ):
            return False
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        if match.namespaces and match.namespaces[0] in _LANGUAGE_FREE_NAMESPACES:
            return False
        return match.view_name not in _LANGUAGE_FREE_NAMES

    @staticmethod
    def _to_chosen_language(request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen == settings.LANGUAGE_CODE or chosen not in dict(settings.LANGUAGES):
            return None
        here = request.get_full_path()
        there = translate_url(here, chosen)
        if there == here:  # not a page in every language (/healthz, /language/…)
            return None
        response = HttpResponseRedirect(there)
        # Only this answer depends on the cookie: no cache may keep it for anyone else.
        patch_vary_headers(response, ("Cookie",))
        patch_cache_control(response, private=True)
        return response
