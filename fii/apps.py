from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FiiConfig(AppConfig):
    name = "fii"
    verbose_name = _("FII model")
