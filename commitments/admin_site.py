from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode


class TrackerAdminSite(admin.AdminSite):
    """The admin is for editors and superusers.

    Access follows the role, not the `is_staff` flag: putting someone in the Editor group
    lets them in, taking them out locks them out again. Analysts never get in.
    """

    site_header = "Commitment tracker"
    site_title = "Commitment tracker"
    index_title = "Editorial administration"

    def login(self, request, extra_context=None):
        """One sign-in page for everyone: the site's own, with its lockout protection."""
        target = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return redirect(f"{reverse('login')}?{urlencode({'next': target})}")

    index_template = "admin/tracker_index.html"

    def index(self, request, extra_context=None):
        """The admin's front page, with how many follow by e-mail: counts only, never an
        address (Subscriber, Subscription and Delivery are deliberately not registered)."""
        from commitments.following import subscriptions

        return super().index(
            request, {"followers": subscriptions.counts(), **(extra_context or {})}
        )

    def has_permission(self, request):
        from commitments.models import EDITOR_GROUP

        user = request.user
        if not user.is_active:
            return False
        return user.is_superuser or user.groups.filter(name=EDITOR_GROUP).exists()


class TrackerAdminConfig(AdminConfig):
    default_site = "commitments.admin_site.TrackerAdminSite"
