"""Guards every request and response passes: headers that Django has no setting for, and
input no page should ever see."""

import functools

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpResponseBadRequest, JsonResponse
from django.urls import reverse

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
    forms = (request.GET, request.POST) if request.method == "POST" else (request.GET,)
    for data in forms:
        for key, values in data.lists():
            if NUL in key or any(NUL in value for value in values if isinstance(value, str)):
                return True
    return False


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
