"""A file that is either a PDF or an image (a press card, a press-kit file), through the
portal's upload gate (``ciep.uploads``): a PDF is checked as every PDF is and stored as
``.pdf``; anything else must be an image, re-encoded as every image is."""

from django import forms
from django.db import models

from ciep.uploads import UploadTo, check_pdf, process_image


class PdfOrImageFormField(forms.FileField):
    def to_python(self, data):
        data = super().to_python(data)
        if data is None:
            return None
        data.seek(0)
        head = data.read(5)
        data.seek(0)
        if head == b"%PDF-":
            check_pdf(data)
            data.name = "document.pdf"  # the stored name ends in what the gate checked
            return data
        return process_image(data, max_size=(2400, 2400))


class PdfOrImageField(models.FileField):
    def __init__(self, *args, folder: str = "documents", **kwargs):
        self.folder = folder
        kwargs.setdefault("upload_to", UploadTo(folder))
        kwargs.setdefault("max_length", 200)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["folder"] = self.folder
        kwargs.pop("upload_to", None)
        kwargs.pop("max_length", None)
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PdfOrImageFormField, **kwargs})
