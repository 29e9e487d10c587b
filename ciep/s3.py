"""Uploads in S3-compatible object storage, stored with the headers a browser should get.

Object storage serves an object with the headers stored along with it. Its type is the one its
name says, the name the upload gate chose (``.pdf``, ``.png``), never the type the uploader's
browser declared, which django-storages would otherwise store: a checked PDF sent as
``text/html`` is served as ``application/pdf``. Anything but an image (a brochure, a
delegation's or a project's document) is stored with ``Content-Disposition: attachment``, so
that opening its address downloads it instead of rendering it on the media origin.
``X-Content-Type-Options`` cannot be stored on an object: the CDN or proxy in front of the
bucket adds it (README, "Serving user files from a separate origin").
"""

from pathlib import PurePath

from storages.backends.s3 import S3Storage

from ciep.storage import CONTENT_TYPES


class PortalS3Storage(S3Storage):
    def get_object_parameters(self, name):
        parameters = super().get_object_parameters(name)
        extension = PurePath(name).suffix.lower().lstrip(".")
        content_type = CONTENT_TYPES.get(extension, "application/octet-stream")
        parameters["ContentType"] = content_type
        if not content_type.startswith("image/"):
            parameters.setdefault("ContentDisposition", "attachment")
        return parameters
