from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from commitments.views import accounts, language
from commitments.views.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    # The language switcher: remembers the choice, then on to the page in that language.
    path("language/<str:code>/", language.choose_language, name="language"),
]
# Every reader-facing address in three languages: English at today's address, Japanese and
# Hindi under /ja/ and /hi/ (LocaleMiddleware reads the prefix).
urlpatterns += i18n_patterns(
    # Django's sign-in and reset views with per-address limits (commitments/views/accounts.py).
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/password_reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/", include(("commitments.api", "api"))),
    path("", include("commitments.urls")),
    prefix_default_language=False,
)
