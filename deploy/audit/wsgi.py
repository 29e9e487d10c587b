"""The portal as the audit serves it: public media are served beside it, with the year-long
lifetime nginx gives them in production, since the audit runs the app server alone."""

import os

from django.conf import settings
from whitenoise import WhiteNoise

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "audit_settings")

from ciep.wsgi import application as portal  # noqa: E402

application = WhiteNoise(
    portal,
    root=settings.MEDIA_ROOT,
    prefix=settings.MEDIA_URL,
    max_age=365 * 24 * 3600,
)
