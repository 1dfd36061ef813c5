"""The confirmation e-mail goes through the task queue's "mail" queue: the subscribe page only
queues it, a worker sends it."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django_tasks_db.models import DBTaskResult

from commitments.models import Subscription


@pytest.mark.django_db(transaction=True)
def test_the_page_queues_the_confirmation_and_a_worker_sends_it(settings, roles):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default", "imports", "mail"],
        }
    }
    response = Client().post("/follow/", {"email": "a@example.org", "frequency": "daily"})
    assert response.status_code == 200
    assert not mail.outbox  # queued, not sent by the page
    (queued,) = DBTaskResult.objects.all()
    assert queued.queue_name == "mail"
    assert queued.task_path == "commitments.tasks.send_confirmation"
    assert queued.args_kwargs["args"] == [Subscription.objects.get().pk]
    call_command("worker", batch=True, queue_name="mail", verbosity=0)
    assert [m.to for m in mail.outbox] == [["a@example.org"]]
