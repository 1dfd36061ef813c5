from django.apps import AppConfig


class CommitmentsConfig(AppConfig):
    name = "commitments"
    verbose_name = "Commitment tracker"

    def ready(self):
        from django.db.models.signals import post_migrate

        from commitments import search, signals, standing

        signals.connect()
        search.connect()
        post_migrate.connect(standing.after_migrate, sender=self, dispatch_uid="standings")
