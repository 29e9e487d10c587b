"""The portal's Celery application: ``celery -A ciep worker`` and ``celery -A ciep beat``.

Configuration comes from Django's settings (the ``CELERY_`` names); each app's ``tasks.py`` is
found automatically. Without a broker the settings make every task run in the calling process.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ciep.settings")

app = Celery("ciep")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
