from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FiiConfig(AppConfig):
    name = "fii"
    verbose_name = _("FII model")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .middleware import start_idle_clock

        user_logged_in.connect(start_idle_clock, dispatch_uid="fii.start_idle_clock")
