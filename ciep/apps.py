from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CiepConfig(AppConfig):
    name = "ciep"
    verbose_name = _("Conference core")

    def ready(self):
        from allauth.mfa.signals import authenticator_added

        from . import lookups  # noqa: F401 (registers the lookups)
        from .areas import on_register
        from .audit import register_audited_models
        from .caching import connect_signals
        from .countries import install_pinyin_order
        from .second_factor import record_activation
        from .uploads import connect_file_cleanup

        connect_signals(self.label)
        register_audited_models(self.label)
        install_pinyin_order()
        connect_file_cleanup()
        on_register(self._area_registered)
        authenticator_added.connect(record_activation, dispatch_uid="ciep.second_factor")

    @staticmethod
    def _area_registered(area):
        from .audit import register_audited_models
        from .caching import connect_signals

        connect_signals(area.app_label)
        register_audited_models(area.app_label)
