"""The portal's settings as the audit serves it: production's (debugging off, whitenoise and
compressed, hashed static files), with pages gzipped by the application, as nginx does in front
of it in production (deploy/nginx.conf), since the audit runs the app server alone."""

from ciep.settings import *  # noqa: F403
from ciep.settings import MIDDLEWARE

MIDDLEWARE = ["django.middleware.gzip.GZipMiddleware", *MIDDLEWARE]
