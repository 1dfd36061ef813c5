from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Commitment tracker"
admin.site.site_title = "Commitment tracker"
admin.site.index_title = "Editorial administration"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("commitments.urls")),
]
