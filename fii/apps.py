from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FiiConfig(AppConfig):
    name = "fii"
    verbose_name = _("FII model")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .middleware import start_idle_clock

        user_logged_in.connect(start_idle_clock, dispatch_uid="fii.start_idle_clock")

        # Django 6.1's empty choice label ("- Select an option -") has no Dutch translation in Django's own
        # catalogue yet; Django's documented way to change it is to replace it here, with a string of ours.
        from django.db.models import fields

        fields.BLANK_CHOICE_LABEL = _("- Choose -")
