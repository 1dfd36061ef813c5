from django.urls import path

from commitments import views

app_name = "commitments"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("commitments/", views.CommitmentListView.as_view(), name="list"),
    path("commitments/<slug:slug>/", views.CommitmentDetailView.as_view(), name="detail"),
    path("sectors/<slug:slug>/", views.SectorCommitmentListView.as_view(), name="sector"),
    path("parties/<slug:slug>/", views.PartyCommitmentListView.as_view(), name="party"),
    path("about/", views.AboutView.as_view(), name="about"),
]
