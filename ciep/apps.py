from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CiepConfig(AppConfig):
    name = "ciep"
    verbose_name = _("Conference core")

    def ready(self):
        from .caching import connect_signals
        from .uploads import connect_file_cleanup

        connect_signals()
        connect_file_cleanup()
