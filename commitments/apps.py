from django.apps import AppConfig


class CommitmentsConfig(AppConfig):
    name = "commitments"
    verbose_name = "Commitment tracker"

    def ready(self):
        from commitments import signals

        signals.connect()
