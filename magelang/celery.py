"""The Celery application: broker and options come from Django settings (CELERY_*)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "magelang.settings")

app = Celery("magelang")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Each room of the opd app keeps its tasks beside its services.
app.autodiscover_tasks(["opd.engine", "opd.workplans"])
