from django.apps import apps
from django.core.management.base import BaseCommand

from ciep.uploads import make_missing_thumbnails


class Command(BaseCommand):
    help = (
        "Make the thumbnails of images uploaded before thumbnails existed (new uploads get "
        "theirs when saved). Safe to run again: rows that have one are left alone."
    )

    def handle(self, *args, **options):
        for model in apps.get_models():
            made = make_missing_thumbnails(model)
            if made:
                self.stdout.write(f"{model._meta.label}: {made} thumbnail(s) made.")
