"""The Celery application: broker and options come from Django settings (CELERY_*)."""

import logging.config
import os
from typing import Any

from celery import Celery
from celery.signals import before_task_publish, setup_logging, task_postrun, task_prerun

from magelang import request_id

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "magelang.settings")

app = Celery("magelang")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Each room of the opd app keeps its tasks beside its services.
app.autodiscover_tasks(["opd.engine", "opd.workplans", "opd.aspirations"])

# A task logs with the id of the request (or task) that enqueued it.
before_task_publish.connect(request_id.add_to_task_headers, weak=False)
task_prerun.connect(request_id.enter_task, weak=False)
task_postrun.connect(request_id.leave_task, weak=False)


@setup_logging.connect(weak=False)
def use_django_logging(**_kwargs: Any) -> None:
    """The worker and beat log as the web does (LOG_FORMAT, LOG_LEVEL), not Celery's way.

    With a receiver here Celery leaves the root logger and stdout alone; ``--loglevel`` is then
    ignored in favour of LOG_LEVEL.
    """
    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)
