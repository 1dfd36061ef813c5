from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.generic import RedirectView

from commitments.cache import cache_public
from commitments.feeds import CommitmentFeed, UpdatesFeed
from commitments.views import editorial, following, imports, imports_export, public

app_name = "commitments"

urlpatterns = [
    path("", cache_public(public.DashboardView.as_view()), name="dashboard"),
    path("commitments/", cache_public(public.CommitmentListView.as_view()), name="list"),
    path(
        "commitments/<slug:slug>/",
        cache_public(public.CommitmentDetailView.as_view()),
        name="detail",
    ),
    path(
        "sectors/<slug:slug>/",
        cache_public(public.SectorCommitmentListView.as_view()),
        name="sector",
    ),
    path(
        "parties/<slug:slug>/",
        cache_public(public.PartyCommitmentListView.as_view()),
        name="party",
    ),
    path(
        "events/<slug:slug>/",
        cache_public(public.EventCommitmentListView.as_view()),
        name="event",
    ),
    path("robots.txt", public.robots_txt, name="robots"),
    path("about/", cache_public(public.AboutView.as_view()), name="about"),
    path("updates/export.csv", public.updates_csv, name="updates-csv"),
    path("reports/progress/", cache_public(public.progress_report), name="report"),
    path(
        "reports/",
        require_safe(RedirectView.as_view(pattern_name="commitments:report")),
        name="reports",
    ),
    path("feeds/updates.atom", cache_public(require_safe(UpdatesFeed())), name="feed"),
    path(
        "commitments/<slug:slug>/feed.atom",
        cache_public(require_safe(CommitmentFeed())),
        name="commitment-feed",
    ),
    path(
        "commitments/<slug:slug>/cite.bib",
        cache_public(require_safe(public.CommitmentCitationView.as_view(output="bib"))),
        name="cite-bib",
    ),
    path(
        "commitments/<slug:slug>/cite.ris",
        cache_public(require_safe(public.CommitmentCitationView.as_view(output="ris"))),
        name="cite-ris",
    ),
    path("commitments/<slug:slug>/badge.svg", cache_public(public.badge), name="badge"),
    path("preferences/numbers/", public.set_number_system, name="number-system"),
    path(
        "commitments/<slug:slug>/history/",
        cache_public(public.commitment_history),
        name="history",
    ),
    # Pages that show drafts: never kept by a browser or a proxy (Cache-Control: no-store).
    path("workspace/", never_cache(editorial.workspace), name="workspace"),
    path("workspace/log/", never_cache(editorial.log_update), name="log-update"),
    # Published updates in the updates import's columns, to edit and import again.
    path("workspace/updates/export.csv", imports_export.export_csv, name="import-export-csv"),
    path("workspace/updates/export.xlsx", imports_export.export_xlsx, name="import-export-xlsx"),
    path(
        "commitments/<slug:slug>/updates/new/",
        never_cache(editorial.update_new),
        name="update-new",
    ),
    path("updates/<int:pk>/", public.update_permalink, name="update"),
    path("updates/<int:pk>/edit/", never_cache(editorial.update_edit), name="update-edit"),
    path("updates/<int:pk>/correct/", never_cache(editorial.update_correct), name="update-correct"),
    path("updates/<int:pk>/retract/", never_cache(editorial.update_retract), name="update-retract"),
    path("updates/<int:pk>/submit/", editorial.update_submit, name="update-submit"),
    path("updates/<int:pk>/withdraw/", editorial.update_withdraw, name="update-withdraw"),
    path("updates/<int:pk>/delete/", never_cache(editorial.update_delete), name="update-delete"),
    path("updates/<int:pk>/publish/", editorial.update_publish, name="update-publish"),
    path("updates/<int:pk>/reject/", editorial.update_reject, name="update-reject"),
    path("review/", never_cache(editorial.review), name="review"),
    # The analysts' updates import (commitments/views/imports.py).
    path("workspace/imports/", never_cache(imports.upload), name="import-upload"),
    path(
        "workspace/imports/<int:pk>/",
        never_cache(imports.batch_detail),
        name="import-batch",
    ),
    path("workspace/imports/<int:pk>/apply/", imports.batch_apply, name="import-apply"),
    path("workspace/imports/<int:pk>/cancel/", imports.batch_cancel, name="import-cancel"),
    # Following by e-mail (commitments/views/following.py): never cached.
    path("follow/", following.subscribe, name="follow"),
    path("follow/confirm/<str:signed>/", following.confirm, name="follow-confirm"),
    path("follow/manage/<str:token>/", following.manage, name="follow-manage"),
    path("follow/unsubscribe/<str:token>/", following.unsubscribe, name="follow-unsubscribe"),
]
